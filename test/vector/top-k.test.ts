// TopK keeps the k smallest distances and returns them in order, ties by slot, for small and large k.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopK } from '../../src/storage/vector/top-k.js';

describe('TopK', () => {
  it('returns the k smallest distances ascending, equal distances by slot', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 120 }), fc.integer({ min: 0, max: 60 }), (ds, k) => {
        const top = new TopK(k);
        ds.forEach((d, slot) => top.push(d, slot));
        const { slots, distances } = top.sorted();
        expect(distances).toEqual([...ds].sort((a, b) => a - b).slice(0, k));
        for (let i = 0; i < slots.length; i++) {
          expect(ds[slots[i]!]).toBe(distances[i]);
          if (i > 0 && distances[i] === distances[i - 1]) expect(slots[i]!).toBeGreaterThan(slots[i - 1]!);
        }
      }),
      { numRuns: 400 },
    );
  });
});

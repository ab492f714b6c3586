// ValueMap keys SQL values as hashKey does, numbers and text without a key string.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashKey } from '../../src/executor/compile-expr.js';
import type { SqlValue } from '../../src/executor/value.js';
import { ValueMap } from '../../src/executor/value-map.js';

const value: fc.Arbitrary<SqlValue> = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0.5, -0, 2 ** 53, 9007199254740993n, -(2n ** 63n), 5n),
  fc.constantFrom('1', 's1', 'n9007199254740993', 'b41', '', 'x'),
  fc.constantFrom(new Uint8Array([0x41]), new Uint8Array([]), new Uint8Array(Float32Array.of(1).buffer), Float32Array.of(1)),
);

describe('ValueMap', () => {
  it('shares an entry exactly between values whose hashKeys are equal', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 30 }), (vals) => {
        const map = new ValueMap<number>();
        const byHash = new Map<string | number, number>();
        vals.forEach((v, i) => {
          expect(map.get(v)).toBe(byHash.get(hashKey(v)));
          if (map.get(v) === undefined) {
            map.set(v, i);
            byHash.set(hashKey(v), i);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('tells text from numbers and from encoded blobs and bigints', () => {
    const map = new ValueMap<string>();
    map.set(1, 'one');
    map.set(new Uint8Array([0x41]), 'blob');
    map.set(9007199254740993n, 'big');
    expect(map.get('1')).toBeUndefined();
    expect(map.get('b41')).toBeUndefined();
    expect(map.get('n9007199254740993')).toBeUndefined();
    expect(map.get(1n)).toBe('one');
    expect(map.get(new Uint8Array([0x41]))).toBe('blob');
    expect(map.get(9007199254740993n)).toBe('big');
  });
});

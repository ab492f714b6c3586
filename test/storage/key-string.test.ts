// keyString: one char per byte, for short keys (built from char codes) and long ones (through a Buffer).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyBytes, keyString } from '../../src/storage/bytes.js';

describe('keyString', () => {
  it('is the latin1 string of the bytes, and keyBytes inverts it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(8), (bytes, skip) => {
        const view = bytes.subarray(Math.min(skip, bytes.length));
        const ks = keyString(view);
        expect(ks).toBe(Buffer.from(view).toString('latin1'));
        expect(Array.from(keyBytes(ks))).toEqual(Array.from(view));
      }),
    );
  });
});

// Property tests of the tuple key encoding: byte order equals tuple order, and decoding inverts encoding.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes } from '../../src/storage/bytes.js';
import { compareTuples, decodeKey, decodeKeyFrom, encodeKey, type KeyPart } from '../../src/storage/key-codec.js';

const scalar: fc.Arbitrary<KeyPart> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  fc.string({ unit: 'binary' }),
  fc.uint8Array({ maxLength: 12 }),
);
const part: fc.Arbitrary<KeyPart> = fc.oneof(
  { weight: 5, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
);
const tuple = fc.array(part, { maxLength: 4 });
const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Normalizes values the encoding deliberately identifies (-0 is 0; bigint in the safe range is a number). */
function normalize(p: KeyPart): KeyPart {
  if (typeof p === 'number') return Object.is(p, -0) ? 0 : Number.isInteger(p) && !Number.isSafeInteger(p) ? BigInt(p) : p;
  if (typeof p === 'bigint') return p >= BigInt(Number.MIN_SAFE_INTEGER) && p <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(p) : p;
  if (Array.isArray(p)) return p.map(normalize);
  return p;
}

describe('key codec', () => {
  it('preserves order: compare(encode(a), encode(b)) == compare(a, b)', () => {
    fc.assert(
      fc.property(tuple, tuple, (a, b) => {
        expect(sign(compareBytes(encodeKey(a), encodeKey(b)))).toBe(sign(compareTuples(a, b)));
      }),
      { numRuns: 3000 },
    );
  });

  it('decodes from an offset, skipping leading parts, as decoding the whole and slicing does', () => {
    fc.assert(
      fc.property(tuple, fc.nat(4), fc.integer({ min: 0, max: 255 }), (t, skip, tag) => {
        const enc = encodeKey(t);
        const tagged = new Uint8Array(enc.length + 1);
        tagged[0] = tag;
        tagged.set(enc, 1);
        expect(decodeKeyFrom(tagged, 1, Math.min(skip, t.length))).toEqual(t.map(normalize).slice(Math.min(skip, t.length)));
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips every kind of value', () => {
    fc.assert(
      fc.property(tuple, (t) => {
        expect(decodeKey(encodeKey(t))).toEqual(t.map(normalize));
      }),
      { numRuns: 2000 },
    );
  });

  it('orders numbers across integers, reals and 64-bit integers', () => {
    const values: KeyPart[] = [-Infinity, -1e300, -(2n ** 63n), -2.5, -1, 0, 0.5, 1, 1.5, 2 ** 53, 2n ** 53n + 1n, 2n ** 63n - 1n, 1e300, Infinity];
    const encoded = values.map((v) => encodeKey([v]));
    for (let i = 1; i < encoded.length; i++) expect(compareBytes(encoded[i - 1]!, encoded[i]!)).toBeLessThan(0);
  });

  it('keeps a prefix tuple before its extensions and strings with NUL bytes in order', () => {
    expect(compareBytes(encodeKey(['a']), encodeKey(['a', 1]))).toBeLessThan(0);
    expect(compareBytes(encodeKey(['a\u0000b']), encodeKey(['a']))).toBeGreaterThan(0);
    expect(compareBytes(encodeKey(['a\u0000']), encodeKey(['a\u0000\u0000']))).toBeLessThan(0);
    expect(decodeKey(encodeKey(['a\u0000b', Uint8Array.of(0, 255, 0)]))).toEqual(['a\u0000b', Uint8Array.of(0, 255, 0)]);
  });

  it('rejects NaN and out-of-range integers', () => {
    expect(() => encodeKey([NaN])).toThrow(/NaN/);
    expect(() => encodeKey([1n << 64n])).toThrow(/64-bit/);
  });
});

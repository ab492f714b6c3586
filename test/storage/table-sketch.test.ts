// Distinct-value sketches kept up to date by inserts (src/storage/table-sketch.ts).

import { describe, expect, it } from 'vitest';
import { DistinctSketch, InsertLog, TableSketch, hashValue } from '../../src/storage/table-sketch.js';

function estimateOf(values: Iterable<number | string>): number {
  const s = new DistinctSketch();
  for (const v of values) s.add(hashValue(v));
  return s.estimate();
}

function* range(n: number, f: (i: number) => number | string = (i) => i): Generator<number | string> {
  for (let i = 0; i < n; i++) yield f(i);
}

function expectClose(actual: number, expected: number) {
  expect(Math.abs(actual - expected) / expected).toBeLessThan(0.04);
}

describe('DistinctSketch', () => {
  it('estimates distinct counts within 4% from ten to a million, for integers, reals and text', () => {
    for (const n of [10, 100, 1_000, 20_000, 200_000, 1_000_000]) {
      for (const f of [(i: number) => i, (i: number) => i * 0.37 - 5e6, (i: number) => `note ${i}`]) {
        const e = estimateOf(range(n, f));
        expect(Math.abs(e - n) / n, `n=${n} ${f.toString()}`).toBeLessThan(0.04);
      }
    }
  });

  it('counts repeated values once, exactly while there are at most 4,096', () => {
    expect(estimateOf(range(100_000, (i) => i % 700))).toBe(700);
    expect(estimateOf(range(100_000, (i) => `v${i % 4096}`))).toBe(4096);
    expectClose(estimateOf(range(100_000, (i) => i % 4097)), 4097);
    expect(estimateOf([])).toBe(0);
    const edge = new DistinctSketch();
    for (const h of [0xffffffff, 0, 0xffffffff, 0, 1]) edge.add(h);
    expect(edge.estimate()).toBe(3);
    expect(estimateOf(['x', 'x', 'x'])).toBe(1);
  });
});

describe('DistinctSketch memory', () => {
  it('starts small: a sketch per column of every table must not cost 36 KiB each', () => {
    const sizes = (s: DistinctSketch) => {
      const exact = (s as unknown as { exact?: Uint32Array }).exact;
      const registers = (s as unknown as { registers?: Uint8Array }).registers;
      return (exact?.byteLength ?? 0) + (registers?.byteLength ?? 0);
    };
    const s = new DistinctSketch();
    for (let i = 0; i < 10; i++) s.add(hashValue(i));
    expect(sizes(s)).toBeLessThanOrEqual(128);
    for (let i = 0; i < 3000; i++) s.add(hashValue(i));
    expect(s.estimate()).toBe(3000);
    expect(sizes(s)).toBeLessThanOrEqual(32 * 1024);
    for (let i = 0; i < 10_000; i++) s.add(hashValue(i));
    expect(sizes(s)).toBe(4096);
  });
});

describe('hashValue', () => {
  it('is equal for values GROUP BY treats as one, and differs for values it keeps apart', () => {
    expect(hashValue(1)).toBe(hashValue(1n));
    expect(hashValue(0)).toBe(hashValue(-0));
    expect(hashValue(2 ** 40)).toBe(hashValue(2n ** 40n));
    expect(hashValue(Uint8Array.of(1, 2))).toBe(hashValue(new Uint8Array([1, 2])));
    expect(hashValue(1)).not.toBe(hashValue('1'));
    expect(hashValue(1)).not.toBe(hashValue(1.5));
    expect(hashValue('ab')).not.toBe(hashValue('ba'));
    expect(hashValue(Uint8Array.of(1, 2))).not.toBe(hashValue(Uint8Array.of(2, 1)));
  });
});

describe('DistinctSketch.merge', () => {
  it('gives the union, exact or estimated, whichever form either side is in', () => {
    const build = (from: number, to: number) => {
      const s = new DistinctSketch();
      for (let i = from; i < to; i++) s.add(hashValue(i));
      return s;
    };
    const small = build(0, 1000);
    small.merge(build(500, 1500));
    expect(small.estimate()).toBe(1500);
    const big = build(0, 100_000);
    big.merge(build(50_000, 150_000));
    expectClose(big.estimate(), 150_000);
    const exactIntoBig = build(0, 100_000);
    exactIntoBig.merge(build(200_000, 201_000));
    expectClose(exactIntoBig.estimate(), 101_000);
    const bigIntoExact = build(200_000, 201_000);
    bigIntoExact.merge(build(0, 100_000));
    expectClose(bigIntoExact.estimate(), 101_000);
  });
});

describe('InsertLog', () => {
  it('folds a column past a million hashes into a sketch, and still counts every value', () => {
    const log = new InsertLog(2);
    for (let i = 0; i < 2_500_000; i++) log.add([i, i % 10 === 0 ? null : i % 3]);
    const t = new TableSketch();
    t.add(log);
    expect(t.rows).toBe(2_500_000);
    expect(t.values).toEqual([2_500_000, 2_250_000]);
    const [id, small] = t.distinct(2);
    expectClose(id!, 2_500_000);
    expect(small).toBe(3);
  });
});

describe('TableSketch', () => {
  it('adds insert logs: rows, non-NULL values and distinct values per column', () => {
    const t = new TableSketch();
    const a = new InsertLog(2);
    const b = new InsertLog(2);
    for (let i = 0; i < 3000; i++) (i % 2 ? a : b).add([i, i % 10 === 0 ? null : i % 50]);
    t.add(a);
    t.add(b);
    expect(t.rows).toBe(3000);
    expect(t.values).toEqual([3000, 2700]);
    const [id, g] = t.distinct(2);
    expect(Math.abs(id! - 3000)).toBeLessThan(60);
    expect(g).toBe(45);
  });
});

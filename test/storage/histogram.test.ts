// Equi-depth histograms (src/storage/histogram.ts) and the sample table sketches keep for them.

import { describe, expect, it } from 'vitest';
import { buildHistogram, fractionBelow, histogramValue, rangeFraction } from '../../src/storage/histogram.js';
import { InsertLog, TableSketch } from '../../src/storage/table-sketch.js';

const uniform = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('buildHistogram', () => {
  it('cuts a sample into equal-count buckets, from its smallest to its largest value', () => {
    const h = buildHistogram(uniform(1000).reverse(), 4)!;
    expect(h).toEqual([1, 251, 501, 750, 1000]);
    expect(buildHistogram([5], 4)).toBeUndefined();
    expect(buildHistogram([3, 1], 64)).toEqual([1, 3]);
  });

  it('orders numbers before text, as SQL does', () => {
    expect(buildHistogram(['b', 2, 'a', 1], 3)).toEqual([1, 2, 'a', 'b']);
  });

  it('keeps numbers and text only', () => {
    expect(histogramValue(null)).toBeUndefined();
    expect(histogramValue(Uint8Array.of(1))).toBeUndefined();
    expect(histogramValue(Infinity)).toBeUndefined();
    expect(histogramValue(7n)).toBe(7);
    expect(histogramValue('x')).toBe('x');
  });
});

describe('fractionBelow and rangeFraction', () => {
  const h = buildHistogram(uniform(1000))!;

  it('interpolate inside a bucket for numbers', () => {
    expect(fractionBelow(h, 250, false)).toBeCloseTo(0.25, 2);
    expect(fractionBelow(h, 0, true)).toBe(0);
    expect(fractionBelow(h, 5000, false)).toBe(1);
    expect(rangeFraction(h, { value: 100, inclusive: true }, { value: 200, inclusive: false })).toBeCloseTo(0.1, 2);
    expect(rangeFraction(h, { value: 900, inclusive: false }, undefined)).toBeCloseTo(0.1, 2);
    expect(rangeFraction(h, { value: 600, inclusive: true }, { value: 500, inclusive: true })).toBe(0);
  });

  it('tell below from below-or-equal when a value fills several buckets', () => {
    // 80% of the values are 5.
    const skewed = buildHistogram([...Array.from({ length: 800 }, () => 5), ...uniform(100), ...uniform(100).map((i) => i + 1000)], 10)!;
    expect(fractionBelow(skewed, 5, false)).toBeLessThan(0.2);
    expect(fractionBelow(skewed, 5, true)).toBeGreaterThanOrEqual(0.75);
    expect(rangeFraction(skewed, { value: 5, inclusive: true }, { value: 5, inclusive: true })).toBeGreaterThan(0.6);
  });

  it('place text by order, half a bucket inside one', () => {
    const t = buildHistogram(['a', 'b', 'c', 'd', 'e'], 4)!;
    expect(fractionBelow(t, 'c', false)).toBe(0.5);
    expect(fractionBelow(t, 'bb', false)).toBeCloseTo(0.375, 5);
    expect(fractionBelow(t, 'z', false)).toBe(1);
    // Numbers sort before every text value.
    expect(fractionBelow(t, 1_000_000, true)).toBe(0);
  });
});

describe('the row sample of a table sketch', () => {
  it('stays uniform over commits of every size', () => {
    const t = new TableSketch();
    let next = 1;
    // Many small commits, then one large one, then small ones again: 100,000 rows in all.
    const commit = (rows: number) => {
      const log = new InsertLog(1);
      for (let i = 0; i < rows; i++) log.add([next++]);
      t.add(log);
    };
    for (let i = 0; i < 200; i++) commit(50);
    commit(70_000);
    for (let i = 0; i < 100; i++) commit(200);
    expect(t.rows).toBe(100_000);
    const h = t.histograms(1)[0]!;
    // A uniform sample of 1..100,000: its quartiles land near 25,000, 50,000 and 75,000.
    for (const q of [0.25, 0.5, 0.75]) {
      expect(Math.abs(fractionBelow(h, q * 100_000, false) - q)).toBeLessThan(0.06);
    }
    expect(t.nullFraction(1)).toEqual([0]);
  });
});

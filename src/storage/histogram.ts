// Equi-depth histograms: the cost model's picture of how a column's values spread, for range
// predicates (`price < 10`, `day BETWEEN …`), where a distinct count says nothing.
//
// A histogram is the sorted list of B + 1 bounds cutting a sample of the column's non-NULL values
// into B buckets of equal counts (Postgres keeps the same, `histogram_bounds`). Numbers order
// before text, as in SQL; only numbers and text are kept (blobs and vectors are not ranged over).
// The fraction of values below a constant is the buckets wholly below it plus, inside the bucket
// it falls in, a linear interpolation between numeric bounds (half a bucket for text).

import type { SqlValue } from '../executor/value.js';

/** A value a histogram holds. */
export type HistogramValue = number | string;

/** Sorted bucket bounds: bounds[0] is the smallest sampled value, bounds[B] the largest. */
export type Histogram = readonly HistogramValue[];

/** Buckets per histogram (Postgres' default statistics target is 100; 64 keeps stats small). */
export const HISTOGRAM_BUCKETS = 64;

/** SQL order of numbers and text: numbers first, text by code units. */
export function compareHistogramValues(a: HistogramValue, b: HistogramValue): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The value as a histogram keeps it, or undefined for NULL, blobs, vectors and non-finite numbers. */
export function histogramValue(v: SqlValue): HistogramValue | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

/** The histogram of a sample of values (sorted in place), or undefined for fewer than two values. */
export function buildHistogram(values: HistogramValue[], buckets = HISTOGRAM_BUCKETS): Histogram | undefined {
  if (values.length < 2) return undefined;
  values.sort(compareHistogramValues);
  const b = Math.min(buckets, values.length - 1);
  const out: HistogramValue[] = [];
  for (let i = 0; i <= b; i++) out.push(values[Math.round((i * (values.length - 1)) / b)]!);
  return out;
}

/**
 * The estimated fraction of the column's non-NULL values below `v` (below or equal when
 * `inclusive`), in [0, 1].
 */
export function fractionBelow(h: Histogram, v: HistogramValue, inclusive: boolean): number {
  const b = h.length - 1;
  // first: the first bound ≥ v; last: the last bound ≤ v.
  let first = 0;
  while (first <= b && compareHistogramValues(h[first]!, v) < 0) first++;
  let last = first - 1;
  while (last + 1 <= b && compareHistogramValues(h[last + 1]!, v) <= 0) last++;
  if (first > b) return 1;
  if (last < 0) return 0;
  if (last >= first) {
    // v equals bounds first..last: the buckets between them hold only v.
    return Math.min(1, Math.max(0, (inclusive ? last : first) / b));
  }
  // bounds[last] < v < bounds[first], first = last + 1: somewhere inside bucket `last`.
  const lo = h[last]!;
  const hi = h[first]!;
  const within = typeof lo === 'number' && typeof hi === 'number' && typeof v === 'number' ? (v - lo) / (hi - lo) : 0.5;
  return Math.min(1, Math.max(0, (last + within) / b));
}

/** A lower or upper bound of a range predicate. */
export interface RangeBound {
  readonly value: HistogramValue;
  readonly inclusive: boolean;
}

/** The estimated fraction of non-NULL values within the bounds (either may be absent). */
export function rangeFraction(h: Histogram, lower: RangeBound | undefined, upper: RangeBound | undefined): number {
  const below = upper ? fractionBelow(h, upper.value, upper.inclusive) : 1;
  const notAbove = lower ? fractionBelow(h, lower.value, !lower.inclusive) : 0;
  return Math.max(0, below - notAbove);
}

// Selectivity: the fraction of rows a predicate keeps, from ANALYZE's statistics where it has
// them (distinct counts, NULL fractions, histograms) and fixed guesses where not.

import { someExpr, type BoundExpr } from '../compiler/bound.js';
import type { Catalog, TableDef } from '../storage/catalog.js';
import { compareHistogramValues, histogramValue, rangeFraction, type Histogram, type RangeBound } from '../storage/histogram.js';
import { DEFAULT_SELECTIVITY, RANGE_SELECTIVITY } from './cost.js';

/** What ANALYZE knows of one column. */
export interface ColumnStats {
  readonly distinct: number | undefined;
  readonly nullFraction: number | undefined;
  readonly histogram: Histogram | undefined;
}

/** The statistics of a column (by its position in the filtered rows), if any. */
export type StatsOf = (column: number) => ColumnStats | undefined;

/** The statistics of a table's columns (the leading columns of its scan schema). */
export function tableStatsOf(catalog: Catalog, table: TableDef): StatsOf {
  const s = catalog.stats.get(table.id);
  if (!s) return () => undefined;
  return (column) =>
    // Statistics saved as JSON hold null where a column has none.
    column < table.columns.length ? { distinct: s.distinct[column] ?? undefined, nullFraction: s.nullFraction?.[column] ?? undefined, histogram: s.histograms?.[column] ?? undefined } : undefined;
}

/** The smallest fraction an estimate goes down to (a predicate ANALYZE saw no row pass may still pass some). */
const MIN_FRACTION = 1e-4;

/** The column compared when `e` is a plain column and `other` involves no column (a constant or parameter). */
function comparedColumn(e: BoundExpr, other: BoundExpr): number | undefined {
  return e.kind === 'Column' && !someExpr(other, (x) => x.kind === 'Column') ? e.index : undefined;
}

/** The share of non-NULL rows: 1 − the column's NULL fraction. */
function nonNull(stats: ColumnStats | undefined): number {
  return 1 - (stats?.nullFraction ?? 0);
}

/**
 * The fraction of rows equal to a constant or parameter: non-NULL rows / distinct values, else
 * 0.1. A constant (not a parameter: plans are cached across parameter values) that fills
 * histogram buckets of its own is that common: a skewed column's frequent value is not taken for
 * an average one.
 */
function equalitySelectivity(e: BoundExpr & { kind: 'Binary' }, statsOf: StatsOf | undefined): number {
  const column = comparedColumn(e.left, e.right) ?? comparedColumn(e.right, e.left);
  const stats = column !== undefined ? statsOf?.(column) : undefined;
  const d = stats?.distinct;
  if (d === undefined || d <= 0) return 0.1;
  const other = comparedColumn(e.left, e.right) !== undefined ? e.right : e.left;
  const v = other.kind === 'Const' ? histogramValue(other.value) : undefined;
  const share = v !== undefined && stats?.histogram ? rangeFraction(stats.histogram, { value: v, inclusive: true }, { value: v, inclusive: true }) : 0;
  return nonNull(stats) * Math.max(1 / d, share);
}

/** A range on one column with constant bounds: `column op constant`, or BETWEEN two constants. */
interface ColumnRange {
  readonly column: number;
  readonly lower?: RangeBound;
  readonly upper?: RangeBound;
}

const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** The range a conjunct states on a column, when its bounds are constants a histogram can place. */
function columnRange(e: BoundExpr): ColumnRange | undefined {
  if (e.kind === 'Between' && !e.negated && e.operand.kind === 'Column' && e.low.kind === 'Const' && e.high.kind === 'Const') {
    const lo = histogramValue(e.low.value);
    const hi = histogramValue(e.high.value);
    if (lo === undefined || hi === undefined) return undefined;
    return { column: e.operand.index, lower: { value: lo, inclusive: true }, upper: { value: hi, inclusive: true } };
  }
  if (e.kind !== 'Binary' || !(e.op in FLIP)) return undefined;
  const direct = e.left.kind === 'Column' && e.right.kind === 'Const';
  const flipped = e.right.kind === 'Column' && e.left.kind === 'Const';
  if (!direct && !flipped) return undefined;
  const col = (direct ? e.left : e.right) as BoundExpr & { kind: 'Column' };
  const c = (direct ? e.right : e.left) as BoundExpr & { kind: 'Const' };
  const op = direct ? e.op : FLIP[e.op]!;
  const value = histogramValue(c.value);
  if (value === undefined) return undefined;
  const bound = { value, inclusive: op.endsWith('=') };
  return op.startsWith('<') ? { column: col.index, upper: bound } : { column: col.index, lower: bound };
}

/** The fraction of rows in a range of a column, from its histogram. */
function histogramSelectivity(stats: ColumnStats & { histogram: Histogram }, lower: RangeBound | undefined, upper: RangeBound | undefined): number {
  return Math.max(MIN_FRACTION, nonNull(stats) * rangeFraction(stats.histogram, lower, upper));
}

/**
 * The fraction of rows a predicate keeps. Equality with a constant uses the column's distinct
 * count, IS NULL its NULL fraction, and a range with constant bounds its histogram, when `statsOf`
 * knows them; otherwise fixed guesses.
 */
export function selectivity(e: BoundExpr, statsOf?: StatsOf): number {
  const range = columnRange(e);
  const rangeStats = range && statsOf?.(range.column);
  if (range && rangeStats?.histogram) return histogramSelectivity(rangeStats as ColumnStats & { histogram: Histogram }, range.lower, range.upper);
  if (e.kind === 'Binary') {
    if (e.op === 'AND') return selectivity(e.left, statsOf) * selectivity(e.right, statsOf);
    if (e.op === 'OR') return Math.min(1, selectivity(e.left, statsOf) + selectivity(e.right, statsOf));
    if (e.op === '=' || e.op === 'IS') return equalitySelectivity(e, statsOf);
    if (e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=') return RANGE_SELECTIVITY;
    if (e.op === '<>') return 1 - equalitySelectivity(e, statsOf);
  }
  if (e.kind === 'Between') return 0.2;
  if (e.kind === 'InList') {
    const constList = !e.list.some((x) => someExpr(x, (y) => y.kind === 'Column'));
    const stats = e.operand.kind === 'Column' && constList ? statsOf?.(e.operand.index) : undefined;
    const d = stats?.distinct;
    const sel = Math.min(1, (d !== undefined && d > 0 ? nonNull(stats) / d : 0.1) * e.list.length);
    return e.negated ? 1 - sel : sel;
  }
  if (e.kind === 'IsNull') {
    const f = e.operand.kind === 'Column' ? statsOf?.(e.operand.index)?.nullFraction : undefined;
    if (f !== undefined) return Math.max(MIN_FRACTION, e.negated ? 1 - f : f);
    return e.negated ? 0.9 : 0.1;
  }
  if (e.kind === 'Like') return 0.2;
  return DEFAULT_SELECTIVITY;
}

/**
 * The fraction of rows all the conjuncts keep, assuming independence, except that ranges on the
 * same column combine into one interval (`x >= 10 AND x < 20` is one slice of the histogram, not
 * the product of two halves).
 */
export function conjunctsSelectivity(preds: readonly BoundExpr[], statsOf?: StatsOf): number {
  const ranges = new Map<number, { lower?: RangeBound; upper?: RangeBound; stats: ColumnStats & { histogram: Histogram } }>();
  let sel = 1;
  for (const p of preds) {
    const r = columnRange(p);
    const stats = r && statsOf?.(r.column);
    if (!r || !stats?.histogram) {
      sel *= selectivity(p, statsOf);
      continue;
    }
    const acc = ranges.get(r.column) ?? { stats: stats as ColumnStats & { histogram: Histogram } };
    // Two bounds on the same side: the tighter one counts.
    if (r.lower && (!acc.lower || compareHistogramValues(r.lower.value, acc.lower.value) > 0)) acc.lower = r.lower;
    if (r.upper && (!acc.upper || compareHistogramValues(r.upper.value, acc.upper.value) < 0)) acc.upper = r.upper;
    ranges.set(r.column, acc);
  }
  for (const r of ranges.values()) sel *= histogramSelectivity(r.stats, r.lower, r.upper);
  return sel;
}

/** The fraction of a column's rows within key bounds on it (an index or key range), from its histogram if any. */
export function boundsSelectivity(stats: ColumnStats | undefined, lower: BoundExpr | undefined, lowerInclusive: boolean, upper: BoundExpr | undefined, upperInclusive: boolean): number | undefined {
  if (!stats?.histogram) return undefined;
  const bound = (e: BoundExpr | undefined, inclusive: boolean): RangeBound | undefined | null => {
    if (!e) return undefined;
    const v = e.kind === 'Const' ? histogramValue(e.value) : undefined;
    return v === undefined ? null : { value: v, inclusive };
  };
  const lo = bound(lower, lowerInclusive);
  const hi = bound(upper, upperInclusive);
  if (lo === null || hi === null) return undefined;
  return histogramSelectivity(stats as ColumnStats & { histogram: Histogram }, lo, hi);
}

// Access-path selection: primary-key lookup, key range, secondary index, or full scan for one table.

import { type BoundExpr, someExpr } from '../compiler/bound.js';
import type { ColumnInfo } from '../compiler/bound.js';
import { isOrderedIndex, type Catalog, type IndexDef, type TableDef } from '../storage/catalog.js';
import { BOUNDED_RANGE_SELECTIVITY, COST, DEFAULT_DISTINCT, RANGE_SELECTIVITY, columnDistinct, tableRows } from './cost.js';
import { boundsSelectivity, conjunctsSelectivity, tableStatsOf, type ColumnStats, type StatsOf } from './selectivity.js';
import { columnKey, constrainedKey, indexItemKeys } from './index-keys.js';
import type { KeyBound, PhysicalPlan } from './physical.js';
import { conjoin } from './rules/predicate-pushdown.js';
import { partialIndexApplies } from './partial-index.js';

/**
 * A conjunct that constrains one key item: `x = v`, `x < v`, `x IN (…)`, `x BETWEEN a AND b`,
 * where x is a column or an expression over the row (its key: see index-keys.ts).
 */
export interface KeyTerm {
  readonly key: string;
  readonly op: '=' | '<' | '<=' | '>' | '>=' | 'IN';
  readonly values: readonly BoundExpr[];
  /** The position of its conjunct among the query's conjuncts. */
  readonly conjunct: number;
}

/** An IndexScan plan. */
export type IndexScanPlan = Extract<PhysicalPlan, { kind: 'IndexScan' }>;

/** Most prefix tuples an IN list may expand an index scan into. */
const MAX_PREFIXES = 256;

/** True when an expression can be evaluated before the scan starts (no column of this row). */
export function isRowIndependent(e: BoundExpr): boolean {
  return !someExpr(e, (x) => x.kind === 'Column' || (x.kind === 'Subquery' && x.correlated) || (x.kind === 'Call' && (!x.deterministic || x.name.startsWith('$'))));
}

const FLIP: Record<string, KeyTerm['op']> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** The key terms of conjunct number `conjunct`, if it has that shape. */
function termsOf(c: BoundExpr, conjunct: number, schema: readonly ColumnInfo[]): KeyTerm[] {
  // A comparison under a collation (x = 'a' COLLATE NOCASE) matches values a binary key lookup would miss.
  if (c.kind === 'Binary' && FLIP[c.op] && !c.collation) {
    if (isRowIndependent(c.right)) {
      const key = constrainedKey(c.left, schema, [c.right]);
      if (key !== undefined) return [{ key, op: c.op as KeyTerm['op'], values: [c.right], conjunct }];
    }
    if (isRowIndependent(c.left)) {
      const key = constrainedKey(c.right, schema, [c.left]);
      if (key !== undefined) return [{ key, op: FLIP[c.op]!, values: [c.left], conjunct }];
    }
  }
  if (c.kind === 'Between' && !c.negated && isRowIndependent(c.low) && isRowIndependent(c.high)) {
    const key = constrainedKey(c.operand, schema, [c.low, c.high]);
    if (key !== undefined) {
      return [
        { key, op: '>=', values: [c.low], conjunct },
        { key, op: '<=', values: [c.high], conjunct },
      ];
    }
  }
  if (c.kind === 'InList' && !c.negated && c.list.length > 0 && c.list.length <= MAX_PREFIXES && c.list.every(isRowIndependent)) {
    const key = constrainedKey(c.operand, schema, c.list);
    if (key !== undefined) return [{ key, op: 'IN', values: c.list, conjunct }];
  }
  return [];
}

/** The key terms of a query's conjuncts over one table's scan. */
export function keyTerms(preds: readonly BoundExpr[], schema: readonly ColumnInfo[]): KeyTerm[] {
  return preds.flatMap((p, i) => termsOf(p, i, schema));
}

/** What choosing an index scan needs to know about the table and the query. */
export interface ScanContext {
  readonly table: TableDef;
  readonly alias: string;
  readonly schema: readonly ColumnInfo[];
  readonly preds: readonly BoundExpr[];
  readonly terms: readonly KeyTerm[];
  readonly catalog: Catalog;
  /** The table's column statistics (tableStatsOf). */
  readonly statsOf: StatsOf;
}

/**
 * An index scan of `ix` for the query's key terms: the longest equality prefix of its items
 * (IN lists expand into several prefixes unless `ordered`, which keeps one prefix so that rows
 * come in index order), then bounds on the next item. Undefined when the index cannot serve
 * the query (a partial index whose WHERE the query does not imply, a stored expression that no
 * longer binds) or, unless `full`, when no term constrains it.
 */
export function indexScanFor(s: ScanContext, ix: IndexDef, opts: { readonly ordered?: boolean; readonly full?: boolean; readonly reverse?: boolean } = {}): IndexScanPlan | undefined {
  return indexScanUsing(s, ix, opts)?.plan;
}

/** indexScanFor, with the key terms its range is built from. */
function indexScanUsing(s: ScanContext, ix: IndexDef, opts: { readonly ordered?: boolean; readonly full?: boolean; readonly reverse?: boolean } = {}): { plan: IndexScanPlan; used: KeyTerm[] } | undefined {
  if (ix.whereSql && !partialIndexApplies(ix, s.schema, s.preds, s.catalog)) return undefined;
  const keys = indexItemKeys(ix, s.table);
  if (!keys) return undefined;
  const m = matchKey(keys, s.terms, (a, b) => a === b, opts.ordered ? 1 : MAX_PREFIXES);
  if (m.eq.length === 0 && !m.lower && !m.upper && !opts.full) return undefined;
  const prefixes = expandIn(m.eq);
  const n = tableRows(s.catalog, s.table);
  let rows = n;
  for (let i = 0; i < m.eq.length; i++) {
    const c = ix.columns[i]!;
    rows /= ('column' in c ? columnDistinct(s.catalog, s.table, c.column) : undefined) ?? DEFAULT_DISTINCT;
  }
  if (ix.unique && m.eq.length === ix.columns.length) rows = 1;
  const next = ix.columns[m.eq.length];
  rows *= rangeSel(m.lower, m.upper, next && 'column' in next ? s.statsOf(next.column) : undefined) * prefixes.length;
  rows = Math.max(1, Math.min(n, rows));
  // A scan-optimized table's lookups are costed lower, so the planner reaches for indexes sooner.
  const lookup = s.table.indexPolicy === 'scan_optimized' ? COST.lookup / 2 : COST.lookup;
  const plan: IndexScanPlan = {
    kind: 'IndexScan',
    table: s.table,
    alias: s.alias,
    schema: s.schema,
    index: ix,
    prefixes,
    lower: m.lower,
    upper: m.upper,
    reverse: opts.reverse ?? false,
    est: { rows, cost: prefixes.length * lookup + rows * (COST.seqRow + lookup) },
  };
  return { plan, used: [...m.eq, ...m.boundTerms] };
}

/**
 * The best access path for scanning `table` under the conjuncts `preds`. They stay as a residual
 * filter, but for those an index scan's range answers exactly (see answeredBy).
 */
export function chooseAccessPath(
  table: TableDef,
  indexes: readonly IndexDef[],
  alias: string,
  schema: readonly ColumnInfo[],
  preds: readonly BoundExpr[],
  catalog: Catalog,
): PhysicalPlan {
  const n = tableRows(catalog, table);
  const terms = keyTerms(preds, schema);
  const sc: ScanContext = { table, alias, schema, preds, terms, catalog, statsOf: tableStatsOf(catalog, table) };
  let best: PhysicalPlan = { kind: 'SeqScan', table, alias, schema, est: { rows: filteredRows(preds, n, sc.statsOf), cost: n * COST.seqRow } };

  // The key terms the best path's index range is built from (index scans only: a key lookup or
  // key range keeps every conjunct in its filter).
  let bestTerms: readonly KeyTerm[] = [];
  const consider = (p: PhysicalPlan, used: readonly KeyTerm[] = []) => {
    if (p.est.cost >= best.est.cost) return;
    best = p;
    bestTerms = used;
  };

  // Primary key: full equality (or IN on a single-column key) is a lookup; a prefix plus a range a range scan.
  const pk = matchPrimaryKey(table, terms);
  if (pk.eq.length === primaryKeyColumns(table).length) {
    const tuples = expandIn(pk.eq);
    consider({ kind: 'PkLookup', table, alias, schema, keys: tuples, est: { rows: tuples.length, cost: tuples.length * COST.lookup } });
  }
  const range = pkRangeFor(sc);
  if (range) consider(range.plan);
  for (const ix of indexes) {
    if (!isOrderedIndex(ix)) continue;
    const p = indexScanUsing(sc, ix);
    if (p) consider(p.plan, p.used);
  }
  const answered = answeredBy(terms, bestTerms);
  return withResidual(best, preds, n, preds.filter((_, i) => !answered.has(i)), sc.statsOf);
}

/** The primary key's columns as key items (the hidden rowid column of the scan schema when it has none). */
function primaryKeyColumns(table: TableDef): number[] {
  return table.primaryKey.length > 0 ? [...table.primaryKey] : [table.columns.length];
}

/** The key items that name primary-key column `c`: a rowid and its INTEGER PRIMARY KEY alias are one. */
function pkItemNames(table: TableDef, c: number): string[] {
  const rowid = table.columns.length;
  if (c !== rowid && c !== table.rowidColumn) return [columnKey(c)];
  return table.rowidColumn >= 0 ? [columnKey(rowid), columnKey(table.rowidColumn)] : [columnKey(rowid)];
}

/** The query's equality prefix and bounds on the primary key. */
function matchPrimaryKey(table: TableDef, terms: readonly KeyTerm[]): ReturnType<typeof matchKey> {
  const cols = primaryKeyColumns(table);
  const names = cols.map((c) => pkItemNames(table, c));
  return matchKey(cols.map(columnKey), terms, (a, b) => a === b || names.some((n) => n.includes(a) && n.includes(b)), 1024);
}

/**
 * A primary-key range scan for the query's key terms: an equality prefix (no IN) and bounds on
 * the next key column. Undefined when the terms fix the whole key (a lookup) or constrain none of
 * it, unless `full` (a scan of the whole table in key order). `reverse` walks it backwards.
 * `items` lists, per key column, the key items that name it (for matching a sort order).
 */
export function pkRangeFor(
  s: ScanContext,
  opts: { readonly full?: boolean; readonly reverse?: boolean } = {},
): { plan: Extract<PhysicalPlan, { kind: 'PkRangeScan' }>; fixed: number; items: string[][] } | undefined {
  const { table } = s;
  const keyCols = primaryKeyColumns(table);
  const pk = matchPrimaryKey(table, s.terms);
  if (pk.eq.length === keyCols.length || pk.eq.some((t) => t.op === 'IN')) return undefined;
  if (pk.eq.length === 0 && !pk.lower && !pk.upper && !opts.full) return undefined;
  const n = tableRows(s.catalog, table);
  const sel = pk.eq.length > 0 ? 0.1 ** pk.eq.length : 1;
  const rows = Math.max(1, n * sel * rangeSel(pk.lower, pk.upper, s.statsOf(keyCols[pk.eq.length]!)));
  const items = keyCols.map((c) => pkItemNames(table, c));
  return {
    plan: { kind: 'PkRangeScan', table, alias: s.alias, schema: s.schema, prefix: pk.eq.map((t) => t.values[0]!), lower: pk.lower, upper: pk.upper, reverse: opts.reverse ?? false, est: { rows, cost: COST.lookup + rows * COST.seqRow } },
    fixed: pk.eq.length,
    items,
  };
}

/** Estimated rows of a table of `n` rows under the conjuncts (`statsOf`: its columns' statistics). */
export function filteredRows(preds: readonly BoundExpr[], n: number, statsOf?: StatsOf): number {
  return Math.max(1, n * conjunctsSelectivity(preds, statsOf));
}

/**
 * The conjuncts an index range built from `used` answers exactly, so that they need no check
 * above the IndexScan: every term of the conjunct went into the range, and each compares a plain
 * column (no collation: termsOf keeps none) with a constant or a parameter. Key parts take the
 * column's affinity as the comparison does, index keys order as values compare (NULL, numbers
 * with integers and reals interleaved, text, blobs), and a NULL bound reads nothing. Anything
 * else stays checked: IN lists, expression items, bounds that are expressions, a second bound on
 * the same column.
 */
function answeredBy(terms: readonly KeyTerm[], used: readonly KeyTerm[]): Set<number> {
  const out = new Set<number>();
  if (used.length === 0) return out;
  const byConjunct = new Map<number, KeyTerm[]>();
  for (const t of terms) byConjunct.set(t.conjunct, [...(byConjunct.get(t.conjunct) ?? []), t]);
  for (const [conjunct, ts] of byConjunct) {
    const exact = ts.every((t) => t.op !== 'IN' && t.key.startsWith('#') && t.values.every((v) => v.kind === 'Const' || v.kind === 'Param') && used.includes(t));
    if (exact) out.add(conjunct);
  }
  return out;
}

/**
 * An access path under a Filter of the conjuncts (all of them, or `residual` when its range
 * answers some exactly); the row estimate counts them all.
 */
export function withResidual(path: PhysicalPlan, preds: readonly BoundExpr[], n: number, residualPreds: readonly BoundExpr[] = preds, statsOf?: StatsOf): PhysicalPlan {
  const residual = conjoin(residualPreds);
  if (!residual) return path;
  const rows = filteredRows(preds, n, statsOf);
  return { kind: 'Filter', input: path, predicate: residual, schema: path.schema, est: { rows: Math.min(rows, path.est.rows), cost: path.est.cost + path.est.rows * COST.cpuRow } };
}

/** Selectivity of the bounds on a key column: from its histogram (`stats`) when the bounds are constants, else a guess. */
function rangeSel(lower: KeyBound | undefined, upper: KeyBound | undefined, stats: ColumnStats | undefined): number {
  if (!lower && !upper) return 1;
  const measured = boundsSelectivity(stats, lower?.values[0], lower?.inclusive ?? false, upper?.values[0], upper?.inclusive ?? false);
  if (measured !== undefined) return measured;
  return lower && upper ? BOUNDED_RANGE_SELECTIVITY : RANGE_SELECTIVITY;
}

/**
 * Matches terms to key items: the longest equality prefix, then bounds on the next item. The
 * prefix stops before an IN list that would make more than `maxTuples` prefix tuples.
 */
function matchKey(keys: readonly string[], terms: readonly KeyTerm[], same: (a: string, b: string) => boolean, maxTuples: number): { eq: KeyTerm[]; lower?: KeyBound; upper?: KeyBound; boundTerms: KeyTerm[] } {
  const eq: KeyTerm[] = [];
  let tuples = 1;
  for (const k of keys) {
    const t = terms.find((x) => same(x.key, k) && x.op === '=') ?? terms.find((x) => same(x.key, k) && x.op === 'IN' && tuples * x.values.length <= maxTuples);
    if (!t) break;
    tuples *= t.values.length;
    eq.push(t);
  }
  const next = keys[eq.length];
  if (next === undefined) return { eq, boundTerms: [] };
  let lower: KeyBound | undefined;
  let upper: KeyBound | undefined;
  const boundTerms: KeyTerm[] = [];
  for (const t of terms) {
    if (!same(t.key, next)) continue;
    if ((t.op === '>' || t.op === '>=') && !lower) {
      lower = { values: t.values, inclusive: t.op === '>=' };
      boundTerms.push(t);
    }
    if ((t.op === '<' || t.op === '<=') && !upper) {
      upper = { values: t.values, inclusive: t.op === '<=' };
      boundTerms.push(t);
    }
  }
  return { eq, ...(lower ? { lower } : {}), ...(upper ? { upper } : {}), boundTerms };
}

/** Key tuples for equality terms, one per combination of IN values. */
function expandIn(eq: readonly KeyTerm[]): BoundExpr[][] {
  let tuples: BoundExpr[][] = [[]];
  for (const t of eq) {
    const next: BoundExpr[][] = [];
    for (const tuple of tuples) for (const v of t.values) next.push([...tuple, v]);
    tuples = next;
  }
  return tuples;
}

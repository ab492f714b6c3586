// Access-path selection: primary-key lookup, key range, secondary index, or full scan for one table.

import { type BoundExpr, someExpr } from '../compiler/bound.js';
import type { ColumnInfo } from '../compiler/bound.js';
import { isOrderedIndex, type Catalog, type IndexDef, type TableDef } from '../storage/catalog.js';
import { BOUNDED_RANGE_SELECTIVITY, COST, DEFAULT_DISTINCT, RANGE_SELECTIVITY, columnDistinct, selectivity, tableRows } from './cost.js';
import type { KeyBound, PhysicalPlan } from './physical.js';
import { conjoin } from './rules/predicate-pushdown.js';
import { partialIndexApplies } from './partial-index.js';

/** A conjunct that constrains one column: `col = v`, `col < v`, `col IN (…)`, `col BETWEEN a AND b`. */
interface ColumnTerm {
  readonly column: number;
  readonly op: '=' | '<' | '<=' | '>' | '>=' | 'IN';
  readonly values: readonly BoundExpr[];
}

/** True when an expression can be evaluated before the scan starts (no column of this row). */
export function isRowIndependent(e: BoundExpr): boolean {
  return !someExpr(e, (x) => x.kind === 'Column' || (x.kind === 'Subquery' && x.correlated) || (x.kind === 'Call' && (!x.deterministic || x.name.startsWith('$'))));
}

const FLIP: Record<string, ColumnTerm['op']> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** The column terms of a conjunct, if it has that shape. */
function termsOf(c: BoundExpr, schema: readonly ColumnInfo[]): ColumnTerm[] {
  const col = (e: BoundExpr) => (e.kind === 'Column' && !schema[e.index]?.collation ? e.index : undefined);
  if (c.kind === 'Binary' && FLIP[c.op]) {
    const l = col(c.left);
    const r = col(c.right);
    if (l !== undefined && isRowIndependent(c.right)) return [{ column: l, op: c.op as ColumnTerm['op'], values: [c.right] }];
    if (r !== undefined && isRowIndependent(c.left)) return [{ column: r, op: FLIP[c.op]!, values: [c.left] }];
  }
  if (c.kind === 'Between' && !c.negated) {
    const x = col(c.operand);
    if (x !== undefined && isRowIndependent(c.low) && isRowIndependent(c.high)) {
      return [
        { column: x, op: '>=', values: [c.low] },
        { column: x, op: '<=', values: [c.high] },
      ];
    }
  }
  if (c.kind === 'InList' && !c.negated) {
    const x = col(c.operand);
    if (x !== undefined && c.list.length > 0 && c.list.length <= 256 && c.list.every(isRowIndependent)) return [{ column: x, op: 'IN', values: c.list }];
  }
  return [];
}

/** The best access path for scanning `table` under the conjuncts `preds` (all of which stay as a residual filter). */
export function chooseAccessPath(
  table: TableDef,
  indexes: readonly IndexDef[],
  alias: string,
  schema: readonly ColumnInfo[],
  preds: readonly BoundExpr[],
  catalog: Catalog,
): PhysicalPlan {
  const n = tableRows(catalog, table);
  const terms = preds.flatMap((p) => termsOf(p, schema));
  const rowidCol = table.columns.length; // the hidden rowid column of the scan schema
  const keyCols = table.primaryKey.length > 0 ? [...table.primaryKey] : [rowidCol];
  const residual = conjoin(preds);
  const filtered = (rows: number) => Math.max(1, preds.reduce((r, p) => r * selectivity(p), rows));
  let best: PhysicalPlan = { kind: 'SeqScan', table, alias, schema, est: { rows: filtered(n), cost: n * COST.seqRow } };

  const consider = (p: PhysicalPlan) => {
    if (p.est.cost < best.est.cost) best = p;
  };

  // Primary key: full equality (or IN on a single-column key) is a lookup; a prefix plus a range a range scan.
  const pk = matchKey(keyCols, terms, table.rowidColumn >= 0 ? [rowidCol, table.rowidColumn] : []);
  if (pk.eq.length === keyCols.length) {
    const tuples = expandIn(pk.eq);
    consider({ kind: 'PkLookup', table, alias, schema, keys: tuples, est: { rows: tuples.length, cost: tuples.length * COST.lookup } });
  } else if (pk.eq.length > 0 || pk.lower || pk.upper) {
    if (!pk.eq.some((t) => t.op === 'IN')) {
      const sel = pk.eq.length > 0 ? 0.1 ** pk.eq.length : 1;
      const rows = Math.max(1, n * sel * rangeSel(pk.lower, pk.upper));
      consider({ kind: 'PkRangeScan', table, alias, schema, prefix: pk.eq.map((t) => t.values[0]!), lower: pk.lower, upper: pk.upper, reverse: false, est: { rows, cost: COST.lookup + rows * COST.seqRow } });
    }
  }
  // A scan-optimized table's lookups are costed lower, so the planner reaches for indexes sooner.
  const lookup = table.indexPolicy === 'scan_optimized' ? COST.lookup / 2 : COST.lookup;
  for (const ix of indexes) {
    if (!isOrderedIndex(ix)) continue;
    if (ix.whereSql && !partialIndexApplies(ix, schema, preds, catalog)) continue;
    const cols = ix.columns.map((c) => c.column);
    const m = matchKey(cols, terms, []);
    if (m.eq.length === 0 && !m.lower && !m.upper) continue;
    if (m.eq.some((t) => t.op === 'IN')) continue;
    let rows = n;
    for (let i = 0; i < m.eq.length; i++) rows /= columnDistinct(catalog, table, cols[i]!) ?? DEFAULT_DISTINCT;
    if (ix.unique && m.eq.length === cols.length) rows = 1;
    rows *= rangeSel(m.lower, m.upper);
    rows = Math.max(1, rows);
    consider({
      kind: 'IndexScan',
      table,
      alias,
      schema,
      index: ix,
      prefix: m.eq.map((t) => t.values[0]!),
      lower: m.lower,
      upper: m.upper,
      reverse: false,
      est: { rows, cost: lookup + rows * (COST.seqRow + lookup) },
    });
  }
  if (!residual) return best;
  const rows = filtered(n);
  return { kind: 'Filter', input: best, predicate: residual, schema, est: { rows: Math.min(rows, best.est.rows), cost: best.est.cost + best.est.rows * COST.cpuRow } };
}

/** Selectivity of the bounds on a key column. */
function rangeSel(lower: KeyBound | undefined, upper: KeyBound | undefined): number {
  if (lower && upper) return BOUNDED_RANGE_SELECTIVITY;
  return lower || upper ? RANGE_SELECTIVITY : 1;
}

/** Matches terms to key columns: the longest equality prefix, then bounds on the next column. */
function matchKey(cols: readonly number[], terms: readonly ColumnTerm[], aliases: readonly number[]): { eq: ColumnTerm[]; lower?: KeyBound; upper?: KeyBound } {
  const same = (a: number, b: number) => a === b || (aliases.includes(a) && aliases.includes(b));
  const eq: ColumnTerm[] = [];
  for (const c of cols) {
    const t = terms.find((x) => same(x.column, c) && (x.op === '=' || x.op === 'IN'));
    if (!t) break;
    eq.push(t);
  }
  const next = cols[eq.length];
  if (next === undefined) return { eq };
  let lower: KeyBound | undefined;
  let upper: KeyBound | undefined;
  for (const t of terms) {
    if (!same(t.column, next)) continue;
    if ((t.op === '>' || t.op === '>=') && !lower) lower = { values: t.values, inclusive: t.op === '>=' };
    if ((t.op === '<' || t.op === '<=') && !upper) upper = { values: t.values, inclusive: t.op === '<=' };
  }
  return { eq, ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) };
}

/** Key tuples for equality terms, one per combination of IN values. */
function expandIn(eq: readonly ColumnTerm[]): BoundExpr[][] {
  let tuples: BoundExpr[][] = [[]];
  for (const t of eq) {
    const next: BoundExpr[][] = [];
    for (const tuple of tuples) for (const v of t.values) next.push([...tuple, v]);
    tuples = next;
    if (tuples.length > 1024) break;
  }
  return tuples;
}

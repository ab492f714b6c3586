// The cost model: row-count and selectivity estimates from table statistics, and operator costs.

import { someExpr, type BoundExpr } from '../compiler/bound.js';
import type { Catalog, TableDef } from '../storage/catalog.js';

/** Rows assumed for a table nothing is known about (no ANALYZE, not created in this process). */
export const DEFAULT_TABLE_ROWS = 1000;
/** Selectivity of a predicate the model cannot analyse. */
export const DEFAULT_SELECTIVITY = 0.25;
/** Selectivity of a range predicate (x > c). */
export const RANGE_SELECTIVITY = 1 / 3;
/** Selectivity of a range bounded on both sides (a <= x < b), as SQLite assumes. */
export const BOUNDED_RANGE_SELECTIVITY = 1 / 64;
/** Distinct values assumed for an unanalysed indexed column. */
export const DEFAULT_DISTINCT = 10;

/** Relative costs of the basic steps, in units of "read one row sequentially". */
export const COST = {
  seqRow: 1,
  /** One point lookup (an LSM descent; measured here at about twice a sequential row). */
  lookup: 2,
  /** One row through an expression (filter, project). */
  cpuRow: 0.05,
  /** One row into or out of a hash table. */
  hashRow: 0.3,
  /** One row through a merge join: its key evaluated and compared with the other side's. */
  mergeRow: 0.1,
  /** Per row and per log2(rows) when sorting. */
  sortRow: 0.2,
} as const;

/** Estimated rows of a table. */
export function tableRows(catalog: Catalog, table: TableDef): number {
  return Math.max(1, catalog.stats.get(table.id)?.rowCount ?? DEFAULT_TABLE_ROWS);
}

/** Estimated distinct values of a column (ANALYZE), or undefined. */
export function columnDistinct(catalog: Catalog, table: TableDef, column: number): number | undefined {
  return catalog.stats.get(table.id)?.distinct[column];
}

/** Distinct values of a column of the rows a predicate filters, when ANALYZE counted them. */
export type DistinctOf = (column: number) => number | undefined;

/** The column compared when `e` is a plain column and `other` involves no column (a constant or parameter). */
function comparedColumn(e: BoundExpr, other: BoundExpr): number | undefined {
  return e.kind === 'Column' && !someExpr(other, (x) => x.kind === 'Column') ? e.index : undefined;
}

/** The fraction of rows equal to a constant in a column with d distinct values (1/d), else 0.1. */
function equalitySelectivity(e: BoundExpr & { kind: 'Binary' }, distinctOf: DistinctOf | undefined): number {
  const column = comparedColumn(e.left, e.right) ?? comparedColumn(e.right, e.left);
  const d = column !== undefined ? distinctOf?.(column) : undefined;
  return d !== undefined && d > 0 ? 1 / d : 0.1;
}

/**
 * A rough selectivity for a predicate that no access path uses; equality with a constant uses the
 * column's distinct count (ANALYZE) when `distinctOf` knows it.
 */
export function selectivity(e: BoundExpr, distinctOf?: DistinctOf): number {
  if (e.kind === 'Binary') {
    if (e.op === 'AND') return selectivity(e.left, distinctOf) * selectivity(e.right, distinctOf);
    if (e.op === 'OR') return Math.min(1, selectivity(e.left, distinctOf) + selectivity(e.right, distinctOf));
    if (e.op === '=' || e.op === 'IS') return equalitySelectivity(e, distinctOf);
    if (e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=') return RANGE_SELECTIVITY;
    if (e.op === '<>') return 1 - equalitySelectivity(e, distinctOf);
  }
  if (e.kind === 'Between') return 0.2;
  if (e.kind === 'InList') {
    const constList = !e.list.some((x) => someExpr(x, (y) => y.kind === 'Column'));
    const d = e.operand.kind === 'Column' && constList ? distinctOf?.(e.operand.index) : undefined;
    const sel = Math.min(1, (d !== undefined && d > 0 ? 1 / d : 0.1) * e.list.length);
    return e.negated ? 1 - sel : sel;
  }
  if (e.kind === 'IsNull') return e.negated ? 0.9 : 0.1;
  if (e.kind === 'Like') return 0.2;
  return DEFAULT_SELECTIVITY;
}

/** Cost of sorting `rows` rows. */
export function sortCost(rows: number): number {
  return rows * COST.sortRow * Math.max(1, Math.log2(Math.max(rows, 2)));
}

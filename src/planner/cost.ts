// The cost model: row-count and selectivity estimates from table statistics, and operator costs.

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

/** Cost of sorting `rows` rows. */
export function sortCost(rows: number): number {
  return rows * COST.sortRow * Math.max(1, Math.log2(Math.max(rows, 2)));
}

// The logical plan: what a query computes, as a tree of relational operators over bound expressions.

import type { AggregateCall, BoundExpr, ColumnInfo, SortKey, WindowCall } from '../compiler/bound.js';
import type { IndexDef, TableDef, TextColumns, VectorColumn } from '../storage/catalog.js';

/** A recursive CTE's working table, shared by the RecursiveCte node and the WorkTable leaves under it. */
export interface WorkTableId {
  readonly id: number;
  readonly name: string;
}

/** Join types. SEMI and ANTI come from IN / EXISTS decorrelation. */
export type LogicalJoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS' | 'SEMI' | 'ANTI';

/** Every logical operator. `schema` is the output row layout. */
export type LogicalPlan =
  /** All rows of a table. Output: the table's columns, then the hidden row key values. */
  | { readonly kind: 'Scan'; readonly table: TableDef; readonly indexes: readonly IndexDef[]; readonly alias: string; readonly schema: readonly ColumnInfo[] }
  /** Literal rows. */
  | { readonly kind: 'Values'; readonly rows: readonly (readonly BoundExpr[])[]; readonly schema: readonly ColumnInfo[] }
  /** One row with no columns (SELECT without FROM). */
  | { readonly kind: 'OneRow'; readonly schema: readonly ColumnInfo[] }
  | { readonly kind: 'Filter'; readonly input: LogicalPlan; readonly predicate: BoundExpr; readonly schema: readonly ColumnInfo[] }
  | { readonly kind: 'Project'; readonly input: LogicalPlan; readonly exprs: readonly BoundExpr[]; readonly schema: readonly ColumnInfo[] }
  /** Output: left columns then right columns (SEMI and ANTI: left columns only). */
  | { readonly kind: 'Join'; readonly joinType: LogicalJoinType; readonly left: LogicalPlan; readonly right: LogicalPlan; readonly condition: BoundExpr | undefined; readonly schema: readonly ColumnInfo[] }
  /** Output: the group keys, then the aggregates. No group keys: exactly one row. */
  | { readonly kind: 'Aggregate'; readonly input: LogicalPlan; readonly groupBy: readonly BoundExpr[]; readonly aggregates: readonly AggregateCall[]; readonly schema: readonly ColumnInfo[] }
  /** Output: the input columns, then one column per window call. */
  | { readonly kind: 'Window'; readonly input: LogicalPlan; readonly calls: readonly WindowCall[]; readonly schema: readonly ColumnInfo[] }
  | { readonly kind: 'Sort'; readonly input: LogicalPlan; readonly keys: readonly SortKey[]; readonly schema: readonly ColumnInfo[] }
  /** limit/offset are expressions without column references (constants or parameters). */
  | { readonly kind: 'Limit'; readonly input: LogicalPlan; readonly limit: BoundExpr | undefined; readonly offset: BoundExpr | undefined; readonly schema: readonly ColumnInfo[] }
  | { readonly kind: 'Distinct'; readonly input: LogicalPlan; readonly schema: readonly ColumnInfo[] }
  | { readonly kind: 'SetOp'; readonly op: 'UNION' | 'INTERSECT' | 'EXCEPT'; readonly all: boolean; readonly left: LogicalPlan; readonly right: LogicalPlan; readonly schema: readonly ColumnInfo[] }
  /** WITH RECURSIVE: anchor rows, then the recursive part repeated over the newest rows until none are new. */
  | { readonly kind: 'RecursiveCte'; readonly workTable: WorkTableId; readonly anchor: LogicalPlan; readonly recursive: LogicalPlan; readonly unionAll: boolean; readonly schema: readonly ColumnInfo[] }
  /** The rows of the enclosing RecursiveCte's previous iteration. */
  | { readonly kind: 'WorkTable'; readonly workTable: WorkTableId; readonly schema: readonly ColumnInfo[] }
  /**
   * FROM a, LATERAL (subquery) b: `right` is run once per row of `left`, which it reads through
   * outer references (depth 1); `condition` (ON) filters the combined rows.
   */
  | { readonly kind: 'LateralJoin'; readonly joinType: 'INNER' | 'LEFT'; readonly left: LogicalPlan; readonly right: LogicalPlan; readonly condition: BoundExpr | undefined; readonly schema: readonly ColumnInfo[] }
  /** A table-valued function (generate_series, json_each, …). */
  | { readonly kind: 'TableFunction'; readonly name: string; readonly args: readonly BoundExpr[]; readonly schema: readonly ColumnInfo[] }
  /**
   * Ranked retrieval from a collection: vector_search, bm25_search, hybrid_search, or ORDER BY
   * distance LIMIT k (docs/toonql.md §11.3–11.5). `filter` restricts the documents before ranking.
   */
  | {
      readonly kind: 'CollectionSearch';
      readonly search: SearchSpec;
      readonly filter: BoundExpr | undefined;
      readonly schema: readonly ColumnInfo[];
      /** The output columns read above the search, ascending (absent: all of them). */
      readonly columns?: readonly number[];
    };

/** What to search for, and how: the arguments of a search function, bound. */
export interface SearchSpec {
  readonly table: TableDef;
  /** The collection's secondary indexes (metadata fields), which can find the rows a filter admits. */
  readonly indexes: readonly IndexDef[];
  readonly alias: string;
  readonly mode: 'vector' | 'bm25' | 'hybrid';
  /** The ANN-indexed column searched (vector and hybrid): a collection's embedding or an hnsw index's column. */
  readonly vectorColumn?: VectorColumn;
  /** The BM25-indexed text searched (bm25 and hybrid): a collection's content or a bm25 index's columns. */
  readonly textColumns?: TextColumns;
  /** The query vector (vector and hybrid). */
  readonly vector: BoundExpr | undefined;
  /** The query text (bm25 and hybrid). */
  readonly text: BoundExpr | undefined;
  /** Named tuning arguments by lower-case name: k, ef_search, alpha, rrf_k, fusion, candidates, mode. */
  readonly options: Readonly<Record<string, BoundExpr>>;
  /** Rows skipped before the k kept (ORDER BY … LIMIT k OFFSET n); 0 for the functions. */
  readonly offset: BoundExpr | undefined;
}

/** The kind of a logical operator. */
export type LogicalKind = LogicalPlan['kind'];

/** The inputs of a plan node. */
export function children(p: LogicalPlan): LogicalPlan[] {
  switch (p.kind) {
    case 'Scan':
    case 'Values':
    case 'OneRow':
    case 'WorkTable':
    case 'TableFunction':
    case 'CollectionSearch':
      return [];
    case 'Filter':
    case 'Project':
    case 'Aggregate':
    case 'Window':
    case 'Sort':
    case 'Limit':
    case 'Distinct':
      return [p.input];
    case 'Join':
    case 'LateralJoin':
    case 'SetOp':
      return [p.left, p.right];
    case 'RecursiveCte':
      return [p.anchor, p.recursive];
  }
}

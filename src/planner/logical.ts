// The logical plan: what a query computes, as a tree of relational operators over bound expressions.

import type { AggregateCall, BoundExpr, ColumnInfo, SortKey, WindowCall } from '../compiler/bound.js';
import type { IndexDef, TableDef } from '../storage/catalog.js';

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
  /** A table-valued function (generate_series, json_each, …). */
  | { readonly kind: 'TableFunction'; readonly name: string; readonly args: readonly BoundExpr[]; readonly schema: readonly ColumnInfo[] };

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
    case 'SetOp':
      return [p.left, p.right];
    case 'RecursiveCte':
      return [p.anchor, p.recursive];
  }
}

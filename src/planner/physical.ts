// The physical plan: the operators the executor runs, each with the planner's estimate.

import type { AggregateCall, BoundExpr, ColumnInfo, SortKey, WindowCall } from '../compiler/bound.js';
import type { IndexDef, TableDef } from '../storage/catalog.js';
import type { LogicalJoinType, SearchSpec, WorkTableId } from './logical.js';

/** The cost model's estimate for an operator: output rows and cumulative cost (abstract units). */
export interface Estimate {
  readonly rows: number;
  readonly cost: number;
}

/** A bound on a key: values for a prefix of the key columns, inclusive or not. */
export interface KeyBound {
  readonly values: readonly BoundExpr[];
  readonly inclusive: boolean;
}

interface Base {
  readonly schema: readonly ColumnInfo[];
  readonly est: Estimate;
}

/** Every physical operator. */
export type PhysicalPlan =
  | (Base & { readonly kind: 'SeqScan'; readonly table: TableDef; readonly alias: string })
  /** Rows whose primary key equals one of `keys` (each a full key tuple). */
  | (Base & { readonly kind: 'PkLookup'; readonly table: TableDef; readonly alias: string; readonly keys: readonly (readonly BoundExpr[])[] })
  /** Rows with `prefix` equal on the leading key columns and the next column within the bounds. */
  | (Base & { readonly kind: 'PkRangeScan'; readonly table: TableDef; readonly alias: string; readonly prefix: readonly BoundExpr[]; readonly lower: KeyBound | undefined; readonly upper: KeyBound | undefined; readonly reverse: boolean })
  /**
   * Rows found through a secondary index: the leading items equal to one of `prefixes` (one
   * tuple, or one per combination of IN values; all of the same length), optional bounds on the
   * next item. With one prefix the rows come in index order (reversed when `reverse`).
   */
  | (Base & { readonly kind: 'IndexScan'; readonly table: TableDef; readonly alias: string; readonly index: IndexDef; readonly prefixes: readonly (readonly BoundExpr[])[]; readonly lower: KeyBound | undefined; readonly upper: KeyBound | undefined; readonly reverse: boolean })
  | (Base & { readonly kind: 'Filter'; readonly input: PhysicalPlan; readonly predicate: BoundExpr })
  | (Base & { readonly kind: 'Project'; readonly input: PhysicalPlan; readonly exprs: readonly BoundExpr[] })
  /** Builds a hash table on `right` keyed by rightKeys, probes it with `left` rows. */
  | (Base & { readonly kind: 'HashJoin'; readonly joinType: LogicalJoinType; readonly left: PhysicalPlan; readonly right: PhysicalPlan; readonly leftKeys: readonly BoundExpr[]; readonly rightKeys: readonly BoundExpr[]; readonly residual: BoundExpr | undefined })
  /** For each left row, scans the (materialized) right rows. The condition sees left ++ right. */
  /** Runs `right` once per `left` row (LATERAL), with that row as its outer row. */
  | (Base & { readonly kind: 'LateralJoin'; readonly joinType: 'INNER' | 'LEFT'; readonly left: PhysicalPlan; readonly right: PhysicalPlan; readonly condition: BoundExpr | undefined })
  | (Base & { readonly kind: 'NestedLoopJoin'; readonly joinType: LogicalJoinType; readonly left: PhysicalPlan; readonly right: PhysicalPlan; readonly condition: BoundExpr | undefined })
  /**
   * Walks both inputs, each ordered on its keys (key i ascending unless desc[i]), and joins the
   * runs of equal keys; NULL keys match nothing. Output in the left order.
   */
  | (Base & { readonly kind: 'MergeJoin'; readonly joinType: 'INNER' | 'LEFT' | 'SEMI' | 'ANTI'; readonly left: PhysicalPlan; readonly right: PhysicalPlan; readonly leftKeys: readonly BoundExpr[]; readonly rightKeys: readonly BoundExpr[]; readonly desc: readonly boolean[]; readonly residual: BoundExpr | undefined })
  /** For each left row, looks up matching rows of `table` by primary key or index; `keys` are evaluated on the left row. */
  | (Base & { readonly kind: 'IndexJoin'; readonly joinType: 'INNER' | 'LEFT' | 'SEMI' | 'ANTI'; readonly left: PhysicalPlan; readonly table: TableDef; readonly alias: string; readonly index: IndexDef | undefined; readonly keys: readonly BoundExpr[]; readonly residual: BoundExpr | undefined; readonly rightWidth: number })
  | (Base & { readonly kind: 'HashAggregate'; readonly input: PhysicalPlan; readonly groupBy: readonly BoundExpr[]; readonly aggregates: readonly AggregateCall[] })
  /** Aggregates input whose rows of equal group keys are adjacent: each group is emitted as it ends. */
  | (Base & { readonly kind: 'StreamAggregate'; readonly input: PhysicalPlan; readonly groupBy: readonly BoundExpr[]; readonly aggregates: readonly AggregateCall[] })
  | (Base & { readonly kind: 'Window'; readonly input: PhysicalPlan; readonly calls: readonly WindowCall[] })
  | (Base & { readonly kind: 'Sort'; readonly input: PhysicalPlan; readonly keys: readonly SortKey[] })
  /** Sort that keeps only the first offset + limit rows (a bounded heap). */
  | (Base & { readonly kind: 'TopN'; readonly input: PhysicalPlan; readonly keys: readonly SortKey[]; readonly limit: BoundExpr; readonly offset: BoundExpr | undefined })
  | (Base & { readonly kind: 'Limit'; readonly input: PhysicalPlan; readonly limit: BoundExpr | undefined; readonly offset: BoundExpr | undefined })
  | (Base & { readonly kind: 'HashDistinct'; readonly input: PhysicalPlan })
  | (Base & { readonly kind: 'SetOp'; readonly op: 'UNION' | 'INTERSECT' | 'EXCEPT'; readonly all: boolean; readonly left: PhysicalPlan; readonly right: PhysicalPlan })
  | (Base & { readonly kind: 'Values'; readonly rows: readonly (readonly BoundExpr[])[] })
  | (Base & { readonly kind: 'OneRow' })
  | (Base & { readonly kind: 'RecursiveCte'; readonly workTable: WorkTableId; readonly anchor: PhysicalPlan; readonly recursive: PhysicalPlan; readonly unionAll: boolean })
  | (Base & { readonly kind: 'WorkTable'; readonly workTable: WorkTableId })
  | (Base & { readonly kind: 'TableFunction'; readonly name: string; readonly args: readonly BoundExpr[] })
  /**
   * Ranked retrieval from a collection. `strategy`: ann walks the HNSW graph with the filter
   * applied to each candidate (widening until k match); exact ranks every row that passes the
   * filter. `selectivity` is the planner's estimate of the filter's pass rate.
   */
  /**
   * Ranked documents of a collection (or rows of a table with an hnsw or bm25 index). `candidates`,
   * when set, is an index access path (IndexScan or primary-key lookup) that finds a superset of
   * the rows the filter admits, read instead of every row when the filter is applied before ranking.
   */
  | (Base & {
      readonly kind: 'CollectionSearch';
      readonly search: SearchSpec;
      readonly filter: BoundExpr | undefined;
      readonly strategy: 'ann' | 'exact';
      readonly selectivity: number;
      readonly candidates: PhysicalPlan | undefined;
      /**
       * True when nothing above reads a column but the primary key: an unfiltered graph search
       * then answers from the index alone, when the index agrees with the snapshot.
       */
      readonly indexOnly: boolean;
    });

/** The kind of a physical operator. */
export type PhysicalKind = PhysicalPlan['kind'];

/** The inputs of a physical operator. */
export function physicalChildren(p: PhysicalPlan): PhysicalPlan[] {
  switch (p.kind) {
    case 'SeqScan':
    case 'PkLookup':
    case 'PkRangeScan':
    case 'IndexScan':
    case 'Values':
    case 'OneRow':
    case 'WorkTable':
    case 'TableFunction':
      return [];
    case 'CollectionSearch':
      return p.candidates ? [p.candidates] : [];
    case 'Filter':
    case 'Project':
    case 'HashAggregate':
    case 'StreamAggregate':
    case 'Window':
    case 'Sort':
    case 'TopN':
    case 'Limit':
    case 'HashDistinct':
    case 'IndexJoin':
      return [p.kind === 'IndexJoin' ? p.left : p.input];
    case 'HashJoin':
    case 'MergeJoin':
    case 'NestedLoopJoin':
    case 'LateralJoin':
    case 'SetOp':
      return [p.left, p.right];
    case 'RecursiveCte':
      return [p.anchor, p.recursive];
  }
}

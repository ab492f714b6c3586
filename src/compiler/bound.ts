// Bound expressions: names resolved to row positions, functions to implementations, types computed.

import type { LogicalPlan } from '../planner/logical.js';
import type { SqlType, SqlValue } from '../executor/value.js';
import type { Span } from './ast.js';

/** A column of a plan's output: where it came from and its static type. */
export interface ColumnInfo {
  /** Output name (alias, or the column name). */
  readonly name: string;
  /** The table alias it belongs to (for `t.c` resolution), if any. */
  readonly table: string | undefined;
  readonly type: SqlType;
  /** Declared collation (NOCASE, RTRIM), if any. */
  readonly collation?: string;
  /** Hidden columns (rowid) resolve by name but are not part of `*`. */
  readonly hidden?: boolean;
  /**
   * Set on a collection's `metadata` column: names that match no column resolve to the metadata
   * field of that name (docs/toonql.md §11.2).
   */
  readonly holdsFields?: boolean;
}

/** Binary operators after binding (`IS DISTINCT FROM` etc. keep their own kinds). */
export type BoundBinaryOp =
  | 'AND' | 'OR'
  | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'IS' | 'IS NOT'
  | '+' | '-' | '*' | '/' | '%' | '||'
  | '&' | '|' | '<<' | '>>'
  | '->' | '->>'
  | '<->' | '<=>' | '<#>';

/** A bound expression. `type` is the static type (see executor/value.ts). */
export type BoundExpr =
  | { readonly kind: 'Const'; readonly value: SqlValue; readonly type: SqlType }
  | { readonly kind: 'Param'; readonly slot: number; readonly type: SqlType }
  /** A column of the input row of the operator evaluating the expression. */
  | { readonly kind: 'Column'; readonly index: number; readonly type: SqlType; readonly name: string; readonly collation?: string }
  /** A column of an enclosing query's current row (correlation); depth 1 is the nearest outer query. */
  | { readonly kind: 'OuterColumn'; readonly depth: number; readonly index: number; readonly type: SqlType; readonly name: string }
  | { readonly kind: 'Unary'; readonly op: '-' | '+' | '~' | 'NOT'; readonly operand: BoundExpr; readonly type: SqlType }
  | { readonly kind: 'Binary'; readonly op: BoundBinaryOp; readonly left: BoundExpr; readonly right: BoundExpr; readonly type: SqlType; readonly collation?: string }
  | { readonly kind: 'Between'; readonly negated: boolean; readonly operand: BoundExpr; readonly low: BoundExpr; readonly high: BoundExpr; readonly type: 'boolean' }
  | { readonly kind: 'InList'; readonly negated: boolean; readonly operand: BoundExpr; readonly list: readonly BoundExpr[]; readonly type: 'boolean' }
  | { readonly kind: 'Like'; readonly op: 'LIKE' | 'ILIKE' | 'GLOB' | 'REGEXP'; readonly negated: boolean; readonly operand: BoundExpr; readonly pattern: BoundExpr; readonly escape: BoundExpr | undefined; readonly type: 'boolean' }
  | { readonly kind: 'IsNull'; readonly negated: boolean; readonly operand: BoundExpr; readonly type: 'boolean' }
  | { readonly kind: 'IsDistinct'; readonly negated: boolean; readonly left: BoundExpr; readonly right: BoundExpr; readonly type: 'boolean' }
  | { readonly kind: 'Cast'; readonly operand: BoundExpr; readonly typeName: string; readonly type: SqlType }
  | { readonly kind: 'Collate'; readonly operand: BoundExpr; readonly collation: string; readonly type: SqlType }
  | { readonly kind: 'Call'; readonly name: string; readonly args: readonly BoundExpr[]; readonly type: SqlType; readonly deterministic: boolean }
  | { readonly kind: 'Case'; readonly operand: BoundExpr | undefined; readonly whens: readonly { readonly when: BoundExpr; readonly then: BoundExpr }[]; readonly else: BoundExpr | undefined; readonly type: SqlType }
  | { readonly kind: 'CurrentTime'; readonly which: 'CURRENT_DATE' | 'CURRENT_TIME' | 'CURRENT_TIMESTAMP'; readonly type: SqlType }
  /** A subquery used as a value: scalar (first column of the first row), EXISTS, or IN. */
  | { readonly kind: 'Subquery'; readonly mode: 'scalar' | 'exists' | 'in'; readonly negated: boolean; readonly operand: BoundExpr | undefined; readonly plan: LogicalPlan; readonly correlated: boolean; readonly type: SqlType };

/** The kind of a bound expression. */
export type BoundExprKind = BoundExpr['kind'];

/** An aggregate call computed by an Aggregate node. */
export interface AggregateCall {
  readonly name: string;
  readonly args: readonly BoundExpr[];
  readonly distinct: boolean;
  readonly filter: BoundExpr | undefined;
  /** ORDER BY inside the call (string_agg(x, ',' ORDER BY y)). */
  readonly orderBy: readonly SortKey[];
  /** count(*). */
  readonly star: boolean;
  readonly type: SqlType;
}

/** A sort key. */
export interface SortKey {
  readonly expr: BoundExpr;
  readonly desc: boolean;
  /** NULLs first? (SQLite's default: first when ascending, last when descending). */
  readonly nullsFirst: boolean;
  readonly collation?: string;
}

/** A window function call computed by a Window node. */
export interface WindowCall {
  readonly name: string;
  readonly args: readonly BoundExpr[];
  readonly partitionBy: readonly BoundExpr[];
  readonly orderBy: readonly SortKey[];
  readonly frame: WindowFrameSpec;
  readonly distinct: boolean;
  readonly filter: BoundExpr | undefined;
  readonly type: SqlType;
}

/** A resolved window frame. Offsets are constant expressions. */
export interface WindowFrameSpec {
  readonly units: 'ROWS' | 'RANGE' | 'GROUPS';
  readonly start: FrameEdge;
  readonly end: FrameEdge;
  /** True when the frame was not written (default frame semantics). */
  readonly implicit: boolean;
}

/** One edge of a window frame. */
export type FrameEdge =
  | { readonly type: 'UNBOUNDED PRECEDING' | 'CURRENT ROW' | 'UNBOUNDED FOLLOWING' }
  | { readonly type: 'PRECEDING' | 'FOLLOWING'; readonly offset: BoundExpr };

/** Where a bound node came from, for error carets. */
export interface Located {
  readonly span?: Span;
}

/** Makes a constant. */
export function constant(value: SqlValue, type: SqlType): BoundExpr {
  return { kind: 'Const', value, type };
}

/** Calls `fn` on every direct child expression of `e` (not into subquery plans). */
export function forEachChild(e: BoundExpr, fn: (child: BoundExpr) => void): void {
  switch (e.kind) {
    case 'Const':
    case 'Param':
    case 'Column':
    case 'OuterColumn':
    case 'CurrentTime':
      return;
    case 'Unary':
    case 'IsNull':
    case 'Cast':
    case 'Collate':
      return fn(e.operand);
    case 'Binary':
    case 'IsDistinct':
      fn(e.left);
      return fn(e.right);
    case 'Between':
      fn(e.operand);
      fn(e.low);
      return fn(e.high);
    case 'InList':
      fn(e.operand);
      return e.list.forEach(fn);
    case 'Like':
      fn(e.operand);
      fn(e.pattern);
      if (e.escape) fn(e.escape);
      return;
    case 'Call':
      return e.args.forEach(fn);
    case 'Case':
      if (e.operand) fn(e.operand);
      for (const w of e.whens) {
        fn(w.when);
        fn(w.then);
      }
      if (e.else) fn(e.else);
      return;
    case 'Subquery':
      if (e.operand) fn(e.operand);
      return;
  }
}

/** True when `pred` holds for `e` or any expression inside it. */
export function someExpr(e: BoundExpr, pred: (x: BoundExpr) => boolean): boolean {
  if (pred(e)) return true;
  let found = false;
  forEachChild(e, (c) => {
    if (!found && someExpr(c, pred)) found = true;
  });
  return found;
}

/** Rebuilds `e` bottom-up, replacing each node by `fn(node with rebuilt children)`. */
export function mapExpr(e: BoundExpr, fn: (x: BoundExpr) => BoundExpr): BoundExpr {
  return fn(mapChildren(e, (x) => mapExpr(x, fn)));
}

/** Rebuilds `e` with `fn` applied to each direct child (not into subquery plans); leaves return as they are. */
export function mapChildren(e: BoundExpr, fn: (x: BoundExpr) => BoundExpr): BoundExpr {
  switch (e.kind) {
    case 'Const':
    case 'Param':
    case 'Column':
    case 'OuterColumn':
    case 'CurrentTime':
      return e;
    case 'Unary':
    case 'IsNull':
    case 'Cast':
    case 'Collate':
      return { ...e, operand: fn(e.operand) } as BoundExpr;
    case 'Binary':
    case 'IsDistinct':
      return { ...e, left: fn(e.left), right: fn(e.right) } as BoundExpr;
    case 'Between':
      return { ...e, operand: fn(e.operand), low: fn(e.low), high: fn(e.high) };
    case 'InList':
      return { ...e, operand: fn(e.operand), list: e.list.map(fn) };
    case 'Like':
      return { ...e, operand: fn(e.operand), pattern: fn(e.pattern), escape: e.escape && fn(e.escape) };
    case 'Call':
      return { ...e, args: e.args.map(fn) };
    case 'Case':
      return { ...e, operand: e.operand && fn(e.operand), whens: e.whens.map((w) => ({ when: fn(w.when), then: fn(w.then) })), else: e.else && fn(e.else) };
    case 'Subquery':
      return { ...e, operand: e.operand && fn(e.operand) };
  }
}

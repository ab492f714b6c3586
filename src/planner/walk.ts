// Plan traversal helpers: rebuild a logical plan with its expressions or children transformed.

import type { BoundExpr } from '../compiler/bound.js';
import { assertNever } from '../compiler/ast.js';
import type { LogicalPlan, SearchSpec } from './logical.js';

/** Applies `fn` to every expression of every node (bottom-up over nodes), keeping unchanged nodes. */
export function mapPlanExprs(plan: LogicalPlan, fn: (e: BoundExpr) => BoundExpr): LogicalPlan {
  const p = mapPlanChildren(plan, (c) => mapPlanExprs(c, fn));
  switch (p.kind) {
    case 'Scan':
    case 'OneRow':
    case 'WorkTable':
    case 'Distinct':
    case 'SetOp':
    case 'RecursiveCte':
      return p;
    case 'Values':
      return { ...p, rows: p.rows.map((r) => r.map(fn)) };
    case 'Filter':
      return { ...p, predicate: fn(p.predicate) };
    case 'Project':
      return { ...p, exprs: p.exprs.map(fn) };
    case 'Join':
    case 'LateralJoin':
      return { ...p, condition: p.condition && fn(p.condition) };
    case 'Aggregate':
      return { ...p, groupBy: p.groupBy.map(fn), aggregates: p.aggregates.map((a) => ({ ...a, args: a.args.map(fn), filter: a.filter && fn(a.filter) })) };
    case 'Window':
      return p;
    case 'Sort':
      return { ...p, keys: p.keys.map((k) => ({ ...k, expr: fn(k.expr) })) };
    case 'Limit':
      return { ...p, limit: p.limit && fn(p.limit), offset: p.offset && fn(p.offset) };
    case 'TableFunction':
      return { ...p, args: p.args.map(fn) };
    case 'CollectionSearch':
      return { ...p, filter: p.filter && fn(p.filter), search: mapSearchExprs(p.search, fn) };
    default:
      return assertNever(p);
  }
}

/** Rebuilds a node with `fn` applied to each child. */
export function mapPlanChildren(p: LogicalPlan, fn: (c: LogicalPlan) => LogicalPlan): LogicalPlan {
  switch (p.kind) {
    case 'Scan':
    case 'Values':
    case 'OneRow':
    case 'WorkTable':
    case 'TableFunction':
    case 'CollectionSearch':
      return p;
    case 'Filter':
    case 'Project':
    case 'Aggregate':
    case 'Window':
    case 'Sort':
    case 'Limit':
    case 'Distinct':
      return { ...p, input: fn(p.input) } as LogicalPlan;
    case 'Join':
    case 'LateralJoin':
    case 'SetOp':
      return { ...p, left: fn(p.left), right: fn(p.right) } as LogicalPlan;
    case 'RecursiveCte':
      return { ...p, anchor: fn(p.anchor), recursive: fn(p.recursive) };
    default:
      return assertNever(p);
  }
}

/** A search spec with `fn` applied to each of its expressions. */
export function mapSearchExprs(s: SearchSpec, fn: (e: BoundExpr) => BoundExpr): SearchSpec {
  return {
    ...s,
    vector: s.vector && fn(s.vector),
    text: s.text && fn(s.text),
    offset: s.offset && fn(s.offset),
    options: Object.fromEntries(Object.entries(s.options).map(([k, v]) => [k, fn(v)])),
  };
}

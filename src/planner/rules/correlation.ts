// Helpers shared by the decorrelation rules: what a subquery reads of its outer query, and how
// its correlation conjuncts become conditions of a join against that query.

import { type BoundExpr, mapExpr, someExpr } from '../../compiler/bound.js';
import type { LogicalPlan } from '../logical.js';
import { mapPlanExprs } from '../walk.js';
import { conjoin, conjuncts } from './predicate-pushdown.js';

/** A subquery expression. */
export type Subquery = Extract<BoundExpr, { kind: 'Subquery' }>;

/** True when a plan refers to a query outside it (an outer reference escaping `level` subquery levels). */
export function refersOutside(plan: LogicalPlan, level: number): boolean {
  let found = false;
  mapPlanExprs(plan, (e) => {
    if (
      someExpr(e, (x) => {
        if (x.kind === 'OuterColumn' && x.depth > level) return true;
        if (x.kind === 'Subquery' && refersOutside(x.plan, level + 1)) return true;
        return false;
      })
    ) {
      found = true;
    }
    return e;
  });
  return found;
}

/** True when `e` reads the outer row (an outer reference, directly or in a correlated subquery). */
export function readsOuter(e: BoundExpr): boolean {
  return someExpr(e, (x) => x.kind === 'OuterColumn' || (x.kind === 'Subquery' && x.correlated));
}

/**
 * A subquery expression moved into a join over `outer ++ subquery rows`, where the outer row is
 * `width` columns wide: outer references (depth 1) become columns of the left side, the
 * subquery's own columns move right. Undefined when it reads further out or holds a subquery
 * (whose own outer references would need the same remapping).
 */
export function toJoinCondition(e: BoundExpr, width: number): BoundExpr | undefined {
  if (someExpr(e, (x) => (x.kind === 'OuterColumn' && x.depth !== 1) || x.kind === 'Subquery')) return undefined;
  return mapExpr(e, (x) => (x.kind === 'OuterColumn' ? { kind: 'Column', index: x.index, type: x.type, name: x.name } : x.kind === 'Column' ? { ...x, index: x.index + width } : x));
}

/**
 * The conjuncts of a subquery's WHERE split into join conditions (those reading the outer row,
 * via toJoinCondition) and the rest (the subquery's own filter). Undefined when a conjunct
 * cannot move.
 */
export function splitCorrelation(conds: readonly BoundExpr[], width: number): { on: BoundExpr[]; inner: BoundExpr[] } | undefined {
  const on: BoundExpr[] = [];
  const inner: BoundExpr[] = [];
  for (const c of conds) {
    if (!readsOuter(c)) {
      inner.push(c);
      continue;
    }
    const moved = toJoinCondition(c, width);
    if (!moved) return undefined;
    on.push(moved);
  }
  return { on, inner };
}

/**
 * True when `a = b` is true exactly when the two values hash alike: numbers against numbers, or
 * one type other than `any`, without a collation. The hash join and grouping compare such keys
 * as a subquery's IN set and `=` do; for others (text against a number, NOCASE) they differ.
 */
export function hashComparable(a: BoundExpr, b: BoundExpr): boolean {
  const num = (t: string) => t === 'integer' || t === 'real' || t === 'numeric' || t === 'boolean';
  const collated = (e: BoundExpr) => someExpr(e, (x) => x.kind === 'Collate' || (x.kind === 'Column' && x.collation !== undefined) || (x.kind === 'Binary' && x.collation !== undefined));
  if (collated(a) || collated(b)) return false;
  return (num(a.type) && num(b.type)) || (a.type === b.type && a.type !== 'any');
}

/**
 * Rewrites a Filter conjunct by conjunct: `join(input, c)` may replace a conjunct by a semi or
 * anti join of the input (which keeps the input's columns); the other conjuncts stay above.
 * Any other node is returned as it is.
 */
export function joinConjuncts(p: LogicalPlan, join: (input: LogicalPlan, c: BoundExpr) => LogicalPlan | undefined): LogicalPlan {
  if (p.kind !== 'Filter') return p;
  let input = p.input;
  const rest: BoundExpr[] = [];
  for (const c of conjuncts(p.predicate)) {
    const joined = join(input, c);
    if (joined) input = joined;
    else rest.push(c);
  }
  if (input === p.input) return p;
  const predicate = conjoin(rest);
  return predicate ? { kind: 'Filter', input, predicate, schema: p.schema } : input;
}

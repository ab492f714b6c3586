// Rule: decorrelates [NOT] EXISTS subqueries in WHERE/HAVING into semi (anti) joins.
//
// `WHERE EXISTS (SELECT … FROM t WHERE t.x = outer.a AND p)` runs the subquery once per row;
// as `input SEMI JOIN (t WHERE p) ON t.x = a` it becomes one hash or index join.

import { type BoundExpr, mapExpr, someExpr } from '../../compiler/bound.js';
import type { LogicalPlan } from '../logical.js';
import { mapPlanChildren, mapPlanExprs } from '../walk.js';
import { conjoin, conjuncts } from './predicate-pushdown.js';
import type { RewriteRule } from './rule.js';

type Subquery = Extract<BoundExpr, { kind: 'Subquery' }>;

/** The EXISTS subquery of a conjunct `EXISTS (…)` or `NOT EXISTS (…)`, if it is one. */
function existsOf(c: BoundExpr): { sub: Subquery; negated: boolean } | undefined {
  if (c.kind === 'Subquery' && c.mode === 'exists' && !c.negated && c.correlated) return { sub: c, negated: false };
  if (c.kind === 'Unary' && c.op === 'NOT' && c.operand.kind === 'Subquery' && c.operand.mode === 'exists' && !c.operand.negated && c.operand.correlated) {
    return { sub: c.operand, negated: true };
  }
  return undefined;
}

/** True when a plan refers to a query outside it (an outer reference escaping `level` subquery levels). */
function refersOutside(plan: LogicalPlan, level: number): boolean {
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

/** Builds `input SEMI|ANTI JOIN …` for an EXISTS subquery plan, or undefined when its shape does not allow it. */
function toSemiJoin(input: LogicalPlan, sub: LogicalPlan, negated: boolean): LogicalPlan | undefined {
  let q = sub;
  // EXISTS ignores what the subquery selects.
  while (q.kind === 'Project' || q.kind === 'Distinct') q = q.input;
  let conds: BoundExpr[] = [];
  if (q.kind === 'Filter') {
    conds = conjuncts(q.predicate);
    q = q.input;
  }
  if (refersOutside(q, 0)) return undefined;
  const width = input.schema.length;
  const on: BoundExpr[] = [];
  const inner: BoundExpr[] = [];
  for (const c of conds) {
    if (!someExpr(c, (x) => x.kind === 'OuterColumn')) {
      if (someExpr(c, (x) => x.kind === 'Subquery' && x.correlated)) return undefined;
      inner.push(c);
      continue;
    }
    if (someExpr(c, (x) => (x.kind === 'OuterColumn' && x.depth !== 1) || x.kind === 'Subquery')) return undefined;
    // Outer references become columns of the join's left side; the subquery's own columns move right.
    on.push(mapExpr(c, (x) => (x.kind === 'OuterColumn' ? { kind: 'Column', index: x.index, type: x.type, name: x.name } : x.kind === 'Column' ? { ...x, index: x.index + width } : x)));
  }
  if (on.length === 0) return undefined;
  const predicate = conjoin(inner);
  const right: LogicalPlan = predicate ? { kind: 'Filter', input: q, predicate, schema: q.schema } : q;
  return { kind: 'Join', joinType: negated ? 'ANTI' : 'SEMI', left: input, right, condition: conjoin(on), schema: input.schema };
}

function rewrite(plan: LogicalPlan): LogicalPlan {
  const p = mapPlanChildren(plan, rewrite);
  if (p.kind !== 'Filter') return p;
  let input = p.input;
  const rest: BoundExpr[] = [];
  let changed = false;
  for (const c of conjuncts(p.predicate)) {
    const ex = existsOf(c);
    const joined = ex ? toSemiJoin(input, ex.sub.plan, ex.negated) : undefined;
    if (joined) {
      input = joined;
      changed = true;
    } else rest.push(c);
  }
  if (!changed) return p;
  const predicate = conjoin(rest);
  return predicate ? { kind: 'Filter', input, predicate, schema: p.schema } : input;
}

/** The EXISTS-decorrelation rule. */
export const existsToSemiJoin: RewriteRule = {
  name: 'exists_to_semi_join',
  apply: rewrite,
};

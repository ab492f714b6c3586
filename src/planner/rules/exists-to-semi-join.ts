// Rule: decorrelates [NOT] EXISTS subqueries in WHERE/HAVING into semi (anti) joins.
//
// `WHERE EXISTS (SELECT … FROM t WHERE t.x = outer.a AND p)` runs the subquery once per row;
// as `input SEMI JOIN (t WHERE p) ON t.x = a` it becomes one hash or index join.

import type { BoundExpr } from '../../compiler/bound.js';
import type { LogicalPlan } from '../logical.js';
import { mapPlanChildren } from '../walk.js';
import { joinConjuncts, refersOutside, splitCorrelation, type Subquery } from './correlation.js';
import { conjoin, conjuncts } from './predicate-pushdown.js';
import type { RewriteRule } from './rule.js';

/** The EXISTS subquery of a conjunct `EXISTS (…)` or `NOT EXISTS (…)`, if it is one. */
function existsOf(c: BoundExpr): { sub: Subquery; negated: boolean } | undefined {
  if (c.kind === 'Subquery' && c.mode === 'exists' && !c.negated && c.correlated) return { sub: c, negated: false };
  if (c.kind === 'Unary' && c.op === 'NOT' && c.operand.kind === 'Subquery' && c.operand.mode === 'exists' && !c.operand.negated && c.operand.correlated) {
    return { sub: c.operand, negated: true };
  }
  return undefined;
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
  const split = splitCorrelation(conds, input.schema.length);
  if (!split) return undefined;
  const { on, inner } = split;
  if (on.length === 0) return undefined;
  const predicate = conjoin(inner);
  const right: LogicalPlan = predicate ? { kind: 'Filter', input: q, predicate, schema: q.schema } : q;
  return { kind: 'Join', joinType: negated ? 'ANTI' : 'SEMI', left: input, right, condition: conjoin(on), schema: input.schema };
}

function rewrite(plan: LogicalPlan): LogicalPlan {
  return joinConjuncts(mapPlanChildren(plan, rewrite), (input, c) => {
    const ex = existsOf(c);
    return ex && toSemiJoin(input, ex.sub.plan, ex.negated);
  });
}

/** The EXISTS-decorrelation rule. */
export const existsToSemiJoin: RewriteRule = {
  name: 'exists_to_semi_join',
  apply: rewrite,
};

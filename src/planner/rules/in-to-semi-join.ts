// Rule: decorrelates `x [NOT] IN (SELECT …)` conjuncts of a WHERE/HAVING into semi (anti) joins.
//
// `WHERE x IN (SELECT v FROM t WHERE t.k = outer.a AND p)` runs the subquery once per row (or,
// uncorrelated, keeps its rows in a set); as `input SEMI JOIN (t WHERE p) ON x = v AND t.k = a`
// it becomes one hash or index join. In a conjunct, an UNKNOWN IN (x NULL, or no match with a
// NULL among the values) drops the row as FALSE does, so the semi join is exact. NOT IN is not:
// NOT UNKNOWN keeps the row out while an anti join would keep it in. So NOT IN becomes an anti
// join only when neither x nor the subquery's values can be NULL.

import type { BoundExpr } from '../../compiler/bound.js';
import type { LogicalPlan } from '../logical.js';
import { mapPlanChildren } from '../walk.js';
import { hashComparable, joinConjuncts, readsOuter, refersOutside, splitCorrelation, toJoinCondition, type Subquery } from './correlation.js';
import { neverNull } from './not-null.js';
import { conjoin, conjuncts } from './predicate-pushdown.js';
import type { RewriteRule } from './rule.js';

/** The IN subquery of a conjunct `x [NOT] IN (…)` or `NOT (x [NOT] IN (…))`, if it is one. */
function inOf(c: BoundExpr): { sub: Subquery; negated: boolean } | undefined {
  if (c.kind === 'Subquery' && c.mode === 'in') return { sub: c, negated: c.negated };
  if (c.kind === 'Unary' && c.op === 'NOT' && c.operand.kind === 'Subquery' && c.operand.mode === 'in') return { sub: c.operand, negated: !c.operand.negated };
  return undefined;
}

/**
 * The subquery as a join's right side, the value it selects (over that side's row) and its
 * correlation conditions (over left ++ right). An uncorrelated subquery joins as it is; a
 * correlated one must be `SELECT v FROM q WHERE …` with only its WHERE reading the outer row.
 */
function rightSide(plan: LogicalPlan, width: number): { right: LogicalPlan; value: BoundExpr; on: BoundExpr[] } | undefined {
  if (!refersOutside(plan, 0)) return { right: plan, value: { kind: 'Column', index: 0, type: plan.schema[0]!.type, name: plan.schema[0]!.name }, on: [] };
  let q = plan;
  // Order and duplicates do not change whether a value is among the rows.
  while (q.kind === 'Distinct' || q.kind === 'Sort') q = q.input;
  if (q.kind !== 'Project') return undefined;
  const value = q.exprs[0]!;
  q = q.input;
  let conds: BoundExpr[] = [];
  if (q.kind === 'Filter') {
    conds = conjuncts(q.predicate);
    q = q.input;
  }
  if (refersOutside(q, 0) || readsOuter(value)) return undefined;
  const split = splitCorrelation(conds, width);
  if (!split) return undefined;
  const predicate = conjoin(split.inner);
  return { right: predicate ? { kind: 'Filter', input: q, predicate, schema: q.schema } : q, value, on: split.on };
}

/** Builds `input SEMI|ANTI JOIN … ON x = v AND …` for an IN subquery, or undefined when that would not be exact. */
function toSemiJoin(input: LogicalPlan, sub: Subquery, negated: boolean, where: BoundExpr): LogicalPlan | undefined {
  const x = sub.operand!;
  if (readsOuter(x) || x.kind === 'Subquery') return undefined;
  const width = input.schema.length;
  const side = rightSide(sub.plan, width);
  if (!side || !hashComparable(x, side.value)) return undefined;
  if (negated) {
    // The WHERE's other conjuncts may rule out a NULL x (`x IS NOT NULL AND x NOT IN …`).
    const filtered: LogicalPlan = { kind: 'Filter', input, predicate: where, schema: input.schema };
    if (x.kind !== 'Column' || !neverNull(filtered, x.index) || !neverNull(sub.plan, 0)) return undefined;
  }
  const value = toJoinCondition(side.value, width);
  if (!value) return undefined;
  const eq: BoundExpr = { kind: 'Binary', op: '=', left: x, right: value, type: 'boolean' };
  return { kind: 'Join', joinType: negated ? 'ANTI' : 'SEMI', left: input, right: side.right, condition: conjoin([eq, ...side.on]), schema: input.schema };
}

function rewrite(plan: LogicalPlan): LogicalPlan {
  const p = mapPlanChildren(plan, rewrite);
  if (p.kind !== 'Filter') return p;
  return joinConjuncts(p, (input, c) => {
    const found = inOf(c);
    return found && toSemiJoin(input, found.sub, found.negated, p.predicate);
  });
}

/** The IN-decorrelation rule. */
export const inToSemiJoin: RewriteRule = {
  name: 'in_to_semi_join',
  apply: rewrite,
};

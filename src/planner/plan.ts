// The planner's entry: logical rewrite rules (a readable list, each switchable), then physical planning.

import type { LogicalPlan } from './logical.js';
import type { PhysicalPlan } from './physical.js';
import { toPhysical, type PlannerContext } from './physical-planner.js';
import { constantFolding } from './rules/constant-folding.js';
import { existsToSemiJoin } from './rules/exists-to-semi-join.js';
import { inToSemiJoin } from './rules/in-to-semi-join.js';
import { minMax } from './rules/min-max.js';
import { predicatePushdown } from './rules/predicate-pushdown.js';
import { projectionPushdown } from './rules/projection-pushdown.js';
import { scalarSubqueryToJoin } from './rules/scalar-subquery-to-join.js';
import type { RewriteRule } from './rules/rule.js';
import { vectorTopK } from './rules/vector-top-k.js';

/** The rewrite passes, in order. */
export const RULES: readonly RewriteRule[] = [existsToSemiJoin, inToSemiJoin, scalarSubqueryToJoin, constantFolding, predicatePushdown, minMax, vectorTopK, projectionPushdown];

/** Options of plan(). */
export interface PlanOptions {
  /** Rule names to skip (for tests and for EXPLAIN comparisons). */
  readonly disabledRules?: ReadonlySet<string>;
}

/** Rewrites a logical plan with the enabled rules. */
export function optimize(plan: LogicalPlan, options: PlanOptions = {}): LogicalPlan {
  let p = plan;
  for (const rule of RULES) if (!options.disabledRules?.has(rule.name)) p = rule.apply(p);
  return p;
}

/** Plans a logical plan: rewrite, then choose physical operators by cost. */
export function plan(logical: LogicalPlan, pc: PlannerContext, options: PlanOptions = {}): PhysicalPlan {
  return toPhysical(optimize(logical, options), pc);
}

// The shape of a logical rewrite rule: a named pure function from plan to plan.

import type { LogicalPlan } from '../logical.js';

/** A rewrite rule. `apply` returns the same object when nothing changed. */
export interface RewriteRule {
  readonly name: string;
  apply(plan: LogicalPlan): LogicalPlan;
}

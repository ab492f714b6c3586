// Rule: evaluates deterministic subexpressions whose inputs are all constants, once, at plan time.

import { type BoundExpr, forEachChild, mapExpr } from '../../compiler/bound.js';
import { CompiledExprs } from '../../executor/compile-expr.js';
import type { Env } from '../../executor/context.js';
import type { LogicalPlan } from '../logical.js';
import { mapPlanExprs } from '../walk.js';
import type { RewriteRule } from './rule.js';

const FOLDABLE = new Set(['Unary', 'Binary', 'Between', 'InList', 'Like', 'IsNull', 'IsDistinct', 'Cast', 'Call', 'Case']);

function allConst(e: BoundExpr): boolean {
  if (e.kind === 'Call' && (!e.deterministic || e.name.startsWith('$'))) return false;
  let ok = true;
  forEachChild(e, (c) => {
    if (c.kind !== 'Const') ok = false;
  });
  return ok;
}

const noEnv = { ctx: { params: [] }, outer: [], sub: [], rowIndex: 0 } as unknown as Env;

/** Folds one expression tree. Errors (like a bad CAST) are left for run time. */
export function foldExpr(e: BoundExpr): BoundExpr {
  return mapExpr(e, (x) => {
    if (!FOLDABLE.has(x.kind) || !allConst(x)) return x;
    try {
      const ex = new CompiledExprs([x], () => {
        throw new Error('no subqueries in constants');
      });
      return { kind: 'Const', value: ex.fns[0]!([], noEnv), type: x.type };
    } catch {
      return x;
    }
  });
}

/** The constant-folding rule. */
export const constantFolding: RewriteRule = {
  name: 'constant_folding',
  apply: (plan: LogicalPlan) => mapPlanExprs(plan, foldExpr),
};

// Filter: keeps the rows for which the predicate is true (not false, not NULL).

import type { PhysicalPlan } from '../../planner/physical.js';
import type { Evaluator } from '../compile-expr.js';
import type { Env, Row } from '../context.js';
import { isTruthy } from '../value-ops.js';
import { compile, ownEnv } from './common.js';

/** The rows of a batch (the predicate's subqueries prepared) for which the predicate is true. */
function kept(batch: readonly Row[], pred: Evaluator, env: Env): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < batch.length; i++) {
    env.rowIndex = i;
    if (isTruthy(pred(batch[i]!, env)) === true) out.push(batch[i]!);
  }
  return out;
}

/**
 * Runs a Filter over its input batches. The loop is a plain function called per batch: V8
 * optimizes it within the first query, not after the generator has been called a few times.
 */
export async function* filter(p: Extract<PhysicalPlan, { kind: 'Filter' }>, input: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const ex = compile([p.predicate], env);
  const pred = ex.fns[0]!;
  for await (const batch of input) {
    await ex.prepare(batch, env);
    const out = kept(batch, pred, env);
    if (out.length > 0) yield out;
  }
}

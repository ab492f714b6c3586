// Filter: keeps the rows for which the predicate is true (not false, not NULL).

import type { PhysicalPlan } from '../../planner/physical.js';
import type { Env, Row } from '../context.js';
import { isTruthy } from '../value-ops.js';
import { compile, ownEnv } from './common.js';

/** Runs a Filter over its input batches. */
export async function* filter(p: Extract<PhysicalPlan, { kind: 'Filter' }>, input: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const ex = compile([p.predicate], env);
  const pred = ex.fns[0]!;
  for await (const batch of input) {
    await ex.prepare(batch, env);
    const out: Row[] = [];
    for (let i = 0; i < batch.length; i++) {
      env.rowIndex = i;
      if (isTruthy(pred(batch[i]!, env)) === true) out.push(batch[i]!);
    }
    if (out.length > 0) yield out;
  }
}

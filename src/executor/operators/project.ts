// Project: computes the output columns of each row.

import type { PhysicalPlan } from '../../planner/physical.js';
import type { Env, Row } from '../context.js';
import { compile, evalBatch, ownEnv } from './common.js';

/** Runs a Project over its input batches. */
export async function* project(p: Extract<PhysicalPlan, { kind: 'Project' }>, input: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const ex = compile(p.exprs, env);
  for await (const batch of input) yield await evalBatch(ex, batch, env);
}

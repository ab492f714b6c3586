// LateralJoin: the right plan runs once per left row, reading that row as its outer row.

import type { PhysicalPlan } from '../../planner/physical.js';
import type { Env, Row } from '../context.js';
import { runToArray } from '../run.js';
import { isTruthy } from '../value-ops.js';
import { compile, ownEnv } from './common.js';

/** Runs a LateralJoin (INNER or LEFT). */
export async function* lateralJoin(p: Extract<PhysicalPlan, { kind: 'LateralJoin' }>, left: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const cond = p.condition ? compile([p.condition], env) : undefined;
  const nullsRight: Row = new Array(p.right.schema.length).fill(null);
  for await (const batch of left) {
    const out: Row[] = [];
    for (const l of batch) {
      env.ctx.checkCancelled();
      const rights = await runToArray(p.right, { ctx: env.ctx, outer: [...env.outer, l], sub: [], rowIndex: 0 });
      let joined = rights.map((r) => l.concat(r));
      if (cond && joined.length > 0) {
        await cond.prepare(joined, env);
        joined = joined.filter((row, i) => {
          env.rowIndex = i;
          return isTruthy(cond.fns[0]!(row, env)) === true;
        });
      }
      if (joined.length > 0) out.push(...joined);
      else if (p.joinType === 'LEFT') out.push(l.concat(nullsRight));
    }
    if (out.length > 0) yield out;
  }
}

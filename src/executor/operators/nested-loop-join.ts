// NestedLoopJoin: for each left row, every (materialized) right row; the condition sees left ++ right.

import type { PhysicalPlan } from '../../planner/physical.js';
import type { Env, Row } from '../context.js';
import { isTruthy } from '../value-ops.js';
import { collect, compile, ownEnv } from './common.js';

/** Runs a NestedLoopJoin (every join type). */
export async function* nestedLoopJoin(
  p: Extract<PhysicalPlan, { kind: 'NestedLoopJoin' }>,
  left: AsyncIterable<Row[]>,
  right: AsyncIterable<Row[]>,
  outer: Env,
): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const rightRows = await collect(right);
  const cond = p.condition ? compile([p.condition], env) : undefined;
  const matched = p.joinType === 'RIGHT' || p.joinType === 'FULL' ? new Uint8Array(rightRows.length) : undefined;
  const nullsRight: Row = new Array(p.right.schema.length).fill(null);
  for await (const batch of left) {
    const out: Row[] = [];
    for (const l of batch) {
      env.ctx.checkCancelled();
      let any = false;
      let candidates: Row[] = rightRows.map((r) => l.concat(r));
      if (cond) {
        await cond.prepare(candidates, env);
        const keep: Row[] = [];
        for (let i = 0; i < candidates.length; i++) {
          env.rowIndex = i;
          if (isTruthy(cond.fns[0]!(candidates[i]!, env)) === true) {
            keep.push(candidates[i]!);
            if (matched) matched[i] = 1;
          }
        }
        candidates = keep;
      } else if (matched) matched.fill(1);
      any = candidates.length > 0;
      if (p.joinType === 'SEMI') {
        if (any) out.push(l);
      } else if (p.joinType === 'ANTI') {
        if (!any) out.push(l);
      } else {
        for (const c of candidates) out.push(c);
        if (!any && (p.joinType === 'LEFT' || p.joinType === 'FULL')) out.push(l.concat(nullsRight));
      }
    }
    if (out.length > 0) yield out;
  }
  if (matched) {
    const nullsLeft: Row = new Array(p.left.schema.length).fill(null);
    const out: Row[] = [];
    for (let i = 0; i < rightRows.length; i++) if (!matched[i]) out.push(nullsLeft.concat(rightRows[i]!));
    if (out.length > 0) yield out;
  }
}

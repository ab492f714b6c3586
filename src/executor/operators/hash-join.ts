// HashJoin: builds a hash table on the right input's keys and probes it with left rows.

import type { PhysicalPlan } from '../../planner/physical.js';
import { hashKey } from '../compile-expr.js';
import type { Env, Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { isTruthy } from '../value-ops.js';
import { compile, evalBatch, ownEnv } from './common.js';

type HashJoinPlan = Extract<PhysicalPlan, { kind: 'HashJoin' }>;

/** The hash-table key of a tuple of join-key values; undefined when one is NULL (never equal). */
export function tupleKey(vals: readonly SqlValue[]): string | number | undefined {
  if (vals.length === 1) return vals[0] === null ? undefined : hashKey(vals[0]!);
  let s = '';
  for (const v of vals) {
    if (v === null) return undefined;
    s += `${hashKey(v)}\u0001`;
  }
  return s;
}

/** Runs a HashJoin (INNER, LEFT, RIGHT, FULL, SEMI, ANTI). */
export async function* hashJoin(p: HashJoinPlan, left: AsyncIterable<Row[]>, right: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const rightWidth = p.right.schema.length;
  const leftWidth = p.left.schema.length;
  const rk = compile(p.rightKeys, env);
  const table = new Map<string | number, number[]>();
  const rightRows: Row[] = [];
  for await (const batch of right) {
    const keys = await evalBatch(rk, batch, env);
    for (let i = 0; i < batch.length; i++) {
      const k = tupleKey(keys[i]!);
      const idx = rightRows.length;
      rightRows.push(batch[i]!);
      if (k === undefined) continue;
      const bucket = table.get(k);
      if (bucket) bucket.push(idx);
      else table.set(k, [idx]);
    }
  }
  const matched = p.joinType === 'RIGHT' || p.joinType === 'FULL' ? new Uint8Array(rightRows.length) : undefined;
  const lk = compile(p.leftKeys, env);
  const residual = p.residual ? compile([p.residual], env) : undefined;
  const nullsRight: Row = new Array(rightWidth).fill(null);
  for await (const batch of left) {
    env.ctx.checkCancelled();
    const keys = await evalBatch(lk, batch, env);
    const out: Row[] = [];
    for (let i = 0; i < batch.length; i++) {
      const l = batch[i]!;
      const k = tupleKey(keys[i]!);
      const bucket = k === undefined ? undefined : table.get(k);
      let any = false;
      if (bucket) {
        for (const idx of bucket) {
          const combined = l.concat(rightRows[idx]!);
          if (residual) {
            await residual.prepare([combined], env);
            env.rowIndex = 0;
            if (isTruthy(residual.fns[0]!(combined, env)) !== true) continue;
          }
          any = true;
          if (matched) matched[idx] = 1;
          if (p.joinType === 'SEMI' || p.joinType === 'ANTI') break;
          out.push(combined);
        }
      }
      if (p.joinType === 'SEMI' && any) out.push(l);
      else if (p.joinType === 'ANTI' && !any) out.push(l);
      else if (!any && (p.joinType === 'LEFT' || p.joinType === 'FULL')) out.push(l.concat(nullsRight));
    }
    if (out.length > 0) yield out;
  }
  if (matched) {
    const nullsLeft: Row = new Array(leftWidth).fill(null);
    const out: Row[] = [];
    for (let i = 0; i < rightRows.length; i++) if (!matched[i]) out.push(nullsLeft.concat(rightRows[i]!));
    if (out.length > 0) yield out;
  }
}

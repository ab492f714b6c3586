// Limit: skips `offset` rows, then passes at most `limit` rows and stops reading its input.

import type { BoundExpr } from '../../compiler/bound.js';
import { QueryExecutionError } from '../../errors.js';
import type { PhysicalPlan } from '../../planner/physical.js';
import type { Env, Row } from '../context.js';
import { compile, ownEnv } from './common.js';

/** Evaluates a LIMIT or OFFSET expression to a count (negative LIMIT means none, as in SQLite). */
export async function countOf(e: BoundExpr | undefined, env: Env, what: string): Promise<number> {
  if (!e) return what === 'LIMIT' ? Infinity : 0;
  const ex = compile([e], env);
  await ex.prepare([[]], env);
  const v = ex.fns[0]!([], env);
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new QueryExecutionError(`datatype mismatch: ${what} must be an integer`);
  if (n < 0) return what === 'LIMIT' ? Infinity : 0;
  return n;
}

/** Runs a Limit. */
export async function* limit(p: Extract<PhysicalPlan, { kind: 'Limit' }>, input: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  let remaining = await countOf(p.limit, env, 'LIMIT');
  let skip = await countOf(p.offset, env, 'OFFSET');
  if (remaining === 0) return;
  for await (const batch of input) {
    let b = batch;
    if (skip > 0) {
      if (b.length <= skip) {
        skip -= b.length;
        continue;
      }
      b = b.slice(skip);
      skip = 0;
    }
    if (b.length >= remaining) {
      yield b.slice(0, remaining);
      return;
    }
    remaining -= b.length;
    yield b;
  }
}

// Sort and TopN: order rows by sort keys; TopN keeps only the first offset + limit.

import type { SortKey } from '../../compiler/bound.js';
import type { PhysicalPlan } from '../../planner/physical.js';
import type { Env, Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { batches, compile, evalBatch, ownEnv, sortComparator } from './common.js';
import { TopNHeap } from './top-n-heap.js';
import { countOf } from './limit.js';

async function keyed(keys: readonly SortKey[], input: AsyncIterable<Row[]>, env: Env, keep?: number): Promise<{ k: SqlValue[]; row: Row; seq: number }[]> {
  const ex = compile(keys.map((k) => k.expr), env);
  const cmp = sortComparator(keys);
  let all: { k: SqlValue[]; row: Row; seq: number }[] = [];
  let seq = 0;
  const order = (a: { k: SqlValue[]; seq: number }, b: { k: SqlValue[]; seq: number }) => cmp(a.k, b.k) || a.seq - b.seq;
  for await (const batch of input) {
    const ks = await evalBatch(ex, batch, env);
    for (let i = 0; i < batch.length; i++) all.push({ k: ks[i]!, row: batch[i]!, seq: seq++ });
    // Bounded: when the buffer doubles past what is kept, sort and cut it back.
    if (keep !== undefined && all.length > Math.max(2 * keep, 1024)) {
      all.sort(order);
      all = all.slice(0, keep);
    }
  }
  all.sort(order);
  return keep === undefined ? all : all.slice(0, keep);
}

/** Runs a Sort. */
export async function* sort(p: Extract<PhysicalPlan, { kind: 'Sort' }>, input: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const rows = (await keyed(p.keys, input, env)).map((x) => x.row);
  yield* batches(rows);
}

/** Runs a TopN: keeps the best offset + limit rows in a bounded heap (most rows cost one comparison). */
export async function* topN(p: Extract<PhysicalPlan, { kind: 'TopN' }>, input: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const limit = await countOf(p.limit, env, 'LIMIT');
  const offset = await countOf(p.offset, env, 'OFFSET');
  if (limit === 0) return;
  if (limit === Infinity) {
    yield* batches((await keyed(p.keys, input, env)).slice(offset).map((x) => x.row));
    return;
  }
  const ex = compile(p.keys.map((k) => k.expr), env);
  const heap = new TopNHeap(p.keys, limit + offset, ex);
  for await (const batch of input) {
    await ex.prepare(batch, env);
    heap.add(batch, env);
  }
  yield* batches(heap.sorted().slice(offset));
}

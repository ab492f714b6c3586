// Sort and TopN: order rows by sort keys; TopN keeps only the first offset + limit.

import type { SortKey } from '../../compiler/bound.js';
import type { PhysicalPlan } from '../../planner/physical.js';
import type { Env, Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { batches, compile, evalBatch, ownEnv, sortComparator } from './common.js';
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

/** Runs a TopN: a bounded max-heap of the best offset + limit rows; most rows cost one comparison. */
export async function* topN(p: Extract<PhysicalPlan, { kind: 'TopN' }>, input: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const limit = await countOf(p.limit, env, 'LIMIT');
  const offset = await countOf(p.offset, env, 'OFFSET');
  if (limit === 0) return;
  if (limit === Infinity) {
    yield* batches((await keyed(p.keys, input, env)).slice(offset).map((x) => x.row));
    return;
  }
  const keep = limit + offset;
  const ex = compile(p.keys.map((k) => k.expr), env);
  const cmp = sortComparator(p.keys);
  type Item = { k: SqlValue[]; row: Row; seq: number };
  // Worse = later in the output; ties keep input order (a later row is worse).
  const worse = (a: Item, b: Item) => (cmp(a.k, b.k) || a.seq - b.seq) > 0;
  const heap: Item[] = [];
  const siftUp = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!worse(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  const fns = ex.fns;
  let seq = 0;
  const scratch: SqlValue[] = new Array(fns.length);
  for await (const batch of input) {
    await ex.prepare(batch, env);
    for (let i = 0; i < batch.length; i++) {
      env.rowIndex = i;
      const row = batch[i]!;
      for (let j = 0; j < fns.length; j++) scratch[j] = fns[j]!(row, env);
      const s = seq++;
      if (heap.length < keep) {
        heap.push({ k: scratch.slice(), row, seq: s });
        siftUp(heap.length - 1);
      } else if (cmp(scratch, heap[0]!.k) < 0) {
        heap[0] = { k: scratch.slice(), row, seq: s };
        siftDown(0);
      }
    }
  }
  heap.sort((a, b) => cmp(a.k, b.k) || a.seq - b.seq);
  yield* batches(heap.slice(offset).map((x) => x.row));
}

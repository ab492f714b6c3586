// The executor's entry: runs a physical plan as a stream of row batches, operator by operator.

import { collectionSearch } from './operators/collection-search.js';
import { assertNever } from '../compiler/ast.js';
import type { PhysicalPlan } from '../planner/physical.js';
import { setPlanRunner } from './compile-expr.js';
import type { Env, Row } from './context.js';
import { filter } from './operators/filter.js';
import { hashAggregate } from './operators/hash-aggregate.js';
import { hashJoin } from './operators/hash-join.js';
import { indexJoin } from './operators/index-join.js';
import { indexScan } from './operators/index-scan.js';
import { limit } from './operators/limit.js';
import { mergeJoin } from './operators/merge-join.js';
import { lateralJoin } from './operators/lateral-join.js';
import { nestedLoopJoin } from './operators/nested-loop-join.js';
import { project } from './operators/project.js';
import { recursiveCte } from './operators/recursive-cte.js';
import { pkLookup, pkRangeScan, seqScan } from './operators/scan.js';
import { hashDistinct, setOp } from './operators/set-ops.js';
import { sort, topN } from './operators/sort.js';
import { streamAggregate } from './operators/stream-aggregate.js';
import { oneRow, tableFunction, values, workTable } from './operators/sources.js';
import { windowOp } from './operators/window.js';

function dispatch(p: PhysicalPlan, env: Env): AsyncIterable<Row[]> {
  switch (p.kind) {
    case 'SeqScan':
      return seqScan(p, env);
    case 'PkLookup':
      return pkLookup(p, env);
    case 'PkRangeScan':
      return pkRangeScan(p, env);
    case 'IndexScan':
      return indexScan(p, env);
    case 'Filter':
      return filter(p, execute(p.input, env), env);
    case 'Project':
      return project(p, execute(p.input, env), env);
    case 'HashJoin':
      return hashJoin(p, execute(p.left, env), execute(p.right, env), env);
    case 'MergeJoin':
      return mergeJoin(p, execute(p.left, env), execute(p.right, env), env);
    case 'LateralJoin':
      return lateralJoin(p, execute(p.left, env), env);
    case 'NestedLoopJoin':
      return nestedLoopJoin(p, execute(p.left, env), execute(p.right, env), env);
    case 'IndexJoin':
      return indexJoin(p, execute(p.left, env), env);
    case 'HashAggregate':
      return hashAggregate(p, execute(p.input, env), env);
    case 'StreamAggregate':
      return streamAggregate(p, execute(p.input, env), env);
    case 'Window':
      return windowOp(p, execute(p.input, env), env);
    case 'Sort':
      return sort(p, execute(p.input, env), env);
    case 'TopN':
      return topN(p, execute(p.input, env), env);
    case 'Limit':
      return limit(p, execute(p.input, env), env);
    case 'HashDistinct':
      return hashDistinct(p, execute(p.input, env));
    case 'SetOp':
      return setOp(p, execute(p.left, env), execute(p.right, env));
    case 'Values':
      return values(p, env);
    case 'OneRow':
      return oneRow();
    case 'RecursiveCte':
      return recursiveCte(p, env, execute);
    case 'WorkTable':
      return workTable(p, env);
    case 'TableFunction':
      return tableFunction(p, env);
    case 'CollectionSearch':
      return collectionSearch(p, env);
    default:
      return assertNever(p);
  }
}

async function* profiled(inner: AsyncIterable<Row[]>, stats: { rows: number; ms: number }): AsyncGenerator<Row[]> {
  const it = inner[Symbol.asyncIterator]();
  for (;;) {
    const t0 = performance.now();
    const r = await it.next();
    stats.ms += performance.now() - t0;
    if (r.done) return;
    stats.rows += r.value.length;
    yield r.value;
  }
}

/** How long the executor may keep the event loop busy before it lets timers and input in. */
const CANCEL_POLL_MS = 20;
let lastTurn = 0;

// Batches come from microtasks only (cached tables, work tables, CPU-bound operators), so an
// AbortSignal fired by a timer, a keypress or SIGINT could not be delivered until the statement
// ended. With a signal, every operator hands the event loop a turn at least every CANCEL_POLL_MS.
async function* cancellable(inner: AsyncIterable<Row[]>, env: Env): AsyncGenerator<Row[]> {
  for await (const batch of inner) {
    if (performance.now() - lastTurn >= CANCEL_POLL_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastTurn = performance.now();
    }
    env.ctx.checkCancelled();
    yield batch;
  }
}

/** Runs a plan: an async stream of row batches. With a profile in the context, counts rows and time. */
export function execute(p: PhysicalPlan, env: Env): AsyncIterable<Row[]> {
  const prof = env.ctx.profile;
  const out = env.ctx.signal ? cancellable(dispatch(p, env), env) : dispatch(p, env);
  if (!prof) return out;
  let stats = prof.get(p);
  if (!stats) prof.set(p, (stats = { rows: 0, ms: 0 }));
  return profiled(out, stats);
}

/** Runs a plan to completion and returns all rows. */
export async function runToArray(p: PhysicalPlan, env: Env): Promise<Row[]> {
  const out: Row[] = [];
  for await (const b of execute(p, env)) for (const r of b) out.push(r);
  return out;
}

setPlanRunner(runToArray);

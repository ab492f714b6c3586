// Leaf sources without storage: Values, OneRow, the recursive CTE work table, table functions.

import { QueryExecutionError } from '../../errors.js';
import type { PhysicalPlan } from '../../planner/physical.js';
import type { Env, Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { compile, evalBatch, ownEnv } from './common.js';
import { kvGet, kvRange, kvScan } from './kv-functions.js';

/** Runs Values: each row's expressions evaluated once. */
export async function* values(p: Extract<PhysicalPlan, { kind: 'Values' }>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const out: Row[] = [];
  for (const exprs of p.rows) {
    const ex = compile(exprs, env);
    out.push((await evalBatch(ex, [[]], env))[0]!);
  }
  if (out.length > 0) yield out;
}

/** Runs OneRow. */
export async function* oneRow(): AsyncGenerator<Row[]> {
  yield [[]];
}

/** Runs a WorkTable: the rows the enclosing recursive CTE produced in its previous iteration. */
export async function* workTable(p: Extract<PhysicalPlan, { kind: 'WorkTable' }>, env: Env): AsyncGenerator<Row[]> {
  const rows = env.ctx.workTables.get(p.workTable.id) ?? [];
  if (rows.length > 0) yield rows;
}

const toNumber = (v: SqlValue, what: string): number => {
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || Number.isNaN(n)) throw new QueryExecutionError(`generate_series: ${what} must be a number`);
  return n;
};

/** Runs a table function. generate_series(start, stop[, step]) is built in. */
export async function* tableFunction(p: Extract<PhysicalPlan, { kind: 'TableFunction' }>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const args = (await evalBatch(compile(p.args, env), [[]], env))[0]!;
  if (p.name === 'generate_series') {
    const start = toNumber(args[0] ?? null, 'start');
    const stop = toNumber(args[1] ?? null, 'stop');
    const step = args.length > 2 && args[2] !== null ? toNumber(args[2]!, 'step') : 1;
    if (step === 0) throw new QueryExecutionError('generate_series: step must not be zero');
    let out: Row[] = [];
    for (let v = start; step > 0 ? v <= stop : v >= stop; v += step) {
      out.push([v]);
      if (out.length === 1024) {
        yield out;
        out = [];
        env.ctx.checkCancelled();
      }
    }
    if (out.length > 0) yield out;
    return;
  }
  if (p.name === 'kv_scan') return yield* kvScan(args, env);
  if (p.name === 'kv_range') return yield* kvRange(args, env);
  if (p.name === 'kv_get') return yield* kvGet(args, env);
  throw new QueryExecutionError(`no such table function: ${p.name}`);
}

// RecursiveCte: the anchor's rows, then the recursive part over the newest rows until nothing new.

import { QueryExecutionError } from '../../errors.js';
import type { PhysicalPlan } from '../../planner/physical.js';
import type { Env, Row } from '../context.js';
import { batches } from './common.js';
import { rowKey } from './set-ops.js';

/** Upper bound on rows a recursive CTE may produce, so a runaway recursion fails instead of hanging. */
export const MAX_RECURSIVE_ROWS = 10_000_000;

/** Runs a RecursiveCte. `run` executes a sub-plan with the same environment. */
export async function* recursiveCte(
  p: Extract<PhysicalPlan, { kind: 'RecursiveCte' }>,
  env: Env,
  run: (plan: PhysicalPlan, env: Env) => AsyncIterable<Row[]>,
): AsyncGenerator<Row[]> {
  const seen = p.unionAll ? undefined : new Set<string>();
  const width = p.schema.length;
  const fresh = (rows: Row[]): Row[] => {
    if (!seen) return rows;
    return rows.filter((r) => {
      const k = rowKey(r, width);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  };
  let delta: Row[] = [];
  for await (const b of run(p.anchor, env)) delta.push(...fresh(b.map((r) => r.slice(0, width))));
  let total = 0;
  while (delta.length > 0) {
    total += delta.length;
    if (total > MAX_RECURSIVE_ROWS) throw new QueryExecutionError(`recursive query ${p.workTable.name} produced more than ${MAX_RECURSIVE_ROWS} rows`);
    yield* batches(delta);
    env.ctx.checkCancelled();
    env.ctx.workTables.set(p.workTable.id, delta);
    const next: Row[] = [];
    for await (const b of run(p.recursive, env)) next.push(...fresh(b.map((r) => r.slice(0, width))));
    delta = next;
  }
  env.ctx.workTables.delete(p.workTable.id);
}

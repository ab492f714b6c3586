// The rows a collection search's filter may admit, found through an index when the planner chose one.

import { QueryExecutionError } from '../../errors.js';
import type { PhysicalPlan } from '../../planner/physical.js';
import type { Env, Row } from '../context.js';
import { indexScan } from './index-scan.js';
import { pkLookup, pkRangeScan } from './scan.js';

type SearchPlan = Extract<PhysicalPlan, { kind: 'CollectionSearch' }>;

/** Runs a candidate access path (the planner makes only index and primary-key paths for one). */
function sourceRows(c: PhysicalPlan, env: Env, limit: number): AsyncIterable<Row[]> {
  switch (c.kind) {
    case 'IndexScan':
      // One entry past the limit tells that there are more; no further entry is read.
      return indexScan(c, env, limit + 1);
    case 'PkLookup':
      return pkLookup(c, env);
    case 'PkRangeScan':
      return pkRangeScan(c, env);
    default:
      throw new QueryExecutionError(`a collection search cannot take its candidates from a ${c.kind}`);
  }
}

/**
 * The rows the search's candidate access path finds: a superset of the rows its filter admits
 * (the caller still applies the whole filter to each), read through an index on a metadata
 * field instead of reading every row. Undefined when the plan has no such path, or when it finds
 * more than `limit` rows (the caller then reads every row instead). Under EXPLAIN
 * ANALYZE the path's actual rows and time are recorded like any operator's.
 */
export async function indexedCandidates(p: SearchPlan, env: Env, limit = Infinity): Promise<Row[] | undefined> {
  const c = p.candidates;
  if (!c) return undefined;
  const stats = env.ctx.profile ? (env.ctx.profile.get(c) ?? { rows: 0, ms: 0 }) : undefined;
  if (stats) env.ctx.profile!.set(c, stats);
  const t0 = performance.now();
  const out: Row[] = [];
  let over = false;
  for await (const batch of sourceRows(c, env, limit)) {
    env.ctx.checkCancelled();
    for (const row of batch) out.push(row);
    // Past `limit`, reading row by row through the index costs more than one pass over all rows.
    if (out.length > limit) {
      over = true;
      break;
    }
  }
  if (stats) {
    stats.rows += out.length;
    stats.ms += performance.now() - t0;
  }
  return over ? undefined : out;
}

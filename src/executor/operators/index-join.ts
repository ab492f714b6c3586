// IndexJoin: for each left row, the matching right rows by primary key or index lookup.

import type { PhysicalPlan } from '../../planner/physical.js';
import { prefixEnd } from '../../storage/bytes.js';
import { encodeKey } from '../../storage/key-codec.js';
import { KeyTag, tagged } from '../../storage/keyspace.js';
import { indexEntryRowKey, rowKey } from '../../storage/table-store.js';
import type { Env, Row } from '../context.js';
import { isTruthy } from '../value-ops.js';
import { compile, evalBatch, ownEnv } from './common.js';
import { fetchRow, keyColumns, keyParts } from './scan.js';

type IndexJoinPlan = Extract<PhysicalPlan, { kind: 'IndexJoin' }>;

async function lookup(p: IndexJoinPlan, vals: import('../value.js').SqlValue[], env: Env): Promise<Row[]> {
  if (!p.index) {
    const parts = keyParts(p.table, keyColumns(p.table), vals);
    if (!parts) return [];
    const row = fetchRow(env, p.table, rowKey(p.table, parts));
    return row ? [row] : [];
  }
  const parts = keyParts(p.table, p.index.columns.slice(0, vals.length).map((c) => c.column), vals);
  if (!parts) return [];
  const base = tagged(KeyTag.INDEX, encodeKey([p.index.id, ...parts]));
  const cursor = env.ctx.txn.scan({ gte: base, lt: prefixEnd(base)! });
  const out: Row[] = [];
  try {
    for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
      for (let i = 0; i < b.keys.length; i++) {
        const row = fetchRow(env, p.table, indexEntryRowKey(p.table, p.index, b.keys[i]!, b.payloads[i]!));
        if (row) out.push(row);
      }
    }
  } finally {
    await cursor.close();
  }
  return out;
}

/** Runs an IndexJoin (INNER, LEFT, SEMI, ANTI). */
export async function* indexJoin(p: IndexJoinPlan, left: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const keys = compile(p.keys, env);
  const residual = p.residual ? compile([p.residual], env) : undefined;
  const nulls: Row = new Array(p.rightWidth).fill(null);
  for await (const batch of left) {
    env.ctx.checkCancelled();
    const keyVals = await evalBatch(keys, batch, env);
    const out: Row[] = [];
    for (let i = 0; i < batch.length; i++) {
      const l = batch[i]!;
      let matches = (await lookup(p, keyVals[i]!, env)).map((r) => l.concat(r));
      if (residual && matches.length > 0) {
        await residual.prepare(matches, env);
        matches = matches.filter((m, j) => {
          env.rowIndex = j;
          return isTruthy(residual.fns[0]!(m, env)) === true;
        });
      }
      if (p.joinType === 'SEMI') {
        if (matches.length > 0) out.push(l);
      } else if (p.joinType === 'ANTI') {
        if (matches.length === 0) out.push(l);
      } else {
        for (const m of matches) out.push(m);
        if (matches.length === 0 && p.joinType === 'LEFT') out.push(l.concat(nulls));
      }
    }
    if (out.length > 0) yield out;
  }
}

// IndexJoin: for each left row, the matching right rows by primary key or index lookup.

import type { PhysicalPlan } from '../../planner/physical.js';
import { itemColumn } from '../../storage/catalog.js';
import { prefixEnd } from '../../storage/bytes.js';
import { keyString } from '../../storage/bytes.js';
import { encodeKey, type KeyPart } from '../../storage/key-codec.js';
import type { SqlValue } from '../value.js';
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
  // The planner probes an index only through leading column items.
  const cols = p.index.columns.slice(0, vals.length).map((c) => itemColumn(c) ?? -1);
  const parts = keyParts(p.table, cols, vals);
  if (!parts) return [];
  const base = tagged(KeyTag.INDEX, encodeKey([p.index.id, ...parts]));
  const cached = cachedProbe(p, cols, parts, base, env);
  if (cached) return cached;
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

/**
 * An index probe answered from the table cache (the cached rows grouped by the probed columns),
 * when the table is cached for this snapshot and not written by this transaction. Partial and
 * collated indexes always go to storage.
 */
function cachedProbe(p: IndexJoinPlan, cols: readonly number[], parts: readonly KeyPart[], base: Uint8Array, env: Env): Row[] | undefined {
  const cache = env.ctx.tableCache;
  const ix = p.index!;
  const txn = env.ctx.txn;
  if (!cache || ix.whereSql || txn.touchedTables.has(p.table.id) || cols.some((c) => c < 0 || p.table.columns[c]!.collation)) return undefined;
  const width = p.table.columns.length;
  const keyOf = (row: SqlValue[]): string | undefined => {
    const kp = keyParts(p.table, cols, cols.map((c) => row[c]!));
    return kp ? keyString(encodeKey(kp)) : undefined;
  };
  // One group per probed prefix length (an index probed on fewer columns than it has).
  const rows = cache.lookupIndex(p.table.id, txn.snapshotTs, ix.id * 64 + cols.length, keyOf, keyString(encodeKey([...parts])));
  if (rows === undefined) return undefined;
  // Read as storage would have been: the index range (phantoms) and each row found.
  txn.recordRange({ gte: base, lt: prefixEnd(base)! });
  if (txn.recordsReads) for (const r of rows) txn.recordRead(r[width + 1] as Uint8Array);
  return rows as Row[];
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

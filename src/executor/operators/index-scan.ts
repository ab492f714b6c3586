// IndexScan: rows found through a secondary index (equal prefix, optional range), fetched by row key.

import { prefixEnd } from '../../storage/bytes.js';
import { encodeKey, type KeyPart } from '../../storage/key-codec.js';
import { KeyTag, tagged } from '../../storage/keyspace.js';
import { keyString } from '../../storage/bytes.js';
import { indexEntryKey, indexEntryRowKey } from '../../storage/table-store.js';
import type { KeyBound, PhysicalPlan } from '../../planner/physical.js';
import { CompiledExprs } from '../compile-expr.js';
import type { Env, Row } from '../context.js';
import { emptyRows, fetchRow, keyParts } from './scan.js';

type IndexScanPlan = Extract<PhysicalPlan, { kind: 'IndexScan' }>;

function evalBound(p: IndexScanPlan, bound: KeyBound | undefined, env: Env, from: number): KeyPart[] | null | undefined {
  if (!bound) return undefined;
  const exprs = new CompiledExprs(bound.values, (e) => env.ctx.planSubquery(e.plan));
  const vals = exprs.fns.map((f) => f([], env));
  const cols = p.index.columns.slice(from, from + vals.length).map((c) => c.column);
  return keyParts(p.table, cols, vals) ?? null;
}

/** The first position in sorted `keys` whose key is ≥ `bound`. */
function lowerBound(keys: readonly string[], bound: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The rows of an index range from the table cache (the cached rows sorted by the index's entry
 * keys), when the table is cached for this snapshot and not written by this transaction. Partial
 * and collated indexes always go to storage. Records what the storage scan would have read.
 */
function cachedRange(p: IndexScanPlan, gte: Uint8Array, lt: Uint8Array, env: Env): Row[] | undefined {
  const cache = env.ctx.tableCache;
  const txn = env.ctx.txn;
  const ix = p.index;
  if (!cache || ix.whereSql || txn.touchedTables.has(p.table.id) || ix.columns.some((c) => p.table.columns[c.column]!.collation)) return undefined;
  const width = p.table.columns.length;
  const sorted = cache.sortedIndex(p.table.id, txn.snapshotTs, ix.id, (row) => keyString(indexEntryKey(ix, row, row[width + 1] as Uint8Array)));
  if (!sorted) return undefined;
  const from = lowerBound(sorted.keys, keyString(gte));
  const to = lowerBound(sorted.keys, keyString(lt));
  const rows = sorted.rows.slice(from, Math.max(from, to)) as Row[];
  if (p.reverse) rows.reverse();
  txn.recordRange({ gte, lt });
  if (txn.recordsReads) for (const r of rows) txn.recordRead(r[width + 1] as Uint8Array);
  return rows;
}

/** IndexScan: walks index entries in order and looks up each row. */
export async function* indexScan(p: IndexScanPlan, env: Env): AsyncGenerator<Row[]> {
  const prefixExprs = new CompiledExprs(p.prefix, (e) => env.ctx.planSubquery(e.plan));
  await prefixExprs.prepare([[]], env);
  const prefixVals = prefixExprs.fns.map((f) => f([], env));
  const prefix = keyParts(p.table, p.index.columns.slice(0, prefixVals.length).map((c) => c.column), prefixVals);
  if (!prefix) return yield* emptyRows();
  const lowerParts = evalBound(p, p.lower, env, prefix.length);
  const upperParts = evalBound(p, p.upper, env, prefix.length);
  if (lowerParts === null || upperParts === null) return;
  const base = tagged(KeyTag.INDEX, encodeKey([p.index.id, ...prefix]));
  let gte = base;
  let lt = prefixEnd(base)!;
  if (lowerParts) {
    const k = tagged(KeyTag.INDEX, encodeKey([p.index.id, ...prefix, ...lowerParts]));
    gte = p.lower!.inclusive ? k : prefixEnd(k)!;
  } else if (upperParts) {
    // A range with only an upper bound must still skip NULLs, which sort first.
    gte = prefixEnd(tagged(KeyTag.INDEX, encodeKey([p.index.id, ...prefix, null])))!;
  }
  if (upperParts) {
    const k = tagged(KeyTag.INDEX, encodeKey([p.index.id, ...prefix, ...upperParts]));
    lt = p.upper!.inclusive ? prefixEnd(k)! : k;
  }
  const cached = cachedRange(p, gte, lt, env);
  if (cached) {
    for (let i = 0; i < cached.length; i += 1024) {
      env.ctx.checkCancelled();
      yield cached.slice(i, i + 1024);
    }
    return;
  }
  const cursor = env.ctx.txn.scan({ gte, lt, reverse: p.reverse });
  try {
    for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
      env.ctx.checkCancelled();
      const out: Row[] = [];
      for (let i = 0; i < b.keys.length; i++) {
        const key = indexEntryRowKey(p.table, p.index, b.keys[i]!, b.payloads[i]!);
        const row = fetchRow(env, p.table, key);
        if (row) out.push(row);
      }
      if (out.length > 0) yield out;
    }
  } finally {
    await cursor.close();
  }
}

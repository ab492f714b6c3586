// SeqScan, PkLookup and PkRangeScan: rows of one table, all of them or by primary key.

import { prefixEnd } from '../../storage/bytes.js';
import type { TableDef } from '../../storage/catalog.js';
import { encodeKey, type KeyPart } from '../../storage/key-codec.js';
import { KeyTag, tagged } from '../../storage/keyspace.js';
import type { ScanCursor } from '../../storage/mvcc/merge-scan.js';
import { decodeRow, getRow, keyPart, rowKey, rowKeyValues, tablePrefix } from '../../storage/table-store.js';
import type { KeyBound, PhysicalPlan } from '../../planner/physical.js';
import { CompiledExprs } from '../compile-expr.js';
import type { Env, Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { applyAffinity } from '../value-ops.js';

/** The number of hidden columns every scan emits after the table's: the rowid and the row key. */
const HIDDEN = 2;

/**
 * Fills the hidden columns every scan emits, the rowid (or integer key) and the row key bytes,
 * into the last two slots of a row decoded with room for them (decodeRow's `extra`).
 */
export function withHidden(table: TableDef, values: SqlValue[], key: Uint8Array): Row {
  const n = values.length - HIDDEN;
  let rowid: SqlValue = null;
  if (table.primaryKey.length === 0) rowid = rowKeyValues(key)[0] as SqlValue;
  else if (table.rowidColumn >= 0) rowid = values[table.rowidColumn]!;
  values[n] = rowid;
  values[n + 1] = key;
  return values;
}

/**
 * The row stored under `key` with its hidden columns, from the table cache when it can answer
 * for this snapshot (the read is still recorded), else from storage.
 */
export function fetchRow(env: Env, table: TableDef, key: Uint8Array): Row | undefined {
  const txn = env.ctx.txn;
  const cache = env.ctx.tableCache;
  if (cache && !txn.touchedTables.has(table.id)) {
    const hit = cache.lookup(table.id, txn.snapshotTs, key, table.columns.length + 1);
    if (hit !== undefined) {
      txn.recordRead(key);
      return hit ?? undefined;
    }
  }
  const row = getRow(txn, key, HIDDEN);
  return row ? withHidden(table, row, key) : undefined;
}

/** Rows of a cursor over row keys, decoded. */
export async function* cursorRows(table: TableDef, cursor: ScanCursor, env: Env): AsyncGenerator<Row[]> {
  try {
    for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
      env.ctx.checkCancelled();
      const out: Row[] = new Array(b.keys.length);
      for (let i = 0; i < b.keys.length; i++) out[i] = withHidden(table, decodeRow(b.payloads[i]!, HIDDEN), b.keys[i]!);
      yield out;
    }
  } finally {
    await cursor.close();
  }
}

/** SeqScan: every row in key order, from the table cache when it holds the table as this snapshot sees it. */
export async function* seqScan(p: Extract<PhysicalPlan, { kind: 'SeqScan' }>, env: Env): AsyncGenerator<Row[]> {
  const prefix = tablePrefix(p.table);
  const range = { gte: prefix, lt: prefixEnd(prefix)! };
  const txn = env.ctx.txn;
  const cache = txn.touchedTables.has(p.table.id) ? undefined : env.ctx.tableCache;
  const ts = txn.snapshotTs;
  const cached = cache?.get(p.table.id, ts);
  if (cached) {
    txn.recordRange(range);
    for (let i = 0; i < cached.length; i += 1024) {
      env.ctx.checkCancelled();
      yield cached.slice(i, i + 1024) as Row[];
    }
    return;
  }
  const all: Row[] | undefined = cache ? [] : undefined;
  for await (const batch of cursorRows(p.table, txn.scan(range), env)) {
    if (all) for (const r of batch) all.push(r);
    yield batch;
  }
  // Reached only when the scan ran to the end (a consumer that stops early skips this).
  if (all && !txn.touchedTables.has(p.table.id)) cache!.put(p.table.id, ts, all);
}

/** Key parts for key-column values, converted to the columns' affinities as comparisons would. */
export function keyParts(table: TableDef, columns: readonly number[], values: readonly SqlValue[]): KeyPart[] | undefined {
  const out: KeyPart[] = [];
  for (let i = 0; i < values.length; i++) {
    const col = table.columns[columns[i]!];
    const v = col ? applyAffinity(values[i]!, col.declaredType) : values[i]!;
    if (v === null) return undefined; // NULL never equals a key
    out.push(keyPart(v));
  }
  return out;
}

/** The key columns of a table: its primary key, or the hidden rowid. */
export function keyColumns(table: TableDef): number[] {
  return table.primaryKey.length > 0 ? [...table.primaryKey] : [-1];
}

/** PkLookup: rows by full primary-key tuples. */
export async function* pkLookup(p: Extract<PhysicalPlan, { kind: 'PkLookup' }>, env: Env): AsyncGenerator<Row[]> {
  const cols = keyColumns(p.table);
  const out: Row[] = [];
  const seen = new Set<string>();
  for (const tuple of p.keys) {
    const exprs = new CompiledExprs(tuple, (e) => env.ctx.planSubquery(e.plan));
    await exprs.prepare([[]], env);
    const vals = exprs.fns.map((f) => f([], env));
    const parts = keyParts(p.table, cols, vals);
    if (!parts) continue;
    const key = rowKey(p.table, parts);
    const ks = Buffer.from(key).toString('latin1');
    if (seen.has(ks)) continue;
    seen.add(ks);
    const row = fetchRow(env, p.table, key);
    if (row) out.push(row);
  }
  if (out.length > 0) yield out;
}

/** Encodes a key bound as a range edge over row keys of `table`. */
function edge(table: TableDef, prefix: KeyPart[], bound: KeyBound | undefined, env: Env, cols: number[], low: boolean): { key: Uint8Array; inclusive: boolean } | null | undefined {
  if (!bound) return undefined;
  const exprs = new CompiledExprs(bound.values, (e) => env.ctx.planSubquery(e.plan));
  const vals = exprs.fns.map((f) => f([], env));
  const parts = keyParts(table, cols.slice(prefix.length, prefix.length + vals.length), vals);
  if (!parts) return null;
  const base = tagged(KeyTag.ROW, encodeKey([table.id, ...prefix, ...parts]));
  // Every longer key with this prefix sorts after `base`: an inclusive upper bound or an exclusive
  // lower bound must skip past all of them.
  if ((low && !bound.inclusive) || (!low && bound.inclusive)) return { key: prefixEnd(base)!, inclusive: false };
  return { key: base, inclusive: true };
}

/** PkRangeScan: rows with an equal key prefix and the next key column within bounds. */
export function pkRangeScan(p: Extract<PhysicalPlan, { kind: 'PkRangeScan' }>, env: Env): AsyncGenerator<Row[]> {
  const cols = keyColumns(p.table);
  const exprs = new CompiledExprs(p.prefix, (e) => env.ctx.planSubquery(e.plan));
  const prefixVals = exprs.fns.map((f) => f([], env));
  const prefix = keyParts(p.table, cols, prefixVals);
  if (!prefix) return emptyRows();
  const start = tagged(KeyTag.ROW, encodeKey([p.table.id, ...prefix]));
  const lo = edge(p.table, prefix, p.lower, env, cols, true);
  const hi = edge(p.table, prefix, p.upper, env, cols, false);
  if (lo === null || hi === null) return emptyRows();
  const range = {
    gte: lo === undefined ? start : lo.key,
    lt: hi === undefined ? prefixEnd(start)! : hi.key,
    reverse: p.reverse,
  };
  return cursorRows(p.table, env.ctx.txn.scan(range), env);
}

/** An empty row stream. */
export async function* emptyRows(): AsyncGenerator<Row[]> {}

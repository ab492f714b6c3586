// The key-value table functions (docs/toonql.md §10.3): kv_scan, kv_range and kv_get, whose
// rows are (key, value, expires_at) as SCAN and GET return them, read in the statement's transaction.

import { NamespaceNotFoundError, QueryExecutionError } from '../../errors.js';
import { concatBytes, prefixEnd, utf8 } from '../../storage/bytes.js';
import type { KeyRange } from '../../storage/engine.js';
import { DEFAULT_LIMITS, ROOT_KEY_SPACE, kvKey, namespaceKeySpace } from '../../storage/kv-space.js';
import { formatTimestamp } from '../statements/kv-time.js';
import type { Env, Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { isTruthy } from '../value-ops.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as text when they are valid UTF-8, else as a blob (how key-value bytes read back in SQL). */
export function textOrBlob(b: Uint8Array): SqlValue {
  try {
    return strictUtf8.decode(b);
  } catch {
    return b.slice();
  }
}

/** A key argument as bytes: TEXT as UTF-8, BLOB as is, numbers as their text. */
function keyBytes(v: SqlValue, fn: string, what: string): Uint8Array {
  if (v === null) throw new QueryExecutionError(`${fn}: ${what} must not be NULL`);
  if (v instanceof Float32Array) throw new QueryExecutionError(`${fn}: ${what} cannot be a vector`);
  if (v instanceof Uint8Array) return v;
  return utf8(String(v));
}

/** The key space of a namespace argument (NULL or 'default': the default namespace's). */
function keySpace(env: Env, ns: SqlValue | undefined): Uint8Array {
  if (ns === null || ns === undefined) return ROOT_KEY_SPACE;
  const name = String(ns);
  if (name.toLowerCase() === 'default') return ROOT_KEY_SPACE;
  if (!env.ctx.catalog.namespace(name)) throw new NamespaceNotFoundError(name);
  return namespaceKeySpace(name);
}

/** The row of a stored key, or undefined when it is absent or expired. */
function entryRow(env: Env, space: Uint8Array, key: Uint8Array): Row | undefined {
  const got = env.ctx.txn.get(key);
  if (got === undefined) return undefined;
  return [textOrBlob(key.subarray(space.length)), textOrBlob(got.payload), got.expiresAt !== 0 ? formatTimestamp(got.expiresAt) : null];
}

async function* rangeRows(env: Env, space: Uint8Array, range: KeyRange): AsyncGenerator<Row[]> {
  const cursor = env.ctx.txn.scan(range);
  try {
    for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
      env.ctx.checkCancelled();
      const out: Row[] = [];
      for (const k of b.keys) {
        const row = entryRow(env, space, k);
        if (row) out.push(row);
      }
      if (out.length > 0) yield out;
    }
  } finally {
    await cursor.close();
  }
}

/** kv_scan(prefix [, namespace => n] [, reverse => b]): the keys starting with `prefix`, in key order. */
export function kvScan(args: readonly SqlValue[], env: Env): AsyncGenerator<Row[]> {
  const space = keySpace(env, args[1]);
  const prefix = args[0] === null || args[0] === undefined ? new Uint8Array(0) : keyBytes(args[0], 'kv_scan', 'the prefix');
  const start = concatBytes(space, prefix);
  return rangeRows(env, space, { gte: start, lt: prefixEnd(start)!, reverse: isTruthy(args[2] ?? null) === true });
}

/** kv_range(start, stop [, namespace => n]): the keys from `start` up to, not including, `stop`. */
export function kvRange(args: readonly SqlValue[], env: Env): AsyncGenerator<Row[]> {
  const space = keySpace(env, args[2]);
  const gte = concatBytes(space, keyBytes(args[0] ?? null, 'kv_range', 'start'));
  const lt = concatBytes(space, keyBytes(args[1] ?? null, 'kv_range', 'stop'));
  return rangeRows(env, space, { gte, lt });
}

/** kv_get(key [, namespace]): the key's row, or none (behind the scalar kv_get and kv_exists). */
export async function* kvGet(args: readonly SqlValue[], env: Env): AsyncGenerator<Row[]> {
  const space = keySpace(env, args[1]);
  if (args[0] === null || args[0] === undefined) return;
  const row = entryRow(env, space, kvKey(keyBytes(args[0], 'kv_get', 'the key'), DEFAULT_LIMITS, space));
  if (row) yield [row];
}

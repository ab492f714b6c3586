// PUT, GET, EXISTS, DELETE, SCAN and LIST PATH over a namespace's key-value space (docs/toonql.md §10).

import type { Expression, Identifier, KvDeleteStatement, KvGetStatement, KvListStatement, KvPutStatement, KvScanStatement } from '../../compiler/ast.js';
import { identName } from '../../compiler/binder/scope.js';
import { NamespaceNotFoundError, ValidationError } from '../../errors.js';
import { concatBytes, fromUtf8, prefixEnd, utf8 } from '../../storage/bytes.js';
import type { KeyRange } from '../../storage/engine.js';
import { DEFAULT_LIMITS, MIN_PREFIX_BYTES, ROOT_KEY_SPACE, kvKey, kvValue, normalizePath, ttlKey, writePut } from '../../storage/kv-space.js';
import type { SqlValue } from '../value.js';
import { textOrBlob } from '../operators/kv-functions.js';
import { formatTimestamp, parseTimestampMs } from './kv-time.js';
import { namespaceKvPrefix, optionValues } from './collection.js';
import { countResult, evaluateConstants, type StatementContext, type StatementResult } from './context.js';


/** The engine-key prefix of a namespace's key-value space (the default one when unnamed). */
function keySpace(sc: StatementContext, ns: Identifier | undefined): Uint8Array {
  if (ns === undefined) return ROOT_KEY_SPACE;
  const name = identName(ns);
  if (name.toLowerCase() === 'default') return ROOT_KEY_SPACE;
  if (!sc.catalog.namespace(name)) throw new NamespaceNotFoundError(name);
  return namespaceKvPrefix(name);
}

/** A key or value as bytes: TEXT as UTF-8, BLOB as is, numbers as their text (§10.2). */
function bytesOf(v: SqlValue, what: 'key' | 'value'): Uint8Array {
  if (v === null) throw new ValidationError(`a ${what} must not be NULL`);
  if (typeof v === 'string') return utf8(v);
  if (v instanceof Float32Array) throw new ValidationError(`a vector cannot be a ${what}`);
  if (v instanceof Uint8Array) return v;
  return utf8(String(v));
}

function keyOf(space: Uint8Array, v: SqlValue, path: boolean): Uint8Array {
  const raw = path ? utf8(normalizePath(typeof v === 'string' ? v : String(v))) : bytesOf(v, 'key');
  return kvKey(raw, DEFAULT_LIMITS, space);
}

/** Runs PUT: every pair in one write, with one expiry for all. */
export async function kvPut(sc: StatementContext, stmt: KvPutStatement): Promise<StatementResult> {
  const space = keySpace(sc, stmt.namespace);
  const opts = optionValues(stmt.options);
  const vals = await evaluateConstants(sc, stmt.pairs.flatMap((p) => [p.key, p.value]));
  let expiresAt = 0;
  for (const [name, v] of opts) {
    if (name === 'ttl_seconds' || name === 'ttl_ms') {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new ValidationError(`${name} must be a non-negative number, got ${String(v)}`);
      expiresAt = n === 0 ? 0 : sc.now.getTime() + (name === 'ttl_ms' ? n : n * 1000);
    } else if (name === 'expires_at') {
      expiresAt = parseTimestampMs(String(v));
    } else {
      throw new ValidationError(`unknown PUT option ${name} (use ttl_seconds, ttl_ms or expires_at)`);
    }
  }
  const writes: [Uint8Array, Uint8Array][] = [];
  for (let i = 0; i < stmt.pairs.length; i++) {
    writes.push([keyOf(space, vals[2 * i]!, stmt.path), kvValue(bytesOf(vals[2 * i + 1]!, 'value'), DEFAULT_LIMITS)]);
  }
  for (const [k, v] of writes) {
    // An overwritten key's old TTL entry goes, so the purge never deletes the new value.
    const old = sc.txn.probe(k);
    if (old && old.expiresAt !== 0) sc.txn.delete(ttlKey(old.expiresAt, k));
    writePut(sc.txn, k, v, expiresAt);
  }
  return countResult(writes.length);
}

/** Runs GET and EXISTS: one row per requested key, in request order. */
export async function kvGet(sc: StatementContext, stmt: KvGetStatement): Promise<StatementResult> {
  const space = keySpace(sc, stmt.namespace);
  const vals = await evaluateConstants(sc, stmt.keys);
  const rows: SqlValue[][] = vals.map((v) => {
    const k = keyOf(space, v, stmt.path);
    const got = sc.txn.get(k);
    const key = textOrBlob(k.subarray(space.length));
    if (stmt.mode === 'exists') return [key, got === undefined ? 0 : 1];
    return [key, got === undefined ? null : textOrBlob(got.payload), got && got.expiresAt !== 0 ? formatTimestamp(got.expiresAt) : null];
  });
  return stmt.mode === 'exists'
    ? { columns: ['key', 'found'], columnTypes: ['any', 'boolean'], rows, rowsAffected: 0, lastInsertId: null }
    : { columns: ['key', 'value', 'expires_at'], columnTypes: ['any', 'any', 'timestamp'], rows, rowsAffected: 0, lastInsertId: null };
}

/** Runs DELETE of keys, paths or a prefix; `changes` counts the keys that existed. */
export async function kvDelete(sc: StatementContext, stmt: KvDeleteStatement): Promise<StatementResult> {
  const space = keySpace(sc, stmt.namespace);
  if (stmt.prefix) {
    const [p] = await evaluateConstants(sc, [stmt.prefix]);
    const prefix = bytesOf(p ?? null, 'key');
    if (prefix.length < MIN_PREFIX_BYTES) throw new ValidationError(`DELETE PREFIX needs a prefix of at least ${MIN_PREFIX_BYTES} bytes`);
    let n = 0;
    await eachEntry(sc, prefixRange(space, prefix), (k) => {
      removeKey(sc, k);
      n++;
      return true;
    });
    return countResult(n);
  }
  const vals = await evaluateConstants(sc, stmt.keys);
  let n = 0;
  for (const v of vals) if (removeKey(sc, keyOf(space, v, stmt.path))) n++;
  return countResult(n);
}

function removeKey(sc: StatementContext, k: Uint8Array): boolean {
  const old = sc.txn.get(k);
  if (old === undefined) return false;
  if (old.expiresAt !== 0) sc.txn.delete(ttlKey(old.expiresAt, k));
  sc.txn.delete(k);
  return true;
}

function prefixRange(space: Uint8Array, prefix: Uint8Array): KeyRange {
  const start = concatBytes(space, prefix);
  return { gte: start, lt: prefixEnd(start)! };
}

/** Calls `fn` for each live key in the range (in order); stops when it returns false. */
async function eachEntry(sc: StatementContext, range: KeyRange, fn: (key: Uint8Array, payload: Uint8Array) => boolean): Promise<void> {
  const cursor = sc.txn.scan(range);
  try {
    for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
      sc.signal?.throwIfAborted();
      for (let i = 0; i < b.keys.length; i++) if (!fn(b.keys[i]!, b.payloads[i]!)) return;
    }
  } finally {
    await cursor.close();
  }
}

/** Runs SCAN: key, value and expires_at in key order (or reverse), paged with AFTER and LIMIT. */
export async function kvScan(sc: StatementContext, stmt: KvScanStatement): Promise<StatementResult> {
  const space = keySpace(sc, stmt.namespace);
  const exprs = [stmt.prefix, stmt.from, stmt.to, stmt.after, stmt.limit].filter((e): e is Expression => e !== undefined);
  const vals = await evaluateConstants(sc, exprs);
  let i = 0;
  const next = () => vals[i++]!;
  let range: KeyRange;
  if (stmt.prefix) {
    const prefix = bytesOf(next(), 'key');
    if (prefix.length < MIN_PREFIX_BYTES) throw new ValidationError(`SCAN PREFIX needs a prefix of at least ${MIN_PREFIX_BYTES} bytes (SCAN ALL scans everything)`);
    range = prefixRange(space, prefix);
  } else if (stmt.from) {
    range = { gte: concatBytes(space, bytesOf(next(), 'key')), lt: concatBytes(space, bytesOf(next(), 'key')) };
  } else {
    range = { gte: space, lt: prefixEnd(space)! };
  }
  if (stmt.after) {
    const after = concatBytes(space, bytesOf(next(), 'key'));
    if (stmt.reverse) range = { gte: range.gte, lt: after };
    else range = { gt: after, lt: range.lt };
  }
  let limit = Infinity;
  if (stmt.limit) {
    const n = Number(next());
    if (!Number.isInteger(n) || n < 0) throw new ValidationError('SCAN … LIMIT needs a non-negative integer');
    limit = n;
  }
  const rows: SqlValue[][] = [];
  if (limit > 0) {
    await eachEntry(sc, { ...range, reverse: stmt.reverse, ...(Number.isFinite(limit) ? { limit } : {}) }, (k, payload) => {
      const stored = sc.txn.get(k);
      rows.push([textOrBlob(k.subarray(space.length)), textOrBlob(payload), stored && stored.expiresAt !== 0 ? formatTimestamp(stored.expiresAt) : null]);
      return rows.length < limit;
    });
  }
  return { columns: ['key', 'value', 'expires_at'], columnTypes: ['any', 'any', 'timestamp'], rows, rowsAffected: 0, lastInsertId: null };
}

/** Runs LIST PATH: the distinct child names under a path, sorted. */
export async function kvList(sc: StatementContext, stmt: KvListStatement): Promise<StatementResult> {
  const space = keySpace(sc, stmt.namespace);
  const [p] = await evaluateConstants(sc, [stmt.path]);
  const base = normalizePath(p === null || p === undefined ? '' : String(p), true);
  const prefix = concatBytes(space, utf8(base === '' ? '' : `${base}/`));
  const names = new Set<string>();
  await eachEntry(sc, { gte: prefix, lt: prefixEnd(prefix)! }, (k) => {
    const rest = fromUtf8(k.subarray(prefix.length));
    const child = rest.split('/')[0]!;
    if (child !== '') names.add(child);
    return true;
  });
  return { columns: ['name'], columnTypes: ['text'], rows: [...names].sort().map((n) => [n]), rowsAffected: 0, lastInsertId: null };
}

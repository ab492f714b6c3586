// The key-value surface shared by Database, Transaction and Snapshot: get/put/delete, paths, TTL, scans.

import { ValidationError } from '../errors.js';
import { concatBytes, fromUtf8, prefixEnd, toBytes, utf8, type BytesLike } from '../storage/bytes.js';
import type { KeyRange } from '../storage/engine.js';
import type { ScanBatch, ScanCursor } from '../storage/mvcc/merge-scan.js';
import type { WriteSink } from '../storage/mvcc/store.js';
import { view, type StoredValue } from '../storage/value-format.js';
import { DEFAULT_LIMITS, MIN_PREFIX_BYTES, ROOT_KEY_SPACE, kvKey, kvValue, normalizePath, parseTtlKey, ttlKey, writePut, type KvLimits } from '../storage/kv-space.js';

export { DEFAULT_LIMITS, ROOT_KEY_SPACE, kvKey, kvValue, normalizePath, parseTtlKey, ttlKey, writePut, type KvLimits };

/** A key with its value, as scans yield them: `for await (const [key, value] of db.scanPrefix('users/'))`. */
export type KvPair = [key: Uint8Array, value: Uint8Array];

/** Options of put(). */
export interface PutOptions {
  /** Seconds until the key expires; 0 or absent: never. */
  readonly ttlSeconds?: number;
}

/** Options of the scan methods. */
export interface ScanOptions {
  /** Iterate from the last key down. */
  readonly reverse?: boolean;
  /** Stop after this many entries. */
  readonly limit?: number;
  /** Entries fetched from storage per round trip (scanBatched, scanStream). */
  readonly batchSize?: number;
}

const SLASH = 0x2f;

/** The absolute expiry (Unix ms) for a ttlSeconds option; 0 means never. */
export function expiryFor(options: PutOptions | undefined): number {
  const ttl = options?.ttlSeconds;
  if (ttl === undefined || ttl === 0) return 0;
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0) {
    throw new ValidationError(`ttlSeconds must be a non-negative number, got ${String(ttl)}`);
  }
  return Date.now() + ttl * 1000;
}

/** Key-value reads, implemented once over two primitives that each kind of reader supplies. */
export abstract class KvReader {
  protected abstract readonly limits: KvLimits;
  /**
   * The engine-key prefix of this reader's keys: the default namespace's tag, or a namespace's
   * tag and name (docs/storage-format.md). Keys are handed out without it.
   */
  protected readonly keySpace: Uint8Array = ROOT_KEY_SPACE;
  /** Reads an engine key as of this reader's view. */
  protected abstract kvGet(engineKey: Uint8Array): StoredValue | undefined;
  /** Scans engine keys as of this reader's view. */
  protected abstract kvScan(range: KeyRange): ScanCursor;

  /** The value of `key`, or null. */
  async get(key: BytesLike): Promise<Uint8Array | null> {
    return this.kvGet(kvKey(key, this.limits, this.keySpace))?.payload ?? null;
  }

  /** True when `key` has a live value. */
  async exists(key: BytesLike): Promise<boolean> {
    return this.kvGet(kvKey(key, this.limits, this.keySpace)) !== undefined;
  }

  /** The values of `keys`, in order (null where absent), from one consistent view. */
  async getBatch(keys: readonly BytesLike[]): Promise<(Uint8Array | null)[]> {
    const eks = keys.map((k) => kvKey(k, this.limits, this.keySpace));
    return eks.map((ek) => this.kvGet(ek)?.payload ?? null);
  }

  /** The value stored at a path, or null. */
  async getPath(path: string): Promise<Uint8Array | null> {
    return this.get(normalizePath(path));
  }

  /** The names of the children of a path (like a directory listing), sorted. */
  async listPath(path: string): Promise<string[]> {
    const base = normalizePath(path, true);
    const prefix = concatBytes(this.keySpace, utf8(base === '' ? '' : `${base}/`));
    const end = prefixEnd(prefix)!;
    const names = new Set<string>();
    let range: KeyRange = { gte: prefix, lt: end, limit: 1 };
    // One seek per child: after a key inside a child's subtree, jump past the whole subtree.
    for (;;) {
      const cursor = this.kvScan(range);
      const next = (await cursor.nextBatch()).keys[0];
      await cursor.close();
      if (next === undefined) return [...names].sort();
      const rest = next.subarray(prefix.length);
      const slash = rest.indexOf(SLASH);
      const child = slash < 0 ? rest : rest.subarray(0, slash);
      if (child.length > 0) names.add(fromUtf8(child));
      // A leaf "c" is followed by siblings like "c-x" (bytes below '/') before its subtree "c/…",
      // so from a leaf step to the next key; from inside "c/…" skip to "c0" ('0' follows '/').
      range =
        slash < 0
          ? { gt: next, lt: end, limit: 1 }
          : { gte: concatBytes(prefix, child, Uint8Array.of(SLASH + 1)), lt: end, limit: 1 };
    }
  }

  /** Iterates the keys starting with `prefix` (at least 2 bytes, so no scan covers everything by accident). */
  scanPrefix(prefix: BytesLike, options: ScanOptions = {}): AsyncIterableIterator<KvPair> {
    const p = toBytes(prefix, 'prefix');
    if (p.length < MIN_PREFIX_BYTES) {
      throw new ValidationError(`prefix must be at least ${MIN_PREFIX_BYTES} bytes, got ${p.length}`, {
        remediation: 'Use a longer prefix, or scanPrefixUnchecked for a deliberate full scan.',
      });
    }
    return this.scanPrefixUnchecked(p, options);
  }

  /** Iterates the keys starting with `prefix`, any length, including the empty prefix (a full scan). */
  scanPrefixUnchecked(prefix: BytesLike, options: ScanOptions = {}): AsyncIterableIterator<KvPair> {
    const p = concatBytes(this.keySpace, toBytes(prefix, 'prefix'));
    return this.pairs({ gte: p, lt: prefixEnd(p)!, reverse: options.reverse, limit: options.limit });
  }

  /** Iterates keys in [start, end). */
  scanRange(start: BytesLike, end: BytesLike, options: ScanOptions = {}): AsyncIterableIterator<KvPair> {
    const s = concatBytes(this.keySpace, toBytes(start, 'start'));
    const e = concatBytes(this.keySpace, toBytes(end, 'end'));
    return this.pairs({ gte: s, lt: e, reverse: options.reverse, limit: options.limit });
  }

  /** Like scanPrefix; storage is read `batchSize` entries per round trip. */
  scanBatched(prefix: BytesLike, options: ScanOptions = {}): AsyncIterableIterator<KvPair> {
    return this.scanPrefix(prefix, options);
  }

  /** Yields arrays of up to `batchSize` pairs, so a consumer can process and release one batch at a time. */
  async *scanStream(prefix: BytesLike, options: ScanOptions = {}): AsyncGenerator<KvPair[]> {
    const size = options.batchSize ?? 1000;
    if (!Number.isInteger(size) || size <= 0) throw new ValidationError('batchSize must be a positive integer');
    let batch: KvPair[] = [];
    for await (const pair of this.scanPrefix(prefix, options)) {
      batch.push(pair);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  private pairs(range: KeyRange): AsyncIterableIterator<KvPair> {
    if (range.limit !== undefined && (!Number.isInteger(range.limit) || range.limit < 0)) {
      throw new ValidationError('limit must be a non-negative integer');
    }
    const skip = this.keySpace.length;
    return cursorIterator(this.kvScan(range), (key, payload) => [view(key, skip), payload]);
  }
}

/**
 * Adapts a batched cursor to an async iterator without an async generator per row: rows are
 * handed out from the current batch, and `return()` (a `break` in for-await) closes the cursor.
 */
export function cursorIterator<T>(
  cursor: ScanCursor,
  map: (key: Uint8Array, payload: Uint8Array) => T,
): AsyncIterableIterator<T> {
  let batch: ScanBatch = { keys: [], payloads: [] };
  let i = 0;
  let done = false;
  const finish = async (): Promise<IteratorResult<T>> => {
    done = true;
    await cursor.close();
    return { value: undefined, done: true };
  };
  const refill = async (): Promise<IteratorResult<T>> => {
    if (done) return { value: undefined, done: true };
    try {
      batch = await cursor.nextBatch();
    } catch (err) {
      await finish();
      throw err;
    }
    if (batch.keys.length === 0) return finish();
    i = 1;
    return { value: map(batch.keys[0]!, batch.payloads[0]!), done: false };
  };
  const it: AsyncIterableIterator<T> = {
    // Rows of the current batch are handed out without an async function frame per row.
    next(): Promise<IteratorResult<T>> {
      if (i < batch.keys.length) {
        const j = i++;
        return Promise.resolve({ value: map(batch.keys[j]!, batch.payloads[j]!), done: false });
      }
      return refill();
    },
    return: finish,
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}

/** Key-value writes, implemented once over one primitive: apply a change to a storage transaction. */
export abstract class KvReadWriter extends KvReader {
  /** Runs `change` in this writer's transaction (the caller's, or a fresh autocommit one). */
  protected abstract kvWrite(change: (sink: WriteSink) => void): Promise<void>;

  /** Stores `value` under `key`, optionally expiring after `ttlSeconds`. */
  async put(key: BytesLike, value: BytesLike, options?: PutOptions): Promise<void> {
    const ek = kvKey(key, this.limits, this.keySpace);
    const v = kvValue(value, this.limits);
    const exp = expiryFor(options);
    await this.kvWrite((txn) => writePut(txn, ek, v, exp));
  }

  /** Deletes `key` (no error when absent). */
  async delete(key: BytesLike): Promise<void> {
    const ek = kvKey(key, this.limits, this.keySpace);
    await this.kvWrite((txn) => txn.delete(ek));
  }

  /** Stores many pairs atomically. */
  async putBatch(pairs: readonly (readonly [BytesLike, BytesLike])[], options?: PutOptions): Promise<void> {
    if (!Array.isArray(pairs)) throw new ValidationError('putBatch expects an array of [key, value] pairs');
    const exp = expiryFor(options);
    // Everything is validated before anything is written, so a bad item changes nothing.
    const n = pairs.length;
    const keys = new Array<Uint8Array>(n);
    const values = new Array<Uint8Array>(n);
    for (let i = 0; i < n; i++) {
      const p = pairs[i];
      if (!Array.isArray(p) || p.length !== 2) throw new ValidationError(`putBatch item ${i} is not a [key, value] pair`);
      keys[i] = kvKey(p[0], this.limits, this.keySpace);
      values[i] = kvValue(p[1], this.limits);
    }
    await this.kvWrite((txn) => {
      for (let i = 0; i < n; i++) writePut(txn, keys[i]!, values[i]!, exp);
    });
  }

  /** Deletes many keys atomically. */
  async deleteBatch(keys: readonly BytesLike[]): Promise<void> {
    const eks = keys.map((k) => kvKey(k, this.limits, this.keySpace));
    await this.kvWrite((txn) => {
      for (const k of eks) txn.delete(k);
    });
  }

  /** Stores a value at a path ("users/alice/name"). */
  async putPath(path: string, value: BytesLike, options?: PutOptions): Promise<void> {
    await this.put(normalizePath(path), value, options);
  }

  /** Deletes the value at a path. */
  async deletePath(path: string): Promise<void> {
    await this.delete(normalizePath(path));
  }
}

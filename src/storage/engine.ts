// The storage seam: the one narrow interface between ToonDB and an ordered key-value engine.
//
// Everything above src/storage/ reaches bytes on disk only through KVEngine. An engine stores
// byte-string keys in memcmp order and knows nothing of transactions, types or tables: MVCC,
// TTL, the catalog and the key layout all live above it (see docs/storage-format.md).
//
// Contract, checked for every engine by test/storage/engine-conformance.test.ts:
//   - Keys are non-empty Uint8Arrays ordered bytewise; values are Uint8Arrays (possibly empty).
//   - get/getMany are synchronous and see every write whose promise has resolved.
//   - write() applies a batch atomically: after a crash either every operation of it is present
//     or none is. With { sync: true } the batch is on stable storage when the promise resolves.
//   - An iterator reads from an implicit snapshot taken synchronously when iterate() is called:
//     writes made after that moment are never seen by it.
//   - snapshot() returns an explicit read view with the same guarantee for get and iterate.
//   - Returned Uint8Arrays (possibly Buffers) belong to the caller; the engine never reuses them.

/** One operation of an atomic write batch. */
export type WriteOp =
  | { readonly type: 'put'; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly type: 'del'; readonly key: Uint8Array };

/** A key range for iteration. Bounds are optional; `gte`/`gt` and `lte`/`lt` are exclusive pairs. */
export interface KeyRange {
  readonly gte?: Uint8Array;
  readonly gt?: Uint8Array;
  readonly lte?: Uint8Array;
  readonly lt?: Uint8Array;
  /** Iterate from the high end of the range down. */
  readonly reverse?: boolean;
  /** Stop after this many entries (-1 or absent: no limit). */
  readonly limit?: number;
}

/** One key with its value, as a pair (the shape LevelDB's batched iteration yields, so no copy is made). */
export type Entry = readonly [key: Uint8Array, value: Uint8Array];

/** An ordered cursor over a range, read in batches to amortize the cost of crossing into the engine. */
export interface EngineIterator {
  /** Returns up to `size` next entries; an empty array means the range is exhausted. */
  nextBatch(size: number): Promise<Entry[]>;
  /** Releases the iterator and its implicit snapshot. Idempotent. Must be called even after exhaustion. */
  close(): Promise<void>;
}

/** A consistent read-only view of the engine at one moment. */
export interface EngineSnapshot {
  get(key: Uint8Array): Uint8Array | undefined;
  iterate(range: KeyRange): EngineIterator;
  /** Releases the snapshot. Idempotent. */
  close(): Promise<void>;
}

/** Options for write(). */
export interface WriteOptions {
  /** Flush to stable storage (fsync) before resolving. */
  readonly sync: boolean;
}

/** Puts kept packed by their writer: entry i is key(i) → value(i), made into views on demand. */
export interface PackedPuts {
  readonly length: number;
  key(i: number): Uint8Array;
  value(i: number): Uint8Array;
  /** Bytes of every key and value. */
  bytes(): number;
}

/** Part of a batch: operations, then packed puts (a bulk load's, with no object per write). */
export interface WriteSource {
  readonly ops: readonly WriteOp[];
  readonly packed?: PackedPuts | undefined;
}

/** A source's writes as operations (packed puts made into views): for engines that want an array. */
export function sourceOps(w: WriteSource): WriteOp[] {
  const out = [...w.ops];
  const p = w.packed;
  if (p) for (let i = 0; i < p.length; i++) out.push({ type: 'put', key: p.key(i), value: p.value(i) });
  return out;
}

/** An ordered byte-key store. See the contract at the top of this file. */
export interface KVEngine {
  /** A short name for diagnostics ("memory", "leveldb"). */
  readonly kind: string;
  /** Opens the store. Rejects with DatabaseError code DATABASE_LOCKED if another process holds it. */
  open(): Promise<void>;
  /** Closes the store; pending writes are completed first. Idempotent. */
  close(): Promise<void>;
  /** The value of `key`, or undefined. */
  get(key: Uint8Array): Uint8Array | undefined;
  /** The values of `keys`, in order, undefined where absent. */
  getMany(keys: readonly Uint8Array[]): (Uint8Array | undefined)[];
  /** Applies `ops` atomically (later operations on the same key win). */
  write(ops: readonly WriteOp[], options: WriteOptions): Promise<void>;
  /** Applies every part of `sources`, in order, as one atomic batch (as write() does). */
  writeSources(sources: readonly WriteSource[], options: WriteOptions): Promise<void>;
  /** An iterator over `range`, with an implicit snapshot taken now. */
  iterate(range: KeyRange): EngineIterator;
  /** An explicit snapshot taken now. */
  snapshot(): EngineSnapshot;
  /** Compacts the whole store, reclaiming space from deleted and overwritten keys. */
  compact(): Promise<void>;
  /** Approximate bytes stored in a key range (0 when the engine cannot tell). */
  approximateSize(start: Uint8Array, end: Uint8Array): Promise<number>;
}

/** Validates a range's bounds for engines that need normalized ones. */
export function rangeBounds(range: KeyRange): {
  lower: Uint8Array | undefined;
  lowerInclusive: boolean;
  upper: Uint8Array | undefined;
  upperInclusive: boolean;
} {
  return {
    lower: range.gte ?? range.gt,
    lowerInclusive: range.gte !== undefined,
    upper: range.lte ?? range.lt,
    upperInclusive: range.lte !== undefined,
  };
}

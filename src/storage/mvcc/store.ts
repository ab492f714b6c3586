// The MVCC store: versioned reads over a single-version engine, commit validation, group commit, and GC.
//
// Design (docs/storage-format.md, "Versions"): the engine holds the newest committed value of every
// key. Versions that some open reader may still need live in memory, in `history`: for each key
// written by a commit that not every reader sees yet, the chain of (commitTs, value) plus the
// value before the chain (`base`). A reader at start timestamp S sees, for a key with history, the
// newest version with ts <= S (or the base), and for any other key the engine's value. Because
// the engine is only ever read synchronously, or through an iterator whose implicit snapshot is
// taken in the same tick as the history overlay is collected, what a reader sees never changes
// under it. Nothing above the seam depends on engine snapshots, so any KVEngine can carry this.
//
// Commits are validated and stamped synchronously (one JavaScript turn: no interleaving), then
// written through a queue that folds concurrent commits into one engine batch (group commit).
// A commit record stays in `log` while a reader older than it is open; those records are what
// validation checks a committing transaction's reads and writes against.

import { DatabaseError, TransactionConflictError } from '../../errors.js';
import { keyString } from '../bytes.js';
import type { KVEngine, KeyRange, WriteOp } from '../engine.js';
import { HybridLogicalClock } from '../hlc.js';
import { MetaKey } from '../keyspace.js';
import { mergeScan, type ScanEntry } from './merge-scan.js';

/** Isolation levels, strongest first. */
export type IsolationLevel = 'serializable' | 'snapshot' | 'read_committed';

/** How commits reach stable storage. */
export type SyncMode = 'full' | 'normal' | 'off';

/** A write buffered in a transaction: the engine-format value, or null for a delete. */
export interface PendingWrite {
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
}

/** A half-open or closed interval of binary-string keys read by a scan (for phantom detection). */
export interface ReadInterval {
  readonly lo: string | undefined;
  readonly loInclusive: boolean;
  readonly hi: string | undefined;
  readonly hiInclusive: boolean;
}

/** What commit() needs to know about a transaction. */
export interface CommitRequest {
  readonly startTs: number;
  readonly isolation: IsolationLevel;
  readonly writes: ReadonlyMap<string, PendingWrite>;
  readonly reads: ReadonlySet<string>;
  readonly ranges: readonly ReadInterval[];
}

interface Version {
  readonly ts: number;
  readonly value: Uint8Array | null;
}

const UNKNOWN = Symbol('unknown base');

interface KeyHistory {
  /** The value before the first version; UNKNOWN when no reader could need it. */
  base: Uint8Array | null | typeof UNKNOWN;
  versions: Version[];
}

interface CommitRecord {
  readonly ts: number;
  readonly keySet: ReadonlySet<string>;
  /** The written keys, sorted, for range checks. Built lazily. */
  sorted: string[] | undefined;
  flushed: boolean;
}

interface QueuedWrite {
  readonly ops: WriteOp[];
  readonly sync: boolean;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/** Counters reported by Database.stats(). */
export interface StoreCounters {
  committed: number;
  aborted: number;
  conflicts: number;
  bytesRead: number;
  bytesWritten: number;
}

/** Options of the MVCC store. */
export interface MvccStoreOptions {
  readonly syncMode: SyncMode;
  /** Highest timestamp issued before (read from disk at open). */
  readonly clockFloor: number;
}

/** Versioned, transactional access to a KVEngine. One per open database. */
export class MvccStore {
  readonly clock: HybridLogicalClock;
  readonly counters: StoreCounters = { committed: 0, aborted: 0, conflicts: 0, bytesRead: 0, bytesWritten: 0 };
  private readonly history = new Map<string, KeyHistory>();
  private readonly log: CommitRecord[] = [];
  private logHead = 0;
  private readonly readers = new Map<number, number>();
  private readerCount = 0;
  private minReaderCache: number | undefined;
  private visibleTs: number;
  private queue: QueuedWrite[] = [];
  private writing: Promise<void> | undefined;
  private failure: unknown;
  private unsyncedWrites = false;

  constructor(
    readonly engine: KVEngine,
    private readonly options: MvccStoreOptions,
  ) {
    this.clock = new HybridLogicalClock(options.clockFloor);
    this.visibleTs = options.clockFloor;
  }

  /** The timestamp a reader starting now reads at: the newest registered commit. */
  get currentTs(): number {
    return this.visibleTs;
  }

  /** Number of open readers (transactions and snapshots). */
  get activeReaders(): number {
    return this.readerCount;
  }

  /** Number of keys with versions held in memory (for tests of GC). */
  get historySize(): number {
    return this.history.size;
  }

  /** Number of commit records retained for validation (for tests of GC). */
  get logSize(): number {
    return this.log.length - this.logHead;
  }

  /** Registers a reader at the current timestamp; pair with endRead. */
  beginRead(): number {
    this.checkHealthy();
    const ts = this.visibleTs;
    this.readers.set(ts, (this.readers.get(ts) ?? 0) + 1);
    this.readerCount++;
    if (this.minReaderCache === undefined || ts < this.minReaderCache) this.minReaderCache = ts;
    return ts;
  }

  /** Unregisters a reader and lets GC reclaim versions only it could see. */
  endRead(ts: number): void {
    const n = this.readers.get(ts);
    if (n === undefined) return;
    if (n === 1) {
      this.readers.delete(ts);
      if (ts === this.minReaderCache) this.minReaderCache = undefined;
    } else this.readers.set(ts, n - 1);
    this.readerCount--;
    this.collectGarbage();
  }

  private minReader(): number {
    if (this.readerCount === 0) return Infinity;
    if (this.minReaderCache === undefined) {
      let m = Infinity;
      for (const ts of this.readers.keys()) if (ts < m) m = ts;
      this.minReaderCache = m;
    }
    return this.minReaderCache;
  }

  /** The engine-format value of `key` as of `ts`, or undefined. Synchronous. */
  readAt(key: Uint8Array, ks: string, ts: number): Uint8Array | undefined {
    this.checkHealthy();
    const h = this.history.size === 0 ? undefined : this.history.get(ks);
    if (h !== undefined) return visible(h, ts) ?? undefined;
    const v = this.engine.get(key);
    if (v !== undefined) this.counters.bytesRead += v.length;
    return v;
  }

  /**
   * Merged scan as of `ts`: the engine, the in-memory versions, and `own` (a transaction's
   * buffered writes, which win). Yields live entries in key order (or reverse); deletes are skipped.
   */
  scanAt(range: KeyRange, ts: number, own: ReadonlyMap<string, PendingWrite> | undefined): AsyncGenerator<ScanEntry> {
    this.checkHealthy();
    // Collect the overlay and open the engine iterator in the same turn: together they are one snapshot.
    const overlay: { ks: string; key: Uint8Array; value: Uint8Array | null }[] = [];
    const inRange = rangeTest(range);
    const seen = own && own.size > 0 ? new Set<string>() : undefined;
    if (own) {
      for (const [ks, w] of own) {
        if (!inRange(ks)) continue;
        overlay.push({ ks, key: w.key, value: w.value });
        seen!.add(ks);
      }
    }
    for (const [ks, h] of this.history) {
      if (!inRange(ks) || seen?.has(ks)) continue;
      const v = visible(h, ts);
      overlay.push({ ks, key: keyBytesOf(ks), value: v });
    }
    overlay.sort((a, b) => (a.ks < b.ks ? -1 : a.ks > b.ks ? 1 : 0));
    if (range.reverse) overlay.reverse();
    const engineRange: KeyRange = { ...range, limit: undefined };
    const it = this.engine.iterate(engineRange);
    return mergeScan(it, overlay, range, (n) => (this.counters.bytesRead += n));
  }

  /**
   * Validates and commits a transaction: returns the commit timestamp once the writes are
   * durable per the sync mode. Throws TransactionConflictError (nothing written) on conflict.
   */
  async commit(req: CommitRequest, readerRegistered: boolean): Promise<number> {
    this.checkHealthy();
    if (req.writes.size === 0) {
      this.counters.committed++;
      return req.startTs;
    }
    const conflict = this.findConflict(req);
    if (conflict !== undefined) {
      this.counters.aborted++;
      this.counters.conflicts++;
      throw new TransactionConflictError(conflict);
    }
    const ts = this.clock.now();
    const keySet = new Set(req.writes.keys());
    const record: CommitRecord = { ts, keySet, sorted: undefined, flushed: false };
    this.log.push(record);
    // Some other open reader may still need the value each key had before this commit.
    const othersReading = this.readerCount - (readerRegistered ? 1 : 0) > 0;
    const ops: WriteOp[] = [];
    for (const [ks, w] of req.writes) {
      let h = this.history.get(ks);
      if (h === undefined) {
        h = { base: othersReading ? (this.engine.get(w.key) ?? null) : UNKNOWN, versions: [] };
        this.history.set(ks, h);
      }
      h.versions.push({ ts, value: w.value });
      if (w.value === null) ops.push({ type: 'del', key: w.key });
      else {
        ops.push({ type: 'put', key: w.key, value: w.value });
        this.counters.bytesWritten += w.key.length + w.value.length;
      }
    }
    ops.push({ type: 'put', key: MetaKey.CLOCK, value: encodeTs(ts) });
    this.visibleTs = ts;
    try {
      await this.enqueue(ops, this.options.syncMode === 'full');
    } catch (err) {
      // The engine failed mid-commit. Readers may have seen this commit's versions, so the only
      // safe state is a closed one: refuse further work until the database is reopened.
      this.failure = err;
      throw new DatabaseError('commit failed: the write could not be stored; reopen the database', { cause: err });
    }
    record.flushed = true;
    this.counters.committed++;
    this.collectGarbage();
    return ts;
  }

  /** Counts an aborted transaction. */
  noteAbort(): void {
    this.counters.aborted++;
  }

  /** Writes the engine batch after every batch queued before it, folding queued batches together. */
  private enqueue(ops: WriteOp[], sync: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ops, sync, resolve, reject });
      if (!this.writing) this.writing = this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      const ops = group.length === 1 ? group[0]!.ops : group.flatMap((g) => g.ops);
      const sync = group.some((g) => g.sync);
      try {
        await this.engine.write(ops, { sync });
        if (!sync) this.unsyncedWrites = true;
        for (const g of group) g.resolve();
      } catch (err) {
        for (const g of group) g.reject(err);
      }
    }
    this.writing = undefined;
  }

  /** Waits for queued commits, then forces everything written to stable storage. */
  async sync(): Promise<void> {
    this.checkHealthy();
    await this.enqueue([{ type: 'put', key: MetaKey.SYNC_MARK, value: encodeTs(this.visibleTs) }], true);
    this.unsyncedWrites = false;
  }

  /** True when some commit since the last sync was written without fsync. */
  get hasUnsyncedWrites(): boolean {
    return this.unsyncedWrites;
  }

  /** Waits until every queued engine write has finished. */
  async quiesce(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private checkHealthy(): void {
    if (this.failure !== undefined) {
      throw new DatabaseError('the database stopped after a failed write; reopen it', { cause: this.failure });
    }
  }

  /** Returns a conflict description, or undefined when the transaction may commit. */
  private findConflict(req: CommitRequest): string | undefined {
    if (req.isolation === 'read_committed') return undefined;
    for (let i = this.log.length - 1; i >= this.logHead; i--) {
      const rec = this.log[i]!;
      if (rec.ts <= req.startTs) break;
      if (req.isolation === 'snapshot') {
        const k = firstShared(req.writes, rec.keySet);
        if (k !== undefined) return `write-write conflict on key ${printable(k)}: another transaction committed it first`;
        continue;
      }
      const k = firstShared(req.reads, rec.keySet);
      if (k !== undefined) return `serialization failure: key ${printable(k)} was read, then changed by a concurrent commit`;
      if (req.ranges.length > 0) {
        rec.sorted ??= [...rec.keySet].sort();
        for (const r of req.ranges) {
          const hit = firstInInterval(rec.sorted, r);
          if (hit !== undefined) {
            return `serialization failure: a concurrent commit changed key ${printable(hit)} inside a range this transaction scanned`;
          }
        }
      }
    }
    return undefined;
  }

  /** Retires commit records and versions that every open reader already sees. */
  private collectGarbage(): void {
    const min = this.minReader();
    while (this.logHead < this.log.length) {
      const rec = this.log[this.logHead]!;
      if (!rec.flushed || rec.ts > min) break;
      for (const ks of rec.keySet) {
        const h = this.history.get(ks);
        if (!h) continue;
        const idx = h.versions.findIndex((v) => v.ts === rec.ts);
        if (idx === h.versions.length - 1) this.history.delete(ks);
        else if (idx >= 0) {
          h.base = h.versions[idx]!.value;
          h.versions.splice(0, idx + 1);
        }
      }
      this.logHead++;
    }
    if (this.logHead > 1024 && this.logHead * 2 > this.log.length) {
      this.log.splice(0, this.logHead);
      this.logHead = 0;
    }
  }
}

/** The value of a key with history as seen at `ts` (null: absent). */
function visible(h: KeyHistory, ts: number): Uint8Array | null {
  const vs = h.versions;
  for (let i = vs.length - 1; i >= 0; i--) if (vs[i]!.ts <= ts) return vs[i]!.value;
  if (h.base === UNKNOWN) throw new DatabaseError('internal error: a reader needs a version that was not kept');
  return h.base;
}

function firstShared(a: ReadonlySet<string> | ReadonlyMap<string, unknown>, b: ReadonlySet<string>): string | undefined {
  if (a.size <= b.size) {
    for (const k of a.keys()) if (b.has(k)) return k;
  } else {
    for (const k of b) if (a.has(k)) return k;
  }
  return undefined;
}

/** The first key of a sorted list inside the interval, if any. */
function firstInInterval(sorted: readonly string[], r: ReadInterval): string | undefined {
  let lo = 0;
  let hi = sorted.length;
  if (r.lo !== undefined) {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = sorted[mid]!;
      if (k < r.lo || (!r.loInclusive && k === r.lo)) lo = mid + 1;
      else hi = mid;
    }
  }
  const k = sorted[lo];
  if (k === undefined) return undefined;
  if (r.hi !== undefined && (k > r.hi || (!r.hiInclusive && k === r.hi))) return undefined;
  return k;
}

/** A predicate telling whether a binary-string key is inside a range's bounds. */
export function rangeTest(range: KeyRange): (ks: string) => boolean {
  const lo = range.gte ?? range.gt;
  const hi = range.lte ?? range.lt;
  const los = lo && keyString(lo);
  const his = hi && keyString(hi);
  const loInc = range.gte !== undefined;
  const hiInc = range.lte !== undefined;
  return (ks) => {
    if (los !== undefined && (ks < los || (!loInc && ks === los))) return false;
    if (his !== undefined && (ks > his || (!hiInc && ks === his))) return false;
    return true;
  };
}

function keyBytesOf(ks: string): Uint8Array {
  const b = Buffer.from(ks, 'latin1');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function printable(ks: string): string {
  const s = ks.length > 1 ? ks.slice(1) : ks;
  return /^[\x20-\x7e]*$/.test(s) ? JSON.stringify(s) : `0x${Buffer.from(ks, 'latin1').toString('hex')}`;
}

/** Encodes a timestamp as 8 big-endian bytes (float64; timestamps are exact integers below 2^53). */
export function encodeTs(ts: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setFloat64(0, ts);
  return out;
}

/** Decodes encodeTs. */
export function decodeTs(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getFloat64(0);
}

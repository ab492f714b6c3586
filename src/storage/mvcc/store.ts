// The MVCC store: versioned reads over a single-version engine, commit validation, group commit, and GC.
//
// Design (docs/storage-format.md, "Versions"): the engine holds the newest committed value of every
// key. Versions that some open reader may still need live in memory, in `history`: for each key
// written by a commit that not every reader sees yet, the chain of (commitTs, value) plus the
// value before the chain (`base`). A reader at start timestamp S sees, for a key with history, the
// newest version with ts <= S (or the base); for any other key, the value of a commit whose engine
// write is still in flight (found in its commit record), else the engine's value. Because
// the engine is only ever read synchronously, or through an iterator whose implicit snapshot is
// taken in the same tick as the history overlay is collected, what a reader sees never changes
// under it. Nothing above the seam depends on engine snapshots, so any KVEngine can carry this.
//
// Commits are validated and stamped synchronously (one JavaScript turn: no interleaving), then
// written through a queue that folds concurrent commits into one engine batch (group commit).
// A commit record stays in `log` while a reader older than it is open; those records are what
// validation checks a committing transaction's reads and writes against.

import { DatabaseError, TransactionConflictError } from '../../errors.js';
import { compareBytes, keyBytes, keyString } from '../bytes.js';
import type { KVEngine, KeyRange, WriteOp, WriteSource } from '../engine.js';
import { HybridLogicalClock, LOGICAL_PER_MS } from '../hlc.js';
import { MetaKey } from '../keyspace.js';
import type { TableSketch } from '../table-sketch.js';
import { encodeValue } from '../value-format.js';
import { CommitWrites } from './commit-writes.js';
import { MergedCursor, type OverlayEntry, type ScanCursor } from './merge-scan.js';
import { TableSketches, type SketchChanges } from './sketch-tracking.js';
import type { WriteSet } from './write-buffer.js';

/** How often (at most) the clock's high-water mark is written with a commit. */
export const CLOCK_MARK_INTERVAL_MS = 1000;

/** Clock ticks added to the stored mark at open, covering commits made after the last mark was written. */
export const CLOCK_MARK_MARGIN = LOGICAL_PER_MS * CLOCK_MARK_INTERVAL_MS * 10;

/** Isolation levels, strongest first. */
export type IsolationLevel = 'serializable' | 'snapshot' | 'read_committed';

/** How commits reach stable storage. */
export type SyncMode = 'full' | 'normal' | 'off';

/** A write buffered in a transaction: the engine-format value, or null for a delete. */
export interface PendingWrite {
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
}

/** Where writes go: a transaction's buffer, or a blind autocommit batch. */
export interface WriteSink {
  /** Writes `payload` under an engine key; `expiresAt` is Unix ms (0: never). */
  put(key: Uint8Array, payload: Uint8Array, expiresAt?: number): void;
  /** Deletes an engine key. */
  delete(key: Uint8Array): void;
}

/** A batch of writes that reads nothing, committed without validation (it cannot conflict). */
export class BlindBatch implements WriteSink {
  readonly ops: WriteOp[] = [];
  put(key: Uint8Array, payload: Uint8Array, expiresAt = 0): void {
    this.ops.push({ type: 'put', key, value: encodeValue(payload, expiresAt) });
  }
  delete(key: Uint8Array): void {
    this.ops.push({ type: 'del', key });
  }
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
  /** Ids of tables whose rows the transaction writes (for the table cache's validity). */
  readonly tables?: ReadonlySet<number>;
  /** What the commit does to table sketches (sketch-tracking.ts). */
  readonly sketches?: SketchChanges | undefined;
  readonly startTs: number;
  readonly isolation: IsolationLevel;
  readonly writes: WriteSet;
  readonly reads: ReadonlySet<string>;
  readonly ranges: readonly ReadInterval[];
}

interface Version {
  readonly ts: number;
  readonly value: Uint8Array | null;
}

interface KeyHistory {
  /** The value before the first version. */
  base: Uint8Array | null;
  versions: Version[];
}

/**
 * One commit, kept while a reader older than it is open (for validation) or while its engine write
 * is in flight (readers find its values here until the engine has them).
 */
interface CommitRecord {
  readonly ts: number;
  readonly writes: CommitWrites;
  /** Written keys → writes; built lazily (a blind batch nobody looks at never pays for it). */
  map: ReadonlyMap<string, PendingWrite> | undefined;
  /** The written keys, sorted, for range checks. Built lazily. */
  sorted: string[] | undefined;
  flushed: boolean;
}

function recordMap(rec: CommitRecord): ReadonlyMap<string, PendingWrite> {
  if (rec.map === undefined) {
    const m = new Map<string, PendingWrite>();
    rec.writes.forEach((key, value) => m.set(keyString(key), { key, value }));
    rec.map = m;
  }
  return rec.map;
}

interface QueuedWrite {
  readonly writes: CommitWrites;
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
/**
 * Told of each commit's writes (engine keys; put values in value-format, deletes as `del`) and
 * its timestamp. Must not throw and must not await: it runs inside the commit's atomic part.
 */
export type CommitListener = (writes: CommitWrites, commitTs: number) => void;

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
  private unflushed = 0;
  private readonly readers = new Map<number, number>();
  private readerCount = 0;
  private minReaderCache: number | undefined;
  private visibleTs: number;
  private queue: QueuedWrite[] = [];
  private writing: Promise<void> | undefined;
  private failure: unknown;
  private unsyncedWrites = false;
  private lastClockMark = 0;
  /** Per table id, the timestamp of the newest commit that wrote its rows. */
  readonly tableWrites = new Map<number, number>();

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

  /** Number of commit records retained (for tests of GC). */
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

  /**
   * The engine-format value of `key` as of `ts`, or undefined. Synchronous. `ks` (the key's binary
   * string) may be passed when the caller has it; it is computed only when versions are in memory.
   */
  readAt(key: Uint8Array, ts: number, ks?: string): Uint8Array | undefined {
    this.checkHealthy();
    if (this.history.size > 0) {
      ks ??= keyString(key);
      const h = this.history.get(ks);
      if (h !== undefined) return visible(h, ts) ?? undefined;
    }
    // Commits still being written: a commit newer than `ts` never shows here, because one made
    // while an older reader was open put its keys in `history`, which answered above.
    if (this.unflushed > 0) {
      ks ??= keyString(key);
      for (let i = this.log.length - 1; i >= this.logHead; i--) {
        const rec = this.log[i]!;
        if (rec.flushed) break;
        if (rec.ts > ts) continue;
        const w = recordMap(rec).get(ks);
        if (w !== undefined) return w.value ?? undefined;
      }
    }
    const v = this.engine.get(key);
    if (v !== undefined) this.counters.bytesRead += v.length;
    return v;
  }

  /**
   * A merged scan as of `ts`: the engine, the in-memory versions, and `own` (a transaction's
   * buffered writes, which win). Yields live entries in key order (or reverse).
   */
  scanAt(range: KeyRange, ts: number, own: ReadonlyMap<string, PendingWrite> | undefined): ScanCursor {
    this.checkHealthy();
    // Collect the overlay and open the engine iterator in the same turn: together they are one snapshot.
    const overlay: OverlayEntry[] = [];
    const inRange = rangeTest(range);
    const seen = new Set<string>();
    const add = (ks: string, key: Uint8Array, value: Uint8Array | null) => {
      if (seen.has(ks) || !inRange(ks)) return;
      seen.add(ks);
      overlay.push({ ks, key, value });
    };
    if (own) for (const [ks, w] of own) add(ks, w.key, w.value);
    for (const [ks, h] of this.history) add(ks, keyBytes(ks), visible(h, ts));
    for (let i = this.log.length - 1; i >= this.logHead && this.unflushed > 0; i--) {
      const rec = this.log[i]!;
      if (rec.flushed) break;
      if (rec.ts > ts) continue;
      for (const [ks, w] of recordMap(rec)) add(ks, w.key, w.value);
    }
    overlay.sort((a, b) => (a.ks < b.ks ? -1 : a.ks > b.ks ? 1 : 0));
    if (range.reverse) overlay.reverse();
    const it = this.engine.iterate({ ...range, limit: undefined });
    return new MergedCursor(it, overlay, range, (n) => (this.counters.bytesRead += n));
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
    const writes = req.writes.toCommitWrites();
    // A bulk load's writes have no key map; the commit record builds one if a reader needs it.
    const applied = this.apply(writes, req.writes.builtMap(), readerRegistered, req.tables);
    // Still in the turn in which the commit became visible (apply's part before its first await
    // has run), so no reader or other commit sees the sketches without it; and by now the engine
    // write is under way on its own thread, so a bulk load's merge overlaps it.
    if (req.sketches) this.tableSketches.apply(req.sketches);
    return applied;
  }

  /** Tables' row counts and distinct sketches as of the newest commit (table-sketch.ts). */
  readonly tableSketches = new TableSketches();

  /**
   * The sketch of a table as a reader at `ts` sees it: only when no commit after `ts` wrote the
   * table's rows (the sketch describes the newest commit). Read it in the same turn.
   */
  sketchAt(tableId: number, ts: number): TableSketch | undefined {
    return (this.tableWrites.get(tableId) ?? 0) <= ts ? this.tableSketches.get(tableId) : undefined;
  }

  /** Commits a blind batch (no reads, so nothing to validate). */
  async commitBlind(batch: BlindBatch): Promise<number> {
    this.checkHealthy();
    if (batch.ops.length === 0) return this.visibleTs;
    return this.apply(new CommitWrites(batch.ops), undefined, false);
  }

  /** Stamps, versions and writes a validated commit. The part before the first await is atomic. */
  private async apply(
    writes: CommitWrites,
    map: ReadonlyMap<string, PendingWrite> | undefined,
    readerRegistered: boolean,
    tables?: ReadonlySet<number>,
  ): Promise<number> {
    const ts = this.clock.now();
    // In the same turn as the commit becomes visible: cached table contents older than it go stale.
    if (tables) for (const id of tables) this.tableWrites.set(id, ts);
    // An open reader other than the committer may still need the value each key had before.
    const othersReading = this.readerCount - (readerRegistered ? 1 : 0) > 0;
    if (othersReading || this.history.size > 0) {
      writes.forEach((key, value) => {
        const ks = keyString(key);
        let h = this.history.get(ks);
        if (h === undefined && othersReading) {
          h = { base: this.readAt(key, this.visibleTs, ks) ?? null, versions: [] };
          this.history.set(ks, h);
        }
        h?.versions.push({ ts, value });
      });
    }
    const rec: CommitRecord = { ts, writes, map, sorted: undefined, flushed: false };
    this.log.push(rec);
    this.unflushed++;
    this.visibleTs = ts;
    this.notifyCommit(writes, ts);
    this.counters.bytesWritten += writes.bytes();
    try {
      await this.enqueue(writes, this.options.syncMode === 'full');
    } catch (err) {
      // The engine failed mid-commit. Readers may have seen this commit's versions, so the only
      // safe state is a closed one: refuse further work until the database is reopened.
      this.failure = err;
      throw new DatabaseError('commit failed: the write could not be stored; reopen the database', { cause: err });
    }
    rec.flushed = true;
    this.unflushed--;
    this.counters.committed++;
    this.collectGarbage();
    return ts;
  }

  private readonly commitListeners = new Set<CommitListener>();

  /**
   * Registers a listener told of every commit in the same turn as it becomes visible, before it
   * is durable (derived state such as the vector index follows the store this way; after a
   * crash it is reconciled with what the store kept). Returns the unregistering function.
   */
  onCommit(listener: CommitListener): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** Errors thrown by commit listeners: the commit stands, the derived state needs a rebuild. */
  readonly listenerErrors: unknown[] = [];

  private notifyCommit(writes: CommitWrites, ts: number): void {
    for (const listener of this.commitListeners) {
      try {
        listener(writes, ts);
      } catch (err) {
        this.listenerErrors.push(err);
      }
    }
  }

  /** Counts an aborted transaction. */
  noteAbort(): void {
    this.counters.aborted++;
  }

  /** Writes the engine batch after every batch queued before it, folding queued batches together. */
  private enqueue(writes: CommitWrites, sync: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ writes, sync, resolve, reject });
      if (!this.writing) this.writing = this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      const sync = group.some((g) => g.sync);
      const sources: WriteSource[] = group.map((g) => g.writes);
      // Persist the clock's high-water mark now and then (and on every sync), so that after a
      // restart timestamps keep increasing even if the wall clock stepped back. Every commit
      // registered so far is in `group`, so the mark covers them all.
      const now = Date.now();
      if (sync || now - this.lastClockMark >= CLOCK_MARK_INTERVAL_MS) {
        this.lastClockMark = now;
        sources.push({ ops: [{ type: 'put', key: MetaKey.CLOCK, value: encodeTs(this.visibleTs) }] });
      }
      try {
        if (sources.every((w) => w.ops.length === 0 && !w.packed?.length)) {
          for (const g of group) g.resolve();
          continue;
        }
        await this.engine.writeSources(sources, { sync });
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
    this.unsyncedWrites = false;
    await this.enqueue(new CommitWrites([]), true);
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
      const written = recordMap(rec);
      if (req.isolation === 'snapshot') {
        const k = firstShared(req.writes.asMap(), written);
        if (k !== undefined) return `write-write conflict on key ${printable(k)}: another transaction committed it first`;
        continue;
      }
      const k = firstShared(req.reads, written);
      if (k !== undefined) return `serialization failure: key ${printable(k)} was read, then changed by a concurrent commit`;
      // First committer wins on written keys too: a key probed for absence and then written
      // (an INSERT) is protected this way without being recorded as a read.
      const w = firstShared(req.writes.asMap(), written);
      if (w !== undefined) return `write-write conflict on key ${printable(w)}: another transaction committed it first`;
      if (req.ranges.length > 0) {
        rec.sorted ??= [...written.keys()].sort();
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

  /**
   * Keys within [gte, lt) written by commits newer than `ts`. Complete while a reader registered
   * at `ts` or earlier is open (commit records newer than the oldest reader are kept).
   */
  keysWrittenAfter(ts: number, gte: Uint8Array, lt: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = this.log.length - 1; i >= this.logHead; i--) {
      const rec = this.log[i]!;
      if (rec.ts <= ts) break;
      rec.writes.forEach((key) => {
        if (compareBytes(key, gte) >= 0 && compareBytes(key, lt) < 0) out.push(key);
      });
    }
    return out;
  }

  /** Retires commit records and versions that every open reader already sees. */
  private collectGarbage(): void {
    const min = this.minReader();
    while (this.logHead < this.log.length) {
      const rec = this.log[this.logHead]!;
      if (!rec.flushed || rec.ts > min) break;
      if (this.history.size > 0) {
        for (const ks of recordMap(rec).keys()) {
          const h = this.history.get(ks);
          if (!h) continue;
          const idx = h.versions.findLastIndex((v) => v.ts === rec.ts);
          if (idx === h.versions.length - 1) this.history.delete(ks);
          else if (idx >= 0) {
            h.base = h.versions[idx]!.value;
            h.versions.splice(0, idx + 1);
          }
        }
      }
      this.log[this.logHead] = undefined as never;
      this.logHead++;
    }
    if (this.logHead === this.log.length) {
      this.log.length = 0;
      this.logHead = 0;
    } else if (this.logHead > 1024 && this.logHead * 2 > this.log.length) {
      this.log.splice(0, this.logHead);
      this.logHead = 0;
    }
  }
}

/** The value of a key with history as seen at `ts` (null: absent). */
function visible(h: KeyHistory, ts: number): Uint8Array | null {
  const vs = h.versions;
  for (let i = vs.length - 1; i >= 0; i--) if (vs[i]!.ts <= ts) return vs[i]!.value;
  return h.base;
}

function firstShared(a: ReadonlySet<string> | ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): string | undefined {
  if (a.size <= b.size) {
    for (const k of a.keys()) if (b.has(k)) return k;
  } else {
    for (const k of b.keys()) if (a.has(k)) return k;
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

// A storage-level transaction: buffered writes, recorded reads and scanned ranges, validated at commit.

import { TransactionError } from '../../errors.js';
import { keyString } from '../bytes.js';
import type { KeyRange } from '../engine.js';
import type { TableSketch } from '../table-sketch.js';
import { InsertTracker } from './sketch-tracking.js';
import type { SqlValue } from '../../executor/value.js';
import { decodeValue, encodeValue, isExpired, type StoredValue } from '../value-format.js';
import type { ScanCursor } from './merge-scan.js';
import type { IsolationLevel, MvccStore, ReadInterval, WriteSink } from './store.js';
import { WriteBuffer } from './write-buffer.js';

let nextTxnId = 1;

/** The life of a transaction. */
export type TxnState = 'active' | 'committed' | 'aborted';

/** Engine-key level transaction over the MVCC store. The API layer maps user keys onto it. */
export class StorageTransaction implements WriteSink {
  /** A process-unique id. */
  readonly id = nextTxnId++;
  /** The timestamp this transaction reads at (for READ_COMMITTED, the one it began at). */
  readonly startTs: number;
  private writes = new WriteBuffer();
  private readonly reads = new Set<string>();
  private readonly ranges: ReadInterval[] = [];
  /** Scans not yet closed: their coverage is recorded at commit at the latest. */
  private readonly openScans = new Set<() => void>();
  private stateValue: TxnState = 'active';
  private readonly registered: boolean;

  constructor(
    private readonly store: MvccStore,
    readonly isolation: IsolationLevel,
    readonly readOnly = false,
  ) {
    // READ_COMMITTED always reads the newest commit, so no old version is kept for it.
    this.registered = isolation !== 'read_committed';
    this.startTs = this.registered ? store.beginRead() : store.currentTs;
    this.inserts = new InsertTracker(store.tableSketches);
  }

  /** active, committed or aborted. */
  get state(): TxnState {
    return this.stateValue;
  }

  /** True when the transaction has buffered writes. */
  get hasWrites(): boolean {
    return this.writes.size > 0;
  }

  private readTs(): number {
    return this.registered ? this.startTs : this.store.currentTs;
  }

  /** The timestamp reads see right now (the start for SNAPSHOT/SERIALIZABLE, the newest commit otherwise). */
  get snapshotTs(): number {
    return this.readTs();
  }

  /** Tables whose rows this transaction has written (the table cache ignores them for it). */
  readonly touchedTables = new Set<number>();
  /** Inserts and row writes per table, for the table sketches (sketch-tracking.ts). */
  private readonly inserts: InsertTracker;

  /** Notes that this transaction writes rows of a table (once per row written). */
  touchTable(tableId: number): void {
    this.touchedTables.add(tableId);
    this.inserts.rowWritten(tableId);
  }

  /**
   * The row count and distinct sketches of a table as this transaction sees it, when the store
   * keeps them and they describe exactly this snapshot (no later commit and no write of this
   * transaction changed the table's rows).
   */
  tableSketch(tableId: number): TableSketch | undefined {
    this.checkActive();
    return this.touchedTables.has(tableId) ? undefined : this.store.sketchAt(tableId, this.readTs());
  }

  /** Notes a table this transaction created, empty: its sketch starts with this commit. */
  noteCreatedTable(tableId: number): void {
    this.inserts.tableCreated(tableId);
  }

  /**
   * Notes that a row just written (and touched) was new: its key held no row. Its values go into
   * the table's sketch at commit, if the table keeps one.
   */
  noteInsert(tableId: number, row: readonly SqlValue[]): void {
    this.inserts.inserted(tableId, row);
  }

  /**
   * Keys within [gte, lt) that commits after this transaction's snapshot wrote: what derived
   * state kept at the newest commit (the ANN index) may show differently from this snapshot.
   */
  writtenSinceSnapshot(gte: Uint8Array, lt: Uint8Array): Uint8Array[] {
    this.checkActive();
    return this.store.keysWrittenAfter(this.readTs(), gte, lt);
  }

  /**
   * Whether recordRead and recordRange keep anything (serializable transactions validate their
   * reads at commit; the others do not): a caller about to record many reads may skip the loop.
   */
  get recordsReads(): boolean {
    return this.isolation === 'serializable';
  }

  /** Records a key as read without reading it (a read served from a cache). */
  recordRead(key: Uint8Array): void {
    this.checkActive();
    if (this.isolation === 'serializable') this.reads.add(keyString(key));
  }

  /** Records a range as read without scanning it (a read served from a cache). */
  recordRange(range: KeyRange): void {
    this.checkActive();
    if (this.isolation === 'serializable') this.ranges.push(covered(range, undefined));
  }

  /** Throws unless the transaction is active. */
  checkActive(): void {
    if (this.stateValue !== 'active') {
      throw new TransactionError(`transaction ${this.id} is already ${this.stateValue}`, undefined, 'TRANSACTION_CLOSED');
    }
  }

  /** Reads a key: own writes first, then the snapshot. Expired values read as absent. */
  get(key: Uint8Array): StoredValue | undefined {
    this.checkActive();
    const ks = keyString(key);
    const own = this.writes.get(ks);
    let raw: Uint8Array | null | undefined;
    if (own !== undefined) raw = own.value;
    else {
      if (this.isolation === 'serializable') this.reads.add(ks);
      raw = this.store.readAt(key, this.readTs(), ks);
    }
    if (raw == null) return undefined;
    const v = decodeValue(raw);
    return isExpired(v.expiresAt, Date.now()) ? undefined : v;
  }

  /**
   * Reads a key this transaction is about to write, without recording the read: the commit's
   * write-write check already fails if a concurrent commit wrote the key. A caller that decides
   * not to write after all must record the read (recordRead).
   */
  probe(key: Uint8Array): StoredValue | undefined {
    this.checkActive();
    const ks = keyString(key);
    const own = this.writes.get(ks);
    const raw = own !== undefined ? own.value : this.store.readAt(key, this.readTs(), ks);
    if (raw == null) return undefined;
    const v = decodeValue(raw);
    return isExpired(v.expiresAt, Date.now()) ? undefined : v;
  }

  /** Buffers a put. `expiresAt` is Unix ms (0: never). */
  put(key: Uint8Array, payload: Uint8Array, expiresAt = 0): void {
    this.checkWritable();
    this.writes.set(keyString(key), { key, value: encodeValue(payload, expiresAt) });
  }

  /**
   * Buffers a put of a key that no snapshot and no transaction's writes hold (a row whose rowid is
   * above every one stored or written, and its non-unique index entries). Cheaper than put for a
   * bulk load; a key that is not new would be written twice, so callers must be sure. `stored`
   * is the value as the engine keeps it, header included (value-format.ts: encodeValue, or
   * encodeRow with asStoredValue).
   */
  putNew(key: Uint8Array, stored: Uint8Array): void {
    this.checkWritable();
    this.writes.appendNew(key, stored);
  }

  /** Buffers a delete. */
  delete(key: Uint8Array): void {
    this.checkWritable();
    this.writes.set(keyString(key), { key, value: null });
  }

  /** Opens a savepoint; returns its mark for rollbackTo / release. */
  savepoint(): number {
    this.checkActive();
    return this.writes.savepoint();
  }

  /** Undoes every write buffered since the savepoint `mark` (which stays open). */
  rollbackTo(mark: number): void {
    this.checkActive();
    this.writes.rollbackTo(mark);
    this.inserts.rolledBack();
  }

  /** Closes the innermost savepoint, keeping its writes (savepoints close in nesting order). */
  release(): void {
    this.writes.release();
  }

  private checkWritable(): void {
    this.checkActive();
    if (this.readOnly) throw new TransactionError('this transaction is read-only', undefined, 'READ_ONLY');
  }

  /**
   * Scans a range in order, merging own writes. Under SERIALIZABLE the part of the range actually
   * covered is recorded when the cursor closes, so a concurrent insert into it (a phantom) fails
   * this transaction's commit.
   */
  scan(range: KeyRange): ScanCursor {
    this.checkActive();
    const inner = this.store.scanAt(range, this.readTs(), this.writes.asMap());
    if (this.isolation !== 'serializable') return inner;
    let last: Uint8Array | undefined;
    let count = 0;
    let exhausted = false;
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      this.openScans.delete(record);
      // Stopping at the limit covers the range only up to the last key returned.
      const full = exhausted && (range.limit === undefined || range.limit < 0 || count < range.limit);
      this.ranges.push(covered(range, full ? undefined : last));
    };
    this.openScans.add(record);
    return {
      nextBatch: async () => {
        const batch = await inner.nextBatch();
        const n = batch.keys.length;
        if (n === 0) {
          exhausted = true;
          record();
        } else {
          count += n;
          last = batch.keys[n - 1]!;
        }
        return batch;
      },
      close: async () => {
        record();
        await inner.close();
      },
    };
  }

  /**
   * The largest key in `range` this transaction sees (its own writes included), without recording
   * a read: for choosing a new key, which conflicts through its write if another takes it too.
   */
  async lastKey(range: KeyRange): Promise<Uint8Array | undefined> {
    this.checkActive();
    const cursor = this.store.scanAt({ ...range, reverse: true, limit: 1 }, this.readTs(), this.writes.asMap());
    try {
      return (await cursor.nextBatch()).keys[0];
    } finally {
      await cursor.close();
    }
  }

  /** Validates and commits; returns the commit timestamp. Throws TransactionConflictError on conflict. */
  async commit(): Promise<number> {
    this.checkActive();
    for (const record of [...this.openScans]) record();
    this.stateValue = 'committed';
    try {
      return await this.store.commit(
        { startTs: this.startTs, isolation: this.isolation, writes: this.writes, reads: this.reads, ranges: this.ranges, tables: this.touchedTables, sketches: this.inserts.changes(this.isolation !== 'read_committed') },
        this.registered,
      );
    } catch (err) {
      this.stateValue = 'aborted';
      throw err;
    } finally {
      this.finish();
    }
  }

  /** Discards the buffered writes. Idempotent once finished. */
  abort(): void {
    if (this.stateValue !== 'active') return;
    this.stateValue = 'aborted';
    if (!this.readOnly) this.store.noteAbort();
    this.finish();
  }

  private released = false;
  private finish(): void {
    if (this.released) return;
    this.released = true;
    // The commit record may keep the map it was given; this transaction lets go of it.
    this.writes = new WriteBuffer();
    if (this.registered) this.store.endRead(this.startTs);
  }
}

/** The interval a scan read: the whole range, or up to the last key it returned when it stopped early. */
function covered(range: KeyRange, last: Uint8Array | undefined): ReadInterval {
  let lo = range.gte ?? range.gt;
  let loInclusive = range.gte !== undefined;
  let hi = range.lte ?? range.lt;
  let hiInclusive = range.lte !== undefined;
  if (last !== undefined) {
    if (range.reverse) {
      lo = last;
      loInclusive = true;
    } else {
      hi = last;
      hiInclusive = true;
    }
  }
  return {
    lo: lo === undefined ? undefined : keyString(lo),
    loInclusive,
    hi: hi === undefined ? undefined : keyString(hi),
    hiInclusive,
  };
}

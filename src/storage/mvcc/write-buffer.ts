// A transaction's buffered writes: a map by key, and a log of writes to keys known to be new.

import { keyString } from '../bytes.js';
import type { WriteOp } from '../engine.js';
import { ByteLog } from './byte-log.js';
import { CommitWrites } from './commit-writes.js';
import type { PendingWrite } from './store.js';

/** What a commit reads of a transaction's writes. */
export interface WriteSet {
  readonly size: number;
  /** Every buffered write, each key once, as a commit hands them on. */
  toCommitWrites(): CommitWrites;
  /** The writes by binary key string (built on demand for the new-key log). */
  asMap(): ReadonlyMap<string, PendingWrite>;
  /** The same map when it is already complete, without building anything. */
  builtMap(): ReadonlyMap<string, PendingWrite> | undefined;
}

/** Undo-log entry of an appended new key: the log's last entry goes. */
const UNDO_APPEND = Symbol('append');

/** One entry of the undo log kept while a savepoint is open. */
export type UndoEntry = { readonly ks: string; readonly prev: PendingWrite | undefined } | typeof UNDO_APPEND;

/**
 * Buffered writes. Most go into a map by binary key string, which answers the transaction's own
 * reads. A write of a key that no snapshot and no transaction holds (the row of a rowid above
 * every stored one, and its non-unique index entries) is appended to a log instead: a bulk load
 * then pays neither the key string nor the map entry per key, which together cost as much as the
 * rest of buffering it (measured: 0.4 s of 400k entries). The log is folded into the map the
 * first time anything reads the buffer or writes another key, so reads always see every write.
 */
export class WriteBuffer implements WriteSet {
  private readonly map = new Map<string, PendingWrite>();
  /**
   * Writes of new keys, in order, as byte logs (no object per write: they live until the commit,
   * and every surviving object costs the garbage collector); the first `folded` are also in `map`.
   */
  private readonly logKeys = new ByteLog();
  private readonly logValues = new ByteLog();
  private folded = 0;
  /** Undo log while a savepoint is open. */
  private undo: UndoEntry[] | undefined;
  /** Savepoints open. */
  private savepoints = 0;

  get size(): number {
    return this.map.size + this.logKeys.length - this.folded;
  }

  /** Adds the log's unfolded writes to the map. */
  private fold(): void {
    const keys = this.logKeys;
    const values = this.logValues;
    for (let i = this.folded; i < keys.length; i++) {
      const key = keys.get(i);
      this.map.set(keyString(key), { key, value: values.get(i) });
    }
    this.folded = keys.length;
  }

  /** The write of a key, if buffered. */
  get(ks: string): PendingWrite | undefined {
    if (this.folded < this.logKeys.length) this.fold();
    return this.map.get(ks);
  }

  /** Buffers a write of any key. */
  set(ks: string, w: PendingWrite): void {
    if (this.folded < this.logKeys.length) this.fold();
    if (this.undo) this.undo.push({ ks, prev: this.map.get(ks) });
    this.map.set(ks, w);
  }

  /**
   * Buffers a write of a key that no snapshot and no write of any transaction holds. The caller
   * vouches for that; a key written twice this way would be written twice.
   */
  appendNew(key: Uint8Array, value: Uint8Array): void {
    if (this.undo) this.undo.push(UNDO_APPEND);
    this.logKeys.push(key);
    this.logValues.push(value);
  }

  /** Opens a savepoint; returns its mark for rollbackTo. */
  savepoint(): number {
    this.undo ??= [];
    this.savepoints++;
    return this.undo.length;
  }

  /** Closes the innermost savepoint, keeping its writes; the undo log goes with the last one. */
  release(): void {
    if (this.savepoints > 0) this.savepoints--;
    if (this.savepoints === 0) this.undo = undefined;
  }

  /** Undoes buffered writes back to a savepoint's mark (the savepoint stays open). */
  rollbackTo(mark: number): void {
    const undo = this.undo;
    if (!undo) return;
    while (undo.length > mark) {
      const u = undo.pop()!;
      if (u === UNDO_APPEND) {
        const key = this.logKeys.pop();
        this.logValues.pop();
        if (this.folded > this.logKeys.length) {
          this.folded = this.logKeys.length;
          this.map.delete(keyString(key));
        }
      } else if (u.prev === undefined) this.map.delete(u.ks);
      else this.map.set(u.ks, u.prev);
    }
  }

  toCommitWrites(): CommitWrites {
    const ops = new Array<WriteOp>(this.map.size);
    let n = 0;
    for (const w of this.map.values()) ops[n++] = w.value === null ? { type: 'del', key: w.key } : { type: 'put', key: w.key, value: w.value };
    const from = this.folded;
    const count = this.logKeys.length - from;
    if (count === 0) return new CommitWrites(ops);
    const keys = this.logKeys;
    const values = this.logValues;
    return new CommitWrites(ops, {
      length: count,
      key: (i) => keys.get(from + i),
      value: (i) => values.get(from + i),
      bytes: () => keys.bytesFrom(from) + values.bytesFrom(from),
    });
  }

  builtMap(): ReadonlyMap<string, PendingWrite> | undefined {
    return this.folded === this.logKeys.length ? this.map : undefined;
  }

  asMap(): ReadonlyMap<string, PendingWrite> {
    if (this.folded < this.logKeys.length) this.fold();
    return this.map;
  }
}

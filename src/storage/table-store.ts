// Rows and secondary-index entries of tables as keys: encoding, lookups, scans and index upkeep.

import { ConstraintError } from '../errors.js';
import type { SqlValue } from '../executor/value.js';
import { prefixEnd } from './bytes.js';
import type { IndexDef, TableDef } from './catalog.js';
import { encodeValue } from './value-format.js';
import type { KeyRange } from './engine.js';
import { decodeKey, decodeKeyFrom, encodeKey, encodeTaggedKey, encodeTaggedKeySuffixed, skipParts, type KeyPart } from './key-codec.js';
import { KeyTag, tagged } from './keyspace.js';
import type { ScanCursor } from './mvcc/merge-scan.js';
import type { MvccStore } from './mvcc/store.js';
import type { StorageTransaction } from './mvcc/transaction.js';
import { decodeColumn, decodeRow, encodeRow } from './row-codec.js';

/**
 * An index as the write path uses it: its definition, for a partial index the compiled WHERE,
 * and for an index with expression items the compiled items.
 */
export interface IndexHandle {
  readonly def: IndexDef;
  /** For a partial index: whether a row belongs in it. */
  readonly predicate?: (row: readonly SqlValue[]) => boolean;
  /** For an index with expression items: the values of its items for a row (required for one). */
  readonly itemValues?: (row: readonly SqlValue[]) => SqlValue[];
}

/** The values of an index's items for a row: its columns, or its compiled items. */
export function indexValues(index: IndexHandle, row: readonly SqlValue[]): SqlValue[] {
  if (index.itemValues) return index.itemValues(row);
  return index.def.columns.map((c) => {
    if (!('column' in c)) throw new Error(`index ${index.def.name} has expression items but no compiled items`);
    return row[c.column] ?? null;
  });
}

/**
 * What a UNIQUE violation of the index names: its columns as SQLite does (`t.a, t.b`), or,
 * when an item is an expression, the index (`index 'name'`), as SQLite does for those.
 */
export function uniqueTarget(table: TableDef, index: IndexDef): string {
  const cols: string[] = [];
  for (const c of index.columns) {
    if (!('column' in c)) return `index '${index.name}'`;
    cols.push(`${table.name}.${table.columns[c.column]!.name}`);
  }
  return cols.join(', ');
}

/** A row with the key it is stored under. */
export interface StoredRow {
  readonly key: Uint8Array;
  readonly values: SqlValue[];
}

/** Converts a SQL value to a key part (vectors become their bytes). */
export function keyPart(v: SqlValue): KeyPart {
  if (v instanceof Float32Array) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return v;
}

const prefixes = new Map<number, Uint8Array>();

/** The prefix of every row key of a table (cached per table id; never mutate it). */
export function tablePrefix(table: TableDef): Uint8Array {
  let p = prefixes.get(table.id);
  if (!p) prefixes.set(table.id, (p = tagged(KeyTag.ROW, encodeKey([table.id]))));
  return p;
}

/** The prefix of every entry of an index. */
export function indexPrefix(index: IndexDef): Uint8Array {
  return tagged(KeyTag.INDEX, encodeKey([index.id]));
}

/** The key values of a row: its primary-key columns, or its rowid. */
export function keyValues(table: TableDef, row: readonly SqlValue[], rowid: number | bigint | undefined): KeyPart[] {
  if (table.primaryKey.length === 0) return [rowid ?? null];
  return table.primaryKey.map((c) => keyPart(row[c]!));
}

/** The engine key of a row with these key values. */
export function rowKey(table: TableDef, keyVals: readonly KeyPart[]): Uint8Array {
  return encodeTaggedKey(KeyTag.ROW, table.id, keyVals);
}

/** The table id of a row key. */
export function rowKeyTableId(key: Uint8Array): number {
  return decodeKey(key.subarray(1))[0] as number;
}

/** The key values stored in a row key (after the table id). */
export function rowKeyValues(key: Uint8Array): KeyPart[] {
  return decodeKeyFrom(key, 1, 1);
}

/** The empty value of a non-unique index entry (shared: put copies values, never keeps them). */
const EMPTY = new Uint8Array(0);
/** The same as stored (header byte, no expiry); shared, never written to. */
const STORED_EMPTY = Uint8Array.of(0);

/** An index entry: its key, its value, and whether it is a unique entry (keyed by the values alone). */
interface IndexEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  readonly unique: boolean;
}

/**
 * Length of every table's row-key prefix: the tag and the table id, a number, which the key codec
 * encodes in a fixed width whatever its value.
 */
const ROW_PREFIX_LENGTH = 1 + encodeKey([0]).length;

/** A row key's encoded key parts: the bytes after its table prefix. */
function rowKeySuffix(rowKeyBytes: Uint8Array): Uint8Array {
  return rowKeyBytes.subarray(ROW_PREFIX_LENGTH);
}

/**
 * Index entry for a row, given its row key's encoded parts (rowKeySuffix). Unique indexes without
 * NULLs key by the values alone and store the row key's parts; other entries end with them.
 */
function indexEntry(ix: IndexHandle, row: readonly SqlValue[], rowParts: Uint8Array): IndexEntry {
  const index = ix.def;
  // indexValues returns a fresh array: its values become key parts in place.
  const raw = indexValues(ix, row);
  const vals = raw as unknown as KeyPart[];
  let hasNull = false;
  for (let i = 0; i < raw.length; i++) {
    const v = keyPart(raw[i]!);
    vals[i] = v;
    if (v === null) hasNull = true;
  }
  if (index.unique && !hasNull) {
    return { key: encodeTaggedKey(KeyTag.INDEX, index.id, vals), value: rowParts, unique: true };
  }
  return { key: encodeTaggedKeySuffixed(KeyTag.INDEX, index.id, vals, rowParts), value: EMPTY, unique: false };
}

/** The key of a row's entry in an index (as insertRow writes it), from the row and its row key. */
export function indexEntryKey(index: IndexHandle, row: readonly SqlValue[], rowKeyBytes: Uint8Array): Uint8Array {
  return indexEntry(index, row, rowKeySuffix(rowKeyBytes)).key;
}

/** The row key an index entry points at: the table's key prefix and the entry's key parts, copied as bytes. */
export function indexEntryRowKey(table: TableDef, index: IndexDef, entryKey: Uint8Array, entryValue: Uint8Array): Uint8Array {
  const end = skipParts(entryKey, 1, 1 + index.columns.length);
  const keyBytes = end < entryKey.length ? entryKey.subarray(end) : entryValue; // unique entries keep the key in the value
  const prefix = tablePrefix(table);
  const out = new Uint8Array(prefix.length + keyBytes.length);
  out.set(prefix, 0);
  out.set(keyBytes, prefix.length);
  return out;
}

/**
 * Per-table rowid counters: the next rowid to hand out. Non-transactional, like SQL sequences.
 * Beside each counter, a ceiling: once initialized, it is past every rowid stored, handed out, or
 * written by a statement of this process (TableWriter.complete observes each one), so a rowid at
 * or above it names no row at any snapshot and in no transaction's writes (`isUnused`).
 */
export class RowidAllocator {
  private readonly next = new Map<number, number>();
  private readonly ceiling = new Map<number, number>();
  /** Ceilings being initialized (so that concurrent first uses read the store once). */
  private readonly starting = new Map<number, Promise<void>>();

  constructor(private readonly store: MvccStore) {}

  /** The next rowid for a table (initialized from the largest stored rowid on first use). */
  async allocate(_txn: StorageTransaction, table: TableDef): Promise<number> {
    return (await this.allocateKey(table)).rowid;
  }

  /** Makes the table's counter hand out nothing below `n` (initializing it from the store first). */
  async raiseTo(table: TableDef, n: number): Promise<void> {
    const start = this.next.has(table.id) ? 0 : await this.initial(table);
    // Read after the await: another statement may have moved the counter meanwhile.
    this.next.set(table.id, Math.max(this.next.get(table.id) ?? 0, start, n));
  }

  /**
   * The next rowid for a table, and whether it is unused (see isUnused; false when the ceiling
   * is not initialized). The counter starts one past the largest stored rowid.
   */
  async allocateKey(table: TableDef): Promise<{ rowid: number; unused: boolean }> {
    let n = this.next.get(table.id);
    if (n === undefined) n = await this.initial(table);
    this.next.set(table.id, n + 1);
    const c = this.ceiling.get(table.id);
    const unused = c !== undefined && n >= c;
    if (unused) this.ceiling.set(table.id, n + 1);
    return { rowid: n, unused };
  }

  /** Whether the table's ceiling is initialized (`ensureCeiling` need not be awaited). */
  hasCeiling(table: TableDef): boolean {
    return this.ceiling.has(table.id);
  }

  /** Initializes the table's ceiling from the store if it is not yet. */
  ensureCeiling(table: TableDef): Promise<void> {
    if (this.ceiling.has(table.id)) return Promise.resolve();
    let p = this.starting.get(table.id);
    if (!p) {
      p = this.initial(table).then(
        (n) => {
          this.starting.delete(table.id);
          if (!this.ceiling.has(table.id)) this.ceiling.set(table.id, Math.max(n, this.next.get(table.id) ?? 1));
        },
        (err: unknown) => {
          this.starting.delete(table.id);
          throw err;
        },
      );
      this.starting.set(table.id, p);
    }
    return p;
  }

  /**
   * True when no row of `table` has this rowid, at any snapshot or in any transaction's writes:
   * the initialized ceiling is past it. Such a key needs no probe before it is written.
   */
  isUnused(table: TableDef, rowid: number): boolean {
    const c = this.ceiling.get(table.id);
    return c !== undefined && rowid >= c;
  }

  /** Explicit rowids seen before the counter was initialized (they count even if deleted since). */
  private readonly observed = new Map<number, number>();

  /** Notes an explicitly given rowid so later allocations go past it, even after it is deleted. */
  observe(table: TableDef, rowid: number): void {
    const c = this.ceiling.get(table.id);
    if (c !== undefined && rowid >= c) this.ceiling.set(table.id, rowid + 1);
    const n = this.next.get(table.id);
    // AUTOINCREMENT keys are never reused (SQLite's sqlite_sequence); plain rowids may be.
    if (n === undefined) {
      if (table.autoincrement) this.observed.set(table.id, Math.max(this.observed.get(table.id) ?? 0, rowid + 1));
    }
    else if (rowid >= n) this.next.set(table.id, rowid + 1);
  }

  /** Forgets a table's counter (after DROP TABLE). */
  forget(tableId: number): void {
    this.next.delete(tableId);
    this.ceiling.delete(tableId);
    this.observed.delete(tableId);
  }

  private async initial(table: TableDef): Promise<number> {
    // The newest committed state, not the transaction's snapshot: a rowid must never be reused.
    const p = tablePrefix(table);
    const cursor = this.store.scanAt({ gte: p, lt: prefixEnd(p)!, reverse: true, limit: 1 }, this.store.currentTs, undefined);
    const batch = await cursor.nextBatch();
    await cursor.close();
    const last = batch.keys[0];
    if (last === undefined) return Math.max(1, this.observed.get(table.id) ?? 1);
    const v = rowKeyValues(last)[0];
    const cur = this.next.get(table.id);
    const fromStore = typeof v === 'number' ? Math.floor(v) + 1 : typeof v === 'bigint' ? Number(v) + 1 : 1;
    return Math.max(fromStore, cur ?? 1, this.observed.get(table.id) ?? 1);
  }
}

/** Reads a row by key in a transaction (with `extra` trailing NULL slots, as decodeRow). */
export function getRow(txn: StorageTransaction, key: Uint8Array, extra = 0): SqlValue[] | undefined {
  const v = txn.get(key);
  return v === undefined ? undefined : decodeRow(v.payload, extra);
}

/**
 * Writes a new row and its index entries; unique violations throw ConstraintError (nothing
 * written). `isNew`: no snapshot and no transaction holds the row's key (an unused rowid), so the
 * row and its non-unique index entries, whose keys end with it, are buffered as new keys.
 */
export function insertRow(
  txn: StorageTransaction,
  table: TableDef,
  indexes: readonly IndexHandle[],
  key: Uint8Array,
  row: readonly SqlValue[],
  isNew = false,
): void {
  txn.touchTable(table.id);
  // Every entry is made (and unique ones checked) before anything is written.
  const entries: IndexEntry[] = [];
  for (const ix of indexes) {
    const e = checkedEntry(txn, table, ix, row, rowKeySuffix(key));
    if (e) entries.push(e);
  }
  if (isNew) txn.putNew(key, encodeRow(row, true));
  else txn.put(key, encodeRow(row));
  for (const e of entries) {
    if (isNew && !e.unique) txn.putNew(e.key, e.value.length === 0 ? STORED_EMPTY : encodeValue(e.value));
    else txn.put(e.key, e.value);
  }
}

/**
 * Writes one index's entry for a stored row (building an index: the row itself is not written
 * again, so caches of the table's rows and its vector index stay valid). A unique violation
 * throws ConstraintError.
 */
export function insertIndexEntry(txn: StorageTransaction, table: TableDef, index: IndexHandle, rowKey: Uint8Array, row: readonly SqlValue[]): void {
  const e = checkedEntry(txn, table, index, row, rowKeySuffix(rowKey));
  if (e) txn.put(e.key, e.value);
}

/**
 * A row's entry in an index (undefined when a partial index leaves the row out); a unique entry
 * whose key is taken throws ConstraintError.
 */
function checkedEntry(txn: StorageTransaction, table: TableDef, ix: IndexHandle, row: readonly SqlValue[], rowParts: Uint8Array): IndexEntry | undefined {
  if (!partialOk(ix, row)) return undefined;
  const e = indexEntry(ix, row, rowParts);
  if (e.unique && txn.get(e.key) !== undefined) {
    throw new ConstraintError(`UNIQUE constraint failed: ${uniqueTarget(table, ix.def)}`, { details: { index: ix.def.name } });
  }
  return e;
}

/** Deletes a row and its index entries. */
export function deleteRow(txn: StorageTransaction, indexes: readonly IndexHandle[], key: Uint8Array, row: readonly SqlValue[]): void {
  txn.touchTable(rowKeyTableId(key));
  const rowParts = rowKeySuffix(key);
  for (const ix of indexes) {
    if (!partialOk(ix, row)) continue;
    txn.delete(indexEntry(ix, row, rowParts).key);
  }
  txn.delete(key);
}

/** The unique-index entry that a row would collide with, if any (for upserts). Returns the existing row key. */
export function findUniqueConflict(
  txn: StorageTransaction,
  table: TableDef,
  index: IndexHandle,
  row: readonly SqlValue[],
): Uint8Array | undefined {
  if (!index.def.unique || !partialOk(index, row)) return undefined;
  const e = indexEntry(index, row, new Uint8Array(0));
  if (!e.unique) return undefined;
  const v = txn.get(e.key);
  return v === undefined ? undefined : rowKey(table, decodeKey(v.payload));
}

function partialOk(index: IndexHandle, row: readonly SqlValue[]): boolean {
  return index.predicate === undefined || index.predicate(row);
}

/** Scans rows of a table in key order, optionally within a key range given as key-value bounds. */
export function scanTable(txn: StorageTransaction, table: TableDef, range?: KeyRange): ScanCursor {
  const p = tablePrefix(table);
  return txn.scan(range ?? { gte: p, lt: prefixEnd(p)! });
}

/** Decodes a row payload (or one column of it). */
export { decodeColumn, decodeRow, encodeRow };

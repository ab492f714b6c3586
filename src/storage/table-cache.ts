// The table cache: decoded rows of recently scanned tables, reused by later scans while no commit
// has written the table. A row-level buffer pool: a full scan through the engine costs microseconds
// per row, a scan of cached rows nanoseconds.

import type { SqlValue } from '../executor/value.js';
import { keyString } from './bytes.js';
import type { MvccStore } from './mvcc/store.js';

/** Rows the cache holds in all, summed over tables (older tables are evicted first). */
export const TABLE_CACHE_ROWS = 2_000_000;

const EMPTY: readonly SqlValue[][] = Object.freeze([]);

interface Entry {
  /** The snapshot timestamp the rows were read at. */
  readonly builtTs: number;
  readonly rows: readonly SqlValue[][];
  /** Rows by the binary string of their row key, built on the first keyed lookup. */
  byKey?: Map<string, SqlValue[]>;
  /** Rows by the values of an index's columns, per index id, built on the first lookup through it. */
  byIndex?: Map<number, Map<string, SqlValue[][]>>;
  /** Rows in an index's order (with their entry keys as binary strings), per index id. */
  sorted?: Map<number, SortedRows>;
}

/** A table's cached rows in the order of one index: `keys[i]` is the index entry key of `rows[i]`. */
export interface SortedRows {
  readonly keys: readonly string[];
  readonly rows: readonly SqlValue[][];
}

/**
 * Decoded rows per table id. An entry read at snapshot B serves a reader at snapshot S when no
 * commit wrote the table after min(B, S): then the table is the same at B and at S. Rows in the
 * cache are shared and must never be mutated.
 */
export class TableCache {
  private readonly entries = new Map<number, Entry>();
  private size = 0;

  constructor(
    private readonly store: MvccStore,
    private readonly budget = TABLE_CACHE_ROWS,
  ) {}

  /** The entry of a table if it can answer for snapshot `ts`; a stale entry is dropped. */
  private valid(tableId: number, ts: number): Entry | undefined {
    const e = this.entries.get(tableId);
    if (!e) return undefined;
    if ((this.store.tableWrites.get(tableId) ?? 0) > Math.min(ts, e.builtTs)) {
      this.drop(tableId);
      return undefined;
    }
    return e;
  }

  /** The cached rows of a table as seen at snapshot `ts`, if valid. */
  get(tableId: number, ts: number): readonly SqlValue[][] | undefined {
    const e = this.valid(tableId, ts);
    if (!e) return undefined;
    // Most recently used last.
    this.entries.delete(tableId);
    this.entries.set(tableId, e);
    return e.rows;
  }

  /**
   * A row by key from the cached table as seen at snapshot `ts`: the row, null when the table
   * has no such row, or undefined when the cache cannot answer. `keyColumn` is where scan rows
   * carry their key bytes.
   */
  lookup(tableId: number, ts: number, key: Uint8Array, keyColumn: number): SqlValue[] | null | undefined {
    const e = this.valid(tableId, ts);
    if (!e) return undefined;
    if (!e.byKey) {
      e.byKey = new Map();
      for (const r of e.rows) e.byKey.set(keyString(r[keyColumn] as Uint8Array), r);
    }
    return e.byKey.get(keyString(key)) ?? null;
  }

  /**
   * The rows whose index columns equal a probe, when the table is cached and valid for `ts`
   * (undefined otherwise): the in-memory equivalent of an index range scan on equality. `keyOf`
   * maps a row to the binary string of its index values (undefined for rows the index leaves
   * out, e.g. NULLs); the probe is given in the same form.
   */
  lookupIndex(tableId: number, ts: number, indexId: number, keyOf: (row: SqlValue[]) => string | undefined, probe: string): readonly SqlValue[][] | undefined {
    const e = this.valid(tableId, ts);
    if (!e) return undefined;
    e.byIndex ??= new Map();
    let map = e.byIndex.get(indexId);
    if (!map) {
      map = new Map();
      for (const r of e.rows) {
        const k = keyOf(r);
        if (k === undefined) continue;
        const list = map.get(k);
        if (list) list.push(r);
        else map.set(k, [r]);
      }
      e.byIndex.set(indexId, map);
    }
    return map.get(probe) ?? EMPTY;
  }

  /**
   * The cached rows sorted by an index's entry keys (built on first use), when the table is
   * cached and valid for `ts`: an index range scan becomes two binary searches.
   */
  sortedIndex(tableId: number, ts: number, indexId: number, entryKey: (row: SqlValue[]) => string): SortedRows | undefined {
    const e = this.valid(tableId, ts);
    if (!e) return undefined;
    e.sorted ??= new Map();
    let s = e.sorted.get(indexId);
    if (!s) {
      const pairs = e.rows.map((r) => [entryKey(r), r] as const);
      pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      s = { keys: pairs.map((p) => p[0]), rows: pairs.map((p) => p[1]) };
      e.sorted.set(indexId, s);
    }
    return s;
  }

  /** Stores the rows of a full scan made at snapshot `builtTs`. */
  put(tableId: number, builtTs: number, rows: readonly SqlValue[][]): void {
    if (rows.length > this.budget) return;
    if ((this.store.tableWrites.get(tableId) ?? 0) > builtTs) return;
    this.drop(tableId);
    this.entries.set(tableId, { builtTs, rows });
    this.size += rows.length;
    for (const [id, e] of this.entries) {
      if (this.size <= this.budget) break;
      if (id === tableId) continue;
      this.entries.delete(id);
      this.size -= e.rows.length;
    }
  }

  /** Forgets a table. */
  drop(tableId: number): void {
    const e = this.entries.get(tableId);
    if (!e) return;
    this.entries.delete(tableId);
    this.size -= e.rows.length;
  }
}

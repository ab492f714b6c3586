// Who keeps table sketches (table-sketch.ts) current: each transaction tracks its inserts and row
// writes per table (InsertTracker); its commit hands the store's registry (TableSketches) the
// changes, which add the inserts to a table's sketch or drop it.

import type { SqlValue } from '../../executor/value.js';
import { InsertLog, TableSketch } from '../table-sketch.js';

/**
 * Tables that keep insert sketches at once (each up to a 4,096-row sample and a few KiB per
 * column): a process creating many tables keeps them for those it inserted into last, the bulk
 * loads ANALYZE would otherwise scan.
 */
export const MAX_SKETCHED_TABLES = 16;

/** What a commit does to sketches: per table, its logged inserts, or null (the sketch goes). */
export interface SketchChanges {
  readonly logs: ReadonlyMap<number, InsertLog | null>;
  /** Tables the transaction created: their sketches start with this commit. */
  readonly created: ReadonlySet<number> | undefined;
}

/** The store's sketches, exact as of the newest commit; the most recently inserted into kept. */
export class TableSketches {
  private readonly sketches = new Map<number, TableSketch>();

  has(tableId: number): boolean {
    return this.sketches.has(tableId);
  }

  get(tableId: number): TableSketch | undefined {
    return this.sketches.get(tableId);
  }

  /** Applies a commit's changes (in the turn in which the commit becomes visible). */
  apply(changes: SketchChanges): void {
    for (const [id, log] of changes.logs) {
      let s = this.sketches.get(id);
      if (log === null) {
        this.sketches.delete(id);
        continue;
      }
      if (s === undefined && changes.created?.has(id)) s = new TableSketch(id);
      if (s === undefined) continue;
      s.add(log);
      // Most recently inserted into last; past the limit, the least recently goes (for good).
      this.sketches.delete(id);
      this.sketches.set(id, s);
      if (this.sketches.size > MAX_SKETCHED_TABLES) this.sketches.delete(this.sketches.keys().next().value!);
    }
  }
}

/**
 * One transaction's part: every row write counted per table, the inserts of new rows logged for
 * tables with a sketch (or created by the transaction). The logged inserts of a table must account
 * for all its row writes, or its sketch goes.
 */
export class InsertTracker {
  /** Row writes per table. */
  private readonly rowWrites = new Map<number, number>();
  /** Per table with a sketch, the hashes of the rows inserted. */
  private logs: Map<number, InsertLog> | undefined;
  private created: Set<number> | undefined;
  /** Set when a savepoint rollback undid writes that the logs still hold. */
  private stale = false;

  constructor(private readonly sketches: TableSketches) {}

  /** Counts a row write. */
  rowWritten(tableId: number): void {
    this.rowWrites.set(tableId, (this.rowWrites.get(tableId) ?? 0) + 1);
  }

  /** Notes a table created, empty, by the transaction. */
  tableCreated(tableId: number): void {
    (this.created ??= new Set()).add(tableId);
  }

  /** Logs the values of a row just written (and counted) under a key that held no row. */
  inserted(tableId: number, row: readonly SqlValue[]): void {
    let log = this.logs?.get(tableId);
    if (log === undefined) {
      if (!this.sketches.has(tableId) && !this.created?.has(tableId)) return;
      log = new InsertLog(row.length, tableId);
      (this.logs ??= new Map()).set(tableId, log);
    }
    log.add(row);
  }

  /** A savepoint rollback undid writes: the logs no longer match them. */
  rolledBack(): void {
    this.stale = true;
  }

  /**
   * The commit's changes to the sketches of the tables written or created: the log when inserts
   * account for every row write (and `exact`: not READ COMMITTED), else null.
   */
  changes(exact: boolean): SketchChanges | undefined {
    if (this.rowWrites.size === 0 && !this.created) return undefined;
    const logs = new Map<number, InsertLog | null>();
    const ok = exact && !this.stale;
    for (const id of new Set([...this.rowWrites.keys(), ...(this.created ?? [])])) {
      const log = this.logs?.get(id);
      logs.set(id, ok && (log?.rows ?? 0) === (this.rowWrites.get(id) ?? 0) ? (log ?? new InsertLog(0)) : null);
    }
    return { logs, created: this.created };
  }
}

// Runs an import's statements: DDL on its own, rows in batched transactions, FK-blocked rows retried last.

import type { Database } from '../api/database.js';
import type { SqlParams } from '../api/sql-session.js';
import { ToonDBError } from '../errors.js';

/** One statement an import did not run, and why. */
export interface SkippedStatement {
  readonly line: number;
  /** The statement's start (at most 120 characters). */
  readonly statement: string;
  readonly reason: string;
}

/** Where an import is, for a progress bar. */
export interface ImportProgress {
  /** 'bytes' of a script read (counted in characters, so approximate beyond ASCII), or 'rows' of a SQLite file copied. */
  readonly unit: 'bytes' | 'rows';
  readonly done: number;
  readonly total: number;
  readonly rows: number;
  readonly statements: number;
  /** The table being loaded, when known. */
  readonly table?: string;
}

/** Where a statement came from, for error messages. */
export interface Origin {
  readonly line: number;
  readonly statement: string;
}

interface Deferred {
  readonly sql: string;
  readonly params: SqlParams | undefined;
  readonly table: string | undefined;
  readonly origin: Origin;
  readonly error: unknown;
  /** For merged INSERTs: the statements merged, to retry one by one if the whole keeps failing. */
  readonly parts?: readonly { sql: string; origin: Origin }[];
}

/** A statement's opening words, for messages. */
export function snippet(sql: string, max = 120): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}

/** An error that names the statement and line it came from; keeps the engine's code. */
export function importError(err: unknown, origin: Origin): ToonDBError {
  const message = err instanceof Error ? err.message : String(err);
  const code = err instanceof ToonDBError ? err.code : 'DATABASE_ERROR';
  return new ToonDBError(code, `import failed at line ${origin.line} (${snippet(origin.statement, 80)}): ${message}`, {
    cause: err,
    details: { line: origin.line, statement: snippet(origin.statement) },
  });
}

const isForeignKeyError = (err: unknown): boolean => err instanceof ToonDBError && err.code === 'CONSTRAINT' && /FOREIGN KEY/i.test(err.message);

/**
 * Executes for an import. Data statements run inside BEGIN … COMMIT batches of about
 * `batchRows` rows; anything else commits the open batch first. A data statement that fails
 * only on a FOREIGN KEY (a dump that loads children before parents, as sqlite3 .dump and
 * mysqldump do with key checks switched off) is set aside and retried after the rest.
 */
export class Loader {
  /** Rows written per table (by the name the statements used). */
  readonly rows = new Map<string, number>();
  statements = 0;
  private inBatch = false;
  private pending = 0;
  private deferred: Deferred[] = [];

  constructor(
    private readonly db: Database,
    private readonly batchRows: number,
  ) {}

  /** Total rows written so far. */
  get totalRows(): number {
    let n = 0;
    for (const v of this.rows.values()) n += v;
    return n;
  }

  /** Runs a schema (or other) statement outside any batch. */
  async run(sql: string, origin: Origin): Promise<void> {
    await this.commit();
    try {
      await this.db.executeSql(sql);
    } catch (err) {
      throw importError(err, origin);
    }
  }

  /** Runs a data statement in the current batch. */
  async data(sql: string, params: SqlParams | undefined, table: string | undefined, origin: Origin, canDefer = true): Promise<void> {
    if (!this.inBatch) {
      await this.db.executeSql('BEGIN');
      this.inBatch = true;
    }
    let affected: number;
    try {
      affected = (await this.db.executeSql(sql, params)).rowsAffected;
    } catch (err) {
      // Inside BEGIN a failing statement is undone alone, so the batch can go on.
      if (canDefer && isForeignKeyError(err)) {
        this.deferred.push({ sql, params, table, origin, error: err });
        return;
      }
      await this.rollback();
      throw importError(err, origin);
    }
    if (table !== undefined) this.rows.set(table, (this.rows.get(table) ?? 0) + affected);
    this.pending += affected;
    if (this.pending >= this.batchRows) await this.commit();
  }

  /**
   * Runs several single-row INSERTs merged into one multi-row `sql`. When the merged statement
   * fails, it is undone alone and the parts run one by one, so that an error (or a FOREIGN KEY
   * deferral) names the exact statement.
   */
  async dataMerged(sql: string, parts: readonly { sql: string; origin: Origin }[], table: string | undefined, canDefer = true): Promise<void> {
    if (!this.inBatch) {
      await this.db.executeSql('BEGIN');
      this.inBatch = true;
    }
    let affected: number;
    try {
      affected = (await this.db.executeSql(sql)).rowsAffected;
    } catch (err) {
      if (canDefer && isForeignKeyError(err)) {
        this.deferred.push({ sql, params: undefined, table, origin: parts[0]!.origin, error: err, parts });
        return;
      }
      for (const p of parts) await this.data(p.sql, undefined, table, p.origin, canDefer);
      return;
    }
    if (table !== undefined) this.rows.set(table, (this.rows.get(table) ?? 0) + affected);
    this.pending += affected;
    if (this.pending >= this.batchRows) await this.commit();
  }

  /** Commits the open batch, if any. */
  async commit(): Promise<void> {
    if (!this.inBatch) return;
    this.inBatch = false;
    this.pending = 0;
    await this.db.executeSql('COMMIT');
  }

  /** Rolls back the open batch, if any (after an error). */
  async rollback(): Promise<void> {
    if (!this.inBatch) return;
    this.inBatch = false;
    this.pending = 0;
    await this.db.executeSql('ROLLBACK').catch(() => {});
  }

  /** Retries statements set aside for a FOREIGN KEY until none is left or no retry succeeds. */
  async retryDeferred(): Promise<void> {
    while (this.deferred.length > 0) {
      await this.commit();
      const round = this.deferred;
      this.deferred = [];
      for (const d of round) {
        if (d.parts) await this.dataMerged(d.sql, d.parts, d.table);
        else await this.data(d.sql, d.params, d.table, d.origin, true);
      }
      await this.commit();
      if (this.deferred.length === round.length && this.deferred.some((d) => d.parts)) {
        // Merged statements that keep failing: retry their rows one by one to find the culprits.
        this.deferred = this.deferred.flatMap((d) => (d.parts ? d.parts.map((p) => ({ sql: p.sql, params: undefined, table: d.table, origin: p.origin, error: d.error })) : [d]));
        continue;
      }
      if (this.deferred.length === round.length) {
        // No retry succeeded: the rows reference keys that are not in the dump at all.
        const first = this.deferred[0]!;
        const tables = [...new Set(this.deferred.map((d) => d.table ?? '?'))];
        const err = importError(first.error, first.origin);
        if (this.deferred.length > 1) {
          err.message += ` (${this.deferred.length} statements in all still fail a FOREIGN KEY after loading everything else, in ${tables.join(', ')})`;
        }
        throw err;
      }
    }
  }
}

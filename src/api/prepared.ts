// Prepared statements: parse once, execute many times with different parameters.

import type { SqlValue } from '../executor/value.js';
import { ValidationError } from '../errors.js';
import type { SQLQueryResult } from './sql-result.js';
import type { SqlParams } from './sql-session.js';

/** A statement prepared by db.prepare(sql). */
export class PreparedStatement {
  private closed = false;

  constructor(
    /** The statement text. */
    readonly sql: string,
    private readonly run: (params: SqlParams | undefined, signal?: AbortSignal) => Promise<SQLQueryResult>,
  ) {}

  private check(): void {
    if (this.closed) throw new ValidationError('this prepared statement is closed');
  }

  /** Executes with `params`; returns the full result. */
  async execute(params?: SqlParams): Promise<SQLQueryResult> {
    this.check();
    return this.run(params);
  }

  /** All rows as objects keyed by column name. */
  async all(params?: SqlParams): Promise<Record<string, SqlValue>[]> {
    const r = await this.execute(params);
    return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]!])));
  }

  /** The first row as an object, or undefined. */
  async get(params?: SqlParams): Promise<Record<string, SqlValue> | undefined> {
    return (await this.all(params))[0];
  }

  /** Iterates the rows as objects. */
  async *iterate(params?: SqlParams): AsyncGenerator<Record<string, SqlValue>> {
    for (const row of await this.all(params)) yield row;
  }

  /** Releases the statement; later calls fail. */
  close(): void {
    this.closed = true;
  }
}

// The better-sqlite3 adapter: the reference engine that proves the harnesses themselves.

import Database, { type Statement } from 'better-sqlite3';
import type { AdapterResult, SqlEngineAdapter } from './adapter.js';

/** Options for the SQLite reference adapter. */
export interface SqliteAdapterOptions {
  /** Database file; ':memory:' by default. */
  path?: string;
}

/**
 * Opens better-sqlite3 as an adapter. Integers come back as `bigint` and REALs as
 * `number` (safe-integer mode), which is how the slt formatter tells them apart.
 */
export async function createSqliteAdapter(options: SqliteAdapterOptions = {}): Promise<SqlEngineAdapter> {
  const db = new Database(options.path ?? ':memory:');
  return {
    name: 'sqlite',
    async query(sql: string): Promise<AdapterResult> {
      const stmt = db.prepare(sql);
      if (!stmt.reader) {
        stmt.run();
        return { columns: [], rows: [] };
      }
      const columns = stmt.columns().map((c) => c.name);
      const rows = stmt.safeIntegers(true).raw(true).all() as unknown[][];
      return { columns, rows };
    },
    async run(sql: string): Promise<void> {
      let stmt: Statement;
      try {
        stmt = db.prepare(sql);
      } catch (e) {
        // Like the reference's sqlite3_exec(), a statement record may hold several statements.
        if (e instanceof Error && /more than one statement/.test(e.message)) return void db.exec(sql);
        throw e;
      }
      if (stmt.reader) stmt.all();
      else stmt.run();
    },
    async exec(script: string): Promise<void> {
      db.exec(script);
    },
    async close(): Promise<void> {
      db.close();
    },
  };
}

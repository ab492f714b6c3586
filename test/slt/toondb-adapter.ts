// The ToonDB adapter: runs harness statements through Database.executeSql / exec on ':memory:'.

import type { AdapterResult, SqlEngineAdapter } from './adapter.js';

/**
 * The SQL surface the harnesses use, declared here so this file compiles while
 * ToonQL is still being written (see SQLQueryResult in the SQL API design).
 */
interface ToonSqlSurface {
  executeSql(
    sql: string,
    params?: unknown[] | Record<string, unknown>,
  ): Promise<{ columns: string[]; columnTypes: string[]; rows: unknown[][] }>;
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens an in-memory ToonDB as an adapter; fails clearly if the SQL API is not there yet. */
export async function createToonDbAdapter(): Promise<SqlEngineAdapter> {
  const { Database } = await import('../../src/index.js');
  const db = (await Database.open(':memory:')) as unknown as ToonSqlSurface;
  if (typeof db.executeSql !== 'function' || typeof db.exec !== 'function') {
    await db.close();
    throw new Error('ToonDB does not expose executeSql()/exec() yet');
  }
  return {
    name: 'toondb',
    async query(sql: string): Promise<AdapterResult> {
      const r = await db.executeSql(sql);
      return { columns: r.columns, types: r.columnTypes, rows: r.rows };
    },
    async run(sql: string): Promise<void> {
      await db.executeSql(sql);
    },
    async exec(script: string): Promise<void> {
      await db.exec(script);
    },
    async close(): Promise<void> {
      await db.close();
    },
  };
}

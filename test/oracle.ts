// Differential tests against SQLite (better-sqlite3, a devDependency): the same statements run on
// ToonDB and on SQLite, and a query must return the same rows from both.

import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll } from 'vitest';
import { Database } from '../src/index.js';

/** ToonDB in memory and SQLite beside it, with the same contents. */
export interface Oracle {
  readonly ours: Database;
  readonly sqlite: Sqlite.Database;
  /** Runs a script (statements separated by `;`) on both. */
  exec(sql: string): Promise<void>;
  /** The rows SQLite returns, in the form ToonDB returns them (blobs as Uint8Array). */
  expected(sql: string, options?: { safeIntegers?: boolean }): unknown[][];
  /** The rows ToonDB returns. */
  actual(sql: string): Promise<unknown[][]>;
  /** ToonDB's EXPLAIN of a query, one line per operator. */
  plan(sql: string): Promise<string>;
}

/**
 * Opens both databases before this file's tests, runs `setup` on both (then `load`, for data
 * built in code), and closes them after.
 */
export function useOracle(setup: string, load?: (o: Oracle) => Promise<void>): Oracle {
  const state: { ours?: Database; sqlite?: Sqlite.Database } = {};
  const o: Oracle = {
    get ours() {
      return state.ours!;
    },
    get sqlite() {
      return state.sqlite!;
    },
    async exec(sql) {
      await state.ours!.exec(sql);
      state.sqlite!.exec(sql);
    },
    expected(sql, options = {}) {
      const rows = state.sqlite!.prepare(sql).safeIntegers(options.safeIntegers ?? false).raw().all() as unknown[][];
      return rows.map((r) => r.map((v) => (Buffer.isBuffer(v) ? new Uint8Array(v) : v)));
    },
    async actual(sql) {
      return (await state.ours!.executeSql(sql)).rows;
    },
    async plan(sql) {
      return (await state.ours!.executeSql(`EXPLAIN ${sql}`)).rows.map((r) => String(r[0])).join('\n');
    },
  };
  beforeAll(async () => {
    state.ours = await Database.open(':memory:');
    state.sqlite = new Sqlite(':memory:');
    await o.exec(setup);
    await load?.(o);
  });
  afterAll(async () => {
    await state.ours?.close();
    state.sqlite?.close();
  });
  return o;
}

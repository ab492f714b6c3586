// Chinook queries on the engine named by TOONDB_CHINOOK_ENGINE (default toondb), checked against SQLite.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterFactoryFor, engineFromEnv, type SqlEngineAdapter } from '../slt/adapter.js';
import { createSqliteAdapter } from '../slt/sqlite-adapter.js';
import {
  CHINOOK_DIR,
  CHINOOK_FILES,
  chinookAvailable,
  compareResults,
  loadChinookSqlite,
  preparePostgresScript,
  readChinookScript,
} from './harness.js';
import { CHINOOK_QUERIES } from './queries.js';

// Switching the engine under test is this one line (or TOONDB_CHINOOK_ENGINE=toondb).
const engine = engineFromEnv('TOONDB_CHINOOK_ENGINE', 'toondb');
const available = chinookAvailable();
if (!available) console.log(`Chinook: skipped, ${CHINOOK_DIR} is absent`);

const TABLES = ['Album', 'Artist', 'Customer', 'Employee', 'Genre', 'Invoice', 'InvoiceLine', 'MediaType', 'Playlist', 'PlaylistTrack', 'Track'];

describe.skipIf(!available)(`Chinook on ${engine} vs SQLite`, () => {
  let reference: SqlEngineAdapter;
  let tested: SqlEngineAdapter;

  beforeAll(async () => {
    reference = await createSqliteAdapter();
    await loadChinookSqlite(reference);
    tested = await adapterFactoryFor(engine)();
    const started = performance.now();
    await loadChinookSqlite(tested);
    console.log(`Chinook loaded into ${engine} in ${(performance.now() - started).toFixed(0)} ms`);
  }, 300_000);

  afterAll(async () => {
    await reference?.close();
    await tested?.close();
  });

  it('loads every table with the same row count', async () => {
    const sql = TABLES.map((t) => `SELECT '${t}' AS TableName, COUNT(*) AS N FROM [${t}]`).join(' UNION ALL ');
    const expected = await reference.query(`${sql} ORDER BY TableName`);
    expect(expected.rows.find((r) => r[0] === 'Track')?.[1]).toBe(3503n);
    for (const t of TABLES) {
      const [e, a] = await Promise.all([reference.query(`SELECT COUNT(*) AS N FROM ${t}`), tested.query(`SELECT COUNT(*) AS N FROM ${t}`)]);
      expect(compareResults(e, a), t).toEqual([]);
    }
  });

  for (const query of CHINOOK_QUERIES) {
    it(query.name, async () => {
      const expected = await reference.query(query.sql);
      const actual = await tested.query(query.sql);
      expect(compareResults(expected, actual), `${query.sql}\n`).toEqual([]);
      expect(expected.rows.length, 'a query should return rows').toBeGreaterThan(0);
    });
  }
});

describe.skipIf(!available)('Chinook query set and scripts', () => {
  // Each ORDER BY was reviewed to end in a unique key: SQLite scans in primary-key order,
  // so ties would hide here and show up only on an engine that scans differently.
  it('has ~40 queries with unique names, each ending in ORDER BY (optionally with LIMIT)', () => {
    expect(CHINOOK_QUERIES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CHINOOK_QUERIES.map((q) => q.name)).size).toBe(CHINOOK_QUERIES.length);
    for (const q of CHINOOK_QUERIES) expect(q.sql, q.name).toMatch(/ORDER BY [^()]+$/);
  });

  it('finds every Chinook script, and strips psql meta-commands from the Postgres ones', () => {
    for (const f of CHINOOK_FILES) expect(existsSync(join(CHINOOK_DIR, f)), f).toBe(true);
    for (const f of CHINOOK_FILES.filter((name) => name.includes('PostgreSql'))) {
      const { script, notices } = preparePostgresScript(readChinookScript(f));
      expect(notices, f).toEqual([
        expect.stringMatching(/^line \d+: removed server statement DROP DATABASE IF EXISTS chinook\w*;$/),
        expect.stringMatching(/^line \d+: removed server statement CREATE DATABASE chinook\w*;$/),
        expect.stringMatching(/^line \d+: removed psql meta-command \\c chinook\w*;$/),
      ]);
      expect(script.split('\n').some((l) => l.startsWith('\\'))).toBe(false);
      expect(script.split('\n').length).toBe(readChinookScript(f).split('\n').length);
    }
  });
});

// ANALYZE of a large table changed only by inserts since its creation reads the statistics those
// inserts kept (src/storage/table-sketch.ts) instead of scanning; anything else makes it scan.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import { cleanupTempDirs, tempDir } from '../helpers.js';

const ROWS = 70_000; // above the 60,000 rows ANALYZE reads in full anyway

let db: Database;
beforeEach(async () => {
  db = await Database.open(':memory:');
  await db.executeSql('CREATE TABLE s (id INTEGER PRIMARY KEY, g INTEGER, t TEXT, n REAL)');
});
afterEach(async () => {
  await db.close();
  cleanupTempDirs();
});

const load = (from: number, to: number) =>
  db.executeSql(`INSERT INTO s SELECT value, value % 700, 'k' || value, CASE WHEN value % 1000 = 0 THEN value / 2.0 END FROM generate_series(${from}, ${to})`);

/** Runs ANALYZE s; returns its row count, the stored statistics, and the bytes it read. */
async function analyze(d = db) {
  const before = (await d.stats()).bytesRead;
  const result = await d.executeSql('ANALYZE s');
  const read = (await d.stats()).bytesRead - before;
  return { rows: result.rows[0]![1], stats: d.catalog.stats.get(d.getTableSchema('s').id)!, read };
}

function expectClose(actual: number | undefined, expected: number, tolerance = 0.04) {
  expect(Math.abs(actual! - expected) / expected).toBeLessThan(tolerance);
}

describe('ANALYZE from statistics kept by inserts', () => {
  it('counts rows exactly and estimates distinct values within 4%, reading no rows', async () => {
    await load(1, 40_000);
    await db.executeSql('BEGIN');
    await load(40_001, ROWS);
    await db.executeSql('INSERT INTO s (g) VALUES (1), (2)'); // rowids handed out by the database
    await db.executeSql('COMMIT');
    const { rows, stats, read } = await analyze();
    expect(rows).toBe(ROWS + 2);
    expect(stats.rowCount).toBe(ROWS + 2);
    expect(read).toBe(0);
    const [id, g, t, n] = stats.distinct;
    expectClose(id, ROWS + 2);
    expect(g).toBe(700);
    expectClose(t, ROWS);
    expect(n).toBe(ROWS / 1000);
  });

  it('concurrent inserting transactions both count', async () => {
    const a = db.beginTransaction();
    const b = db.beginTransaction();
    await a.executeSql('INSERT INTO s SELECT value, 1, NULL, NULL FROM generate_series(1, 40000)');
    await b.executeSql('INSERT INTO s SELECT value, 2, NULL, NULL FROM generate_series(40001, 80000)');
    await a.commit();
    await b.commit();
    const { rows, stats, read } = await analyze();
    expect(rows).toBe(80_000);
    expect(read).toBe(0);
    expect(stats.distinct[1]).toBe(2);
  });

  it('a failed transaction or statement adds nothing', async () => {
    await load(1, ROWS);
    await db.executeSql('BEGIN');
    await load(ROWS + 1, ROWS + 10);
    await db.executeSql('ROLLBACK');
    await expect(db.executeSql(`INSERT INTO s (id) VALUES (${ROWS + 1}), (1)`)).rejects.toThrow(/UNIQUE/);
    const { rows, read } = await analyze();
    expect(rows).toBe(ROWS);
    expect(read).toBe(0);
  });

  for (const [what, change, expected] of [
    ['a DELETE', 'DELETE FROM s WHERE id <= 10', ROWS - 10],
    ['an UPDATE', "UPDATE s SET t = 'same' WHERE id <= 10", ROWS],
    ['an INSERT OR REPLACE of an existing row', "INSERT OR REPLACE INTO s (id, g) VALUES (5, 5)", ROWS],
    ['an upsert that updates', 'INSERT INTO s (id, g) VALUES (5, 5) ON CONFLICT (id) DO UPDATE SET g = 6', ROWS],
    // (A transaction left with no writes commits nothing, and the kept statistics stay exact.)
    ['a statement undone inside a transaction', `BEGIN; INSERT INTO s (id) VALUES (${ROWS + 1}), (1); INSERT INTO s (id) VALUES (${ROWS + 2}); COMMIT`, ROWS + 1],
    ['a savepoint rolled back', `BEGIN; SAVEPOINT a; INSERT INTO s (id) VALUES (${ROWS + 1}); ROLLBACK TO a; INSERT INTO s (id) VALUES (${ROWS + 2}); COMMIT`, ROWS + 1],
    ['ALTER TABLE DROP COLUMN', 'ALTER TABLE s DROP COLUMN n', ROWS],
  ] as const) {
    it(`after ${what}, ANALYZE scans and counts exactly`, async () => {
      await load(1, ROWS);
      if (change.startsWith('BEGIN')) {
        for (const stmt of change.split('; ')) await db.executeSql(stmt).catch(() => undefined);
      } else await db.executeSql(change);
      const { rows, read } = await analyze();
      expect(rows).toBe(expected);
      expect(read).toBeGreaterThan(0);
      // Inserts after that do not bring the kept statistics back.
      await db.executeSql(`INSERT INTO s (id) VALUES (${ROWS + 100})`);
      expect((await analyze()).read).toBeGreaterThan(0);
    });
  }

  it('READ COMMITTED inserts are not counted (they may overwrite a concurrent insert)', async () => {
    const txn = db.beginTransaction({ isolation: 'read_committed' });
    await txn.executeSql(`INSERT INTO s SELECT value, 1, NULL, NULL FROM generate_series(1, ${ROWS})`);
    await txn.commit();
    const { rows, read } = await analyze();
    expect(rows).toBe(ROWS);
    expect(read).toBeGreaterThan(0);
  });

  it('a reader older than a later insert scans its own snapshot', async () => {
    await load(1, ROWS);
    const reader = db.beginTransaction();
    await reader.executeSql('SELECT count(*) FROM s');
    await load(ROWS + 1, ROWS + 5);
    const result = await reader.executeSql('ANALYZE s');
    expect(result.rows[0]![1]).toBe(ROWS);
    reader.abort();
  });

  it('are kept for the 16 tables inserted into last: memory stays bounded however many tables there are', async () => {
    await load(1, ROWS);
    for (let i = 0; i < 16; i++) {
      await db.executeSql(`CREATE TABLE x${i} (a INTEGER)`);
      await db.executeSql(`INSERT INTO x${i} VALUES (${i})`);
    }
    expect((await analyze()).read).toBeGreaterThan(0);
    // The table loaded last keeps its sketch.
    await db.executeSql('CREATE TABLE last (id INTEGER PRIMARY KEY, g INTEGER)');
    await db.executeSql(`INSERT INTO last SELECT value, value % 3 FROM generate_series(1, ${ROWS})`);
    const before = (await db.stats()).bytesRead;
    await db.executeSql('ANALYZE last');
    expect((await db.stats()).bytesRead - before).toBe(0);
  });

  it('are kept in memory only: after a reopen ANALYZE scans', async () => {
    const dir = tempDir('sketch');
    {
      await using d = await Database.open(dir);
      await d.executeSql('CREATE TABLE s (id INTEGER PRIMARY KEY, g INTEGER)');
      await d.executeSql(`INSERT INTO s SELECT value, value % 10 FROM generate_series(1, ${ROWS})`);
      expect((await analyze(d)).read).toBe(0);
    }
    {
      await using d = await Database.open(dir);
      const { rows, stats, read } = await analyze(d);
      expect(rows).toBe(ROWS);
      expect(read).toBeGreaterThan(0);
      expect(stats.distinct[1]).toBe(10);
    }
  });
});

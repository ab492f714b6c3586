// Executor fast paths agree with SQLite on random data with NULLs and mixed types: TopN's heap,
// HashAggregate's grouped aggregates, index range scans from the table cache.

import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import { seededRandom } from '../../src/util/random.js';

const ROWS = 3000;

/** A value of no declared type: an integer, a REAL, an integral REAL, numeric or other text, or NULL. */
function mixed(rnd: () => number): string {
  const x = rnd();
  if (x < 0.1) return 'NULL';
  if (x < 0.4) return String(Math.floor(rnd() * 20) - 5);
  if (x < 0.6) return (Math.floor(rnd() * 400) / 8 - 10).toFixed(3);
  if (x < 0.7) return `${Math.floor(rnd() * 20)}.0`;
  if (x < 0.8) return `'${Math.floor(rnd() * 20)}'`;
  return `'w${Math.floor(rnd() * 15)}'`;
}

function setupSql(): string {
  const rnd = seededRandom(42);
  const rows: string[] = [];
  for (let id = 1; id <= ROWS; id++) {
    const i = rnd() < 0.05 ? 'NULL' : String(Math.floor(rnd() * 200) - 50);
    const r = rnd() < 0.05 ? 'NULL' : (Math.round(rnd() * 100000) / 100).toFixed(2);
    const t = rnd() < 0.05 ? 'NULL' : `'${['apple', 'Apple', 'banana', 'Cherry', 'cherry', 'date'][Math.floor(rnd() * 6)]}${Math.floor(rnd() * 40)}'`;
    rows.push(`(${id}, ${mixed(rnd)}, ${i}, ${r}, ${t}, ${mixed(rnd)}, ${Math.floor(rnd() * 60)})`);
  }
  return `
    CREATE TABLE m (id INTEGER PRIMARY KEY, k, i INTEGER, r REAL, t TEXT, v, g INTEGER NOT NULL);
    CREATE INDEX m_g ON m (g);
    CREATE INDEX m_i ON m (i);
    INSERT INTO m VALUES ${rows.join(', ')};
  `;
}

let ours: Database;
let oracle: Sqlite.Database;
beforeAll(async () => {
  const sql = setupSql();
  ours = await Database.open(':memory:');
  await ours.exec(sql);
  await ours.exec('ANALYZE');
  oracle = new Sqlite(':memory:');
  oracle.exec(sql);
});
afterAll(async () => {
  await ours.close();
  oracle.close();
});

/** Runs a query on both engines, twice on ours (the second run reads the table cache the first filled). */
async function agree(q: string, plan?: RegExp): Promise<void> {
  if (plan) expect((await ours.executeSql(`EXPLAIN ${q}`)).rows.map((r) => r[0]).join('\n'), q).toMatch(plan);
  const expected = oracle.prepare(q).raw().all();
  await ours.executeSql('SELECT count(*) FROM m');
  expect((await ours.executeSql(q)).rows, q).toEqual(expected);
}

describe('TopN', () => {
  const queries = [
    'SELECT id, r FROM m ORDER BY r DESC, id LIMIT 10',
    'SELECT id, r FROM m ORDER BY r, id LIMIT 10 OFFSET 5',
    'SELECT id, k FROM m ORDER BY k, id LIMIT 40',
    'SELECT id, k FROM m ORDER BY k DESC, id DESC LIMIT 40',
    'SELECT id, v, k FROM m ORDER BY v NULLS LAST, k DESC NULLS FIRST, id LIMIT 25',
    'SELECT id, t FROM m ORDER BY t COLLATE NOCASE DESC, id LIMIT 12',
    'SELECT id, i FROM m ORDER BY i + r, id LIMIT 15',
    'SELECT id, i FROM m ORDER BY i, id LIMIT 5000',
    'SELECT id FROM m ORDER BY id DESC LIMIT 3',
  ];
  for (const q of queries) it(q, () => agree(q, /TopN/));

  it('keeps input order among equal keys', async () => {
    // Every row ties on the key, so the first LIMIT rows of the scan (rowid order) are kept.
    expect((await ours.executeSql('SELECT id FROM m ORDER BY g - g LIMIT 4')).rows).toEqual([[1], [2], [3], [4]]);
    expect((await ours.executeSql('SELECT id FROM m ORDER BY g - g DESC LIMIT 2 OFFSET 1')).rows).toEqual([[2], [3]]);
  });
});

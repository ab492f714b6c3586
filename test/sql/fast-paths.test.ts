// Executor fast paths agree with SQLite on random data with NULLs and mixed types: TopN's heap,
// HashAggregate's grouped aggregates, HashJoin's table and probe, index range scans from the
// table cache.

import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import { normInt } from '../../src/executor/value-ops.js';
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
    CREATE TABLE big (g INTEGER, x INTEGER);
    INSERT INTO big VALUES (1, 9223372036854775807), (1, 1), (2, 9007199254740991), (2, 9007199254740991), (2, 3),
      (3, -9223372036854775808), (3, 4611686018427387904), (3, 4611686018427387904), (4, NULL), (5, 9223372036854775807), (5, 0.5);
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

/** A query's rows, or its error's message; SQLite's 64-bit integers folded as ours are. */
async function outcome(run: () => unknown[][] | Promise<unknown[][]>): Promise<unknown[][] | { error: string }> {
  try {
    return (await run()).map((r) => r.map((v) => (typeof v === 'bigint' ? normInt(v) : v)));
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** Runs a query on both engines, on ours after a full scan of `table` has filled the table cache. */
async function agree(q: string, plan?: RegExp, table = 'm'): Promise<void> {
  if (plan) expect((await ours.executeSql(`EXPLAIN ${q}`)).rows.map((r) => r[0]).join('\n'), q).toMatch(plan);
  const expected = await outcome(() => oracle.prepare(q).safeIntegers(true).raw().all() as unknown[][]);
  await ours.executeSql(`SELECT count(*) FROM ${table}`);
  expect(await outcome(async () => (await ours.executeSql(q)).rows), q).toEqual(expected);
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
  ];
  for (const q of queries) it(q, () => agree(q, /TopN/));
  // The table itself, walked backwards, gives a descending primary key: no TopN.
  for (const q of ['SELECT id FROM m ORDER BY id DESC LIMIT 3', 'SELECT id, t FROM m WHERE id < 500 ORDER BY id DESC LIMIT 4 OFFSET 2', 'SELECT id, t FROM m ORDER BY rowid DESC LIMIT 2']) {
    it(q, () => agree(q, /PkRangeScan m.* REVERSE/));
  }

  it('keeps input order among equal keys', async () => {
    // Every row ties on the key, so the first LIMIT rows of the scan (rowid order) are kept.
    expect((await ours.executeSql('SELECT id FROM m ORDER BY g - g LIMIT 4')).rows).toEqual([[1], [2], [3], [4]]);
    expect((await ours.executeSql('SELECT id FROM m ORDER BY g - g DESC LIMIT 2 OFFSET 1')).rows).toEqual([[2], [3]]);
  });
});

describe('HashAggregate', () => {
  const queries = [
    'SELECT k, count(*), count(v), sum(i), avg(r), total(v), min(v), max(v), min(t), max(t) FROM m GROUP BY k ORDER BY k',
    'SELECT i, count(*), sum(r), avg(i), max(k), min(k) FROM m GROUP BY i ORDER BY i',
    'SELECT t, count(*), sum(k), avg(v), total(k) FROM m GROUP BY t ORDER BY t',
    'SELECT r, count(*), sum(v) FROM m GROUP BY r ORDER BY r',
    'SELECT g, k, count(*), sum(i), max(r) FROM m GROUP BY g, k ORDER BY g, k',
    'SELECT v, k, count(*) FROM m GROUP BY v, k ORDER BY v, k',
    'SELECT g % 7, count(*), sum(i * 2), avg(r / 3) FROM m GROUP BY g % 7 ORDER BY 1',
    'SELECT count(*), count(k), sum(i), avg(r), total(k), min(k), max(k), min(r), max(t) FROM m',
    'SELECT count(*), sum(i), avg(r), max(k) FROM m WHERE id < 0',
    'SELECT g, count(*) FROM m WHERE id < 0 GROUP BY g',
    "SELECT k, count(*) FILTER (WHERE r > 500), sum(i) FILTER (WHERE t LIKE 'a%'), max(v) FILTER (WHERE i IS NULL) FROM m GROUP BY k ORDER BY k",
    'SELECT g, count(DISTINCT k), sum(DISTINCT i), group_concat(DISTINCT t) FROM m GROUP BY g ORDER BY g',
    "SELECT g, group_concat(t, ',' ORDER BY t DESC, id), count(*) FROM m WHERE g + 0 < 10 GROUP BY g ORDER BY g",
    'SELECT k, sum(i) FROM m GROUP BY k HAVING count(*) > 100 ORDER BY k',
    // A join's batches can be longer than a scan's.
    'SELECT a.g, count(*), sum(b.i), max(b.k) FROM m a JOIN m b ON b.g = a.g WHERE a.id <= 600 GROUP BY a.g ORDER BY a.g',
  ];
  for (const q of queries) it(q, () => agree(q, /HashAggregate/));

  it('keeps NULL apart from a text that spells the old NULL key (regression)', async () => {
    await ours.exec("CREATE TABLE z (a, b); INSERT INTO z VALUES (NULL, 1), (char(0) || 'null', 1), (NULL, 1);");
    expect((await ours.executeSql('SELECT count(*) FROM z GROUP BY a')).rows).toEqual([[2], [1]]);
    expect((await ours.executeSql('SELECT count(*) FROM z GROUP BY a, b')).rows).toEqual([[2], [1]]);
  });

  it('sums INTEGER exactly in 64 bits and fails on overflow as SQLite does', async () => {
    await agree('SELECT g, sum(x) FROM big GROUP BY g ORDER BY g', /HashAggregate/, 'big');
    await agree('SELECT g, sum(x) FROM big WHERE g IN (2, 3, 4) GROUP BY g ORDER BY g', undefined, 'big');
    await agree('SELECT g, total(x), avg(x), count(x), min(x), max(x) FROM big GROUP BY g ORDER BY g', undefined, 'big');
    await agree('SELECT sum(x) FROM big WHERE g = 5', undefined, 'big');
    expect(await outcome(async () => (await ours.executeSql('SELECT sum(x) FROM big WHERE g = 1')).rows)).toEqual({ error: 'integer overflow' });
  });
});

describe('HashJoin', () => {
  const queries = [
    'SELECT a.id, b.id FROM m a JOIN m b ON b.t = a.t AND b.id > a.id + 2900 ORDER BY 1, 2',
    'SELECT a.id, b.id, b.r FROM m a JOIN m b ON b.t = a.t AND b.i = a.i AND b.id < a.id ORDER BY 1, 2',
    'SELECT a.id, b.id FROM m a LEFT JOIN (SELECT id, t FROM m WHERE id % 7 = 0) b ON b.t = a.t AND b.id < a.id ORDER BY 1, 2',
    'SELECT a.id, b.id FROM (SELECT * FROM m WHERE id % 5 = 0) a FULL JOIN (SELECT id, t FROM m WHERE id % 7 = 0) b ON b.t = a.t AND b.id < a.id ORDER BY 1, 2',
    'SELECT a.id, b.id FROM (SELECT * FROM m WHERE id % 5 = 0) a RIGHT JOIN (SELECT id, t FROM m WHERE id % 7 = 0) b ON b.t = a.t AND b.id < a.id ORDER BY 1, 2',
    'SELECT a.id FROM m a WHERE EXISTS (SELECT 1 FROM m b WHERE b.t = a.t AND b.r > a.r + 900) ORDER BY 1',
    'SELECT a.id FROM m a WHERE NOT EXISTS (SELECT 1 FROM m b WHERE b.t = a.t AND b.r > a.r + 900) ORDER BY 1',
    // (Joined on m.i, which has an index, the 60 groups now drive an IndexJoin; m.r has none.)
    'SELECT x.gg, x.n, m.id FROM (SELECT g AS gg, count(*) AS n FROM m GROUP BY g) x JOIN m ON m.r = x.gg ORDER BY 1, 3',
    // A residual condition with a correlated subquery.
    'SELECT a.id, b.id FROM m a JOIN m b ON b.t = a.t AND b.g = (SELECT max(g) FROM m c WHERE c.id = a.id - 1) ORDER BY 1, 2',
    'SELECT a.id FROM m a WHERE EXISTS (SELECT 1 FROM m b WHERE b.t = a.t AND b.g > (SELECT count(*) + 20 FROM m c WHERE c.id > 2990)) ORDER BY 1',
    'SELECT a.id, b.id FROM m a LEFT JOIN m b ON b.t = a.t AND b.g > a.g + (SELECT count(*) FROM m c WHERE c.id > 2950 + a.g) ORDER BY 1, 2',
  ];
  for (const q of queries) it(q, () => agree(q, /HashJoin/));
});

describe('index range scans without a filter above them', () => {
  // Each conjunct an index range answers exactly is not checked again (no Filter): the range must
  // then hold exactly the rows SQLite keeps, across affinities and values stored as other types.
  const setup = `
    CREATE TABLE rng (id INTEGER PRIMARY KEY, a INTEGER, b, c TEXT, d REAL);
    CREATE INDEX rng_a ON rng (a);
    CREATE INDEX rng_b ON rng (b);
    CREATE INDEX rng_c ON rng (c);
    CREATE INDEX rng_d ON rng (d);
    CREATE INDEX rng_ac ON rng (a, c);
  `;
  function rows(): string {
    const rnd = seededRandom(7);
    const out: string[] = [];
    for (let id = 1; id <= 4000; id++) {
      const a = rnd() < 0.9 ? String(Math.floor(rnd() * 400)) : ['NULL', '5.5', "'abc'", "'12'", "'x7'", '-0.0', '7.0'][Math.floor(rnd() * 7)]!;
      const c = rnd() < 0.05 ? 'NULL' : rnd() < 0.8 ? `'${['apple', 'banana', 'cherry'][Math.floor(rnd() * 3)]}${Math.floor(rnd() * 100)}'` : String(Math.floor(rnd() * 20));
      out.push(`(${id}, ${a}, ${mixed(rnd)}, ${c}, ${rnd() < 0.05 ? 'NULL' : (rnd() * 400).toFixed(1)})`);
    }
    return `INSERT INTO rng VALUES ${out.join(', ')}; ANALYZE;`;
  }
  const queries = [
    'SELECT id FROM rng WHERE a > 395 AND a <= 1000 ORDER BY id',
    'SELECT id FROM rng WHERE a >= 100 AND a < 103 ORDER BY id',
    'SELECT id FROM rng WHERE a BETWEEN 5 AND 7 ORDER BY id',
    'SELECT id FROM rng WHERE a = 7 ORDER BY id',
    'SELECT id FROM rng WHERE a < 5.5 AND a >= 4 ORDER BY id',
    "SELECT id FROM rng WHERE a > '397' AND a < '1000' ORDER BY id",
    "SELECT id FROM rng WHERE a >= 'abc' AND a < 'zz' ORDER BY id",
    "SELECT id FROM rng WHERE a = '12' ORDER BY id",
    'SELECT id FROM rng WHERE 3 > a AND a >= -1 ORDER BY id',
    'SELECT id FROM rng WHERE b > 13 AND b < 100 ORDER BY id',
    "SELECT id FROM rng WHERE b >= 'w13' AND b < 'x' ORDER BY id",
    'SELECT id FROM rng WHERE b = 2.0 ORDER BY id',
    "SELECT id FROM rng WHERE b < '1' AND b > 14 ORDER BY id",
    "SELECT id FROM rng WHERE c > 'cherry98' AND c < 'd' ORDER BY id",
    'SELECT id FROM rng WHERE c >= 18 AND c < 19 ORDER BY id',
    "SELECT id FROM rng WHERE c = 'banana7' ORDER BY id",
    'SELECT id FROM rng WHERE d > 398.5 AND d < 1000 ORDER BY id',
    'SELECT id FROM rng WHERE d <= 1.5 AND d > -1 ORDER BY id',
    "SELECT id FROM rng WHERE a = 5 AND c > 'b' ORDER BY id",
    'SELECT id FROM rng WHERE a = NULL ORDER BY id',
    'SELECT id FROM rng WHERE a > NULL AND a < 5 ORDER BY id',
  ];

  it('agree with SQLite, from storage and from the table cache', async () => {
    await ours.exec(setup);
    await ours.exec(rows());
    oracle.exec(setup);
    oracle.exec(rows());
    const plans = await Promise.all(queries.map(async (q) => (await ours.executeSql(`EXPLAIN ${q}`)).rows.map((r) => r[0]).join('\n')));
    const unfiltered = plans.filter((pl) => /IndexScan/.test(pl) && !/Filter/.test(pl));
    expect(unfiltered.length, plans.map((pl, i) => `${queries[i]}\n${pl}`).join("\n\n")).toBeGreaterThanOrEqual(20);
    const expected = queries.map((q) => oracle.prepare(q).raw().all());
    for (let i = 0; i < queries.length; i++) expect((await ours.executeSql(queries[i]!)).rows, queries[i]).toEqual(expected[i]);
    await ours.executeSql('SELECT count(*) FROM rng'); // caches rng
    for (let i = 0; i < queries.length; i++) expect((await ours.executeSql(queries[i]!)).rows, queries[i]).toEqual(expected[i]);
    // Bounds given as parameters.
    const q = 'SELECT id FROM rng WHERE a >= ? AND a < ? ORDER BY id';
    for (const [lo, hi] of [[100, 103], ['100', 102.5], [null, 5]]) {
      expect((await ours.executeSql(q, [lo, hi])).rows, `${lo} ${hi}`).toEqual(oracle.prepare(q).raw().all(lo, hi));
    }
  });
});

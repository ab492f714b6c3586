// The table cache never changes an answer: invalidation, snapshots, own writes, serializable ranges.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database, TransactionConflictError } from '../../src/index.js';

let db: Database;
beforeEach(async () => {
  db = await Database.open(':memory:');
  await db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER); INSERT INTO t (v) VALUES (1), (2), (3);`);
});
afterEach(async () => {
  await db.close();
});

const sum = async (r: { executeSql(sql: string): Promise<{ rows: unknown[][] }> }) => Number((await r.executeSql('SELECT sum(v) FROM t')).rows[0]![0]);

describe('table cache', () => {
  it('serves repeated scans and drops the entry when a commit writes the table', async () => {
    expect(await sum(db)).toBe(6);
    expect(db.tableCache.get(db.getTableSchema('t').id, db.store.currentTs)).toHaveLength(3);
    await db.executeSql('UPDATE t SET v = 10 WHERE id = 1');
    expect(await sum(db)).toBe(15);
    await db.executeSql('DELETE FROM t WHERE id = 2');
    expect(await sum(db)).toBe(13);
    await db.executeSql('INSERT INTO t (v) VALUES (100)');
    expect(await sum(db)).toBe(113);
  });

  it('an older snapshot never sees rows cached after a newer commit', async () => {
    const old = db.beginTransaction({ isolation: 'snapshot' });
    expect(await sum(old)).toBe(6);
    await db.executeSql('UPDATE t SET v = v * 100');
    expect(await sum(db)).toBe(600); // builds the cache at the new snapshot
    expect(await sum(old)).toBe(6);
    await old.abort();
  });

  it("a transaction's own writes are visible to its scans", async () => {
    expect(await sum(db)).toBe(6);
    await db.transaction(async (txn) => {
      await txn.executeSql('INSERT INTO t (v) VALUES (4)');
      expect(await sum(txn)).toBe(10);
    });
    expect(await sum(db)).toBe(10);
  });

  it('a cached scan still guards a serializable transaction against phantoms', async () => {
    expect(await sum(db)).toBe(6);
    const t1 = db.beginTransaction();
    const seen = await sum(t1); // served from the cache
    await db.executeSql('INSERT INTO t (v) VALUES (50)');
    await t1.executeSql(`INSERT INTO t (v) VALUES (${seen})`);
    await expect(t1.commit()).rejects.toBeInstanceOf(TransactionConflictError);
  });

  it('can be disabled', async () => {
    await using d = await Database.open(':memory:', { tableCacheRows: 0 });
    await d.exec('CREATE TABLE u (x INTEGER); INSERT INTO u VALUES (1), (2);');
    expect((await d.executeSql('SELECT count(*) FROM u')).rows).toEqual([[2]]);
    expect(d.tableCache.get(d.getTableSchema('u').id, d.store.currentTs)).toBeUndefined();
  });
});

describe('index joins from the table cache', () => {
  it('give the same rows as storage and still conflict with a concurrent change to a row they read', async () => {
    await db.exec(`
      CREATE TABLE g (id INTEGER PRIMARY KEY, cat INTEGER);
      CREATE TABLE items (id INTEGER PRIMARY KEY, grp INTEGER, qty INTEGER);
      CREATE INDEX items_grp ON items (grp);
      INSERT INTO g SELECT value, value % 10 FROM generate_series(1, 50);
      INSERT INTO items (grp, qty) SELECT value % 50 + 1, value FROM generate_series(1, 3000);
      INSERT INTO items (grp, qty) VALUES (NULL, 99);
      ANALYZE;
    `);
    const q = 'SELECT g.id, sum(i.qty) FROM g JOIN items i ON i.grp = g.id WHERE g.cat = 7 GROUP BY g.id ORDER BY g.id';
    expect((await db.executeSql(`EXPLAIN ${q}`)).rows.map((r) => r[0]).join('\n')).toMatch(/IndexJoin INNER items USING items_grp/);
    const fromStorage = (await db.executeSql(q)).rows;
    await db.executeSql('SELECT count(*) FROM items'); // caches items
    expect(db.tableCache.get(db.getTableSchema('items').id, db.store.currentTs)).toHaveLength(3001);
    expect((await db.executeSql(q)).rows).toEqual(fromStorage);
    // Groups 7, 17, 27, 37, 47 get the values v with v % 50 + 1 = group.
    const expected = [7, 17, 27, 37, 47].map((grp) => [grp, Array.from({ length: 3000 }, (_, i) => i + 1).filter((v) => (v % 50) + 1 === grp).reduce((a, b) => a + b, 0)]);
    expect(fromStorage).toEqual(expected);
    // A serializable reader of the join, and a writer of one of the rows it read.
    const reader = db.beginTransaction();
    expect((await reader.executeSql(q)).rows).toEqual(fromStorage);
    await reader.put('marker', '1');
    // Item 6 has qty 6, in group 7.
    await db.executeSql('UPDATE items SET qty = 0 WHERE id = 6');
    await expect(reader.commit()).rejects.toBeInstanceOf(TransactionConflictError);
    expect((await db.executeSql(q)).rows[0]).toEqual([7, expected[0]![1]! - 6]);
  });
});

describe('index range scans from the table cache', () => {
  it('return what the storage scan returns: bounds, NULLs, composite and unique indexes, descending order', async () => {
    await db.exec(`
      CREATE TABLE r (id INTEGER PRIMARY KEY, a INTEGER, b TEXT, u INTEGER UNIQUE);
      CREATE INDEX r_a ON r (a);
      CREATE INDEX r_ab ON r (a, b);
      INSERT INTO r (a, b, u) SELECT value % 37, 'b' || (value % 5), value * 3 FROM generate_series(1, 3000);
      INSERT INTO r (a, b, u) VALUES (NULL, 'x', NULL), (5, NULL, NULL);
      ANALYZE;
    `);
    const queries = [
      'SELECT id FROM r WHERE a >= 10 AND a < 13 ORDER BY id',
      'SELECT id FROM r WHERE a > 30 ORDER BY id',
      'SELECT id FROM r WHERE a < 2 ORDER BY id',
      "SELECT id FROM r WHERE a = 5 AND b >= 'b3' ORDER BY id",
      'SELECT id FROM r WHERE a = 5 ORDER BY id',
      'SELECT id FROM r WHERE u >= 300 AND u <= 330 ORDER BY id',
      'SELECT a, id FROM r WHERE a BETWEEN 3 AND 4 ORDER BY a DESC, id',
    ];
    const plans = await Promise.all(queries.map(async (q) => (await db.executeSql(`EXPLAIN ${q}`)).rows.map((x) => x[0]).join('\n')));
    expect(plans.filter((pl) => /IndexScan/.test(pl)).length).toBeGreaterThanOrEqual(5);
    const fromStorage = [];
    for (const q of queries) fromStorage.push((await db.executeSql(q)).rows);
    await db.executeSql('SELECT count(*) FROM r'); // caches r
    expect(db.tableCache.get(db.getTableSchema('r').id, db.store.currentTs)).toHaveLength(3002);
    for (let i = 0; i < queries.length; i++) expect((await db.executeSql(queries[i]!)).rows, queries[i]).toEqual(fromStorage[i]);
    expect(fromStorage[0]!.length).toBe(3000 / 37 * 3 | 0);
  });

  it('record the rows they read for a serializable transaction, and only for it', async () => {
    await db.exec(`
      CREATE TABLE r (id INTEGER PRIMARY KEY, a INTEGER, q INTEGER);
      CREATE INDEX r_a ON r (a);
      INSERT INTO r (a, q) SELECT value % 50, value FROM generate_series(1, 2000);
      ANALYZE;
    `);
    const q = 'SELECT sum(q) FROM r WHERE a >= 10 AND a < 12';
    expect((await db.executeSql(`EXPLAIN ${q}`)).rows.map((x) => x[0]).join('\n')).toMatch(/IndexScan r USING r_a/);
    await db.executeSql('SELECT count(*) FROM r'); // caches r
    // A serializable reader of the range, then a change to a row in it that leaves the index alone.
    const reader = db.beginTransaction();
    const before = Number((await reader.executeSql(q)).rows[0]![0]);
    await reader.put('marker', '1');
    await db.executeSql('UPDATE r SET q = q + 1 WHERE id = 10');
    await expect(reader.commit()).rejects.toBeInstanceOf(TransactionConflictError);
    // A snapshot reader records nothing and commits.
    const snap = db.beginTransaction({ isolation: 'snapshot' });
    expect(Number((await snap.executeSql(q)).rows[0]![0])).toBe(before + 1);
    await snap.put('marker', '2');
    await db.executeSql('UPDATE r SET q = q + 1 WHERE id = 10');
    await snap.commit();
  });
});

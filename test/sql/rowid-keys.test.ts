// Explicit rowids above every stored one skip the key probe (bulk loads); duplicates must still fail.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConstraintError, Database, TransactionConflictError } from '../../src/index.js';

let db: Database;
beforeEach(async () => {
  db = await Database.open(':memory:');
  await db.executeSql('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  await db.executeSql("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
});
afterEach(async () => {
  await db.close();
});

const all = async () => (await db.executeSql('SELECT id, v FROM t ORDER BY id')).rows;

describe('explicit rowids above every stored one', () => {
  it('a duplicate within one statement or one transaction is refused, and nothing of the statement stays', async () => {
    await expect(db.executeSql("INSERT INTO t VALUES (10, 'x'), (10, 'y')")).rejects.toBeInstanceOf(ConstraintError);
    expect(await all()).toEqual([[1, 'a'], [2, 'b']]);
    await db.executeSql('BEGIN');
    await db.executeSql("INSERT INTO t VALUES (20, 'x')");
    await expect(db.executeSql("INSERT INTO t VALUES (20, 'y')")).rejects.toBeInstanceOf(ConstraintError);
    await db.executeSql('COMMIT');
    expect(await all()).toEqual([[1, 'a'], [2, 'b'], [20, 'x']]);
  });

  it('a rowid written by a rolled-back or an UPDATE statement is still probed', async () => {
    await db.executeSql('BEGIN');
    await db.executeSql("INSERT INTO t VALUES (30, 'gone')");
    await db.executeSql('ROLLBACK');
    await db.executeSql("INSERT INTO t VALUES (30, 'kept')");
    await db.executeSql('UPDATE t SET id = 50 WHERE id = 1');
    await expect(db.executeSql("INSERT INTO t VALUES (50, 'dup')")).rejects.toBeInstanceOf(ConstraintError);
    await db.executeSql("INSERT OR REPLACE INTO t VALUES (50, 'replaced')");
    expect(await all()).toEqual([[2, 'b'], [30, 'kept'], [50, 'replaced']]);
  });

  it('a rowid handed out follows the largest one the transaction sees, its own writes included (as in SQLite)', async () => {
    await db.executeSql('BEGIN');
    await db.executeSql("INSERT INTO t VALUES (5, 'explicit')");
    await db.executeSql("INSERT INTO t (v) VALUES ('c'), ('d')");
    await db.executeSql("INSERT INTO t VALUES (9, 'explicit'), (NULL, 'e')");
    // Unlike SQLite (which would hand out 10 again), a rowid the counter has passed is not reused.
    await db.executeSql('DELETE FROM t WHERE id = 10');
    await db.executeSql("INSERT INTO t (v) VALUES ('f')");
    await db.executeSql('COMMIT');
    expect(await all()).toEqual([[1, 'a'], [2, 'b'], [5, 'explicit'], [6, 'c'], [7, 'd'], [9, 'explicit'], [11, 'f']]);
  });

  it('concurrent inserts without rowids get different ones instead of failing each other', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => db.executeSql('INSERT INTO t (v) VALUES (?)', [`c${i}`])));
    expect((await db.executeSql('SELECT count(*), count(DISTINCT id) FROM t')).rows).toEqual([[52, 52]]);
  });

  it('a savepoint rolled back takes its new rows and index entries with it', async () => {
    await db.executeSql('CREATE INDEX t_v ON t (v)');
    await db.executeSql('BEGIN');
    await db.executeSql("INSERT INTO t VALUES (10, 'keep')");
    await db.executeSql('SAVEPOINT s');
    await db.executeSql("INSERT INTO t VALUES (11, 'drop'), (12, 'drop')");
    expect((await db.executeSql("SELECT count(*) FROM t WHERE v = 'drop'")).rows).toEqual([[2]]);
    await db.executeSql("INSERT INTO t VALUES (13, 'drop')");
    await db.executeSql('ROLLBACK TO s');
    await db.executeSql("INSERT INTO t VALUES (14, 'late')");
    await db.executeSql('COMMIT');
    expect(await all()).toEqual([[1, 'a'], [2, 'b'], [10, 'keep'], [14, 'late']]);
    expect((await db.executeSql("SELECT id FROM t WHERE v IN ('drop', 'keep', 'late') ORDER BY v")).rows).toEqual([[10], [14]]);
  });

  it('two transactions inserting the same new rowid: the second to commit fails', async () => {
    const t1 = db.beginTransaction();
    const t2 = db.beginTransaction();
    await t1.executeSql("INSERT INTO t VALUES (100, 'one')");
    await t2.executeSql("INSERT INTO t VALUES (100, 'two')");
    await t1.commit();
    await expect(t2.commit()).rejects.toBeInstanceOf(TransactionConflictError);
    expect(await all()).toEqual([[1, 'a'], [2, 'b'], [100, 'one']]);
  });

  it('a serializable count of the new keys conflicts with a concurrent insert among them', async () => {
    const t1 = db.beginTransaction();
    const t2 = db.beginTransaction();
    await t1.executeSql("INSERT INTO t VALUES (200, 'one')");
    const n = (await t1.executeSql('SELECT count(*) FROM t WHERE id >= 200')).rows[0]![0];
    await t2.executeSql("INSERT INTO t VALUES (300, 'two')");
    await t2.commit();
    await t1.executeSql(`INSERT INTO t VALUES (201, '${String(n)}')`);
    await expect(t1.commit()).rejects.toBeInstanceOf(TransactionConflictError);
  });

  it('after a reopen the stored rowids are known again', async () => {
    const dir = (await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/toondb-rowid-`);
    const disk = await Database.open(dir);
    await disk.executeSql('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    await disk.executeSql("INSERT INTO t VALUES (7, 'a')");
    await disk.close();
    const again = await Database.open(dir);
    await expect(again.executeSql("INSERT INTO t VALUES (7, 'b')")).rejects.toBeInstanceOf(ConstraintError);
    await again.executeSql("INSERT INTO t VALUES (8, 'c')");
    expect((await again.executeSql('SELECT id, v FROM t ORDER BY id')).rows).toEqual([[7, 'a'], [8, 'c']]);
    await again.close();
  });
});

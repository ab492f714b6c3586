// CREATE INDEX beside concurrent writers: a writer never commits rows the new index does not hold.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database, TransactionConflictError } from '../../src/index.js';

let db: Database;
beforeEach(async () => {
  db = await Database.open(':memory:');
  await db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b');");
});
afterEach(async () => {
  await db.close();
});

/** Every row has its entry in t_v and no entry is left over (the index answers like a scan). */
async function indexAgrees(): Promise<void> {
  // v || '' cannot use the index: this reads every row.
  const viaScan = (await db.executeSql("SELECT v, id FROM t WHERE v || '' = v ORDER BY v, id")).rows;
  for (const [v, id] of viaScan) expect((await db.executeSql('SELECT id FROM t WHERE v = ?', [v])).rows).toContainEqual([id]);
  const count = (await db.executeSql("SELECT count(*) FROM t WHERE v >= ''")).rows[0]![0];
  expect(count).toBe(viaScan.length);
}

describe('CREATE INDEX and concurrent writers', () => {
  it('a writer that began before the index was committed fails instead of leaving it incomplete', async () => {
    for (const write of ["UPDATE t SET v = 'changed' WHERE id = 1", "INSERT INTO t VALUES (3, 'new')"]) {
      const txn = db.beginTransaction();
      await txn.executeSql(write);
      await db.executeSql('CREATE INDEX t_v ON t (v)');
      await expect(txn.commit()).rejects.toBeInstanceOf(TransactionConflictError);
      await indexAgrees();
      await db.executeSql('DROP INDEX t_v');
    }
  });
});

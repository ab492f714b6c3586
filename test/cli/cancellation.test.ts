// Cancelling a running statement through the AbortSignal of executeSql / exec (what Ctrl-C in the shell uses).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database, QueryCancelledError, ToonDBError } from '../../src/index.js';

// Runs long enough (millions of rows, all from microtasks) that only a cancellation ends it early.
const ENDLESS = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

describe('statement cancellation', () => {
  let db: Database;
  beforeEach(async () => {
    db = await Database.open(':memory:');
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)');
  });
  afterEach(async () => {
    await db.close();
  });

  it('a timer firing during a CPU-bound statement cancels it with QUERY_CANCELLED', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const t0 = performance.now();
    const err = await db.executeSql(ENDLESS, [], { signal: ac.signal }).catch((e: unknown) => e);
    const ms = performance.now() - t0;
    expect(err).toBeInstanceOf(QueryCancelledError);
    expect((err as ToonDBError).code).toBe('QUERY_CANCELLED');
    expect((err as ToonDBError).phase).toBe('execute');
    expect(ms).toBeLessThan(2000);
  });

  it('an already aborted signal stops a query before it returns rows', async () => {
    await db.exec('INSERT INTO t (v) VALUES (1), (2), (3)');
    const err = await db.executeSql('SELECT * FROM t', [], { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryCancelledError);
  });

  it('a cancelled write inside a statement leaves nothing behind', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const sql = 'INSERT INTO t (v) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c';
    await expect(db.executeSql(sql, [], { signal: ac.signal })).rejects.toBeInstanceOf(QueryCancelledError);
    expect((await db.executeSql('SELECT count(*) FROM t')).rows).toEqual([[0]]);
  });

  it('without a signal, and with one that never fires, results are unchanged', async () => {
    await db.exec('INSERT INTO t (v) VALUES (5), (6)');
    const plain = await db.executeSql('SELECT sum(v) FROM t');
    const signalled = await db.executeSql('SELECT sum(v) FROM t', [], { signal: new AbortController().signal });
    expect(signalled.rows).toEqual(plain.rows);
    expect(plain.rows).toEqual([[11]]);
  });

  it('exec forwards the signal to the script', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    await expect(db.exec(`SELECT 1; ${ENDLESS};`, { signal: ac.signal })).rejects.toBeInstanceOf(QueryCancelledError);
  });
});

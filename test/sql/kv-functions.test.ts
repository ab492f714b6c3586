// The key-value functions of ToonQL (docs/toonql.md §10.3): kv_get and kv_exists as scalars,
// kv_scan and kv_range as tables, each in the statement's transaction and namespace.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database, NamespaceNotFoundError, QueryBindError } from '../../src/index.js';

let db: Database;
beforeEach(async () => {
  db = await Database.open(':memory:');
  await db.exec(`
    PUT 'user:1' = 'alice', 'user:2' = 'bob', 'user:3' = 'carol';
    CREATE NAMESPACE tenant;
    PUT 'user:1' = 'tenant alice' IN NAMESPACE tenant WITH (ttl_seconds = 60);
  `);
});
afterEach(async () => {
  await db.close();
});

const rows = async (sql: string, params?: unknown[]) => (await db.executeSql(sql, params)).rows;

describe('kv_get and kv_exists', () => {
  it('read a key of the default or a named namespace, NULL and 0 when absent', async () => {
    expect(await rows("SELECT kv_get('user:1'), kv_get('user:1', 'tenant'), kv_get('user:9'), kv_exists('user:2'), kv_exists('user:2', 'tenant')")).toEqual([
      ['alice', 'tenant alice', null, 1, 0],
    ]);
  });

  it('take their key from each row, and see the transaction’s own writes', async () => {
    await db.exec("CREATE TABLE u (id INTEGER, k TEXT); INSERT INTO u VALUES (1, 'user:1'), (2, 'user:3'), (3, 'user:7');");
    expect(await rows('SELECT id, kv_get(k), kv_exists(k) FROM u ORDER BY id')).toEqual([
      [1, 'alice', 1],
      [2, 'carol', 1],
      [3, null, 0],
    ]);
    await db.transaction(async (txn) => {
      await txn.executeSql("PUT 'user:7' = 'grace'");
      expect((await txn.executeSql("SELECT kv_get('user:7')")).rows).toEqual([['grace']]);
      throw new Error('roll back');
    }).catch(() => {});
    expect(await rows("SELECT kv_exists('user:7')")).toEqual([[0]]);
  });

  it('report bad calls', async () => {
    await expect(db.executeSql('SELECT kv_get()')).rejects.toBeInstanceOf(QueryBindError);
    await expect(db.executeSql("SELECT kv_get('a', 'b', 'c')")).rejects.toThrow(/wrong number of arguments to function kv_get/);
    await expect(db.executeSql("SELECT kv_get('a', 'nosuch')")).rejects.toBeInstanceOf(NamespaceNotFoundError);
  });
});

describe('kv_scan and kv_range', () => {
  it('list keys, values and expiry in key order, or reversed', async () => {
    expect(await rows("SELECT * FROM kv_scan('user:')")).toEqual([
      ['user:1', 'alice', null],
      ['user:2', 'bob', null],
      ['user:3', 'carol', null],
    ]);
    expect(await rows("SELECT key FROM kv_scan('user:', reverse => true)")).toEqual([['user:3'], ['user:2'], ['user:1']]);
    expect(await rows("SELECT key, value, expires_at IS NOT NULL FROM kv_scan('user:', namespace => 'tenant')")).toEqual([['user:1', 'tenant alice', 1]]);
    expect(await rows("SELECT key FROM kv_range('user:1', 'user:3')")).toEqual([['user:1'], ['user:2']]);
    expect(await rows("SELECT count(*) FROM kv_range('user:1', 'user:9', namespace => 'tenant')")).toEqual([[1]]);
  });

  it('reject unknown named arguments with a caret', async () => {
    await expect(db.executeSql("SELECT * FROM kv_scan('x', ns => 'a')")).rejects.toThrow(/kv_scan\(\) has no argument named ns \(it takes namespace, reverse\)/);
    await expect(db.executeSql("SELECT * FROM kv_range('a')")).rejects.toThrow(/kv_range\(\) needs start, stop/);
  });
});

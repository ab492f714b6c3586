// The embedded key-value API of seed 003 sections 4, 5, 7 and 20, translated to TypeScript.

import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database, DatabaseError, IsolationLevel, ToonDBError, ValidationError } from '../../src/index.js';
import { cleanupTempDirs, tempDir, text } from '../helpers.js';

afterAll(cleanupTempDirs);

describe.each([
  ['memory', () => ':memory:'],
  ['leveldb', () => tempDir('kv')],
])('key-value API on %s', (_name, location) => {
  let db: Database;
  beforeEach(async () => {
    db = await Database.open(location());
  });
  afterEach(async () => {
    await db.close();
  });

  it('puts, gets, checks existence and deletes, with string or byte keys', async () => {
    await db.put('user:1', 'Alice');
    await db.put(Uint8Array.of(117, 58, 2), Uint8Array.of(1, 2, 3));
    expect(text(await db.get('user:1'))).toBe('Alice');
    expect(await db.get(Uint8Array.of(117, 58, 2))).toEqual(Uint8Array.of(1, 2, 3));
    expect(await db.exists('user:1')).toBe(true);
    await db.delete('user:1');
    expect(await db.get('user:1')).toBeNull();
    expect(await db.exists('user:1')).toBe(false);
    await db.delete('never-was');
  });

  it('batches puts, gets and deletes atomically', async () => {
    await db.putBatch([
      ['key1', 'value1'],
      ['key2', 'value2'],
      ['key3', 'value3'],
    ]);
    expect((await db.getBatch(['key1', 'nope', 'key3'])).map(text)).toEqual(['value1', null, 'value3']);
    await db.deleteBatch(['key1', 'key2']);
    expect((await db.getBatch(['key1', 'key2', 'key3'])).map(text)).toEqual([null, null, 'value3']);
    // One bad item rejects the whole batch before anything is written.
    await expect(db.putBatch([['ok', 'v'], ['', 'v']])).rejects.toBeInstanceOf(ValidationError);
    expect(await db.get('ok')).toBeNull();
  });

  it('stores hierarchical paths and lists children like a directory', async () => {
    await db.putPath('users/alice/name', 'Alice Smith');
    await db.putPath('users/alice/email', 'alice@example.com');
    await db.putPath('users/bob/name', 'Bob Jones');
    await db.putPath('users/alice-b/name', 'Alice B');
    await db.putPath('users/carol', 'leaf');
    expect(text(await db.getPath('users/alice/name'))).toBe('Alice Smith');
    expect(text(await db.getPath('/users/alice/name/'))).toBe('Alice Smith');
    expect(await db.listPath('users/')).toEqual(['alice', 'alice-b', 'bob', 'carol']);
    expect(await db.listPath('users/alice')).toEqual(['email', 'name']);
    expect(await db.listPath('')).toEqual(['users']);
    await db.deletePath('users/alice/email');
    expect(await db.getPath('users/alice/email')).toBeNull();
    expect(await db.listPath('users/alice')).toEqual(['name']);
    await expect(db.putPath('a//b', 'x')).rejects.toBeInstanceOf(ValidationError);
  });

  it('expires keys with a TTL at once and purges them later', async () => {
    await db.put('session:abc', 'data', { ttlSeconds: 0.05 });
    await db.put('permanent', 'value', { ttlSeconds: 0 });
    expect(text(await db.get('session:abc'))).toBe('data');
    await new Promise((r) => setTimeout(r, 80));
    expect(await db.get('session:abc')).toBeNull();
    expect(await db.exists('session:abc')).toBe(false);
    const seen: string[] = [];
    for await (const [k] of db.scanPrefixUnchecked('')) seen.push(text(k)!);
    expect(seen).toEqual(['permanent']);
    expect(await db.purgeExpired()).toBe(1);
    expect(await db.purgeExpired()).toBe(0);
    expect(text(await db.get('permanent'))).toBe('value');
  });

  it('a rewrite without TTL survives the purge of the old expiry', async () => {
    await db.put('k', 'short', { ttlSeconds: 0.02 });
    await db.put('k', 'forever');
    await new Promise((r) => setTimeout(r, 40));
    expect(await db.purgeExpired()).toBe(0);
    expect(text(await db.get('k'))).toBe('forever');
  });

  it('scans prefixes, ranges, reversed, limited, batched and streamed', async () => {
    await db.putBatch(['logs/1', 'logs/2', 'logs/3', 'logs/4', 'logx', 'users/a', 'users/m', 'users/z'].map((k) => [k, k] as [string, string]));
    const keys = async (it: AsyncIterable<[Uint8Array, Uint8Array]>) => {
      const out: string[] = [];
      for await (const [k] of it) out.push(text(k)!);
      return out;
    };
    expect(await keys(db.scanPrefix('logs/'))).toEqual(['logs/1', 'logs/2', 'logs/3', 'logs/4']);
    expect(await keys(db.scanPrefix('logs/', { reverse: true }))).toEqual(['logs/4', 'logs/3', 'logs/2', 'logs/1']);
    expect(await keys(db.scanPrefix('logs/', { limit: 2 }))).toEqual(['logs/1', 'logs/2']);
    expect(await keys(db.scanRange('users/a', 'users/z'))).toEqual(['users/a', 'users/m']);
    expect(await keys(db.scanBatched('logs/', { batchSize: 2 }))).toHaveLength(4);
    const batches: number[] = [];
    for await (const b of db.scanStream('logs/', { batchSize: 3 })) batches.push(b.length);
    expect(batches).toEqual([3, 1]);
    expect(() => db.scanPrefix('l')).toThrow(ValidationError);
    expect(await keys(db.scanPrefixUnchecked('l'))).toHaveLength(5);
  });

  it('runs transactions: commit on return, rollback on throw, retry on conflict', async () => {
    const result = await db.transaction(async (txn) => {
      await txn.put('accounts/alice', '1000');
      await txn.put('accounts/bob', '500');
      expect(text(await txn.get('accounts/alice'))).toBe('1000');
      return 'done';
    });
    expect(result).toBe('done');
    await expect(
      db.transaction(async (txn) => {
        await txn.put('accounts/alice', '0');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(text(await db.get('accounts/alice'))).toBe('1000');
    const out = await db.withTransaction(async (txn) => {
      const alice = Number(text(await txn.get('accounts/alice')));
      await txn.put('accounts/alice', String(alice - 100));
      return 'Transfer complete';
    });
    expect(out).toBe('Transfer complete');
    expect(text(await db.get('accounts/alice'))).toBe('900');
  });

  it('exposes manual transactions with id, startTs, isolation and a commit timestamp', async () => {
    const txn = db.beginTransaction({ isolation: IsolationLevel.SNAPSHOT });
    expect(txn.isolation).toBe('snapshot');
    expect(typeof txn.id).toBe('number');
    await txn.putBatch([
      ['t1', 'a'],
      ['t2', 'b'],
    ]);
    await txn.putPath('p/q', 'r');
    expect((await txn.getBatch(['t1', 't2'])).map(text)).toEqual(['a', 'b']);
    expect(await db.get('t1')).toBeNull();
    const ts = await txn.commit();
    expect(ts).toBeGreaterThan(txn.startTs);
    expect(text(await db.getPath('p/q'))).toBe('r');
    const t2 = db.beginTransaction();
    expect(t2.isolation).toBe('serializable');
    await t2.abort();
    await expect(async () => db.beginTransaction({ isolation: 'chaos' as never })).rejects.toBeInstanceOf(ValidationError);
  });

  it('await using aborts an uncommitted transaction and closes snapshots', async () => {
    {
      await using txn = db.beginTransaction();
      await txn.put('scoped', 'x');
    }
    expect(await db.get('scoped')).toBeNull();
    await db.put('key1', 'old');
    {
      await using snap = db.snapshot();
      await db.put('key1', 'new_value');
      expect(text(await snap.get('key1'))).toBe('old');
    }
    expect(db.store.activeReaders).toBe(0);
  });

  it('rejects bad input with typed errors and writes nothing', async () => {
    await expect(db.put('', 'v')).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(db.put(42 as never, 'v')).rejects.toThrow(/key must be a Uint8Array or a string/);
    await expect(db.put('k', null as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(db.put('k', 'v', { ttlSeconds: -1 })).rejects.toBeInstanceOf(ValidationError);
    await expect(db.put('k'.repeat(20000), 'v')).rejects.toThrow(/limit/);
    const err = await db.put('', 'v').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToonDBError);
    expect((err as ToonDBError).remediation.length).toBeGreaterThan(0);
    expect(await db.get('k')).toBeNull();
  });

  it('reports stats and checkpoints', async () => {
    await db.putBatch([
      ['s1', 'x'],
      ['s2', 'y'],
    ]);
    await db.checkpoint();
    const s = await db.stats();
    expect(s.keyCount).toBe(2);
    expect(s.committedTransactions).toBeGreaterThan(0);
    expect(s.bytesWritten).toBeGreaterThan(0);
    expect(s.conflictRate).toBe(0);
  });
});

describe('database lifecycle', () => {
  it('fails every call on a closed database with DATABASE_CLOSED', async () => {
    const db = await Database.open(':memory:');
    const txn = db.beginTransaction();
    await db.close();
    await db.close();
    await expect(db.get('k')).rejects.toMatchObject({ code: 'DATABASE_CLOSED' });
    await expect(db.put('k', 'v')).rejects.toBeInstanceOf(DatabaseError);
    await expect(txn.get('k')).rejects.toMatchObject({ code: 'DATABASE_CLOSED' });
    expect(() => db.beginTransaction()).toThrow(/closed/);
  });

  it('persists across reopen with timestamps that keep increasing', async () => {
    const dir = tempDir('persist');
    let ts1: number;
    {
      await using db = await Database.open(dir, { syncMode: 'full' });
      await db.put('a', '1');
      ts1 = await db.transaction(async (t) => {
        await t.put('b', '2');
        return t.startTs;
      });
    }
    await using db = await Database.open(dir);
    expect(text(await db.get('a'))).toBe('1');
    const t = db.beginTransaction();
    expect(t.startTs).toBeGreaterThan(ts1);
    await t.put('c', '3');
    expect(await t.commit()).toBeGreaterThan(ts1);
  });

  it('validates the configuration', async () => {
    await expect(Database.open(':memory:', { syncMode: 'sometimes' as never })).rejects.toBeInstanceOf(ValidationError);
    await expect(Database.open('')).rejects.toBeInstanceOf(ValidationError);
  });
});

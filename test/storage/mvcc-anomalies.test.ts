// The classic isolation anomalies as explicit cases, per isolation level.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database, TransactionConflictError } from '../../src/index.js';
import { text } from '../helpers.js';

let db: Database;
beforeEach(async () => {
  db = await Database.open(':memory:');
});
afterEach(async () => {
  await db.close();
});

const num = async (r: { get(k: string): Promise<Uint8Array | null> }, k: string) => Number(text(await r.get(k)) ?? '0');

describe('write skew (two doctors on call)', () => {
  async function attempt(isolation: 'serializable' | 'snapshot') {
    await db.putBatch([
      ['oncall/alice', '1'],
      ['oncall/bob', '1'],
    ]);
    const t1 = db.beginTransaction({ isolation });
    const t2 = db.beginTransaction({ isolation });
    // Each checks that someone else is still on call, then goes off call.
    if ((await num(t1, 'oncall/alice')) + (await num(t1, 'oncall/bob')) >= 2) await t1.put('oncall/alice', '0');
    if ((await num(t2, 'oncall/alice')) + (await num(t2, 'oncall/bob')) >= 2) await t2.put('oncall/bob', '0');
    await t1.commit();
    return t2.commit();
  }

  it('is prevented under SERIALIZABLE: the second commit fails and changes nothing', async () => {
    await expect(attempt('serializable')).rejects.toBeInstanceOf(TransactionConflictError);
    expect((await num(db, 'oncall/alice')) + (await num(db, 'oncall/bob'))).toBe(1);
  });

  it('is allowed under SNAPSHOT (documented weaker level)', async () => {
    await attempt('snapshot');
    expect((await num(db, 'oncall/alice')) + (await num(db, 'oncall/bob'))).toBe(0);
  });
});

describe('lost update (two increments)', () => {
  for (const isolation of ['serializable', 'snapshot'] as const) {
    it(`is prevented under ${isolation.toUpperCase()}`, async () => {
      await db.put('counter', '10');
      const t1 = db.beginTransaction({ isolation });
      const t2 = db.beginTransaction({ isolation });
      const a = await num(t1, 'counter');
      const b = await num(t2, 'counter');
      await t1.put('counter', String(a + 1));
      await t2.put('counter', String(b + 1));
      await t1.commit();
      await expect(t2.commit()).rejects.toBeInstanceOf(TransactionConflictError);
      expect(await num(db, 'counter')).toBe(11);
    });
  }

  it('is not prevented under READ_COMMITTED', async () => {
    await db.put('counter', '10');
    const t1 = db.beginTransaction({ isolation: 'read_committed' });
    const t2 = db.beginTransaction({ isolation: 'read_committed' });
    const a = await num(t1, 'counter');
    const b = await num(t2, 'counter');
    await t1.put('counter', String(a + 1));
    await t2.put('counter', String(b + 1));
    await t1.commit();
    await t2.commit();
    expect(await num(db, 'counter')).toBe(11);
  });

  it('withTransaction retries a conflicting increment until all land', async () => {
    await db.put('counter', '0');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.withTransaction(async (txn) => {
          const n = await num(txn, 'counter');
          await new Promise((r) => setImmediate(r));
          await txn.put('counter', String(n + 1));
        }, { maxRetries: 100 }),
      ),
    );
    expect(await num(db, 'counter')).toBe(20);
  });
});

describe('read skew', () => {
  for (const isolation of ['serializable', 'snapshot'] as const) {
    it(`never shows half of a concurrent transfer under ${isolation.toUpperCase()}`, async () => {
      await db.putBatch([
        ['acct/x', '50'],
        ['acct/y', '50'],
      ]);
      const reader = db.beginTransaction({ isolation });
      const x = await num(reader, 'acct/x');
      await db.transaction(async (t) => {
        await t.put('acct/x', String((await num(t, 'acct/x')) - 40));
        await t.put('acct/y', String((await num(t, 'acct/y')) + 40));
      });
      const y = await num(reader, 'acct/y');
      expect(x + y).toBe(100);
      let scanned = 0;
      for await (const [, v] of reader.scanPrefix('acct/')) scanned += Number(text(v));
      expect(scanned).toBe(100);
      await reader.commit();
    });
  }

  it('a read-committed transaction sees each newest commit', async () => {
    await db.put('k', 'a');
    const rc = db.beginTransaction({ isolation: 'read_committed' });
    expect(text(await rc.get('k'))).toBe('a');
    await db.put('k', 'b');
    expect(text(await rc.get('k'))).toBe('b');
    await rc.abort();
  });
});

describe('phantoms under a range scan', () => {
  async function attempt(isolation: 'serializable' | 'snapshot') {
    await db.put('task/1', 'open');
    const t1 = db.beginTransaction({ isolation });
    const t2 = db.beginTransaction({ isolation });
    // Each counts open tasks and, seeing fewer than two, adds one: together they make three.
    const count = async (t: typeof t1) => {
      let n = 0;
      for await (const _ of t.scanPrefix('task/')) n++;
      return n;
    };
    if ((await count(t1)) < 2) await t1.put('task/2', 'open');
    if ((await count(t2)) < 2) await t2.put('task/3', 'open');
    await t1.commit();
    return t2.commit();
  }

  it('is prevented under SERIALIZABLE', async () => {
    await expect(attempt('serializable')).rejects.toBeInstanceOf(TransactionConflictError);
    let n = 0;
    for await (const _ of db.scanPrefix('task/')) n++;
    expect(n).toBe(2);
  });

  it('is allowed under SNAPSHOT', async () => {
    await attempt('snapshot');
    let n = 0;
    for await (const _ of db.scanPrefix('task/')) n++;
    expect(n).toBe(3);
  });

  it('an insert outside the part of the range a limited scan covered does not conflict', async () => {
    await db.putBatch([
      ['q/a', '1'],
      ['q/b', '1'],
      ['q/c', '1'],
    ]);
    const t1 = db.beginTransaction();
    const firsts: string[] = [];
    for await (const [k] of t1.scanPrefix('q/', { limit: 1 })) firsts.push(text(k)!);
    expect(firsts).toEqual(['q/a']);
    await t1.put('seen', firsts[0]!);
    await db.put('q/z', '1');
    await expect(t1.commit()).resolves.toBeGreaterThan(0);
  });
});

describe('own writes and versions', () => {
  it('merges buffered writes into scans, in order and reversed', async () => {
    await db.putBatch([
      ['s/a', '1'],
      ['s/c', '3'],
      ['s/e', '5'],
    ]);
    const t = db.beginTransaction();
    await t.put('s/b', '2');
    await t.delete('s/c');
    await t.put('s/e', '50');
    const fwd: string[] = [];
    for await (const [k, v] of t.scanPrefix('s/')) fwd.push(`${text(k)}=${text(v)}`);
    expect(fwd).toEqual(['s/a=1', 's/b=2', 's/e=50']);
    const rev: string[] = [];
    for await (const [k] of t.scanPrefix('s/', { reverse: true, limit: 2 })) rev.push(text(k)!);
    expect(rev).toEqual(['s/e', 's/b']);
    await t.abort();
    expect(text(await db.get('s/c'))).toBe('3');
  });

  it('a snapshot keeps its view while writes continue, and old versions are reclaimed after it closes', async () => {
    await db.put('v', '1');
    const snap = db.snapshot();
    for (let i = 2; i <= 5; i++) await db.put('v', String(i));
    await db.delete('v');
    expect(text(await snap.get('v'))).toBe('1');
    expect(db.store.historySize).toBeGreaterThan(0);
    await snap.close();
    expect(db.store.historySize).toBe(0);
    expect(db.store.logSize).toBe(0);
    expect(await db.get('v')).toBeNull();
  });

  it('an aborted transaction changes nothing; a finished one refuses further use', async () => {
    const t = db.beginTransaction();
    await t.put('gone', 'x');
    await t.abort();
    expect(await db.get('gone')).toBeNull();
    await expect(t.put('x', 'y')).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' });
    const t2 = db.beginTransaction();
    await t2.commit();
    await expect(t2.get('x')).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' });
  });
});

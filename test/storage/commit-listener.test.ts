// Commit listeners: how derived state (vector and text indexes) follows the store.

import { describe, expect, it } from 'vitest';
import { MemoryEngine } from '../../src/storage/memory-engine.js';
import { MvccStore, type CommitListener } from '../../src/storage/mvcc/store.js';
import { StorageTransaction } from '../../src/storage/mvcc/transaction.js';
import { TransactionConflictError } from '../../src/index.js';

const k = (s: string) => new TextEncoder().encode(s);

async function openStore(): Promise<MvccStore> {
  const engine = new MemoryEngine();
  await engine.open();
  return new MvccStore(engine, { syncMode: 'off', clockFloor: 0 });
}

describe('MvccStore.onCommit', () => {
  it('sees each committed write once, in the turn it becomes visible, and nothing of aborted or rolled-back work', async () => {
    const store = await openStore();
    const seen: string[] = [];
    const listener: CommitListener = (ops, ts) => {
      // Visible already: a reader at `ts` sees the write.
      for (const op of ops) seen.push(`${op.type}:${new TextDecoder().decode(op.key)}@${ts === store.currentTs}`);
    };
    const off = store.onCommit(listener);

    const t1 = new StorageTransaction(store, 'serializable');
    t1.put(k('a'), k('1'));
    const mark = t1.savepoint();
    t1.put(k('b'), k('2'));
    t1.rollbackTo(mark);
    t1.delete(k('c'));
    await t1.commit();
    expect(seen.sort()).toEqual(['del:c@true', 'put:a@true']);

    const t2 = new StorageTransaction(store, 'serializable');
    t2.put(k('z'), k('9'));
    t2.abort();
    expect(seen).toHaveLength(2);

    // A conflicting commit is refused before anything is announced.
    const t3 = new StorageTransaction(store, 'serializable');
    const t4 = new StorageTransaction(store, 'serializable');
    t3.get(k('a'));
    t3.put(k('x'), k('1'));
    t4.put(k('a'), k('2'));
    await t4.commit();
    await expect(t3.commit()).rejects.toBeInstanceOf(TransactionConflictError);
    expect(seen.filter((s) => s.startsWith('put:x'))).toEqual([]);

    off();
    const t5 = new StorageTransaction(store, 'serializable');
    t5.put(k('q'), k('1'));
    await t5.commit();
    expect(seen.some((s) => s.includes(':q@'))).toBe(false);
  });

  it('keeps the commit when a listener throws, and records the error', async () => {
    const store = await openStore();
    store.onCommit(() => {
      throw new Error('derived state broke');
    });
    const t = new StorageTransaction(store, 'serializable');
    t.put(k('a'), k('1'));
    await t.commit();
    expect(store.listenerErrors).toHaveLength(1);
    const r = new StorageTransaction(store, 'snapshot', true);
    expect(r.get(k('a'))).toBeDefined();
  });
});

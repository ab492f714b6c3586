// Serializable searches, statistics under concurrent commits, and the load racing commits.

import { describe, expect, it } from 'vitest';
import { TransactionConflictError } from '../../src/errors.js';
import { BlindBatch } from '../../src/storage/mvcc/store.js';
import { StorageTransaction } from '../../src/storage/mvcc/transaction.js';
import { TextIndex, encodeVarints } from '../../src/storage/text/index.js';
import { docId, docKey, inTxn, openStore } from './helpers.js';

async function seeded() {
  const store = await openStore();
  const index = new TextIndex(11);
  await index.attach(store);
  await inTxn(store, (t) => {
    index.add(t, docKey(1), 'apple orchard');
    index.add(t, docKey(2), 'pear tree');
  });
  return { store, index };
}

describe('TextIndex under SERIALIZABLE', () => {
  it('fails a searching transaction when a concurrent commit adds a matching document', async () => {
    const { store, index } = await seeded();
    const searcher = new StorageTransaction(store, 'serializable');
    const hits = await index.search(searcher, 'apple', 10);
    expect(hits.map((h) => docId(h.docKey))).toEqual([1]);
    // It acts on what it read (writes a summary document)…
    index.add(searcher, docKey(100), `summary of ${hits.length} apple documents`);
    // …while another transaction inserts a document with the term and commits first.
    await inTxn(store, (t) => index.add(t, docKey(3), 'apple pie'));
    await expect(searcher.commit()).rejects.toBeInstanceOf(TransactionConflictError);
  });

  it('fails it when a concurrent commit removes or changes a matching document', async () => {
    const { store, index } = await seeded();
    const searcher = new StorageTransaction(store, 'serializable');
    await index.search(searcher, 'orchard', 10);
    index.add(searcher, docKey(100), 'note');
    await inTxn(store, (t) => index.remove(t, docKey(1), 'apple orchard'));
    await expect(searcher.commit()).rejects.toBeInstanceOf(TransactionConflictError);
  });

  it('lets it commit when the concurrent document has none of the query terms', async () => {
    const { store, index } = await seeded();
    const searcher = new StorageTransaction(store, 'serializable');
    await index.search(searcher, 'apple', 10);
    index.add(searcher, docKey(100), 'note about fruit');
    await inTxn(store, (t) => index.add(t, docKey(4), 'plum jam'));
    await searcher.commit();
    expect(index.stats().documents).toBe(4);
  });

  it('lets concurrent inserts of different documents commit (statistics are no hot key)', async () => {
    const { store, index } = await seeded();
    const writers = Array.from({ length: 8 }, () => new StorageTransaction(store, 'serializable'));
    writers.forEach((t, i) => index.add(t, docKey(10 + i), `shared words for writer ${i}`));
    await Promise.all(writers.map((t) => t.commit()));
    expect(index.stats()).toEqual({ documents: 10, totalLength: 4 + 8 * 5 });
  });

  it('does not fail a SNAPSHOT search for a concurrent insert (only write-write conflicts there)', async () => {
    const { store, index } = await seeded();
    const searcher = new StorageTransaction(store, 'snapshot');
    await index.search(searcher, 'apple', 10);
    index.add(searcher, docKey(100), 'note');
    await inTxn(store, (t) => index.add(t, docKey(3), 'apple pie'));
    await searcher.commit();
  });
});

describe('TextIndex statistics from commits', () => {
  it('counts commits made while attach() is loading', async () => {
    const store = await openStore();
    const writer = new TextIndex(4);
    await writer.attach(store);
    for (let batch = 0; batch < 10; batch++) {
      await inTxn(store, (t) => {
        for (let i = 0; i < 100; i++) writer.add(t, docKey(batch * 100 + i), `doc ${batch} item ${i} extra`);
      });
    }
    // A second instance of the same index attaches while more commits land.
    const late = new TextIndex(4);
    const attaching = late.attach(store);
    const commits: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      commits.push(inTxn(store, (t) => writer.add(t, docKey(5000 + i), 'added during the load')));
      if (i % 2 === 1) commits.push(inTxn(store, (t) => writer.remove(t, docKey(i), `doc 0 item ${i} extra`)));
    }
    await Promise.all([attaching, ...commits]);
    expect(late.stats()).toEqual(writer.stats());
    expect(late.stats()).toEqual({ documents: 1000 + 20 - 10, totalLength: 5 * 990 + 4 * 20 });
  });

  it('counts commits made while attach() reloads after a detach', async () => {
    const store = await openStore();
    const writer = new TextIndex(4);
    await writer.attach(store);
    const reader = new TextIndex(4);
    const detach = await reader.attach(store);
    await inTxn(store, (t) => {
      for (let i = 0; i < 200; i++) writer.add(t, docKey(i), `doc ${i}`);
    });
    detach();
    await inTxn(store, (t) => writer.add(t, docKey(1000), 'while detached'));
    const attaching = reader.attach(store);
    await Promise.all([attaching, inTxn(store, (t) => writer.add(t, docKey(1001), 'during the reload'))]);
    expect(reader.stats()).toEqual(writer.stats());
    expect(reader.stats()).toEqual({ documents: 202, totalLength: 2 * 200 + 2 + 3 });
  });

  it('handles overwrites and repeated keys in one blind batch', async () => {
    const store = await openStore();
    const index = new TextIndex(6);
    await index.attach(store);
    await inTxn(store, (t) => index.add(t, docKey(1), 'one two three'));
    const lengthKey = index.keys.length(docKey(1));
    const other = index.keys.length(docKey(2));
    const batch = new BlindBatch();
    batch.put(lengthKey, encodeVarints(5)); // overwrite: 3 → 5
    batch.put(other, encodeVarints(2)); // new document
    batch.put(other, encodeVarints(4)); // the same key again in the batch: 2 → 4
    await store.commitBlind(batch);
    expect(index.stats()).toEqual({ documents: 2, totalLength: 9 });
    const del = new BlindBatch();
    del.delete(other);
    del.delete(other);
    del.delete(index.keys.length(docKey(3))); // never existed
    await store.commitBlind(del);
    expect(index.stats()).toEqual({ documents: 1, totalLength: 5 });
  });
});

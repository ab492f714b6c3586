// Index upkeep through transactions: insert, update, delete, abort, savepoints, own writes, drop.

import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { prefixEnd } from '../../src/storage/bytes.js';
import { KeyTag } from '../../src/storage/keyspace.js';
import type { MvccStore } from '../../src/storage/mvcc/store.js';
import { StorageTransaction } from '../../src/storage/mvcc/transaction.js';
import { TextIndex } from '../../src/storage/text/index.js';
import { docId, docKey, inTxn, openStore, referenceScores, referenceTop } from './helpers.js';

/** Every key of tag TEXT in the engine (committed state). */
async function engineTextKeys(store: MvccStore): Promise<number> {
  const it = store.engine.iterate({ gte: Uint8Array.of(KeyTag.TEXT), lt: Uint8Array.of(KeyTag.TEXT + 1) });
  let n = 0;
  for (let b = await it.nextBatch(100); b.length > 0; b = await it.nextBatch(100)) n += b.length;
  await it.close();
  return n;
}

async function ids(index: TextIndex, txn: StorageTransaction, q: string, k = 100): Promise<number[]> {
  return (await index.search(txn, q, k)).map((h) => docId(h.docKey));
}

async function setup() {
  const store = await openStore();
  const index = new TextIndex(3);
  await index.attach(store);
  return { store, index };
}

const reader = (store: MvccStore) => new StorageTransaction(store, 'serializable', true);

describe('TextIndex upkeep', () => {
  it('reflects inserts, updates and deletes in results and statistics', async () => {
    const { store, index } = await setup();
    const texts = new Map<number, string>([
      [1, 'red apple pie'],
      [2, 'green apple'],
      [3, 'banana bread and banana split'],
    ]);
    await inTxn(store, (t) => {
      for (const [id, text] of texts) index.add(t, docKey(id), text);
    });
    expect(index.stats()).toEqual({ documents: 3, totalLength: 3 + 2 + 5 });
    let r = reader(store);
    expect(await ids(index, r, 'apple')).toEqual([2, 1]); // shorter document first
    expect(await ids(index, r, 'banana')).toEqual([3]);
    r.abort();

    // Update: remove the old text, add the new, in one transaction.
    await inTxn(store, (t) => {
      index.remove(t, docKey(2), texts.get(2)!);
      index.add(t, docKey(2), 'green banana smoothie with extra banana');
    });
    texts.set(2, 'green banana smoothie with extra banana');
    expect(index.stats()).toEqual({ documents: 3, totalLength: 3 + 6 + 5 });
    r = reader(store);
    expect(await ids(index, r, 'apple')).toEqual([1]);
    expect(await ids(index, r, 'banana')).toEqual(referenceTop(referenceScores(index.analyzer, texts, 'banana'), 10).map((x) => x.id));
    expect(await ids(index, r, 'smoothie')).toEqual([2]);
    r.abort();

    // Delete.
    await inTxn(store, (t) => index.remove(t, docKey(3), texts.get(3)!));
    texts.delete(3);
    expect(index.stats()).toEqual({ documents: 2, totalLength: 3 + 6 });
    r = reader(store);
    expect(await ids(index, r, 'banana')).toEqual([2]);
    expect(await ids(index, r, 'bread split')).toEqual([]);
    const hits = await index.search(r, 'banana apple', 10);
    const ref = referenceScores(index.analyzer, texts, 'banana apple');
    for (const h of hits) expect(Math.abs(h.score - ref.get(docId(h.docKey))!)).toBeLessThan(1e-9);
    r.abort();

    // Deleting everything leaves no key behind.
    await inTxn(store, (t) => {
      for (const [id, text] of texts) index.remove(t, docKey(id), text);
    });
    expect(index.stats()).toEqual({ documents: 0, totalLength: 0 });
    expect(await engineTextKeys(store)).toBe(0);
  });

  it('leaves nothing behind for an aborted transaction or one rolled back to a savepoint', async () => {
    const { store, index } = await setup();
    const t1 = new StorageTransaction(store, 'serializable');
    index.add(t1, docKey(1), 'ghost document');
    t1.abort();
    expect(await engineTextKeys(store)).toBe(0);
    expect(index.stats()).toEqual({ documents: 0, totalLength: 0 });

    const t2 = new StorageTransaction(store, 'serializable');
    index.add(t2, docKey(2), 'kept document');
    const mark = t2.savepoint();
    index.add(t2, docKey(3), 'rolled back ghost');
    index.remove(t2, docKey(2), 'kept document');
    expect(await ids(index, t2, 'ghost')).toEqual([3]);
    expect(index.statsFor(t2)).toEqual({ documents: 1, totalLength: 3 });
    t2.rollbackTo(mark);
    t2.release();
    // After the rollback the transaction sees only what is left, statistics included.
    expect(await ids(index, t2, 'ghost')).toEqual([]);
    expect(await ids(index, t2, 'document')).toEqual([2]);
    expect(index.statsFor(t2)).toEqual({ documents: 1, totalLength: 2 });
    await t2.commit();
    expect(index.stats()).toEqual({ documents: 1, totalLength: 2 });
    expect(await engineTextKeys(store)).toBe(2 + 1); // two postings and one length

    // A conflict also leaves nothing: the loser's postings never reach the store.
    const a = new StorageTransaction(store, 'serializable');
    const b = new StorageTransaction(store, 'serializable');
    index.add(a, docKey(9), 'first writer');
    index.add(b, docKey(9), 'second writer loses');
    await a.commit();
    await expect(b.commit()).rejects.toThrow(/conflict/);
    const r = reader(store);
    expect(await ids(index, r, 'loses')).toEqual([]);
    expect(await ids(index, r, 'writer')).toEqual([9]);
    r.abort();
    expect(index.stats()).toEqual({ documents: 2, totalLength: 4 });
  });

  it('lets a transaction see its own uncommitted documents, scored with statistics that include them', async () => {
    const { store, index } = await setup();
    const texts = new Map<number, string>([
      [1, 'solar panel installation'],
      [2, 'wind turbine maintenance'],
    ]);
    await inTxn(store, (t) => {
      for (const [id, text] of texts) index.add(t, docKey(id), text);
    });
    const t = new StorageTransaction(store, 'serializable');
    index.add(t, docKey(3), 'solar solar power storage');
    index.remove(t, docKey(2), texts.get(2)!);
    const seen = new Map(texts);
    seen.set(3, 'solar solar power storage');
    seen.delete(2);
    expect(index.statsFor(t)).toEqual({ documents: 2, totalLength: 7 });
    const hits = await index.search(t, 'solar turbine', 10);
    const ref = referenceScores(index.analyzer, seen, 'solar turbine');
    expect(hits.map((h) => docId(h.docKey))).toEqual(referenceTop(ref, 10).map((x) => x.id));
    for (const h of hits) expect(Math.abs(h.score - ref.get(docId(h.docKey))!)).toBeLessThan(1e-9);

    // Others do not see them until the commit.
    const other = reader(store);
    expect(await ids(index, other, 'solar')).toEqual([1]);
    expect(await ids(index, other, 'turbine')).toEqual([2]);
    expect(index.stats()).toEqual({ documents: 2, totalLength: 6 });
    await t.commit();
    expect(await ids(index, other, 'turbine')).toEqual([2]); // its snapshot is older
    other.abort();
    const after = reader(store);
    expect(await ids(index, after, 'solar')).toEqual([3, 1]);
    expect(await ids(index, after, 'turbine')).toEqual([]);
    after.abort();
    expect(index.stats()).toEqual({ documents: 2, totalLength: 7 });
  });

  it('gives an older snapshot the statistics of the documents it sees', async () => {
    const { store, index } = await setup();
    const texts = new Map<number, string>();
    for (let i = 0; i < 20; i++) texts.set(i, `common ${i % 2 ? 'odd' : 'even'} words ${'x '.repeat(i)}`);
    await inTxn(store, (t) => {
      for (const [id, text] of texts) index.add(t, docKey(id), text);
    });
    const old = new StorageTransaction(store, 'snapshot', true);
    const before = new Map(texts);
    // Later commits change N, the average length and the document frequencies.
    for (let i = 20; i < 40; i++) {
      await inTxn(store, (t) => index.add(t, docKey(i), `odd ${'long '.repeat(i)}`));
      texts.set(i, `odd ${'long '.repeat(i)}`);
    }
    await inTxn(store, (t) => index.remove(t, docKey(0), texts.get(0)!));
    texts.delete(0);
    const hits = await index.search(old, 'odd common', 50);
    const ref = referenceScores(index.analyzer, before, 'odd common');
    expect(hits).toHaveLength(ref.size);
    for (const h of hits) expect(Math.abs(h.score - ref.get(docId(h.docKey))!)).toBeLessThan(1e-9);
    old.abort();
    const now = reader(store);
    const refNow = referenceScores(index.analyzer, texts, 'odd common');
    const hitsNow = await index.search(now, 'odd common', 50);
    expect(hitsNow).toHaveLength(refNow.size);
    for (const h of hitsNow) expect(Math.abs(h.score - refNow.get(docId(h.docKey))!)).toBeLessThan(1e-9);
    now.abort();
  });

  it('refuses to add a document twice and to remove one with the wrong text', async () => {
    const { store, index } = await setup();
    await inTxn(store, (t) => index.add(t, docKey(1), 'one two three'));
    const t = new StorageTransaction(store, 'serializable');
    expect(() => index.add(t, docKey(1), 'one two three')).toThrow(ValidationError);
    expect(() => index.remove(t, docKey(1), 'one two')).toThrow(/not the text/);
    // Same length, other terms or other frequencies: caught by the signature.
    expect(() => index.remove(t, docKey(1), 'one two four')).toThrow(/not the text/);
    expect(() => index.remove(t, docKey(1), 'one one three')).toThrow(/not the text/);
    expect(t.hasWrites).toBe(false);
    index.remove(t, docKey(1), 'THREE two, one!'); // the same terms in another order and case
    index.remove(t, docKey(7), 'never indexed'); // nothing to do
    index.add(t, docKey(1), 'one two three four'); // an update
    await t.commit();
    expect(index.stats()).toEqual({ documents: 1, totalLength: 4 });
    expect(() => index.add(t, new Uint8Array(0), 'x')).toThrow(/docKey/);
  });

  it('does not index documents without terms', async () => {
    const { store, index } = await setup();
    await inTxn(store, (t) => {
      index.add(t, docKey(1), '');
      index.add(t, docKey(2), '!!! 🙂 ...');
      index.remove(t, docKey(1), '');
    });
    expect(index.stats()).toEqual({ documents: 0, totalLength: 0 });
    expect(await engineTextKeys(store)).toBe(0);
  });

  it('drops every key of the index and only of that index', async () => {
    const store = await openStore();
    const a = new TextIndex(1);
    const b = new TextIndex(2);
    await a.attach(store);
    await b.attach(store);
    await inTxn(store, (t) => {
      for (let i = 0; i < 30; i++) {
        a.add(t, docKey(i), `alpha doc ${i}`);
        b.add(t, docKey(i), `alpha doc ${i}`);
      }
    });
    expect(a.stats()).toEqual({ documents: 30, totalLength: 90 });
    // A savepoint-rolled-back drop changes nothing; the committed one removes everything.
    const t = new StorageTransaction(store, 'serializable');
    const mark = t.savepoint();
    await a.drop(t);
    expect(a.statsFor(t)).toEqual({ documents: 0, totalLength: 0 });
    expect(await ids(a, t, 'alpha')).toEqual([]);
    t.rollbackTo(mark);
    expect((await ids(a, t, 'alpha')).length).toBe(30);
    await a.drop(t);
    await t.commit();
    expect(a.stats()).toEqual({ documents: 0, totalLength: 0 });
    expect(b.stats()).toEqual({ documents: 30, totalLength: 90 });
    const r = reader(store);
    expect(await ids(a, r, 'alpha')).toEqual([]);
    expect((await ids(b, r, 'alpha')).length).toBe(30);
    const left = r.scan({ gte: a.keys.indexPrefix, lt: prefixEnd(a.keys.indexPrefix)! });
    expect((await left.nextBatch()).keys).toHaveLength(0);
    await left.close();
    r.abort();
  });

  it('requires attach before searching, and stops following commits once detached', async () => {
    const store = await openStore();
    const index = new TextIndex(5);
    const t = reader(store);
    await expect(index.search(t, 'x', 1)).rejects.toThrow(/attach/);
    const detach = await index.attach(store);
    await expect(index.attach(store)).rejects.toThrow(/already attached/);
    await inTxn(store, (w) => index.add(w, docKey(1), 'a b'));
    expect(index.stats().documents).toBe(1);
    detach();
    await inTxn(store, (w) => index.add(w, docKey(2), 'c d'));
    expect(index.stats().documents).toBe(1);
    await expect(index.search(t, 'a', 1)).rejects.toThrow(/attach/);
    // Attaching again reloads from the store.
    await index.attach(store);
    expect(index.stats()).toEqual({ documents: 2, totalLength: 4 });
    t.abort();
  });
});

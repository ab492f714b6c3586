// The key layout of the text index: contiguous term ranges, no prefix collisions, arbitrary doc keys.

import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import { compareBytes, hasPrefix } from '../../src/storage/bytes.js';
import { decodeKey } from '../../src/storage/key-codec.js';
import { KeyTag } from '../../src/storage/keyspace.js';
import { StorageTransaction } from '../../src/storage/mvcc/transaction.js';
import { TextIndex, TextKeys, decodeVarints, encodeVarints, readPosting } from '../../src/storage/text/index.js';
import { cleanupTempDirs, tempDir } from '../helpers.js';
import { docId, docKey, generateCorpus, inTxn, openStore, referenceScores } from './helpers.js';

afterAll(cleanupTempDirs);

describe('text index keys', () => {
  const keys = new TextKeys(12);

  it('puts tag TEXT and tuple(indexId, 0, term) before the raw doc key, and tuple(indexId, 1) before lengths', () => {
    const doc = Uint8Array.of(0x00, 0xff, 0x30);
    const posting = keys.posting('run', doc);
    expect(posting[0]).toBe(KeyTag.TEXT);
    expect(posting.subarray(posting.length - 3)).toEqual(doc);
    expect(decodeKey(posting.subarray(1, posting.length - 3))).toEqual([12, 0, 'run']);
    const length = keys.length(doc);
    expect(decodeKey(length.subarray(1, length.length - 3))).toEqual([12, 1]);
    expect(keys.isLengthKey(length)).toBe(true);
    expect(keys.isLengthKey(posting)).toBe(false);
    expect(new TextKeys(13).isLengthKey(length)).toBe(false);
    // Postings sort before lengths, and both inside the index prefix.
    expect(compareBytes(posting, length)).toBeLessThan(0);
    expect(hasPrefix(posting, keys.indexPrefix) && hasPrefix(length, keys.indexPrefix)).toBe(true);
    expect(hasPrefix(keys.posting('run', doc), new TextKeys(1).indexPrefix)).toBe(false);
  });

  it('never makes one term prefix a prefix of another term key, whatever the doc key bytes', () => {
    const terms = ['a', 'ab', 'a b', 'run', 'runner', 'run2', 'é', 'e', '北', '北京', ''];
    const docs = [Uint8Array.of(0), Uint8Array.of(0xff), Uint8Array.of(0x00, 0xff), Uint8Array.of(0x20, 0x61), Uint8Array.of(1, 2, 3)];
    for (const t of terms) {
      for (const u of terms) {
        if (t === u) continue;
        for (const d of docs) expect(hasPrefix(keys.posting(u, d), keys.termPrefix(t))).toBe(false);
      }
    }
  });

  it('round-trips varints of every size', () => {
    for (const v of [0, 1, 127, 128, 300, 16383, 16384, 2 ** 31, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER]) {
      expect(decodeVarints(encodeVarints(v, 7), 2)).toEqual([v, 7]);
      expect(readPosting(encodeVarints(3, v), { tf: 0, length: 0 })).toEqual({ tf: 3, length: v });
    }
    expect(() => decodeVarints(Uint8Array.of(0x80), 1)).toThrow(/truncated/);
  });

  it('finds documents whose keys hold 0x00 and 0xff bytes, and terms that extend one another', async () => {
    const store = await openStore();
    const index = new TextIndex(12);
    await index.attach(store);
    const odd = [Uint8Array.of(0), Uint8Array.of(0, 0xff), Uint8Array.of(0xff, 0xff), Uint8Array.of(0x20, 0x72, 0x75, 0x6e, 0)];
    await inTxn(store, (t) => {
      index.add(t, odd[0]!, 'run');
      index.add(t, odd[1]!, 'runner runner');
      index.add(t, odd[2]!, 'run run2');
      index.add(t, odd[3]!, 'running');
    });
    const r = new StorageTransaction(store, 'serializable', true);
    const hex = async (q: string) => (await index.search(r, q, 10)).map((h) => Buffer.from(h.docKey).toString('hex')).sort();
    expect(await hex('run')).toEqual(['00', 'ffff']);
    expect(await hex('runner')).toEqual(['00ff']);
    expect(await hex('run2')).toEqual(['ffff']);
    expect(await hex('running')).toEqual(['2072756e00']);
    r.abort();
  });
});

describe('text index persistence', () => {
  it('keeps postings and statistics across a reopen (LevelDB)', async () => {
    const dir = tempDir('text-index');
    const texts = generateCorpus(300, 9);
    let db = await Database.open(dir, { syncMode: 'off' });
    let index = new TextIndex(21, { analyzer: { stemming: true } });
    await index.attach(db.store);
    await inTxn(db.store, (t) => texts.forEach((text, i) => index.add(t, docKey(i), text)));
    await inTxn(db.store, (t) => index.remove(t, docKey(0), texts[0]!));
    const stats = index.stats();
    expect(stats.documents).toBeGreaterThan(250);
    await db.close();

    db = await Database.open(dir, { syncMode: 'off' });
    index = new TextIndex(21, { analyzer: { stemming: true } });
    expect(index.stats()).toEqual({ documents: 0, totalLength: 0 });
    await index.attach(db.store);
    expect(index.stats()).toEqual(stats);
    const corpus = new Map(texts.map((t, i) => [i, t] as const));
    corpus.delete(0);
    const q = texts[1]!.split(' ').slice(0, 3).join(' ');
    const ref = referenceScores(index.analyzer, corpus, q);
    expect(ref.size).toBeGreaterThan(0);
    const r = new StorageTransaction(db.store, 'serializable', true);
    const hits = await index.search(r, q, 1000);
    expect(hits).toHaveLength(ref.size);
    for (const h of hits) expect(Math.abs(h.score - ref.get(docId(h.docKey))!)).toBeLessThan(1e-9);
    r.abort();
    await db.close();
  });
});

// BM25 scores of the index against a textbook reference computed here, over a generated corpus.

import { beforeAll, describe, expect, it } from 'vitest';
import type { MvccStore } from '../../src/storage/mvcc/store.js';
import { StorageTransaction } from '../../src/storage/mvcc/transaction.js';
import { TextIndex, TopK, type AnalyzerOptions } from '../../src/storage/text/index.js';
import { VOCABULARY, docId, docKey, generateCorpus, inTxn, openStore, referenceScores, referenceTop, rng } from './helpers.js';

const DOCS = 400;

/** Queries of 1–4 terms drawn from the vocabulary, with repeats, case changes and an unknown word. */
function queries(count: number, seed: number): string[] {
  const random = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(random() * 4);
    const words: string[] = [];
    for (let j = 0; j < n; j++) words.push(VOCABULARY[Math.floor(random() * random() * VOCABULARY.length)]!);
    if (i % 5 === 0) words.push(words[0]!.toUpperCase()); // a repeated term
    if (i % 7 === 0) words.push('nosuchword');
    out.push(words.join(' '));
  }
  return out;
}

async function build(analyzer: AnalyzerOptions | undefined, texts: readonly string[], bm25?: { k1?: number; b?: number }) {
  const store = await openStore();
  const index = new TextIndex(7, { analyzer, bm25 });
  await index.attach(store);
  // Several commits, so statistics are summed from many onCommit calls.
  for (let start = 0; start < texts.length; start += 50) {
    await inTxn(store, (txn) => {
      for (let i = start; i < Math.min(texts.length, start + 50); i++) index.add(txn, docKey(i), texts[i]!);
    });
  }
  return { store, index };
}

function expectMatchesReference(
  hits: { docKey: Uint8Array; score: number }[],
  expected: { id: number; score: number }[],
  all: Map<number, number>,
  filter: (id: number) => boolean = () => true,
) {
  expect(hits.map((h) => h.score).length).toBe(expected.length);
  for (let i = 0; i < hits.length; i++) {
    // Same score sequence, and each returned document has its reference score.
    expect(Math.abs(hits[i]!.score - expected[i]!.score)).toBeLessThan(1e-9);
    const id = docId(hits[i]!.docKey);
    expect(all.has(id)).toBe(true);
    expect(Math.abs(hits[i]!.score - all.get(id)!)).toBeLessThan(1e-9);
  }
  // Strictly better reference scores are never left out.
  const kept = new Set(hits.map((h) => docId(h.docKey)));
  const cut = hits.length > 0 ? hits[hits.length - 1]!.score : Infinity;
  for (const [id, s] of all) if (s > cut + 1e-9 && filter(id)) expect(kept.has(id)).toBe(true);
}

describe('TextIndex BM25 scores', () => {
  const texts = generateCorpus(DOCS, 42);
  const corpus = new Map(texts.map((t, i) => [i, t] as const));
  let store: MvccStore;
  let index: TextIndex;

  beforeAll(async () => {
    ({ store, index } = await build(undefined, texts));
  });

  it('keeps the corpus statistics of the committed documents', () => {
    const tokenized = texts.map((t) => index.analyzer.tokens(t)).filter((t) => t.length > 0);
    expect(tokenized.length).toBeLessThan(DOCS); // the generator makes some documents without terms
    expect(index.stats()).toEqual({ documents: tokenized.length, totalLength: tokenized.reduce((a, t) => a + t.length, 0) });
  });

  it('equals the reference for every document matching multi-term queries, with the default k1 and b', async () => {
    const txn = new StorageTransaction(store, 'serializable', true);
    for (const q of queries(40, 7)) {
      const all = referenceScores(index.analyzer, corpus, q);
      const hits = await index.search(txn, q, DOCS);
      expect(hits.length).toBe(all.size);
      expectMatchesReference(hits, referenceTop(all, DOCS), all);
      for (const k of [1, 5, 10]) expectMatchesReference(await index.search(txn, q, k), referenceTop(all, k), all);
    }
    txn.abort();
  });

  it('equals the reference for other k1 and b, given per search or per index', async () => {
    const txn = new StorageTransaction(store, 'serializable', true);
    const params = [
      { k1: 0, b: 0.75 },
      { k1: 2, b: 0 },
      { k1: 0.5, b: 1 },
      { k1: 1.6, b: 0.3 },
    ];
    for (const p of params) {
      for (const q of queries(10, 100 + p.k1 * 10)) {
        const all = referenceScores(index.analyzer, corpus, q, p.k1, p.b);
        expectMatchesReference(await index.search(txn, q, 20, { params: p }), referenceTop(all, 20), all);
      }
    }
    txn.abort();
    const { store: s2, index: i2 } = await build(undefined, texts, { k1: 0.9, b: 0.4 });
    const t2 = new StorageTransaction(s2, 'serializable', true);
    const q = `${VOCABULARY[3]} ${VOCABULARY[10]} ${VOCABULARY[3]}`;
    const all = referenceScores(i2.analyzer, corpus, q, 0.9, 0.4);
    expectMatchesReference(await i2.search(t2, q, 15), referenceTop(all, 15), all);
    // A per-search override of one parameter keeps the index's other one.
    const mixed = referenceScores(i2.analyzer, corpus, q, 0.9, 1);
    expectMatchesReference(await i2.search(t2, q, 15, { params: { b: 1 } }), referenceTop(mixed, 15), mixed);
    t2.abort();
  });

  it('equals the reference with stop words and stemming on', async () => {
    const english = [
      'The runner was running quickly through the running tracks',
      'Runners run; a runner runs.',
      'Connections connected by connecting wires',
      'the and of to',
      'Studies show that students study connected topics',
      'Tracking runs and connection studies',
    ];
    const options = { stemming: true, stopwords: true };
    const { store: s, index: i } = await build(options, english);
    const docs = new Map(english.map((t, n) => [n, t] as const));
    const txn = new StorageTransaction(s, 'serializable', true);
    for (const q of ['running connections', 'the study of runs', 'RUN run track', 'and the']) {
      const all = referenceScores(i.analyzer, docs, q);
      const hits = await i.search(txn, q, 10);
      expect(hits.length).toBe(all.size);
      expectMatchesReference(hits, referenceTop(all, 10), all);
    }
    expect(await i.search(txn, 'and the', 10)).toEqual([]);
    expect(i.stats().documents).toBe(5); // the all-stop-word document has no terms
    txn.abort();
  });

  it('applies the filter before the top-k cut: k matching documents whenever k exist', async () => {
    const txn = new StorageTransaction(store, 'serializable', true);
    const q = `${VOCABULARY[0]} ${VOCABULARY[5]}`;
    const all = referenceScores(index.analyzer, corpus, q);
    const odd = (id: number) => id % 3 === 1;
    const matching = [...all.keys()].filter(odd).length;
    expect(matching).toBeGreaterThan(12);
    const hits = await index.search(txn, q, 12, { filter: (key) => odd(docId(key)) });
    expect(hits).toHaveLength(12);
    expect(hits.every((h) => odd(docId(h.docKey)))).toBe(true);
    expectMatchesReference(hits, referenceTop(all, 12, odd), all, odd);
    const every = await index.search(txn, q, matching + 10, { filter: (key) => odd(docId(key)) });
    expect(every).toHaveLength(matching);
    expect(await index.search(txn, q, 0)).toEqual([]);
    txn.abort();
  });

  it('returns only documents with a query term, all with positive scores', async () => {
    const txn = new StorageTransaction(store, 'serializable', true);
    expect(await index.search(txn, 'nosuchword', 10)).toEqual([]);
    expect(await index.search(txn, '', 10)).toEqual([]);
    expect(await index.search(txn, '!!! ...', 10)).toEqual([]);
    // The most common word is in most documents: its idf is small but still positive.
    const hits = await index.search(txn, VOCABULARY[0]!, DOCS);
    expect(hits.length).toBeGreaterThan(DOCS / 2);
    expect(hits.every((h) => h.score > 0)).toBe(true);
    txn.abort();
  });

  it('rejects bad parameters', async () => {
    const txn = new StorageTransaction(store, 'serializable', true);
    await expect(index.search(txn, 'x', -1)).rejects.toThrow(/k must be/);
    await expect(index.search(txn, 'x', 1.5)).rejects.toThrow(/k must be/);
    await expect(index.search(txn, 'x', 1, { params: { b: 1.5 } })).rejects.toThrow(/b must be/);
    await expect(index.search(txn, 'x', 1, { params: { k1: -1 } })).rejects.toThrow(/k1 must be/);
    expect(() => new TextIndex(1, { bm25: { k1: Number.NaN } })).toThrow(/k1 must be/);
    expect(() => new TextIndex(-1)).toThrow(/index id/);
    txn.abort();
  });
});

describe('TopK', () => {
  it('keeps the best k of many, ordered by score then key', () => {
    const random = rng(3);
    const docs = Array.from({ length: 500 }, (_, i) => ({ docKey: docKey(i), score: Math.floor(random() * 50) }));
    for (const k of [0, 1, 7, 100, 600]) {
      const top = new TopK(k);
      for (const d of docs) top.offer(d);
      const expected = [...docs].sort((a, b) => b.score - a.score || Buffer.compare(Buffer.from(a.docKey), Buffer.from(b.docKey))).slice(0, k);
      expect(top.result().map((d) => docId(d.docKey))).toEqual(expected.map((d) => docId(d.docKey)));
    }
  });
});

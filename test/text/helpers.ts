// Shared helpers of the text index tests: stores, document keys, a seeded corpus, and a BM25 reference.

import { MemoryEngine } from '../../src/storage/memory-engine.js';
import { encodeKey } from '../../src/storage/key-codec.js';
import { MvccStore } from '../../src/storage/mvcc/store.js';
import { StorageTransaction } from '../../src/storage/mvcc/transaction.js';
import type { Analyzer } from '../../src/storage/text/index.js';
import { seededRandom } from '../../src/util/random.js';

/** An MVCC store over a fresh in-memory engine. */
export async function openStore(): Promise<MvccStore> {
  const engine = new MemoryEngine();
  await engine.open();
  return new MvccStore(engine, { syncMode: 'off', clockFloor: 0 });
}

/** A document key shaped like a row's primary key (a tuple-encoded integer). */
export function docKey(id: number): Uint8Array {
  return encodeKey([id]);
}

/** The id of a key made by docKey. */
export function docId(key: Uint8Array): number {
  return docIds.get(Buffer.from(key).toString('hex')) ?? -1;
}
const docIds = new Map<string, number>();
for (let i = 0; i < 20_000; i++) docIds.set(Buffer.from(docKey(i)).toString('hex'), i);

/** Runs `fn` in a serializable transaction and commits it. */
export async function inTxn<T>(store: MvccStore, fn: (txn: StorageTransaction) => T | Promise<T>): Promise<T> {
  const txn = new StorageTransaction(store, 'serializable');
  try {
    const out = await fn(txn);
    await txn.commit();
    return out;
  } catch (err) {
    txn.abort();
    throw err;
  }
}

/** A seeded PRNG (mulberry32): the same corpus on every run. */
export const rng = seededRandom;

/** A vocabulary of made-up words (so no stop word or stemming surprise unless wanted). */
export const VOCABULARY = Array.from({ length: 120 }, (_, i) => `w${i.toString(36)}x${'abcdefgh'[i % 8]}`);

/** Documents of Zipf-distributed words with varied lengths (some empty of terms). */
export function generateCorpus(count: number, seed: number, vocabulary: readonly string[] = VOCABULARY): string[] {
  const random = rng(seed);
  const weights = vocabulary.map((_, i) => 1 / (i + 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const pick = () => {
    let x = random() * sum;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x <= 0) return vocabulary[i]!;
    }
    return vocabulary[vocabulary.length - 1]!;
  };
  const docs: string[] = [];
  for (let d = 0; d < count; d++) {
    const length = d % 37 === 5 ? 0 : 1 + Math.floor(random() * random() * 80);
    const words: string[] = [];
    for (let i = 0; i < length; i++) words.push(random() < 0.1 ? pick().toUpperCase() + ',' : pick());
    docs.push(d % 37 === 5 ? '— ... !!' : words.join(' '));
  }
  return docs;
}

/**
 * BM25 written out the textbook way, over a map of document id → text: N counts documents with
 * at least one term; every query token (repeats included) adds idf · tf(k1+1)/(tf + k1(1−b+b·dl/avgdl)).
 */
export function referenceScores(
  analyzer: Analyzer,
  docs: ReadonlyMap<number, string>,
  query: string,
  k1 = 1.2,
  b = 0.75,
): Map<number, number> {
  const tokenized = new Map<number, string[]>();
  for (const [id, text] of docs) {
    const t = analyzer.tokens(text);
    if (t.length > 0) tokenized.set(id, t);
  }
  const n = tokenized.size;
  let total = 0;
  for (const t of tokenized.values()) total += t.length;
  const avgdl = total / n;
  const scores = new Map<number, number>();
  for (const q of analyzer.tokens(query)) {
    let df = 0;
    for (const t of tokenized.values()) if (t.includes(q)) df++;
    const idfQ = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (const [id, t] of tokenized) {
      const tf = t.filter((x) => x === q).length;
      if (tf === 0) continue;
      const s = (idfQ * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * t.length) / avgdl));
      scores.set(id, (scores.get(id) ?? 0) + s);
    }
  }
  return scores;
}

/** Reference results ranked like the index: score descending, then key bytes ascending. */
export function referenceTop(scores: ReadonlyMap<number, number>, k: number, filter?: (id: number) => boolean): { id: number; score: number }[] {
  return [...scores]
    .filter(([id]) => filter === undefined || filter(id))
    .map(([id, score]) => ({ id, score }))
    .sort((x, y) => y.score - x.score || Buffer.compare(Buffer.from(docKey(x.id)), Buffer.from(docKey(y.id))))
    .slice(0, k);
}

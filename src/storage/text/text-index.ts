// A BM25 inverted index kept in the store: postings written in the row's transaction, statistics derived from commits.

import { ValidationError } from '../../errors.js';
import { keyString, prefixEnd } from '../bytes.js';
import type { CommitWrites } from '../mvcc/commit-writes.js';
import type { MvccStore } from '../mvcc/store.js';
import type { StorageTransaction } from '../mvcc/transaction.js';
import { decodeValue } from '../value-format.js';
import { Analyzer, type AnalyzerOptions } from './analyzer.js';
import { DEFAULT_BM25, TopK, idf, resolveParams, termScore, type Bm25Params } from './bm25.js';
import { CorpusStats, type CorpusStatistics } from './corpus-stats.js';
import { TextKeys, decodeVarint, decodeVarints, encodeVarints, readPosting, termSignature, type PostingValue } from './keys.js';

/** Options of a text index. Like the analyzer options, they belong to the index definition. */
export interface TextIndexOptions {
  /** How documents and queries are turned into terms. */
  analyzer?: AnalyzerOptions;
  /** BM25 parameters used when a search does not override them (defaults k1 = 1.2, b = 0.75). */
  bm25?: Partial<Bm25Params>;
}

/** Options of one search. */
export interface TextSearchOptions {
  /** Keeps only documents for which it returns true; applied before the top-k cut. */
  filter?: (docKey: Uint8Array) => boolean;
  /** BM25 parameters for this search, over the index's. */
  params?: Partial<Bm25Params>;
}

/** One search result. */
export interface TextSearchHit {
  /** The document's key, as given to add() (a copy). */
  readonly docKey: Uint8Array;
  /** Its BM25 score (> 0). */
  readonly score: number;
}

/**
 * A BM25 index over documents identified by byte keys (the lead passes row primary keys).
 *
 * Postings and document lengths are ordinary versioned keys written through the caller's
 * transaction, so they commit, abort, roll back to a savepoint and conflict together with the
 * row; a transaction's searches see its own uncommitted documents. Corpus statistics (N and
 * total length) are kept in memory, versioned by commit timestamp, loaded by attach() and
 * followed through MvccStore.onCommit — see docs/text-index.md.
 */
export class TextIndex {
  /** The analyzer of documents and queries. */
  readonly analyzer: Analyzer;
  /** The default BM25 parameters. */
  readonly params: Readonly<Bm25Params>;
  /** The index's key layout. */
  readonly keys: TextKeys;
  private corpus = new CorpusStats();
  private store: MvccStore | undefined;
  /** Per transaction, the length keys it wrote through this index (for its own statistics delta). */
  private readonly touched = new WeakMap<StorageTransaction, Map<string, Uint8Array>>();

  /** `indexId` names the index in the key space (tag TEXT + tuple(indexId, …)); a safe non-negative integer. */
  constructor(
    readonly indexId: number,
    options: TextIndexOptions = {},
  ) {
    if (!Number.isSafeInteger(indexId) || indexId < 0) throw new ValidationError(`text index id must be a non-negative integer, got ${String(indexId)}`);
    this.analyzer = new Analyzer(options.analyzer);
    this.params = Object.freeze(resolveParams(DEFAULT_BM25, options.bm25));
    this.keys = new TextKeys(indexId);
  }

  /**
   * Writes the postings and the length of one document in `txn`. A document without terms writes
   * nothing and does not count in the statistics (it can never match). Throws ValidationError if
   * the document is already indexed as `txn` sees it: an update is remove(old text) then add(new).
   */
  add(txn: StorageTransaction, docKey: Uint8Array, text: string): void {
    checkDocKey(docKey);
    const terms = this.analyzer.tokens(text);
    if (terms.length === 0) return;
    const lengthKey = this.keys.length(docKey);
    if (txn.probe(lengthKey) !== undefined) {
      txn.recordRead(lengthKey); // the decision not to write depended on it
      throw new ValidationError('the document is already in the text index; remove it before adding it again', {
        details: { indexId: this.indexId },
      });
    }
    const tf = termFrequencies(terms);
    const length = terms.length;
    for (const [term, n] of tf) txn.put(this.keys.posting(term, docKey), encodeVarints(n, length));
    txn.put(lengthKey, encodeVarints(length, termSignature(tf)));
    this.touch(txn, lengthKey);
  }

  /**
   * Removes a document's postings and length in `txn`; `text` must be the text it was added with
   * (the caller has the old row). Removing a document that is not indexed does nothing. Throws
   * ValidationError when the terms of `text` are not those indexed (their count and a 32-bit
   * signature of terms and frequencies are stored with the length), which would leave postings behind.
   */
  remove(txn: StorageTransaction, docKey: Uint8Array, text: string): void {
    checkDocKey(docKey);
    const terms = this.analyzer.tokens(text);
    if (terms.length === 0) return;
    const lengthKey = this.keys.length(docKey);
    const stored = txn.probe(lengthKey);
    if (stored === undefined) {
      txn.recordRead(lengthKey);
      return;
    }
    const tf = termFrequencies(terms);
    const [storedLength, storedSignature] = decodeVarints(stored.payload, 2);
    if (storedLength !== terms.length || storedSignature !== termSignature(tf)) {
      txn.recordRead(lengthKey);
      throw new ValidationError('the text given to remove() is not the text the document was indexed with', {
        details: { indexId: this.indexId, storedLength, givenLength: terms.length },
      });
    }
    for (const term of tf.keys()) txn.delete(this.keys.posting(term, docKey));
    txn.delete(lengthKey);
    this.touch(txn, lengthKey);
  }

  /**
   * The top `k` documents by BM25 for `query`, as `txn` sees the data (its snapshot plus its own
   * writes). Each occurrence of a term in the query adds that term's contribution. Only documents
   * containing at least one query term are returned, best first (ties by docKey bytes). `filter`
   * is applied before the cut, so k results come back whenever k matching documents pass it.
   * Under SERIALIZABLE the postings ranges read are recorded: a concurrent commit adding or
   * removing a posting of a query term makes `txn`'s commit fail.
   */
  async search(txn: StorageTransaction, query: string, k: number, options: TextSearchOptions = {}): Promise<TextSearchHit[]> {
    this.attachedStore();
    if (!Number.isSafeInteger(k) || k < 0) throw new ValidationError(`k must be a non-negative integer, got ${String(k)}`);
    const params = resolveParams(this.params, options.params);
    const filter = options.filter;
    if (filter !== undefined && typeof filter !== 'function') throw new ValidationError('filter must be a function');
    txn.checkActive();
    const queryTerms = this.analyzer.tokens(query);
    if (queryTerms.length === 0 || k === 0) return [];
    const weights = new Map<string, number>();
    for (const t of queryTerms) weights.set(t, (weights.get(t) ?? 0) + 1);

    const stats = this.statsFor(txn);
    const docs = new Map<string, { docKey: Uint8Array; score: number }>();
    const posting: PostingValue = { tf: 0, length: 0 };
    for (const [term, weight] of weights) {
      const prefix = this.keys.termPrefix(term);
      const keys: Uint8Array[] = [];
      const payloads: Uint8Array[] = [];
      const cursor = txn.scan({ gte: prefix, lt: prefixEnd(prefix)! });
      try {
        for (let batch = await cursor.nextBatch(); batch.keys.length > 0; batch = await cursor.nextBatch()) {
          for (let i = 0; i < batch.keys.length; i++) {
            keys.push(batch.keys[i]!);
            payloads.push(batch.payloads[i]!);
          }
        }
      } finally {
        await cursor.close();
      }
      const df = keys.length;
      if (df === 0) continue;
      // N ≥ df holds when both describe one snapshot; the max only guards a reader older than
      // every statistics version kept (see CorpusStats).
      const n = Math.max(stats.documents, df);
      const avgLength = stats.totalLength > 0 ? stats.totalLength / n : 1;
      const termIdf = idf(n, df);
      for (let i = 0; i < df; i++) {
        const key = keys[i]!;
        readPosting(payloads[i]!, posting);
        const contribution = weight * termScore(termIdf, posting.tf, posting.length, avgLength, params);
        const docBytes = key.subarray(prefix.length);
        const ks = keyString(docBytes);
        const doc = docs.get(ks);
        if (doc === undefined) docs.set(ks, { docKey: docBytes, score: contribution });
        else doc.score += contribution;
      }
    }

    const top = new TopK(k);
    for (const doc of docs.values()) {
      if (!(doc.score > 0)) continue;
      if (filter !== undefined && !filter(doc.docKey)) continue;
      top.offer(doc);
    }
    return top.result().map((d) => ({ docKey: d.docKey.slice(), score: d.score }));
  }

  /** The newest committed corpus statistics (zero until attach() has loaded them). */
  stats(): { documents: number; totalLength: number } {
    const s = this.corpus.latest();
    return { documents: s.documents, totalLength: s.totalLength };
  }

  /**
   * The statistics a search in `txn` uses: those of its snapshot, plus the documents it added and
   * removed itself, so they describe exactly the documents it sees. Throws before attach().
   */
  statsFor(txn: StorageTransaction): CorpusStatistics {
    const store = this.attachedStore();
    const base = this.corpus.at(txn.snapshotTs);
    let documents = base.documents;
    let totalLength = base.totalLength;
    const own = this.touched.get(txn);
    if (own !== undefined) {
      for (const [ks, key] of own) {
        const now = txn.probe(key);
        if (now !== undefined) {
          documents++;
          totalLength += decodeVarint(now.payload);
        }
        const before = store.readAt(key, txn.snapshotTs, ks);
        if (before !== undefined) {
          documents--;
          totalLength -= decodeVarint(decodeValue(before).payload);
        }
      }
    }
    return { documents, totalLength };
  }

  /**
   * Loads the statistics from `store` once (a scan of the length keys) and registers on it so
   * they follow every commit (MvccStore.onCommit). Call before searching; commits made while the
   * load runs are counted. Returns the function that unregisters (the index then needs attach again).
   */
  async attach(store: MvccStore): Promise<() => void> {
    if (this.store !== undefined) throw new ValidationError(`text index ${this.indexId} is already attached to a store`);
    this.store = store;
    // Fresh statistics: deltas that arrive during the load must wait for its base, not join an old one.
    const corpus = (this.corpus = new CorpusStats());
    // Same turn: the scan at `ts` sees every commit up to it, the listener every commit after it.
    const ts = store.currentTs;
    const off = store.onCommit((ops, commitTs) => this.onCommit(store, corpus, ops, commitTs));
    const detach = () => {
      off();
      if (this.store === store) this.store = undefined;
    };
    try {
      let documents = 0;
      let totalLength = 0;
      const p = this.keys.lengthPrefix;
      const cursor = store.scanAt({ gte: p, lt: prefixEnd(p)! }, ts, undefined);
      try {
        for (let batch = await cursor.nextBatch(); batch.keys.length > 0; batch = await cursor.nextBatch()) {
          for (const payload of batch.payloads) {
            documents++;
            totalLength += decodeVarint(payload);
          }
        }
      } finally {
        await cursor.close();
      }
      corpus.setBase(ts, documents, totalLength);
    } catch (err) {
      detach();
      throw err;
    }
    return detach;
  }

  /** Deletes every posting and length of the index in `txn` (for DROP INDEX). */
  async drop(txn: StorageTransaction): Promise<void> {
    const p = this.keys.indexPrefix;
    const cursor = txn.scan({ gte: p, lt: prefixEnd(p)! });
    try {
      for (let batch = await cursor.nextBatch(); batch.keys.length > 0; batch = await cursor.nextBatch()) {
        for (const key of batch.keys) {
          txn.delete(key);
          if (this.keys.isLengthKey(key)) this.touch(txn, key);
        }
      }
    } finally {
      await cursor.close();
    }
  }

  /** Folds one commit's writes of length keys into the statistics. Runs inside the commit: no throw, no await. */
  private onCommit(store: MvccStore, corpus: CorpusStats, ops: CommitWrites, ts: number): void {
    let documents = 0;
    let totalLength = 0;
    let seen: Map<string, Uint8Array | null> | undefined;
    for (const op of ops) {
      if (!this.keys.isLengthKey(op.key)) continue;
      const ks = keyString(op.key);
      seen ??= new Map();
      // The value before this commit: readAt just below its timestamp (history and the engine
      // still hold it in this turn), or the value an earlier op of the same batch left.
      const before = seen.has(ks) ? seen.get(ks)! : (store.readAt(op.key, ts - 1, ks) ?? null);
      const after = op.type === 'put' ? op.value : null;
      if (before !== null) {
        documents--;
        totalLength -= decodeVarint(decodeValue(before).payload);
      }
      if (after !== null) {
        documents++;
        totalLength += decodeVarint(decodeValue(after).payload);
      }
      seen.set(ks, after);
    }
    if (seen !== undefined) corpus.apply(ts, documents, totalLength);
  }

  private touch(txn: StorageTransaction, lengthKey: Uint8Array): void {
    let own = this.touched.get(txn);
    if (own === undefined) this.touched.set(txn, (own = new Map()));
    const ks = keyString(lengthKey);
    if (!own.has(ks)) own.set(ks, lengthKey.slice());
  }

  private attachedStore(): MvccStore {
    if (this.store === undefined || !this.corpus.ready) {
      throw new ValidationError(`text index ${this.indexId} is not attached to a store; await attach(store) first`);
    }
    return this.store;
  }
}

function termFrequencies(terms: readonly string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}

function checkDocKey(docKey: Uint8Array): void {
  if (!(docKey instanceof Uint8Array) || docKey.length === 0) throw new ValidationError('docKey must be a non-empty Uint8Array');
}

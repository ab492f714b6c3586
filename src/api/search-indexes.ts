// The derived search state: one ANN index per collection or hnsw index, one BM25 reader per hybrid collection.

import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import type { SearchProvider } from '../executor/context.js';
import { keyBytes, keyString, prefixEnd } from '../storage/bytes.js';
import { collectionVectorColumn, type Catalog, type TableDef, type TextColumns, type VectorColumn, type VectorOptions } from '../storage/catalog.js';
import { KeyTag } from '../storage/keyspace.js';
import type { WriteOp } from '../storage/engine.js';
import type { CommitWrites } from '../storage/mvcc/commit-writes.js';
import type { MvccStore } from '../storage/mvcc/store.js';
import { StorageTransaction } from '../storage/mvcc/transaction.js';
import { decodeColumn, rowKeyTableId, tablePrefix } from '../storage/table-store.js';
import { decodeValue } from '../storage/value-format.js';
import { VectorIndex, type VectorIndexConfig } from '../storage/vector/index.js';
import { Analyzer, TextIndex } from '../storage/text/index.js';

/** One vector column's ANN index and how far it has caught up with the store. */
interface VectorEntry {
  readonly source: VectorColumn;
  readonly index: VectorIndex;
  /** Resolves once the index agrees with the store (after loading or building from the rows). */
  readonly ready: Promise<void>;
  /** Commits seen while loading, applied after the load's snapshot. */
  pending: { ops: readonly WriteOp[]; ts: number }[] | undefined;
}

/** The ANN configuration of a collection or hnsw index. */
export function vectorConfig(c: VectorOptions): VectorIndexConfig {
  return {
    dimension: c.dimension,
    metric: c.metric,
    m: c.m,
    efConstruction: c.efConstruction,
    efSearch: c.efSearch,
    quantization: c.quantization === 'scalar' ? 'i8' : c.quantization,
    ...(c.pqNumSubvectors !== undefined ? { pqNumSubvectors: c.pqNumSubvectors } : {}),
    ...(c.pqNumCentroids !== undefined ? { pqNumCentroids: c.pqNumCentroids } : {}),
  };
}

/**
 * The search indexes of every collection. The store is the source of truth: rows carry the
 * vectors, postings are written in the row's transaction. The ANN index is derived state,
 * built from the rows on first use (or loaded from its file and reconciled with the rows), then
 * kept current from committed writes (MvccStore.onCommit), so a write is searchable as soon as
 * it commits; after a crash the reconcile at load makes it agree with the store again.
 */
export class CollectionIndexes implements SearchProvider {
  private readonly vectors = new Map<number, VectorEntry>();
  private readonly texts = new Map<number, { index: TextIndex; attached: Promise<() => void>; analyzer: Analyzer }>();
  private readonly unlisten: () => void;

  constructor(
    private readonly store: MvccStore,
    private readonly catalog: Catalog,
    /** Folder for saved ANN indexes (absent: in-memory database, nothing saved). */
    private readonly dir: string | undefined,
  ) {
    this.unlisten = store.onCommit((ops, ts) => this.onCommit(ops, ts));
  }

  private onCommit(ops: CommitWrites, ts: number): void {
    if (this.vectors.size === 0) return;
    let byTable: Map<number, WriteOp[]> | undefined;
    const tables = new Set<number>();
    for (const e of this.vectors.values()) tables.add(e.source.table.id);
    for (const op of ops) {
      if (op.key[0] !== KeyTag.ROW) continue;
      const id = rowKeyTableId(op.key);
      if (!tables.has(id)) continue;
      byTable ??= new Map();
      let list = byTable.get(id);
      if (!list) byTable.set(id, (list = []));
      list.push(op);
    }
    if (!byTable) return;
    for (const entry of this.vectors.values()) {
      const list = byTable.get(entry.source.table.id);
      if (!list) continue;
      if (entry.pending) entry.pending.push({ ops: list, ts });
      else apply(entry.index, list, entry.source.column);
    }
  }

  /** A collection's ANN index, agreeing with the store (built or loaded on first use). */
  async vectorIndex(table: TableDef): Promise<VectorIndex> {
    return this.indexOf(collectionVectorColumn(table));
  }

  /** The ANN index of a vector column, agreeing with the store (built or loaded on first use). */
  private async indexOf(source: VectorColumn): Promise<VectorIndex> {
    this.forgetDropped();
    let entry = this.vectors.get(source.id);
    if (!entry) entry = this.load(source);
    await entry.ready;
    return entry.index;
  }

  private load(source: VectorColumn): VectorEntry {
    const table = source.table;
    const config = vectorConfig(source.options);
    const file = this.fileOf(source.id);
    const entry: VectorEntry = { source, index: new VectorIndex(config), ready: Promise.resolve(), pending: [] };
    const ready = (async () => {
      let index = entry.index;
      if (file && existsSync(file)) {
        try {
          index = await VectorIndex.load(file, config);
        } catch {
          index = entry.index; // an unreadable file is rebuilt from the rows
        }
      }
      // Rows as of one snapshot; commits after it arrive through `pending`.
      const txn = new StorageTransaction(this.store, 'snapshot', true);
      const loadTs = txn.startTs;
      const rows: [string, Float32Array][] = [];
      try {
        const prefix = tablePrefix(table);
        const cursor = txn.scan({ gte: prefix, lt: prefixEnd(prefix)! });
        for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
          for (let i = 0; i < b.keys.length; i++) {
            const v = decodeColumn(b.payloads[i]!, source.column);
            if (v instanceof Float32Array) rows.push([keyString(b.keys[i]!), v]);
          }
        }
        await cursor.close();
      } finally {
        txn.abort();
      }
      index.reconcile(rows);
      (entry as { index: VectorIndex }).index = index;
      for (const p of entry.pending ?? []) if (p.ts > loadTs) apply(index, p.ops, source.column);
      entry.pending = undefined;
      index.start();
    })();
    (entry as { ready: Promise<void> }).ready = ready;
    this.vectors.set(source.id, entry);
    ready.catch(() => this.vectors.delete(source.id));
    return entry;
  }

  private fileOf(id: number): string | undefined {
    return this.dir ? join(this.dir, `${id}.usearch`) : undefined;
  }

  private seenCatalogVersion = -1;

  /** Drops the indexes of collections and hnsw indexes that no longer exist (checked when the catalog changed). */
  private forgetDropped(): void {
    if (this.catalog.version === this.seenCatalogVersion) return;
    this.seenCatalogVersion = this.catalog.version;
    const live = new Set(this.catalog.all().flatMap((o) => (o.kind === 'table' && o.collection ? [o.id] : o.kind === 'index' && o.method === 'hnsw' ? [o.id] : [])));
    const liveText = new Set(this.catalog.all().flatMap((o) => (o.kind === 'table' && o.collection ? [o.collection.textIndexId] : o.kind === 'index' && o.method === 'bm25' ? [o.id] : [])));
    for (const [id, e] of this.vectors) {
      if (!live.has(id)) {
        e.index.stop();
        this.vectors.delete(id);
        const file = this.dir ? join(this.dir, `${id}.usearch`) : undefined;
        if (file) void rm(file, { force: true }).catch(() => {});
      }
    }
    for (const [id, t] of this.texts) {
      if (!liveText.has(id)) {
        void t.attached.then((off) => off());
        this.texts.delete(id);
      }
    }
  }

  private text(source: TextColumns): { index: TextIndex; attached: Promise<() => void>; analyzer: Analyzer } {
    let t = this.texts.get(source.id);
    if (!t) {
      const o = source.options;
      const analyzer = { stemming: o.stemming, stopwords: o.stopwords };
      const index = new TextIndex(source.id, { analyzer, bm25: { k1: o.k1, b: o.b } });
      t = { index, attached: index.attach(this.store), analyzer: new Analyzer(analyzer) };
      this.texts.set(source.id, t);
    }
    return t;
  }

  async annSearch(source: VectorColumn, query: Float32Array, k: number, options: { efSearch?: number; accept?: (rowKey: string) => boolean }): Promise<{ key: string; distance: number }[]> {
    const index = await this.indexOf(source);
    const res = index.search(query, k, {
      efSearch: options.efSearch ?? source.options.efSearch,
      ...(options.accept ? { filter: options.accept } : {}),
    });
    return res.keys.map((key, i) => ({ key, distance: Number(res.distances[i]) }));
  }

  async annSearchBatch(source: VectorColumn, queries: readonly Float32Array[], k: number, options: { efSearch?: number }): Promise<{ key: string; distance: number }[][]> {
    const index = await this.indexOf(source);
    const dim = source.options.dimension;
    const packed = new Float32Array(queries.length * dim);
    queries.forEach((q, i) => packed.set(q, i * dim));
    const res = index.searchBatch(packed, k, { efSearch: options.efSearch ?? source.options.efSearch, threads: availableParallelism() });
    return res.keys.map((keys, i) => keys.map((key, j) => ({ key, distance: Number(res.distances[i]![j]) })));
  }

  annAgrees(source: VectorColumn, snapshotTs: number): boolean {
    const entry = this.vectors.get(source.id);
    return entry !== undefined && entry.pending === undefined && this.store.listenerErrors.length === 0 && (this.store.tableWrites.get(source.table.id) ?? 0) <= snapshotTs;
  }

  async exactSearch(source: VectorColumn, query: Float32Array, k: number, keys: readonly Uint8Array[]): Promise<{ key: Uint8Array; distance: number }[]> {
    const index = await this.indexOf(source);
    const res = index.exactSearch(query, k, keys.map(keyString));
    return res.keys.map((ks, i) => ({ key: keyBytes(ks), distance: Number(res.distances[i]) }));
  }

  async textSearch(txn: StorageTransaction, source: TextColumns, query: string, k: number, options: { accept?: (rowKey: Uint8Array) => boolean }): Promise<{ key: Uint8Array; score: number }[]> {
    const t = this.text(source);
    await t.attached;
    const hits = await t.index.search(txn, query, k, options.accept ? { filter: options.accept } : {});
    return hits.map((h) => ({ key: h.docKey, score: h.score }));
  }

  terms(source: TextColumns, text: string): string[] {
    return this.text(source).analyzer.tokens(text);
  }

  indexText(txn: StorageTransaction, source: TextColumns, rowKey: Uint8Array, text: string): void {
    this.text(source).index.add(txn, rowKey, text);
  }

  unindexText(txn: StorageTransaction, source: TextColumns, rowKey: Uint8Array, text: string): void {
    this.text(source).index.remove(txn, rowKey, text);
  }

  /** Bytes held by a collection's ANN index (0 before its first use). */
  indexBytes(table: TableDef): number {
    return this.vectors.get(table.id)?.index.memoryBytes() ?? 0;
  }

  /** Saves every loaded ANN index next to the data, so the next open reconciles instead of rebuilding. */
  async save(): Promise<void> {
    if (!this.dir) return;
    this.forgetDropped();
    if (this.vectors.size === 0) return;
    await mkdir(this.dir, { recursive: true });
    for (const [id, e] of this.vectors) {
      if (e.pending) continue;
      await e.index.save(join(this.dir, `${id}.usearch`));
    }
  }

  /** Stops background work and saves. */
  async close(): Promise<void> {
    this.unlisten();
    for (const e of this.vectors.values()) e.index.stop();
    await Promise.all([...this.vectors.values()].map((e) => e.ready.catch(() => {})));
    await this.save().catch(() => {});
    for (const t of this.texts.values()) (await t.attached.catch(() => () => {}))();
  }
}

/** Applies committed row writes of one table to the ANN index of its vector column. */
function apply(index: VectorIndex, ops: readonly WriteOp[], column: number): void {
  for (const op of ops) {
    const ks = keyString(op.key);
    if (op.type === 'del') {
      index.remove(ks);
      continue;
    }
    const v = decodeColumn(decodeValue(op.value).payload, column);
    if (v instanceof Float32Array) index.upsert(ks, v);
    else index.remove(ks);
  }
}

// Collection: a vector collection's API (seed 003 sections 11–12), every call one ToonQL statement.

import { CollectionNotFoundError, InvalidMetadataError, ValidationError } from '../errors.js';
import type { CollectionOptions, TableDef } from '../storage/catalog.js';
import type { SQLQueryResult } from './sql-result.js';
import type { SqlParams } from './sql-session.js';
import { objectSql, quoteLiteral } from './sql-text.js';
import { filterSql, type MetadataFilter } from './filter.js';

/** What a collection needs from its database. */
export interface CollectionHost {
  executeSql(sql: string, params?: SqlParams): Promise<SQLQueryResult>;
  /**
   * Runs `n` search statements at once (`run(i, exec)` runs the i-th through `exec`); their ANN
   * searches are batched over every core.
   */
  searchTogether<T>(n: number, run: (i: number, exec: (sql: string, params?: SqlParams) => Promise<SQLQueryResult>) => Promise<T>): Promise<T[]>;
  /** Runs `fn` in one transaction (all of a batch or none of it). */
  transaction<T>(fn: (txn: { executeSql(sql: string, params?: SqlParams): Promise<SQLQueryResult> }) => Promise<T>): Promise<T>;
  /** The committed definition of a table, if any. */
  tableDef(name: string): TableDef | undefined;
  /** Names of a namespace's collections. */
  collectionNames(namespace: string): string[];
  /** Bytes of a collection's ANN index in memory. */
  vectorIndexBytes(table: TableDef): number;
}

/** Distance metrics, as the seeds' DistanceMetric enum. */
export const DistanceMetric = { COSINE: 'cosine', EUCLIDEAN: 'euclidean', DOT_PRODUCT: 'dot' } as const;
/** Quantization types, as the seeds' QuantizationType enum. */
export const QuantizationType = { NONE: 'none', SCALAR: 'scalar', F16: 'f16', PQ: 'pq' } as const;

/** A collection's configuration (seed 003 CollectionConfig, camelCase). Fixed at creation apart from efSearch. */
export interface CollectionConfig {
  readonly name: string;
  readonly dimension: number;
  readonly metric?: 'cosine' | 'euclidean' | 'dot' | 'l2' | 'ip' | 'dot_product';
  readonly m?: number;
  readonly efConstruction?: number;
  readonly efSearch?: number;
  readonly quantization?: 'none' | 'scalar' | 'f16' | 'pq';
  readonly pqNumSubvectors?: number;
  readonly pqNumCentroids?: number;
  readonly enableHybridSearch?: boolean;
  /** The metadata field holding the text BM25 indexes (absent: the `content` of each document). */
  readonly contentField?: string;
  readonly bm25K1?: number;
  readonly bm25B?: number;
  readonly stemming?: boolean;
  readonly stopwords?: boolean;
}

/** A vector as the API accepts it. */
export type VectorLike = Float32Array | readonly number[];

/** Metadata: a JSON object. */
export type Metadata = Record<string, unknown>;

/** One document. */
export interface CollectionDocument {
  readonly id: string;
  readonly vector?: VectorLike | null;
  readonly metadata?: Metadata;
  readonly content?: string | null;
}

/** A full search request (seed 003 SearchRequest). */
export interface SearchRequest {
  readonly vector?: VectorLike;
  readonly textQuery?: string;
  readonly k?: number;
  readonly efSearch?: number;
  readonly filter?: MetadataFilter;
  /** Drop results scoring below this. */
  readonly minScore?: number;
  /** Hybrid blend: 1 = vector only, 0 = keywords only (default 0.5). */
  readonly alpha?: number;
  readonly rrfK?: number;
  /** Hybrid fusion: reciprocal rank (default) or min-max linear. */
  readonly fusion?: 'rrf' | 'linear';
  /** Multi-vector documents (insertMulti): how chunk distances combine (default max similarity). */
  readonly aggregate?: 'max' | 'mean' | 'first';
  readonly includeVectors?: boolean;
  readonly includeMetadata?: boolean;
}

/** One search result. */
export interface SearchResult {
  readonly id: string;
  /** Higher is better (cosine 1 − distance, dot −distance, euclidean 1 / (1 + distance); BM25 or fused score). */
  readonly score: number;
  /** The vector distance (null for keyword-only results). */
  readonly distance: number | null;
  readonly metadata?: Metadata;
  readonly content?: string | null;
  readonly vector?: Float32Array;
  /** Hybrid: rank on each side (null when that side did not retrieve it). */
  readonly vectorRank?: number | null;
  readonly bm25Rank?: number | null;
  readonly bm25Score?: number | null;
}

/** Results with timing and, for hybrid searches, the rankings of each side. */
export interface SearchResults extends Iterable<SearchResult> {
  readonly results: SearchResult[];
  readonly queryTimeMs: number;
  readonly totalCount: number;
  readonly vectorResults?: SearchResult[];
  readonly keywordResults?: SearchResult[];
  readonly fusedResults?: SearchResult[];
}

/** Chroma-style query results: one list per query vector. */
export interface QueryResults {
  readonly ids: string[][];
  readonly distances: number[][];
  readonly metadatas: Metadata[][];
}

/** Rows per INSERT statement in batched writes (one parse per distinct batch shape). */
const INSERT_CHUNK = 256;

/**
 * A vector collection. Every method compiles to one ToonQL statement over the collection's
 * table (`ns.name`), so the API and SQL can never disagree.
 */
export class Collection {
  private constructor(
    private readonly host: CollectionHost,
    /** The namespace the collection belongs to. */
    readonly namespace: string,
    /** The collection's name. */
    readonly name: string,
  ) {}

  /** CREATE COLLECTION [IF NOT EXISTS] from a config. */
  static async create(host: CollectionHost, namespace: string, config: CollectionConfig, ifNotExists: boolean): Promise<Collection> {
    if (config === null || typeof config !== 'object') throw new ValidationError('createCollection expects a config object: { name, dimension, … }');
    if (typeof config.name !== 'string' || config.name === '') throw new ValidationError('a collection needs a name');
    const opts: string[] = [];
    const num = (k: string, v: number | undefined) => {
      if (v === undefined) return;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError(`${k} must be a number`);
      opts.push(`${k} = ${v}`);
    };
    const word = (k: string, v: string | undefined) => {
      if (v !== undefined) opts.push(`${k} = ${quoteLiteral(String(v))}`);
    };
    const flag = (k: string, v: boolean | undefined) => {
      if (v !== undefined) opts.push(`${k} = ${v ? 'true' : 'false'}`);
    };
    num('dimension', config.dimension);
    word('metric', config.metric);
    num('m', config.m);
    num('ef_construction', config.efConstruction);
    num('ef_search', config.efSearch);
    word('quantization', config.quantization);
    num('pq_num_subvectors', config.pqNumSubvectors);
    num('pq_num_centroids', config.pqNumCentroids);
    flag('enable_hybrid_search', config.enableHybridSearch);
    word('content_field', config.contentField);
    num('bm25_k1', config.bm25K1);
    num('bm25_b', config.bm25B);
    flag('stemming', config.stemming);
    flag('stopwords', config.stopwords);
    await host.executeSql(`CREATE COLLECTION ${ifNotExists ? 'IF NOT EXISTS ' : ''}${objectSql(namespace, config.name)} (${opts.join(', ')})`);
    return Collection.open(host, namespace, config.name);
  }

  /** An existing collection, or CollectionNotFoundError. */
  static open(host: CollectionHost, namespace: string, name: string): Collection {
    const c = new Collection(host, namespace, name);
    c.table();
    return c;
  }

  /** DROP COLLECTION. */
  static async drop(host: CollectionHost, namespace: string, name: string): Promise<void> {
    await host.executeSql(`DROP COLLECTION ${objectSql(namespace, name)}`);
  }

  private get sqlName(): string {
    return objectSql(this.namespace, this.name);
  }

  private table(): TableDef & { collection: CollectionOptions } {
    const catalogName = this.namespace.toLowerCase() === 'default' ? this.name : `${this.namespace}.${this.name}`;
    const t = this.host.tableDef(catalogName);
    if (!t?.collection) throw new CollectionNotFoundError(catalogName);
    return t as TableDef & { collection: CollectionOptions };
  }

  /** The configuration the collection was created with (efSearch as currently set). */
  get config(): CollectionOptions {
    return this.table().collection;
  }

  // ------------------------------------------------------------------ writes

  /** Inserts one document; a duplicate id is a ConstraintError. */
  async insert(doc: { id: string | number; vector?: VectorLike | null; metadata?: Metadata; content?: string | null }): Promise<void> {
    await this.write('INSERT', [{ ...doc, id: docId(doc.id) }]);
  }

  /** Inserts many documents atomically (seed: insert_batch(ids, vectors, metadatas)). */
  async insertBatch(batch: { ids: readonly (string | number)[]; vectors: readonly (VectorLike | null)[]; metadatas?: readonly (Metadata | undefined)[]; contents?: readonly (string | null | undefined)[] }): Promise<number> {
    return this.write('INSERT', zip(batch.ids, batch.vectors, batch.metadatas, batch.contents));
  }

  /** Chroma-style add: inserts, replacing documents whose id exists (seed 003: "bulk insert/update"). */
  async add(batch: { ids: readonly (string | number)[]; embeddings?: readonly (VectorLike | null)[]; vectors?: readonly (VectorLike | null)[]; metadatas?: readonly (Metadata | undefined)[]; documents?: readonly (string | null | undefined)[] }): Promise<number> {
    return this.write('UPSERT', zip(batch.ids, batch.embeddings ?? batch.vectors ?? [], batch.metadatas, batch.documents));
  }

  /** Inserts or replaces documents by id (UPSERT INTO). */
  async upsert(batch: { ids: readonly (string | number)[]; embeddings?: readonly (VectorLike | null)[]; vectors?: readonly (VectorLike | null)[]; metadatas?: readonly (Metadata | undefined)[]; documents?: readonly (string | null | undefined)[] }): Promise<number> {
    return this.add(batch);
  }

  private async write(verb: 'INSERT' | 'UPSERT', docs: readonly CollectionDocument[]): Promise<number> {
    if (docs.length === 0) return 0;
    this.table(); // CollectionNotFoundError before any statement runs
    const rows = docs.map((d) => [docId(d.id), toF32(d.vector), metadataJson(d.metadata), d.content ?? null] as const);
    const run = async (exec: CollectionHost['executeSql']) => {
      let n = 0;
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = rows.slice(i, i + INSERT_CHUNK);
        const sql = `${verb} INTO ${this.sqlName} (id, embedding, metadata, content) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`;
        n += (await exec(sql, chunk.flat() as unknown[])).rowsAffected;
      }
      return n;
    };
    if (rows.length <= INSERT_CHUNK) return run((s, p) => this.host.executeSql(s, p));
    return this.host.transaction((txn) => run((s, p) => txn.executeSql(s, p)));
  }

  /**
   * Stores several vectors for one document (chunks of a long text), as documents `id#0`, `id#1`,
   * … with the parent id in their metadata (`_parent`); searches with `aggregate` fold them back
   * into one result per parent.
   */
  async insertMulti(doc: { id: string | number; vectors: readonly VectorLike[]; metadata?: Metadata; contents?: readonly (string | null)[] }): Promise<number> {
    const id = docId(doc.id);
    if (!Array.isArray(doc.vectors) || doc.vectors.length === 0) throw new ValidationError('insertMulti needs at least one vector');
    const meta = { ...(doc.metadata ?? {}), _parent: id };
    return this.insertBatch({
      ids: doc.vectors.map((_, i) => `${id}#${i}`),
      vectors: doc.vectors,
      metadatas: doc.vectors.map((_, i) => ({ ...meta, _chunk: i })),
      contents: doc.vectors.map((_, i) => doc.contents?.[i] ?? null),
    });
  }

  /** The same as insertMulti (seed 002 naming). */
  async insertMultiVector(doc: { id: string | number; vectors: readonly VectorLike[]; metadata?: Metadata; contents?: readonly (string | null)[] }): Promise<number> {
    return this.insertMulti(doc);
  }

  /** One document by id, or null. */
  async get(id: string | number): Promise<CollectionDocument | null> {
    const r = await this.host.executeSql(`SELECT id, embedding, metadata, content FROM ${this.sqlName} WHERE id = ?`, [docId(id)]);
    const row = r.rows[0];
    if (!row) return null;
    return { id: String(row[0]), vector: row[1] instanceof Float32Array ? row[1] : null, metadata: JSON.parse(String(row[2] ?? '{}')) as Metadata, content: (row[3] as string | null) ?? null };
  }

  /** Changes a document's vector, metadata (replaced whole) or content. Returns false when the id is absent. */
  async update(id: string | number, changes: { vector?: VectorLike | null; metadata?: Metadata; content?: string | null }): Promise<boolean> {
    const sets: string[] = [];
    const params: unknown[] = [];
    if (changes.vector !== undefined) {
      sets.push('embedding = ?');
      params.push(toF32(changes.vector));
    }
    if (changes.metadata !== undefined) {
      sets.push('metadata = ?');
      params.push(metadataJson(changes.metadata));
    }
    if (changes.content !== undefined) {
      sets.push('content = ?');
      params.push(changes.content);
    }
    if (sets.length === 0) return (await this.get(id)) !== null;
    const r = await this.host.executeSql(`UPDATE ${this.sqlName} SET ${sets.join(', ')} WHERE id = ?`, [...params, docId(id)]);
    return r.rowsAffected > 0;
  }

  /** Deletes documents by id; returns how many existed. */
  async delete(ids: string | number | readonly (string | number)[]): Promise<number> {
    const list = (Array.isArray(ids) ? ids : [ids]).map(docId);
    if (list.length === 0) return 0;
    const r = await this.host.executeSql(`DELETE FROM ${this.sqlName} WHERE id IN (${list.map(() => '?').join(', ')})`, list);
    return r.rowsAffected;
  }

  /** How many documents the collection holds. */
  async count(): Promise<number> {
    const r = await this.host.executeSql(`SELECT count(*) FROM ${this.sqlName}`);
    return Number(r.rows[0]![0]);
  }

  /** Name, dimension, metric, count and the ANN index's size in memory. */
  async info(): Promise<{ name: string; namespace: string; dimension: number; metric: string; count: number; indexSizeBytes: number; config: CollectionOptions }> {
    const t = this.table();
    return {
      name: this.name,
      namespace: this.namespace,
      dimension: t.collection.dimension,
      metric: t.collection.metric,
      count: await this.count(),
      indexSizeBytes: this.host.vectorIndexBytes(t),
      config: t.collection,
    };
  }

  // ------------------------------------------------------------------ reads

  /** Nearest documents to a vector, filtered by metadata (vector_search). */
  async vectorSearch(req: { vector: VectorLike; k?: number; filter?: MetadataFilter; efSearch?: number; minScore?: number; includeVectors?: boolean; includeMetadata?: boolean; aggregate?: 'max' | 'mean' | 'first' }): Promise<SearchResults> {
    return this.search({ ...req });
  }

  /** Best BM25 matches for a text query (bm25_search). */
  async keywordSearch(req: { query: string; k?: number; filter?: MetadataFilter; minScore?: number; includeMetadata?: boolean }): Promise<SearchResults> {
    return this.search({ textQuery: req.query, ...(req.k !== undefined ? { k: req.k } : {}), ...(req.filter ? { filter: req.filter } : {}), ...(req.minScore !== undefined ? { minScore: req.minScore } : {}), ...(req.includeMetadata !== undefined ? { includeMetadata: req.includeMetadata } : {}) });
  }

  /** Vector and BM25 rankings fused (hybrid_search): alpha 1 is vector only, 0 keywords only. */
  async hybridSearch(req: { vector: VectorLike; textQuery: string; k?: number; alpha?: number; rrfK?: number; fusion?: 'rrf' | 'linear'; filter?: MetadataFilter; minScore?: number; includeVectors?: boolean; includeMetadata?: boolean }): Promise<SearchResults> {
    return this.search(req);
  }

  /** The full search: vector, keyword or hybrid depending on what the request carries. */
  async search(req: SearchRequest): Promise<SearchResults> {
    return this.searchWith(req, (sql, params) => this.host.executeSql(sql, params));
  }

  /** search(), its statement run through `exec`. */
  private async searchWith(req: SearchRequest, exec: (sql: string, params?: SqlParams) => Promise<SQLQueryResult>): Promise<SearchResults> {
    const started = performance.now();
    this.table(); // CollectionNotFoundError before any statement runs
    const k = req.k ?? 10;
    if (!Number.isInteger(k) || k < 1) throw new ValidationError(`k must be a positive integer, got ${String(req.k)}`);
    const hasVector = req.vector !== undefined && req.vector !== null;
    const hasText = typeof req.textQuery === 'string' && req.textQuery !== '';
    if (!hasVector && !hasText) throw new ValidationError('a search needs a vector, a textQuery, or both');
    const params: unknown[] = [];
    const named: string[] = [];
    const multi = req.aggregate !== undefined;
    // Multi-vector documents: fetch more chunks than k so that k distinct parents survive folding.
    const fetchK = multi ? k * 8 : k;
    let fn: string;
    let extra: string;
    if (hasVector && hasText) {
      params.push(toF32(req.vector!), req.textQuery);
      fn = 'hybrid_search';
      if (req.alpha !== undefined) named.push(`alpha => ${num(req.alpha, 'alpha')}`);
      if (req.rrfK !== undefined) named.push(`rrf_k => ${num(req.rrfK, 'rrfK')}`);
      if (req.fusion !== undefined) named.push(`fusion => ${quoteLiteral(req.fusion)}`);
      if (req.efSearch !== undefined) named.push(`ef_search => ${num(req.efSearch, 'efSearch')}`);
      extra = 'score, vector_distance, vector_rank, bm25_rank, bm25_score';
    } else if (hasVector) {
      params.push(toF32(req.vector!));
      fn = 'vector_search';
      if (req.efSearch !== undefined) named.push(`ef_search => ${num(req.efSearch, 'efSearch')}`);
      extra = 'score, distance';
    } else {
      params.push(req.textQuery);
      fn = 'bm25_search';
      extra = 'score, NULL';
    }
    const where = req.filter ? filterSql(req.filter, params) : undefined;
    // Columns the caller does not want are not selected, so the plan need not read them.
    const docColumns = req.includeMetadata === false ? 'NULL, NULL' : 'metadata, content';
    const sql = `SELECT id, ${docColumns}, ${req.includeVectors ? 'embedding' : 'NULL'}, ${extra} FROM ${fn}(${this.sqlName}, ${hasVector && hasText ? '?, ?' : '?'}, k => ${fetchK}${named.map((n) => `, ${n}`).join('')})${where ? ` WHERE ${where}` : ''}`;
    const r = await exec(sql, params);
    const includeMeta = req.includeMetadata !== false;
    let results: SearchResult[] = r.rows.map((row) => {
      const base = {
        id: String(row[0]),
        score: Number(row[4]),
        distance: row[5] === null || row[5] === undefined ? null : Number(row[5]),
        ...(includeMeta ? { metadata: JSON.parse(String(row[1] ?? '{}')) as Metadata, content: (row[2] as string | null) ?? null } : {}),
        ...(row[3] instanceof Float32Array ? { vector: row[3] } : {}),
      };
      return fn === 'hybrid_search' ? { ...base, vectorRank: rank(row[6]), bm25Rank: rank(row[7]), bm25Score: row[8] === null ? null : Number(row[8]) } : base;
    });
    if (multi) results = foldChunks(results, req.aggregate!, k);
    if (req.minScore !== undefined) results = results.filter((x) => x.score >= req.minScore!);
    const out: SearchResults = {
      results,
      queryTimeMs: performance.now() - started,
      totalCount: results.length,
      [Symbol.iterator]: () => results[Symbol.iterator](),
      ...(fn === 'hybrid_search'
        ? {
            fusedResults: results,
            vectorResults: results.filter((x) => x.vectorRank != null).sort((a, b) => a.vectorRank! - b.vectorRank!),
            keywordResults: results.filter((x) => x.bm25Rank != null).sort((a, b) => a.bm25Rank! - b.bm25Rank!),
          }
        : {}),
    };
    return out;
  }

  /** Chroma-style query: one result list per query vector. */
  async query(req: { queryEmbeddings?: readonly VectorLike[]; queryVectors?: readonly VectorLike[]; nResults?: number; where?: MetadataFilter }): Promise<QueryResults> {
    const queries = req.queryEmbeddings ?? req.queryVectors;
    if (!Array.isArray(queries)) throw new ValidationError('query needs queryEmbeddings (a list of vectors)');
    this.table(); // CollectionNotFoundError before any statement runs
    // One statement per query vector, run together: their graph searches go to the index as one
    // batch on every core.
    const all = await this.host.searchTogether(queries.length, (i, exec) => this.searchWith({ vector: queries[i]!, k: req.nResults ?? 10, ...(req.where ? { filter: req.where } : {}) }, exec));
    const out: QueryResults = { ids: [], distances: [], metadatas: [] };
    for (const r of all) {
      out.ids.push(r.results.map((x) => x.id));
      out.distances.push(r.results.map((x) => x.distance ?? NaN));
      out.metadatas.push(r.results.map((x) => x.metadata ?? {}));
    }
    return out;
  }
}

function rank(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

function num(v: number, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError(`${what} must be a finite number`);
  return v;
}

function docId(id: unknown): string {
  if (typeof id === 'string' && id !== '') return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  throw new ValidationError(`a document id must be a non-empty string or a number, got ${JSON.stringify(id)}`);
}

/** A vector for a parameter: a Float32Array copy of the numbers (dimension and NaN are checked by the statement). */
function toF32(v: VectorLike | null | undefined): Float32Array | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Float32Array) return v;
  if (!Array.isArray(v)) throw new ValidationError('a vector must be a Float32Array or an array of numbers');
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number') throw new ValidationError(`vector component ${i} is not a number`);
    out[i] = x;
  }
  return out;
}

function metadataJson(m: Metadata | undefined): string {
  if (m === undefined || m === null) return '{}';
  if (typeof m !== 'object' || Array.isArray(m)) throw new InvalidMetadataError('metadata must be a plain object');
  try {
    return JSON.stringify(m);
  } catch (err) {
    throw new InvalidMetadataError('metadata must be JSON-serializable', { cause: err });
  }
}

function zip(
  ids: readonly (string | number)[],
  vectors: readonly (VectorLike | null)[],
  metadatas: readonly (Metadata | undefined)[] | undefined,
  contents: readonly (string | null | undefined)[] | undefined,
): CollectionDocument[] {
  if (!Array.isArray(ids)) throw new ValidationError('ids must be an array');
  if (!Array.isArray(vectors) || vectors.length !== ids.length) throw new ValidationError(`ids and vectors must have the same length (${ids.length} ids, ${Array.isArray(vectors) ? vectors.length : 'no'} vectors)`);
  if (metadatas !== undefined && metadatas.length !== ids.length) throw new ValidationError('metadatas must have one entry per id');
  if (contents !== undefined && contents.length !== ids.length) throw new ValidationError('documents/contents must have one entry per id');
  return ids.map((id, i) => ({ id: docId(id), vector: vectors[i] ?? null, ...(metadatas?.[i] !== undefined ? { metadata: metadatas[i]! } : {}), content: contents?.[i] ?? null }));
}

/** Folds chunk results (`_parent`) into one result per document: max, mean or first similarity. */
function foldChunks(results: SearchResult[], how: 'max' | 'mean' | 'first', k: number): SearchResult[] {
  const groups = new Map<string, SearchResult[]>();
  for (const r of results) {
    const parent = typeof r.metadata?._parent === 'string' ? r.metadata._parent : r.id;
    let g = groups.get(parent);
    if (!g) groups.set(parent, (g = []));
    g.push(r);
  }
  const folded = [...groups.entries()].map(([id, g]) => {
    const score = how === 'max' ? Math.max(...g.map((x) => x.score)) : how === 'first' ? g.slice().sort((a, b) => Number(a.metadata?._chunk ?? 0) - Number(b.metadata?._chunk ?? 0))[0]!.score : g.reduce((s, x) => s + x.score, 0) / g.length;
    const best = g.reduce((a, b) => (b.score > a.score ? b : a));
    const { _parent: _p, _chunk: _c, ...metadata } = best.metadata ?? {};
    return { ...best, id, score, ...(best.metadata ? { metadata } : {}) };
  });
  folded.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  return folded.slice(0, k);
}

// The catalog: definitions of tables, indexes and views, stored as keys and cached in memory.

import { QueryBindError } from '../errors.js';
import type { SqlType } from '../executor/value.js';
import { fromUtf8, utf8 } from './bytes.js';
import type { Histogram } from './histogram.js';
import { decodeKey, encodeKey } from './key-codec.js';
import { KeyTag, tagged } from './keyspace.js';
import type { MvccStore } from './mvcc/store.js';
import { StorageTransaction } from './mvcc/transaction.js';

/** SQLite's five column affinities. */
export type Affinity = 'INTEGER' | 'REAL' | 'NUMERIC' | 'TEXT' | 'BLOB';

/** One column of a table. Expressions (DEFAULT, CHECK, GENERATED) are kept as SQL text. */
export interface ColumnDef {
  readonly name: string;
  /** The type as written ("VARCHAR(40)"), or '' when none was given. */
  readonly declaredType: string;
  /** The static type the binder gives the column. */
  readonly type: SqlType;
  readonly affinity: Affinity;
  readonly notNull: boolean;
  /** SQL text of the DEFAULT expression. */
  readonly defaultSql?: string;
  readonly collation?: string;
  /** GENERATED … AS IDENTITY, SERIAL, or INTEGER PRIMARY KEY AUTOINCREMENT. */
  readonly identity?: boolean;
  /**
   * SQL text of a generated column's expression (GENERATED ALWAYS AS (…) [STORED | VIRTUAL]).
   * Both kinds are computed when a row is written and stored with it.
   */
  readonly generatedSql?: string;
  /** The storage keyword as written (for dumps). */
  readonly generatedStorage?: 'STORED' | 'VIRTUAL';
}

/** A FOREIGN KEY constraint. */
export interface ForeignKeyDef {
  readonly name?: string;
  readonly columns: readonly string[];
  readonly refTable: string;
  /** Referenced columns; empty means the referenced table's primary key. */
  readonly refColumns: readonly string[];
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
}

export type ReferentialAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

/** A table. Rows are keyed by (id, primary key…), or by (id, rowid) when there is no primary key. */
export interface TableDef {
  readonly kind: 'table';
  readonly id: number;
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  /** Column positions of the primary key; empty: a hidden rowid keys the rows. */
  readonly primaryKey: readonly number[];
  /** Position of an INTEGER PRIMARY KEY column (an alias of the rowid), or -1. */
  readonly rowidColumn: number;
  /** Rowids are never reused (AUTOINCREMENT, SERIAL, IDENTITY). */
  readonly autoincrement: boolean;
  readonly uniques: readonly { readonly name?: string; readonly columns: readonly number[] }[];
  readonly checks: readonly { readonly name?: string; readonly sql: string }[];
  readonly foreignKeys: readonly ForeignKeyDef[];
  /** How the table trades write cost for read cost (seed 003 section 9); absent means balanced. */
  readonly indexPolicy?: IndexPolicy;
  /** Present when the table is a vector collection (docs/toonql.md §11). */
  readonly collection?: CollectionOptions;
}

/** Distance metrics of vector collections (pgvector's operators: <=>, <->, <#>). */
export type CollectionMetric = 'cosine' | 'euclidean' | 'dot';

/** How a collection's ANN index stores vectors. */
export type CollectionQuantization = 'none' | 'scalar' | 'f16' | 'pq';

/**
 * The configuration of a vector collection, fixed at creation apart from efSearch. A collection
 * is a table with the columns id, embedding, metadata and content (COLLECTION_COLUMNS).
 */
export interface CollectionOptions {
  readonly dimension: number;
  readonly metric: CollectionMetric;
  readonly m: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  readonly quantization: CollectionQuantization;
  readonly pqNumSubvectors?: number;
  readonly pqNumCentroids?: number;
  /** Maintain a BM25 index over the document text. */
  readonly enableHybridSearch: boolean;
  /** The metadata field holding the document text; absent: the content column. */
  readonly contentField?: string;
  /** BM25 parameters and text analysis. */
  readonly bm25K1: number;
  readonly bm25B: number;
  readonly stemming: boolean;
  readonly stopwords: boolean;
  /** Id of the BM25 postings (keyspace TEXT); allocated with the table. */
  readonly textIndexId: number;
}

/** The ANN configuration shared by collections and hnsw indexes on tables. */
export type VectorOptions = Pick<CollectionOptions, 'dimension' | 'metric' | 'm' | 'efConstruction' | 'efSearch' | 'quantization' | 'pqNumSubvectors' | 'pqNumCentroids'>;

/**
 * A vector column under an ANN index: a collection's embedding (id: the table's id) or a table
 * column under an hnsw index (id: the index's id). Ids are unique across the catalog.
 */
export interface VectorColumn {
  readonly id: number;
  readonly table: TableDef;
  readonly column: number;
  readonly options: VectorOptions;
}

/** BM25 scoring and text analysis, shared by hybrid collections and bm25 indexes on tables. */
export interface TextOptions {
  readonly k1: number;
  readonly b: number;
  readonly stemming: boolean;
  readonly stopwords: boolean;
}

/**
 * Text columns under a BM25 index: a hybrid collection's content (id: its textIndexId) or the
 * columns of a bm25 index on a table (id: the index's id), whose values are indexed together.
 */
export interface TextColumns {
  readonly id: number;
  readonly table: TableDef;
  readonly columns: readonly number[];
  readonly options: TextOptions;
}

/** The text column of a collection with hybrid search. */
export function collectionTextColumns(table: TableDef): TextColumns {
  const c = table.collection!;
  return { id: c.textIndexId, table, columns: [COLLECTION_COLUMNS.content], options: { k1: c.bm25K1, b: c.bm25B, stemming: c.stemming, stopwords: c.stopwords } };
}

/** The BM25-indexed text sources of a table: its collection content and its bm25 indexes. */
export function textSourcesOf(table: TableDef, indexes: readonly IndexDef[]): TextColumns[] {
  const out: TextColumns[] = table.collection?.enableHybridSearch ? [collectionTextColumns(table)] : [];
  for (const ix of indexes) if (ix.method === 'bm25' && ix.text) out.push({ id: ix.id, table, columns: ix.columns.map((c) => itemColumn(c)!), options: ix.text });
  return out;
}

/** The text a BM25 index reads from a row: its text columns' values, one per line. */
export function rowText(row: readonly unknown[], columns: readonly number[]): string | undefined {
  if (columns.length === 1) {
    const v = row[columns[0]!];
    return typeof v === 'string' ? v : undefined;
  }
  const parts = columns.map((c) => row[c]).filter((v): v is string => typeof v === 'string');
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/** The vector column of an hnsw index on a table. */
export function hnswVectorColumn(table: TableDef, ix: IndexDef): VectorColumn {
  return { id: ix.id, table, column: itemColumn(ix.columns[0]!)!, options: ix.vector! };
}

/** The vector column of a collection. */
export function collectionVectorColumn(table: TableDef): VectorColumn {
  return { id: table.id, table, column: COLLECTION_COLUMNS.embedding, options: table.collection! };
}

/** Column positions of every collection table. */
export const COLLECTION_COLUMNS = { id: 0, embedding: 1, metadata: 2, content: 3 } as const;

/** A namespace: the tenancy unit (docs/toonql.md §8.1), holding tables, collections and its own key-value space. */
export interface NamespaceDef {
  readonly kind: 'namespace';
  readonly name: string;
  readonly displayName?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Unix ms. */
  readonly createdAt: number;
}

/**
 * Per-table index policies. append_only refuses UPDATE and DELETE; scan_optimized makes the
 * planner favour index access paths; write_optimized and balanced differ in nothing yet (every
 * policy already skips the key probe for a freshly allocated rowid).
 */
export type IndexPolicy = 'write_optimized' | 'balanced' | 'scan_optimized' | 'append_only';

/** The policies in the order of the seeds' numeric constants (0–3). */
export const INDEX_POLICIES: readonly IndexPolicy[] = ['write_optimized', 'balanced', 'scan_optimized', 'append_only'];

/**
 * One item of an index key: a column of the table (by position), or an expression over its
 * columns (CREATE INDEX … ((lower(email)))) kept as SQL text and bound again where the index is
 * used, as generated columns are.
 */
export type IndexItem = { readonly column: number; readonly desc: boolean } | { readonly exprSql: string; readonly desc: boolean };

/** The column position of an index item, or undefined for an expression item. */
export function itemColumn(item: IndexItem): number | undefined {
  return 'column' in item ? item.column : undefined;
}

/** A secondary index over columns (or expressions over the columns) of one table. */
export interface IndexDef {
  readonly kind: 'index';
  readonly id: number;
  readonly name: string;
  readonly table: string;
  /** The key items in order (the name predates expression items). */
  readonly columns: readonly IndexItem[];
  readonly unique: boolean;
  /** SQL text of a partial index's WHERE clause. */
  readonly whereSql?: string;
  /** Made for a UNIQUE or PRIMARY KEY constraint rather than by CREATE INDEX. */
  readonly implicit: boolean;
  /**
   * 'hnsw': an ANN index over one VECTOR(n) column, kept outside the store like a collection's
   * (docs/toonql.md §8.4); absent: an ordered index whose entries the store holds.
   */
  readonly method?: 'hnsw' | 'bm25';
  /** The ANN configuration of an hnsw index. */
  readonly vector?: VectorOptions;
  /** The BM25 configuration of a bm25 index (its postings live under the index's id). */
  readonly text?: TextOptions;
}

/** True for an ordered index (entries in the keyspace INDEX), false for hnsw and bm25 indexes. */
export function isOrderedIndex(ix: IndexDef): boolean {
  return ix.method === undefined;
}

/** A view: a named query. */
export interface ViewDef {
  readonly kind: 'view';
  readonly name: string;
  readonly columns?: readonly string[];
  /** SQL text of the query. */
  readonly sql: string;
}

/** Any catalog object. */
export type CatalogObject = TableDef | IndexDef | ViewDef | NamespaceDef;

/** Namespaces share the catalog's name map under this prefix, which no SQL name can produce. */
const NAMESPACE_KEY_PREFIX = '\u0000namespace:';

/** The key of an object in the catalog's (case-insensitive) name maps. */
export function objectMapKey(obj: Pick<CatalogObject, 'kind' | 'name'>): string {
  return catalogKeyName(obj.kind === 'namespace' ? NAMESPACE_KEY_PREFIX + obj.name : obj.name);
}

/** The map key under which a namespace of that name is found. */
export function namespaceMapKey(name: string): string {
  return catalogKeyName(NAMESPACE_KEY_PREFIX + name);
}

/** Statistics gathered by ANALYZE (or estimated), used by the cost model. */
export interface TableStats {
  readonly rowCount: number;
  /** Distinct values per column position (absent: unknown). */
  readonly distinct: readonly (number | undefined)[];
  /** Fraction of NULLs per column position (absent: unknown). */
  readonly nullFraction?: readonly (number | undefined)[];
  /** Equi-depth histogram per column position (histogram.ts; null or absent: none). */
  readonly histograms?: readonly (Histogram | null)[];
}

/** Lower-cases an unquoted name for lookup; the catalog is case-insensitive like SQLite. */
export function catalogKeyName(name: string): string {
  return name.toLowerCase();
}

function objectKey(kind: CatalogObject['kind'], name: string): Uint8Array {
  return tagged(KeyTag.CATALOG, encodeKey([kind === 'view' ? 'table' : kind, catalogKeyName(name)]));
}

/**
 * The catalog key of a table's definition. Statements that write the table's rows read it, and
 * DDL that changes what those writes must maintain (a new index) writes it, so that a serializable
 * writer that began before such DDL committed fails its commit instead of skipping the new index.
 */
export function tableSchemaKey(table: TableDef): Uint8Array {
  return objectKey('table', table.name);
}

/**
 * The in-memory catalog. The committed state is shared; a transaction that runs DDL gets a
 * private overlay (see CatalogView), published here when it commits.
 */
export class Catalog {
  private readonly objects = new Map<string, CatalogObject>(); // by kind-less lower-case name
  private nextId = 1;
  /** Bumped by every committed DDL; prepared plans compare it to know they are stale. */
  version = 0;
  /** Row-count estimates per table id, kept current by writes (ANALYZE refines distinct counts). */
  readonly stats = new Map<number, TableStats>();

  /** Loads every definition from the store. */
  static async load(store: MvccStore): Promise<Catalog> {
    const cat = new Catalog();
    const txn = new StorageTransaction(store, 'snapshot', true);
    const cursor = txn.scan({ gte: Uint8Array.of(KeyTag.CATALOG), lt: Uint8Array.of(KeyTag.CATALOG + 1) });
    for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
      for (const payload of b.payloads) {
        const obj = JSON.parse(fromUtf8(payload)) as CatalogObject;
        cat.objects.set(objectMapKey(obj), obj);
        if (obj.kind === 'table' || obj.kind === 'index') {
          if (obj.id >= cat.nextId) cat.nextId = obj.id + 1;
          if (obj.kind === 'table' && obj.collection && obj.collection.textIndexId >= cat.nextId) cat.nextId = obj.collection.textIndexId + 1;
        }
      }
    }
    await cursor.close();
    // Statistics saved by ANALYZE (tag STATS + tuple(tableId)).
    const stats = txn.scan({ gte: Uint8Array.of(KeyTag.STATS), lt: Uint8Array.of(KeyTag.STATS + 1) });
    for (let b = await stats.nextBatch(); b.keys.length > 0; b = await stats.nextBatch()) {
      for (let i = 0; i < b.keys.length; i++) {
        const id = decodeKey(b.keys[i]!.subarray(1))[0] as number;
        cat.stats.set(id, JSON.parse(fromUtf8(b.payloads[i]!)) as TableStats);
      }
    }
    await stats.close();
    txn.abort();
    return cat;
  }

  /** Records a table's statistics in a transaction (ANALYZE), so that they survive a reopen. */
  saveStats(txn: StorageTransaction, tableId: number, stats: TableStats): void {
    txn.put(tagged(KeyTag.STATS, encodeKey([tableId])), utf8(JSON.stringify(stats)));
    this.stats.set(tableId, stats);
  }

  /** Allocates an id for a new table or index (never reused in this process; gaps are harmless). */
  allocateId(): number {
    return this.nextId++;
  }

  /** The committed object of that name, if any. */
  get(name: string): CatalogObject | undefined {
    return this.objects.get(catalogKeyName(name));
  }

  /** The committed object under a map key (objectMapKey). */
  getByKey(key: string): CatalogObject | undefined {
    return this.objects.get(key);
  }

  /** Every committed object. */
  all(): CatalogObject[] {
    return [...this.objects.values()];
  }

  /** Applies a committed transaction's DDL. */
  publish(changes: ReadonlyMap<string, CatalogObject | null>): void {
    if (changes.size === 0) return;
    for (const [name, obj] of changes) {
      if (obj === null) this.objects.delete(name);
      else this.objects.set(name, obj);
    }
    this.version++;
  }
}

/** The catalog as one transaction sees it: the committed state plus its own uncommitted DDL. */
export class CatalogView {
  /** This transaction's DDL: lower-case name → new definition, or null for a drop. */
  readonly changes = new Map<string, CatalogObject | null>();

  constructor(readonly catalog: Catalog) {}

  /** Looks up any object by name. */
  get(name: string): CatalogObject | undefined {
    const key = catalogKeyName(name);
    if (this.changes.has(key)) return this.changes.get(key) ?? undefined;
    return this.catalog.get(name);
  }

  /** Every visible object. */
  all(): CatalogObject[] {
    const out = new Map<string, CatalogObject>();
    for (const o of this.catalog.all()) out.set(objectMapKey(o), o);
    for (const [k, o] of this.changes) {
      if (o === null) out.delete(k);
      else out.set(k, o);
    }
    return [...out.values()];
  }

  /** The namespace of that name, if visible ('default' always exists and has no definition). */
  namespace(name: string): NamespaceDef | undefined {
    const key = namespaceMapKey(name);
    const obj = this.changes.has(key) ? (this.changes.get(key) ?? undefined) : this.catalog.getByKey(key);
    return obj?.kind === 'namespace' ? obj : undefined;
  }

  /** The table of that name, or a bind error that suggests a near name. */
  table(name: string): TableDef {
    const obj = this.get(name);
    if (obj?.kind === 'table') return obj;
    const hint = nearest(name, this.all().filter((o) => o.kind === 'table').map((o) => o.name));
    throw new QueryBindError(`no such table: ${name}${hint ? ` (did you mean "${hint}"?)` : ''}`);
  }

  /** The indexes of a table. */
  indexesOf(table: string): IndexDef[] {
    const t = catalogKeyName(table);
    return this.all().filter((o): o is IndexDef => o.kind === 'index' && catalogKeyName(o.table) === t);
  }

  /** Records a new or changed definition in the transaction (and its key in the store). */
  put(txn: StorageTransaction, obj: CatalogObject): void {
    txn.put(objectKey(obj.kind, obj.name), utf8(JSON.stringify(obj)));
    this.changes.set(objectMapKey(obj), obj);
  }

  /** Records a drop in the transaction. */
  drop(txn: StorageTransaction, obj: CatalogObject): void {
    txn.delete(objectKey(obj.kind, obj.name));
    this.changes.set(objectMapKey(obj), null);
  }

  /** Reads the object's key in the transaction so that concurrent DDL on the same name conflicts. */
  touch(txn: StorageTransaction, kind: CatalogObject['kind'], name: string): void {
    txn.get(objectKey(kind, name));
  }
}

/** The candidate closest to `name` by edit distance, when close enough to be a likely typo. */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const a = name.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(a, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= (a.length >= 4 ? Math.max(2, Math.floor(a.length / 3)) : 1) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** SQLite's rules for the affinity of a declared type (section 3.1 of its datatype docs). */
export function affinityOf(declaredType: string): Affinity {
  const t = declaredType.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t === '' || t.includes('BLOB')) return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

/** The static type of a declared type. */
export function staticTypeOf(declaredType: string): SqlType {
  const t = declaredType.toUpperCase().replace(/\(.*$/, '').trim();
  if (t === '') return 'any';
  if (/^(BOOL|BOOLEAN)$/.test(t)) return 'boolean';
  if (/^(JSON|JSONB)$/.test(t)) return 'json';
  if (/^VECTOR/.test(t)) return 'vector';
  if (/^(DATE)$/.test(t)) return 'date';
  if (/^(TIMESTAMP|DATETIME|TIMESTAMPTZ)/.test(t)) return 'timestamp';
  switch (affinityOf(declaredType)) {
    case 'INTEGER':
      return 'integer';
    case 'TEXT':
      return 'text';
    case 'BLOB':
      return 'blob';
    case 'REAL':
      return 'real';
    default:
      return 'numeric';
  }
}

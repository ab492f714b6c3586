// CREATE INDEX … USING hnsw | bm25: an ANN index over a table's VECTOR(n) column, a BM25 index over its text columns.

import type { CreateIndexStatement } from '../../compiler/ast.js';
import { identName } from '../../compiler/binder/scope.js';
import { CollectionConfigError, QueryExecutionError } from '../../errors.js';
import { rowText, textSourcesOf, type CollectionMetric, type IndexDef, type TableDef, type VectorOptions } from '../../storage/catalog.js';
import { decodeRow, scanTable } from '../../storage/table-store.js';
import { declaredDimension } from '../vector-value.js';
import { collectionOptions, optionValues } from './collection.js';
import type { StatementContext } from './context.js';

/** The options of an hnsw index (those of collections that shape the graph, §11.1). */
const HNSW_OPTIONS = new Set(['metric', 'm', 'ef_construction', 'ef_search', 'quantization', 'pq_num_subvectors', 'pq_num_centroids']);

/** pgvector's operator classes, which name the metric. */
const OPCLASS_METRIC: Record<string, CollectionMetric> = { vector_cosine_ops: 'cosine', vector_l2_ops: 'euclidean', vector_ip_ops: 'dot' };

/** The catalog entry of an hnsw index; the index itself is built from the rows on first use. */
export function hnswIndexDef(stmt: CreateIndexStatement, table: TableDef, name: string, id: number): IndexDef {
  if (stmt.unique) throw new QueryExecutionError('an hnsw index cannot be UNIQUE');
  if (stmt.where) throw new QueryExecutionError('an hnsw index cannot be partial (filter in the query instead)');
  if (stmt.columns.length !== 1 || stmt.columns[0]!.expr.kind !== 'ColumnRef') throw new QueryExecutionError('an hnsw index covers exactly one VECTOR(n) column');
  const item = stmt.columns[0]!;
  const ref = item.expr as Extract<typeof item.expr, { kind: 'ColumnRef' }>;
  const column = table.columns.findIndex((c) => c.name.toLowerCase() === ref.column.name.toLowerCase());
  if (column < 0) throw new QueryExecutionError(`no such column: ${ref.column.name}`);
  const dimension = declaredDimension(table.columns[column]!.declaredType);
  if (dimension === undefined) throw new QueryExecutionError(`an hnsw index needs a VECTOR(n) column; ${table.columns[column]!.name} is ${table.columns[column]!.declaredType || 'untyped'}`);
  const values = optionValues(stmt.options);
  for (const k of values.keys()) {
    if (!HNSW_OPTIONS.has(k)) throw new CollectionConfigError(`unknown hnsw index option: ${k} (use ${[...HNSW_OPTIONS].join(', ')})`);
  }
  if (item.opclass) {
    const metric = OPCLASS_METRIC[identName(item.opclass).toLowerCase()];
    if (!metric) throw new QueryExecutionError(`unknown operator class ${identName(item.opclass)} (use vector_cosine_ops, vector_l2_ops or vector_ip_ops)`);
    if (values.has('metric') && String(values.get('metric')) !== metric) throw new CollectionConfigError('the operator class and the metric option disagree');
    values.set('metric', metric);
  }
  values.set('dimension', dimension);
  const o = collectionOptions(values, 0);
  const vector: VectorOptions = {
    dimension: o.dimension,
    metric: o.metric,
    m: o.m,
    efConstruction: o.efConstruction,
    efSearch: o.efSearch,
    quantization: o.quantization,
    ...(o.pqNumSubvectors !== undefined ? { pqNumSubvectors: o.pqNumSubvectors } : {}),
    ...(o.pqNumCentroids !== undefined ? { pqNumCentroids: o.pqNumCentroids } : {}),
  };
  return { kind: 'index', id, name, table: table.name, columns: [{ column, desc: false }], unique: false, implicit: false, method: 'hnsw', vector };
}

/** The options of a bm25 index, with their defaults (those of hybrid collections). */
const BM25_OPTIONS = new Set(['k1', 'b', 'stemming', 'stopwords']);

/** The catalog entry of a bm25 index over one or more TEXT columns (their values are indexed together). */
export function bm25IndexDef(stmt: CreateIndexStatement, table: TableDef, name: string, id: number): IndexDef {
  if (stmt.unique) throw new QueryExecutionError('a bm25 index cannot be UNIQUE');
  if (stmt.where) throw new QueryExecutionError('a bm25 index cannot be partial (filter in the query instead)');
  if (table.collection) throw new QueryExecutionError(`${table.name} is a collection: create it with enable_hybrid_search = true for BM25`);
  const columns = stmt.columns.map((item) => {
    if (item.expr.kind !== 'ColumnRef') throw new QueryExecutionError('a bm25 index covers columns, not expressions');
    const ref = item.expr.column;
    const i = table.columns.findIndex((c) => c.name.toLowerCase() === ref.name.toLowerCase());
    if (i < 0) throw new QueryExecutionError(`no such column: ${ref.name}`);
    const t = table.columns[i]!.type;
    if (t !== 'text' && t !== 'any') throw new QueryExecutionError(`a bm25 index covers TEXT columns; ${table.columns[i]!.name} is ${table.columns[i]!.declaredType}`);
    return { column: i, desc: false };
  });
  const values = optionValues(stmt.options);
  for (const k of values.keys()) {
    if (!BM25_OPTIONS.has(k)) throw new CollectionConfigError(`unknown bm25 index option: ${k} (use ${[...BM25_OPTIONS].join(', ')})`);
  }
  // The collection option parser checks ranges and spellings; only the BM25 ones are read back.
  const o = collectionOptions(
    new Map([
      ['dimension', 1],
      ...(values.has('k1') ? [['bm25_k1', values.get('k1')!] as const] : []),
      ...(values.has('b') ? [['bm25_b', values.get('b')!] as const] : []),
      ...(values.has('stemming') ? [['stemming', values.get('stemming')!] as const] : []),
      ...(values.has('stopwords') ? [['stopwords', values.get('stopwords')!] as const] : []),
    ]),
    0,
  );
  return { kind: 'index', id, name, table: table.name, columns, unique: false, implicit: false, method: 'bm25', text: { k1: o.bm25K1, b: o.bm25B, stemming: o.stemming, stopwords: o.stopwords } };
}

/** Writes the postings of every existing row of `table` for a new bm25 index, in the statement's transaction. */
export async function buildPostings(sc: StatementContext, table: TableDef, ix: IndexDef): Promise<void> {
  if (!sc.search) throw new QueryExecutionError(`${table.name}: BM25 indexes are unavailable here`);
  const source = textSourcesOf(table, [ix])[0]!;
  const cursor = scanTable(sc.txn, table);
  try {
    for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
      sc.signal?.throwIfAborted();
      for (let i = 0; i < b.keys.length; i++) {
        const text = rowText(decodeRow(b.payloads[i]!), source.columns);
        if (text !== undefined) sc.search.indexText(sc.txn, source, b.keys[i]!, text);
      }
    }
  } finally {
    await cursor.close();
  }
}

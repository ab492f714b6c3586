// CREATE INDEX … USING hnsw (column [opclass]) WITH (…): an ANN index over a table's VECTOR(n) column.

import type { CreateIndexStatement } from '../../compiler/ast.js';
import { identName } from '../../compiler/binder/scope.js';
import { CollectionConfigError, QueryExecutionError } from '../../errors.js';
import type { CollectionMetric, IndexDef, TableDef, VectorOptions } from '../../storage/catalog.js';
import { declaredDimension } from '../vector-value.js';
import { collectionOptions, optionValues } from './collection.js';

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

// CREATE/ALTER/DROP NAMESPACE and CREATE/ALTER/DROP COLLECTION (docs/toonql.md §8.1, §11.1).

import type {
  AlterCollectionStatement,
  AlterNamespaceStatement,
  CreateCollectionStatement,
  CreateNamespaceStatement,
  DropCollectionStatement,
  DropNamespaceStatement,
  Expression,
  IndexOption,
} from '../../compiler/ast.js';
import * as A from '../../compiler/ast.js';
import { identName, namespaceOf, qualifiedName } from '../../compiler/binder/scope.js';
import {
  CollectionConfigError,
  CollectionExistsError,
  CollectionNotFoundError,
  NamespaceExistsError,
  NamespaceNotFoundError,
  ToonDBError,
} from '../../errors.js';
import { prefixEnd } from '../../storage/bytes.js';
import {
  COLLECTION_COLUMNS,
  type CollectionMetric,
  type CollectionOptions,
  type CollectionQuantization,
  type NamespaceDef,
  type TableDef,
} from '../../storage/catalog.js';
import { namespaceKeySpace } from '../../storage/kv-space.js';
import { countResult, type StatementContext, type StatementResult } from './context.js';
import { deleteRange, dropTable, dropView } from './ddl.js';

/** An option value as written: a number, or the text of a string literal or bare word. */
type OptionValue = number | string;

/** `name = value` options by lower-case name (a bare `name` means true). */
export function optionValues(options: readonly IndexOption[]): Map<string, OptionValue> {
  const out = new Map<string, OptionValue>();
  for (const o of options) out.set(identName(o.name).toLowerCase(), o.value === undefined ? 'true' : literalOption(o.value));
  return out;
}

function literalOption(e: Expression): OptionValue {
  switch (e.kind) {
    case 'IntegerLiteral':
      return Number(e.value);
    case 'RealLiteral':
      return e.value;
    case 'StringLiteral':
      return e.value;
    case 'ColumnRef':
      return e.column.name;
    case 'UnaryExpression':
      if (e.op === '-' && (e.operand.kind === 'IntegerLiteral' || e.operand.kind === 'RealLiteral')) return -Number(e.operand.value);
      break;
    default:
      break;
  }
  throw new CollectionConfigError('an option value must be a number, a string or a word');
}

const METRICS: Record<string, CollectionMetric> = {
  cosine: 'cosine',
  l2: 'euclidean',
  euclidean: 'euclidean',
  ip: 'dot',
  dot: 'dot',
  dot_product: 'dot',
  inner_product: 'dot',
};

const QUANTIZATIONS: Record<string, CollectionQuantization> = { none: 'none', scalar: 'scalar', int8: 'scalar', i8: 'scalar', f16: 'f16', pq: 'pq' };

/** The collection options ToonQL accepts (snake_case, as in the seeds' CollectionConfig). */
const COLLECTION_OPTION_NAMES = new Set([
  'dimension', 'metric', 'm', 'ef_construction', 'ef_search', 'quantization', 'pq_num_subvectors', 'pq_num_centroids',
  'enable_hybrid_search', 'content_field', 'bm25_k1', 'bm25_b', 'stemming', 'stopwords', 'system_versioning',
]);

function bool(name: string, v: OptionValue | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  const s = String(v).toLowerCase();
  if (s === 'true' || s === '1' || s === 'on' || s === 'yes') return true;
  if (s === 'false' || s === '0' || s === 'off' || s === 'no') return false;
  throw new CollectionConfigError(`option ${name} must be true or false, not ${v}`);
}

function int(name: string, v: OptionValue | undefined, dflt: number | undefined, min: number, max: number): number {
  if (v === undefined) {
    if (dflt === undefined) throw new CollectionConfigError(`option ${name} is required`);
    return dflt;
  }
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new CollectionConfigError(`option ${name} must be an integer from ${min} to ${max}, not ${v}`);
  return n;
}

function real(name: string, v: OptionValue | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new CollectionConfigError(`option ${name} must be a number from ${min} to ${max}, not ${v}`);
  return n;
}

/** Validates collection options and fills in the defaults of docs/toonql.md §11.1. */
export function collectionOptions(values: ReadonlyMap<string, OptionValue>, textIndexId: number): CollectionOptions {
  for (const k of values.keys()) {
    if (!COLLECTION_OPTION_NAMES.has(k)) throw new CollectionConfigError(`unknown collection option: ${k}`, { details: { option: k } });
  }
  const dimension = int('dimension', values.get('dimension'), undefined, 1, 65536);
  const metricText = String(values.get('metric') ?? 'cosine').toLowerCase();
  const metric = METRICS[metricText];
  if (!metric) throw new CollectionConfigError(`unknown metric: ${metricText} (use cosine, euclidean or dot)`);
  const quantText = String(values.get('quantization') ?? 'none').toLowerCase();
  const quantization = QUANTIZATIONS[quantText];
  if (!quantization) throw new CollectionConfigError(`unknown quantization: ${quantText} (use none, scalar, f16 or pq)`);
  if (bool('system_versioning', values.get('system_versioning'), false)) {
    throw new CollectionConfigError('system_versioning is not available for collections yet');
  }
  const contentField = values.get('content_field');
  const out: CollectionOptions = {
    dimension,
    metric,
    m: int('m', values.get('m'), 16, 2, 256),
    efConstruction: int('ef_construction', values.get('ef_construction'), 100, 1, 10000),
    efSearch: int('ef_search', values.get('ef_search'), 50, 1, 10000),
    quantization,
    enableHybridSearch: bool('enable_hybrid_search', values.get('enable_hybrid_search'), false),
    bm25K1: real('bm25_k1', values.get('bm25_k1'), 1.2, 0, 100),
    bm25B: real('bm25_b', values.get('bm25_b'), 0.75, 0, 1),
    stemming: bool('stemming', values.get('stemming'), false),
    stopwords: bool('stopwords', values.get('stopwords'), false),
    textIndexId,
    ...(contentField !== undefined ? { contentField: String(contentField) } : {}),
  };
  if (quantization === 'pq') {
    const sub = int('pq_num_subvectors', values.get('pq_num_subvectors'), Math.max(1, Math.floor(dimension / 8)), 1, dimension);
    if (dimension % sub !== 0) throw new CollectionConfigError(`pq_num_subvectors (${sub}) must divide the dimension (${dimension})`);
    return { ...out, pqNumSubvectors: sub, pqNumCentroids: int('pq_num_centroids', values.get('pq_num_centroids'), 256, 2, 65536) };
  }
  return out;
}

/** The table definition of a collection (docs/toonql.md §11.2). */
export function collectionTable(id: number, name: string, options: CollectionOptions): TableDef {
  const col = (n: string, declaredType: string, type: TableDef['columns'][number]['type'], affinity: TableDef['columns'][number]['affinity'], extra = {}) => ({
    name: n,
    declaredType,
    type,
    affinity,
    notNull: false,
    ...extra,
  });
  const columns = [
    col('id', 'TEXT', 'text', 'TEXT', { notNull: true }),
    col('embedding', `VECTOR(${options.dimension})`, 'vector', 'BLOB'),
    col('metadata', 'JSON', 'json', 'TEXT', { defaultSql: "'{}'" }),
    col('content', 'TEXT', 'text', 'TEXT'),
  ];
  if (columns.findIndex((c) => c.name === 'metadata') !== COLLECTION_COLUMNS.metadata) throw new Error('collection column layout');
  return {
    kind: 'table',
    id,
    name,
    columns,
    primaryKey: [COLLECTION_COLUMNS.id],
    rowidColumn: -1,
    autoincrement: false,
    uniques: [],
    checks: [],
    foreignKeys: [],
    collection: options,
  };
}

function requireNamespace(sc: StatementContext, ns: string): void {
  if (ns !== 'default' && !sc.catalog.namespace(ns)) throw new NamespaceNotFoundError(ns);
}

/** Runs CREATE COLLECTION. */
export async function createCollection(sc: StatementContext, stmt: CreateCollectionStatement, allocateId: () => number): Promise<StatementResult> {
  const name = qualifiedName(stmt.name, false);
  requireNamespace(sc, namespaceOf(name));
  sc.catalog.touch(sc.txn, 'table', name);
  const existing = sc.catalog.get(name);
  if (existing) {
    if (stmt.ifNotExists && existing.kind === 'table' && existing.collection) return countResult(0);
    throw new CollectionExistsError(name, existing.kind === 'table' && existing.collection ? {} : { remediation: `A ${existing.kind} named ${name} exists; collections share the namespace of tables.` });
  }
  const options = collectionOptions(optionValues(stmt.options), allocateId());
  const table = collectionTable(allocateId(), name, options);
  sc.catalog.put(sc.txn, table);
  sc.txn.noteCreatedTable(table.id);
  sc.committed.stats.set(table.id, { rowCount: 0, distinct: [] });
  return countResult(0);
}

/** The collection of that name, or CollectionNotFoundError. */
export function collectionOf(sc: StatementContext, name: string): TableDef & { collection: CollectionOptions } {
  const obj = sc.catalog.get(name);
  if (obj?.kind !== 'table' || !obj.collection) throw new CollectionNotFoundError(name);
  return obj as TableDef & { collection: CollectionOptions };
}

/** Runs ALTER COLLECTION … SET (ef_search = n): the one option that may change. */
export async function alterCollection(sc: StatementContext, stmt: AlterCollectionStatement): Promise<StatementResult> {
  const name = qualifiedName(stmt.name);
  sc.catalog.touch(sc.txn, 'table', name);
  const table = collectionOf(sc, name);
  const values = optionValues(stmt.options);
  for (const k of values.keys()) {
    if (k !== 'ef_search') throw new CollectionConfigError(`option ${k} is fixed when the collection is created; only ef_search can change`);
  }
  const efSearch = int('ef_search', values.get('ef_search'), table.collection.efSearch, 1, 10000);
  sc.catalog.put(sc.txn, { ...table, collection: { ...table.collection, efSearch } });
  return countResult(0);
}

/** Runs DROP COLLECTION: the table, its postings; the ANN index follows the catalog. */
export async function dropCollection(sc: StatementContext, stmt: DropCollectionStatement): Promise<StatementResult> {
  for (const n of stmt.names) {
    const name = qualifiedName(n);
    sc.catalog.touch(sc.txn, 'table', name);
    const obj = sc.catalog.get(name);
    if (obj?.kind !== 'table' || !obj.collection) {
      if (stmt.ifExists && !obj) continue;
      throw new CollectionNotFoundError(name, obj ? { remediation: `${name} is a ${obj.kind}, not a collection` } : {});
    }
    await dropTable(sc, A.DropTableStatement.create({ ifExists: false, names: [n], behavior: undefined, span: stmt.span }));
  }
  return countResult(0);
}


function labelsOption(v: OptionValue | undefined, current: Readonly<Record<string, string>>): Record<string, string> {
  if (v === undefined) return { ...current };
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(v));
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ToonDBError('VALIDATION', 'labels must be a JSON object of strings, e.g. \'{"tier": "premium"}\'');
  }
  return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([k, x]) => [k, String(x)]));
}

const NAMESPACE_OPTIONS = new Set(['display_name', 'labels']);

function checkNamespaceOptions(values: ReadonlyMap<string, OptionValue>): void {
  for (const k of values.keys()) {
    if (!NAMESPACE_OPTIONS.has(k)) throw new ToonDBError('VALIDATION', `unknown namespace option: ${k} (use display_name or labels)`);
  }
}

function checkNamespaceName(name: string): void {
  if (name.includes('.') || name.length === 0) throw new ToonDBError('VALIDATION', `invalid namespace name: ${JSON.stringify(name)} (no dots)`);
}

/** Runs CREATE NAMESPACE (or CREATE SCHEMA). */
export async function createNamespace(sc: StatementContext, stmt: CreateNamespaceStatement): Promise<StatementResult> {
  const name = identName(stmt.name);
  checkNamespaceName(name);
  sc.catalog.touch(sc.txn, 'namespace', name);
  if (name === 'default' || sc.catalog.namespace(name)) {
    if (stmt.ifNotExists) return countResult(0);
    throw new NamespaceExistsError(name);
  }
  const values = optionValues(stmt.options);
  checkNamespaceOptions(values);
  const display = values.get('display_name');
  const def: NamespaceDef = {
    kind: 'namespace',
    name,
    labels: labelsOption(values.get('labels'), {}),
    createdAt: sc.now.getTime(),
    ...(display !== undefined ? { displayName: String(display) } : {}),
  };
  sc.catalog.put(sc.txn, def);
  return countResult(0);
}

/** Runs ALTER NAMESPACE … SET (display_name = …, labels = …). */
export async function alterNamespace(sc: StatementContext, stmt: AlterNamespaceStatement): Promise<StatementResult> {
  const name = identName(stmt.name);
  sc.catalog.touch(sc.txn, 'namespace', name);
  const ns = sc.catalog.namespace(name);
  if (!ns) throw new NamespaceNotFoundError(name);
  const values = optionValues(stmt.options);
  checkNamespaceOptions(values);
  const display = values.get('display_name');
  sc.catalog.put(sc.txn, {
    ...ns,
    labels: labelsOption(values.get('labels'), ns.labels),
    ...(display !== undefined ? { displayName: String(display) } : {}),
  });
  return countResult(0);
}

/** The first key of a namespace's key-value space (tag NS_KV + tuple(namespace)). */
export function namespaceKvPrefix(name: string): Uint8Array {
  return namespaceKeySpace(name);
}

/** Runs DROP NAMESPACE: RESTRICT (the default) refuses a namespace that holds anything; CASCADE drops it all. */
export async function dropNamespace(sc: StatementContext, stmt: DropNamespaceStatement): Promise<StatementResult> {
  const name = identName(stmt.name);
  if (name === 'default') throw new ToonDBError('VALIDATION', 'the default namespace cannot be dropped');
  sc.catalog.touch(sc.txn, 'namespace', name);
  const ns = sc.catalog.namespace(name);
  if (!ns) {
    if (stmt.ifExists) return countResult(0);
    throw new NamespaceNotFoundError(name);
  }
  const prefix = `${name.toLowerCase()}.`;
  const members = sc.catalog.all().filter((o) => o.kind !== 'namespace' && o.kind !== 'index' && o.name.toLowerCase().startsWith(prefix));
  const kvPrefix = namespaceKvPrefix(name);
  if (stmt.behavior !== 'CASCADE') {
    const cursor = sc.txn.scan({ gte: kvPrefix, lt: prefixEnd(kvPrefix)!, limit: 1 });
    const hasKeys = (await cursor.nextBatch()).keys.length > 0;
    await cursor.close();
    if (members.length > 0 || hasKeys) {
      throw new ToonDBError('NAMESPACE_NOT_EMPTY', `namespace ${name} is not empty${members.length > 0 ? ` (it holds ${members.map((m) => m.name).join(', ')})` : ' (it holds keys)'}`);
    }
  }
  for (const m of members.filter((o) => o.kind === 'view')) {
    await dropView(sc, A.DropViewStatement.create({ ifExists: true, names: [objectNameOf(m.name)], behavior: undefined, span: stmt.span }));
  }
  for (const m of members.filter((o) => o.kind === 'table')) {
    await dropTable(sc, A.DropTableStatement.create({ ifExists: true, names: [objectNameOf(m.name)], behavior: 'CASCADE', span: stmt.span }));
  }
  await deleteRange(sc, kvPrefix);
  sc.catalog.drop(sc.txn, ns);
  return countResult(0);
}

/** An ObjectName for a catalog name `ns.t` (quoted, so the spelling is kept). */
function objectNameOf(catalogName: string): A.ObjectName {
  const dot = catalogName.indexOf('.');
  const span = { start: 0, end: 0 };
  const id = (s: string) => A.Identifier.create({ name: s, quoted: true, span });
  return dot < 0
    ? A.ObjectName.create({ schema: undefined, name: id(catalogName), span })
    : A.ObjectName.create({ schema: id(catalogName.slice(0, dot)), name: id(catalogName.slice(dot + 1)), span });
}

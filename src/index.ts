// The public API of the toondb package.

export { Database, type DatabaseConfig, type DatabaseStats, type TransactionOptions } from './api/database.js';
export { Transaction, Snapshot, IsolationLevel } from './api/transaction.js';
export type { KvPair, PutOptions, ScanOptions } from './api/kv.js';
export { SQLQueryResult } from './api/sql-result.js';
export { toToon, fromToon, toToonTable, fromToonTable, formatResult, ToonSyntaxError, type ToonValue, type ToonTable, type ToonEncodeOptions, type ToonDecodeOptions, type OutputFormat, type FormatOptions } from './format/index.js';
export { PreparedStatement } from './api/prepared.js';
export { Namespace } from './api/namespace.js';
export type { NamespaceInfo, NamespaceOptions } from './api/namespaces.js';
export {
  Collection,
  DistanceMetric,
  QuantizationType,
  type CollectionConfig,
  type CollectionDocument,
  type SearchRequest,
  type SearchResult,
  type SearchResults,
  type QueryResults,
  type Metadata,
  type VectorLike,
} from './api/collection.js';
export type { MetadataFilter, FieldOperators, FilterValue } from './api/filter.js';
export { QueryBuilder, CompareOp, type CompareOperator } from './api/query-builder.js';
export type { SqlParams } from './api/sql-session.js';
export type { TableDef, IndexDef, IndexItem, ViewDef, ColumnDef, IndexPolicy, NamespaceDef, CollectionOptions, CollectionMetric, CollectionQuantization } from './storage/catalog.js';
export type { SyncMode } from './storage/mvcc/store.js';
export type { IsolationLevelName } from './api/transaction.js';
export {
  ToonDBError,
  ValidationError,
  DatabaseError,
  CorruptionError,
  TransactionError,
  TransactionConflictError,
  QueryError,
  QuerySyntaxError,
  QueryBindError,
  QueryExecutionError,
  QueryCancelledError,
  ConstraintError,
  NamespaceNotFoundError,
  NamespaceExistsError,
  CollectionNotFoundError,
  CollectionExistsError,
  CollectionConfigError,
  DimensionMismatchError,
  InvalidVectorError,
  InvalidMetadataError,
  VectorConfigError,
  ERROR_CODES,
  type ErrorCode,
  type ErrorPhase,
} from './errors.js';
export { encodeKey, decodeKey, compareTuples, type KeyPart, type KeyTuple } from './storage/key-codec.js';
export { importFile, importScript, dumpDatabase, type ImportOptions, type ImportSummary, type ImportProgress, type DumpOptions, type DumpSummary } from './migrate/index.js';

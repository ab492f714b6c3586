// The run-time context of one statement: transaction, parameters, outer rows, and subquery plumbing.

import type { CatalogView, TextColumns, VectorColumn } from '../storage/catalog.js';
import type { StorageTransaction } from '../storage/mvcc/transaction.js';
import type { RowidAllocator } from '../storage/table-store.js';
import type { TableCache } from '../storage/table-cache.js';
import type { LogicalPlan } from '../planner/logical.js';
import type { PhysicalPlan } from '../planner/physical.js';
import type { SqlValue } from './value.js';

/** A row flowing between operators. */
export type Row = SqlValue[];

/** What the executor needs from the engine around it. */
/**
 * The derived search indexes of collections (the ANN graph of each collection, the BM25 postings
 * reader), supplied by the database. Statements reach them only through this seam.
 */
export interface SearchProvider {
  /**
   * Nearest rows by the ANN index of a vector column (a collection's embedding, or a column under
   * an hnsw index), nearest first. The index holds committed
   * vectors, possibly newer than the caller's snapshot: callers re-check each row. Row keys are
   * binary strings (keyString); `accept` filters candidates by row key, and whenever at least k
   * candidates pass, k come back.
   */
  annSearch(source: VectorColumn, query: Float32Array, k: number, options: { efSearch?: number; accept?: (rowKey: string) => boolean }): Promise<{ key: string; distance: number }[]>;
  /** Unfiltered annSearch of several queries at once, spread over every core: one list per query. */
  annSearchBatch(source: VectorColumn, queries: readonly Float32Array[], k: number, options: { efSearch?: number }): Promise<{ key: string; distance: number }[][]>;
  /**
   * True when the ANN index holds exactly the documents a snapshot at `snapshotTs` sees: no
   * commit has written the collection since, and every earlier one is applied. Asked after a
   * search, a true answer covers that search too.
   */
  annAgrees(source: VectorColumn, snapshotTs: number): boolean;
  /** Exact nearest among the given documents (by row key), ranked natively by the ANN index's vectors. */
  exactSearch(source: VectorColumn, query: Float32Array, k: number, keys: readonly Uint8Array[]): Promise<{ key: Uint8Array; distance: number }[]>;
  /** BM25 top-k as `txn` sees the postings; `accept` filters by row key before the cut. */
  textSearch(txn: StorageTransaction, source: TextColumns, query: string, k: number, options: { accept?: (rowKey: Uint8Array) => boolean }): Promise<{ key: Uint8Array; score: number }[]>;
  /** The terms of a text as the collection's analyzer produces them. */
  terms(source: TextColumns, text: string): string[];
  /** Writes a document's postings in `txn` (a collection with hybrid search). */
  indexText(txn: StorageTransaction, source: TextColumns, rowKey: Uint8Array, text: string): void;
  /** Removes a document's postings in `txn`; `text` is the document's current text. */
  unindexText(txn: StorageTransaction, source: TextColumns, rowKey: Uint8Array, text: string): void;
}

export interface ExecContext {
  /** Session settings made with SET (hnsw.ef_search). */
  readonly settings?: ReadonlyMap<string, SqlValue>;
  /** Collection search indexes (absent in contexts without collections). */
  readonly search?: SearchProvider;
  readonly txn: StorageTransaction;
  readonly catalog: CatalogView;
  readonly rowids: RowidAllocator;
  /** Decoded rows of recently scanned tables (absent: no caching). */
  readonly tableCache?: TableCache;
  /** Parameter values by slot. */
  readonly params: readonly SqlValue[];
  /** Plans a subquery's logical plan (memoized by the caller). */
  planSubquery(plan: LogicalPlan): PhysicalPlan;
  /** Checked between batches; throws when the statement was cancelled. */
  checkCancelled(): void;
  /** The statement's cancellation signal; when present the executor lets the event loop run now and then so it can fire. */
  readonly signal?: AbortSignal;
  /** Statement start time (CURRENT_TIMESTAMP is stable within a statement). */
  readonly now: Date;
  /** Rows of recursive CTE work tables by id (the previous iteration's rows). */
  readonly workTables: Map<number, Row[]>;
  /** Per-operator actual row counts and times, for EXPLAIN ANALYZE (absent otherwise). */
  readonly profile?: Map<PhysicalPlan, { rows: number; ms: number }>;
}

/**
 * The environment of an expression evaluation: the statement context, the rows of the enclosing
 * queries (for correlated subqueries, nearest last), and the values of subqueries precomputed
 * for the current batch.
 */
export interface Env {
  readonly ctx: ExecContext;
  readonly outer: readonly Row[];
  /** Subquery results for the rows of the current batch: sub[k][rowIndex]. */
  sub: SqlValue[][];
  rowIndex: number;
}

/** Makes a fresh environment. */
export function makeEnv(ctx: ExecContext, outer: readonly Row[] = []): Env {
  return { ctx, outer, sub: [], rowIndex: 0 };
}

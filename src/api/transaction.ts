// Transaction and Snapshot: the key-value surface bound to one storage transaction.

import type { KeyRange } from '../storage/engine.js';
import type { ScanCursor } from '../storage/mvcc/merge-scan.js';
import type { IsolationLevel as IsolationLevelName, WriteSink } from '../storage/mvcc/store.js';
import type { StorageTransaction } from '../storage/mvcc/transaction.js';
import type { StoredValue } from '../storage/value-format.js';
import { KvReadWriter, KvReader, type KvLimits } from './kv.js';
import { SqlSession, type SqlEngine, type SqlParams } from './sql-session.js';
import type { SQLQueryResult } from './sql-result.js';
import { QueryBuilder } from './query-builder.js';

/** Isolation level names, as in the seeds' IsolationLevel enum. */
export const IsolationLevel = {
  SERIALIZABLE: 'serializable',
  SNAPSHOT: 'snapshot',
  READ_COMMITTED: 'read_committed',
} as const satisfies Record<string, IsolationLevelName>;

export type { IsolationLevelName };

/** A storage transaction's reads, checked against a closed database and a finished transaction. */
function readThrough(db: OpenCheck, txn: StorageTransaction): { get(key: Uint8Array): StoredValue | undefined; scan(range: KeyRange): ScanCursor } {
  db.checkOpen();
  txn.checkActive();
  return txn;
}

/** Something that reports whether the database is still open (a closed database fails every call). */
export interface OpenCheck {
  checkOpen(): void;
}

/**
 * An ACID transaction. Reads see a consistent snapshot plus this transaction's own writes; writes
 * are buffered and applied atomically by commit(). A losing transaction's commit throws
 * TransactionConflictError and changes nothing.
 */
export class Transaction extends KvReadWriter {
  private session: SqlSession | undefined;

  constructor(
    private readonly txn: StorageTransaction,
    protected readonly limits: KvLimits,
    private readonly db: SqlEngine,
  ) {
    super();
  }

  /** A fluent query over JSON values under a key prefix, inside this transaction. */
  query(prefix: string): QueryBuilder {
    return new QueryBuilder(prefix, (sql, params) => this.executeSql(sql, params));
  }

  /** Runs SQL inside this transaction (its reads and writes commit or abort with it). */
  async executeSql(sql: string, params?: SqlParams): Promise<SQLQueryResult> {
    this.db.checkOpen();
    this.txn.checkActive();
    this.session ??= new SqlSession(this.db, this.txn);
    return this.session.execute(sql, params);
  }

  /** A process-unique id. */
  get id(): number {
    return this.txn.id;
  }

  /** The hybrid-logical-clock timestamp this transaction reads at. */
  get startTs(): number {
    return this.txn.startTs;
  }

  /** The isolation level. */
  get isolation(): IsolationLevelName {
    return this.txn.isolation;
  }

  /** active, committed or aborted. */
  get state(): 'active' | 'committed' | 'aborted' {
    return this.txn.state;
  }

  /** The storage transaction underneath (for the SQL executor running inside this transaction). */
  get storage(): StorageTransaction {
    return this.txn;
  }

  protected kvGet(engineKey: Uint8Array): StoredValue | undefined {
    return readThrough(this.db, this.txn).get(engineKey);
  }

  protected kvScan(range: KeyRange): ScanCursor {
    return readThrough(this.db, this.txn).scan(range);
  }

  protected async kvWrite(change: (sink: WriteSink) => void): Promise<void> {
    this.db.checkOpen();
    this.txn.checkActive();
    change(this.txn);
  }

  /** Commits; returns the commit timestamp. Throws TransactionConflictError if a concurrent commit won. */
  async commit(): Promise<number> {
    this.db.checkOpen();
    const ts = await this.txn.commit();
    const changes = this.session?.pendingCatalog?.changes;
    if (changes) this.db.catalog.publish(changes);
    return ts;
  }

  /** Discards every write of this transaction. Safe to call more than once. */
  async abort(): Promise<void> {
    this.txn.abort();
  }

  /** Alias of abort(). */
  async rollback(): Promise<void> {
    this.txn.abort();
  }

  /** `await using txn = db.beginTransaction()` aborts it at the end of the block unless committed. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.txn.abort();
  }
}

/** A read-only, consistent point-in-time view of the database. Close it (or `await using`) when done. */
export class Snapshot extends KvReader {
  constructor(
    private readonly txn: StorageTransaction,
    protected readonly limits: KvLimits,
    private readonly db: OpenCheck,
  ) {
    super();
  }

  /** The timestamp the snapshot reads at. */
  get timestamp(): number {
    return this.txn.startTs;
  }

  protected kvGet(engineKey: Uint8Array): StoredValue | undefined {
    return readThrough(this.db, this.txn).get(engineKey);
  }

  protected kvScan(range: KeyRange): ScanCursor {
    return readThrough(this.db, this.txn).scan(range);
  }

  /** Releases the snapshot, letting old versions be reclaimed. */
  async close(): Promise<void> {
    this.txn.abort();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

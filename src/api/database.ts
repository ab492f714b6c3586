// Database: the embedded entry point — open, key-value autocommit operations, transactions, snapshots.

import { DatabaseError, NamespaceExistsError, NamespaceNotFoundError, TransactionConflictError, ValidationError } from '../errors.js';
import type { KVEngine, KeyRange } from '../storage/engine.js';
import { FORMAT_VERSION, KeyTag, MetaKey } from '../storage/keyspace.js';
import { LevelEngine } from '../storage/level-engine.js';
import { MemoryEngine } from '../storage/memory-engine.js';
import type { ScanCursor } from '../storage/mvcc/merge-scan.js';
import { BlindBatch, CLOCK_MARK_MARGIN, MvccStore, decodeTs, type IsolationLevel, type SyncMode, type WriteSink } from '../storage/mvcc/store.js';
import { StorageTransaction } from '../storage/mvcc/transaction.js';
import { decodeValue, isExpired, type StoredValue } from '../storage/value-format.js';
import { DEFAULT_LIMITS, KvReadWriter, parseTtlKey, type KvLimits } from './kv.js';
import { Snapshot, Transaction } from './transaction.js';
import { Catalog, CatalogView, INDEX_POLICIES, type CatalogObject, type IndexDef, type IndexPolicy, type TableDef } from '../storage/catalog.js';
import { RowidAllocator } from '../storage/table-store.js';
import { TableCache } from '../storage/table-cache.js';
import { SqlSession, type SqlEngine, type SqlParams } from './sql-session.js';
import type { SQLQueryResult } from './sql-result.js';
import { PreparedStatement } from './prepared.js';
import { QueryBuilder } from './query-builder.js';
import { CollectionIndexes } from './search-indexes.js';
import { runGathered } from './ann-gather.js';
import { Namespace, type NamespaceHost } from './namespace.js';
import type { Collection } from './collection.js';
import { quoteIdent } from './sql-text.js';
import { checkNamespaceName, describeNamespace, namespaceExists, namespaceOptionsSql, tablesOf, type NamespaceInfo, type NamespaceOptions } from './namespaces.js';
import { join } from 'node:path';


/** Configuration of Database.open (seed 003 section 32, in camelCase). */
export interface DatabaseConfig {
  /** full: fsync every commit; normal (default): fsync at checkpoints and about once a second; off: only on checkpoint(). */
  readonly syncMode?: SyncMode;
  /** 'leveldb' (default on disk) or 'memory' (nothing persists; also chosen by the path ':memory:'). */
  readonly engine?: 'leveldb' | 'memory';
  /** LevelDB block cache size in bytes. */
  readonly blockCacheSizeBytes?: number;
  /** LevelDB memtable size in bytes. */
  readonly memtableSizeBytes?: number;
  /** Largest key accepted, in bytes (default 16 KiB). */
  readonly maxKeyBytes?: number;
  /** Largest value accepted, in bytes (default 64 MiB). */
  readonly maxValueBytes?: number;
  /** Milliseconds between background purges of expired keys (default 30 000; 0 disables). */
  readonly ttlPurgeIntervalMs?: number;
  /** Rows of recently scanned tables kept decoded in memory for later scans (default 2,000,000; 0 disables). */
  readonly tableCacheRows?: number;
  /** Default isolation of transactions (default 'serializable'). */
  readonly defaultIsolation?: IsolationLevel;
}

/** Options of transaction(), withTransaction() and beginTransaction(). */
export interface TransactionOptions {
  readonly isolation?: IsolationLevel;
  /** withTransaction only: how many times to retry after a conflict (default 5). */
  readonly maxRetries?: number;
}

/** Figures reported by stats(). */
export interface DatabaseStats {
  /** Live (unexpired) user keys. */
  readonly keyCount: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly activeTransactions: number;
  readonly committedTransactions: number;
  readonly abortedTransactions: number;
  /** Conflicts as a fraction of finished read-write transactions. */
  readonly conflictRate: number;
  /** Keys whose older versions are held in memory for open readers. */
  readonly versionedKeys: number;
}

const SYNC_INTERVAL_MS = 1000;
const ISOLATIONS: readonly IsolationLevel[] = ['serializable', 'snapshot', 'read_committed'];

/** An open ToonDB database. Create with `await Database.open(path)`; close with `close()` or `await using`. */
export class Database extends KvReadWriter implements SqlEngine {
  protected readonly limits: KvLimits;
  /** The catalog of tables, indexes and views. */
  readonly catalog: Catalog;
  /** Rowid counters of tables. */
  readonly rowids: RowidAllocator;
  /** Decoded rows of recently scanned tables. */
  readonly tableCache: TableCache;
  private readonly session: SqlSession;
  /** The search indexes of collections (ANN graphs, BM25 readers). */
  readonly search: CollectionIndexes;
  private closed = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly defaultIsolation: IsolationLevel;

  private constructor(
    /** The folder the database lives in (':memory:' for an in-memory one). */
    readonly path: string,
    private readonly engine: KVEngine,
    /** The MVCC store (for the query engine and tests). */
    readonly store: MvccStore,
    private readonly config: DatabaseConfig,
    catalog: Catalog,
  ) {
    super();
    this.catalog = catalog;
    this.rowids = new RowidAllocator(store);
    this.tableCache = new TableCache(store, config.tableCacheRows);
    this.search = new CollectionIndexes(store, catalog, path === ':memory:' || config.engine === 'memory' ? undefined : join(path, 'vectors'));
    this.session = new SqlSession(this);
    this.limits = {
      maxKeyBytes: config.maxKeyBytes ?? DEFAULT_LIMITS.maxKeyBytes,
      maxValueBytes: config.maxValueBytes ?? DEFAULT_LIMITS.maxValueBytes,
    };
    this.defaultIsolation = config.defaultIsolation ?? 'serializable';
  }

  /** Opens (creating if needed) the database at `path`. A second process opening the same path gets DATABASE_LOCKED. */
  static async open(path: string, config: DatabaseConfig = {}): Promise<Database> {
    if (typeof path !== 'string' || path === '') throw new ValidationError('path must be a non-empty string');
    const syncMode = config.syncMode ?? 'normal';
    if (!['full', 'normal', 'off'].includes(syncMode)) {
      throw new ValidationError(`syncMode must be 'full', 'normal' or 'off', got ${String(syncMode)}`);
    }
    if (config.defaultIsolation !== undefined && !ISOLATIONS.includes(config.defaultIsolation)) {
      throw new ValidationError(`unknown isolation level ${String(config.defaultIsolation)}`);
    }
    const memory = path === ':memory:' || config.engine === 'memory';
    const engine: KVEngine = memory
      ? new MemoryEngine()
      : new LevelEngine(path, { cacheSize: config.blockCacheSizeBytes, writeBufferSize: config.memtableSizeBytes });
    await engine.open();
    const version = engine.get(MetaKey.FORMAT_VERSION);
    if (version === undefined) {
      await engine.write([{ type: 'put', key: MetaKey.FORMAT_VERSION, value: Uint8Array.of(FORMAT_VERSION) }], { sync: true });
    } else if (version[0]! > FORMAT_VERSION) {
      await engine.close();
      throw new DatabaseError(`${path} was written by a newer ToonDB (format ${version[0]}); this build reads format ${FORMAT_VERSION}`);
    }
    const clock = engine.get(MetaKey.CLOCK);
    const store = new MvccStore(engine, { syncMode, clockFloor: clock ? decodeTs(clock) + CLOCK_MARK_MARGIN : 0 });
    const db = new Database(path, engine, store, { ...config, syncMode }, await Catalog.load(store));
    db.startBackgroundWork();
    return db;
  }

  private startBackgroundWork(): void {
    if (this.config.syncMode === 'normal') {
      const t = setInterval(() => {
        if (this.store.hasUnsyncedWrites) this.store.sync().catch(() => {});
      }, SYNC_INTERVAL_MS);
      t.unref();
      this.timers.push(t);
    }
    const purgeEvery = this.config.ttlPurgeIntervalMs ?? 30_000;
    if (purgeEvery > 0) {
      const t = setInterval(() => {
        this.purgeExpired().catch(() => {});
      }, purgeEvery);
      t.unref();
      this.timers.push(t);
    }
  }

  /** Throws DATABASE_CLOSED once the database is closed. */
  checkOpen(): void {
    if (this.closed) throw new DatabaseError('the database is closed', undefined, 'DATABASE_CLOSED');
  }

  // Autocommit reads take the newest committed state; a scan registers as a reader while it runs.
  protected kvGet(engineKey: Uint8Array): StoredValue | undefined {
    this.checkOpen();
    const raw = this.store.readAt(engineKey, this.store.currentTs);
    if (raw === undefined) return undefined;
    const v = decodeValue(raw);
    return isExpired(v.expiresAt, Date.now()) ? undefined : v;
  }

  protected kvScan(range: KeyRange): ScanCursor {
    this.checkOpen();
    const txn = new StorageTransaction(this.store, 'snapshot', true);
    const cursor = txn.scan(range);
    return {
      nextBatch: () => cursor.nextBatch(),
      close: async () => {
        await cursor.close();
        txn.abort();
      },
    };
  }

  protected async kvWrite(change: (sink: WriteSink) => void): Promise<void> {
    this.checkOpen();
    // An autocommit write reads nothing, so it cannot conflict and needs no transaction state.
    const batch = new BlindBatch();
    change(batch);
    await this.store.commitBlind(batch);
  }

  /** Starts a transaction; finish it with commit() or abort(). */
  beginTransaction(options: TransactionOptions = {}): Transaction {
    this.checkOpen();
    const isolation = this.isolationOf(options);
    return new Transaction(new StorageTransaction(this.store, isolation), this.limits, this);
  }

  /**
   * Runs `fn` in a transaction: commits when it returns, rolls back when it throws.
   * Returns what `fn` returned. A conflict at commit throws TransactionConflictError.
   */
  async transaction<T>(fn: (txn: Transaction) => Promise<T> | T, options: TransactionOptions = {}): Promise<T> {
    const txn = this.beginTransaction(options);
    let result: T;
    try {
      result = await fn(txn);
    } catch (err) {
      await txn.abort();
      throw err;
    }
    if (txn.state === 'active') await txn.commit();
    return result;
  }

  /** Like transaction(), retrying `fn` from the start after a conflict, up to `maxRetries` times. */
  async withTransaction<T>(fn: (txn: Transaction) => Promise<T> | T, options: TransactionOptions = {}): Promise<T> {
    const retries = options.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.transaction(fn, options);
      } catch (err) {
        if (!(err instanceof TransactionConflictError) || attempt >= retries) throw err;
        // Back off a little, with jitter, so that colliding transactions spread out.
        await new Promise((r) => setTimeout(r, Math.random() * 2 ** Math.min(attempt, 6)));
      }
    }
  }

  /** A read-only consistent view as of now. Close it, or use `await using snap = db.snapshot()`. */
  snapshot(): Snapshot {
    this.checkOpen();
    return new Snapshot(new StorageTransaction(this.store, 'snapshot', true), this.limits, this);
  }

  private isolationOf(options: TransactionOptions): IsolationLevel {
    const iso = options.isolation ?? this.defaultIsolation;
    if (!ISOLATIONS.includes(iso)) {
      throw new ValidationError(`unknown isolation level ${String(iso)}; use serializable, snapshot or read_committed`);
    }
    return iso;
  }

  /**
   * Runs SQL (one statement, or several separated by `;`, returning the last one's result).
   * Outside BEGIN … COMMIT each statement is its own serializable transaction.
   */
  async executeSql(sql: string, params?: SqlParams, options: { signal?: AbortSignal } = {}): Promise<SQLQueryResult> {
    this.checkOpen();
    return this.session.execute(sql, params, options.signal);
  }

  /**
   * Runs a script of many statements (a migration or a dump). Lines that are psql meta-commands
   * (`\c db`, `\connect`) are skipped and reported as notices.
   */
  async exec(script: string, options: { signal?: AbortSignal; onNotice?: (notice: string) => void } = {}): Promise<{ statements: number; notices: string[] }> {
    this.checkOpen();
    if (typeof script !== 'string') throw new ValidationError('exec expects the script as a string');
    const notices: string[] = [];
    const note = (n: string) => {
      notices.push(n);
      options.onNotice?.(n);
    };
    // Dumps made for a server carry psql meta-commands and database-level statements; ToonDB
    // keeps one database per folder, so those are skipped (blanked out, keeping line numbers).
    const text = script
      .replace(/^\uFEFF/, '')
      .replace(/^[ \t]*\\[^\n]*$/gm, (line) => {
        note(`skipped psql meta-command: ${line.trim()}`);
        return ' '.repeat(line.length);
      })
      .replace(/^[ \t]*(CREATE|DROP)[ \t]+DATABASE\b[^;\n]*;/gim, (stmt) => {
        note(`skipped ${stmt.trim().replace(/\s+/g, ' ')}: a ToonDB database is its folder`);
        return stmt.replace(/[^\n]/g, ' ');
      });
    const count = SqlSession.parse(text).length;
    await this.session.execute(text, [], options.signal);
    return { statements: count, notices };
  }

  /**
   * Runs `n` search statements at once, their ANN searches gathered into batches that use every
   * core (runGathered). Inside BEGIN … COMMIT they run one after another, as the session's
   * statements must.
   */
  private async searchTogether<T>(n: number, run: (i: number, exec: (sql: string, params?: SqlParams) => Promise<SQLQueryResult>) => Promise<T>): Promise<T[]> {
    this.checkOpen();
    if (n <= 1 || this.session.inTransaction) {
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(await run(i, (sql, params) => this.executeSql(sql, params)));
      return out;
    }
    return runGathered(this.search, n, (provider) => (sql, params) => this.session.execute(sql, params, undefined, provider), run);
  }

  /** A fluent query over JSON values under a key prefix (seed section 6), run as one ToonQL statement. */
  query(prefix: string): QueryBuilder {
    this.checkOpen();
    return new QueryBuilder(prefix, (sql, params) => this.executeSql(sql, params));
  }

  /** Prepares a statement for repeated execution with different parameters. */
  prepare(sql: string): PreparedStatement {
    this.checkOpen();
    SqlSession.parse(sql);
    return new PreparedStatement(sql, (p, signal) => this.executeSql(sql, p, { signal }));
  }

  // ---------------------------------------------------------------- namespaces (seed 003 §10)

  private hostValue: NamespaceHost | undefined;

  /** The host interface namespaces and collections run through (statements, catalog lookups). */
  private get host(): NamespaceHost {
    return (this.hostValue ??= {
      limits: this.limits,
      kvGet: (k) => this.kvGet(k),
      kvScan: (r) => this.kvScan(r),
      kvWrite: (c) => this.kvWrite(c),
      namespaceExists: (name) => this.namespaceExists(name),
      executeSql: (sql, params) => this.executeSql(sql, params),
      searchTogether: (n, run) => this.searchTogether(n, run),
      transaction: (fn) => this.transaction((txn) => fn(txn)),
      tableDef: (name) => {
        const o = this.catalog.get(name);
        return o?.kind === 'table' ? o : undefined;
      },
      collectionNames: (ns) => tablesOf(this.catalog, ns).filter((t) => t.table.collection).map((t) => t.localName).sort(),
      vectorIndexBytes: (t) => this.search.indexBytes(t),
    });
  }

  /** Creates a namespace (CREATE NAMESPACE); NamespaceExistsError if it exists. */
  async createNamespace(name: string, options: NamespaceOptions = {}): Promise<Namespace> {
    this.checkOpen();
    checkNamespaceName(name);
    const opts = namespaceOptionsSql(options);
    await this.executeSql(`CREATE NAMESPACE ${quoteIdent(name)}${opts.length > 0 ? ` WITH (${opts.join(', ')})` : ''}`);
    return new Namespace(this.host, name);
  }

  /** An existing namespace ('default' always exists), or NamespaceNotFoundError. */
  namespace(name: string): Namespace {
    this.checkOpen();
    checkNamespaceName(name);
    if (!this.namespaceExists(name)) throw new NamespaceNotFoundError(name);
    return new Namespace(this.host, name);
  }

  /** The namespace, created if absent. */
  async getOrCreateNamespace(name: string, options: NamespaceOptions = {}): Promise<Namespace> {
    this.checkOpen();
    checkNamespaceName(name);
    if (!this.namespaceExists(name)) {
      try {
        return await this.createNamespace(name, options);
      } catch (err) {
        if (!(err instanceof NamespaceExistsError)) throw err;
      }
    }
    return new Namespace(this.host, name);
  }

  /** Whether a namespace exists. */
  namespaceExists(name: string): boolean {
    this.checkOpen();
    return namespaceExists(this.catalog, name);
  }

  /** Every namespace, 'default' first, then by name. */
  listNamespaces(): string[] {
    this.checkOpen();
    const names = this.catalog.all().flatMap((o) => (o.kind === 'namespace' ? [o.name] : []));
    return ['default', ...names.sort()];
  }

  /** A namespace's description: labels, creation time, and what it holds. */
  async namespaceInfo(name: string): Promise<NamespaceInfo> {
    this.checkOpen();
    return describeNamespace(this.store, this.catalog, this.host, name);
  }

  /** Changes a namespace's display name or labels (ALTER NAMESPACE). */
  async updateNamespace(name: string, changes: NamespaceOptions): Promise<void> {
    this.checkOpen();
    const opts = namespaceOptionsSql(changes);
    if (opts.length === 0) return;
    await this.executeSql(`ALTER NAMESPACE ${quoteIdent(name)} SET (${opts.join(', ')})`);
  }

  /** Deletes a namespace; it must be empty unless `force` (DROP NAMESPACE … CASCADE) deletes everything in it. */
  async deleteNamespace(name: string, options: { force?: boolean } = {}): Promise<void> {
    this.checkOpen();
    await this.executeSql(`DROP NAMESPACE ${quoteIdent(name)}${options.force ? ' CASCADE' : ''}`);
  }

  /** Runs `fn` with the namespace (seed 003's `with db.use_namespace(…) as ns`). */
  async useNamespace<T>(name: string, fn: (ns: Namespace) => Promise<T> | T): Promise<T> {
    return fn(this.namespace(name));
  }

  /** Copies the keys under `prefix` from one namespace's key-value space to another's, atomically. */
  async copyBetweenNamespaces(options: { sourceNs: string; targetNs: string; prefix?: string }): Promise<number> {
    this.checkOpen();
    const source = this.namespace(options.sourceNs);
    const target = this.namespace(options.targetNs);
    const pairs: [Uint8Array, Uint8Array][] = [];
    for await (const pair of source.scan(options.prefix ?? '')) pairs.push(pair);
    if (pairs.length > 0) await target.putBatch(pairs);
    return pairs.length;
  }

  /** A collection of the default namespace (the same as namespace('default').collection(name)). */
  collection(name: string): Collection {
    return this.namespace('default').collection(name);
  }

  /** Index policy constants, as in the seeds (Database.INDEX_BALANCED, …). */
  static readonly INDEX_WRITE_OPTIMIZED = 0;
  static readonly INDEX_BALANCED = 1;
  static readonly INDEX_SCAN_OPTIMIZED = 2;
  static readonly INDEX_APPEND_ONLY = 3;

  /** Sets a table's index policy (a constant 0–3 or its name); stored in the catalog. */
  async setTableIndexPolicy(table: string, policy: number | IndexPolicy): Promise<void> {
    this.checkOpen();
    const name = typeof policy === 'number' ? INDEX_POLICIES[policy] : policy;
    if (!name || !INDEX_POLICIES.includes(name)) throw new ValidationError(`unknown index policy ${String(policy)}; use ${INDEX_POLICIES.join(', ')} or 0-3`);
    const txn = new StorageTransaction(this.store, 'serializable');
    const view = new CatalogView(this.catalog);
    try {
      const def = view.table(table);
      view.touch(txn, 'table', def.name);
      view.put(txn, { ...def, indexPolicy: name });
      await txn.commit();
    } catch (err) {
      txn.abort();
      throw err;
    }
    this.catalog.publish(view.changes);
  }

  /** A table's index policy name. */
  getTableIndexPolicy(table: string): IndexPolicy {
    return this.getTableSchema(table).indexPolicy ?? 'balanced';
  }

  /** Names of the tables, sorted. */
  listTables(): string[] {
    this.checkOpen();
    return this.catalog.all().filter((o): o is TableDef => o.kind === 'table').map((t) => t.name).sort();
  }

  /** A table's definition (columns, keys, constraints), or throws NOT_FOUND. */
  getTableSchema(name: string): TableDef {
    this.checkOpen();
    const t = this.catalog.get(name);
    if (t?.kind !== 'table') throw new DatabaseError(`no such table: ${name}`, undefined, 'NOT_FOUND');
    return t;
  }

  /** The indexes of a table. */
  listIndexes(table: string): IndexDef[] {
    this.checkOpen();
    this.getTableSchema(table);
    return this.catalog.all().filter((o): o is IndexDef => o.kind === 'index' && o.table.toLowerCase() === table.toLowerCase());
  }

  /** Every catalog object (tables, indexes, views). */
  listObjects(): CatalogObject[] {
    this.checkOpen();
    return this.catalog.all();
  }

  /** Deletes keys whose TTL has passed (they are already invisible); returns how many were purged. */
  async purgeExpired(): Promise<number> {
    if (this.closed) return 0;
    const now = Date.now();
    const upper = new Uint8Array(9);
    upper[0] = KeyTag.TTL;
    new DataView(upper.buffer).setFloat64(1, now);
    let purged = 0;
    for (;;) {
      const txn = new StorageTransaction(this.store, 'serializable');
      let seen = 0;
      try {
        const cursor = txn.scan({ gte: Uint8Array.of(KeyTag.TTL), lte: upper, limit: 1000 });
        const entries: Uint8Array[] = [];
        for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) entries.push(...b.keys);
        await cursor.close();
        for (const ttlEntry of entries) {
          seen++;
          const { expiresAt, engineKey } = parseTtlKey(ttlEntry);
          const raw = this.store.readAt(engineKey, txn.startTs);
          const current = raw === undefined ? undefined : decodeValue(raw);
          txn.get(engineKey); // record the read: a concurrent rewrite of the key makes this purge retry
          if (current !== undefined && current.expiresAt === expiresAt && isExpired(expiresAt, now)) {
            txn.delete(engineKey);
            purged++;
          }
          txn.delete(ttlEntry);
        }
        await txn.commit();
      } catch (err) {
        txn.abort();
        if (err instanceof TransactionConflictError) return purged;
        throw err;
      }
      if (seen < 1000) return purged;
    }
  }

  /** Counters and sizes. keyCount counts live keys (a scan of the key-value space). */
  async stats(): Promise<DatabaseStats> {
    this.checkOpen();
    let keyCount = 0;
    for await (const _ of this.scanPrefixUnchecked(new Uint8Array(0))) keyCount++;
    const c = this.store.counters;
    const finished = c.committed + c.aborted;
    return {
      keyCount,
      bytesRead: c.bytesRead,
      bytesWritten: c.bytesWritten,
      activeTransactions: this.store.activeReaders,
      committedTransactions: c.committed,
      abortedTransactions: c.aborted,
      conflictRate: finished === 0 ? 0 : c.conflicts / finished,
      versionedKeys: this.store.historySize,
    };
  }

  /** Makes everything committed so far durable (fsync) before it resolves. */
  async checkpoint(): Promise<void> {
    this.checkOpen();
    await this.store.quiesce();
    await this.store.sync();
    await this.search.save();
  }

  /** Compacts storage: reclaims space of deleted, overwritten and expired keys (purged first). */
  async compact(): Promise<void> {
    this.checkOpen();
    await this.purgeExpired();
    await this.store.quiesce();
    await this.engine.compact();
  }

  /** Finishes pending commits, syncs, and closes. Further calls fail with DATABASE_CLOSED. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.session.abandon();
    for (const t of this.timers) clearInterval(t);
    await this.store.quiesce();
    await this.search.close();
    if (this.store.hasUnsyncedWrites && this.config.syncMode !== 'off') await this.store.sync().catch(() => {});
    await this.engine.close();
  }

  /** `await using db = await Database.open(path)` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

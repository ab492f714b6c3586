// A SQL session: parses statements, runs each in a transaction (its own, or BEGIN … COMMIT), and
// wires parse → bind → plan → execute through the statement context.

import type { SearchProvider } from '../executor/context.js';
import type { Statement } from '../compiler/ast.js';
import { parseStatements } from '../compiler/parse.js';
import { identName } from '../compiler/binder/scope.js';
import { DatabaseError, QueryExecutionError, TransactionConflictError, TransactionError, ValidationError } from '../errors.js';
import type { SqlValue } from '../executor/value.js';
import { SESSION_STATEMENTS, executeStatement } from '../executor/statements/execute.js';
import type { StatementContext, StatementResult } from '../executor/statements/context.js';
import { CatalogView, type Catalog } from '../storage/catalog.js';
import type { IsolationLevel, MvccStore } from '../storage/mvcc/store.js';
import { StorageTransaction } from '../storage/mvcc/transaction.js';
import type { RowidAllocator } from '../storage/table-store.js';
import type { TableCache } from '../storage/table-cache.js';
import { SQLQueryResult } from './sql-result.js';

/** Parameters: positional values, or named ones (`:name`, `$name`, `@name` — keys with or without the prefix). */
export type SqlParams = readonly unknown[] | Readonly<Record<string, unknown>>;

/** The engine state shared by every session of a database. */
export interface SqlEngine {
  readonly store: MvccStore;
  readonly catalog: Catalog;
  readonly rowids: RowidAllocator;
  readonly tableCache?: TableCache;
  /** Collection search indexes. */
  readonly search?: SearchProvider;
  checkOpen(): void;
}

const PARSE_CACHE_LIMIT = 512;

/** Converts an API parameter to a SQL value (booleans to 1/0, Dates to ISO text, objects to JSON). */
export function toSqlValue(v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  // An integral number beyond 2^53 is an INTEGER whose canonical form is a bigint (as a literal of
  // it parses), so that the same value compares and round-trips the same whichever way it came in.
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v) && Math.abs(v) <= 2 ** 63 - 1024 ? BigInt(v) : v;
  if (typeof v === 'bigint' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Float32Array || v instanceof Uint8Array) return v;
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  if (typeof v === 'object') return JSON.stringify(v);
  throw new ValidationError(`cannot bind a ${typeof v} as a SQL parameter`);
}

/** A transaction opened by BEGIN (or handed in by the API), with its catalog view and savepoints. */
interface OpenTxn {
  readonly txn: StorageTransaction;
  readonly catalog: CatalogView;
  readonly savepoints: { name: string; mark: number; catalog: Map<string, unknown> }[];
  /** Owned by the session (BEGIN … COMMIT), as opposed to an API Transaction. */
  readonly owned: boolean;
}

/** Runs SQL for a Database (autocommit or BEGIN … COMMIT) or inside an API Transaction. */
export class SqlSession {
  private open: OpenTxn | undefined;
  /** Settings made with SET for this session (hnsw.ef_search). */
  private readonly settings = new Map<string, SqlValue>();
  private static readonly parseCache = new Map<string, Statement[]>();

  constructor(
    private readonly engine: SqlEngine,
    /** An API transaction this session runs in; its commit publishes catalog changes. */
    external?: StorageTransaction,
  ) {
    if (external) this.open = { txn: external, catalog: new CatalogView(engine.catalog), savepoints: [], owned: false };
  }

  /** True inside BEGIN … COMMIT (or an API transaction). */
  get inTransaction(): boolean {
    return this.open !== undefined;
  }

  /** Catalog changes of the API transaction, to publish after its commit. */
  get pendingCatalog(): CatalogView | undefined {
    return this.open?.catalog;
  }

  /** Parses (with a cache of recent statement texts). */
  static parse(sql: string): Statement[] {
    if (typeof sql !== 'string') throw new ValidationError('SQL must be a string');
    let stmts = SqlSession.parseCache.get(sql);
    if (!stmts) {
      stmts = parseStatements(sql);
      if (SqlSession.parseCache.size >= PARSE_CACHE_LIMIT) SqlSession.parseCache.delete(SqlSession.parseCache.keys().next().value!);
      SqlSession.parseCache.set(sql, stmts);
    }
    return stmts;
  }

  /** Runs every statement of `sql`; returns the last one's result. */
  async execute(sql: string, params: SqlParams = [], signal?: AbortSignal, search?: SearchProvider): Promise<SQLQueryResult> {
    this.engine.checkOpen();
    const t0 = performance.now();
    const stmts = SqlSession.parse(sql);
    const positional = Array.isArray(params) ? params.map(toSqlValue) : [];
    const named = new Map<string, SqlValue>(Array.isArray(params) ? [] : Object.entries(params as Record<string, unknown>).map(([k, v]) => [k.replace(/^[:$@]/, ''), toSqlValue(v)]));
    let last: StatementResult = { columns: [], columnTypes: [], rows: [], rowsAffected: 0, lastInsertId: null };
    for (const stmt of stmts) {
      const text = sql.slice(stmt.span.start, stmt.span.end);
      last = await this.run(stmt, sql, text, positional, named, signal, search);
    }
    return new SQLQueryResult(last.columns, last.columnTypes, last.rows, last.rowsAffected, last.lastInsertId, performance.now() - t0);
  }

  private async run(stmt: Statement, sql: string, _text: string, params: SqlValue[], named: Map<string, SqlValue>, signal: AbortSignal | undefined, search: SearchProvider | undefined): Promise<StatementResult> {
    if (SESSION_STATEMENTS.has(stmt.kind)) return this.control(stmt);
    const allocate = () => this.engine.catalog.allocateId();
    if (this.open) {
      // Inside a transaction a failing statement is undone alone (a statement-level savepoint).
      const o = this.open;
      const mark = o.txn.savepoint();
      const catalogBefore = new Map(o.catalog.changes);
      try {
        return await executeStatement(this.context(o.txn, o.catalog, sql, params, named, signal, search), stmt, allocate);
      } catch (err) {
        if (o.txn.state === 'active') {
          o.txn.rollbackTo(mark);
          o.catalog.changes.clear();
          for (const [k, v] of catalogBefore) o.catalog.changes.set(k, v);
        }
        throw err;
      } finally {
        if (o.txn.state === 'active') o.txn.release();
      }
    }
    // Autocommit: one transaction per statement, retried when a concurrent commit wins. A query
    // reads one snapshot and writes nothing, which is serializable without tracking its reads.
    const readOnly = stmt.kind === 'SelectStatement' || (stmt.kind === 'ExplainStatement' && stmt.statement.kind === 'SelectStatement');
    for (let attempt = 0; ; attempt++) {
      const txn = new StorageTransaction(this.engine.store, readOnly ? 'snapshot' : 'serializable', readOnly);
      const catalog = new CatalogView(this.engine.catalog);
      try {
        const res = await executeStatement(this.context(txn, catalog, sql, params, named, signal, search), stmt, allocate);
        await txn.commit();
        this.engine.catalog.publish(catalog.changes);
        return res;
      } catch (err) {
        txn.abort();
        if (err instanceof TransactionConflictError && attempt < 5) continue;
        throw err;
      }
    }
  }

  private context(txn: StorageTransaction, catalog: CatalogView, sql: string, params: SqlValue[], named: Map<string, SqlValue>, signal: AbortSignal | undefined, search: SearchProvider | undefined): StatementContext {
    const provider = search ?? this.engine.search;
    return { sql, txn, catalog, committed: this.engine.catalog, rowids: this.engine.rowids, ...(this.engine.tableCache ? { tableCache: this.engine.tableCache } : {}), ...(provider ? { search: provider } : {}), params, named, signal, now: new Date(), settings: this.settings };
  }

  /** BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE. */
  private async control(stmt: Statement): Promise<StatementResult> {
    const done: StatementResult = { columns: [], columnTypes: [], rows: [], rowsAffected: 0, lastInsertId: null };
    switch (stmt.kind) {
      case 'BeginStatement': {
        if (this.open) throw new TransactionError('cannot start a transaction within a transaction');
        const iso: IsolationLevel = stmt.isolation === 'SNAPSHOT' || stmt.isolation === 'REPEATABLE READ' ? 'snapshot' : stmt.isolation === 'READ COMMITTED' || stmt.isolation === 'READ UNCOMMITTED' ? 'read_committed' : 'serializable';
        this.open = { txn: new StorageTransaction(this.engine.store, iso, stmt.readOnly === true), catalog: new CatalogView(this.engine.catalog), savepoints: [], owned: true };
        return done;
      }
      case 'CommitStatement': {
        const o = this.requireOwned('COMMIT');
        this.open = undefined;
        await o.txn.commit();
        this.engine.catalog.publish(o.catalog.changes);
        return done;
      }
      case 'RollbackStatement': {
        const o = this.open;
        if (!o) throw new TransactionError('cannot rollback - no transaction is active');
        if (stmt.savepoint) {
          const sp = this.findSavepoint(o, identName(stmt.savepoint));
          o.txn.rollbackTo(sp.mark);
          o.catalog.changes.clear();
          for (const [k, v] of sp.catalog) o.catalog.changes.set(k, v as never);
          o.savepoints.splice(o.savepoints.indexOf(sp) + 1);
          return done;
        }
        if (!o.owned) throw new TransactionError('ROLLBACK inside an API transaction: call txn.abort() instead');
        this.open = undefined;
        o.txn.abort();
        return done;
      }
      case 'SavepointStatement': {
        if (!this.open) {
          // SQLite: a SAVEPOINT outside a transaction starts one.
          this.open = { txn: new StorageTransaction(this.engine.store, 'serializable'), catalog: new CatalogView(this.engine.catalog), savepoints: [], owned: true };
        }
        const o = this.open;
        o.savepoints.push({ name: identName(stmt.name), mark: o.txn.savepoint(), catalog: new Map(o.catalog.changes) });
        return done;
      }
      case 'ReleaseStatement': {
        const o = this.open;
        if (!o) throw new TransactionError(`no such savepoint: ${stmt.name.name}`);
        const sp = this.findSavepoint(o, identName(stmt.name));
        const idx = o.savepoints.indexOf(sp);
        for (const _ of o.savepoints.splice(idx)) o.txn.release();
        return done;
      }
      default:
        throw new QueryExecutionError(`not a transaction statement: ${stmt.kind}`);
    }
  }

  private findSavepoint(o: OpenTxn, name: string): OpenTxn['savepoints'][number] {
    for (let i = o.savepoints.length - 1; i >= 0; i--) if (o.savepoints[i]!.name.toLowerCase() === name.toLowerCase()) return o.savepoints[i]!;
    throw new TransactionError(`no such savepoint: ${name}`);
  }

  private requireOwned(what: string): OpenTxn {
    const o = this.open;
    if (!o) throw new TransactionError(`cannot ${what.toLowerCase()} - no transaction is active`);
    if (!o.owned) throw new TransactionError(`${what} inside an API transaction: call txn.commit() instead`);
    return o;
  }

  /** Aborts an open BEGIN … transaction (when the database closes). */
  abandon(): void {
    if (this.open?.owned) this.open.txn.abort();
    this.open = undefined;
  }
}

/** Throws unless `x` is a usable SQL string. */
export function checkSql(x: unknown): asserts x is string {
  if (typeof x !== 'string') throw new DatabaseError('SQL must be a string', undefined, 'VALIDATION');
}

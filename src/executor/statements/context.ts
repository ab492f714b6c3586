// What every statement runs with: the transaction, the catalog view, parameters, and the plan pipeline.

import { bindQuery } from '../../compiler/binder/bind-query.js';
import { CteEnv, Scope, type BindContext } from '../../compiler/binder/scope.js';
import { bindExpr, type ExprOptions } from '../../compiler/binder/bind-expr.js';
import type { BoundExpr, ColumnInfo } from '../../compiler/bound.js';
import type { Expression, SelectStatement } from '../../compiler/ast.js';
import { QueryCancelledError, QueryExecutionError } from '../../errors.js';
import type { LogicalPlan } from '../../planner/logical.js';
import type { PhysicalPlan } from '../../planner/physical.js';
import { plan } from '../../planner/plan.js';
import type { Catalog, CatalogView } from '../../storage/catalog.js';
import type { StorageTransaction } from '../../storage/mvcc/transaction.js';
import type { RowidAllocator } from '../../storage/table-store.js';
import type { TableCache } from '../../storage/table-cache.js';
import type { ExecContext, Row, SearchProvider } from '../context.js';
import { makeEnv } from '../context.js';
import { runToArray } from '../run.js';
import { CompiledExprs } from '../compile-expr.js';
import type { SqlValue } from '../value.js';

/** The state a statement runs in. */
export interface StatementContext {
  readonly sql: string;
  readonly txn: StorageTransaction;
  readonly catalog: CatalogView;
  readonly committed: Catalog;
  readonly rowids: RowidAllocator;
  readonly tableCache?: TableCache;
  /** Collection search indexes (vector and BM25). */
  readonly search?: SearchProvider;
  readonly params: readonly SqlValue[];
  readonly named: ReadonlyMap<string, SqlValue>;
  readonly signal: AbortSignal | undefined;
  readonly now: Date;
  /** Session settings made with SET that change behaviour (hnsw.ef_search); absent: defaults. */
  readonly settings?: Map<string, SqlValue>;
  /** EXPLAIN ANALYZE of a data-changing statement: per-operator actuals of the plans it runs… */
  readonly profile?: Map<PhysicalPlan, { rows: number; ms: number }>;
  /** …and each plan it runs, as it runs it. */
  readonly onPlan?: (plan: PhysicalPlan) => void;
}

/** A statement's outcome: rows (possibly none) and counts. */
export interface StatementResult {
  readonly columns: readonly string[];
  readonly columnTypes: readonly string[];
  readonly rows: SqlValue[][];
  readonly rowsAffected: number;
  readonly lastInsertId: number | bigint | null;
}

/** An empty result with a count. */
export function countResult(rowsAffected: number, lastInsertId: number | bigint | null = null): StatementResult {
  return { columns: [], columnTypes: [], rows: [], rowsAffected, lastInsertId };
}

/** A fresh bind context for a statement. Named parameters are numbered after positional ones. */
export function bindContext(sc: StatementContext): BindContext {
  return { sql: sc.sql, catalog: sc.catalog, params: { count: 0, named: new Map() }, nextWorkTableId: 1, expanding: new Set() };
}

/** The parameter vector for a bound statement: positional values, then named ones by slot. */
export function paramVector(sc: StatementContext, bc: BindContext): SqlValue[] {
  const out = [...sc.params];
  for (const [name, slot] of bc.params.named) {
    const v = sc.named.get(name) ?? sc.named.get(`:${name}`) ?? sc.named.get(`$${name}`) ?? sc.named.get(`@${name}`);
    if (v === undefined && out[slot] === undefined) throw new QueryExecutionError(`no value bound for parameter :${name}`);
    if (v !== undefined) out[slot] = v;
  }
  return out;
}

/** The executor context for running plans within a statement. */
export function execContext(sc: StatementContext, params: readonly SqlValue[], profile?: Map<PhysicalPlan, { rows: number; ms: number }>): ExecContext {
  const memo = new Map<LogicalPlan, PhysicalPlan>();
  return {
    txn: sc.txn,
    catalog: sc.catalog,
    rowids: sc.rowids,
    ...(sc.tableCache ? { tableCache: sc.tableCache } : {}),
    ...(sc.search ? { search: sc.search } : {}),
    ...(sc.settings ? { settings: sc.settings } : {}),
    params,
    now: sc.now,
    workTables: new Map(),
    ...(profile ?? sc.profile ? { profile: profile ?? sc.profile } : {}),
    ...(sc.signal ? { signal: sc.signal } : {}),
    planSubquery: (lp) => {
      let p = memo.get(lp);
      if (!p) memo.set(lp, (p = plan(lp, { catalog: sc.committed })));
      return p;
    },
    checkCancelled: () => {
      if (sc.signal?.aborted) throw new QueryCancelledError();
    },
  };
}

/** Binds and plans a query. */
export function planSelect(q: SelectStatement, sc: StatementContext, bc: BindContext): { logical: LogicalPlan; physical: PhysicalPlan } {
  const logical = bindQuery(q, undefined, new CteEnv(undefined), bc);
  return { logical, physical: plan(logical, { catalog: sc.committed }) };
}

/** Runs a physical plan to completion. */
export async function runPlan(p: PhysicalPlan, ctx: ExecContext): Promise<Row[]> {
  return runToArray(p, makeEnv(ctx));
}

/** Binds a standalone expression over the given columns (DEFAULT, CHECK, SET, RETURNING). */
export function bindOver(e: Expression, columns: readonly ColumnInfo[], bc: BindContext, clause: string): BoundExpr {
  const ctes = new CteEnv(undefined);
  const opts: ExprOptions = {
    clause,
    bindSubquery: (query, scope) => {
      const inner = new Scope([], scope, ctes, true);
      return { plan: bindQuery(query, inner, ctes, bc), correlated: inner.correlated };
    },
  };
  return bindExpr(e, new Scope(columns, undefined, ctes), bc, opts);
}

/** Evaluates constant expressions (literals, parameters, functions) of a statement that has no rows. */
export async function evaluateConstants(sc: StatementContext, exprs: readonly Expression[]): Promise<SqlValue[]> {
  const bc = bindContext(sc);
  const bound = exprs.map((e) => bindOver(e, [], bc, 'a key-value statement'));
  const ctx = execContext(sc, paramVector(sc, bc));
  const env = makeEnv(ctx);
  const ex = new CompiledExprs(bound, (s) => ctx.planSubquery(s.plan));
  await ex.prepare([[]], env);
  env.rowIndex = 0;
  return ex.fns.map((f) => f([], env));
}

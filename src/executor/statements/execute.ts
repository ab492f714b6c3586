// Runs one parsed statement in a statement context: the single dispatch point of the SQL pipeline.

import { kvDelete, kvGet, kvList, kvPut, kvScan } from './kv.js';
import type { SqlValue } from '../value.js';
import { alterCollection, alterNamespace, createCollection, createNamespace, dropCollection, dropNamespace } from './collection.js';
import { assertNever, type ExplainStatement, type SelectStatement, type Statement } from '../../compiler/ast.js';
import { QueryExecutionError } from '../../errors.js';
import { explainLines } from '../../planner/explain.js';
import type { PhysicalPlan } from '../../planner/physical.js';
import { makeEnv } from '../context.js';
import { runToArray } from '../run.js';
import { bindContext, countResult, evaluateConstants, execContext, paramVector, planSelect, type StatementContext, type StatementResult } from './context.js';
import { createTable } from './create-table.js';
import { alterTable, analyze, createView, dropTable, dropView, reindex } from './ddl.js';
import { createIndex, dropIndex } from './create-index.js';
import { explainDml, insert, remove, update } from './dml.js';

/** Statement kinds that a session handles itself (transaction control). */
export const SESSION_STATEMENTS = new Set(['BeginStatement', 'CommitStatement', 'RollbackStatement', 'SavepointStatement', 'ReleaseStatement']);

/**
 * Plans of queries, by statement (the parse cache hands out the same AST for the same text), valid
 * while the catalog version is unchanged. Not used while a transaction has its own uncommitted DDL.
 */
const planCache = new WeakMap<SelectStatement, { version: number; catalog: object; physical: PhysicalPlan; bc: ReturnType<typeof bindContext> }>();

function cachedPlan(sc: StatementContext, q: SelectStatement): { physical: PhysicalPlan; bc: ReturnType<typeof bindContext> } {
  const local = sc.catalog.changes.size > 0;
  const hit = local ? undefined : planCache.get(q);
  if (hit && hit.version === sc.committed.version && hit.catalog === sc.committed) return hit;
  const bc = bindContext(sc);
  const { physical } = planSelect(q, sc, bc);
  if (!local) planCache.set(q, { version: sc.committed.version, catalog: sc.committed, physical, bc });
  return { physical, bc };
}

/** Runs a query and returns its rows with the visible columns. */
async function select(sc: StatementContext, q: SelectStatement): Promise<StatementResult> {
  const { physical, bc } = cachedPlan(sc, q);
  const ctx = execContext(sc, paramVector(sc, bc));
  const visible = physical.schema.map((c, i) => (c.hidden ? -1 : i)).filter((i) => i >= 0);
  const rows = await runToArray(physical, makeEnv(ctx));
  const all = visible.length === physical.schema.length;
  return {
    columns: visible.map((i) => physical.schema[i]!.name),
    columnTypes: visible.map((i) => physical.schema[i]!.type),
    rows: all ? rows : rows.map((r) => visible.map((i) => r[i]!)),
    rowsAffected: 0,
    lastInsertId: null,
  };
}

/** EXPLAIN [ANALYZE]: the chosen plan as an indented tree, one row per line. */
async function explain(sc: StatementContext, stmt: ExplainStatement): Promise<StatementResult> {
  const inner = stmt.statement;
  if (inner.kind === 'InsertStatement' || inner.kind === 'UpdateStatement' || inner.kind === 'DeleteStatement') {
    const { header, physical } = explainDml(sc, inner);
    if (stmt.analyze) {
      // As in Postgres, EXPLAIN ANALYZE runs the statement: its changes are made (wrap it in
      // BEGIN … ROLLBACK to look without touching).
      const profile = new Map<PhysicalPlan, { rows: number; ms: number }>();
      const plans: PhysicalPlan[] = [];
      const run = { ...sc, profile, onPlan: (p: PhysicalPlan) => plans.push(p) };
      const t0 = performance.now();
      const res = inner.kind === 'InsertStatement' ? await insert(run, inner) : inner.kind === 'UpdateStatement' ? await update(run, inner) : await remove(run, inner);
      const ms = performance.now() - t0;
      const lines = [`${header} (actual rows=${res.rowsAffected} time=${ms.toFixed(3)}ms)`, ...plans.flatMap((p) => explainLines(p, profile, 1))];
      return { columns: ['plan'], columnTypes: ['text'], rows: lines.map((l) => [l]), rowsAffected: res.rowsAffected, lastInsertId: res.lastInsertId };
    }
    const lines = [header, ...(physical ? explainLines(physical, undefined, 1) : [])];
    return { columns: ['plan'], columnTypes: ['text'], rows: lines.map((l) => [l]), rowsAffected: 0, lastInsertId: null };
  }
  if (inner.kind !== 'SelectStatement') throw new QueryExecutionError(`EXPLAIN of ${inner.kind.replace(/Statement$/, '')} is not supported`);
  const bc = bindContext(sc);
  const { physical } = planSelect(inner, sc, bc);
  let profile: Map<PhysicalPlan, { rows: number; ms: number }> | undefined;
  if (stmt.analyze) {
    profile = new Map();
    await runToArray(physical, makeEnv(execContext(sc, paramVector(sc, bc), profile)));
  }
  const lines = explainLines(physical, profile);
  return { columns: ['plan'], columnTypes: ['text'], rows: lines.map((l) => [l]), rowsAffected: 0, lastInsertId: null };
}

/** Settings SET changes for the rest of the session; any other name is accepted and ignored. */
const SESSION_SETTINGS: Record<string, (v: SqlValue) => SqlValue> = {
  'hnsw.ef_search': (v) => {
    const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10000) throw new QueryExecutionError(`hnsw.ef_search must be an integer from 1 to 10000, got ${String(v)}`);
    return n;
  },
};

/**
 * SET name = value. Settings ToonDB knows (SESSION_SETTINGS) take effect for the session;
 * others, as dumps of other engines carry them (client_encoding, search_path), are accepted and
 * ignored because ToonDB's behaviour does not depend on them.
 */
async function set(sc: StatementContext, stmt: Extract<Statement, { kind: 'SetStatement' }>): Promise<StatementResult> {
  const name = stmt.name.map((n) => n.name.toLowerCase()).join('.');
  const check = SESSION_SETTINGS[name];
  if (!check || !sc.settings) return countResult(0);
  const expr = stmt.values[0];
  // SET x = DEFAULT (or TO DEFAULT) goes back to the default.
  if (!expr || expr.kind === 'DefaultExpression') {
    sc.settings.delete(name);
    return countResult(0);
  }
  const [value] = await evaluateConstants(sc, [expr]);
  if (value === null || value === undefined) sc.settings.delete(name);
  else sc.settings.set(name, check(value));
  return countResult(0);
}

/** Runs one non-transaction-control statement. */
export async function executeStatement(sc: StatementContext, stmt: Statement, allocateId: () => number): Promise<StatementResult> {
  switch (stmt.kind) {
    case 'SelectStatement':
      return select(sc, stmt);
    case 'InsertStatement':
      return insert(sc, stmt);
    case 'UpdateStatement':
      return update(sc, stmt);
    case 'DeleteStatement':
      return remove(sc, stmt);
    case 'CreateTableStatement':
      return createTable(sc, stmt, allocateId);
    case 'DropTableStatement':
      return dropTable(sc, stmt);
    case 'AlterTableStatement':
      return alterTable(sc, stmt, allocateId);
    case 'CreateIndexStatement':
      return createIndex(sc, stmt, allocateId);
    case 'DropIndexStatement':
      return dropIndex(sc, stmt);
    case 'CreateViewStatement':
      return createView(sc, stmt);
    case 'DropViewStatement':
      return dropView(sc, stmt);
    case 'CreateNamespaceStatement':
      return createNamespace(sc, stmt);
    case 'AlterNamespaceStatement':
      return alterNamespace(sc, stmt);
    case 'DropNamespaceStatement':
      return dropNamespace(sc, stmt);
    case 'CreateCollectionStatement':
      return createCollection(sc, stmt, allocateId);
    case 'AlterCollectionStatement':
      return alterCollection(sc, stmt);
    case 'DropCollectionStatement':
      return dropCollection(sc, stmt);
    case 'KvPutStatement':
      return kvPut(sc, stmt);
    case 'KvGetStatement':
      return kvGet(sc, stmt);
    case 'KvDeleteStatement':
      return kvDelete(sc, stmt);
    case 'KvScanStatement':
      return kvScan(sc, stmt);
    case 'KvListStatement':
      return kvList(sc, stmt);
    case 'ExplainStatement':
      return explain(sc, stmt);
    case 'AnalyzeStatement':
      return analyze(sc, stmt);
    case 'ReindexStatement':
      return reindex(sc, stmt);
    case 'SetStatement':
      return set(sc, stmt);
    case 'PragmaStatement':
    case 'VacuumStatement':
      // Settings that other engines' dumps carry (client_encoding, foreign_keys, journal_mode):
      // accepted and ignored; ToonDB's behaviour does not depend on them.
      return countResult(0);
    case 'BeginStatement':
    case 'CommitStatement':
    case 'RollbackStatement':
    case 'SavepointStatement':
    case 'ReleaseStatement':
      throw new QueryExecutionError(`${stmt.kind} is handled by the session`);
    default:
      return assertNever(stmt);
  }
}

// INSERT, UPDATE and DELETE, with every dialect's upsert form and RETURNING.

import type { Assignment, DeleteStatement, Expression, FromItem, InsertStatement, SelectItem, UpdateStatement } from '../../compiler/ast.js';
import { bindFromItem, scanSchema } from '../../compiler/binder/bind-query.js';
import { identName, qualifiedName } from '../../compiler/binder/scope.js';
import type { BoundExpr, ColumnInfo } from '../../compiler/bound.js';
import { QueryBindError, QueryExecutionError } from '../../errors.js';
import type { LogicalPlan } from '../../planner/logical.js';
import type { PhysicalPlan } from '../../planner/physical.js';
import { plan } from '../../planner/plan.js';
import type { TableDef } from '../../storage/catalog.js';
import { getRow } from '../../storage/table-store.js';
import { CompiledExprs } from '../compile-expr.js';
import { makeEnv, type Env, type Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { isTruthy } from '../value-ops.js';
import { bindContext, bindOver, execContext, paramVector, planSelect, runPlan, type StatementContext, type StatementResult } from './context.js';
import { TableWriter, parseMetadata, type ConflictAction } from './table-writer.js';
import { COLLECTION_COLUMNS } from '../../storage/catalog.js';

function columnIndex(t: TableDef, name: string, sql: string): number {
  const i = t.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
  if (i < 0) throw new QueryBindError(`table ${t.name} has no column named ${name}`, sql);
  return i;
}

/** Compiles expressions bound over `columns`, for evaluation with `env`. */
async function evalRow(ex: CompiledExprs, row: Row, env: Env): Promise<SqlValue[]> {
  await ex.prepare([row], env);
  env.rowIndex = 0;
  return ex.fns.map((f) => f(row, env));
}

/** RETURNING: binds the items over the table's row. */
function returning(items: readonly SelectItem[], schema: readonly ColumnInfo[], sc: StatementContext, bc: ReturnType<typeof bindContext>): { exprs: BoundExpr[]; names: string[] } {
  const exprs: BoundExpr[] = [];
  const names: string[] = [];
  for (const item of items) {
    if (item.kind === 'SelectStar') {
      schema.forEach((c, i) => {
        if (c.hidden) return;
        exprs.push({ kind: 'Column', index: i, type: c.type, name: c.name });
        names.push(c.name);
      });
      continue;
    }
    exprs.push(bindOver(item.expr, schema, bc, 'RETURNING'));
    names.push(item.alias ? item.alias.name : item.expr.kind === 'ColumnRef' ? item.expr.column.name : sc.sql.slice(item.expr.span.start, item.expr.span.end));
  }
  return { exprs, names };
}

/** MySQL's VALUES(col) inside ON DUPLICATE KEY UPDATE means excluded.col. */
function mysqlValues(e: Expression): Expression {
  const visit = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object' || x instanceof Uint8Array) return x;
    if (Array.isArray(x)) return x.map(visit);
    const node = x as Record<string, unknown>;
    if (node.kind === 'FunctionCall') {
      const call = node as unknown as Extract<Expression, { kind: 'FunctionCall' }>;
      if (call.name.name.name.toLowerCase() === 'values' && call.args.length === 1 && call.args[0]!.kind === 'ColumnRef') {
        const ref = call.args[0]!;
        return { ...ref, table: { kind: 'Identifier', name: 'excluded', quoted: false, span: ref.span } };
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === 'span' ? v : visit(v);
    return out;
  };
  return visit(e) as Expression;
}

/** Everything INSERT binds: reused while the statement text and the catalog are unchanged. */
interface BoundInsert {
  readonly version: number;
  readonly catalog: object;
  readonly bc: ReturnType<typeof bindContext>;
  readonly targets: number[];
  /** Collection metadata fields named in the column list: value position → field name. */
  readonly fields: { readonly src: number; readonly name: string }[];
  readonly upsert: InsertStatement['upsert'][number] | undefined;
  readonly conflictAssign: { cols: number[]; expr: BoundExpr }[];
  readonly conflictWhere: BoundExpr | undefined;
  readonly valuesRows: (BoundExpr | undefined)[][] | undefined;
  /** True when the targets are every column of the table, in table order. */
  readonly inOrder: boolean;
  /** True when every VALUES expression is a parameter, a constant or DEFAULT. */
  readonly plainValues: boolean;
  readonly queryPlan: ReturnType<typeof planSelect> | undefined;
  readonly ret: { exprs: BoundExpr[]; names: string[] } | undefined;
}

const insertCache = new WeakMap<InsertStatement, BoundInsert>();

/** Binds an INSERT (names, VALUES, upsert clauses, RETURNING), or returns the cached binding. */
function boundInsert(sc: StatementContext, stmt: InsertStatement, table: TableDef): BoundInsert {
  const local = sc.catalog.changes.size > 0;
  const hit = local ? undefined : insertCache.get(stmt);
  if (hit && hit.version === sc.committed.version && hit.catalog === sc.committed) return hit;
  const bc = bindContext(sc);
  const targets: number[] = [];
  const fields: { src: number; name: string }[] = [];
  // Without a column list the values fill every column that is not generated (as in SQLite).
  if (stmt.columns.length === 0) table.columns.forEach((c, i) => c.generatedSql === undefined && targets.push(i));
  stmt.columns.forEach((c, src) => {
    // In a collection, a name that is not a column is a metadata field (docs/toonql.md §11.2).
    const i = table.collection ? table.columns.findIndex((col) => col.name.toLowerCase() === c.name.toLowerCase()) : columnIndex(table, c.name, sc.sql);
    if (i >= 0) targets.push(i);
    else {
      targets.push(-1);
      fields.push({ src, name: c.name });
    }
  });
  const schema = scanSchema(table, stmt.alias ? identName(stmt.alias) : table.name);
  const excludedSchema: ColumnInfo[] = [...schema, ...scanSchema(table, 'excluded')];
  // Bind everything before evaluating anything, so that parameter slots are numbered in text order.
  const upsert = stmt.upsert[0];
  const conflictAssign = upsert?.action === 'UPDATE' ? upsert.assignments.map((a) => ({ cols: a.columns.map((c) => columnIndex(table, c.name, sc.sql)), expr: bindOver(upsert.syntax === 'ON DUPLICATE KEY' ? mysqlValues(a.value) : a.value, excludedSchema, bc, 'ON CONFLICT') })) : [];
  const conflictWhere = upsert?.where ? bindOver(upsert.where, excludedSchema, bc, 'ON CONFLICT') : undefined;
  let valuesRows: (BoundExpr | undefined)[][] | undefined;
  let queryPlan: ReturnType<typeof planSelect> | undefined;
  if (stmt.source.kind === 'DefaultValues') {
    // nothing to bind
  } else if (stmt.source.body.kind === 'ValuesClause' && !stmt.source.with && stmt.source.orderBy.length === 0 && !stmt.source.limit) {
    valuesRows = stmt.source.body.rows.map((r) => r.map((e) => (e.kind === 'DefaultExpression' ? undefined : bindOver(e, [], bc, 'VALUES'))));
  } else {
    queryPlan = planSelect(stmt.source, sc, bc);
  }
  const ret = stmt.returning.length > 0 ? returning(stmt.returning, schema, sc, bc) : undefined;
  const plainValues = valuesRows !== undefined && valuesRows.every((r) => r.every((e) => e === undefined || e.kind === 'Const' || e.kind === 'Param'));
  const inOrder = targets.length === table.columns.length && targets.every((t, i) => t === i);
  const out: BoundInsert = { version: sc.committed.version, catalog: sc.committed, bc, targets, fields, upsert, conflictAssign, conflictWhere, valuesRows, plainValues, inOrder, queryPlan, ret };
  if (!local) insertCache.set(stmt, out);
  return out;
}

/** Runs INSERT (all forms). */
export async function insert(sc: StatementContext, stmt: InsertStatement): Promise<StatementResult> {
  const table = sc.catalog.table(qualifiedName(stmt.table));
  const writer = TableWriter.open(sc, table);
  const bound = boundInsert(sc, stmt, table);
  const { bc, targets, fields, conflictAssign, conflictWhere, valuesRows, queryPlan, ret, upsert } = bound;
  if (stmt.columns.length > 0) writer.checkNotGenerated(targets);
  writer.checkNotGenerated(conflictAssign.flatMap((a) => a.cols));
  let source: (SqlValue | undefined)[][] = stmt.source.kind === 'DefaultValues' ? [[]] : [];
  const params = paramVector(sc, bc);
  const ctx = execContext(sc, params);
  const env = makeEnv(ctx);
  if (valuesRows && bound.plainValues) {
    // Only parameters and constants: their values are read directly, with nothing to compile.
    for (const r of valuesRows) {
      const vals: (SqlValue | undefined)[] = new Array(r.length);
      for (let i = 0; i < r.length; i++) {
        const e = r[i];
        if (e === undefined) continue;
        if (e.kind === 'Const') vals[i] = e.value;
        else if (e.kind === 'Param') {
          const v = params[e.slot];
          if (v === undefined) throw new QueryExecutionError(`no value bound for parameter ${e.slot + 1}`);
          vals[i] = v;
        }
      }
      source.push(vals);
    }
  } else if (valuesRows) {
    // All VALUES expressions are compiled together once and evaluated in one pass.
    const ex = new CompiledExprs(valuesRows.flat().filter((e): e is BoundExpr => !!e), (s) => ctx.planSubquery(s.plan));
    const vals = await evalRow(ex, [], env);
    let k = 0;
    for (const r of valuesRows) source.push(r.map((e) => (e ? vals[k++]! : undefined)));
  } else if (queryPlan) {
    sc.onPlan?.(queryPlan.physical);
    source = (await runPlan(queryPlan.physical, ctx)).map((r) => r.slice(0, queryPlan!.physical.schema.filter((c) => !c.hidden).length));
  }
  let action: ConflictAction = stmt.conflict === 'IGNORE' ? 'IGNORE' : stmt.conflict === 'REPLACE' ? 'REPLACE' : 'ABORT';
  if (upsert?.action === 'NOTHING') action = 'IGNORE';
  const assignEx = new CompiledExprs(conflictAssign.map((a) => a.expr), (s) => ctx.planSubquery(s.plan));
  const whereEx = conflictWhere ? new CompiledExprs([conflictWhere], (s) => ctx.planSubquery(s.plan)) : undefined;
  const retEx = ret ? new CompiledExprs(ret.exprs, (s) => ctx.planSubquery(s.plan)) : undefined;
  const out: SqlValue[][] = [];
  let affected = 0;
  let lastId: number | bigint | null = null;
  for (const src of source) {
    if (stmt.source.kind !== 'DefaultValues' && src.length !== targets.length) {
      throw new QueryExecutionError(`table ${table.name} has ${table.columns.length} columns but ${src.length} values were supplied`);
    }
    // Values listed for every column in table order (the usual bulk form) are the row as given.
    let given: (SqlValue | undefined)[];
    if (bound.inOrder) given = src;
    else {
      given = new Array(table.columns.length).fill(undefined);
      targets.forEach((t, i) => {
        if (t >= 0) given[t] = src[i];
      });
    }
    if (fields.length > 0) given[COLLECTION_COLUMNS.metadata] = withFields(given[COLLECTION_COLUMNS.metadata], fields.map((f) => [f.name, src[f.src] ?? null]));
    // complete and insert return plain values unless they must wait: no turn per row then.
    let completed = writer.complete(given);
    if (completed instanceof Promise) completed = await completed;
    const { row, rowid, fresh } = completed;
    writer.validate(row);
    let res = writer.insert(row, rowid, upsert?.action === 'UPDATE' ? 'RETURN' : action, fresh);
    if (res instanceof Promise) res = await res;
    if (res.kind === 'written') {
      affected++;
      if (res.rowid !== null && (typeof res.rowid === 'number' || typeof res.rowid === 'bigint')) lastId = res.rowid;
      if (retEx) out.push(await evalRow(retEx, [...res.row, res.rowid, res.key], env));
      continue;
    }
    if (res.kind === 'conflict') {
      // DO UPDATE / ON DUPLICATE KEY UPDATE: the existing row, with `excluded` as the proposed one.
      writer.checkMutable('ON CONFLICT DO UPDATE');
      const existing = getRow(sc.txn, res.existingKey)!;
      const scope = [...existing, null, res.existingKey, ...row, null, null];
      if (whereEx && isTruthy((await evalRow(whereEx, scope, env))[0]!) !== true) continue;
      const vals = await evalRow(assignEx, scope, env);
      const updated = [...existing];
      conflictAssign.forEach((a, i) => a.cols.forEach((c) => (updated[c] = vals[i]!)));
      const completed = (await writer.complete(updated)).row;
      writer.validate(completed);
      const u = await writer.update(res.existingKey, existing, completed, 'ABORT');
      if (u.kind === 'written') {
        affected++;
        if (retEx) out.push(await evalRow(retEx, [...u.row, u.rowid, u.key], env));
      }
    }
  }
  adjustRows(sc, table, affected);
  return { columns: ret?.names ?? [], columnTypes: ret ? ret.exprs.map((e) => e.type) : [], rows: out, rowsAffected: affected, lastInsertId: lastId };
}

/**
 * Metadata with fields set (merged after any explicit metadata value); a NULL value removes the
 * field. Values are SQL values; JSON text stays text (write json(...) to nest a document).
 */
export function withFields(metadata: SqlValue | undefined, fields: readonly (readonly [string, SqlValue])[]): string {
  const meta = parseMetadata(metadata === undefined || metadata === null ? '{}' : metadata);
  for (const [name, v] of fields) {
    if (v === null) delete meta[name];
    else meta[name] = typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v instanceof Float32Array ? Array.from(v) : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v;
  }
  return JSON.stringify(meta);
}

function adjustRows(sc: StatementContext, table: TableDef, delta: number): void {
  const s = sc.committed.stats.get(table.id);
  if (!s) return;
  const rowCount = Math.max(0, s.rowCount + delta);
  sc.committed.stats.set(table.id, { ...s, rowCount });
  // When a table's size changes by a factor of two, cached plans may no longer be the best ones.
  if (Math.floor(Math.log2(s.rowCount + 1)) !== Math.floor(Math.log2(rowCount + 1))) sc.committed.version++;
}

/** The rows an UPDATE or DELETE targets: scan plus WHERE, planned like a query, materialized first. */
/** What UPDATE and DELETE target: a table (with FROM items for UPDATE … FROM) and a WHERE. */
interface Target {
  readonly table: TableDef;
  readonly alias: string;
  readonly where: Expression | undefined;
  readonly from?: FromItem | undefined;
  readonly bc: ReturnType<typeof bindContext>;
  /** Binds the statement's other expressions over the target row's columns. */
  readonly bindRest: (schema: readonly ColumnInfo[]) => void;
}

/** The plan of the rows an UPDATE or DELETE targets: the target scan (joined with FROM), filtered by WHERE. */
function targetPlan(sc: StatementContext, { table, alias, where, from, bc, bindRest }: Target): PhysicalPlan {
  const target = scanSchema(table, alias);
  let logical: LogicalPlan = { kind: 'Scan', table, indexes: sc.catalog.indexesOf(table.name), alias, schema: target };
  if (from) {
    // UPDATE … FROM (Postgres): the target joined with the FROM items; WHERE relates them.
    const right = bindFromItem(from, bc);
    logical = { kind: 'Join', joinType: 'CROSS', left: logical, right, condition: undefined, schema: [...target, ...right.schema] };
  }
  const schema = logical.schema;
  if (where) logical = { kind: 'Filter', input: logical, predicate: bindOver(where, schema, bc, 'WHERE'), schema };
  bindRest(schema);
  return plan(logical, { catalog: sc.committed });
}

/** The rows an UPDATE or DELETE targets, materialized before any is changed. */
async function targetRows(sc: StatementContext, target: Target): Promise<{ rows: Row[]; ctx: ReturnType<typeof execContext> }> {
  const { table, from, bc } = target;
  const physical = targetPlan(sc, target);
  sc.onPlan?.(physical);
  const ctx = execContext(sc, paramVector(sc, bc));
  let rows = await runPlan(physical, ctx);
  if (from) {
    // A target row that joins several FROM rows is updated once, with the first match (as Postgres).
    const seen = new Set<string>();
    rows = rows.filter((r) => {
      const k = Buffer.from(r[table.columns.length + 1] as Uint8Array).toString('latin1');
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  return { rows, ctx };
}

/** EXPLAIN of INSERT, UPDATE or DELETE: the operation over the plan of its source rows. */
export function explainDml(sc: StatementContext, stmt: InsertStatement | UpdateStatement | DeleteStatement): { header: string; physical: PhysicalPlan | undefined } {
  const table = sc.catalog.table(qualifiedName(stmt.table));
  const bc = bindContext(sc);
  if (stmt.kind === 'InsertStatement') {
    const b = boundInsert(sc, stmt, table);
    const rows = b.valuesRows?.length ?? (stmt.source.kind === 'DefaultValues' ? 1 : undefined);
    return { header: `Insert into ${table.name}${rows !== undefined ? ` (${rows} row${rows === 1 ? '' : 's'})` : ''}`, physical: b.queryPlan?.physical };
  }
  const alias = stmt.alias ? identName(stmt.alias) : table.name;
  const physical = targetPlan(sc, { table, alias, where: stmt.where, from: stmt.kind === 'UpdateStatement' ? stmt.from : undefined, bc, bindRest: () => {} });
  return { header: `${stmt.kind === 'UpdateStatement' ? 'Update' : 'Delete from'} ${table.name}`, physical };
}

/** Runs UPDATE. */
export async function update(sc: StatementContext, stmt: UpdateStatement): Promise<StatementResult> {
  const table = sc.catalog.table(qualifiedName(stmt.table));
  const alias = stmt.alias ? identName(stmt.alias) : table.name;
  const schema = scanSchema(table, alias);
  const bc = bindContext(sc);
  let assigns: { cols: number[]; fields: string[]; expr: BoundExpr }[] = [];
  let ret: ReturnType<typeof returning> | undefined;
  // In a collection, SET of a name that is not a column rewrites that metadata field.
  const target = (name: string): number =>
    table.collection ? table.columns.findIndex((col) => col.name.toLowerCase() === name.toLowerCase()) : columnIndex(table, name, sc.sql);
  const { rows, ctx } = await targetRows(sc, {
    table,
    alias,
    where: stmt.where,
    from: stmt.from,
    bc,
    bindRest: (joined) => {
      assigns = stmt.assignments.map((a: Assignment) => ({
        cols: a.columns.map((c) => target(c.name)).filter((i) => i >= 0),
        fields: a.columns.filter((c) => target(c.name) < 0).map((c) => c.name),
        expr: bindOver(a.value, joined, bc, 'SET'),
      }));
      if (stmt.returning.length > 0) ret = returning(stmt.returning, schema, sc, bc);
    },
  });
  const writer = TableWriter.open(sc, table);
  writer.checkMutable('UPDATE');
  writer.checkNotGenerated(assigns.flatMap((a) => a.cols));
  const env = makeEnv(ctx);
  const ex = new CompiledExprs(assigns.map((a) => a.expr), (s) => ctx.planSubquery(s.plan));
  const retEx = ret ? new CompiledExprs(ret.exprs, (s) => ctx.planSubquery(s.plan)) : undefined;
  const action: ConflictAction = stmt.conflict === 'IGNORE' ? 'IGNORE' : stmt.conflict === 'REPLACE' ? 'REPLACE' : 'ABORT';
  const out: SqlValue[][] = [];
  let affected = 0;
  const width = table.columns.length;
  for (const r of rows) {
    const key = r[width + 1] as Uint8Array;
    const old = r.slice(0, width);
    const vals = await evalRow(ex, r, env);
    const given: (SqlValue | undefined)[] = [...old];
    assigns.forEach((a, i) => a.cols.forEach((c) => (given[c] = vals[i]!)));
    const fieldSets = assigns.flatMap((a, i) => a.fields.map((f) => [f, vals[i]!] as const));
    if (fieldSets.length > 0) given[COLLECTION_COLUMNS.metadata] = withFields(given[COLLECTION_COLUMNS.metadata], fieldSets);
    const { row } = await writer.complete(given);
    writer.validate(row);
    const res = await writer.update(key, old, row, action);
    if (res.kind !== 'written') continue;
    affected++;
    if (retEx) out.push(await evalRow(retEx, [...res.row, res.rowid, res.key], env));
  }
  return { columns: ret?.names ?? [], columnTypes: ret ? ret.exprs.map((e) => e.type) : [], rows: out, rowsAffected: affected, lastInsertId: null };
}

/** Runs DELETE. */
export async function remove(sc: StatementContext, stmt: DeleteStatement): Promise<StatementResult> {
  const table = sc.catalog.table(qualifiedName(stmt.table));
  const alias = stmt.alias ? identName(stmt.alias) : table.name;
  const schema = scanSchema(table, alias);
  const bc = bindContext(sc);
  let ret: ReturnType<typeof returning> | undefined;
  const { rows, ctx } = await targetRows(sc, {
    table,
    alias,
    where: stmt.where,
    bc,
    bindRest: () => {
      if (stmt.returning.length > 0) ret = returning(stmt.returning, schema, sc, bc);
    },
  });
  const writer = TableWriter.open(sc, table);
  writer.checkMutable('DELETE');
  const env = makeEnv(ctx);
  const retEx = ret ? new CompiledExprs(ret.exprs, (s) => ctx.planSubquery(s.plan)) : undefined;
  const out: SqlValue[][] = [];
  let affected = 0;
  for (const r of rows) {
    const key = r[table.columns.length + 1] as Uint8Array;
    const row = await writer.deleteByKey(key);
    if (!row) continue;
    affected++;
    if (retEx) out.push(await evalRow(retEx, r, env));
  }
  adjustRows(sc, table, -affected);
  return { columns: ret?.names ?? [], columnTypes: ret ? ret.exprs.map((e) => e.type) : [], rows: out, rowsAffected: affected, lastInsertId: null };
}

// CREATE TABLE: turns the statement into a table definition, with implicit indexes for UNIQUE.

import type { ColumnDefinition, CreateTableStatement, Expression, IndexedColumn, TableConstraint } from '../../compiler/ast.js';
import { QueryBindError, QueryExecutionError } from '../../errors.js';
import { qualifiedName } from '../../compiler/binder/scope.js';
import { affinityOf, staticTypeOf, type ColumnDef, type ForeignKeyDef, type IndexDef, type TableDef } from '../../storage/catalog.js';
import { insertRow, keyValues, rowKey } from '../../storage/table-store.js';
import { applyAffinity } from '../value-ops.js';
import { bindContext, countResult, paramVector, planSelect, execContext, runPlan, type StatementContext, type StatementResult } from './context.js';

/** The SQL text of an expression as written. */
export function sqlOf(sc: { sql: string }, e: Expression): string {
  return sc.sql.slice(e.span.start, e.span.end);
}

function typeText(c: ColumnDefinition): string {
  if (!c.type) return '';
  return c.type.params.length > 0 ? `${c.type.name}(${c.type.params.join(',')})` : c.type.name;
}

function columnDef(sc: StatementContext, c: ColumnDefinition): ColumnDef & { pk: boolean; autoinc: boolean; unique: boolean; checks: string[]; fk?: ForeignKeyDef } {
  let declared = typeText(c);
  let identity = false;
  // Postgres SERIAL types are integers with an identity default.
  const serial = /^(SMALL|BIG)?SERIAL(2|4|8)?$/i.exec(declared);
  if (serial) {
    declared = serial[1]?.toUpperCase() === 'BIG' ? 'BIGINT' : 'INTEGER';
    identity = true;
  }
  let notNull = false;
  let pk = false;
  let autoinc = false;
  let unique = false;
  let generatedSql: string | undefined;
  let generatedStorage: 'STORED' | 'VIRTUAL' | undefined;
  let defaultSql: string | undefined;
  let collation: string | undefined;
  const checks: string[] = [];
  let fk: ForeignKeyDef | undefined;
  for (const k of c.constraints) {
    switch (k.kind) {
      case 'PrimaryKeyConstraint':
        pk = true;
        autoinc = k.autoincrement;
        break;
      case 'NotNullConstraint':
        notNull = true;
        break;
      case 'NullConstraint':
        break;
      case 'UniqueConstraint':
        unique = true;
        break;
      case 'CheckConstraint':
        checks.push(sqlOf(sc, k.expr));
        break;
      case 'DefaultConstraint':
        defaultSql = sqlOf(sc, k.value);
        break;
      case 'CollateConstraint':
        collation = k.collation.name.toUpperCase();
        break;
      case 'ReferencesConstraint':
        fk = {
          columns: [c.name.name],
          refTable: qualifiedName(k.foreignKey.table, false),
          refColumns: k.foreignKey.columns.map((x) => x.name),
          onDelete: k.foreignKey.onDelete ?? 'NO ACTION',
          onUpdate: k.foreignKey.onUpdate ?? 'NO ACTION',
          ...(k.name ? { name: k.name.name } : {}),
        };
        break;
      case 'GeneratedConstraint':
        if (k.identity) identity = true;
        else if (k.expr) {
          generatedSql = sqlOf(sc, k.expr);
          generatedStorage = k.storage ?? 'VIRTUAL';
        }
        break;
    }
  }
  if (identity) notNull = true;
  return {
    name: c.name.name,
    declaredType: declared,
    type: staticTypeOf(declared),
    affinity: affinityOf(declared),
    notNull,
    ...(defaultSql !== undefined ? { defaultSql } : {}),
    ...(collation ? { collation } : {}),
    ...(identity ? { identity } : {}),
    ...(generatedSql !== undefined ? { generatedSql, generatedStorage } : {}),
    pk,
    autoinc,
    unique,
    checks,
    ...(fk ? { fk } : {}),
  };
}

function columnIndex(names: readonly string[], id: { name: string }, sc: StatementContext): number {
  const i = names.findIndex((n) => n.toLowerCase() === id.name.toLowerCase());
  if (i < 0) throw new QueryBindError(`no such column: ${id.name}`, sc.sql);
  return i;
}

function indexedColumnName(ic: IndexedColumn): { name: string } {
  if (ic.expr.kind !== 'ColumnRef') throw new QueryExecutionError('indexes on expressions are not supported yet');
  return { name: ic.expr.column.name };
}

/** Builds the definition of a table (and its implicit unique indexes) from CREATE TABLE. */
export function tableDefinition(sc: StatementContext, stmt: CreateTableStatement, id: number, allocate: () => number): { table: TableDef; indexes: IndexDef[] } {
  const cols = stmt.columns.map((c) => columnDef(sc, c));
  const names = cols.map((c) => c.name);
  const dup = names.find((n, i) => names.findIndex((m) => m.toLowerCase() === n.toLowerCase()) !== i);
  if (dup) throw new QueryBindError(`duplicate column name: ${dup}`, sc.sql);
  let primaryKey: number[] = cols.flatMap((c, i) => (c.pk ? [i] : []));
  const uniques: { name?: string; columns: number[] }[] = cols.flatMap((c, i) => (c.unique ? [{ columns: [i] }] : []));
  const checks: { name?: string; sql: string }[] = cols.flatMap((c) => c.checks.map((s) => ({ sql: s })));
  const foreignKeys: ForeignKeyDef[] = cols.flatMap((c) => (c.fk ? [c.fk] : []));
  for (const k of stmt.constraints) addConstraint(sc, k, names, { primaryKey, uniques, checks, foreignKeys }, (pk) => (primaryKey = pk));
  if (primaryKey.length > 1 && cols.some((c) => c.pk)) throw new QueryExecutionError(`table "${qualifiedName(stmt.name, false)}" has more than one primary key`);
  // A single INTEGER PRIMARY KEY column is an alias of the rowid (SQLite), as are identity columns.
  const only = primaryKey.length === 1 ? cols[primaryKey[0]!]! : undefined;
  const rowidColumn = only && (only.declaredType.toUpperCase() === 'INTEGER' || only.identity || (only.declaredType.toUpperCase() === 'BIGINT' && only.identity)) ? primaryKey[0]! : -1;
  const autoincrement = cols.some((c) => c.autoinc || c.identity);
  const table: TableDef = {
    kind: 'table',
    id,
    name: qualifiedName(stmt.name, false),
    columns: cols.map(({ pk: _pk, autoinc: _a, unique: _u, checks: _c, fk: _f, ...def }) => def),
    primaryKey,
    rowidColumn,
    autoincrement,
    uniques,
    checks,
    foreignKeys,
  };
  const indexes: IndexDef[] = uniques.map((u, i) => ({
    kind: 'index',
    id: allocate(),
    name: u.name ?? `${table.name}_autoindex_${i + 1}`,
    table: table.name,
    columns: u.columns.map((c) => ({ column: c, desc: false })),
    unique: true,
    implicit: true,
  }));
  return { table, indexes };
}

interface ConstraintSink {
  primaryKey: number[];
  uniques: { name?: string; columns: number[] }[];
  checks: { name?: string; sql: string }[];
  foreignKeys: ForeignKeyDef[];
}

/** Adds a table constraint to a definition being built (CREATE TABLE or ALTER TABLE … ADD). */
export function addConstraint(sc: StatementContext, k: TableConstraint, names: readonly string[], sink: ConstraintSink, setPk: (pk: number[]) => void): void {
  const name = k.name ? k.name.name : undefined;
  switch (k.kind) {
    case 'PrimaryKeyTableConstraint':
      if (sink.primaryKey.length > 0) throw new QueryExecutionError('table has more than one primary key');
      setPk(k.columns.map((c) => columnIndex(names, indexedColumnName(c), sc)));
      return;
    case 'UniqueTableConstraint':
      sink.uniques.push({ ...(name ? { name } : {}), columns: k.columns.map((c) => columnIndex(names, indexedColumnName(c), sc)) });
      return;
    case 'CheckConstraint':
      sink.checks.push({ ...(name ? { name } : {}), sql: sqlOf(sc, k.expr) });
      return;
    case 'ForeignKeyTableConstraint':
      for (const c of k.columns) columnIndex(names, c, sc);
      sink.foreignKeys.push({
        ...(name ? { name } : {}),
        columns: k.columns.map((c) => c.name),
        refTable: qualifiedName(k.foreignKey.table, false),
        refColumns: k.foreignKey.columns.map((c) => c.name),
        onDelete: k.foreignKey.onDelete ?? 'NO ACTION',
        onUpdate: k.foreignKey.onUpdate ?? 'NO ACTION',
      });
      return;
  }
}

/** Runs CREATE TABLE (including CREATE TABLE … AS SELECT). */
export async function createTable(sc: StatementContext, stmt: CreateTableStatement, allocateId: () => number): Promise<StatementResult> {
  const name = qualifiedName(stmt.name, false);
  sc.catalog.touch(sc.txn, 'table', name);
  if (sc.catalog.get(name)) {
    if (stmt.ifNotExists) return countResult(0);
    throw new QueryExecutionError(`table ${name} already exists`);
  }
  if (stmt.asQuery) {
    const bc = bindContext(sc);
    const { physical } = planSelect(stmt.asQuery, sc, bc);
    const schema = physical.schema.filter((c) => !c.hidden);
    const table: TableDef = {
      kind: 'table',
      id: allocateId(),
      name,
      columns: schema.map((c) => {
        const declared = c.type === 'integer' ? 'INTEGER' : c.type === 'real' ? 'REAL' : c.type === 'text' ? 'TEXT' : c.type === 'blob' ? 'BLOB' : '';
        return { name: c.name, declaredType: declared, type: staticTypeOf(declared), affinity: affinityOf(declared), notNull: false };
      }),
      primaryKey: [],
      rowidColumn: -1,
      autoincrement: false,
      uniques: [],
      checks: [],
      foreignKeys: [],
    };
    sc.catalog.put(sc.txn, table);
    sc.txn.noteCreatedTable(table.id);
    const rows = await runPlan(physical, execContext(sc, paramVector(sc, bc)));
    for (const r of rows) {
      const values = table.columns.map((c, i) => applyAffinity(r[i] ?? null, c.declaredType));
      const rowid = await sc.rowids.allocate(sc.txn, table);
      const kv = keyValues(table, values, rowid);
      insertRow(sc.txn, table, [], rowKey(table, kv), values);
      sc.txn.noteInsert(table.id, values);
    }
    sc.committed.stats.set(table.id, { rowCount: rows.length, distinct: [] });
    return countResult(0);
  }
  const { table, indexes } = tableDefinition(sc, stmt, allocateId(), allocateId);
  sc.catalog.put(sc.txn, table);
  sc.txn.noteCreatedTable(table.id);
  for (const ix of indexes) sc.catalog.put(sc.txn, ix);
  sc.committed.stats.set(table.id, { rowCount: 0, distinct: [] });
  return countResult(0);
}

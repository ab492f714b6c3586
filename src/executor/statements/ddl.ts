// DROP TABLE, CREATE / DROP VIEW, ALTER TABLE, ANALYZE and REINDEX (CREATE / DROP INDEX: create-index.ts).

import type { AlterTableStatement, AnalyzeStatement, ReindexStatement, CreateViewStatement, DropTableStatement, DropViewStatement } from '../../compiler/ast.js';
import { expressionReads } from '../../compiler/binder/bind-index.js';
import { qualifiedName } from '../../compiler/binder/scope.js';
import { ConstraintError, QueryExecutionError } from '../../errors.js';
import { prefixEnd } from '../../storage/bytes.js';
import { encodeKey } from '../../storage/key-codec.js';
import { KeyTag, tagged } from '../../storage/keyspace.js';
import { affinityOf, isOrderedIndex, itemColumn, staticTypeOf, type ColumnDef, type IndexDef, type TableDef } from '../../storage/catalog.js';
import { decodeRow, encodeRow } from '../../storage/row-codec.js';
import { indexPrefix, scanTable, tablePrefix } from '../../storage/table-store.js';
import { hashKey } from '../compile-expr.js';
import type { SqlValue } from '../value.js';
import type { StatementContext, StatementResult } from './context.js';
import { countResult } from './context.js';
import { addConstraint, sqlOf } from './create-table.js';
import { TableWriter } from './table-writer.js';
import { buildIndex, dropIndexData } from './create-index.js';

/** Deletes every key in [prefix, prefixEnd(prefix)) within the transaction. */
export async function deleteRange(sc: StatementContext, prefix: Uint8Array): Promise<number> {
  const cursor = sc.txn.scan({ gte: prefix, lt: prefixEnd(prefix)! });
  let n = 0;
  try {
    for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
      for (const k of b.keys) sc.txn.delete(k);
      n += b.keys.length;
    }
  } finally {
    await cursor.close();
  }
  return n;
}

/** Runs DROP TABLE. */
export async function dropTable(sc: StatementContext, stmt: DropTableStatement): Promise<StatementResult> {
  for (const n of stmt.names) {
    const name = qualifiedName(n);
    sc.catalog.touch(sc.txn, 'table', name);
    const obj = sc.catalog.get(name);
    if (obj?.kind !== 'table') {
      if (stmt.ifExists) continue;
      throw new QueryExecutionError(obj ? `${name} is a ${obj.kind}, not a table (use DROP ${obj.kind.toUpperCase()})` : `no such table: ${name}`);
    }
    for (const other of sc.catalog.all()) {
      if (other.kind === 'table' && other !== obj && other.foreignKeys.some((fk) => fk.refTable.toLowerCase() === name.toLowerCase()) && stmt.behavior !== 'CASCADE') {
        // Like SQLite with foreign keys on: dropping a referenced table fails only if rows still reference it.
        const cursor = scanTable(sc.txn, other);
        const any = (await cursor.nextBatch()).keys.length > 0;
        await cursor.close();
        if (any) throw new ConstraintError(`FOREIGN KEY constraint failed: ${other.name} references ${name}`);
      }
    }
    for (const ix of sc.catalog.indexesOf(obj.name)) await dropIndexData(sc, ix);
    sc.txn.touchTable(obj.id);
    sc.txn.delete(tagged(KeyTag.STATS, encodeKey([obj.id])));
    // A collection's BM25 postings go with it; its ANN index follows the catalog.
    if (obj.collection) await deleteRange(sc, tagged(KeyTag.TEXT, encodeKey([obj.collection.textIndexId])));
    await deleteRange(sc, tablePrefix(obj));
    sc.catalog.drop(sc.txn, obj);
    sc.rowids.forget(obj.id);
  }
  return countResult(0);
}

/** Runs CREATE VIEW. */
export async function createView(sc: StatementContext, stmt: CreateViewStatement): Promise<StatementResult> {
  const name = qualifiedName(stmt.name);
  const existing = sc.catalog.get(name);
  if (existing) {
    if (stmt.ifNotExists) return countResult(0);
    if (!(stmt.orReplace && existing.kind === 'view')) throw new QueryExecutionError(`${existing.kind} ${name} already exists`);
  }
  const sql = sc.sql.slice(stmt.query.span.start, stmt.query.span.end);
  sc.catalog.put(sc.txn, { kind: 'view', name: stmt.name.name.name, sql, ...(stmt.columns.length > 0 ? { columns: stmt.columns.map((c) => c.name) } : {}) });
  return countResult(0);
}

/** Runs DROP VIEW. */
export async function dropView(sc: StatementContext, stmt: DropViewStatement): Promise<StatementResult> {
  for (const n of stmt.names) {
    const name = qualifiedName(n);
    const obj = sc.catalog.get(name);
    if (obj?.kind !== 'view') {
      if (stmt.ifExists) continue;
      throw new QueryExecutionError(`no such view: ${name}`);
    }
    sc.catalog.drop(sc.txn, obj);
  }
  return countResult(0);
}

/** Runs ALTER TABLE. */
export async function alterTable(sc: StatementContext, stmt: AlterTableStatement, allocateId: () => number): Promise<StatementResult> {
  const obj = sc.catalog.get(qualifiedName(stmt.table));
  if (obj?.kind !== 'table') {
    if (stmt.ifExists) return countResult(0);
    throw new QueryExecutionError(`no such table: ${stmt.table.name.name}`);
  }
  let table: TableDef = obj;
  for (const action of stmt.actions) {
    switch (action.kind) {
      case 'AddColumnAction': {
        const c = action.column;
        if (table.columns.some((x) => x.name.toLowerCase() === c.name.name.toLowerCase())) {
          if (action.ifNotExists) continue;
          throw new QueryExecutionError(`duplicate column name: ${c.name.name}`);
        }
        const declared = c.type ? (c.type.params.length > 0 ? `${c.type.name}(${c.type.params.join(',')})` : c.type.name) : '';
        const def = c.constraints.find((k) => k.kind === 'DefaultConstraint');
        const col: ColumnDef = {
          name: c.name.name,
          declaredType: declared,
          type: staticTypeOf(declared),
          affinity: affinityOf(declared),
          notNull: c.constraints.some((k) => k.kind === 'NotNullConstraint'),
          ...(def && def.kind === 'DefaultConstraint' ? { defaultSql: sqlOf(sc, def.value) } : {}),
        };
        if (col.notNull && !col.defaultSql) throw new QueryExecutionError('cannot add a NOT NULL column without a default value');
        table = { ...table, columns: [...table.columns, col] };
        await rewriteRows(sc, obj, table);
        break;
      }
      case 'RenameTableAction': {
        const newName = action.newName.name;
        if (sc.catalog.get(newName)) throw new QueryExecutionError(`there is already another table or index with this name: ${newName}`);
        for (const ix of sc.catalog.indexesOf(table.name)) sc.catalog.put(sc.txn, { ...ix, table: newName });
        sc.catalog.drop(sc.txn, table);
        table = { ...table, name: newName };
        break;
      }
      case 'RenameColumnAction': {
        const i = table.columns.findIndex((c) => c.name.toLowerCase() === action.column.name.toLowerCase());
        if (i < 0) throw new QueryExecutionError(`no such column: ${action.column.name}`);
        const old = table.columns[i]!.name;
        // An index expression names its columns in its SQL text, which a rename would leave behind.
        const reader = sc.catalog.indexesOf(table.name).find((ix) => expressionReads(ix, table, i));
        if (reader) throw new QueryExecutionError(`cannot rename column "${old}": the expression of index ${reader.name} reads it (drop the index first)`);
        table = {
          ...table,
          columns: table.columns.map((c, j) => (j === i ? { ...c, name: action.newName.name } : c)),
          foreignKeys: table.foreignKeys.map((fk) => ({ ...fk, columns: fk.columns.map((c) => (c.toLowerCase() === old.toLowerCase() ? action.newName.name : c)) })),
        };
        break;
      }
      case 'AddConstraintAction': {
        const sink = { primaryKey: [...table.primaryKey], uniques: table.uniques.map((u) => ({ ...u, columns: [...u.columns] })), checks: [...table.checks], foreignKeys: [...table.foreignKeys] };
        addConstraint(sc, action.constraint, table.columns.map((c) => c.name), sink, () => {
          throw new QueryExecutionError('cannot add a PRIMARY KEY to an existing table');
        });
        table = { ...table, uniques: sink.uniques, checks: sink.checks, foreignKeys: sink.foreignKeys };
        if (sink.uniques.length > obj.uniques.length) {
          const u = sink.uniques[sink.uniques.length - 1]!;
          const ix: IndexDef = { kind: 'index', id: allocateId(), name: u.name ?? `${table.name}_autoindex_${sink.uniques.length}`, table: table.name, columns: u.columns.map((c) => ({ column: c, desc: false })), unique: true, implicit: true };
          await buildIndex(sc, table, ix);
          sc.catalog.put(sc.txn, ix);
        }
        break;
      }
      case 'DropColumnAction': {
        const i = table.columns.findIndex((c) => c.name.toLowerCase() === action.column.name.toLowerCase());
        if (i < 0) {
          if (action.ifExists) continue;
          throw new QueryExecutionError(`no such column: ${action.column.name}`);
        }
        table = await dropColumn(sc, table, i);
        break;
      }
      case 'DropConstraintAction': {
        const name = action.constraint.name.toLowerCase();
        const same = (n: string | undefined) => n !== undefined && n.toLowerCase() === name;
        const uniqueIndex = sc.catalog.indexesOf(table.name).find((ix) => ix.implicit && same(ix.name));
        const u = table.uniques.findIndex((x, k) => same(x.name) || (uniqueIndex !== undefined && !x.name && same(`${table.name}_autoindex_${k + 1}`)));
        if (u >= 0 || uniqueIndex) {
          const ix = uniqueIndex ?? sc.catalog.indexesOf(table.name).find((i) => i.implicit && i.columns.map(itemColumn).join() === table.uniques[u]!.columns.join());
          if (ix) {
            await deleteRange(sc, indexPrefix(ix));
            sc.catalog.drop(sc.txn, ix);
          }
          table = { ...table, uniques: table.uniques.filter((_, k) => k !== u) };
        } else if (table.checks.some((c) => same(c.name))) {
          table = { ...table, checks: table.checks.filter((c) => !same(c.name)) };
        } else if (table.foreignKeys.some((fk) => same(fk.name))) {
          table = { ...table, foreignKeys: table.foreignKeys.filter((fk) => !same(fk.name)) };
        } else if (!action.ifExists) {
          throw new QueryExecutionError(`no such constraint: ${action.constraint.name} on ${table.name}`);
        }
        break;
      }
    }
  }
  sc.catalog.put(sc.txn, table);
  return countResult(0);
}

/**
 * ALTER TABLE … DROP COLUMN: refused (as in SQLite) when the column is part of the primary key,
 * an index, a UNIQUE or foreign-key constraint, or named by a CHECK; otherwise every row is
 * re-encoded without it and column positions after it shift down.
 */
async function dropColumn(sc: StatementContext, table: TableDef, i: number): Promise<TableDef> {
  const name = table.columns[i]!.name;
  const refused = (why: string) => new QueryExecutionError(`cannot drop column "${name}": ${why}`);
  if (table.columns.length === 1) throw refused('it is the only column');
  if (table.primaryKey.includes(i)) throw refused('it is part of the primary key');
  if (table.uniques.some((u) => u.columns.includes(i))) throw refused('it is part of a UNIQUE constraint');
  if (table.foreignKeys.some((fk) => fk.columns.some((c) => c.toLowerCase() === name.toLowerCase()))) throw refused('it is part of a foreign key');
  if (table.checks.some((c) => new RegExp(`\\b${name.replace(/[^A-Za-z0-9_]/g, '')}\\b`, 'i').test(c.sql))) throw refused('a CHECK constraint names it');
  const indexes = sc.catalog.indexesOf(table.name);
  if (indexes.some((ix) => ix.columns.some((c) => itemColumn(c) === i) || expressionReads(ix, table, i))) throw refused('it is indexed');
  const shift = (c: number) => (c > i ? c - 1 : c);
  const after: TableDef = {
    ...table,
    columns: table.columns.filter((_, j) => j !== i),
    primaryKey: table.primaryKey.map(shift),
    rowidColumn: table.rowidColumn < 0 ? -1 : shift(table.rowidColumn),
    uniques: table.uniques.map((u) => ({ ...u, columns: u.columns.map(shift) })),
  };
  sc.txn.touchTable(table.id);
  const cursor = scanTable(sc.txn, table);
  try {
    for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
      for (let k = 0; k < b.keys.length; k++) {
        const row = decodeRow(b.payloads[k]!);
        row.splice(i, 1);
        sc.txn.put(b.keys[k]!, encodeRow(row));
      }
    }
  } finally {
    await cursor.close();
  }
  // Expression items name columns in their SQL text, which binds to the new positions by itself.
  for (const ix of indexes) sc.catalog.put(sc.txn, { ...ix, columns: ix.columns.map((c) => ('column' in c ? { ...c, column: shift(c.column) } : c)) });
  return after;
}

/** Re-encodes every row after ADD COLUMN, filling the new column with its default (constant defaults only). */
async function rewriteRows(sc: StatementContext, before: TableDef, after: TableDef): Promise<void> {
  const writer = TableWriter.open(sc, after);
  sc.txn.touchTable(before.id);
  const cursor = scanTable(sc.txn, before);
  try {
    for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
      for (let i = 0; i < b.keys.length; i++) {
        const row = decodeRow(b.payloads[i]!);
        const given = [...row, ...new Array(after.columns.length - row.length).fill(undefined)];
        const { row: full } = await writer.complete(given);
        sc.txn.put(b.keys[i]!, encodeRow(full));
      }
    }
  } finally {
    await cursor.close();
  }
}

/**
 * The distinct values of a column, counted as one Set of hashKey(value) would count them. Numbers
 * and text go into Sets of their own, so that text is not copied into a prefixed key per row; the
 * three key spaces never overlap, so the sizes add up.
 */
class DistinctValues {
  private readonly numbers = new Set<number>();
  private readonly texts = new Set<string>();
  private readonly others = new Set<string>();

  get size(): number {
    return this.numbers.size + this.texts.size + this.others.size;
  }

  add(v: SqlValue): void {
    if (typeof v === 'number') this.numbers.add(v);
    else if (typeof v === 'string') this.texts.add(v);
    else {
      const k = hashKey(v);
      if (typeof k === 'number') this.numbers.add(k);
      else this.others.add(k);
    }
  }
}

/** Runs ANALYZE: exact row counts and distinct values per column, for the cost model. */
export async function analyze(sc: StatementContext, stmt: AnalyzeStatement): Promise<StatementResult> {
  const tables = stmt.target ? [sc.catalog.table(qualifiedName(stmt.target))] : sc.catalog.all().filter((o): o is TableDef => o.kind === 'table');
  for (const t of tables) {
    const sets = t.columns.map(() => new DistinctValues());
    let n = 0;
    const cursor = scanTable(sc.txn, t);
    try {
      for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
        for (const p of b.payloads) {
          const row = decodeRow(p);
          n++;
          for (let i = 0; i < sets.length; i++) if (row[i] != null && sets[i]!.size < 100_000) sets[i]!.add(row[i]!);
        }
      }
    } finally {
      await cursor.close();
    }
    sc.committed.saveStats(sc.txn, t.id, { rowCount: n, distinct: sets.map((s) => s.size) });
  }
  // New statistics may change plans: cached ones are dropped.
  sc.committed.version++;
  return countResult(0);
}

/** Runs REINDEX: drops and rebuilds the entries of the named index, the named table's indexes, or all. */
export async function reindex(sc: StatementContext, stmt: ReindexStatement): Promise<StatementResult> {
  const name = stmt.target ? qualifiedName(stmt.target) : undefined;
  const target = name === undefined ? undefined : sc.catalog.get(name);
  if (name !== undefined && !target) throw new QueryExecutionError(`unable to identify the object to be reindexed: ${name}`);
  const indexes = sc.catalog
    .all()
    .filter((o): o is IndexDef => o.kind === 'index' && isOrderedIndex(o))
    .filter((ix) => !target || (target.kind === 'index' ? ix === target : target.kind === 'table' && ix.table.toLowerCase() === target.name.toLowerCase()));
  for (const ix of indexes) {
    await deleteRange(sc, indexPrefix(ix));
    await buildIndex(sc, sc.catalog.table(ix.table), ix);
  }
  return countResult(0);
}

// DROP TABLE, CREATE / DROP INDEX, CREATE / DROP VIEW, ALTER TABLE, and ANALYZE.

import type { AlterTableStatement, AnalyzeStatement, ReindexStatement, CreateIndexStatement, CreateViewStatement, DropIndexStatement, DropTableStatement, DropViewStatement } from '../../compiler/ast.js';
import { qualifiedName } from '../../compiler/binder/scope.js';
import { ConstraintError, QueryExecutionError } from '../../errors.js';
import { prefixEnd } from '../../storage/bytes.js';
import { encodeKey } from '../../storage/key-codec.js';
import { KeyTag, tagged } from '../../storage/keyspace.js';
import { affinityOf, isOrderedIndex, staticTypeOf, type ColumnDef, type IndexDef, type TableDef } from '../../storage/catalog.js';
import { decodeRow, encodeRow } from '../../storage/row-codec.js';
import { indexPrefix, insertRow, rowKeyValues, scanTable, tablePrefix } from '../../storage/table-store.js';
import { hashKey } from '../compile-expr.js';
import type { SqlValue } from '../value.js';
import type { StatementContext, StatementResult } from './context.js';
import { countResult } from './context.js';
import { addConstraint, sqlOf } from './create-table.js';
import { bm25IndexDef, buildPostings, hnswIndexDef } from './search-index-ddl.js';
import { TableWriter, indexHandle } from './table-writer.js';

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

/** Builds an index's entries from the table's rows (those its WHERE admits), checking uniqueness. */
async function buildIndex(sc: StatementContext, table: TableDef, ix: IndexDef): Promise<void> {
  const handle = indexHandle(sc, table, ix);
  const cursor = scanTable(sc.txn, table);
  const seen = ix.unique ? new Set<string>() : undefined;
  try {
    for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
      for (let i = 0; i < b.keys.length; i++) {
        const row = decodeRow(b.payloads[i]!);
        if (handle.predicate && !handle.predicate(row)) continue;
        const vals = ix.columns.map((c) => row[c.column] ?? null);
        if (seen && vals.every((v) => v !== null)) {
          const k = vals.map((v) => String(hashKey(v!))).join('\u0001');
          if (seen.has(k)) throw new ConstraintError(`UNIQUE constraint failed: ${ix.columns.map((c) => `${table.name}.${table.columns[c.column]!.name}`).join(', ')}`);
          seen.add(k);
        }
        // insertRow writes the row again (same bytes) along with this index's entry.
        insertRow(sc.txn, table, [handle], b.keys[i]!, rowKeyValues(b.keys[i]!), row);
      }
    }
  } finally {
    await cursor.close();
  }
}

/** Runs CREATE INDEX. */
export async function createIndex(sc: StatementContext, stmt: CreateIndexStatement, allocateId: () => number): Promise<StatementResult> {
  const table = sc.catalog.table(qualifiedName(stmt.table));
  const name = stmt.name ? qualifiedName(stmt.name) : `${table.name}_${stmt.columns.map((c) => (c.expr.kind === 'ColumnRef' ? c.expr.column.name : 'expr')).join('_')}_idx`;
  sc.catalog.touch(sc.txn, 'index', name);
  if (sc.catalog.get(name)) {
    if (stmt.ifNotExists) return countResult(0);
    throw new QueryExecutionError(`index ${name} already exists`);
  }
  const method = stmt.method?.name.toLowerCase();
  if (method === 'hnsw') {
    sc.catalog.put(sc.txn, hnswIndexDef(stmt, table, name, allocateId()));
    return countResult(0);
  }
  if (method === 'bm25') {
    const ix = bm25IndexDef(stmt, table, name, allocateId());
    await buildPostings(sc, table, ix);
    sc.catalog.put(sc.txn, ix);
    return countResult(0);
  }
  if (method && method !== 'btree' && method !== 'lsm') throw new QueryExecutionError(`index method ${method} is not supported for tables (use btree, hnsw or bm25)`);
  const columns = stmt.columns.map((c) => {
    if (c.expr.kind !== 'ColumnRef') throw new QueryExecutionError('indexes on expressions are not supported yet');
    const ref = c.expr.column;
    const i = table.columns.findIndex((col) => col.name.toLowerCase() === ref.name.toLowerCase());
    if (i < 0) throw new QueryExecutionError(`no such column: ${ref.name}`);
    return { column: i, desc: c.direction === 'DESC' };
  });
  const ix: IndexDef = { kind: 'index', id: allocateId(), name, table: table.name, columns, unique: stmt.unique, implicit: false, ...(stmt.where ? { whereSql: sqlOf(sc, stmt.where) } : {}) };
  await buildIndex(sc, table, ix);
  sc.catalog.put(sc.txn, ix);
  return countResult(0);
}

/** Removes an index's entries (a bm25 index's postings) and its catalog entry; an ANN index follows the catalog. */
async function dropIndexData(sc: StatementContext, ix: IndexDef): Promise<void> {
  await deleteRange(sc, ix.method === 'bm25' ? tagged(KeyTag.TEXT, encodeKey([ix.id])) : indexPrefix(ix));
  sc.catalog.drop(sc.txn, ix);
}

/** Runs DROP INDEX. */
export async function dropIndex(sc: StatementContext, stmt: DropIndexStatement): Promise<StatementResult> {
  for (const n of stmt.names) {
    const name = qualifiedName(n);
    const obj = sc.catalog.get(name);
    if (obj?.kind !== 'index') {
      if (stmt.ifExists) continue;
      throw new QueryExecutionError(`no such index: ${name}`);
    }
    if (obj.implicit) throw new QueryExecutionError(`index ${name} belongs to a UNIQUE or PRIMARY KEY constraint and cannot be dropped`);
    await dropIndexData(sc, obj);
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
          const ix = uniqueIndex ?? sc.catalog.indexesOf(table.name).find((i) => i.implicit && i.columns.map((c) => c.column).join() === table.uniques[u]!.columns.join());
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
  if (indexes.some((ix) => ix.columns.some((c) => c.column === i))) throw refused('it is indexed');
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
  for (const ix of indexes) sc.catalog.put(sc.txn, { ...ix, columns: ix.columns.map((c) => ({ ...c, column: shift(c.column) })) });
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

// CREATE INDEX (column and expression items, UNIQUE, partial) and DROP INDEX, and building an index's entries.

import type { CreateIndexStatement, DropIndexStatement } from '../../compiler/ast.js';
import { bindIndexItem } from '../../compiler/binder/bind-index.js';
import { qualifiedName } from '../../compiler/binder/scope.js';
import { ConstraintError, QueryExecutionError } from '../../errors.js';
import type { IndexDef, IndexItem, TableDef } from '../../storage/catalog.js';
import { decodeRow } from '../../storage/row-codec.js';
import { indexPrefix, indexValues, insertIndexEntry, scanTable, uniqueTarget } from '../../storage/table-store.js';
import { hashKey } from '../compile-expr.js';
import { bindContext, countResult, type StatementContext, type StatementResult } from './context.js';
import { sqlOf } from './create-table.js';
import { deleteRange } from './ddl.js';
import { indexHandle } from './table-writer.js';
import { bm25IndexDef, buildPostings, hnswIndexDef } from './search-index-ddl.js';
import { encodeKey } from '../../storage/key-codec.js';
import { KeyTag, tagged } from '../../storage/keyspace.js';

/** Builds an index's entries from the table's rows (those its WHERE admits), checking uniqueness. */
export async function buildIndex(sc: StatementContext, table: TableDef, ix: IndexDef): Promise<void> {
  const handle = indexHandle(sc, table, ix);
  const cursor = scanTable(sc.txn, table);
  const seen = ix.unique ? new Set<string>() : undefined;
  try {
    for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
      for (let i = 0; i < b.keys.length; i++) {
        const row = decodeRow(b.payloads[i]!);
        if (handle.predicate && !handle.predicate(row)) continue;
        const vals = indexValues(handle, row);
        if (seen && vals.every((v) => v !== null)) {
          const k = vals.map((v) => String(hashKey(v!))).join('\u0001');
          if (seen.has(k)) throw new ConstraintError(`UNIQUE constraint failed: ${uniqueTarget(table, ix)}`, { details: { index: ix.name } });
          seen.add(k);
        }
        insertIndexEntry(sc.txn, table, handle, b.keys[i]!, row);
      }
    }
  } finally {
    await cursor.close();
  }
}

/**
 * The items of CREATE INDEX: a name that is a column of the table is a column item; anything
 * else (an expression, or a collection's metadata field, which binds to its extraction) is
 * bound and checked now, and kept as its SQL text.
 */
function indexItems(sc: StatementContext, stmt: CreateIndexStatement, table: TableDef): IndexItem[] {
  const bc = bindContext(sc);
  return stmt.columns.map((c): IndexItem => {
    const desc = c.direction === 'DESC';
    const e = bindIndexItem(c.expr, table, bc);
    if (e.kind === 'Column') return { column: e.index, desc };
    return { exprSql: withoutOuterParens(sqlOf(sc, c.expr)), desc };
  });
}

/** The text of an expression without parentheses around all of it: `(lower(email))` → `lower(email)`. */
export function withoutOuterParens(sql: string): string {
  let s = sql.trim();
  while (s.startsWith('(') && s.endsWith(')') && closingParen(s) === s.length - 1) s = s.slice(1, -1).trim();
  return s;
}

/** The position of the parenthesis that closes the one at 0 (quoted text and names skipped), or -1. */
function closingParen(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const close = ch === "'" ? "'" : ch === '"' ? '"' : ch === '`' ? '`' : ch === '[' ? ']' : undefined;
    if (close) {
      // A doubled quote inside quoted text is the quote itself; scanning on past it is the same.
      const end = s.indexOf(close, i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/**
 * The name of an index created without one, as Postgres makes it: table, then per item its column
 * or function name ('expr' for other expressions), then `idx`. An expression index whose name is
 * taken gets the first free numbered variant (users_lower_idx1), so that two unnamed expression
 * indexes can coexist; a column index keeps the plain name (a repeat fails or, with IF NOT
 * EXISTS, does nothing, as before).
 */
function defaultName(sc: StatementContext, stmt: CreateIndexStatement, table: TableDef): string {
  const part = (e: CreateIndexStatement['columns'][number]['expr']) => (e.kind === 'ColumnRef' ? e.column.name : e.kind === 'FunctionCall' ? e.name.name.name.toLowerCase() : 'expr');
  const base = `${table.name}_${stmt.columns.map((c) => part(c.expr)).join('_')}_idx`;
  if (stmt.ifNotExists || stmt.columns.every((c) => c.expr.kind === 'ColumnRef')) return base;
  let name = base;
  for (let i = 1; sc.catalog.get(name); i++) name = `${base}${i}`;
  return name;
}

/** Runs CREATE INDEX. */
export async function createIndex(sc: StatementContext, stmt: CreateIndexStatement, allocateId: () => number): Promise<StatementResult> {
  const table = sc.catalog.table(qualifiedName(stmt.table));
  const name = stmt.name ? qualifiedName(stmt.name) : defaultName(sc, stmt, table);
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
    sc.catalog.put(sc.txn, table); // writes tableSchemaKey: concurrent writers of the table conflict
    return countResult(0);
  }
  if (method && method !== 'btree' && method !== 'lsm') throw new QueryExecutionError(`index method ${method} is not supported for tables (use btree, hnsw or bm25)`);
  const columns = indexItems(sc, stmt, table);
  const ix: IndexDef = { kind: 'index', id: allocateId(), name, table: table.name, columns, unique: stmt.unique, implicit: false, ...(stmt.where ? { whereSql: sqlOf(sc, stmt.where) } : {}) };
  await buildIndex(sc, table, ix);
  sc.catalog.put(sc.txn, ix);
  sc.catalog.put(sc.txn, table); // writes tableSchemaKey: concurrent writers of the table conflict
  return countResult(0);
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

/** Removes an index's entries (a bm25 index's postings) and its catalog entry; an ANN index follows the catalog. */
export async function dropIndexData(sc: StatementContext, ix: IndexDef): Promise<void> {
  await deleteRange(sc, ix.method === 'bm25' ? tagged(KeyTag.TEXT, encodeKey([ix.id])) : indexPrefix(ix));
  sc.catalog.drop(sc.txn, ix);
}

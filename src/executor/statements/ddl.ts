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
import { seededRandom } from '../../util/random.js';
import type { SqlValue } from '../value.js';
import type { StatementContext, StatementResult } from './context.js';
import { countResult } from './context.js';
import { addConstraint, sqlOf } from './create-table.js';
import { TableWriter } from './table-writer.js';
import { buildIndex, dropIndexData } from './create-index.js';
import { buildHistogram, histogramValue, type HistogramValue } from '../../storage/histogram.js';

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

/** Rows ANALYZE reads values from (Postgres samples 300 × its statistics target, 100, the same). */
export const ANALYZE_SAMPLE_ROWS = 30_000;

/**
 * How often each distinct value of a column occurs in a sample, keyed as hashKey(value) would
 * key it. Numbers and text go into maps of their own, so that text is not copied into a prefixed
 * key per row; the three key spaces never overlap, so the counts add up.
 */
class SampleCounts {
  private readonly numbers = new Map<number, number>();
  private readonly texts = new Map<string, number>();
  private readonly others = new Map<string, number>();
  /** Values seen in the sample (NULLs are not values). */
  values = 0;

  add(v: SqlValue): void {
    this.values++;
    if (typeof v === 'number') this.numbers.set(v, (this.numbers.get(v) ?? 0) + 1);
    else if (typeof v === 'string') this.texts.set(v, (this.texts.get(v) ?? 0) + 1);
    else {
      const k = hashKey(v);
      if (typeof k === 'number') this.numbers.set(k, (this.numbers.get(k) ?? 0) + 1);
      else this.others.set(k, (this.others.get(k) ?? 0) + 1);
    }
  }

  /** Distinct values in the sample, and how many of them occur exactly once. */
  summary(): { distinct: number; once: number } {
    let once = 0;
    for (const m of [this.numbers, this.texts, this.others]) for (const c of m.values()) if (c === 1) once++;
    return { distinct: this.numbers.size + this.texts.size + this.others.size, once };
  }
}

/**
 * Distinct values of a column from a sample of `sampled` of its `total` non-NULL values, with
 * `distinct` different values of which `once` occur once: Haas and Stokes' Duj1 estimator, as
 * Postgres uses, n·d / (n − f1 + f1·n / N). A full sample gives the exact count; a sample of
 * values all different suggests a unique column; one where every value repeats has likely seen
 * them all.
 */
export function estimateDistinct(distinct: number, once: number, sampled: number, total: number): number {
  if (sampled >= total || distinct === 0) return distinct;
  if (once === sampled) return total;
  const d = (sampled * distinct) / (sampled - once + (once * sampled) / total);
  return Math.round(Math.min(total, Math.max(distinct, d)));
}

/**
 * Runs ANALYZE: the exact row count of each table; per column, the fraction of NULLs, an
 * equi-depth histogram (histogram.ts) and the distinct values. A large table that keeps insert
 * sketches (table-sketch.ts) gives them without a scan; any other is scanned, and a random sample
 * of about ANALYZE_SAMPLE_ROWS rows decoded (every row of a table up to twice that size, so small
 * tables get exact counts). The sample is drawn row by row with a fixed seed, not every k-th row,
 * which would alias with periodic data (every second row of `i % 700` holds only 350 values).
 */
export async function analyze(sc: StatementContext, stmt: AnalyzeStatement): Promise<StatementResult> {
  const tables = stmt.target ? [sc.catalog.table(qualifiedName(stmt.target))] : sc.catalog.all().filter((o): o is TableDef => o.kind === 'table');
  const analyzed: SqlValue[][] = [];
  for (const t of tables) {
    // Vector columns get no distinct count (the insert sketches keep none): no plan asks for one.
    const vectors = t.columns.map((c) => c.type === 'vector');
    // A large table that only inserts have changed since its creation (in this process) has its
    // row count and distinct values kept by those inserts (table-sketch.ts): no scan needed.
    const sketch = sc.txn.tableSketch(t.id);
    if (sketch && sketch.rows > 2 * ANALYZE_SAMPLE_ROWS) {
      const w = t.columns.length;
      const distinct = sketch.distinct(w).map((d, i) => (vectors[i] ? undefined : d));
      sc.committed.saveStats(sc.txn, t.id, { rowCount: sketch.rows, distinct, nullFraction: sketch.nullFraction(w), histograms: sketch.histograms(w) });
      analyzed.push([t.name, sketch.rows]);
      continue;
    }
    // The writes keep the row count close; an estimate that is off only makes the sample larger
    // or smaller.
    const expected = sc.committed.stats.get(t.id)?.rowCount ?? 0;
    const p = expected <= 2 * ANALYZE_SAMPLE_ROWS ? 1 : ANALYZE_SAMPLE_ROWS / expected;
    const random = seededRandom(t.id);
    const counts = t.columns.map(() => new SampleCounts());
    const ranged = t.columns.map((): HistogramValue[] => []);
    let n = 0;
    let sampled = 0;
    const cursor = scanTable(sc.txn, t);
    try {
      for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
        const payloads = b.payloads;
        n += payloads.length;
        for (let i = 0; i < payloads.length; i++) {
          if (p < 1 && random() >= p) continue;
          const row = decodeRow(payloads[i]!);
          sampled++;
          for (let c = 0; c < counts.length; c++) {
            const v = row[c];
            if (v == null || vectors[c]) continue;
            counts[c]!.add(v);
            const h = histogramValue(v);
            if (h !== undefined) ranged[c]!.push(h);
          }
        }
      }
    } finally {
      await cursor.close();
    }
    const distinct = counts.map((c, i) => {
      if (vectors[i]) return undefined;
      const { distinct: d, once } = c.summary();
      // The column's non-NULL values in the whole table, scaled from the sample.
      const total = sampled === 0 ? 0 : Math.round((c.values * n) / sampled);
      return estimateDistinct(d, once, c.values, total);
    });
    const nullFraction = counts.map((c, i) => (sampled === 0 || vectors[i] ? undefined : 1 - c.values / sampled));
    const histograms = ranged.map((values) => buildHistogram(values) ?? null);
    sc.committed.saveStats(sc.txn, t.id, { rowCount: n, distinct, nullFraction, histograms });
    analyzed.push([t.name, n]);
  }
  // New statistics may change plans: cached ones are dropped.
  sc.committed.version++;
  return { columns: ['name', 'rows'], columnTypes: ['text', 'integer'], rows: analyzed, rowsAffected: 0, lastInsertId: null };
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

// The write path of one table within a statement: defaults, affinity, constraints, keys and indexes.

import { parseStatement } from '../../compiler/parse.js';
import type { Expression } from '../../compiler/ast.js';
import { scanSchema } from '../../compiler/binder/bind-query.js';
import { ConstraintError, InvalidMetadataError, QueryExecutionError } from '../../errors.js';
import { COLLECTION_COLUMNS, tableSchemaKey, isOrderedIndex, rowText, textSourcesOf, type CollectionOptions, type IndexDef, type TableDef, type TextColumns } from '../../storage/catalog.js';
import { declaredDimension, toVectorOfDimension } from '../vector-value.js';
import type { KeyPart } from '../../storage/key-codec.js';
import { deleteRow, findUniqueConflict, getRow, insertRow, keyValues, rowKey, rowKeyValues, tablePrefix, uniqueTarget, type IndexHandle } from '../../storage/table-store.js';
import { hasExpressionItems } from '../../compiler/binder/bind-index.js';
import { indexItemValues } from '../index-items.js';
import { prefixEnd } from '../../storage/bytes.js';
import { CompiledExprs, type Evaluator } from '../compile-expr.js';
import { makeEnv, type Env, type Row } from '../context.js';
import type { SqlValue } from '../value.js';
import type { SearchProvider } from '../context.js';
import { applyAffinity, applyAffinityOf, isTruthy, resolveAffinity, type Affinity } from '../value-ops.js';
import { bindContext, bindOver, execContext, runPlan, type StatementContext } from './context.js';
import type { BoundExpr } from '../../compiler/bound.js';
import type { LogicalPlan } from '../../planner/logical.js';
import { plan } from '../../planner/plan.js';
import { conjoin } from '../../planner/rules/predicate-pushdown.js';

/** What to do when a row collides with an existing key. */
export type ConflictAction = 'ABORT' | 'IGNORE' | 'REPLACE';

/** The outcome of writing one row. */
export type WriteOutcome = { readonly kind: 'written'; readonly key: Uint8Array; readonly row: Row; readonly rowid: SqlValue } | { readonly kind: 'ignored' } | { readonly kind: 'conflict'; readonly existingKey: Uint8Array };

/**
 * The write-path view of an index: a partial index gets its WHERE compiled into a row predicate,
 * an index with expression items its items compiled into one function of the row.
 */
export function indexHandle(sc: StatementContext, table: TableDef, def: IndexDef): IndexHandle {
  if (!def.whereSql && !hasExpressionItems(def)) return { def };
  const env = makeEnv(execContext(sc, []));
  const noSubqueries = () => {
    throw new QueryExecutionError(`subqueries are not allowed in index ${def.name}`);
  };
  let predicate: IndexHandle['predicate'];
  if (def.whereSql) {
    const bc = { ...bindContext(sc), sql: `SELECT ${def.whereSql}` };
    const e = bindOver(parseExpr(def.whereSql), scanSchema(table, table.name), bc, 'an index WHERE clause');
    const fn = new CompiledExprs([e], noSubqueries).fns[0]!;
    predicate = (row) => isTruthy(fn([...row, null, null], env)) === true;
  }
  const itemValues = hasExpressionItems(def) ? indexItemValues(def, table, env) : undefined;
  return { def, ...(predicate ? { predicate } : {}), ...(itemValues ? { itemValues } : {}) };
}

/**
 * A collection row as stored: metadata a JSON object (in canonical text), content taken from the
 * content field when the collection names one.
 */
function shapeDocument(options: CollectionOptions, row: Row): void {
  const m = row[COLLECTION_COLUMNS.metadata];
  const meta = parseMetadata(m ?? '{}');
  row[COLLECTION_COLUMNS.metadata] = JSON.stringify(meta);
  if (options.contentField !== undefined) {
    const text = meta[options.contentField];
    row[COLLECTION_COLUMNS.content] = typeof text === 'string' ? text : text === undefined || text === null ? null : JSON.stringify(text);
  }
}

/** Metadata as an object: JSON object text, or InvalidMetadataError. */
export function parseMetadata(v: SqlValue): Record<string, unknown> {
  if (typeof v !== 'string') throw new InvalidMetadataError(`metadata must be a JSON object, got ${v instanceof Uint8Array ? 'a blob' : typeof v}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    throw new InvalidMetadataError(`metadata is not valid JSON: ${v.length > 60 ? `${v.slice(0, 60)}…` : v}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidMetadataError('metadata must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** Parsed stored expressions by text: a writer opens per statement, and parsing dominated opening. */
const parsedExprs = new Map<string, Expression>();
const PARSED_EXPR_LIMIT = 1024;

/** Parses the text of a stored expression (DEFAULT, CHECK) back to an AST expression. */
function parseExpr(sql: string): Expression {
  const hit = parsedExprs.get(sql);
  if (hit) return hit;
  const stmt = parseStatement(`SELECT ${sql}`);
  if (stmt.kind !== 'SelectStatement' || stmt.body.kind !== 'SelectCore' || stmt.body.columns[0]?.kind !== 'SelectColumn') {
    throw new QueryExecutionError(`cannot read stored expression: ${sql}`);
  }
  const e = stmt.body.columns[0].expr;
  if (parsedExprs.size >= PARSED_EXPR_LIMIT) parsedExprs.clear();
  parsedExprs.set(sql, e);
  return e;
}

/** A completed row: its values, its rowid (NULL for a table keyed otherwise), and whether its key is new. */
export interface Completed {
  readonly row: Row;
  readonly rowid: SqlValue;
  readonly fresh: boolean;
}

/** Writes rows of one table, enforcing its constraints. Build with TableWriter.open(). */
export class TableWriter {
  readonly indexes: IndexHandle[];
  private readonly defaults: (Evaluator | undefined)[];
  private readonly checks: { name: string; fn: Evaluator }[];
  private readonly env: Env;
  private freshRangeRecorded = false;
  /** Per column: the declared dimension of a VECTOR column (0 for VECTOR without one), else undefined. */
  private readonly vectorDims: (number | undefined)[];
  /** The BM25 maintainer, when the table has BM25-indexed text (a hybrid collection, bm25 indexes). */
  private readonly postings: SearchProvider | undefined;
  private readonly textSources: readonly TextColumns[];
  /** Per column: its affinity (resolved once, not per row). */
  private readonly affinities: Affinity[];

  private constructor(
    private readonly sc: StatementContext,
    readonly table: TableDef,
    indexDefs: readonly IndexDef[],
  ) {
    this.env = makeEnv(execContext(sc, []));
    // The writes below maintain the indexes this statement sees; DDL that adds one writes this key.
    sc.txn.recordRead(tableSchemaKey(table));
    const bc = { ...bindContext(sc), sql: '' };
    // hnsw indexes follow commits (src/api/search-indexes.ts); only ordered ones have entries here.
    this.indexes = indexDefs.filter(isOrderedIndex).map((def) => indexHandle(sc, table, def));
    this.textSources = textSourcesOf(table, indexDefs);
    if (this.textSources.length > 0) {
      if (!sc.search) throw new QueryExecutionError(`${table.name} cannot be written here: its BM25 index is unavailable`);
      this.postings = sc.search;
    }
    this.affinities = table.columns.map((c) => resolveAffinity(c.declaredType));
    this.vectorDims = table.columns.map((c) => (c.type === 'vector' ? (declaredDimension(c.declaredType) ?? 0) : undefined));
    this.defaults = table.columns.map((c) => {
      if (c.defaultSql === undefined) return undefined;
      const text = `SELECT ${c.defaultSql}`;
      const e = bindOver(parseExpr(c.defaultSql), [], { ...bc, sql: text }, 'DEFAULT');
      return new CompiledExprs([e], () => {
        throw new QueryExecutionError('subqueries are not allowed in DEFAULT');
      }).fns[0]!;
    });
    const schema = scanSchema(table, table.name);
    this.checks = table.checks.map((c) => {
      const e = bindOver(parseExpr(c.sql), schema, { ...bc, sql: `SELECT ${c.sql}` }, 'CHECK');
      return { name: c.name ?? c.sql, fn: new CompiledExprs([e], () => { throw new QueryExecutionError('subqueries are not allowed in CHECK'); }).fns[0]! };
    });
    this.generated = table.columns.flatMap((c, i) => {
      if (c.generatedSql === undefined) return [];
      const e = bindOver(parseExpr(c.generatedSql), schema, { ...bc, sql: `SELECT ${c.generatedSql}` }, 'a generated column');
      return [{ column: i, fn: new CompiledExprs([e], () => { throw new QueryExecutionError('subqueries are not allowed in a generated column'); }).fns[0]! }];
    });
  }

  /** Generated columns with their compiled expressions, in column order. */
  private readonly generated: { column: number; fn: Evaluator }[];

  /** Computes the generated columns of a row from its other columns (in column order). */
  private computeGenerated(row: Row): void {
    const scanRow = [...row, null, null];
    for (const g of this.generated) {
      const v = applyAffinity(g.fn(scanRow, this.env), this.table.columns[g.column]!.declaredType);
      row[g.column] = v;
      scanRow[g.column] = v;
    }
  }

  /** Refuses a statement that sets a generated column. */
  checkNotGenerated(columns: readonly number[]): void {
    for (const i of columns) {
      const c = this.table.columns[i];
      if (c?.generatedSql !== undefined) throw new QueryExecutionError(`cannot set generated column "${c.name}" of ${this.table.name}: it is computed from the other columns`);
    }
  }

  /** A writer for `table` in this statement. */
  static open(sc: StatementContext, table: TableDef): TableWriter {
    return new TableWriter(sc, table, sc.catalog.indexesOf(table.name));
  }

  /**
   * Completes a row given values for some columns (undefined: not given): defaults, column
   * affinity, and a new rowid for an INTEGER PRIMARY KEY left NULL. `fresh`: no row has this
   * rowid (one just allocated, or one above every rowid stored or written).
   */
  complete(given: readonly (SqlValue | undefined)[]): Completed | Promise<Completed> {
    const t = this.table;
    const row: Row = new Array(t.columns.length);
    for (let i = 0; i < t.columns.length; i++) {
      const g = given[i];
      const v = g !== undefined ? g : this.defaults[i] ? this.defaults[i]!([], this.env) : null;
      const dim = this.vectorDims[i];
      row[i] = dim !== undefined ? toVectorOfDimension(v, dim === 0 ? undefined : dim) : applyAffinityOf(v, this.affinities[i]!);
    }
    if (t.collection) shapeDocument(t.collection, row);
    let rowid: SqlValue = null;
    let fresh = false;
    if (t.rowidColumn >= 0) {
      const v = row[t.rowidColumn];
      // A rowid to allocate, or the first explicit one (the ceiling is read from the store), waits.
      if (v === null || (typeof v === 'number' && Number.isInteger(v) && !this.sc.rowids.hasCeiling(t))) return this.completeRowid(row);
      if (typeof v === 'number' && Number.isInteger(v)) {
        rowid = v;
        fresh = this.explicitRowid(v);
      } else if (typeof v === 'bigint') rowid = v;
      else throw new ConstraintError(`datatype mismatch: ${t.name}.${t.columns[t.rowidColumn]!.name} must be an integer`);
    } else if (t.primaryKey.length === 0) {
      return this.completeRowid(row);
    }
    // After the rowid, which a generated column may use.
    if (this.generated.length > 0) this.computeGenerated(row);
    return { row, rowid, fresh };
  }

  /**
   * Notes a rowid given explicitly (the ceiling must be initialized) and tells whether it is
   * unused: above every one stored or written (a bulk load with ascending keys), its key is as
   * new as an allocated one's and need not be probed.
   */
  private explicitRowid(v: number): boolean {
    const unused = this.sc.rowids.isUnused(this.table, v);
    this.sc.rowids.observe(this.table, v);
    return unused;
  }

  /** The rest of complete() when the rowid needs the store: one to allocate, or the ceiling to read. */
  private async completeRowid(row: Row): Promise<Completed> {
    const t = this.table;
    let rowid: SqlValue;
    let fresh: boolean;
    const v = t.rowidColumn >= 0 ? row[t.rowidColumn] : null;
    if (v === null) {
      ({ rowid, fresh } = await this.newRowid());
      if (t.rowidColumn >= 0) row[t.rowidColumn] = rowid;
    } else {
      await this.sc.rowids.ensureCeiling(t);
      rowid = v;
      fresh = this.explicitRowid(v as number);
    }
    if (this.generated.length > 0) this.computeGenerated(row);
    return { row, rowid, fresh };
  }

  /**
   * A rowid for a row given none: one past the largest rowid the transaction sees (its own
   * writes included, as SQLite chooses), looked up by the statement's first allocation, and never
   * below the table's shared counter, so that concurrent transactions get different rowids
   * instead of failing each other's commits. Unlike SQLite, a rowid freed by a DELETE or a
   * rollback is not handed out again once the counter has passed it. A rowid below the ceiling
   * may name a row the transaction cannot see yet; it is probed, and the next one taken then.
   */
  private async newRowid(): Promise<{ rowid: number; fresh: boolean }> {
    const t = this.table;
    const rowids = this.sc.rowids;
    if (!rowids.hasCeiling(t)) await rowids.ensureCeiling(t);
    if (!this.viewChecked) {
      this.viewChecked = true;
      const p = tablePrefix(t);
      const key = await this.sc.txn.lastKey({ gte: p, lt: prefixEnd(p)! });
      const v = key === undefined ? undefined : rowKeyValues(key)[0];
      const last = typeof v === 'number' ? Math.floor(v) : typeof v === 'bigint' ? Number(v) : 0;
      await rowids.raiseTo(t, last + 1);
    }
    for (;;) {
      const { rowid, unused } = await rowids.allocateKey(t);
      if (unused) return { rowid, fresh: true };
      if (this.sc.txn.probe(rowKey(t, [rowid])) === undefined) return { rowid, fresh: false };
    }
  }

  /** Whether this statement has looked up the largest rowid its transaction sees. */
  private viewChecked = false;

  /** Checks NOT NULL and CHECK constraints. */
  validate(row: Row): void {
    const t = this.table;
    for (let i = 0; i < t.columns.length; i++) {
      const c = t.columns[i]!;
      if (row[i] === null && (c.notNull || (t.primaryKey.includes(i) && t.rowidColumn !== i && t.primaryKey.length > 0 && c.notNull))) {
        throw new ConstraintError(`NOT NULL constraint failed: ${t.name}.${c.name}`);
      }
    }
    if (this.checks.length > 0) {
      const scanRow = [...row, null, null];
      for (const c of this.checks) {
        if (isTruthy(c.fn(scanRow, this.env)) === false) throw new ConstraintError(`CHECK constraint failed: ${c.name}`);
      }
    }
  }

  /** Key of a completed row. */
  keyOf(row: Row, rowid: SqlValue): Uint8Array {
    return rowKey(this.table, keyValues(this.table, row, rowid as number | bigint | undefined));
  }

  /** The existing row a new row collides with (by primary key or unique index), if any. */
  conflictOf(row: Row, key: Uint8Array): Uint8Array | undefined {
    if (this.sc.txn.probe(key) !== undefined) {
      this.sc.txn.recordRead(key);
      return key;
    }
    for (const ix of this.indexes) {
      const k = findUniqueConflict(this.sc.txn, this.table, ix, row);
      if (k) return k;
    }
    return undefined;
  }

  /** The existing row a new row collides with through a unique index, if any. */
  private uniqueConflictOf(row: Row): Uint8Array | undefined {
    for (const ix of this.indexes) {
      const k = findUniqueConflict(this.sc.txn, this.table, ix, row);
      if (k) return k;
    }
    return undefined;
  }

  /** Refuses UPDATE and DELETE on an append-only table. */
  checkMutable(what: string): void {
    if (this.table.indexPolicy === 'append_only') throw new ConstraintError(`${what} is not allowed: table ${this.table.name} is append-only`);
  }

  /**
   * Inserts a completed, validated row, resolving a collision with `action`. Synchronous unless
   * it must wait (a foreign key to check, a row to REPLACE): a bulk load pays no turn per row.
   */
  insert(row: Row, rowid: SqlValue, action: ConflictAction | 'RETURN', freshRowid = false): WriteOutcome | Promise<WriteOutcome> {
    // Most tables have no foreign keys: skip the async call (a promise and a turn per row).
    if (this.table.foreignKeys.length > 0) return this.checkParents(row).then(() => this.insertChecked(row, rowid, action, freshRowid));
    return this.insertChecked(row, rowid, action, freshRowid);
  }

  private insertChecked(row: Row, rowid: SqlValue, action: ConflictAction | 'RETURN', freshRowid: boolean): WriteOutcome | Promise<WriteOutcome> {
    const key = this.keyOf(row, rowid);
    // An unused rowid (see complete) names no row, so its key need not be probed. Instead the
    // statement records once that it read every key from the first such rowid up: a concurrent
    // insert of such a key then fails one of the two commits.
    if (freshRowid && !this.freshRangeRecorded) {
      this.freshRangeRecorded = true;
      this.sc.txn.recordRange({ gte: key, lt: prefixEnd(tablePrefix(this.table))! });
    }
    const conflict = () => (freshRowid ? this.uniqueConflictOf(row) : this.conflictOf(row, key));
    const existing = conflict();
    if (existing) {
      if (action === 'IGNORE') return { kind: 'ignored' };
      if (action === 'RETURN') return { kind: 'conflict', existingKey: existing };
      if (action === 'ABORT') throw this.uniqueError(row, key, existing);
      return this.replace(row, rowid, key, existing, conflict);
    }
    // An unused rowid's key is new (no REPLACE deleted anything under it).
    this.put(key, row, freshRowid);
    this.sc.txn.noteInsert(this.table.id, row);
    return this.written(key, row, rowid);
  }

  /** REPLACE: deletes every row the new one collides with, then writes it. */
  private async replace(row: Row, rowid: SqlValue, key: Uint8Array, first: Uint8Array, conflict: () => Uint8Array | undefined): Promise<WriteOutcome> {
    for (let existing: Uint8Array | undefined = first; existing; existing = conflict()) await this.deleteByKey(existing, false);
    this.put(key, row);
    return this.written(key, row, rowid);
  }

  private written(key: Uint8Array, row: Row, rowid: SqlValue): WriteOutcome {
    return { kind: 'written', key, row, rowid: rowid ?? (this.table.rowidColumn >= 0 ? row[this.table.rowidColumn]! : null) };
  }

  private uniqueError(row: Row, key: Uint8Array, existing: Uint8Array): ConstraintError {
    const t = this.table;
    if (Buffer.compare(Buffer.from(existing), Buffer.from(key)) === 0) {
      const cols = t.primaryKey.length > 0 ? t.primaryKey.map((c) => `${t.name}.${t.columns[c]!.name}`).join(', ') : `${t.name}.rowid`;
      return new ConstraintError(`UNIQUE constraint failed: ${cols}`);
    }
    for (const ix of this.indexes) {
      if (findUniqueConflict(this.sc.txn, t, ix, row)) {
        return new ConstraintError(`UNIQUE constraint failed: ${uniqueTarget(t, ix.def)}`, { details: { index: ix.def.name } });
      }
    }
    return new ConstraintError(`UNIQUE constraint failed: ${t.name}`);
  }

  /** Deletes a row by key (with foreign-key actions when `enforce`). Returns the deleted row. */
  async deleteByKey(key: Uint8Array, enforce = true): Promise<Row | undefined> {
    const row = getRow(this.sc.txn, key);
    if (!row) return undefined;
    if (enforce) await this.checkChildren(row, undefined);
    this.del(key, row);
    return row;
  }

  /** Replaces the row at `oldKey` with `newRow` (validated), moving it when its key changes. */
  async update(oldKey: Uint8Array, oldRow: Row, newRow: Row, action: ConflictAction): Promise<WriteOutcome> {
    await this.checkParents(newRow);
    const t = this.table;
    const rowid = t.primaryKey.length === 0 ? (rowKeyValues(oldKey)[0] as SqlValue) : t.rowidColumn >= 0 ? newRow[t.rowidColumn]! : null;
    const key = this.keyOf(newRow, rowid);
    await this.checkChildren(oldRow, newRow);
    this.del(oldKey, oldRow);
    for (let existing = this.conflictOf(newRow, key); existing; existing = this.conflictOf(newRow, key)) {
      if (action === 'IGNORE') {
        this.put(oldKey, oldRow);
        return { kind: 'ignored' };
      }
      if (action === 'ABORT') throw this.uniqueError(newRow, key, existing);
      await this.deleteByKey(existing, false);
    }
    this.put(key, newRow);
    return { kind: 'written', key, row: newRow, rowid };
  }

  /** Stores a row with its index entries and its BM25 postings (`isNew`: see insertRow). */
  private put(key: Uint8Array, row: Row, isNew = false): void {
    insertRow(this.sc.txn, this.table, this.indexes, key, row, isNew);
    for (const source of this.textSources) {
      const text = rowText(row, source.columns);
      if (text !== undefined) this.postings!.indexText(this.sc.txn, source, key, text);
    }
  }

  /** Deletes a row with its index entries and postings. */
  private del(key: Uint8Array, row: Row): void {
    deleteRow(this.sc.txn, this.indexes, key, row);
    for (const source of this.textSources) {
      const text = rowText(row, source.columns);
      if (text !== undefined) this.postings!.unindexText(this.sc.txn, source, key, text);
    }
  }

  /** Every foreign key of this table must find its parent row (NULL keys are exempt). */
  private async checkParents(row: Row): Promise<void> {
    for (const fk of this.table.foreignKeys) {
      const cols = fk.columns.map((n) => this.table.columns.findIndex((c) => c.name.toLowerCase() === n.toLowerCase()));
      const vals = cols.map((i) => row[i]!);
      if (vals.some((v) => v === null)) continue;
      const parent = this.sc.catalog.get(fk.refTable);
      if (parent?.kind !== 'table') throw new ConstraintError(`FOREIGN KEY constraint failed: no table ${fk.refTable}`);
      if (!(await findRow(this.sc, parent, fk.refColumns, vals))) {
        throw new ConstraintError(`FOREIGN KEY constraint failed: ${this.table.name}(${fk.columns.join(', ')}) references ${fk.refTable}`);
      }
    }
  }

  /** Enforces foreign keys that reference this table when a row goes away or changes key. */
  private async checkChildren(oldRow: Row, newRow: Row | undefined): Promise<void> {
    for (const child of this.sc.catalog.all()) {
      if (child.kind !== 'table') continue;
      for (const fk of child.foreignKeys) {
        if (fk.refTable.toLowerCase() !== this.table.name.toLowerCase()) continue;
        const refCols = fk.refColumns.length > 0 ? fk.refColumns : this.table.primaryKey.map((i) => this.table.columns[i]!.name);
        const idx = refCols.map((n) => this.table.columns.findIndex((c) => c.name.toLowerCase() === n.toLowerCase()));
        const oldVals = idx.map((i) => oldRow[i]!);
        if (newRow && idx.every((i) => newRow[i] === oldRow[i])) continue;
        if (oldVals.some((v) => v === null)) continue;
        const matches = await findRows(this.sc, child, fk.columns, oldVals);
        if (matches.length === 0) continue;
        const action = newRow ? fk.onUpdate : fk.onDelete;
        const writer = TableWriter.open(this.sc, child);
        const childCols = fk.columns.map((n) => child.columns.findIndex((c) => c.name.toLowerCase() === n.toLowerCase()));
        for (const m of matches) {
          if (action === 'CASCADE' && !newRow) await writer.deleteByKey(m.key);
          else if (action === 'CASCADE' || action === 'SET NULL' || action === 'SET DEFAULT') {
            const updated = [...m.row];
            childCols.forEach((c, j) => (updated[c] = action === 'CASCADE' ? newRow![idx[j]!]! : null));
            await writer.update(m.key, m.row, updated, 'ABORT');
          } else {
            throw new ConstraintError(`FOREIGN KEY constraint failed: ${child.name}(${fk.columns.join(', ')}) still references ${this.table.name}`);
          }
        }
      }
    }
  }
}

/** Whether `table` has a row whose `columns` equal `values` (by primary key when they are the key). */
async function findRow(sc: StatementContext, table: TableDef, columns: readonly string[], values: readonly SqlValue[]): Promise<boolean> {
  return (await findRows(sc, table, columns, values, 1)).length > 0;
}

/** Rows of `table` whose `columns` (empty: the primary key) equal `values`. */
async function findRows(sc: StatementContext, table: TableDef, columns: readonly string[], values: readonly SqlValue[], limit = Infinity): Promise<{ key: Uint8Array; row: Row }[]> {
  const cols = (columns.length > 0 ? columns : table.primaryKey.map((i) => table.columns[i]!.name)).map((n) => table.columns.findIndex((c) => c.name.toLowerCase() === n.toLowerCase()));
  const vals = cols.map((c, i) => applyAffinity(values[i]!, table.columns[c]?.declaredType ?? ''));
  const isKey = table.primaryKey.length === cols.length && table.primaryKey.every((c, i) => c === cols[i]);
  if (isKey || (table.rowidColumn >= 0 && cols.length === 1 && cols[0] === table.rowidColumn)) {
    const key = rowKey(table, vals as KeyPart[]);
    const row = getRow(sc.txn, key);
    return row ? [{ key, row }] : [];
  }
  // Otherwise the rows come from a query — Filter(Scan) through the planner — so that an index on
  // the columns (as foreign-key columns usually have) turns the search into an index scan.
  const schema = scanSchema(table, table.name);
  const predicate = conjoin(
    cols.map((c, j): BoundExpr => ({
      kind: 'Binary',
      op: '=',
      left: { kind: 'Column', index: c, type: table.columns[c]!.type, name: table.columns[c]!.name },
      right: { kind: 'Const', value: vals[j]!, type: table.columns[c]!.type },
      type: 'boolean',
    })),
  )!;
  const logical: LogicalPlan = { kind: 'Filter', input: { kind: 'Scan', table, indexes: sc.catalog.indexesOf(table.name), alias: table.name, schema }, predicate, schema };
  const rows = await runPlan(plan(logical, { catalog: sc.committed }), execContext(sc, []));
  const width = table.columns.length;
  const out = rows.slice(0, limit).map((r) => ({ key: r[width + 1] as Uint8Array, row: r.slice(0, width) }));
  return out;
}

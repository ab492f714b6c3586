// dumpDatabase: writes a ToonQL script that recreates a database's tables, rows, indexes and views.

import type { Writable } from 'node:stream';
import type { Database } from '../api/database.js';
import type { SqlValue } from '../executor/value.js';
import { itemColumn, type CollectionOptions, type ColumnDef, type ForeignKeyDef, type IndexDef, type NamespaceDef, type TableDef, type ViewDef } from '../storage/catalog.js';
import { quoteIdent, quoteString } from './lexer.js';
import { topological } from './sqlite-file.js';

/** Options of dumpDatabase. */
export interface DumpOptions {
  /** Rows per INSERT statement (default 100). */
  readonly rowsPerInsert?: number;
  /** Only these tables (and the indexes on them); views are dumped only when no filter is given. */
  readonly tables?: readonly string[];
  /** Leave out the rows (schema only). */
  readonly schemaOnly?: boolean;
}

/** What a dump wrote. */
export interface DumpSummary {
  readonly tables: number;
  readonly rows: number;
  readonly indexes: number;
  readonly views: number;
}

/** Where a dump goes: a function called with each chunk of text, or a writable stream. */
export type DumpTarget = ((chunk: string) => void) | Writable;

/**
 * Writes a script that recreates `db`: CREATE TABLE (columns, types, PRIMARY KEY, NOT NULL,
 * UNIQUE, DEFAULT, CHECK, FOREIGN KEY) in foreign-key order, the rows as multi-row INSERTs,
 * then CREATE INDEX and CREATE VIEW, then the key-value data as PUT statements (namespaces
 * and collections included).
 */
export async function dumpDatabase(db: Database, out: DumpTarget, options: DumpOptions = {}): Promise<DumpSummary> {
  const write = writer(out);
  const objects = db.listObjects();
  const wanted = options.tables?.map((t) => t.toLowerCase());
  const tables = orderTables(objects.filter((o): o is TableDef => o.kind === 'table' && (!wanted || wanted.includes(o.name.toLowerCase()))));
  const names = new Set(tables.map((t) => t.name.toLowerCase()));
  const indexes = objects.filter((o): o is IndexDef => o.kind === 'index' && !o.implicit && names.has(o.table.toLowerCase()));
  const views = wanted ? [] : orderViews(objects.filter((o): o is ViewDef => o.kind === 'view'));
  const per = Math.max(1, options.rowsPerInsert ?? 100);
  let rows = 0;

  // A foreign key to the table itself or to a table created later (a cycle) could reject rows
  // loaded in dump order: it is added by ALTER TABLE once all rows are in.
  const position = new Map(tables.map((t, i) => [t.name.toLowerCase(), i]));
  const later = (t: TableDef, f: ForeignKeyDef): boolean => (position.get(f.refTable.toLowerCase()) ?? -1) >= position.get(t.name.toLowerCase())!;

  await write(`-- ToonDB dump: ${tables.length} tables, ${indexes.length} indexes, ${views.length} views, and the key-value data.\n\n`);
  if (!wanted) for (const n of objects.filter((o): o is NamespaceDef => o.kind === 'namespace')) await write(`${createNamespaceSql(n)};\n`);
  for (const t of tables) await write(`${createTableSql({ ...t, foreignKeys: t.foreignKeys.filter((f) => !later(t, f)) })};\n\n`);
  if (!options.schemaOnly) {
    for (const t of tables) rows += await dumpRows(db, t, per, write);
  }
  for (const t of tables) {
    for (const f of t.foreignKeys.filter((fk) => later(t, fk))) await write(`ALTER TABLE ${nameSql(t.name)} ADD ${foreignKeySql(f)};\n`);
  }
  for (const i of indexes) await write(`${createIndexSql(i, tables.find((t) => t.name.toLowerCase() === i.table.toLowerCase())!)};\n`);
  if (indexes.length) await write('\n');
  for (const v of views) await write(`${createViewSql(v)};\n`);
  if (!wanted && !options.schemaOnly) {
    await dumpKeyValues(db, undefined, write);
    for (const n of objects.filter((o): o is NamespaceDef => o.kind === 'namespace')) await dumpKeyValues(db, n.name, write);
  }
  return { tables: tables.length, rows, indexes: indexes.length, views: views.length };
}

function writer(out: DumpTarget): (chunk: string) => Promise<void> {
  if (typeof out === 'function') return async (chunk) => void out(chunk);
  return (chunk) =>
    new Promise<void>((resolve, reject) => {
      const ok = out.write(chunk, (err) => (err ? reject(err) : undefined));
      if (ok) resolve();
      else out.once('drain', resolve);
    });
}

/** Tables ordered so that referenced tables come first (self-references and cycles aside). */
function orderTables(tables: readonly TableDef[]): TableDef[] {
  return topological(
    [...tables].sort((a, b) => a.id - b.id),
    (t) => t.foreignKeys.map((f) => f.refTable.toLowerCase()).filter((r) => r !== t.name.toLowerCase()),
    (t) => t.name.toLowerCase(),
  );
}

function orderViews(views: readonly ViewDef[]): ViewDef[] {
  const names = views.map((v) => v.name.toLowerCase());
  return topological(
    [...views].sort((a, b) => a.name.localeCompare(b.name)),
    (v) => names.filter((n) => n !== v.name.toLowerCase() && new RegExp(`(^|[^\\w$])["\`\\[]?${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["\`\\]]?($|[^\\w$])`, 'i').test(v.sql)),
    (v) => v.name.toLowerCase(),
  );
}

/** A catalog name as SQL: `t` → "t", `ns.t` (an object of namespace ns) → "ns"."t". */
export function nameSql(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? quoteIdent(name) : `${quoteIdent(name.slice(0, dot))}.${quoteIdent(name.slice(dot + 1))}`;
}

/** CREATE NAMESPACE with its display name and labels. */
export function createNamespaceSql(n: NamespaceDef): string {
  const opts = [...(n.displayName !== undefined ? [`display_name = ${quoteString(n.displayName)}`] : []), `labels = ${quoteString(JSON.stringify(n.labels))}`];
  return `CREATE NAMESPACE ${quoteIdent(n.name)} WITH (${opts.join(', ')})`;
}

/** CREATE COLLECTION with every option the collection was made with. */
export function createCollectionSql(t: TableDef & { collection: CollectionOptions }): string {
  const c = t.collection;
  const opts = [
    `dimension = ${c.dimension}`,
    `metric = ${c.metric}`,
    `m = ${c.m}`,
    `ef_construction = ${c.efConstruction}`,
    `ef_search = ${c.efSearch}`,
    `quantization = ${c.quantization}`,
    ...(c.pqNumSubvectors !== undefined ? [`pq_num_subvectors = ${c.pqNumSubvectors}`] : []),
    ...(c.pqNumCentroids !== undefined ? [`pq_num_centroids = ${c.pqNumCentroids}`] : []),
    `enable_hybrid_search = ${c.enableHybridSearch}`,
    ...(c.contentField !== undefined ? [`content_field = ${quoteString(c.contentField)}`] : []),
    `bm25_k1 = ${literal(c.bm25K1, 'real')}`,
    `bm25_b = ${literal(c.bm25B, 'real')}`,
    `stemming = ${c.stemming}`,
    `stopwords = ${c.stopwords}`,
  ];
  return `CREATE COLLECTION ${nameSql(t.name)} (${opts.join(', ')})`;
}

/** The CREATE TABLE statement of a table definition (CREATE COLLECTION for a collection). */
export function createTableSql(t: TableDef): string {
  if (t.collection) return createCollectionSql(t as TableDef & { collection: CollectionOptions });
  const lines: string[] = [];
  const rowidAlias = t.rowidColumn >= 0 && t.primaryKey.length === 1 && t.primaryKey[0] === t.rowidColumn;
  t.columns.forEach((c, i) => {
    let line = `${quoteIdent(c.name)}${c.declaredType ? ` ${c.declaredType}` : ''}`;
    if (rowidAlias && i === t.rowidColumn) {
      // Only the exact spelling INTEGER PRIMARY KEY makes the column the rowid.
      line = `${quoteIdent(c.name)} INTEGER PRIMARY KEY${t.autoincrement ? ' AUTOINCREMENT' : ''}`;
    } else if (c.identity) {
      line += ' GENERATED BY DEFAULT AS IDENTITY';
    }
    line += columnConstraints(c);
    lines.push(line);
  });
  if (!rowidAlias && t.primaryKey.length > 0) lines.push(`PRIMARY KEY (${t.primaryKey.map((p) => quoteIdent(t.columns[p]!.name)).join(', ')})`);
  for (const u of t.uniques) lines.push(`${u.name ? `CONSTRAINT ${quoteIdent(u.name)} ` : ''}UNIQUE (${u.columns.map((p) => quoteIdent(t.columns[p]!.name)).join(', ')})`);
  for (const c of t.checks) lines.push(`${c.name ? `CONSTRAINT ${quoteIdent(c.name)} ` : ''}CHECK (${c.sql})`);
  for (const f of t.foreignKeys) lines.push(foreignKeySql(f));
  return `CREATE TABLE ${nameSql(t.name)} (\n  ${lines.join(',\n  ')}\n)`;
}

function foreignKeySql(f: ForeignKeyDef): string {
  const ref = f.refColumns.length ? ` (${f.refColumns.map(quoteIdent).join(', ')})` : '';
  const actions = `${f.onDelete !== 'NO ACTION' ? ` ON DELETE ${f.onDelete}` : ''}${f.onUpdate !== 'NO ACTION' ? ` ON UPDATE ${f.onUpdate}` : ''}`;
  return `${f.name ? `CONSTRAINT ${quoteIdent(f.name)} ` : ''}FOREIGN KEY (${f.columns.map(quoteIdent).join(', ')}) REFERENCES ${quoteIdent(f.refTable)}${ref}${actions}`;
}

function columnConstraints(c: ColumnDef): string {
  let s = '';
  if (c.notNull) s += ' NOT NULL';
  if (c.defaultSql !== undefined) s += ` DEFAULT ${/^(-?[\d.]+([eE][+-]?\d+)?|'([^']|'')*'|NULL|TRUE|FALSE|CURRENT_\w+|[xX]'[0-9A-Fa-f]*')$/i.test(c.defaultSql.trim()) ? c.defaultSql : `(${c.defaultSql})`}`;
  if (c.collation) s += ` COLLATE ${c.collation}`;
  if (c.generatedSql !== undefined) s += ` GENERATED ALWAYS AS (${c.generatedSql}) ${c.generatedStorage ?? 'VIRTUAL'}`;
  return s;
}

/** The CREATE INDEX statement of an index definition. */
export function createIndexSql(i: IndexDef, t: TableDef): string {
  if (i.method === 'hnsw' && i.vector) {
    const v = i.vector;
    const opts = [`metric = ${v.metric}`, `m = ${v.m}`, `ef_construction = ${v.efConstruction}`, `ef_search = ${v.efSearch}`, `quantization = ${v.quantization}`];
    if (v.pqNumSubvectors !== undefined) opts.push(`pq_num_subvectors = ${v.pqNumSubvectors}`);
    if (v.pqNumCentroids !== undefined) opts.push(`pq_num_centroids = ${v.pqNumCentroids}`);
    return `CREATE INDEX ${quoteIdent(i.name)} ON ${nameSql(t.name)} USING hnsw (${quoteIdent(t.columns[itemColumn(i.columns[0]!)!]!.name)}) WITH (${opts.join(', ')})`;
  }
  if (i.method === 'bm25' && i.text) {
    const x = i.text;
    const opts = [`k1 = ${literal(x.k1, 'real')}`, `b = ${literal(x.b, 'real')}`, `stemming = ${x.stemming}`, `stopwords = ${x.stopwords}`];
    return `CREATE INDEX ${quoteIdent(i.name)} ON ${nameSql(t.name)} USING bm25 (${i.columns.map((c) => quoteIdent(t.columns[itemColumn(c)!]!.name)).join(', ')}) WITH (${opts.join(', ')})`;
  }
  // An expression item is written in parentheses, as Postgres requires: ON t ((lower(email))).
  const cols = i.columns.map((c) => `${'column' in c ? quoteIdent(t.columns[c.column]!.name) : `(${c.exprSql})`}${c.desc ? ' DESC' : ''}`).join(', ');
  return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(i.name)} ON ${nameSql(t.name)} (${cols})${i.whereSql ? ` WHERE ${i.whereSql}` : ''}`;
}

/** The CREATE VIEW statement of a view definition. */
export function createViewSql(v: ViewDef): string {
  return `CREATE VIEW ${quoteIdent(v.name)}${v.columns?.length ? ` (${v.columns.map(quoteIdent).join(', ')})` : ''} AS ${v.sql}`;
}

/**
 * Writes a table's rows as INSERTs. Columns without affinity can hold any class, so their
 * storage class is read with typeof() to keep a REAL 1.0 a REAL.
 */
async function dumpRows(db: Database, t: TableDef, per: number, write: (chunk: string) => Promise<void>): Promise<number> {
  // Generated columns are computed again on import.
  const cols = t.columns.filter((c) => c.generatedSql === undefined);
  const anyClass = cols.map((c) => c.affinity === 'BLOB');
  const select = cols.map((c) => quoteIdent(c.name));
  cols.forEach((c, i) => {
    if (anyClass[i]) select.push(`typeof(${quoteIdent(c.name)})`);
  });
  const result = await db.executeSql(`SELECT ${select.join(', ')} FROM ${nameSql(t.name)}`);
  const head = `INSERT INTO ${nameSql(t.name)} (${cols.map((c) => quoteIdent(c.name)).join(', ')}) VALUES\n`;
  for (let at = 0; at < result.rows.length; at += per) {
    const chunk = result.rows.slice(at, at + per).map((row) => {
      let extra = cols.length;
      const values = cols.map((_, i) => literal(row[i]!, anyClass[i] ? (row[extra++] as string) : undefined));
      return `(${values.join(', ')})`;
    });
    await write(`${head}${chunk.join(',\n')};\n`);
  }
  if (result.rows.length) await write('\n');
  return result.rows.length;
}

/** Writes a key-value space as PUT statements (pairs with the same expiry share one). */
async function dumpKeyValues(db: Database, namespace: string | undefined, write: (chunk: string) => Promise<void>): Promise<void> {
  const inNs = namespace === undefined ? '' : ` IN NAMESPACE ${quoteIdent(namespace)}`;
  const r = await db.executeSql(`SCAN ALL${inNs}`);
  const per = 100;
  let batch: string[] = [];
  let expiry: unknown = null;
  const flush = async () => {
    if (batch.length === 0) return;
    const opts = expiry === null ? '' : ` WITH (expires_at = ${quoteString(String(expiry))})`;
    await write(`PUT ${batch.join(',\n    ')}${inNs}${opts};\n`);
    batch = [];
  };
  for (const [key, value, expiresAt] of r.rows) {
    if (expiresAt !== expiry || batch.length >= per) {
      await flush();
      expiry = expiresAt ?? null;
    }
    batch.push(`${literal(key!)} = ${literal(value!)}`);
  }
  await flush();
}

const MIN_INT64 = -(2n ** 63n);

/** A value as a ToonQL literal that reads back as the same value and storage class. */
export function literal(v: SqlValue | boolean, storage?: string): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'bigint') return v === MIN_INT64 ? '(-9223372036854775807 - 1)' : v.toString();
  if (typeof v === 'number') {
    const isReal = storage === undefined ? !Number.isInteger(v) || Math.abs(v) >= 2 ** 63 : storage === 'real';
    if (Number.isNaN(v)) return 'NULL';
    if (!Number.isFinite(v)) return v > 0 ? '9e999' : '-9e999';
    if (!isReal) return String(v);
    if (Object.is(v, -0)) return '-0.0';
    const s = String(v);
    return /[.eE]/.test(s) ? s : `${s}.0`;
  }
  if (typeof v === 'string') return quoteString(v);
  if (v instanceof Float32Array) return quoteString(JSON.stringify(Array.from(v)));
  if (v instanceof Uint8Array) return `X'${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}'`;
  return quoteString(String(v));
}

// importFile: loads a SQL script or dump (SQLite, PostgreSQL, MySQL) or a SQLite database file into ToonDB.

import { open, readFile } from 'node:fs/promises';
import type { Database } from '../api/database.js';
import type { SqlValue } from '../executor/value.js';
import { decodeBytea, parseCopyRows } from './copy.js';
import { quoteIdent, type Dialect } from './lexer.js';
import { ValidationError } from '../errors.js';
import { Loader, importError, snippet, type ImportProgress, type Origin, type SkippedStatement } from './loader.js';
import { splitStatements, type ScriptStatement } from './split.js';
import { importSqliteFile } from './sqlite-file.js';
import { collectFolds, detectDialect, translate, type TranslateContext } from './translate.js';

export type { ImportProgress, SkippedStatement } from './loader.js';
export type { Dialect } from './lexer.js';

/** Options of importFile and importScript. */
export interface ImportOptions {
  /** Called as the import advances (after each statement, and each batch of copied rows). */
  readonly onProgress?: (progress: ImportProgress) => void;
  /** The script's dialect; guessed from its content when absent or 'auto'. */
  readonly dialect?: Dialect | 'auto';
  /** Rows per transaction (default 5000). */
  readonly batchRows?: number;
}

/** What an import did. */
export interface ImportSummary {
  /** 'script' (SQL text) or 'sqlite' (a SQLite database file). */
  readonly source: 'script' | 'sqlite';
  /** The dialect the script was read as. */
  readonly dialect: Dialect;
  /** Tables the import created or wrote rows to, sorted. */
  readonly tables: string[];
  /** Rows written per table. */
  readonly rows: Record<string, number>;
  /** Statements run (a COPY block counts once; the SQLite file import counts what it generates). */
  readonly statements: number;
  /** Statements not run, with the reason. */
  readonly skipped: SkippedStatement[];
  /** What was rewritten on the way (MySQL table options, pg_dump keys folded into CREATE TABLE, …). */
  readonly translated: { readonly line: number; readonly note: string }[];
  readonly elapsedMs: number;
}

const SQLITE_HEADER = 'SQLite format 3\0';

/** Largest merged INSERT: rows, and characters of VALUES tuples. */
const MERGE_ROWS = 500;
const MERGE_CHARS = 256 * 1024;

/**
 * Imports a file into `db`: a SQLite database file (recognised by its header, read through
 * the optional better-sqlite3 package), or a SQL script — sqlite3 `.dump` output, a pg_dump
 * plain-format dump with COPY blocks, mysqldump output, or plain ToonQL. Statements that carry
 * no data and that ToonDB does not support are skipped and listed; a failing statement that
 * carries data throws an error naming its line.
 */
export async function importFile(db: Database, path: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const fh = await open(path, 'r');
  const head = Buffer.alloc(16);
  try {
    await fh.read(head, 0, 16, 0);
  } finally {
    await fh.close();
  }
  if (head.toString('latin1') === SQLITE_HEADER) return importSqliteFile(db, path, options);
  return importScript(db, await readFile(path, 'utf8'), options);
}

/** Imports a SQL script given as text (see importFile). */
export async function importScript(db: Database, script: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now();
  const text = script.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const dialect = !options.dialect || options.dialect === 'auto' ? detectDialect(text) : options.dialect;
  const before = new Set(db.listTables().map((t) => t.toLowerCase()));
  const ctx: TranslateContext = { dialect, folds: new Map(), usedNames: new Set(db.listObjects().map((o) => o.name.toLowerCase())) };
  const statements = [...splitStatements(text, dialect)];
  // ToonDB cannot add a primary key to a table, so ALTER TABLE … ADD PRIMARY KEY is folded into
  // the CREATE TABLE in any dialect that writes it that way (MySQL puts keys in CREATE TABLE).
  const folded = dialect !== 'mysql' ? collectFolds(text, statements, ctx) : new Map<number, string>();
  const loader = new Loader(db, options.batchRows ?? 5000);
  const skipped: SkippedStatement[] = [];
  const translated: { line: number; note: string }[] = [];
  const progress = (stmt: ScriptStatement, table?: string): void =>
    options.onProgress?.({ unit: 'bytes', done: stmt.end, total: text.length, rows: loader.totalRows, statements: loader.statements, table });

  // Runs of single-row INSERTs into the same table (sqlite3 .dump, pg_dump --inserts) are merged.
  let merging: { prefix: string; table: string | undefined; parts: { sql: string; tuple: string; origin: Origin }[]; size: number } | undefined;
  const flushMerged = async (): Promise<void> => {
    const m = merging;
    merging = undefined;
    if (!m) return;
    if (m.parts.length === 1) await loader.data(m.parts[0]!.sql, undefined, m.table, m.parts[0]!.origin);
    else await loader.dataMerged(`${m.prefix} ${m.parts.map((p) => p.tuple).join(',\n')}`, m.parts, m.table);
  };

  for (let n = 0; n < statements.length; n++) {
    const stmt = statements[n]!;
    const source = stmt.clientCommand ?? text.slice(stmt.bodyStart, stmt.end).trim();
    const origin = { line: stmt.line, statement: source };
    const foldNote = folded.get(n);
    if (foldNote) {
      translated.push({ line: stmt.line, note: foldNote });
      continue;
    }
    const action = translate(text, stmt, ctx);
    if (action.kind === 'run' && action.merge) {
      if (merging && (merging.prefix !== action.merge.prefix || merging.parts.length >= MERGE_ROWS || merging.size >= MERGE_CHARS)) await flushMerged();
      merging ??= { prefix: action.merge.prefix, table: action.table, parts: [], size: 0 };
      merging.parts.push({ sql: action.sql, tuple: action.merge.tuple, origin });
      merging.size += action.merge.tuple.length;
      loader.statements++;
      progress(stmt);
      continue;
    }
    if (action.kind !== 'skip') await flushMerged();
    switch (action.kind) {
      case 'skip':
        skipped.push({ line: stmt.line, statement: snippet(source), reason: action.reason });
        break;
      case 'copy':
        if (action.options !== '') {
          throw importError(new ValidationError(`COPY options "${action.options}" are not supported: only the default text format (as pg_dump writes it) is read`), origin);
        }
        await loadCopy(db, loader, action.table, action.columns, action.data, origin, () => progress(stmt, action.table));
        loader.statements++;
        break;
      case 'run':
        for (const note of action.notes ?? []) translated.push({ line: stmt.line, note });
        if (action.role === 'data') {
          await loader.data(action.sql, undefined, action.table, origin);
        } else {
          try {
            await loader.run(action.sql, origin);
          } catch (err) {
            // An index the engine cannot build carries no data: note it and go on.
            const reason = unsupportedIndex(action.sql, err);
            if (!reason) throw err;
            skipped.push({ line: stmt.line, statement: snippet(source), reason });
            break;
          }
          for (const extra of action.then ?? []) {
            await loader.run(extra, origin);
            translated.push({ line: stmt.line, note: `KEY clause became ${snippet(extra, 100)}` });
            loader.statements++;
          }
        }
        loader.statements++;
        break;
    }
    progress(stmt);
  }
  await flushMerged();
  await loader.commit();
  await loader.retryDeferred();
  if (dialect === 'postgres') await decodeByteaText(db, loader, translated);
  options.onProgress?.({ unit: 'bytes', done: text.length, total: text.length, rows: loader.totalRows, statements: loader.statements });
  return {
    source: 'script',
    dialect,
    ...tableSummary(db, before, loader),
    statements: loader.statements,
    skipped,
    translated,
    elapsedMs: performance.now() - started,
  };
}

/**
 * pg_dump --inserts writes bytea values as '\x…' text literals; in a bytea column they are
 * turned into the bytes they stand for (COPY data is converted as it is read).
 */
async function decodeByteaText(db: Database, loader: Loader, translated: { line: number; note: string }[]): Promise<void> {
  for (const name of loader.rows.keys()) {
    let def;
    try {
      def = db.getTableSchema(name);
    } catch {
      continue;
    }
    for (const c of def.columns.filter((col) => /^BYTEA\b/i.test(col.declaredType))) {
      const col = quoteIdent(c.name);
      const r = await db.executeSql(`UPDATE ${quoteIdent(def.name)} SET ${col} = unhex(substr(${col}, 3)) WHERE typeof(${col}) = 'text' AND substr(${col}, 1, 2) = '\\x'`);
      if (r.rowsAffected > 0) translated.push({ line: 0, note: `${def.name}.${c.name}: ${r.rowsAffected} bytea values written as '\\x…' text decoded to BLOBs` });
    }
  }
}

function unsupportedIndex(sql: string, err: unknown): string | undefined {
  if (!/^CREATE\s+(UNIQUE\s+)?INDEX\b/i.test(sql)) return undefined;
  const message = err instanceof Error ? err.message : String(err);
  const m = /not supported[^\n]*/i.exec(message);
  return m ? `index not created: ${message.replace(/^import failed at line \d+ \([^)]*\): /, '').split('\n')[0]}` : undefined;
}

/** Tables created or written by the import, and their row counts under the catalog's spelling. */
export function tableSummary(db: Database, before: ReadonlySet<string>, loader: Loader): { tables: string[]; rows: Record<string, number> } {
  const byLower = new Map(db.listTables().map((t) => [t.toLowerCase(), t]));
  const rows: Record<string, number> = {};
  for (const [name, n] of loader.rows) {
    const real = byLower.get(name.toLowerCase()) ?? name;
    rows[real] = (rows[real] ?? 0) + n;
  }
  const tables = new Set(Object.keys(rows));
  for (const [lower, real] of byLower) if (!before.has(lower)) tables.add(real);
  for (const t of tables) rows[t] ??= 0;
  return { tables: [...tables].sort(), rows };
}

/** Largest number of bound parameters per generated INSERT. */
const PARAMS_PER_INSERT = 2000;

/** Rows per generated multi-row INSERT for a table of `columns` columns. */
export function rowsPerInsert(columns: number): number {
  return Math.max(1, Math.min(500, Math.floor(PARAMS_PER_INSERT / Math.max(1, columns))));
}

/** `INSERT INTO t (cols) VALUES (?, …), …` for `rows` rows. */
export function insertSql(table: string, columns: readonly string[], rows: number): string {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`;
}

/** Loads a COPY block as batched multi-row INSERTs, converting bytea and boolean text. */
async function loadCopy(
  db: Database,
  loader: Loader,
  table: string,
  given: readonly string[] | undefined,
  data: string,
  origin: { line: number; statement: string },
  onBatch: () => void,
): Promise<void> {
  let def;
  try {
    def = db.getTableSchema(table);
  } catch (err) {
    throw importError(err, origin);
  }
  const columns = given ?? def.columns.map((c) => c.name);
  const convert = columns.map((name): ((v: string) => SqlValue) | undefined => {
    const col = def.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    const type = col?.declaredType.toUpperCase() ?? '';
    if (type.startsWith('BYTEA')) return decodeBytea;
    if (type.startsWith('BOOL')) return (v) => (v === 't' || v === 'true' ? 1 : v === 'f' || v === 'false' ? 0 : v);
    return undefined;
  });
  const rows = parseCopyRows(data);
  const per = rowsPerInsert(columns.length);
  for (let at = 0; at < rows.length; at += per) {
    const chunk = rows.slice(at, at + per);
    const params: SqlValue[] = [];
    for (let r = 0; r < chunk.length; r++) {
      const row = chunk[r]!;
      if (row.length !== columns.length) {
        throw importError(new ValidationError(`data row ${at + r + 1} has ${row.length} fields, expected ${columns.length}`), origin);
      }
      for (let c = 0; c < row.length; c++) {
        const v = row[c]!;
        const f = convert[c];
        params.push(v === null ? null : f ? f(v) : v);
      }
    }
    const rowOrigin = { line: origin.line, statement: `${origin.statement} (data rows ${at + 1}-${at + chunk.length})` };
    await loader.data(insertSql(def.name, columns, chunk.length), params, def.name, rowOrigin);
    onBatch();
  }
}

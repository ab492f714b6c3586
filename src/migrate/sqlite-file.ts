// Imports a SQLite database file: schema from sqlite_master, rows copied in batches (better-sqlite3, optional).

import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../api/database.js';
import { DatabaseError } from '../errors.js';
import type { SqlValue } from '../executor/value.js';
import type { ImportOptions, ImportSummary } from './import.js';
import { insertSql, rowsPerInsert, tableSummary } from './import.js';
import { Loader, snippet, type SkippedStatement } from './loader.js';
import { quoteIdent } from './lexer.js';
import { splitStatements } from './split.js';
import { translate, type TranslateContext } from './translate.js';

interface MasterRow {
  type: 'table' | 'index' | 'view' | 'trigger';
  name: string;
  tbl_name: string;
  sql: string;
}

/** Loads better-sqlite3 on demand, so that it stays an optional dependency. */
async function openSqlite(path: string): Promise<BetterSqlite3.Database> {
  let ctor: typeof BetterSqlite3;
  try {
    ctor = (await import('better-sqlite3')).default;
  } catch (err) {
    throw new DatabaseError(`${path} is a SQLite database; reading it needs the optional package better-sqlite3 (npm install better-sqlite3)`, {
      cause: err,
      remediation: 'Install better-sqlite3, or import a SQL dump made with `sqlite3 file .dump` instead.',
    });
  }
  return new ctor(path, { readonly: true, fileMustExist: true });
}

/**
 * Copies a SQLite database file: tables in foreign-key order (parents first), then their
 * rows in batched transactions, then indexes, then views in dependency order. Triggers are
 * skipped. The SQLite schema text is run through the same translation as a sqlite3 .dump.
 */
export async function importSqliteFile(db: Database, path: string, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const src = await openSqlite(path);
  try {
    const before = new Set(db.listTables().map((t) => t.toLowerCase()));
    const master = src.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid").all() as MasterRow[];
    const ctx: TranslateContext = { dialect: 'sqlite', folds: new Map(), usedNames: new Set(db.listObjects().map((o) => o.name.toLowerCase())) };
    const loader = new Loader(db, options.batchRows ?? 5000);
    const skipped: SkippedStatement[] = [];
    const translated: { line: number; note: string }[] = [];

    const runSchema = async (obj: MasterRow): Promise<void> => {
      for (const stmt of splitStatements(obj.sql, 'sqlite')) {
        const action = translate(obj.sql, stmt, ctx);
        const origin = { line: 0, statement: `${obj.type} ${obj.name}: ${obj.sql}` };
        if (action.kind === 'skip') skipped.push({ line: 0, statement: snippet(obj.sql), reason: action.reason });
        else if (action.kind === 'run') {
          for (const note of action.notes ?? []) translated.push({ line: 0, note });
          await loader.run(action.sql, origin);
          loader.statements++;
        } else throw new DatabaseError(`unexpected ${action.kind} in the schema of ${obj.name}`);
      }
    };

    // A virtual table (FTS, R-tree) becomes a plain table of the rows it shows; its shadow
    // tables hold only its index and are left out.
    const isVirtual = (o: MasterRow): boolean => /^CREATE\s+VIRTUAL\b/i.test(o.sql);
    const virtual = master.filter((o) => o.type === 'table' && isVirtual(o));
    const shadowOf = (o: MasterRow): MasterRow | undefined =>
      virtual.find((v) => o.name.toLowerCase().startsWith(`${v.name.toLowerCase()}_`) && /^(data|idx|content|docsize|config|segments|segdir|stat|node|rowid|parent)$/i.test(o.name.slice(v.name.length + 1)));
    for (const v of virtual) {
      const cols = (src.prepare(`PRAGMA table_info(${quoteIdent(v.name)})`).all() as { name: string }[]).map((c) => quoteIdent(c.name));
      await loader.run(`CREATE TABLE ${quoteIdent(v.name)} (${cols.join(', ')})`, { line: 0, statement: v.sql });
      loader.statements++;
      translated.push({ line: 0, note: `${v.name}: virtual table imported as a plain table of its rows (its full-text or spatial index is not)` });
    }
    for (const t of master.filter((o) => o.type === 'table' && shadowOf(o))) {
      skipped.push({ line: 0, statement: snippet(t.sql), reason: `shadow table of the virtual table ${shadowOf(t)!.name}` });
    }
    const tables = orderTables(src, master.filter((o) => o.type === 'table' && !/^sqlite_/i.test(o.name) && !isVirtual(o) && !shadowOf(o)));
    for (const t of tables) await runSchema(t);
    tables.push(...virtual);
    for (const t of master.filter((o) => o.type === 'table' && /^sqlite_/i.test(o.name))) {
      skipped.push({ line: 0, statement: snippet(t.sql), reason: 'SQLite internal table' });
    }

    const counts = new Map(tables.map((t) => [t.name, Number((src.prepare(`SELECT count(*) FROM ${quoteIdent(t.name)}`).pluck().get() as number | bigint) ?? 0)]));
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    let done = 0;
    for (const t of tables) {
      // Generated columns (hidden 2 and 3) are computed again by ToonDB, and virtual-table hidden ones (1) are not rows.
      const cols = (src.prepare(`PRAGMA table_xinfo(${quoteIdent(t.name)})`).all() as { name: string; hidden: number }[]).filter((c) => c.hidden === 0).map((c) => c.name);
      const per = rowsPerInsert(cols.length);
      const read = src.prepare(`SELECT ${cols.map(quoteIdent).join(', ')} FROM ${quoteIdent(t.name)}`).raw(true).safeIntegers(true);
      let batch: SqlValue[] = [];
      let inBatch = 0;
      const flush = async (): Promise<void> => {
        if (inBatch === 0) return;
        await loader.data(insertSql(t.name, cols, inBatch), batch, t.name, { line: 0, statement: `rows of ${t.name} (${done + 1}-${done + inBatch})` });
        loader.statements++;
        done += inBatch;
        batch = [];
        inBatch = 0;
        options.onProgress?.({ unit: 'rows', done, total, rows: loader.totalRows, statements: loader.statements, table: t.name });
      };
      for (const row of read.iterate() as IterableIterator<unknown[]>) {
        for (const v of row) batch.push(fromSqlite(v));
        if (++inBatch >= per) await flush();
      }
      await flush();
    }
    await loader.commit();
    await loader.retryDeferred();
    options.onProgress?.({ unit: 'rows', done: total, total, rows: loader.totalRows, statements: loader.statements });

    for (const i of master.filter((o) => o.type === 'index')) await runSchema(i);
    for (const v of orderViews(master.filter((o) => o.type === 'view'))) await runSchema(v);
    for (const tr of master.filter((o) => o.type === 'trigger')) {
      skipped.push({ line: 0, statement: snippet(tr.sql), reason: 'triggers are not supported (no data; the trigger will not fire)' });
    }
    return {
      source: 'sqlite',
      dialect: 'sqlite',
      ...tableSummary(db, before, loader),
      statements: loader.statements,
      skipped,
      translated,
      elapsedMs: performance.now() - started,
    };
  } finally {
    src.close();
  }
}

/** A better-sqlite3 value as a ToonDB parameter: safe bigints as numbers, Buffers as plain bytes. */
function fromSqlite(v: unknown): SqlValue {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (v instanceof Uint8Array) return Uint8Array.from(v);
  return v as SqlValue;
}

/** Tables ordered so that every table comes after the tables its foreign keys reference. */
function orderTables(src: BetterSqlite3.Database, tables: readonly MasterRow[]): MasterRow[] {
  const byName = new Map(tables.map((t) => [t.name.toLowerCase(), t]));
  const parents = new Map<string, string[]>();
  for (const t of tables) {
    const fks = src.prepare(`PRAGMA foreign_key_list(${quoteIdent(t.name)})`).all() as { table: string }[];
    parents.set(t.name.toLowerCase(), fks.map((f) => f.table.toLowerCase()).filter((p) => p !== t.name.toLowerCase() && byName.has(p)));
  }
  return topological(tables, (t) => parents.get(t.name.toLowerCase()) ?? [], (t) => t.name.toLowerCase());
}

/** Views ordered so that a view comes after the views its query names. */
function orderViews(views: readonly MasterRow[]): MasterRow[] {
  const names = views.map((v) => v.name.toLowerCase());
  const deps = (v: MasterRow): string[] => {
    const body = v.sql.toLowerCase();
    return names.filter((n) => n !== v.name.toLowerCase() && new RegExp(`(^|[^\\w$])["\`\\[]?${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["\`\\]]?($|[^\\w$])`).test(body));
  };
  return topological(views, deps, (v) => v.name.toLowerCase());
}

/** Depth-first topological order; members of a cycle keep their original relative order. */
export function topological<T>(items: readonly T[], deps: (item: T) => readonly string[], keyOf: (item: T) => string): T[] {
  const byKey = new Map(items.map((i) => [keyOf(i), i]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: T[] = [];
  const visit = (item: T): void => {
    const k = keyOf(item);
    if (state.has(k)) return;
    state.set(k, 'visiting');
    for (const d of deps(item)) {
      const dep = byKey.get(d);
      if (dep && state.get(d) !== 'visiting') visit(dep);
    }
    state.set(k, 'done');
    out.push(item);
  };
  for (const i of items) visit(i);
  return out;
}

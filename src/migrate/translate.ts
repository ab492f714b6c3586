// Decides, per statement of a dump, whether to run it (rewritten for ToonQL), load its COPY data, or skip it.

import type { Dialect } from './lexer.js';
import { joinToks, primaryKeyElement, rewriteCreateTable, type TableFolds } from './create-table.js';
import type { ScriptStatement } from './split.js';
import { isP, matchParen, nameOf, plainString, render, sig, sigOnly, tok, toToks, type Tok } from './tokens.js';

/** What to do with one statement. */
export type Action =
  | { readonly kind: 'skip'; readonly reason: string }
  | {
      readonly kind: 'run';
      readonly sql: string;
      /** data: INSERT/UPDATE/DELETE (batched in transactions); ddl: schema; other: anything else. */
      readonly role: 'ddl' | 'data' | 'other';
      /** The table an INSERT writes. */
      readonly table?: string;
      /** Statements to run right after (indexes made from MySQL KEY clauses). */
      readonly then?: readonly string[];
      /** What was translated. */
      readonly notes?: readonly string[];
      /** A single-row INSERT: the text up to VALUES and its tuple, for merging with its neighbours. */
      readonly merge?: { readonly prefix: string; readonly tuple: string };
    }
  | {
      readonly kind: 'copy';
      readonly table: string;
      readonly columns: readonly string[] | undefined;
      readonly data: string;
      /** Anything after FROM stdin (only the default text format is read). */
      readonly options: string;
    };

/** State shared by the statements of one script: folds found in a first pass, names in use. */
export interface TranslateContext {
  readonly dialect: Dialect;
  readonly folds: Map<string, TableFolds>;
  /** Lower-case names of catalog objects made so far (for unique MySQL index names). */
  readonly usedNames: Set<string>;
}

/** Guesses the dialect of a script from markers in its first 256 KiB. */
export function detectDialect(text: string): Dialect {
  const head = text.slice(0, 256 * 1024);
  if (/^-- MySQL dump|^\/\*!\d{5}|^\)\s*ENGINE\s*=|^LOCK TABLES\s|^UNLOCK TABLES;/im.test(head)) return 'mysql';
  if (/^-- PostgreSQL database dump|pg_catalog\.|^COPY\s.*FROM stdin;|^\\(c|connect)\s|\bSERIAL\b|\bnextval\(|::regclass|OWNER TO|^SET search_path/im.test(head)) return 'postgres';
  if (/^PRAGMA\s|sqlite_sequence|^BEGIN TRANSACTION;|AUTOINCREMENT\b|\[\w+\]/im.test(head)) return 'sqlite';
  return 'generic';
}

/** Table key for folds: the lower-cased name. */
const key = (name: string): string => name.toLowerCase();

function foldsOf(ctx: TranslateContext, table: string): TableFolds {
  let f = ctx.folds.get(key(table));
  if (!f) {
    f = { serial: new Set(), identity: new Map() };
    ctx.folds.set(key(table), f);
  }
  return f;
}

/** Dialect rewrites that apply to every token of a statement. */
export function normaliseTokens(text: string, stmt: ScriptStatement, dialect: Dialect): Tok[] {
  const raw = toToks(text, stmt.tokens);
  const out: Tok[] = [];
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i]!;
    if (dialect === 'postgres' && (t.up === 'PUBLIC' || t.up === 'PG_CATALOG' || (t.kind === 'quoted' && t.value === 'public')) && isP(raw[i + 1], '.')) {
      i++; // schema qualifier of the default schema
      continue;
    }
    if (dialect === 'mysql') {
      if (t.kind === 'word' && t.text.startsWith('_') && raw[i + 1]?.kind === 'space' && raw[i + 2]?.kind === 'string') {
        // Character set introducer: _binary 'bytes' is a blob, _utf8mb4 'x' is text.
        const s = raw[i + 2]!;
        out.push(t.up === '_BINARY' ? tok('string', `X'${Buffer.from(s.value ?? '', 'utf8').toString('hex')}'`) : plainString(s));
        i += 2;
        continue;
      }
      if (t.kind === 'string') {
        out.push(plainString(t));
        continue;
      }
      if (t.kind === 'number' && /^0x/i.test(t.text)) {
        out.push(tok('string', `X'${t.text.slice(2).length % 2 ? '0' : ''}${t.text.slice(2)}'`));
        continue;
      }
    }
    out.push(t);
  }
  return out;
}

/**
 * First pass over a pg_dump: ALTER TABLE statements that only make sense folded into the
 * CREATE TABLE (ToonDB cannot add a primary key to a table, and has no sequences).
 * Returns the statement numbers that were folded.
 */
export function collectFolds(text: string, statements: readonly ScriptStatement[], ctx: TranslateContext): Map<number, string> {
  const folded = new Map<number, string>();
  statements.forEach((stmt, n) => {
    if (stmt.clientCommand || stmt.copyData !== undefined) return;
    const s = sigOnly(normaliseTokens(text, stmt, ctx.dialect));
    if (s[0]?.up !== 'ALTER' || s[1]?.up !== 'TABLE') return;
    let i = 2;
    while (s[i]?.up === 'ONLY' || (s[i]?.up === 'IF' && s[i + 1]?.up === 'EXISTS')) i += s[i]!.up === 'IF' ? 2 : 1;
    const table = nameOf(s[i]);
    if (!table) return;
    i++;
    if (s[i]?.up === 'ADD' && s[i + 1]?.up === 'CONSTRAINT' && s[i + 3]?.up === 'PRIMARY') {
      foldsOf(ctx, table).primaryKey = primaryKeyElement(nameOf(s[i + 2]), s.slice(i + 4));
      folded.set(n, `primary key folded into CREATE TABLE ${table}`);
    } else if (s[i]?.up === 'ALTER' && s[i + 1]?.up === 'COLUMN') {
      const column = nameOf(s[i + 2]);
      const rest = s.slice(i + 3);
      if (!column) return;
      if (rest[0]?.up === 'SET' && rest[1]?.up === 'DEFAULT' && /^nextval$/i.test(rest[2]?.text ?? '')) {
        foldsOf(ctx, table).serial.add(key(column));
        folded.set(n, `${table}.${column} default nextval() became SERIAL`);
      } else if (rest[0]?.up === 'ADD' && rest[1]?.up === 'GENERATED') {
        const idAt = rest.findIndex((x) => x.up === 'IDENTITY');
        foldsOf(ctx, table).identity.set(key(column), joinToks(rest.slice(1, idAt + 1)));
        folded.set(n, `${table}.${column} identity folded into CREATE TABLE`);
      }
    }
  });
  return folded;
}

const SKIP_CREATE: Record<string, string> = {
  SEQUENCE: 'sequences are not supported; SERIAL, IDENTITY and AUTOINCREMENT columns keep their own counters',
  EXTENSION: 'extensions are not supported',
  FUNCTION: 'functions are not supported (no data)',
  PROCEDURE: 'procedures are not supported (no data)',
  TRIGGER: 'triggers are not supported (no data; the trigger will not fire)',
  TYPE: 'user-defined types are not supported; columns of the type keep their values',
  DOMAIN: 'domains are not supported',
  AGGREGATE: 'aggregates are not supported',
  OPERATOR: 'operators are not supported',
  RULE: 'rules are not supported',
  POLICY: 'row-level security policies are not supported',
  PUBLICATION: 'publications are not supported',
  SUBSCRIPTION: 'subscriptions are not supported',
  EVENT: 'events are not supported',
  ROLE: 'roles are not supported',
  USER: 'users are not supported',
  TABLESPACE: 'tablespaces are not supported',
  COLLATION: 'collations are not supported',
  CAST: 'casts are not supported',
  LANGUAGE: 'languages are not supported',
  TEXT: 'text search configurations are not supported',
  VIRTUAL: 'virtual tables (FTS, R-tree, …) are not supported; use a bm25 or hnsw index',
  MATERIALIZED: 'materialized views are not supported',
  STATISTICS: 'extended statistics are not supported',
  SERVER: 'foreign servers are not supported',
  FOREIGN: 'foreign tables are not supported',
  DATABASE: 'a ToonDB database is its folder',
  SCHEMA: 'the default schema exists already',
};

/** The action for one statement. */
export function translate(text: string, stmt: ScriptStatement, ctx: TranslateContext): Action {
  if (stmt.clientCommand) {
    return { kind: 'skip', reason: /^DELIMITER/i.test(stmt.clientCommand) ? 'client delimiter change' : 'psql meta-command' };
  }
  const fast = fastInsert(text, stmt, ctx.dialect);
  if (fast) return fast;
  const toks = normaliseTokens(text, stmt, ctx.dialect);
  const s = sigOnly(toks);
  const w0 = s[0]?.up ?? '';
  const w1 = s[1]?.up ?? '';
  const sql = (): string => render(toks);
  const has = (word: string): boolean => s.some((t) => t.up === word);

  if (stmt.copyData !== undefined) {
    const table = nameOf(s[1]) ?? '';
    const open = isP(s[2], '(') ? 2 : -1;
    const columns = open < 0 ? undefined : s.slice(open + 1, matchParen(s, open)).filter((t) => !isP(t, ',')).map((t) => nameOf(t) ?? t.text);
    const stdin = s.findIndex((t) => t.up === 'STDIN');
    const options = joinToks(s.slice(stdin + 1));
    return { kind: 'copy', table, columns, data: stmt.copyData, options };
  }
  switch (w0) {
    case 'SET':
    case 'RESET':
      return { kind: 'skip', reason: 'session setting' };
    case 'PRAGMA':
      return { kind: 'skip', reason: 'SQLite pragma (foreign keys are always enforced; rows are loaded parents first)' };
    case 'BEGIN':
    case 'COMMIT':
    case 'END':
    case 'START':
    case 'SAVEPOINT':
    case 'RELEASE':
      return { kind: 'skip', reason: 'transaction control: the importer commits in batches of its own' };
    case 'ROLLBACK':
      return { kind: 'skip', reason: 'transaction control: the importer commits in batches of its own' };
    case 'LOCK':
    case 'UNLOCK':
      return { kind: 'skip', reason: 'table locks' };
    case 'GRANT':
    case 'REVOKE':
      return { kind: 'skip', reason: 'privileges are not supported' };
    case 'COMMENT':
      return { kind: 'skip', reason: 'comments on objects are not stored' };
    case 'USE':
      return { kind: 'skip', reason: 'database selection: a ToonDB database is its folder' };
    case 'SECURITY':
      return { kind: 'skip', reason: 'security labels are not supported' };
    case 'VACUUM':
    case 'CHECKPOINT':
      return { kind: 'skip', reason: 'maintenance statement' };
    case 'SELECT': {
      const fn = s[1]?.text.toLowerCase();
      if (fn === 'set_config') return { kind: 'skip', reason: 'session setting' };
      if (fn === 'setval') return { kind: 'skip', reason: 'sequence position: ToonDB counters continue after the largest imported key' };
      return { kind: 'run', sql: sql(), role: 'other' };
    }
    case 'INSERT':
    case 'REPLACE': {
      const into = s.findIndex((t) => t.up === 'INTO');
      const table = nameOf(s[into + 1]) ?? '';
      if (/^sqlite_sequence$/i.test(table)) return { kind: 'skip', reason: 'sqlite_sequence: AUTOINCREMENT counters continue after the largest imported key' };
      if (/^sqlite_(master|schema)$/i.test(table)) return { kind: 'skip', reason: 'SQLite schema table (virtual table definition)' };
      return { kind: 'run', sql: sql(), role: 'data', table };
    }
    case 'DELETE':
      if (/^sqlite_sequence$/i.test(nameOf(s[2]) ?? '')) return { kind: 'skip', reason: 'sqlite_sequence is internal to SQLite' };
      return { kind: 'run', sql: sql(), role: 'data' };
    case 'UPDATE':
      return { kind: 'run', sql: sql(), role: 'data' };
    case 'COPY':
      return { kind: 'run', sql: sql(), role: 'data' };
    case 'DROP': {
      const what = w1 === 'MATERIALIZED' ? 'MATERIALIZED' : w1;
      if (SKIP_CREATE[what] && what !== 'SCHEMA') return { kind: 'skip', reason: `DROP ${what}: ${SKIP_CREATE[what]}` };
      return { kind: 'run', sql: sql(), role: 'ddl' };
    }
    case 'ALTER':
      return translateAlter(toks, s, sql);
    case 'CREATE':
      return translateCreate(toks, s, ctx);
    default:
      return { kind: 'run', sql: sql(), role: has('INTO') ? 'data' : 'other' };
  }
}

/**
 * Most of a dump is INSERTs that need no rewriting: those are passed through without building
 * their token text (a large share of the import time otherwise). A single-row
 * `INSERT INTO t [(cols)] VALUES (…)` also reports its prefix and tuple, so that runs of them
 * can be merged into one multi-row INSERT.
 */
function fastInsert(text: string, stmt: ScriptStatement, dialect: Dialect): Action | undefined {
  if (dialect === 'mysql' || stmt.copyData !== undefined || stmt.clientCommand) return undefined;
  const sigs = stmt.tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const word = (i: number): string => (sigs[i]?.kind === 'word' ? text.slice(sigs[i]!.start, sigs[i]!.end).toUpperCase() : '');
  const w0 = word(0);
  if ((w0 !== 'INSERT' && w0 !== 'REPLACE') || word(1) !== 'INTO') return undefined;
  let nameAt = 2;
  let cut: [number, number] | undefined;
  if (text[sigs[3]?.start ?? -1] === '.') {
    // INSERT INTO public.t: drop the default schema, as normaliseTokens would.
    if (dialect !== 'postgres' || !/^(public|pg_catalog)$/i.test(sigs[2]!.kind === 'quoted' ? sigs[2]!.value! : text.slice(sigs[2]!.start, sigs[2]!.end))) return undefined;
    cut = [sigs[2]!.start, sigs[3]!.end];
    nameAt = 4;
  }
  const t = sigs[nameAt];
  if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) return undefined;
  const table = t.kind === 'quoted' ? t.value! : text.slice(t.start, t.end);
  if (/^sqlite_/i.test(table)) return undefined;
  const body = (from: number, to: number): string => (cut && from <= cut[0] ? text.slice(from, cut[0]) + text.slice(cut[1], to) : text.slice(from, to));
  const sql = body(stmt.bodyStart, stmt.end);
  // One tuple after VALUES, closing at the statement's last token: mergeable.
  let at = nameAt + 1;
  if (text[sigs[at]?.start ?? -1] === '(') {
    let depth = 0;
    for (; at < sigs.length; at++) {
      const c = sigs[at]!.kind === 'punct' ? text[sigs[at]!.start] : '';
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) break;
    }
    at++;
  }
  if (word(at) !== 'VALUES' || text[sigs[at + 1]?.start ?? -1] !== '(') return { kind: 'run', sql, role: 'data', table };
  let depth = 0;
  let close = -1;
  for (let i = at + 1; i < sigs.length; i++) {
    const c = sigs[i]!.kind === 'punct' ? text[sigs[i]!.start] : '';
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close !== sigs.length - 1) return { kind: 'run', sql, role: 'data', table };
  const prefix = body(stmt.bodyStart, sigs[at]!.end);
  return { kind: 'run', sql, role: 'data', table, merge: { prefix, tuple: text.slice(sigs[at + 1]!.start, sigs[close]!.end) } };
}

function translateAlter(toks: Tok[], s: Tok[], sql: () => string): Action {
  const w1 = s[1]?.up ?? '';
  if (s.some((t, i) => t.up === 'OWNER' && s[i + 1]?.up === 'TO')) return { kind: 'skip', reason: 'ownership' };
  if (w1 === 'SEQUENCE') return { kind: 'skip', reason: 'sequences are not supported' };
  if (w1 === 'SCHEMA' || w1 === 'DATABASE' || w1 === 'DEFAULT') return { kind: 'skip', reason: `ALTER ${w1}: not supported (no data)` };
  if (w1 === 'TABLE') {
    const words = s.map((t) => t.up);
    const skipIf = (re: RegExp, reason: string): Action | undefined => (re.test(words.join(' ')) ? { kind: 'skip', reason } : undefined);
    const skipped =
      skipIf(/ (ENABLE|DISABLE) (TRIGGER|KEYS|ROW|RULE)/, 'trigger, key and row-security switches') ??
      skipIf(/ REPLICA IDENTITY/, 'replica identity') ??
      skipIf(/ CLUSTER ON/, 'clustering') ??
      skipIf(/ SET (STATISTICS|STORAGE|COMPRESSION)/, 'storage settings') ??
      skipIf(/ SET (WITH|WITHOUT) OIDS/, 'storage settings') ??
      skipIf(/ (ATTACH|DETACH) PARTITION/, 'partitions are not supported') ??
      skipIf(/ INHERIT /, 'table inheritance is not supported') ??
      skipIf(/ SET \(/, 'storage parameters');
    if (skipped) return skipped;
    // ALTER TABLE ONLY t …: a table has no children in ToonDB, so ONLY changes nothing.
    const only = toks.findIndex((t) => t.up === 'ONLY');
    const kept = only >= 0 && only < toks.findIndex((t) => t.up === 'TABLE') + 3 ? toks.filter((_, i) => i !== only) : toks;
    return { kind: 'run', sql: render(kept), role: 'ddl' };
  }
  if (w1 === 'INDEX' || w1 === 'VIEW') return { kind: 'run', sql: sql(), role: 'ddl' };
  return { kind: 'skip', reason: `ALTER ${w1}: not supported (no data)` };
}

function translateCreate(toks: Tok[], s: Tok[], ctx: TranslateContext): Action {
  // The object kind is the first word after CREATE that names one (OR REPLACE, UNIQUE, TEMP,
  // UNLOGGED and MySQL's ALGORITHM=… DEFINER=… may come before it).
  const at = s.findIndex((t, k) => k > 0 && (t.up === 'TABLE' || t.up === 'INDEX' || t.up === 'VIEW' || SKIP_CREATE[t.up] !== undefined));
  const what = at < 0 ? '' : s[at]!.up;
  const words = s.slice(1, Math.max(at, 1)).map((t) => t.up);
  if (SKIP_CREATE[what] !== undefined) {
    if (what === 'SCHEMA') {
      const name = nameOf(s[at + 1]);
      return name?.toLowerCase() === 'public' ? { kind: 'skip', reason: SKIP_CREATE.SCHEMA! } : { kind: 'run', sql: render(toks), role: 'ddl' };
    }
    return { kind: 'skip', reason: SKIP_CREATE[what]! };
  }
  if (what === 'TABLE') {
    const withoutRowid = s.length >= 2 && s[s.length - 2]!.up === 'WITHOUT' && s[s.length - 1]!.up === 'ROWID';
    const body = withoutRowid ? trimLast(toks, 2) : toks;
    const nameAt = s.findIndex((t) => t.up === 'TABLE') + 1;
    const hasIfNotExists = s[nameAt]?.up === 'IF';
    const table = nameOf(s[hasIfNotExists ? nameAt + 3 : nameAt]) ?? '';
    const isAsSelect = !s.some((t) => isP(t, '(')) || s[hasIfNotExists ? nameAt + 4 : nameAt + 1]?.up === 'AS';
    const notes = withoutRowid ? [`${table}: WITHOUT ROWID dropped (rows are keyed by the primary key anyway)`] : [];
    ctx.usedNames.add(key(table));
    if (isAsSelect || (ctx.dialect !== 'mysql' && ctx.dialect !== 'postgres' && !ctx.folds.has(key(table)))) {
      return { kind: 'run', sql: render(dropWords(body, ['UNLOGGED'])), role: 'ddl', notes };
    }
    const r = rewriteCreateTable(body.filter(sig).length ? body : toks, ctx.folds.get(key(table)), ctx.usedNames);
    if (!r) return { kind: 'run', sql: render(body), role: 'ddl', notes };
    return { kind: 'run', sql: r.sql, role: 'ddl', then: r.indexes, notes: [...notes, ...r.notes] };
  }
  if (what === 'INDEX') {
    const using = s.findIndex((t) => t.up === 'USING');
    const method = using >= 0 ? s[using + 1]?.up : undefined;
    if (method && !['BTREE', 'HNSW', 'BM25'].includes(method)) return { kind: 'skip', reason: `index method ${method.toLowerCase()} is not supported` };
    const name = nameOf(s[s.findIndex((t) => t.up === 'INDEX') + 1]);
    if (name) ctx.usedNames.add(key(name));
    // CONCURRENTLY and ON ONLY are server concerns; MySQL's trailing USING BTREE is dropped.
    let out = dropWords(toks, ['CONCURRENTLY']);
    const on = out.findIndex((t) => t.up === 'ON');
    if (on >= 0) {
      const next = out.findIndex((t, k) => k > on && sig(t));
      if (out[next]?.up === 'ONLY') out = out.filter((_, k) => k !== next);
    }
    return { kind: 'run', sql: render(out), role: 'ddl' };
  }
  if (what === 'VIEW') {
    // MySQL: CREATE ALGORITHM=… DEFINER=… SQL SECURITY … VIEW; keep only OR REPLACE.
    const viewAt = toks.findIndex((t) => t.up === 'VIEW');
    const orReplace = words.includes('OR') && words.includes('REPLACE');
    return { kind: 'run', sql: `CREATE ${orReplace ? 'OR REPLACE ' : ''}${render(toks.slice(viewAt))}`, role: 'ddl' };
  }
  return { kind: 'run', sql: render(toks), role: 'ddl' };
}

function dropWords(toks: readonly Tok[], words: readonly string[]): Tok[] {
  return toks.filter((t) => !words.includes(t.up));
}

function trimLast(toks: readonly Tok[], count: number): Tok[] {
  const out = [...toks];
  let left = count;
  while (left > 0 && out.length > 0) {
    const t = out.pop()!;
    if (sig(t)) left--;
  }
  return out;
}

// Rewrites a CREATE TABLE of a PostgreSQL or MySQL dump into ToonQL (types, defaults, keys, options).

import { quoteIdent } from './lexer.js';
import { isP, matchParen, nameOf, render, sigOnly, splitTopLevel, type Tok } from './tokens.js';

/** Column changes gathered from later ALTER TABLE statements of a pg_dump. */
export interface TableFolds {
  /** `CONSTRAINT name PRIMARY KEY (cols)` to add to the table. */
  primaryKey?: string;
  /** Columns whose default is nextval(…): they become SERIAL or BIGSERIAL. */
  readonly serial: Set<string>;
  /** Columns made identity columns by ALTER … ADD GENERATED … AS IDENTITY: the clause to add. */
  readonly identity: Map<string, string>;
}

/** What a CREATE TABLE became. */
export interface RewrittenTable {
  readonly sql: string;
  readonly table: string;
  /** CREATE INDEX statements for MySQL KEY clauses. */
  readonly indexes: string[];
  /** What was changed or dropped, for the import summary. */
  readonly notes: string[];
}

// Words that start a column constraint: they end a type name or a DEFAULT expression.
const CONSTRAINT_WORDS = new Set([
  'NOT', 'NULL', 'CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'REFERENCES', 'GENERATED', 'COLLATE', 'DEFAULT',
  'AUTO_INCREMENT', 'AUTOINCREMENT', 'COMMENT', 'ON', 'CHARACTER', 'CHARSET', 'UNSIGNED', 'SIGNED', 'ZEROFILL',
  'VISIBLE', 'INVISIBLE', 'STORAGE', 'COLUMN_FORMAT', 'SRID', 'KEY', 'AS',
]);
const TEXT_TYPES = new Set(['CHARACTER', 'VARYING', 'TEXT', 'BPCHAR', 'VARCHAR', 'NAME', 'CHAR']);

/**
 * Rewrites `CREATE TABLE name ( elements ) options`: table options after the closing
 * parenthesis are dropped; per column, dialect-only attributes are removed, non-literal
 * defaults are parenthesized, nextval() defaults become SERIAL; MySQL KEY clauses become
 * CREATE INDEX statements and an AUTO_INCREMENT column that is the primary key becomes
 * INTEGER PRIMARY KEY AUTOINCREMENT. Returns undefined when the statement has no element list.
 */
export function rewriteCreateTable(toks: readonly Tok[], folds: TableFolds | undefined, usedNames: Set<string>): RewrittenTable | undefined {
  const open = toks.findIndex((t) => isP(t, '('));
  if (open < 0) return undefined;
  const close = matchParen(toks, open);
  if (close < 0) return undefined;
  const head = sigOnly(toks.slice(0, open)).filter((t) => t.up !== 'UNLOGGED' && t.up !== 'TEMPORARY' && t.up !== 'TEMP');
  const table = nameOf(head[head.length - 1]) ?? '';
  const notes: string[] = [];
  const indexes: string[] = [];
  const elements: string[] = [];
  const autoColumns: string[] = [];
  let pkElement: { index: number; columns: string[] } | undefined;
  const columnText = new Map<string, { index: number; type: string; rest: string }>();

  for (const part of splitTopLevel(toks.slice(open + 1, close))) {
    const s = sigOnly(part);
    if (s.length === 0) continue;
    const first = s[0]!.up;
    if (first === 'KEY' || first === 'INDEX' || ((first === 'FULLTEXT' || first === 'SPATIAL') && s.length > 1)) {
      const kind = first === 'KEY' || first === 'INDEX' ? '' : first;
      const k = s[0]!.up === 'FULLTEXT' || s[0]!.up === 'SPATIAL' ? 1 + (s[1]!.up === 'KEY' || s[1]!.up === 'INDEX' ? 1 : 0) : 1;
      const cols = keyColumns(s.slice(k));
      const given = isP(s[k], '(') ? undefined : nameOf(s[k]);
      if (kind) {
        notes.push(`${kind} KEY ${given ?? ''} on ${table} (${cols.join(', ')}) dropped: not supported`);
        continue;
      }
      const name = indexName(table, given, cols, usedNames);
      indexes.push(`CREATE INDEX ${quoteIdent(name)} ON ${quoteIdent(table)} (${cols.map(quoteIdent).join(', ')})`);
      continue;
    }
    if (first === 'UNIQUE' || (first === 'CONSTRAINT' && s[2]?.up === 'UNIQUE')) {
      const at = first === 'UNIQUE' ? 0 : 2;
      const cname = first === 'CONSTRAINT' ? nameOf(s[1]) : undefined;
      let k = at + 1;
      if (s[k]?.up === 'KEY' || s[k]?.up === 'INDEX') k++;
      const given = isP(s[k], '(') ? undefined : nameOf(s[k]);
      if (!isP(s[k], '(')) k++;
      const cols = keyColumns(s.slice(k));
      const name = cname ?? given;
      elements.push(`${name ? `CONSTRAINT ${quoteIdent(name)} ` : ''}UNIQUE (${cols.map(quoteIdent).join(', ')})`);
      continue;
    }
    if (first === 'PRIMARY' || (first === 'CONSTRAINT' && s[2]?.up === 'PRIMARY')) {
      const at = first === 'PRIMARY' ? 0 : 2;
      const cname = first === 'CONSTRAINT' ? nameOf(s[1]) : undefined;
      const cols = keyColumnsWithOrder(s.slice(at + 2));
      pkElement = { index: elements.length, columns: cols.map((c) => c.name) };
      elements.push(`${cname ? `CONSTRAINT ${quoteIdent(cname)} ` : ''}PRIMARY KEY (${cols.map((c) => quoteIdent(c.name) + c.suffix).join(', ')})`);
      continue;
    }
    if (first === 'CONSTRAINT' || first === 'FOREIGN' || first === 'CHECK' || first === 'EXCLUDE') {
      if (first === 'EXCLUDE' || s[2]?.up === 'EXCLUDE') {
        notes.push(`EXCLUDE constraint on ${table} dropped: not supported`);
        continue;
      }
      elements.push(render(part));
      continue;
    }
    const col = rewriteColumn(part, folds, notes, table);
    if (col.autoIncrement) autoColumns.push(col.name);
    columnText.set(col.name.toLowerCase(), { index: elements.length, type: col.type, rest: col.rest });
    elements.push(`${quoteIdent(col.name)}${col.type ? ` ${col.type}` : ''}${col.rest ? ` ${col.rest}` : ''}`);
  }

  if (folds?.primaryKey && !pkElement) elements.push(folds.primaryKey);
  for (const name of autoColumns) {
    const c = columnText.get(name.toLowerCase())!;
    if (pkElement && pkElement.columns.length === 1 && pkElement.columns[0]!.toLowerCase() === name.toLowerCase()) {
      elements[c.index] = `${quoteIdent(name)} INTEGER PRIMARY KEY AUTOINCREMENT${c.rest ? ` ${c.rest}` : ''}`;
      elements[pkElement.index] = '';
      notes.push(`${table}.${name}: AUTO_INCREMENT primary key became INTEGER PRIMARY KEY AUTOINCREMENT`);
    } else {
      notes.push(`${table}.${name}: AUTO_INCREMENT dropped (not the whole primary key)`);
    }
  }
  const tail = sigOnly(toks.slice(close + 1));
  if (tail.length > 0) {
    const kept = tail.filter((t) => t.up === 'STRICT');
    const dropped = joinToks(tail.filter((t) => t.up !== "STRICT"));
    if (dropped) notes.push(`${table}: table options dropped: ${dropped.length > 80 ? `${dropped.slice(0, 77)}...` : dropped}`);
    tail.length = 0;
    tail.push(...kept);
  }
  const headText = joinToks(head);
  const body = elements.filter((e) => e !== '').join(',\n  ');
  const sql = `${headText} (\n  ${body}\n)${tail.length ? ` ${render(tail)}` : ''}`;
  return { sql, table, indexes, notes };
}

interface ColumnRewrite {
  name: string;
  type: string;
  rest: string;
  autoIncrement: boolean;
}

function rewriteColumn(part: readonly Tok[], folds: TableFolds | undefined, notes: string[], table: string): ColumnRewrite {
  const s = sigOnly(part);
  const name = nameOf(s[0]) ?? s[0]!.text;
  // The type: words (and one parenthesized argument list) up to the first constraint word.
  let i = 1;
  const typeWords: string[] = [];
  let typeArgs = '';
  let enumLike = false;
  const startsConstraint = (k: number): boolean => CONSTRAINT_WORDS.has(s[k]!.up) && !(s[k]!.up === 'CHARACTER' && s[k + 1]?.up !== 'SET');
  while (i < s.length && (s[i]!.kind === 'word' || s[i]!.kind === 'quoted') && !startsConstraint(i)) {
    typeWords.push(s[i]!.kind === 'quoted' ? s[i]!.value! : s[i]!.text);
    i++;
    if (isP(s[i], '(')) {
      const end = matchParen(s, i);
      const args = s.slice(i + 1, end);
      if (args.some((a) => a.kind === 'string')) enumLike = true;
      else typeArgs = `(${args.map((a) => a.text).join('')})`;
      i = end + 1;
      // timestamp(3) without time zone: ToonQL takes arguments only after the last word, and
      // a time precision is not enforced anyway.
      if (s[i]?.kind === 'word' && !startsConstraint(i)) typeArgs = '';
    }
    if (isP(s[i], '[')) {
      // PostgreSQL array: stored as its text form.
      while (isP(s[i], '[') || isP(s[i], ']') || s[i]?.kind === 'number') i++;
      typeWords.splice(0, typeWords.length, 'TEXT');
      typeArgs = '';
      notes.push(`${table}.${name}: array type stored as TEXT`);
    }
  }
  let type = enumLike ? 'TEXT' : `${typeWords.join(' ')}${typeArgs}`;
  if (enumLike) notes.push(`${table}.${name}: ENUM/SET type became TEXT`);
  const out: string[] = [];
  let autoIncrement = false;
  while (i < s.length) {
    const t = s[i]!;
    const up = t.up;
    if (up === 'UNSIGNED' || up === 'SIGNED' || up === 'ZEROFILL' || up === 'VISIBLE' || up === 'INVISIBLE') {
      i++;
    } else if (up === 'AUTO_INCREMENT') {
      autoIncrement = true;
      i++;
    } else if (up === 'CHARACTER' && s[i + 1]?.up === 'SET') {
      i += 3;
    } else if (up === 'CHARSET' || up === 'STORAGE' || up === 'COLUMN_FORMAT' || up === 'SRID') {
      i += 2;
    } else if (up === 'COLLATE') {
      const coll = nameOf(s[i + 1]) ?? '';
      // Only SQLite's collations are known to ToonDB; server collations are dropped.
      if (/^(BINARY|NOCASE|RTRIM)$/i.test(coll)) out.push(`COLLATE ${coll}`);
      i += 2;
    } else if (up === 'COMMENT') {
      i += 2;
    } else if (up === 'ON' && s[i + 1]?.up === 'UPDATE') {
      i += 3;
      if (isP(s[i], '(')) i = matchParen(s, i) + 1;
    } else if (up === 'DEFAULT') {
      const start = i + 1;
      let end = start;
      while (end < s.length && !(CONSTRAINT_WORDS.has(s[end]!.up) && end > start)) {
        if (isP(s[end], '(')) end = matchParen(s, end) + 1;
        else if (isP(s[end], '::')) {
          // A cast's type name may hold words like CHARACTER VARYING.
          end++;
          while (end < s.length && s[end]!.kind === 'word' && !/^(NOT|NULL|CONSTRAINT|PRIMARY|UNIQUE|CHECK|REFERENCES|DEFAULT|COLLATE|GENERATED)$/.test(s[end]!.up)) end++;
          if (isP(s[end], '(')) end = matchParen(s, end) + 1;
        } else end++;
      }
      const expr = s.slice(start, end);
      i = end;
      if (expr.length >= 1 && /^nextval$/i.test(expr[0]!.text)) {
        type = /BIG/i.test(type) ? 'BIGSERIAL' : 'SERIAL';
        continue;
      }
      out.push(`DEFAULT ${defaultExpr(expr)}`);
    } else if (up === 'GENERATED' && s.slice(i, i + 6).some((x) => x.up === 'IDENTITY')) {
      const idAt = s.findIndex((x, k) => k > i && x.up === 'IDENTITY');
      out.push(joinToks(s.slice(i, idAt + 1)));
      i = idAt + 1;
      if (isP(s[i], '(')) i = matchParen(s, i) + 1; // sequence options of pg_dump
    } else if (isP(t, '(')) {
      const end = matchParen(s, i);
      out.push(joinToks(s.slice(i, end + 1)));
      i = end + 1;
    } else {
      out.push(joinToks([t]));
      i++;
    }
  }
  if (folds?.serial.has(name.toLowerCase())) type = /BIG/i.test(type) ? 'BIGSERIAL' : 'SERIAL';
  const identity = folds?.identity.get(name.toLowerCase());
  if (identity) out.push(identity);
  return { name, type, rest: out.join(' '), autoIncrement };
}

/** A DEFAULT expression ToonQL accepts: a lone literal as is, anything else parenthesized. */
function defaultExpr(expr: readonly Tok[]): string {
  let e = stripTextCasts(expr);
  if (e.length === 2 && e[0]!.up === 'CURRENT_TIMESTAMP' && isP(e[1], '(')) e = [e[0]!];
  if (e.length === 4 && /^CURRENT_TIMESTAMP$/i.test(e[0]!.text) && isP(e[1], '(') && isP(e[3], ')')) e = [e[0]!];
  if (e.length === 1) return joinToks(e);
  if (e.length === 2 && (isP(e[0], '-') || isP(e[0], '+')) && e[1]!.kind === 'number') return joinToks(e);
  if (isP(e[0], '(') && matchParen(e, 0) === e.length - 1) return joinToks(e);
  return `(${joinToks(e)})`;
}

/** `'x'::character varying` → `'x'`: pg_dump casts literal defaults to the column's text type. */
function stripTextCasts(expr: readonly Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < expr.length; i++) {
    const t = expr[i]!;
    if (isP(t, '::') && out[out.length - 1]?.kind === 'string') {
      let j = i + 1;
      while (j < expr.length && TEXT_TYPES.has(expr[j]!.up)) j++;
      if (j > i + 1) {
        if (isP(expr[j], '(')) j = matchParen(expr, j) + 1;
        i = j - 1;
        continue;
      }
    }
    out.push(t);
  }
  return out;
}

/** Joins significant tokens, spacing words apart but not punctuation. */
export function joinToks(ts: readonly Tok[]): string {
  let out = '';
  let prev: Tok | undefined;
  for (const t of ts) {
    const tight = prev === undefined || isP(t, ')') || isP(t, ',') || isP(prev, '(') || isP(t, '.') || isP(prev, '.') || isP(t, '::') || isP(prev, '::') || (isP(t, '(') && prev.kind === 'word');
    out += (tight ? '' : ' ') + t.text;
    prev = t;
  }
  return out;
}

/** Column names of a key clause `(a, b(10), c DESC)`; MySQL prefix lengths and order are dropped. */
function keyColumns(s: readonly Tok[]): string[] {
  return keyColumnsWithOrder(s).map((c) => c.name);
}

function keyColumnsWithOrder(s: readonly Tok[]): { name: string; suffix: string }[] {
  const open = s.findIndex((t) => isP(t, '('));
  if (open < 0) return [];
  const close = matchParen(s, open);
  return splitTopLevel(s.slice(open + 1, close)).map((p) => {
    const ps = sigOnly(p);
    const dir = ps.find((t) => t.up === 'DESC' || t.up === 'ASC');
    return { name: nameOf(ps[0]) ?? '', suffix: dir?.up === 'DESC' ? ' DESC' : '' };
  });
}

/** A catalog-wide unique index name (MySQL key names are only unique per table). */
function indexName(table: string, given: string | undefined, cols: readonly string[], used: Set<string>): string {
  let name = given ?? `${table}_${cols.join('_')}_idx`;
  if (used.has(name.toLowerCase())) name = `${table}_${name}`;
  for (let k = 2; used.has(name.toLowerCase()); k++) name = `${table}_${given ?? 'idx'}_${k}`;
  used.add(name.toLowerCase());
  return name;
}

/** A pg_dump `ALTER TABLE … ADD CONSTRAINT n PRIMARY KEY (cols)` as a table element. */
export function primaryKeyElement(name: string | undefined, s: readonly Tok[]): string {
  const cols = keyColumnsWithOrder(s);
  return `${name ? `CONSTRAINT ${quoteIdent(name)} ` : ''}PRIMARY KEY (${cols.map((c) => quoteIdent(c.name) + c.suffix).join(', ')})`;
}

// A small, dialect-aware SQL tokenizer used to split dump scripts into statements and rewrite them.

/** The SQL dialects an import understands. 'generic' is ToonQL/SQLite text. */
export type Dialect = 'sqlite' | 'postgres' | 'mysql' | 'generic';

/** Token kinds: only as fine as splitting and rewriting need. */
export type TokenKind = 'space' | 'comment' | 'string' | 'quoted' | 'dollar' | 'word' | 'number' | 'punct';

/** One token: its kind and its [start, end) offsets in the script. */
export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  /** For 'string': the decoded value (quotes and escapes removed). For 'quoted': the name. */
  readonly value?: string;
  /** For a 'string': written with backslash escapes (MySQL strings, PostgreSQL E'…'). */
  readonly escaped?: boolean;
  /** For a 'string': its prefix letter (X for blobs, N, E, B), upper-cased. */
  readonly prefix?: string;
}

const WORD_START = /[\p{L}_]/u;
const WORD_PART = /[\p{L}\p{N}_$]/u;
const WORD = /[\p{L}_][\p{L}\p{N}_$]*/uy;
const SPACE = /[ \t\n\r\f\v\uFEFF]+/y;
const QUOTE_OR_BACKSLASH = /['\\]/g;

/** Tokenizer state that outlives one token: inside a MySQL `/*!NNNNN … *\/` conditional comment. */
export interface LexState {
  inConditional: boolean;
}

/**
 * Reads the token at `pos`, or undefined at the end of the text. MySQL's conditional comments
 * are executable code there, so their markers become whitespace and their content is lexed.
 */
export function nextToken(text: string, pos: number, dialect: Dialect, state: LexState): Token | undefined {
  const n = text.length;
  if (pos >= n) return undefined;
  const c = text[pos]!;
  const c2 = text[pos + 1];
  if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\uFEFF') {
    SPACE.lastIndex = pos;
    SPACE.test(text);
    return { kind: 'space', start: pos, end: SPACE.lastIndex };
  }
  if (c === '-' && c2 === '-') return { kind: 'comment', start: pos, end: lineEnd(text, pos) };
  if (c === '#' && dialect === 'mysql') return { kind: 'comment', start: pos, end: lineEnd(text, pos) };
  if (c === '/' && c2 === '*') {
    if (dialect === 'mysql' && text[pos + 2] === '!') {
      let e = pos + 3;
      while (e < n && text[e]! >= '0' && text[e]! <= '9') e++;
      state.inConditional = true;
      return { kind: 'space', start: pos, end: e };
    }
    const close = text.indexOf('*/', pos + 2);
    return { kind: 'comment', start: pos, end: close < 0 ? n : close + 2 };
  }
  if (c === '*' && c2 === '/' && state.inConditional) {
    state.inConditional = false;
    return { kind: 'space', start: pos, end: pos + 2 };
  }
  if (c === "'") return readString(text, pos, pos + 1, dialect === 'mysql');
  if ((c === 'E' || c === 'e') && c2 === "'" && dialect !== 'mysql') {
    // PostgreSQL escape string: keep the E inside the token so a rewrite replaces both.
    return { ...readString(text, pos, pos + 2, true), prefix: 'E' };
  }
  if (c2 === "'" && /[XxNnBb]/.test(c) && (pos === 0 || !WORD_PART.test(text[pos - 1]!))) {
    return { ...readString(text, pos, pos + 2, dialect === 'mysql' && /[Nn]/.test(c)), prefix: c.toUpperCase() };
  }
  if (c === '"' || c === '`') return readQuoted(text, pos, c);
  if (c === '[' && dialect !== 'postgres') return readQuoted(text, pos, ']');
  if (c === '$' && dialect === 'postgres') {
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(pos, pos + 64));
    if (m) {
      const close = text.indexOf(m[0], pos + m[0].length);
      return { kind: 'dollar', start: pos, end: close < 0 ? n : close + m[0].length };
    }
  }
  if ((c >= '0' && c <= '9') || (c === '.' && c2 !== undefined && c2 >= '0' && c2 <= '9')) {
    const m = /^(0[xX][0-9A-Fa-f]+|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/.exec(text.slice(pos, pos + 400))!;
    return { kind: 'number', start: pos, end: pos + m[0].length };
  }
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || (c > '\x7f' && WORD_START.test(c))) {
    WORD.lastIndex = pos;
    WORD.test(text);
    return { kind: 'word', start: pos, end: WORD.lastIndex };
  }
  const three = text.slice(pos, pos + 2);
  if (three === '::' || three === '<>' || three === '<=' || three === '>=' || three === '!=' || three === '||') {
    return { kind: 'punct', start: pos, end: pos + 2 };
  }
  return { kind: 'punct', start: pos, end: pos + 1 };
}

function lineEnd(text: string, pos: number): number {
  const e = text.indexOf('\n', pos);
  return e < 0 ? text.length : e;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '0': '\0', Z: '\x1a', "'": "'", '"': '"', '\\': '\\' };

/** A single-quoted string from `open` (the offset after the quote); `''` is a quote in every dialect. */
function readString(text: string, start: number, open: number, backslash: boolean): Token {
  let out = '';
  let i = open;
  const n = text.length;
  const prefixed = open - start === 2;
  while (i < n) {
    // Jump to the next quote (or backslash) and take the run before it whole.
    let stop: number;
    if (backslash) {
      QUOTE_OR_BACKSLASH.lastIndex = i;
      const m = QUOTE_OR_BACKSLASH.exec(text);
      stop = m ? m.index : n;
    } else {
      stop = text.indexOf("'", i);
      if (stop < 0) stop = n;
    }
    out += text.slice(i, stop);
    i = stop;
    if (i >= n) break;
    if (text[i] === "'") {
      if (text[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      return { kind: 'string', start, end: i + 1, value: out, escaped: backslash };
    }
    // A backslash escape.
    if (i + 1 >= n) {
      out += '\\';
      i++;
      continue;
    }
    const nx = text[i + 1]!;
    if (nx === 'x' && prefixed && /^[0-9A-Fa-f]{1,2}/.test(text.slice(i + 2, i + 4))) {
      const hex = /^[0-9A-Fa-f]{1,2}/.exec(text.slice(i + 2, i + 4))![0];
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2 + hex.length;
      continue;
    }
    if ((nx === 'u' || nx === 'U') && prefixed) {
      const len = nx === 'u' ? 4 : 8;
      const hex = text.slice(i + 2, i + 2 + len);
      if (/^[0-9A-Fa-f]+$/.test(hex) && hex.length === len) {
        out += String.fromCodePoint(parseInt(hex, 16));
        i += 2 + len;
        continue;
      }
    }
    // MySQL keeps \% and \_ as two characters (they are LIKE escapes); other unknown escapes drop the backslash.
    out += nx === '%' || nx === '_' ? (prefixed ? nx : `\\${nx}`) : (ESCAPES[nx] ?? nx);
    i += 2;
  }
  return { kind: 'string', start, end: n, value: out, escaped: backslash };
}

function readQuoted(text: string, start: number, close: string): Token {
  let out = '';
  let i = start + 1;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === close) {
      if (close !== ']' && text[i + 1] === close) {
        out += close;
        i += 2;
        continue;
      }
      return { kind: 'quoted', start, end: i + 1, value: out };
    }
    out += ch;
    i++;
  }
  return { kind: 'quoted', start, end: n, value: out };
}

/** Quotes a name for ToonQL with double quotes. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes text as a standard SQL string literal (no escapes but `''`). */
export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

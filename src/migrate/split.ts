// Splits a SQL script into statements, keeping COPY … FROM stdin data blocks and psql meta-commands apart.

import { nextToken, type Dialect, type LexState, type Token } from './lexer.js';

/** One statement of a script, as written. */
export interface ScriptStatement {
  /** The statement's tokens (whitespace and comments included), without the terminating `;`. */
  readonly tokens: readonly Token[];
  /** Offsets of the statement in the script. */
  readonly start: number;
  readonly end: number;
  /** 1-based line of the statement's first significant token. */
  readonly line: number;
  /** Offset of the first significant token (after leading comments). */
  readonly bodyStart: number;
  /** For `COPY … FROM stdin`: the data lines that followed it, without the `\.` terminator. */
  readonly copyData?: string;
  /** A psql meta-command line (`\connect db`) or a MySQL client DELIMITER line. */
  readonly clientCommand?: string;
}

/** Offsets where lines start, for turning offsets into line numbers. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** The 1-based line holding `offset`. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

const isSignificant = (t: Token): boolean => t.kind !== 'space' && t.kind !== 'comment';

/**
 * Yields the statements of `text` in order. Statement boundaries are `;` outside strings,
 * quoted names, comments and dollar quotes; a CREATE TRIGGER body runs to `END;`; a MySQL
 * `DELIMITER xx` line changes the terminator until the next DELIMITER line.
 */
export function* splitStatements(text: string, dialect: Dialect): Generator<ScriptStatement> {
  const lines = new LineIndex(text);
  const state: LexState = { inConditional: false };
  let delimiter = ';';
  let pos = 0;
  let tokens: Token[] = [];
  let significant: Token[] = [];
  let stmtStart = 0;
  let inTrigger = false;
  const n = text.length;

  const finish = (end: number): ScriptStatement | undefined => {
    const had = significant.length > 0;
    const bodyStart = had ? significant[0]!.start : stmtStart;
    const stmt: ScriptStatement = { tokens, start: stmtStart, end, bodyStart, line: lines.lineOf(bodyStart) };
    tokens = [];
    significant = [];
    inTrigger = false;
    return had ? stmt : undefined;
  };

  while (pos < n) {
    // Client commands sit on their own line, between statements.
    if (significant.length === 0 && !state.inConditional && (pos === 0 || text[pos - 1] === '\n')) {
      const lineStop = text.indexOf('\n', pos) < 0 ? n : text.indexOf('\n', pos);
      const line = text.slice(pos, lineStop);
      const trimmed = line.trimStart();
      const isMeta = trimmed.startsWith('\\');
      const delim = dialect === 'mysql' || /^DELIMITER\s/i.test(trimmed) ? /^DELIMITER\s+(\S+)\s*$/i.exec(trimmed) : null;
      if (isMeta || delim) {
        tokens = [];
        yield { tokens: [], start: pos, end: lineStop, bodyStart: pos, line: lines.lineOf(pos), clientCommand: trimmed.trimEnd() };
        if (delim) delimiter = delim[1]!;
        pos = lineStop;
        stmtStart = pos;
        continue;
      }
    }
    if (delimiter !== ';' && !state.inConditional && text.startsWith(delimiter, pos)) {
      const stmt = finish(pos);
      if (stmt) yield stmt;
      pos += delimiter.length;
      stmtStart = pos;
      continue;
    }
    const tok = nextToken(text, pos, dialect, state)!;
    pos = tok.end;
    if (tok.kind === 'punct' && text[tok.start] === ';' && delimiter === ';') {
      // A SQLite trigger body (BEGIN … END) holds semicolons; a PostgreSQL trigger has no body.
      if (inTrigger && significant.some((t) => wordAt(text, t) === 'BEGIN') && !endsTrigger(text, significant)) {
        tokens.push(tok);
        significant.push(tok);
        continue;
      }
      const stmt = finish(tok.start);
      if (stmt && isCopyFromStdin(text, stmt)) {
        // The data starts on the line after the statement and ends at a line holding `\.`.
        const nl = text.indexOf('\n', pos);
        const dataStart = nl < 0 ? n : nl + 1;
        const term = /^\\\.[ \t\r]*$/m;
        term.lastIndex = 0;
        const rest = text.slice(dataStart);
        const m = term.exec(rest);
        const dataEnd = m ? dataStart + m.index : n;
        yield { ...stmt, copyData: text.slice(dataStart, dataEnd) };
        pos = m ? dataStart + m.index + m[0].length : n;
      } else if (stmt) {
        yield stmt;
      }
      stmtStart = pos;
      continue;
    }
    tokens.push(tok);
    if (isSignificant(tok)) {
      significant.push(tok);
      if (significant.length <= 3 && tok.kind === 'word' && /^TRIGGER$/i.test(text.slice(tok.start, tok.end)) && wordAt(text, significant[0]!) === 'CREATE') {
        inTrigger = true;
      }
    }
  }
  const last = finish(n);
  if (last) yield last;
}

function wordAt(text: string, t: Token): string {
  return t.kind === 'word' ? text.slice(t.start, t.end).toUpperCase() : '';
}

/** A trigger body ends at `END;` (the END not being part of a CASE … END). */
function endsTrigger(text: string, significant: readonly Token[]): boolean {
  const last = significant[significant.length - 1];
  if (!last || wordAt(text, last) !== 'END') return false;
  let depth = 0;
  for (const t of significant) {
    const w = wordAt(text, t);
    if (w === 'CASE') depth++;
    else if (w === 'END') depth--;
  }
  return depth < 0;
}

function isCopyFromStdin(text: string, stmt: ScriptStatement): boolean {
  const words = stmt.tokens.filter(isSignificant);
  if (wordAt(text, words[0]!) !== 'COPY') return false;
  const upper = words.map((t) => wordAt(text, t));
  const from = upper.indexOf('FROM');
  return from > 0 && upper[from + 1] === 'STDIN';
}

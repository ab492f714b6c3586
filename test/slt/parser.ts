// Parser for the sqllogictest (.test / .slt) format: records, conditions and expected results.

/** How query results are ordered on the client side before comparison. */
export type SortMode = 'nosort' | 'rowsort' | 'valuesort';

/** A `skipif <db>` or `onlyif <db>` line in front of a record. */
export interface Condition {
  readonly kind: 'skipif' | 'onlyif';
  readonly engine: string;
  readonly line: number;
}

/** Expected query output: a list of rendered values, or "N values hashing to MD5". */
export type ExpectedResult =
  | { readonly kind: 'values'; readonly values: readonly string[] }
  | { readonly kind: 'hash'; readonly count: number; readonly hash: string };

/** Where a record sits in the file: 0-based line indexes, used by --complete to rewrite it. */
export interface RecordSpan {
  /** Index of the first line of the record (its first condition, or its keyword line). */
  readonly start: number;
  /** Index of the line just after the SQL text: where `----` is, or would go. */
  readonly sqlEnd: number;
  /** Index just after the last non-blank line of the record. */
  readonly end: number;
}

interface RecordBase {
  /** 1-based line number of the record's keyword line (`statement`, `query`, ...). */
  readonly line: number;
  readonly conditions: readonly Condition[];
  readonly span: RecordSpan;
}

/** A statement that must succeed (`statement ok`) or fail (`statement error`). */
export interface StatementRecord extends RecordBase {
  readonly kind: 'statement';
  readonly expectError: boolean;
  readonly sql: string;
}

/** A query with its type string (one of I, R, T per column), sort mode, label and expected result. */
export interface QueryRecord extends RecordBase {
  readonly kind: 'query';
  readonly types: string;
  readonly sortMode: SortMode;
  readonly label: string | null;
  readonly sql: string;
  /** The expected result; an omitted `----` section means an empty result. */
  readonly expected: ExpectedResult;
}

/** `hash-threshold N`: results with more than N values are compared by MD5 (0 = never). */
export interface HashThresholdRecord extends RecordBase {
  readonly kind: 'hash-threshold';
  readonly threshold: number;
}

/** `halt`: ignore the rest of the file. */
export interface HaltRecord extends RecordBase {
  readonly kind: 'halt';
}

/** Any record of a sqllogictest file. */
export type SltRecord = StatementRecord | QueryRecord | HashThresholdRecord | HaltRecord;

/** A parse failure, with the file and 1-based line it happened on. */
export class SltParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'SltParseError';
  }
}

const HASH_RESULT = /^(\d+) values? hashing to ([0-9a-f]{32})$/;
const TYPE_STRING = /^[ITR]+$/;

/** Splits a file's text into lines, accepting LF and CRLF endings alike. */
export function splitLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Parses the text of a sqllogictest file into records. `file` is used in error messages only. */
export function parseSlt(text: string, file = '<input>'): SltRecord[] {
  const lines = splitLines(text);
  const records: SltRecord[] = [];
  const isBlank = (i: number): boolean => lines[i]!.trim() === '';
  const isComment = (i: number): boolean => lines[i]!.startsWith('#');
  let i = 0;
  while (i < lines.length) {
    if (isBlank(i) || isComment(i)) {
      i++;
      continue;
    }
    // A record runs to the next blank line; comment lines inside it are dropped.
    const start = i;
    const body: { text: string; index: number }[] = [];
    while (i < lines.length && !isBlank(i)) {
      if (!isComment(i)) body.push({ text: lines[i]!, index: i });
      i++;
    }
    const end = i;
    records.push(parseRecord(body, start, end, file));
  }
  return records;
}

function parseRecord(
  body: { text: string; index: number }[],
  start: number,
  end: number,
  file: string,
): SltRecord {
  const conditions: Condition[] = [];
  let k = 0;
  for (; k < body.length; k++) {
    const tokens = body[k]!.text.trim().split(/\s+/);
    if (tokens[0] !== 'skipif' && tokens[0] !== 'onlyif') break;
    if (!tokens[1]) throw new SltParseError(file, body[k]!.index + 1, `${tokens[0]} needs a database name`);
    conditions.push({ kind: tokens[0], engine: tokens[1].toLowerCase(), line: body[k]!.index + 1 });
  }
  const head = body[k];
  if (!head) throw new SltParseError(file, start + 1, 'condition without a record');
  const line = head.index + 1;
  const tokens = head.text.trim().split(/\s+/);
  const rest = body.slice(k + 1);
  const fail = (message: string): never => {
    throw new SltParseError(file, line, message);
  };
  switch (tokens[0]) {
    case 'statement': {
      if (tokens[1] !== 'ok' && tokens[1] !== 'error') fail(`expected 'statement ok' or 'statement error'`);
      if (rest.length === 0) fail('statement without SQL');
      const span = { start, sqlEnd: end, end };
      return { kind: 'statement', line, conditions, span, expectError: tokens[1] === 'error', sql: joinSql(rest) };
    }
    case 'query':
      return parseQuery(tokens, rest, { line, conditions, start, end }, fail);
    case 'hash-threshold': {
      const threshold = Number(tokens[1]);
      if (!Number.isInteger(threshold) || threshold < 0) fail(`bad hash-threshold '${tokens[1] ?? ''}'`);
      return { kind: 'hash-threshold', line, conditions, span: { start, sqlEnd: end, end }, threshold };
    }
    case 'halt':
      return { kind: 'halt', line, conditions, span: { start, sqlEnd: end, end } };
    default:
      return fail(`unknown record '${tokens[0] ?? ''}'`);
  }
}

function parseQuery(
  tokens: string[],
  rest: { text: string; index: number }[],
  at: { line: number; conditions: Condition[]; start: number; end: number },
  fail: (message: string) => never,
): QueryRecord {
  const types = tokens[1] ?? '';
  if (!TYPE_STRING.test(types)) fail(`bad query type string '${types}' (expected letters I, R, T)`);
  let sortMode: SortMode = 'nosort';
  let label: string | null = null;
  let t = 2;
  if (tokens[t] === 'nosort' || tokens[t] === 'rowsort' || tokens[t] === 'valuesort') sortMode = tokens[t++] as SortMode;
  if (tokens[t] !== undefined) label = tokens[t]!;
  const sep = rest.findIndex((l) => l.text.trim() === '----');
  const sqlLines = sep < 0 ? rest : rest.slice(0, sep);
  if (sqlLines.length === 0) fail('query without SQL');
  const resultLines = sep < 0 ? [] : rest.slice(sep + 1).map((l) => l.text);
  const sqlEnd = sep < 0 ? at.end : rest[sep]!.index;
  const hashed = resultLines.length === 1 ? HASH_RESULT.exec(resultLines[0]!.trim()) : null;
  const expected: ExpectedResult = hashed
    ? { kind: 'hash', count: Number(hashed[1]), hash: hashed[2]! }
    : { kind: 'values', values: resultLines };
  return {
    kind: 'query',
    line: at.line,
    conditions: at.conditions,
    span: { start: at.start, sqlEnd, end: at.end },
    types,
    sortMode,
    label,
    sql: joinSql(sqlLines),
    expected,
  };
}

function joinSql(lines: { text: string }[]): string {
  return lines.map((l) => l.text).join('\n');
}

/**
 * Whether a record runs on an engine known by `names` (e.g. ['toondb', 'sqlite']): it is
 * skipped by a `skipif` naming the engine, or by an `onlyif` naming another one.
 */
export function appliesTo(record: SltRecord, names: readonly string[]): boolean {
  return record.conditions.every((c) => (c.kind === 'skipif' ? !names.includes(c.engine) : names.includes(c.engine)));
}

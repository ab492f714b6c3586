// TOON (spec v4) for ToonDB: toToon / fromToon over @toon-format/toon, with host-type normalization and typed errors.

import { decode, encode, escapeString, ToonDecodeError } from '@toon-format/toon';
import { ToonSyntaxError } from '../errors.js';

/** The spec's delimiter modes, by character or by name. */
export type ToonDelimiter = ',' | '\t' | '|' | 'comma' | 'tab' | 'pipe';

/** A value of the JSON data model, which is what TOON carries (spec §2). */
export type ToonValue = string | number | boolean | null | ToonValue[] | { [key: string]: ToonValue };

/** Encoder options, named as in spec §13 (`indentSize`, `delimiter`). */
export interface ToonEncodeOptions {
  /** Spaces per indentation level (default 2). */
  indentSize?: number;
  /** Document delimiter for inline arrays and tabular rows (default comma). */
  delimiter?: ToonDelimiter;
}

/** Decoder options, named as in spec §13 (`indentSize`, `strict`). */
export interface ToonDecodeOptions {
  /** Spaces per indentation level (default 2). */
  indentSize?: number;
  /** Enforce the strict-mode checks of spec §14: counts, widths, indentation, duplicate keys (default true). */
  strict?: boolean;
}

const DELIMITER_CHARS = { comma: ',', tab: '\t', pipe: '|', ',': ',', '\t': '\t', '|': '|' } as const;

/** The delimiter character for a delimiter option (comma when absent). */
export function delimiterChar(d: ToonDelimiter | undefined): ',' | '\t' | '|' {
  return DELIMITER_CHARS[d ?? ','];
}

/**
 * Encodes a value as TOON (spec v4). Host values are first normalized as documented in
 * docs/toon.md: safe bigints become numbers and larger ones decimal strings, blobs
 * (Uint8Array) become `x'…'` hex strings, vectors (Float32Array and other numeric typed
 * arrays) become number arrays, Maps objects and Sets arrays; NaN and ±Infinity become null.
 */
export function toToon(value: unknown, options: ToonEncodeOptions = {}): string {
  return encode(normalizeHostValue(value), {
    indentSize: options.indentSize ?? 2,
    delimiter: delimiterChar(options.delimiter),
  });
}

/**
 * Decodes TOON text (spec v4) to a JSON-model value. Numbers decode to JavaScript doubles
 * (integers beyond 2^53 lose precision). Throws ToonSyntaxError (code TOON_SYNTAX) with the
 * line number on malformed input or, in strict mode, on failed count/width/indent checks.
 */
export function fromToon(text: string, options: ToonDecodeOptions = {}): ToonValue {
  const resolved = { indentSize: options.indentSize ?? 2, strict: options.strict ?? true };
  const original = text.split('\n');
  let input = text;
  // Each retry rewrites one more line, so the loop ends after at most one pass per line.
  for (let attempt = 0; ; attempt++) {
    try {
      return decode(input, resolved) as ToonValue;
    } catch (e) {
      if (!(e instanceof ToonDecodeError)) throw e;
      const line = e.line;
      if (!resolved.strict && line !== undefined && attempt < original.length) {
        const rewritten = quoteHeaderLikeKey(input, line);
        if (rewritten !== undefined) {
          input = rewritten;
          continue;
        }
      }
      const source = line === undefined ? e.source : original[line - 1]?.replace(/\r$/, '');
      throw new ToonSyntaxError(e.message, line, source, { cause: e });
    }
  }
}

/**
 * Non-strict fall-through of spec §6: a line that looks like a header but is not one
 * (`key[]: 1,2`, `foo[2]extra: x`, `foo[1][bar]: 10`) is read as a key-value line whose key
 * is the literal text before the first unquoted colon. The library rejects such lines even
 * when not strict, so the key is quoted and the text decoded again; line numbers are kept.
 */
function quoteHeaderLikeKey(text: string, lineNo: number): string | undefined {
  const lines = text.split('\n');
  const raw = lines[lineNo - 1];
  if (raw === undefined) return undefined;
  const m = /^( *)(- )?(.*?)(\r?)$/.exec(raw)!;
  const [, indent, marker = '', content, cr] = m;
  if (content!.startsWith('"')) return undefined;
  const colon = content!.indexOf(':');
  if (colon <= 0) return undefined;
  const key = content!.slice(0, colon).trim();
  if (!key.includes('[') || key.includes('"')) return undefined;
  lines[lineNo - 1] = `${indent}${marker}"${escapeString(key)}"${content!.slice(colon)}${cr}`;
  return lines.join('\n');
}

/** The JSON-model form of a host value, per the mapping documented on toToon. */
export function normalizeHostValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return bigintValue(value);
    return value;
  }
  if (value instanceof Uint8Array) return blobHex(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    if (value instanceof Float32Array) return float32Array(value);
    return Array.from(value as unknown as ArrayLike<number | bigint>, (n) => normalizeHostValue(n));
  }
  if (Array.isArray(value)) return value.map(normalizeHostValue);
  if (value instanceof Map) return Object.fromEntries(Array.from(value, ([k, v]) => [String(k), normalizeHostValue(v)]));
  if (value instanceof Set) return Array.from(value, normalizeHostValue);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value; // Date and other toJSON hosts: the encoder handles them
  // Object.fromEntries defines own properties, so a `__proto__` key stays an ordinary key (spec §15).
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeHostValue(v)]));
}

/** A bigint as a number when exact, else as its decimal string (the lossless form of spec §2). */
export function bigintValue(v: bigint): number | string {
  return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
}

/** A blob as the SQL hex literal text `x'0a1b'`. */
export function blobHex(v: Uint8Array): string {
  return `x'${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}'`;
}

/** A vector as numbers, each the shortest decimal that reads back as the same float32. */
export function float32Array(v: Float32Array): number[] {
  return Array.from(v, float32Shortest);
}

/** The shortest decimal that rounds to the float32 `x` (0.1f is 0.1, not 0.10000000149011612). */
export function float32Shortest(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  for (let p = 1; p < 9; p++) {
    const y = Number(x.toPrecision(p));
    if (Math.fround(y) === x) return y;
  }
  return Number(x.toPrecision(9));
}

/**
 * A TOON table `name[N]{f1,f2}:` with one row per record, the TypeScript form of the seed's
 * `to_toon(name, records, fields)`. `fields` defaults to the first record's keys; records
 * missing a field get null. With no records the header is still written (`name[0]{a,b}:`),
 * which decoders read as an empty array, so the column names stay visible.
 */
export function toToonTable(
  name: string,
  records: readonly Record<string, unknown>[],
  fields: readonly string[] = records.length > 0 ? Object.keys(records[0]!) : [],
  options: ToonEncodeOptions = {},
): string {
  if (records.length === 0) {
    if (fields.length === 0) return toToon({ [name]: [] }, options);
    const d = delimiterChar(options.delimiter);
    const bracket = d === ',' ? '[0]' : `[0${d}]`;
    return `${encodeKey(name)}${bracket}{${fields.map(encodeKey).join(d)}}:`;
  }
  const rows = records.map((r) => Object.fromEntries(fields.map((f) => [f, r[f] ?? null])));
  return toToon({ [name]: rows }, options);
}

/** What fromToonTable returns: the seed's `(table_name, fields, records)`. */
export interface ToonTable {
  name: string;
  fields: string[];
  records: Record<string, ToonValue>[];
}

/**
 * Reads a document holding one table (`name[N]{…}:` with rows), the inverse of toToonTable.
 * Throws ToonSyntaxError when the text is not TOON or is not a single array of objects.
 */
export function fromToonTable(text: string, options: ToonDecodeOptions = {}): ToonTable {
  const value = fromToon(text, options);
  const entries = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];
  const [name, rows] = entries[0] ?? [];
  if (entries.length !== 1 || !Array.isArray(rows) || !rows.every(isObject)) {
    throw new ToonSyntaxError('expected a single table: one key holding an array of objects');
  }
  const records = rows as Record<string, ToonValue>[];
  const fields = records.length > 0 ? Object.keys(records[0]!) : (emptyTableFields(text) ?? []);
  return { name: name!, fields, records };
}

/**
 * The top-level field names of an empty table's header (`name[0]{a,b}:`), which the decoded
 * value (an empty array) cannot carry. Undefined when the first line is not such a header.
 */
function emptyTableFields(text: string): string[] | undefined {
  const line = text.split('\n').find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  const m = line === undefined ? null : /^\s*(?:"(?:[^"\\]|\\.)*"|[^"[]*)\[0([|\t]?)\]\{(.*)\}:\s*$/.exec(line);
  if (!m) return undefined;
  const delim = m[1] || ',';
  const names: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < m[2]!.length; i++) {
    const c = m[2]![i]!;
    if (quoted) {
      current += c;
      if (c === '\\') current += m[2]![++i] ?? '';
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
      current += c;
    } else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === delim && depth === 0) {
      names.push(current);
      current = '';
    } else if (depth === 0) current += c;
  }
  names.push(current);
  return names.map((n) => (n.trim().startsWith('"') ? (JSON.parse(n.trim()) as string) : n.trim()));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A key or field name as spec §7.3 writes it: bare when it matches the unquoted-key pattern, else quoted. */
export function encodeKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(key) ? key : `"${escapeString(key)}"`;
}

// Renders engine values the way the sqllogictest reference (slt_sqlite.c) prints them: I, R, T.

import { createHash } from 'node:crypto';
import type { SortMode } from './parser.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER_TYPE = /int|bool/i;
const latin1 = new TextDecoder('latin1');

function clampInt64(v: bigint): bigint {
  return v < INT64_MIN ? INT64_MIN : v > INT64_MAX ? INT64_MAX : v;
}

/** sqlite3_column_int64 semantics: REALs truncate toward zero, text yields its integer prefix. */
function toInt64(v: unknown): bigint {
  if (typeof v === 'bigint') return clampInt64(v);
  if (typeof v === 'number') return Number.isFinite(v) ? clampInt64(BigInt(Math.trunc(v))) : Number.isNaN(v) ? 0n : v > 0 ? INT64_MAX : INT64_MIN;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  const m = /^\s*([+-]?\d+)/.exec(textOf(v));
  return m ? clampInt64(BigInt(m[1]!)) : 0n;
}

/** sqlite3_column_double semantics: text yields its numeric prefix (0 when there is none). */
function toDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(textOf(v));
  return m ? Number(m[0].trim()) : 0;
}

function textOf(v: unknown): string {
  if (v instanceof Uint8Array) return latin1.decode(v);
  return String(v);
}

/** printf("%.3f") as SQLite's own printf does it (at most 16 significant digits, Inf/-Inf). */
export function formatReal3(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (Math.abs(x) < 1e13) return x.toFixed(3);
  // Past 16 significant digits SQLite's printf pads with zeros instead of exact digits.
  const [mantissa, expText] = x.toExponential(15).split('e') as [string, string];
  const exp = Number(expText);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace(/[-.]/g, '');
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  return `${sign}${whole}.${digits.slice(exp + 1).padEnd(3, '0')}`;
}

/** SQLite's "%!.15g" rendering of a REAL as text (e.g. 1.0, 0.1, 1.0e+20). */
export function formatReal15g(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0.0';
  const [mantissa, expText] = x.toExponential(14).split('e') as [string, string];
  const exp = Number(expText);
  const keepPoint = (s: string): string => {
    const t = s.includes('.') ? s.replace(/0+$/, '') : s;
    return t.endsWith('.') ? `${t}0` : t.includes('.') ? t : `${t}.0`;
  };
  if (exp < -4 || exp >= 15) {
    const e = Math.abs(exp);
    return `${keepPoint(mantissa)}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  return keepPoint(x.toFixed(14 - exp));
}

/** Replaces every byte outside printable ASCII by '@', as the reference does on UTF-8 bytes. */
function printable(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c <= 0x7e) out += ch;
    else out += '@'.repeat(Buffer.byteLength(ch, 'utf8'));
  }
  return out;
}

/**
 * Renders one value for a type letter: NULL as 'NULL'; I as a 64-bit integer; R as '%.3f';
 * T as text, '' as '(empty)' and non-printable characters as '@'. `columnType` (when the
 * engine reports one) tells an integral `number` from a REAL for T columns.
 */
export function formatValue(value: unknown, type: string, columnType?: string): string {
  if (value === null || value === undefined) return 'NULL';
  switch (type) {
    case 'I':
      return toInt64(value).toString();
    case 'R':
      return formatReal3(toDouble(value));
    default: {
      let s: string;
      if (typeof value === 'number') {
        s = columnType && INTEGER_TYPE.test(columnType) ? toInt64(value).toString() : formatReal15g(value);
      } else if (typeof value === 'boolean') s = value ? '1' : '0';
      else s = textOf(value);
      return s === '' ? '(empty)' : printable(s);
    }
  }
}

/** Renders a result set into the flat value list of the reference (row by row, column by column). */
export function renderRows(rows: readonly unknown[][], types: string, columnTypes?: readonly string[]): string[][] {
  return rows.map((row) => row.map((v, i) => formatValue(v, types[i] ?? 'T', columnTypes?.[i])));
}

const strcmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Applies a sort mode (comparison as strcmp on the rendered text) and flattens to values. */
export function sortValues(rows: string[][], mode: SortMode): string[] {
  if (mode === 'rowsort') {
    const sorted = [...rows].sort((a, b) => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        const c = strcmp(a[i]!, b[i]!);
        if (c !== 0) return c;
      }
      return a.length - b.length;
    });
    return sorted.flat();
  }
  const flat = rows.flat();
  return mode === 'valuesort' ? flat.sort(strcmp) : flat;
}

/** "N values hashing to MD5": MD5 over every value followed by a newline. */
export function hashValues(values: readonly string[]): string {
  const md5 = createHash('md5');
  for (const v of values) md5.update(`${v}\n`, 'utf8');
  return `${values.length} values hashing to ${md5.digest('hex')}`;
}

// Postgres string functions SQLite lacks: left, right, lpad, rpad, repeat, reverse, split_part,
// initcap, ascii, chr, starts_with, position/strpos, regexp_replace. Counts are in characters.

import { QueryExecutionError } from '../../errors.js';
import type { SqlType, SqlValue } from '../value.js';
import { regexpMatch } from '../value-pattern.js';
import { toIntNumber, valueToText } from '../value-text.js';
import { scalar, type ScalarFunction } from './scalar-function.js';

function str(a: readonly SqlValue[], t: readonly SqlType[], i: number): string | null {
  const v = a[i];
  return typeof v === 'string' ? v : valueToText(v ?? null, t[i]);
}

function chars(s: string): string[] {
  return Array.from(s);
}

/** Applies fn when no argument is NULL (Postgres functions are STRICT). */
function strict(fn: (a: readonly SqlValue[], t: readonly SqlType[]) => SqlValue) {
  return (a: readonly SqlValue[], t: readonly SqlType[]): SqlValue => (a.some((v) => v === null) ? null : fn(a, t));
}

function pad(left: boolean) {
  return strict((a, t) => {
    const s = chars(str(a, t, 0)!);
    const n = toIntNumber(a[1]!);
    if (n <= 0) return '';
    if (s.length >= n) return s.slice(0, n).join('');
    const fill = chars(a.length > 2 ? str(a, t, 2)! : ' ');
    if (fill.length === 0) return s.join('');
    const need = n - s.length;
    const padding: string[] = [];
    for (let i = 0; i < need; i++) padding.push(fill[i % fill.length]!);
    return left ? padding.join('') + s.join('') : s.join('') + padding.join('');
  });
}

function splitPart(s: string, delim: string, n: number): string {
  if (n === 0) throw new QueryExecutionError('field position must not be zero');
  if (delim === '') return n === 1 || n === -1 ? s : '';
  const parts = s.split(delim);
  const i = n > 0 ? n - 1 : parts.length + n;
  return i >= 0 && i < parts.length ? parts[i]! : '';
}

function initcap(s: string): string {
  let out = '';
  let inWord = false;
  for (const ch of s) {
    const alnum = /[\p{L}\p{N}]/u.test(ch);
    out += alnum ? (inWord ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    inWord = alnum;
  }
  return out;
}

const replaceCache = new Map<string, RegExp>();

function regexpReplace(s: string, pattern: string, repl: string, flags: string): string {
  const jsFlags = (flags.includes('g') ? 'g' : '') + flags.replace(/[^ims]/g, '') + 'u';
  const key = jsFlags + '\u0000' + pattern;
  let re = replaceCache.get(key);
  if (!re) {
    try {
      re = new RegExp(pattern, jsFlags);
    } catch (err) {
      throw new QueryExecutionError(`invalid regular expression: ${pattern}`, { cause: err });
    }
    if (replaceCache.size >= 256) replaceCache.clear();
    replaceCache.set(key, re);
  }
  re.lastIndex = 0;
  const jsRepl = repl.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1').replace(/\\&/g, '$$&');
  return s.replace(re, jsRepl);
}

/** Postgres-flavoured string functions. */
export const STRING_PG_FUNCTIONS: readonly ScalarFunction[] = [
  scalar('left', 2, 2, 'text', strict((a, t) => {
    const s = chars(str(a, t, 0)!);
    const n = toIntNumber(a[1]!);
    return (n >= 0 ? s.slice(0, n) : s.slice(0, Math.max(0, s.length + n))).join('');
  })),
  scalar('right', 2, 2, 'text', strict((a, t) => {
    const s = chars(str(a, t, 0)!);
    const n = toIntNumber(a[1]!);
    return (n >= 0 ? s.slice(Math.max(0, s.length - n)) : s.slice(Math.min(s.length, -n))).join('');
  })),
  scalar('lpad', 2, 3, 'text', pad(true)),
  scalar('rpad', 2, 3, 'text', pad(false)),
  scalar('repeat', 2, 2, 'text', strict((a, t) => {
    const n = toIntNumber(a[1]!);
    const s = str(a, t, 0)!;
    if (n > 0 && s.length * n > 1_000_000_000) throw new QueryExecutionError('string or blob too big');
    return n <= 0 ? '' : s.repeat(n);
  })),
  scalar('reverse', 1, 1, 'text', strict((a, t) => chars(str(a, t, 0)!).reverse().join(''))),
  scalar('split_part', 3, 3, 'text', strict((a, t) => splitPart(str(a, t, 0)!, str(a, t, 1)!, toIntNumber(a[2]!)))),
  scalar('initcap', 1, 1, 'text', strict((a, t) => initcap(str(a, t, 0)!))),
  scalar('ascii', 1, 1, 'integer', strict((a, t) => str(a, t, 0)!.codePointAt(0) ?? 0)),
  scalar('chr', 1, 1, 'text', strict((a) => {
    const n = toIntNumber(a[0]!);
    if (n === 0) throw new QueryExecutionError('null character not permitted');
    if (n < 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) throw new QueryExecutionError(`requested character not valid for encoding: ${n}`);
    return String.fromCodePoint(n);
  })),
  scalar('starts_with', 2, 2, 'boolean', strict((a, t) => (str(a, t, 0)!.startsWith(str(a, t, 1)!) ? 1 : 0))),
  scalar('ends_with', 2, 2, 'boolean', strict((a, t) => (str(a, t, 0)!.endsWith(str(a, t, 1)!) ? 1 : 0))),
  scalar('position', 2, 2, 'integer', strict((a, t) => strpos(str(a, t, 1)!, str(a, t, 0)!))),
  scalar('strpos', 2, 2, 'integer', strict((a, t) => strpos(str(a, t, 0)!, str(a, t, 1)!))),
  scalar('regexp', 2, 2, 'boolean', (a) => {
    const m = regexpMatch(a[0]!, a[1]!);
    return m === null ? null : m ? 1 : 0;
  }),
  scalar('regexp_like', 2, 3, 'boolean', (a, t) => {
    const m = regexpMatch(a[1]!, a[0]!, a.length > 2 ? (str(a, t, 2) ?? '') : '');
    return m === null ? null : m ? 1 : 0;
  }),
  scalar('regexp_replace', 3, 4, 'text', strict((a, t) => regexpReplace(str(a, t, 0)!, str(a, t, 1)!, str(a, t, 2)!, a.length > 3 ? str(a, t, 3)! : ''))),
];

/** 1-based character position of needle in haystack, 0 when absent (Postgres strpos / position … in …). */
function strpos(haystack: string, needle: string): number {
  const i = haystack.indexOf(needle);
  return i < 0 ? 0 : Array.from(haystack.slice(0, i)).length + 1;
}

// SQLite's string and blob functions (length, substr, trim, replace, instr, hex, quote, char, like, …).

import { QueryExecutionError } from '../../errors.js';
import type { SqlType, SqlValue } from '../value.js';
import { realToLiteral } from '../value-fp.js';
import { globMatch, likeMatch } from '../value-pattern.js';
import { bytesToHex, isRealNumber, normInt, toIntNumber, utf8Decode, utf8Encode, valueToText } from '../value-text.js';
import { scalar, type ScalarFunction } from './scalar-function.js';

const SURROGATE = /[\uD800-\uDFFF]/;

/** Argument i as text (NULL stays null), rendering REALs by their static type. */
function text(args: readonly SqlValue[], types: readonly SqlType[], i: number): string | null {
  const v = args[i];
  return typeof v === 'string' ? v : valueToText(v ?? null, types[i]);
}

/** Number of code points in s, stopping at NUL as SQLite's length() does. */
function charLength(s: string): number {
  const nul = s.indexOf('\u0000');
  const t = nul < 0 ? s : s.slice(0, nul);
  if (!SURROGATE.test(t)) return t.length;
  let n = 0;
  for (const _ of t) n++;
  return n;
}

/** The code points of s as separate strings, only when s has surrogate pairs (else null: use UTF-16 indexes). */
function codePoints(s: string): string[] | null {
  return SURROGATE.test(s) ? Array.from(s) : null;
}

function typeofValue(v: SqlValue, t: SqlType | undefined): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'bigint':
      return 'integer';
    case 'number':
      return isRealNumber(v, t) ? 'real' : 'integer';
    case 'string':
      return 'text';
    default:
      return v instanceof Float32Array ? 'vector' : 'blob';
  }
}

function substr(args: readonly SqlValue[], types: readonly SqlType[]): SqlValue {
  const x = args[0]!;
  if (x === null) return null;
  if (args[1] === null) return null;
  let p1 = toIntNumber(args[1]!);
  const isBlob = x instanceof Uint8Array;
  const bytes = isBlob ? x : null;
  const s = isBlob ? '' : (text(args, types, 0) as string);
  const cps = isBlob ? null : codePoints(s);
  const len = isBlob ? bytes!.length : cps ? cps.length : s.length;
  let p2: number;
  if (args.length === 3) {
    if (args[2] === null) return null;
    p2 = toIntNumber(args[2]!);
  } else p2 = 1e9;
  if (p1 < 0) {
    p1 += len;
    if (p1 < 0) {
      p2 = p2 < 0 ? 0 : p2 + p1;
      p1 = 0;
    }
  } else if (p1 > 0) p1--;
  else if (p2 > 0) p2--;
  if (p2 < 0) {
    if (p2 < -p1) p2 = p1;
    else p2 = -p2;
    p1 -= p2;
  }
  if (isBlob) {
    if (p1 >= len) return new Uint8Array(0);
    return bytes!.slice(p1, p1 + Math.min(p2, len - p1));
  }
  if (cps) return cps.slice(p1, p1 + p2).join('');
  return s.slice(p1, p1 + p2);
}

function trimmer(mode: 1 | 2 | 3) {
  return (args: readonly SqlValue[], types: readonly SqlType[]): SqlValue => {
    const s = text(args, types, 0);
    if (s === null) return null;
    let set: Set<string>;
    if (args.length === 1) set = SPACE_SET;
    else {
      const cs = text(args, types, 1);
      if (cs === null) return null;
      set = new Set(cs);
    }
    if (set.size === 0) return s;
    const cps = Array.from(s);
    let a = 0;
    let b = cps.length;
    if (mode & 1) while (a < b && set.has(cps[a]!)) a++;
    if (mode & 2) while (b > a && set.has(cps[b - 1]!)) b--;
    return a === 0 && b === cps.length ? s : cps.slice(a, b).join('');
  };
}

const SPACE_SET = new Set([' ']);

function indexOfBytes(h: Uint8Array, n: Uint8Array): number {
  outer: for (let i = 0; i + n.length <= h.length; i++) {
    for (let j = 0; j < n.length; j++) if (h[i + j] !== n[j]) continue outer;
    return i;
  }
  return -1;
}

function instr(args: readonly SqlValue[], types: readonly SqlType[]): SqlValue {
  const h = args[0]!;
  const n = args[1]!;
  if (h === null || n === null) return null;
  if (h instanceof Uint8Array && n instanceof Uint8Array) {
    if (n.length === 0) return 1;
    return indexOfBytes(h, n) + 1;
  }
  const hs = text(args, types, 0) as string;
  const ns = text(args, types, 1) as string;
  if (ns.length === 0) return 1;
  const i = hs.indexOf(ns);
  return i < 0 ? 0 : charLength(hs.slice(0, i)) + 1;
}

function hexOf(v: SqlValue, t: SqlType | undefined): string {
  if (v === null) return '';
  if (v instanceof Uint8Array) return bytesToHex(v);
  return bytesToHex(utf8Encode(valueToText(v, t) as string));
}

function unhex(args: readonly SqlValue[], types: readonly SqlType[]): SqlValue {
  const s = text(args, types, 0);
  const pass = args.length > 1 ? text(args, types, 1) : '';
  if (s === null || pass === null) return null;
  const out: number[] = [];
  const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);
  const cps = Array.from(s);
  let i = 0;
  while (i < cps.length) {
    if (!isHex(cps[i])) {
      if (!pass.includes(cps[i]!)) return null;
      i++;
      continue;
    }
    if (!isHex(cps[i + 1])) return null;
    out.push(parseInt(cps[i]! + cps[i + 1]!, 16));
    i += 2;
  }
  return Uint8Array.from(out);
}

/** SQLite's quote(): an SQL literal for any value. */
export function quoteValue(v: SqlValue, t?: SqlType): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return isRealNumber(v, t) ? realToLiteral(v) : String(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') {
    const nul = v.indexOf('\u0000');
    return "'" + (nul < 0 ? v : v.slice(0, nul)).split("'").join("''") + "'";
  }
  return "X'" + bytesToHex(v instanceof Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) + "'";
}

function unistr(s: string): string {
  let out = '';
  let i = 0;
  const hex = (from: number, n: number): number => {
    const h = s.slice(from, from + n);
    if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) throw new QueryExecutionError('invalid Unicode escape');
    return parseInt(h, 16);
  };
  while (i < s.length) {
    const j = s.indexOf('\\', i);
    if (j < 0) return out + s.slice(i);
    out += s.slice(i, j);
    const c = s[j + 1];
    let cp: number;
    if (c === '\\') {
      out += '\\';
      i = j + 2;
      continue;
    } else if (c !== undefined && /[0-9a-fA-F]/.test(c)) {
      cp = hex(j + 1, 4);
      i = j + 5;
    } else if (c === '+') {
      cp = hex(j + 2, 6);
      i = j + 8;
    } else if (c === 'u') {
      cp = hex(j + 2, 4);
      i = j + 6;
    } else if (c === 'U') {
      cp = hex(j + 2, 8);
      i = j + 10;
    } else throw new QueryExecutionError('invalid Unicode escape');
    out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
  }
  return out;
}

const SOUNDEX = [0, 1, 2, 3, 0, 1, 2, 0, 0, 2, 2, 4, 5, 5, 0, 1, 2, 6, 2, 3, 0, 1, 0, 2, 0, 2];

function soundex(s: string): string {
  const code = (c: number): number => (c >= 65 && c <= 90 ? SOUNDEX[c - 65]! : c >= 97 && c <= 122 ? SOUNDEX[c - 97]! : 0);
  const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  let i = 0;
  while (i < s.length && !isAlpha(s.charCodeAt(i))) i++;
  if (i >= s.length) return '?000';
  let prev = code(s.charCodeAt(i));
  let out = s[i]!.toUpperCase();
  for (; out.length < 4 && i < s.length; i++) {
    const c = code(s.charCodeAt(i));
    if (c > 0) {
      if (c !== prev) {
        prev = c;
        out += String(c);
      }
    } else prev = 0;
  }
  return out.padEnd(4, '0');
}

function randomBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) globalThis.crypto.getRandomValues(b.subarray(i, Math.min(n, i + 65536)));
  return b;
}

function blobLength(n: number, min: number): number {
  if (n > 1_000_000_000) throw new QueryExecutionError('string or blob too big');
  return Math.max(min, n);
}

const asciiMap = (s: string, lo: number, delta: number): string => {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= lo && c < lo + 26) {
      out += s.slice(from, i) + String.fromCharCode(c + delta);
      from = i + 1;
    }
  }
  return from === 0 ? s : out + s.slice(from);
};

/** Numbers become their text (REALs by static type) so 1.0 LIKE '1.0' holds; blobs stay blobs (they never match). */
const numText = (a: readonly SqlValue[], t: readonly SqlType[], i: number): SqlValue => (typeof a[i] === 'number' ? text(a, t, i) : a[i]!);

const blobOrText = (t: readonly SqlType[]): SqlType => (t[0] === 'blob' ? 'blob' : t[0] === 'any' ? 'any' : 'text');
const likeValue = (m: boolean | null): SqlValue => (m === null ? null : m ? 1 : 0);

/** SQLite's core string functions. */
export const STRING_FUNCTIONS: readonly ScalarFunction[] = [
  scalar('length', 1, 1, 'integer', (a, t) => {
    const v = a[0]!;
    if (v === null) return null;
    if (v instanceof Uint8Array) return v.length;
    return charLength(valueToText(v, t[0]) as string);
  }),
  scalar('octet_length', 1, 1, 'integer', (a, t) => {
    const v = a[0]!;
    if (v === null) return null;
    return v instanceof Uint8Array ? v.length : utf8Encode(valueToText(v, t[0]) as string).length;
  }),
  scalar('lower', 1, 1, 'text', (a, t) => {
    const s = text(a, t, 0);
    return s === null ? null : asciiMap(s, 65, 32);
  }),
  scalar('upper', 1, 1, 'text', (a, t) => {
    const s = text(a, t, 0);
    return s === null ? null : asciiMap(s, 97, -32);
  }),
  scalar('substr', 2, 3, blobOrText, substr),
  scalar('substring', 2, 3, blobOrText, substr),
  scalar('trim', 1, 2, 'text', trimmer(3)),
  scalar('btrim', 1, 2, 'text', trimmer(3)),
  scalar('ltrim', 1, 2, 'text', trimmer(1)),
  scalar('rtrim', 1, 2, 'text', trimmer(2)),
  scalar('replace', 3, 3, 'text', (a, t) => {
    const s = text(a, t, 0);
    const from = text(a, t, 1);
    if (s === null || from === null) return null;
    if (from === '') return s;
    const to = text(a, t, 2);
    return to === null ? null : s.split(from).join(to);
  }),
  scalar('instr', 2, 2, 'integer', instr),
  scalar('char', 0, Infinity, 'text', (a) =>
    a.map((v) => {
      const x = toIntNumber(v);
      return String.fromCodePoint(x < 0 || x > 0x10ffff ? 0xfffd : x);
    }).join(''),
  ),
  scalar('unicode', 1, 1, 'integer', (a, t) => {
    const s = text(a, t, 0);
    return s === null || s === '' ? null : (s.codePointAt(0) as number);
  }),
  scalar('hex', 1, 1, 'text', (a, t) => hexOf(a[0]!, t[0])),
  scalar('unhex', 1, 2, 'blob', unhex),
  scalar('quote', 1, 1, 'text', (a, t) => quoteValue(a[0]!, t[0])),
  scalar('unistr', 1, 1, 'text', (a, t) => {
    const s = text(a, t, 0);
    return s === null ? null : unistr(s);
  }),
  scalar('concat', 1, Infinity, 'text', (a, t) => {
    let out = '';
    for (let i = 0; i < a.length; i++) if (a[i] !== null) out += text(a, t, i);
    return out;
  }),
  scalar('concat_ws', 2, Infinity, 'text', (a, t) => {
    const sep = text(a, t, 0);
    if (sep === null) return null;
    const parts: string[] = [];
    for (let i = 1; i < a.length; i++) if (a[i] !== null) parts.push(text(a, t, i) as string);
    return parts.join(sep);
  }),
  scalar('soundex', 1, 1, 'text', (a, t) => soundex(text(a, t, 0) ?? '')),
  scalar('like', 2, 3, 'boolean', (a, t) => likeValue(likeMatch(numText(a, t, 0), numText(a, t, 1), a.length > 2 ? a[2]! : undefined, true))),
  scalar('glob', 2, 2, 'boolean', (a) => likeValue(globMatch(a[0]!, a[1]!))),
  scalar('typeof', 1, 1, 'text', (a, t) => typeofValue(a[0]!, t[0])),
  scalar('zeroblob', 1, 1, 'blob', (a) => new Uint8Array(blobLength(toIntNumber(a[0]!), 0))),
  scalar('randomblob', 1, 1, 'blob', (a) => randomBytes(blobLength(toIntNumber(a[0]!), 1)), false),
  scalar(
    'random',
    0,
    0,
    'integer',
    () => {
      const b = randomBytes(8);
      let r = new DataView(b.buffer).getBigInt64(0);
      if (r < 0n) r = -(r & 0x7fffffffffffffffn);
      return normInt(r);
    },
    false,
  ),
];

/** Re-exported so the Postgres-flavoured file and others share one definition. */
export { text as textArg, charLength, utf8Decode };

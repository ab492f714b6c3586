// SQL value semantics in one import: ordering, equality, three-valued logic, plus re-exports of the
// arithmetic, conversion, affinity and pattern modules that implement the rest of SQLite's rules.

import { QueryExecutionError } from '../errors.js';
import type { SqlValue } from './value.js';

export * from './value-text.js';
export * from './value-arith.js';
export * from './value-affinity.js';
export * from './value-pattern.js';
export * from './value-truth.js';
export { realToText, realToLiteral, formatFloat } from './value-fp.js';

/** A collating sequence name: BINARY (default), NOCASE or RTRIM, in any letter case. */
export type Collation = string;

/** Storage class rank in SQLite's sort order: NULL < numbers < TEXT < BLOB. */
function classOf(v: SqlValue): number {
  if (v === null) return 0;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 1;
    case 'string':
      return 2;
    default:
      return 3;
  }
}

/** Maps a UTF-16 unit so that comparing mapped units orders strings by code point (UTF-8 byte order). */
function fixup(c: number): number {
  return c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c;
}

function cmpUnits(x: number, y: number): number {
  if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
  return fixup(x) < fixup(y) ? -1 : 1;
}

/** BINARY collation over [0, la) and [0, lb): code point order, shorter prefix first. */
function compareBinary(a: string, b: string, la: number, lb: number): number {
  const n = la < lb ? la : lb;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return cmpUnits(x, y);
  }
  return la < lb ? -1 : la > lb ? 1 : 0;
}

function compareNocase(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  const n = la < lb ? la : lb;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 65 && x <= 90) x += 32;
      if (y >= 65 && y <= 90) y += 32;
      if (x !== y) return cmpUnits(x, y);
    }
  }
  return la < lb ? -1 : la > lb ? 1 : 0;
}

function trimmedLength(s: string): number {
  let n = s.length;
  while (n > 0 && s.charCodeAt(n - 1) === 32) n--;
  return n;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * BINARY order of two strings. Native `<` compares UTF-16 units, which disagrees with code point
 * order only when the native-smaller string has a surrogate where the strings first differ (and the
 * other has U+E000..U+FFFF); so unless that string holds a surrogate at all, the native answer stands.
 */
function compareBinaryFast(a: string, b: string): number {
  if (a === b) return 0;
  const lt = a < b;
  if (!SURROGATE.test(lt ? a : b)) return lt ? -1 : 1;
  return compareBinary(a, b, a.length, b.length);
}

/** Compares two strings under a collating sequence. */
export function compareText(a: string, b: string, collation?: Collation): number {
  if (collation === undefined || collation === 'BINARY' || collation === 'binary') return compareBinaryFast(a, b);
  // Common spellings first so the per-row path does not allocate an upper-cased copy.
  const c = collation === 'NOCASE' || collation === 'nocase' ? 'NOCASE' : collation === 'RTRIM' || collation === 'rtrim' ? 'RTRIM' : collation.toUpperCase();
  switch (c) {
    case 'BINARY':
      return compareBinaryFast(a, b);
    case 'NOCASE':
      return compareNocase(a, b);
    case 'RTRIM':
      return compareBinary(a, b, trimmedLength(a), trimmedLength(b));
    default:
      throw new QueryExecutionError(`no such collation sequence: ${collation}`);
  }
}

/** Compares a bigint (outside the safe range) with a double, exactly. */
function compareBigReal(i: bigint, r: number): number {
  if (Number.isNaN(r)) return 1;
  if (r >= 9223372036854775808) return -1;
  if (r < -9223372036854775808) return 1;
  const f = Math.floor(r);
  const bf = BigInt(f);
  if (i < bf) return -1;
  if (i > bf) return 1;
  return f < r ? -1 : 0;
}

function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number') {
    if (typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
    return -compareBigReal(b, a);
  }
  if (typeof b === 'number') return compareBigReal(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function bytesOf(v: Uint8Array | Float32Array): Uint8Array {
  return v instanceof Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/**
 * SQLite's total order on values (sqlite3MemCompare without affinity): NULL < INTEGER/REAL
 * (compared numerically, exactly across bigint and double) < TEXT (by collation) < BLOB (memcmp).
 * Returns a negative number, zero or a positive number. Allocation-free for number and string pairs.
 */
export function compareValues(a: SqlValue, b: SqlValue, collation?: Collation): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return collation === undefined ? compareBinaryFast(a, b) : compareText(a, b, collation);
  const ca = classOf(a);
  const cb = classOf(b);
  if (ca !== cb) return ca < cb ? -1 : 1;
  switch (ca) {
    case 0:
      return 0;
    case 1:
      return compareNumbers(a as number | bigint, b as number | bigint);
    default:
      return compareBytes(bytesOf(a as Uint8Array), bytesOf(b as Uint8Array));
  }
}

/** SQL `=`: NULL when either side is NULL, else whether compareValues is 0. */
export function sqlEquals(a: SqlValue, b: SqlValue, collation?: Collation): boolean | null {
  if (a === null || b === null) return null;
  return compareValues(a, b, collation) === 0;
}

/** `IS` / `IS NOT DISTINCT FROM`: NULL equals NULL, never unknown. */
export function sqlIs(a: SqlValue, b: SqlValue, collation?: Collation): boolean {
  if (a === null || b === null) return a === b;
  return compareValues(a, b, collation) === 0;
}

// Text <-> number conversions with SQLite's exact rules (sqlite3AtoF, sqlite3Atoi64, numeric affinity).

import type { SqlType, SqlValue } from './value.js';
import { realToText } from './value-fp.js';

/** Largest 64-bit integer, as a bigint. */
export const INT64_MAX = 9223372036854775807n;
/** Smallest 64-bit integer, as a bigint. */
export const INT64_MIN = -9223372036854775808n;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes of a string. */
export function utf8Encode(s: string): Uint8Array {
  return encoder.encode(s);
}

/** A blob read as UTF-8 text (SQLite reinterprets the bytes; invalid sequences become U+FFFD). */
export function utf8Decode(b: Uint8Array): string {
  return decoder.decode(b);
}

/** Folds a bigint back to a number when it is a safe integer (the value.ts contract). */
export function normInt(b: bigint): number | bigint {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Output of {@link atof}: the parsed value. Reused to keep the per-row path allocation-free. */
export const atofOut = { value: 0 };

/**
 * Port of sqlite3AtoF. Writes the value to atofOut.value and returns SQLite's result code:
 * > 0 the whole text (ignoring surrounding spaces) is a number, < 0 only a prefix is, 0 none is.
 * Bit 2 (value 2) is set when the text has a decimal point or exponent.
 */
export function atof(s: string): number {
  const len = s.length;
  let i = 0;
  while (i < len && isSpace(s.charCodeAt(i))) i++;
  const start = i;
  let mState = 0;
  let c = s.charCodeAt(i);
  if (c === 45 || c === 43) {
    i++;
    c = s.charCodeAt(i);
  }
  let nDigits = 0;
  while (isDigit(c)) {
    nDigits++;
    c = s.charCodeAt(++i);
  }
  if (nDigits > 0) mState = nDigits > 19 ? 9 : 1;
  if (c === 46) {
    i++;
    c = s.charCodeAt(i);
    if (isDigit(c)) {
      mState |= 1;
      while (isDigit(c)) c = s.charCodeAt(++i);
    } else if (mState === 0) {
      atofOut.value = 0;
      return 0;
    }
    mState |= 2;
  } else if (mState === 0) {
    atofOut.value = 0;
    return 0;
  }
  if (c === 101 || c === 69) {
    let j = i + 1;
    let d = s.charCodeAt(j);
    if (d === 45 || d === 43) d = s.charCodeAt(++j);
    if (isDigit(d)) {
      while (isDigit(s.charCodeAt(j))) j++;
      i = j;
      mState |= 2;
    }
  }
  // JS Number() accepts every form sqlite3AtoF does (+5, 5., .5, 5.e3) and rounds correctly.
  let v = Number(s.slice(start, i));
  if (v === 0) {
    mState |= 4;
    v = s.charCodeAt(start) === 45 ? -0 : 0;
  }
  atofOut.value = v;
  let k = i;
  while (k < len && isSpace(s.charCodeAt(k))) k++;
  return k === len ? mState : (0xfffffff0 | mState) | 0;
}

/** Output of {@link atoi64}: the parsed integer (clamped to the int64 range). */
export const atoiOut: { value: number | bigint } = { value: 0 };

/**
 * Port of sqlite3Atoi64 (decimal only). Writes atoiOut.value and returns -1 (no digits),
 * 0 (fits, nothing after it but spaces), 1 (extra text), 2 (too large) or 3 (exactly 2^63).
 */
export function atoi64(s: string): number {
  const len = s.length;
  let i = 0;
  while (i < len && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  const c0 = s.charCodeAt(i);
  if (c0 === 45) {
    neg = true;
    i++;
  } else if (c0 === 43) i++;
  const zStart = i;
  while (i < len && s.charCodeAt(i) === 48) i++;
  const dStart = i;
  while (i < len && isDigit(s.charCodeAt(i))) i++;
  const nd = i - dStart;
  let rc = 0;
  if (nd === 0 && zStart === dStart) rc = -1;
  else if (i < len) {
    for (let k = i; k < len; k++) {
      if (!isSpace(s.charCodeAt(k))) {
        rc = 1;
        break;
      }
    }
  }
  if (nd === 0) {
    atoiOut.value = 0;
    return rc;
  }
  if (nd <= 15) {
    const v = Number(s.slice(dStart, i));
    atoiOut.value = neg ? -v : v;
    return rc;
  }
  const big = BigInt(s.slice(dStart, i));
  if (nd > 19 || big > 9223372036854775808n) {
    atoiOut.value = neg ? INT64_MIN : INT64_MAX;
    return 2;
  }
  if (big === 9223372036854775808n) {
    atoiOut.value = neg ? INT64_MIN : INT64_MAX;
    return neg ? rc : 3;
  }
  atoiOut.value = normInt(neg ? -big : big);
  return rc;
}

/** sqlite3RealToI64: a double truncated toward zero and clamped to the int64 range. */
export function realToInt(r: number): number | bigint {
  if (Number.isNaN(r)) return 0;
  if (r < -9223372036854774784) return INT64_MIN;
  if (r > 9223372036854774784) return INT64_MAX;
  const t = Math.trunc(r);
  return Number.isSafeInteger(t) ? (t === 0 ? 0 : t) : BigInt(t);
}

/** sqlite3RealSameAsInt: true when the double equals the integer and is small enough to be exact. */
export function realSameAsInt(r: number, i: number | bigint): boolean {
  if (r === 0) return true;
  const n = typeof i === 'bigint' ? Number(i) : i;
  return r === n && n >= -2251799813685248 && n < 2251799813685248;
}

/** Output slot of the numeric conversions below: kind 1 = integer (intValue), 2 = real (realValue). */
export const numOut: { intValue: number | bigint; realValue: number } = { intValue: 0, realValue: 0 };

/** computeNumericType: the number arithmetic sees in a text (prefix rules, 'abc' → 0). 1 int, 2 real. */
export function textNumericKind(s: string): 1 | 2 {
  const rc = atof(s);
  numOut.realValue = atofOut.value;
  if (rc <= 0) {
    if ((rc & 2) === 0 && atoi64(s) <= 1) {
      numOut.intValue = atoiOut.value;
      return 1;
    }
    return 2;
  }
  if ((rc & 2) === 0 && atoi64(s) === 0) {
    numOut.intValue = atoiOut.value;
    return 1;
  }
  return 2;
}

/**
 * applyNumericAffinity: converts text that is entirely a number (spaces allowed) to INTEGER or REAL;
 * returns 0 when the text is not a number. With tryForInt, '48.00' becomes INTEGER 48.
 */
export function textAffinityKind(s: string, tryForInt: boolean): 0 | 1 | 2 {
  const rc = atof(s);
  if (rc <= 0) return 0;
  const r = atofOut.value;
  if ((rc & 2) === 0) {
    const iv = realToInt(r);
    if (realSameAsInt(r, iv)) {
      numOut.intValue = iv;
      return 1;
    }
    if (atoi64(s) === 0) {
      numOut.intValue = atoiOut.value;
      return 1;
    }
  }
  numOut.realValue = r;
  if (tryForInt) {
    const iv = realToInt(r);
    const big = typeof iv === 'bigint';
    if (r === (big ? Number(iv) : iv) && !(big && (iv === INT64_MIN || iv === INT64_MAX))) {
      numOut.intValue = iv;
      return 1;
    }
  }
  return 2;
}

/** sqlite3VdbeMemNumerify (CAST AS NUMERIC): the longest numeric prefix as INTEGER when exact, else REAL. */
export function textNumerify(s: string): number | bigint {
  const rc = atof(s);
  const r = atofOut.value;
  if ((rc & 2) === 0 && atoi64(s) < 2) return atoiOut.value;
  const ix = realToInt(r);
  if (realSameAsInt(r, ix)) return ix;
  return r;
}

/** sqlite3VdbeRealValue: any value as a double (text by prefix, NULL and junk as 0). */
export function toReal(v: SqlValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    atof(v);
    return atofOut.value;
  }
  if (v === null) return 0;
  if (v instanceof Float32Array) return 0;
  atof(utf8Decode(v));
  return atofOut.value;
}

/** sqlite3VdbeIntValue: any value as an int64 (reals truncated, text by its digit prefix). */
export function toInt(v: SqlValue): number | bigint {
  if (typeof v === 'number') return Number.isInteger(v) && Number.isSafeInteger(v) ? v : realToInt(v);
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string') {
    atoi64(v);
    return atoiOut.value;
  }
  if (v === null || v instanceof Float32Array) return 0;
  atoi64(utf8Decode(v));
  return atoiOut.value;
}

/** toInt clamped into a JS number (for lengths, counts and positions). */
export function toIntNumber(v: SqlValue): number {
  const i = toInt(v);
  return typeof i === 'bigint' ? Number(i) : i;
}

/** Whether a JS number holding a SQL value should be treated as REAL given its static type. */
export function isRealNumber(v: number, t: SqlType | undefined): boolean {
  return t === 'real' || !Number.isInteger(v) || Math.abs(v) >= 9223372036854775808;
}

/** A number rendered as SQLite renders it: integers in decimal, REALs with "%!.17g". */
export function numberToText(v: number, t?: SqlType): string {
  return isRealNumber(v, t) ? realToText(v) : String(v === 0 ? 0 : v);
}

/** SQL conversion of any value to TEXT (NULL stays null; blobs are read as UTF-8). */
export function valueToText(v: SqlValue, t?: SqlType): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberToText(v, t);
  if (typeof v === 'bigint') return v.toString();
  if (v === null) return null;
  if (v instanceof Float32Array) return vectorToText(v);
  return utf8Decode(v);
}

/** SQL conversion of any value to a number (sqlite3_value_double semantics; NULL stays null). */
export function valueToNumber(v: SqlValue): number | bigint | null {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (v === null) return null;
  const s = typeof v === 'string' ? v : v instanceof Float32Array ? '' : utf8Decode(v);
  return textNumericKind(s) === 1 ? numOut.intValue : numOut.realValue;
}

/** A vector as JSON-ish text: [1, 2.5, 3]. */
export function vectorToText(v: Float32Array): string {
  return '[' + Array.from(v, (x) => String(x)).join(', ') + ']';
}

const HEX = '0123456789ABCDEF';

/** Upper-case hex of bytes, as SQLite's hex() renders them. */
export function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]! >> 4]! + HEX[b[i]! & 15]!;
  return s;
}

/**
 * Display form of a value for text output: integers as integers, REALs like SQLite prints them,
 * booleans as true/false, blobs as upper-case hex, vectors as [..]; NULL gives null.
 */
export function formatValue(v: SqlValue, type: SqlType = 'any'): string | null {
  if (v === null) return null;
  if (type === 'boolean' && (typeof v === 'number' || typeof v === 'bigint')) return v != 0 ? 'true' : 'false';
  if (v instanceof Float32Array) return vectorToText(v);
  if (v instanceof Uint8Array) return bytesToHex(v);
  return valueToText(v, type);
}

// SQLite arithmetic, bit operators and || on SQL values, with 64-bit integer overflow rules.

import { QueryExecutionError } from '../errors.js';
import type { SqlType, SqlValue } from './value.js';
import { INT64_MAX, INT64_MIN, isRealNumber, normInt, numOut, textNumericKind, toInt, toReal, utf8Decode, valueToText } from './value-text.js';

/** The binary arithmetic operators. */
export type ArithOp = '+' | '-' | '*' | '/' | '%';

// Scratch slots of numKind(): the integer or real value of the last operand classified.
let kInt: number | bigint = 0;
let kReal = 0;

/** Classifies an operand as SQLite's numericType() does: 0 NULL, 1 INTEGER (kInt), 2 REAL (kReal). */
function numKind(v: SqlValue, t: SqlType): 0 | 1 | 2 {
  if (typeof v === 'number') {
    if (isRealNumber(v, t)) {
      kReal = v;
      return 2;
    }
    kInt = v;
    return 1;
  }
  if (typeof v === 'bigint') {
    kInt = v;
    return 1;
  }
  if (v === null) return 0;
  if (typeof v === 'string') return textKind(v);
  if (v instanceof Float32Array) throw new QueryExecutionError('arithmetic is not defined on VECTOR values');
  return textKind(utf8Decode(v));
}

function textKind(s: string): 1 | 2 {
  const k = textNumericKind(s);
  if (k === 1) kInt = numOut.intValue;
  else kReal = numOut.realValue;
  return k;
}

function fitsInt64(b: bigint): boolean {
  return b >= INT64_MIN && b <= INT64_MAX;
}

function big(x: number | bigint): bigint {
  return typeof x === 'bigint' ? x : BigInt(x);
}

function realResult(r: number): SqlValue {
  return Number.isNaN(r) ? null : r;
}

/** Integer op integer; returns undefined when SQLite would fall back to REAL math (overflow). */
function intMath(op: ArithOp, a: number | bigint, b: number | bigint): SqlValue | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+': {
        const r = a + b;
        if (Number.isSafeInteger(r)) return r;
        break;
      }
      case '-': {
        const r = a - b;
        if (Number.isSafeInteger(r)) return r;
        break;
      }
      case '*': {
        const r = a * b;
        if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
        break;
      }
      case '/': {
        if (b === 0) return null;
        const q = (a - (a % b)) / b; // exact: a - a%b is a multiple of b
        return q === 0 ? 0 : q;
      }
      case '%': {
        if (b === 0) return null;
        const r = a % (b === -1 ? 1 : b);
        return r === 0 ? 0 : r;
      }
    }
  }
  const x = big(a);
  const y = big(b);
  let r: bigint;
  switch (op) {
    case '+':
      r = x + y;
      break;
    case '-':
      r = x - y;
      break;
    case '*':
      r = x * y;
      break;
    case '/':
      if (y === 0n) return null;
      if (y === -1n && x === INT64_MIN) return undefined;
      r = x / y;
      break;
    default:
      if (y === 0n) return null;
      r = x % (y === -1n ? 1n : y);
  }
  return fitsInt64(r) ? normInt(r) : undefined;
}

/** Applies a binary arithmetic operator with SQLite semantics (static types say which numbers are REAL). */
export function arith(op: ArithOp, a: SqlValue, b: SqlValue, aType: SqlType = 'any', bType: SqlType = 'any'): SqlValue {
  const ka = numKind(a, aType);
  if (ka === 0) return null;
  const ia = kInt;
  const ra = kReal;
  const kb = numKind(b, bType);
  if (kb === 0) return null;
  if (ka === 1 && kb === 1) {
    const r = intMath(op, ia, kInt);
    if (r !== undefined) return r;
  }
  const x = ka === 1 ? Number(ia) : ra;
  const y = kb === 1 ? Number(kInt) : kReal;
  switch (op) {
    case '+':
      return realResult(x + y);
    case '-':
      return realResult(x - y);
    case '*':
      return realResult(x * y);
    case '/':
      return y === 0 ? null : realResult(x / y);
    default: {
      // REAL % truncates both sides to integers first (sqlite3VdbeIntValue), yet the result is REAL.
      const ib = toInt(b);
      const iaa = toInt(a);
      if (ib == 0) return null;
      const r = intMath('%', iaa, ib === -1 || ib === -1n ? 1 : ib);
      return typeof r === 'bigint' ? Number(r) : (r as number);
    }
  }
}

// The four functions below inline the common number-op-number case and defer everything else
// (text, blobs, NULL, bigints, overflow) to arith().

/** a + b. */
export function add(a: SqlValue, b: SqlValue, aType: SqlType = 'any', bType: SqlType = 'any'): SqlValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (isRealNumber(a, aType) || isRealNumber(b, bType)) return r !== r ? null : r;
    if (Number.isSafeInteger(r)) return r;
  }
  return arith('+', a, b, aType, bType);
}

/** a - b. */
export function sub(a: SqlValue, b: SqlValue, aType: SqlType = 'any', bType: SqlType = 'any'): SqlValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (isRealNumber(a, aType) || isRealNumber(b, bType)) return r !== r ? null : r;
    if (Number.isSafeInteger(r)) return r;
  }
  return arith('-', a, b, aType, bType);
}

/** a * b. */
export function mul(a: SqlValue, b: SqlValue, aType: SqlType = 'any', bType: SqlType = 'any'): SqlValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (isRealNumber(a, aType) || isRealNumber(b, bType)) return r !== r ? null : r;
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  return arith('*', a, b, aType, bType);
}

/** a / b: integer division truncates toward zero; division by zero is NULL. */
export function div(a: SqlValue, b: SqlValue, aType: SqlType = 'any', bType: SqlType = 'any'): SqlValue {
  if (typeof a === 'number' && typeof b === 'number') {
    if (b === 0) return null;
    if (isRealNumber(a, aType) || isRealNumber(b, bType)) {
      const r = a / b;
      return r !== r ? null : r;
    }
    const q = (a - (a % b)) / b;
    return q === 0 ? 0 : q;
  }
  return arith('/', a, b, aType, bType);
}

/** a % b: the sign follows the dividend; modulo by zero is NULL. */
export function mod(a: SqlValue, b: SqlValue, aType: SqlType = 'any', bType: SqlType = 'any'): SqlValue {
  return arith('%', a, b, aType, bType);
}

/** Unary minus: SQLite computes 0 - x, so -'abc' is 0 and -(-9223372036854775808) is REAL. */
export function neg(a: SqlValue, aType: SqlType = 'any'): SqlValue {
  return arith('-', 0, a, 'integer', aType);
}

/**
 * Static result type of an arithmetic operator: INTEGER op INTEGER is 'integer' (its rare 64-bit
 * overflow yields a REAL value at run time), anything with REAL is 'real', otherwise decided at run time.
 */
export function arithResultType(aType: SqlType, bType: SqlType): SqlType {
  if (aType === 'null' || bType === 'null') return 'null';
  const intLike = (t: SqlType): boolean => t === 'integer' || t === 'boolean';
  if (intLike(aType) && intLike(bType)) return 'integer';
  if (aType === 'real' || bType === 'real') return 'real';
  return 'numeric';
}

/** The bitwise operators. */
export type BitOp = '&' | '|' | '<<' | '>>';

/** a & b, a | b, a << b, a >> b on 64-bit integers (negative shifts reverse direction). */
export function bitOp(op: BitOp, a: SqlValue, b: SqlValue): SqlValue {
  if (a === null || b === null) return null;
  const x = toInt(a);
  const y = toInt(b);
  if (typeof x === 'number' && typeof y === 'number' && (x | 0) === x && (y | 0) === y && (op === '&' || op === '|')) {
    return op === '&' ? x & y : x | y;
  }
  const bx = big(x);
  let by = big(y);
  let r: bigint;
  if (op === '&') r = bx & by;
  else if (op === '|') r = bx | by;
  else {
    let left = op === '<<';
    if (by === 0n) return normInt(bx);
    if (by < 0n) {
      left = !left;
      by = by > -64n ? -by : 64n;
    }
    if (by >= 64n) r = bx >= 0n || left ? 0n : -1n;
    else r = left ? BigInt.asIntN(64, bx << by) : bx >> by;
  }
  return normInt(BigInt.asIntN(64, r));
}

/** ~a on a 64-bit integer. */
export function bitNot(a: SqlValue): SqlValue {
  if (a === null) return null;
  const x = toInt(a);
  if (typeof x === 'number' && (x | 0) === x) return ~x;
  return normInt(BigInt.asIntN(64, ~big(x)));
}

/** a || b: both sides as text; NULL if either is NULL. */
export function concat(a: SqlValue, b: SqlValue, aType: SqlType = 'any', bType: SqlType = 'any'): SqlValue {
  if (a === null || b === null) return null;
  return (valueToText(a, aType) as string) + (valueToText(b, bType) as string);
}

/** Number of the value as a double, used by functions that want REAL input. Re-exported for callers. */
export { toReal };

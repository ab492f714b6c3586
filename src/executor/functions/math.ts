// Numeric functions (SQLite's abs, round, math library, sign) and the NULL-handling ones (coalesce, iif, …).

import { QueryExecutionError } from '../../errors.js';
import type { SqlType, SqlValue } from '../value.js';
import { formatFloat } from '../value-fp.js';
import { compareValues } from '../value-ops.js';
import { isTruthy } from '../value-truth.js';
import { INT64_MIN, isRealNumber, numOut, textAffinityKind, toIntNumber, toReal, utf8Decode } from '../value-text.js';
import { commonType, scalar, type ScalarFunction } from './scalar-function.js';

// Scratch slot of numericArg(): the double value of the last numeric argument.
let argReal = 0;

/**
 * sqlite3_value_numeric_type: 1 INTEGER, 2 REAL, 0 not a number (NULL, BLOB, non-numeric text).
 * Text counts only when all of it is a number ('4x' is not). The value is left in argReal.
 */
function numericArg(v: SqlValue, t: SqlType | undefined): 0 | 1 | 2 {
  if (typeof v === 'number') {
    argReal = v;
    return isRealNumber(v, t) ? 2 : 1;
  }
  if (typeof v === 'bigint') {
    argReal = Number(v);
    return 1;
  }
  if (typeof v !== 'string') return 0;
  const k = textAffinityKind(v, false);
  if (k === 1) argReal = Number(numOut.intValue);
  else if (k === 2) argReal = numOut.realValue;
  return k;
}

function realResult(r: number): SqlValue {
  return Number.isNaN(r) ? null : r;
}

function math1(name: string, fn: (x: number) => number): ScalarFunction {
  return scalar(name, 1, 1, 'real', (a, t) => (numericArg(a[0]!, t[0]) === 0 ? null : realResult(fn(argReal))));
}

function math2(name: string, fn: (x: number, y: number) => number): ScalarFunction {
  return scalar(name, 2, 2, 'real', (a, t) => {
    if (numericArg(a[0]!, t[0]) === 0) return null;
    const x = argReal;
    if (numericArg(a[1]!, t[1]) === 0) return null;
    return realResult(fn(x, argReal));
  });
}

/** ceil / floor / trunc keep INTEGER arguments as they are. */
function rounding(name: string, fn: (x: number) => number): ScalarFunction {
  return scalar(
    name,
    1,
    1,
    (t) => (t[0] === 'integer' || t[0] === 'boolean' ? 'integer' : t[0] === 'real' ? 'real' : 'numeric'),
    (a, t) => {
      const v = a[0]!;
      const k = numericArg(v, t[0]);
      if (k === 0) return null;
      if (k === 1) return typeof v === 'number' || typeof v === 'bigint' ? v : numOut.intValue;
      return realResult(fn(argReal));
    },
  );
}

function logFn(name: string, fn: (x: number) => number): ScalarFunction {
  return scalar(name, 1, name === 'log' ? 2 : 1, 'real', (a, t) => {
    if (numericArg(a[0]!, t[0]) === 0) return null;
    let x = argReal;
    if (x <= 0) return null;
    if (a.length === 1) return realResult(fn(x));
    // log(B, X): like SQLite, the second argument is read with sqlite3_value_double (prefix rules).
    const b = Math.log(x);
    if (b <= 0) return null;
    x = toReal(a[1]!);
    if (x <= 0) return null;
    return realResult(Math.log(x) / b);
  });
}

/** SQLite's round(): half away from zero via its own printf for n > 0; always REAL. */
export function sqlRound(x: SqlValue, n: SqlValue | undefined): SqlValue {
  let digits = 0;
  if (n !== undefined) {
    if (n === null) return null;
    digits = Math.min(30, Math.max(0, toIntNumber(n)));
  }
  if (x === null) return null;
  let r = toReal(x);
  if (r < -4503599627370496 || r > 4503599627370496) return r;
  if (digits === 0) {
    r = Math.trunc(r + (r < 0 ? -0.5 : 0.5));
    return r === 0 ? 0 : r;
  }
  return Number(formatFloat(r, 'f', digits, { alt2: true }));
}

function abs(v: SqlValue, t: SqlType | undefined): SqlValue {
  if (v === null) return null;
  if (typeof v === 'bigint') {
    if (v === INT64_MIN) throw new QueryExecutionError('integer overflow');
    return v < 0n ? -v : v;
  }
  if (typeof v === 'number' && !isRealNumber(v, t)) return Math.abs(v);
  const r = typeof v === 'number' ? v : toReal(v instanceof Uint8Array ? utf8Decode(v) : v);
  return Math.abs(r);
}

function pickMinMax(a: readonly SqlValue[], max: boolean): SqlValue {
  let best = 0;
  if (a[0] === null) return null;
  for (let i = 1; i < a.length; i++) {
    if (a[i] === null) return null;
    const c = compareValues(a[best]!, a[i]!);
    if (max ? c < 0 : c >= 0) best = i;
  }
  return a[best]!;
}

function pickIgnoringNulls(a: readonly SqlValue[], greatest: boolean): SqlValue {
  let best: SqlValue = null;
  for (const v of a) {
    if (v === null) continue;
    if (best === null) best = v;
    else {
      const c = compareValues(best, v);
      if (greatest ? c < 0 : c > 0) best = v;
    }
  }
  return best;
}

const valueTypes = (from: number, step = 1) => (t: readonly SqlType[]): SqlType => commonType(t.filter((_, i) => i >= from && (i - from) % step === 0));

function iif(a: readonly SqlValue[]): SqlValue {
  let i = 0;
  for (; i + 1 < a.length; i += 2) if (isTruthy(a[i]!) === true) return a[i + 1]!;
  return i < a.length ? a[i]! : null;
}

function iifType(t: readonly SqlType[]): SqlType {
  const vals: SqlType[] = [];
  let i = 0;
  for (; i + 1 < t.length; i += 2) vals.push(t[i + 1]!);
  vals.push(i < t.length ? t[i]! : 'null');
  return commonType(vals);
}

const identity = (a: readonly SqlValue[]): SqlValue => a[0]!;

/** SQLite's math and NULL-handling functions plus Postgres's greatest/least/nvl. */
export const MATH_FUNCTIONS: readonly ScalarFunction[] = [
  scalar('abs', 1, 1, (t) => (t[0] === 'integer' || t[0] === 'boolean' ? 'integer' : t[0] === 'any' || t[0] === 'numeric' ? 'numeric' : 'real'), (a, t) => abs(a[0]!, t[0])),
  scalar('round', 1, 2, 'real', (a) => sqlRound(a[0]!, a.length > 1 ? a[1]! : undefined)),
  rounding('ceil', Math.ceil),
  rounding('ceiling', Math.ceil),
  rounding('floor', Math.floor),
  rounding('trunc', Math.trunc),
  scalar('sign', 1, 1, 'integer', (a, t) => (numericArg(a[0]!, t[0]) === 0 ? null : argReal < 0 ? -1 : argReal > 0 ? 1 : 0)),
  logFn('ln', Math.log),
  logFn('log', Math.log10),
  logFn('log10', Math.log10),
  logFn('log2', Math.log2),
  math1('exp', Math.exp),
  math1('sqrt', Math.sqrt),
  math1('sin', Math.sin),
  math1('cos', Math.cos),
  math1('tan', Math.tan),
  math1('asin', Math.asin),
  math1('acos', Math.acos),
  math1('atan', Math.atan),
  math1('sinh', Math.sinh),
  math1('cosh', Math.cosh),
  math1('tanh', Math.tanh),
  math1('asinh', Math.asinh),
  math1('acosh', Math.acosh),
  math1('atanh', Math.atanh),
  math1('radians', (x) => x * (Math.PI / 180)),
  math1('degrees', (x) => x * (180 / Math.PI)),
  math2('pow', Math.pow),
  math2('power', Math.pow),
  math2('atan2', Math.atan2),
  math2('mod', (x, y) => x % y),
  scalar('pi', 0, 0, 'real', () => Math.PI),
  scalar('max', 2, Infinity, valueTypes(0), (a) => pickMinMax(a, true)),
  scalar('min', 2, Infinity, valueTypes(0), (a) => pickMinMax(a, false)),
  scalar('greatest', 1, Infinity, valueTypes(0), (a) => pickIgnoringNulls(a, true)),
  scalar('least', 1, Infinity, valueTypes(0), (a) => pickIgnoringNulls(a, false)),
  scalar('coalesce', 2, Infinity, valueTypes(0), (a) => {
    for (const v of a) if (v !== null) return v;
    return null;
  }),
  scalar('ifnull', 2, 2, valueTypes(0), (a) => (a[0] !== null ? a[0]! : a[1]!)),
  scalar('nvl', 2, 2, valueTypes(0), (a) => (a[0] !== null ? a[0]! : a[1]!)),
  scalar('nullif', 2, 2, (t) => t[0]!, (a) => (compareValues(a[0]!, a[1]!) !== 0 ? a[0]! : null)),
  scalar('iif', 2, Infinity, iifType, iif),
  scalar('if', 2, Infinity, iifType, iif),
  scalar('likely', 1, 1, (t) => t[0]!, identity),
  scalar('unlikely', 1, 1, (t) => t[0]!, identity),
  scalar('likelihood', 2, 2, (t) => t[0]!, identity),
];

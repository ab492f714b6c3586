// Column affinity, comparison affinity and CAST, following SQLite's datatype rules (sections 3 and 4).

import type { SqlType, SqlValue } from './value.js';
import {
  atoiOut,
  atoi64,
  isRealNumber,
  numOut,
  numberToText,
  realToInt,
  textAffinityKind,
  textNumerify,
  toInt,
  toReal,
  utf8Decode,
  utf8Encode,
  valueToText,
} from './value-text.js';
import { isTruthy } from './value-truth.js';
import { castToDate, castToTimestamp } from './functions/datetime-value.js';
import { castToJson } from './functions/json-core.js';

/** A column affinity. 'blob' is SQLite's BLOB (formerly NONE) affinity: no conversion. */
export type Affinity = 'integer' | 'real' | 'numeric' | 'text' | 'blob';

/** Affinity of an expression in a comparison: a column's affinity, or 'none' for literals and most expressions. */
export type ExprAffinity = Affinity | 'none';

const affinityCache = new Map<string, Affinity>();

/**
 * SQLite section 3.1 "Determination Of Column Affinity", in order: INT → INTEGER;
 * CHAR, CLOB, TEXT → TEXT; BLOB or no type → BLOB; REAL, FLOA, DOUB → REAL; otherwise NUMERIC.
 */
export function affinityOf(declaredType: string | null | undefined): Affinity {
  if (!declaredType) return 'blob';
  const hit = affinityCache.get(declaredType);
  if (hit) return hit;
  const t = declaredType.toUpperCase();
  let aff: Affinity;
  if (t.includes('INT')) aff = 'integer';
  else if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) aff = 'text';
  else if (t.includes('BLOB')) aff = 'blob';
  else if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) aff = 'real';
  else aff = 'numeric';
  if (affinityCache.size < 1000) affinityCache.set(declaredType, aff);
  return aff;
}

/** The affinity a column of a ToonDB static type has (dates and JSON are TEXT, booleans INTEGER). */
export function affinityOfType(t: SqlType): Affinity {
  switch (t) {
    case 'integer':
    case 'boolean':
      return 'integer';
    case 'real':
      return 'real';
    case 'numeric':
      return 'numeric';
    case 'text':
    case 'date':
    case 'timestamp':
    case 'json':
      return 'text';
    default:
      return 'blob';
  }
}

function isNumericAffinity(a: ExprAffinity): boolean {
  return a === 'integer' || a === 'real' || a === 'numeric';
}

/**
 * Converts a value for storage in a column of the given affinity (declared type text or an
 * Affinity): text that looks like a number becomes one under INTEGER/REAL/NUMERIC; numbers become
 * text under TEXT; BLOB converts nothing. valueType tells REALs from integral numbers.
 */
export function applyAffinity(value: SqlValue, declaredType: string | Affinity, valueType: SqlType = 'any'): SqlValue {
  return applyAffinityOf(value, resolveAffinity(declaredType), valueType);
}

/** The affinity applyAffinity uses for a declared type (or an affinity name), resolved once per column. */
export function resolveAffinity(declaredType: string | Affinity): Affinity {
  return isAffinity(declaredType) ? declaredType : affinityOf(declaredType);
}

function isAffinity(s: string): s is Affinity {
  return s === 'integer' || s === 'real' || s === 'numeric' || s === 'text' || s === 'blob';
}

/** applyAffinity with an already resolved affinity (the per-row fast path). */
export function applyAffinityOf(value: SqlValue, aff: Affinity, valueType: SqlType = 'any'): SqlValue {
  switch (aff) {
    case 'blob':
      return value;
    case 'text':
      if (typeof value === 'number') return numberToText(value, valueType);
      if (typeof value === 'bigint') return value.toString();
      return value;
    default:
      if (typeof value === 'string') {
        const k = textAffinityKind(value, true);
        if (k === 0) return value;
        const v = k === 1 ? numOut.intValue : numOut.realValue;
        return aff === 'real' && typeof v === 'bigint' ? Number(v) : v;
      }
      if (aff === 'real' && typeof value === 'bigint') return Number(value);
      return value;
  }
}

/** sqlite3CompareAffinity: the affinity both operands of a comparison get, or 'none' for none. */
export function comparisonAffinity(left: ExprAffinity, right: ExprAffinity): ExprAffinity {
  if (left !== 'none' && right !== 'none') {
    return isNumericAffinity(left) || isNumericAffinity(right) ? 'numeric' : 'none';
  }
  const one = left === 'none' ? right : left;
  return one === 'blob' ? 'none' : one;
}

/**
 * Converts one operand of `=`, `<`, … before comparing (section 4.2): under a numeric comparison
 * affinity, text that is entirely a number becomes that number; under TEXT, numbers become text.
 */
export function applyComparisonAffinity(value: SqlValue, aff: ExprAffinity, valueType: SqlType = 'any'): SqlValue {
  if (aff === 'none' || aff === 'blob') return value;
  if (aff === 'text') {
    if (typeof value === 'number') return numberToText(value, valueType);
    if (typeof value === 'bigint') return value.toString();
    return value;
  }
  if (typeof value === 'string') {
    const k = textAffinityKind(value, false);
    return k === 0 ? value : k === 1 ? numOut.intValue : numOut.realValue;
  }
  return value;
}

/** The target of a CAST after resolving the type name. */
export type CastTarget = Affinity | 'boolean' | 'date' | 'timestamp' | 'json' | 'vector';

/** Resolves a CAST type name: ToonDB's BOOLEAN, DATE, TIMESTAMP, JSON, VECTOR, else SQLite's affinity rules. */
export function castTarget(typeName: string): CastTarget {
  const base = typeName.trim().toUpperCase().replace(/\s*\(.*$/, '');
  switch (base) {
    case 'BOOLEAN':
    case 'BOOL':
      return 'boolean';
    case 'DATE':
      return 'date';
    case 'TIMESTAMP':
    case 'DATETIME':
    case 'TIMESTAMPTZ':
      return 'timestamp';
    case 'JSON':
    case 'JSONB':
      return 'json';
    case 'VECTOR':
      return 'vector';
    default: {
      const a = affinityOf(base);
      return a;
    }
  }
}

/** The static type of CAST(x AS typeName). */
export function castResultType(typeName: string): SqlType {
  const t = castTarget(typeName);
  switch (t) {
    case 'blob':
    case 'text':
    case 'integer':
    case 'real':
    case 'numeric':
    case 'boolean':
    case 'date':
    case 'timestamp':
    case 'json':
    case 'vector':
      return t;
  }
}

const BOOL_WORDS: Record<string, number> = { true: 1, t: 1, yes: 1, y: 1, on: 1, false: 0, f: 0, no: 0, n: 0, off: 0 };

/**
 * CAST(value AS typeName) with SQLite semantics: INTEGER takes the digit prefix ('3.7abc' → 3),
 * REAL and NUMERIC the numeric prefix, TEXT renders numbers, BLOB takes the UTF-8 bytes. ToonDB
 * extensions: BOOLEAN accepts true/false/yes/no/on/off/t/f and numbers (non-zero → 1); DATE and
 * TIMESTAMP normalise through date()/datetime() (NULL when unparseable); JSON validates and minifies
 * text. VARCHAR(n) and similar ignore n, as SQLite does.
 */
export function castValue(value: SqlValue, typeName: string | CastTarget, valueType: SqlType = 'any'): SqlValue {
  if (value === null) return null;
  const target = isCastTarget(typeName) ? typeName : castTarget(typeName);
  switch (target) {
    case 'integer':
      if (typeof value === 'number') return isRealNumber(value, valueType) ? realToInt(value) : value;
      return toInt(value);
    case 'real':
      return typeof value === 'string' || value instanceof Uint8Array ? toReal(value) : typeof value === 'bigint' ? Number(value) : value;
    case 'numeric':
      if (typeof value === 'string') return textNumerify(value);
      if (value instanceof Float32Array) return 0;
      if (value instanceof Uint8Array) return textNumerify(utf8Decode(value));
      return value;
    case 'text':
      return valueToText(value, valueType);
    case 'blob':
      if (value instanceof Uint8Array) return value;
      if (value instanceof Float32Array) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
      return utf8Encode(valueToText(value, valueType) as string);
    case 'boolean': {
      if (typeof value === 'string') {
        const w = BOOL_WORDS[value.trim().toLowerCase()];
        if (w !== undefined) return w;
      }
      const t = isTruthy(value);
      return t === null ? null : t ? 1 : 0;
    }
    case 'date':
      return castToDate(value, valueType);
    case 'timestamp':
      return castToTimestamp(value, valueType);
    case 'json':
      return castToJson(value, valueType);
    case 'vector':
      return castToVector(value);
  }
}

function isCastTarget(s: string): s is CastTarget {
  return isAffinity(s) || s === 'boolean' || s === 'date' || s === 'timestamp' || s === 'json' || s === 'vector';
}

/** VECTOR casts: a Float32Array passes through, JSON-array text ('[1,2]') is parsed, anything else is NULL. */
function castToVector(value: SqlValue): SqlValue {
  if (value instanceof Float32Array) return value;
  if (typeof value !== 'string') return null;
  try {
    const arr: unknown = JSON.parse(value);
    if (Array.isArray(arr) && arr.every((x) => typeof x === 'number')) return Float32Array.from(arr as number[]);
  } catch {
    // not JSON: fall through
  }
  return null;
}

/** Integer digit-prefix parse of text, exported for functions that need sqlite3_value_int64 on text. */
export function textToInt(s: string): number | bigint {
  atoi64(s);
  return atoiOut.value;
}

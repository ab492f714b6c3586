// Three-valued logic and SQLite truthiness of values.

import type { SqlValue } from './value.js';
import { atof, atofOut, utf8Decode } from './value-text.js';

/** A truth value of three-valued logic: true, false or unknown (null). */
export type Truth = boolean | null;

/**
 * SQLite's truthiness: numbers are true when non-zero; TEXT and BLOB by their numeric prefix
 * ('1abc' is true, 'abc' is false); NULL is unknown.
 */
export function isTruthy(v: SqlValue): Truth {
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (v === null) return null;
  if (typeof v === 'string') {
    atof(v);
    return atofOut.value !== 0;
  }
  if (v instanceof Float32Array) return v.length > 0;
  atof(utf8Decode(v));
  return atofOut.value !== 0;
}

/** Three-valued AND: false wins over unknown. */
export function and3(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  return a === null || b === null ? null : true;
}

/** Three-valued OR: true wins over unknown. */
export function or3(a: Truth, b: Truth): Truth {
  if (a === true || b === true) return true;
  return a === null || b === null ? null : false;
}

/** Three-valued NOT. */
export function not3(a: Truth): Truth {
  return a === null ? null : !a;
}

/** A truth value as a SQL value: 1, 0 or NULL. */
export function truthToValue(t: Truth): SqlValue {
  return t === null ? null : t ? 1 : 0;
}

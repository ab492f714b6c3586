// The scalar function registry: every built-in scalar function by lower-case name.

import { QueryExecutionError } from '../../errors.js';
import type { SqlType, SqlValue } from '../value.js';
import { DATETIME_FUNCTIONS } from './datetime.js';
import { DATETIME_PG_FUNCTIONS } from './datetime-pg.js';
import { JSON_FUNCTIONS } from './json.js';
import { MATH_FUNCTIONS } from './math.js';
import { MISC_FUNCTIONS } from './misc.js';
import { checkArity, type ScalarFunction } from './scalar-function.js';
import { PRINTF_FUNCTIONS } from './printf-functions.js';
import { STRING_FUNCTIONS } from './string.js';
import { STRING_PG_FUNCTIONS } from './string-pg.js';

export type { ScalarFunction } from './scalar-function.js';
export { checkArity, wrongArgCount } from './scalar-function.js';

const REGISTRY = new Map<string, ScalarFunction>();
for (const family of [STRING_FUNCTIONS, STRING_PG_FUNCTIONS, PRINTF_FUNCTIONS, MATH_FUNCTIONS, DATETIME_FUNCTIONS, DATETIME_PG_FUNCTIONS, JSON_FUNCTIONS, MISC_FUNCTIONS]) {
  for (const fn of family) REGISTRY.set(fn.name, fn);
}

/** The scalar function called `name` (case-insensitive), or undefined. */
export function lookupScalar(name: string): ScalarFunction | undefined {
  return REGISTRY.get(name) ?? REGISTRY.get(name.toLowerCase());
}

/** Every registered scalar function name, sorted (for docs and tab completion). */
export function scalarFunctionNames(): string[] {
  return [...REGISTRY.keys()].sort();
}

/** Looks up, checks the argument count and calls a scalar function (a convenience for tests and constant folding). */
export function callScalar(name: string, args: readonly SqlValue[], argTypes?: readonly SqlType[]): SqlValue {
  const fn = lookupScalar(name);
  if (!fn) throw wrongFunction(name);
  checkArity(fn, args.length);
  return fn.call(args, argTypes ?? args.map(inferType));
}

function wrongFunction(name: string): QueryExecutionError {
  return new QueryExecutionError(`no such function: ${name}`);
}

/** The static type a literal value would get: integers, reals (non-integral numbers), text, blob, null. */
export function inferType(v: SqlValue): SqlType {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'bigint':
      return 'integer';
    case 'number':
      return Number.isInteger(v) ? 'integer' : 'real';
    case 'string':
      return 'text';
    default:
      return v instanceof Float32Array ? 'vector' : 'blob';
  }
}

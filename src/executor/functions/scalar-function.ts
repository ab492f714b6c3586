// The contract of a scalar SQL function, and helpers the function families share.

import { QueryExecutionError } from '../../errors.js';
import type { SqlType, SqlValue } from '../value.js';

/** A scalar function: arity, determinism, static result type and the per-row implementation. */
export interface ScalarFunction {
  /** Lower-case name the function is looked up by. */
  readonly name: string;
  readonly minArgs: number;
  /** Infinity for variadic functions. */
  readonly maxArgs: number;
  /** False for random(), now-dependent functions and anything else that may differ between calls. */
  readonly deterministic: boolean;
  /** The static type of the result given the static argument types. */
  returnType(argTypes: readonly SqlType[]): SqlType;
  /** Computes the result; argTypes are the static types (they tell REAL 3.0 from INTEGER 3, JSON from TEXT). */
  call(args: readonly SqlValue[], argTypes: readonly SqlType[]): SqlValue;
}

/** Builds a ScalarFunction; `ret` is a fixed type or a function of the argument types. */
export function scalar(
  name: string,
  minArgs: number,
  maxArgs: number,
  ret: SqlType | ((argTypes: readonly SqlType[]) => SqlType),
  call: (args: readonly SqlValue[], argTypes: readonly SqlType[]) => SqlValue,
  deterministic = true,
): ScalarFunction {
  const returnType = typeof ret === 'function' ? ret : (): SqlType => ret;
  return { name, minArgs, maxArgs, deterministic, returnType, call };
}

/** SQLite's message for a call with the wrong number of arguments. */
export function wrongArgCount(name: string): QueryExecutionError {
  return new QueryExecutionError(`wrong number of arguments to function ${name}()`);
}

/** Throws unless `n` arguments suit `fn`. */
export function checkArity(fn: ScalarFunction | { name: string; minArgs: number; maxArgs: number }, n: number): void {
  if (n < fn.minArgs || n > fn.maxArgs) throw wrongArgCount(fn.name);
}

/** The common static type of some argument types, or 'any' when they differ ('null' is ignored). */
export function commonType(types: readonly SqlType[]): SqlType {
  let t: SqlType | undefined;
  for (const x of types) {
    if (x === 'null') continue;
    if (t === undefined) t = x;
    else if (t !== x) return 'any';
  }
  return t ?? 'null';
}

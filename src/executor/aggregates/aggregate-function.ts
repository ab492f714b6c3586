// The contract of an aggregate SQL function and of its per-group running state.

import type { SqlType, SqlValue } from '../value.js';

/** The running state of one aggregate over one group (or one window frame). */
export interface AggregateState {
  /** Adds one row's arguments. DISTINCT is applied by the executor before step. */
  step(args: readonly SqlValue[]): void;
  /** The aggregate's value for the rows stepped so far (may be called repeatedly, e.g. in windows). */
  result(): SqlValue;
  /** Removes one row stepped earlier (oldest first), for sliding window frames; absent when not cheap. */
  inverse?(args: readonly SqlValue[]): void;
}

/** An aggregate function: arity, result type and a factory of fresh states. */
export interface AggregateFunction {
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** The static type of the result given the static argument types. */
  returnType(argTypes: readonly SqlType[]): SqlType;
  /** A fresh state; argTypes (optional) tell REAL arguments from integral numbers. */
  create(argTypes?: readonly SqlType[]): AggregateState;
}

/** Builds an AggregateFunction. */
export function aggregate(
  name: string,
  minArgs: number,
  maxArgs: number,
  ret: SqlType | ((argTypes: readonly SqlType[]) => SqlType),
  create: (argTypes: readonly SqlType[]) => AggregateState,
): AggregateFunction {
  const returnType = typeof ret === 'function' ? ret : (): SqlType => ret;
  return { name, minArgs, maxArgs, returnType, create: (t) => create(t ?? []) };
}

// The contract of an aggregate SQL function, of its per-group running state and of its states for many groups.

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

/**
 * The states of one aggregate call over all the groups of a HashAggregate. Groups are numbered
 * from 0 in the order they are added. Each implementation steps its groups in its own loop, so
 * the loop sees one kind of state and no argument array is built per row.
 */
export interface GroupedAggregate {
  /**
   * Adds `n` groups in their initial state, numbered on from the groups before. Called once per
   * batch for the groups the batch opened, so the per-row loop never calls into it.
   */
  addGroups(n: number): void;
  /**
   * Steps group groupOf[i] with row i's arguments, args[a][i] for argument a, for every i < n;
   * rows whose group is -1 are skipped (a FILTER left them out).
   */
  update(groupOf: Int32Array, args: readonly (readonly SqlValue[])[], n: number): void;
  /** The aggregate's value for a group (called once per group, after every update). */
  result(group: number): SqlValue;
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
  /**
   * States for many groups with a loop of their own (absent: per-group states from create). Not
   * used for DISTINCT or ORDER BY calls. Must answer exactly as create() states stepped alike.
   */
  createGrouped?(): GroupedAggregate;
}

/** Builds an AggregateFunction. */
export function aggregate(
  name: string,
  minArgs: number,
  maxArgs: number,
  ret: SqlType | ((argTypes: readonly SqlType[]) => SqlType),
  create: (argTypes: readonly SqlType[]) => AggregateState,
  createGrouped?: () => GroupedAggregate,
): AggregateFunction {
  const returnType = typeof ret === 'function' ? ret : (): SqlType => ret;
  return { name, minArgs, maxArgs, returnType, create: (t) => create(t ?? []), ...(createGrouped ? { createGrouped } : {}) };
}

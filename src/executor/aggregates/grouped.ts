// Grouped aggregates: the states of one aggregate call for every group, stepped a batch at a time.

import type { SortKey } from '../../compiler/bound.js';
import { hashKey } from '../compile-expr.js';
import type { SqlValue } from '../value.js';
import { genericArray, sortComparator } from '../operators/common.js';
import type { AggregateFunction, AggregateState, GroupedAggregate } from './aggregate-function.js';

/** A GroupedAggregate from per-group AggregateStates of any kind, with DISTINCT and ORDER BY. */
export class GroupedStates implements GroupedAggregate {
  private readonly states = genericArray<AggregateState>();
  private readonly distinct: Set<string | number>[] | undefined;
  /** Buffered (args, order keys) per group, for calls with ORDER BY: stepped in order at the end. */
  private readonly ordered: { args: SqlValue[]; keys: SqlValue[] }[][] | undefined;
  private readonly scratch: SqlValue[];

  /**
   * `args` of update hold the call's `nArgs` arguments followed by its ORDER BY keys' values.
   * States come from `create` (a function's factory, or the bare-column state).
   */
  constructor(
    private readonly create: () => AggregateState,
    private readonly nArgs: number,
    isDistinct: boolean,
    private readonly orderBy: readonly SortKey[],
  ) {
    this.distinct = isDistinct ? [] : undefined;
    this.ordered = orderBy.length > 0 ? [] : undefined;
    this.scratch = new Array<SqlValue>(nArgs).fill(null);
  }

  addGroups(n: number): void {
    for (let i = 0; i < n; i++) {
      this.states.push(this.create());
      this.distinct?.push(new Set());
      this.ordered?.push([]);
    }
  }

  update(groupOf: Int32Array, args: readonly (readonly SqlValue[])[], n: number): void {
    const nArgs = this.nArgs;
    for (let i = 0; i < n; i++) {
      const g = groupOf[i]!;
      if (g < 0) continue;
      // Aggregates read, never keep, their arguments: one array serves every row unless buffered.
      const a = this.ordered ? new Array<SqlValue>(nArgs) : this.scratch;
      for (let j = 0; j < nArgs; j++) a[j] = args[j]![i]!;
      if (this.distinct) {
        if (a[0] === null) continue;
        const set = this.distinct[g]!;
        const k = hashKey(a[0]!);
        if (set.has(k)) continue;
        set.add(k);
      }
      if (this.ordered) {
        const keys = this.orderBy.map((_, k) => args[nArgs + k]![i]!);
        this.ordered[g]!.push({ args: a, keys });
      } else this.states[g]!.step(a);
    }
  }

  result(group: number): SqlValue {
    const st = this.states[group]!;
    const buf = this.ordered?.[group];
    if (buf) {
      const cmp = sortComparator(this.orderBy);
      buf.sort((a, b) => cmp(a.keys, b.keys));
      for (const item of buf) st.step(item.args);
    }
    return st.result();
  }
}

/** The grouped form of a call to `fn`: its own fast implementation when it has one and the call allows. */
export function groupedAggregate(fn: AggregateFunction, nArgs: number, isDistinct: boolean, orderBy: readonly SortKey[]): GroupedAggregate {
  if (!isDistinct && orderBy.length === 0 && fn.createGrouped) return fn.createGrouped();
  return new GroupedStates(() => fn.create(), nArgs, isDistinct, orderBy);
}

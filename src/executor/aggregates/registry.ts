// The aggregate function registry: every built-in aggregate by lower-case name.

import { BASIC_AGGREGATES } from './basic.js';
import { SUM_AGGREGATES } from './sum.js';
import { TEXT_AGGREGATES } from './text.js';
import type { AggregateFunction } from './aggregate-function.js';

export type { AggregateFunction, AggregateState } from './aggregate-function.js';

const REGISTRY = new Map<string, AggregateFunction>();
for (const family of [BASIC_AGGREGATES, SUM_AGGREGATES, TEXT_AGGREGATES]) {
  for (const fn of family) REGISTRY.set(fn.name, fn);
}

/**
 * The aggregate called `name` (case-insensitive), or undefined. count(*) is 'count_star'.
 * DISTINCT is the executor's job: it de-duplicates arguments before calling step().
 */
export function lookupAggregate(name: string): AggregateFunction | undefined {
  return REGISTRY.get(name) ?? REGISTRY.get(name.toLowerCase());
}

/** Whether `name` is an aggregate function (for the binder to tell aggregates from scalars). */
export function isAggregateName(name: string): boolean {
  return lookupAggregate(name) !== undefined;
}

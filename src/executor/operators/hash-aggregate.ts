// HashAggregate: groups rows by key and feeds aggregate states; no GROUP BY gives exactly one row.

import type { AggregateCall } from '../../compiler/bound.js';
import { QueryExecutionError } from '../../errors.js';
import type { PhysicalPlan } from '../../planner/physical.js';
import { lookupAggregate, type AggregateState } from '../aggregates/registry.js';
import { hashKey } from '../compile-expr.js';
import type { Env, Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { isTruthy } from '../value-ops.js';
import { BARE_COLUMN } from '../../compiler/binder/rewrite-aggregate.js';
import { compile, evalBatch, ownEnv, sortComparator } from './common.js';

/** A bare column's value in a group: the value of the last row seen, as SQLite returns. */
function bareState(): AggregateState {
  let value: SqlValue = null;
  return {
    step: (args) => {
      value = args[0]!;
    },
    result: () => value,
  };
}
import { tupleKey } from './hash-join.js';

/** The group key of NULL (NULLs form one group). */
const NULL_GROUP = '\u0000null';

interface AggSlot {
  readonly call: AggregateCall;
  /** Column offsets of this call's args, filter and order keys in the evaluated input row. */
  readonly argAt: number;
  readonly filterAt: number;
  readonly orderAt: number;
}

interface Group {
  readonly keys: SqlValue[];
  readonly states: AggregateState[];
  readonly distinct: (Set<string | number> | undefined)[];
  /** Buffered (args, order keys) for calls with ORDER BY. */
  readonly ordered: ({ args: SqlValue[]; keys: SqlValue[] }[] | undefined)[];
}

function newGroup(keys: SqlValue[], slots: readonly AggSlot[]): Group {
  return {
    keys,
    states: slots.map((s) => {
      if (s.call.name === BARE_COLUMN) return bareState();
      const fn = lookupAggregate(s.call.star ? 'count_star' : s.call.name);
      if (!fn) throw new QueryExecutionError(`no such aggregate function: ${s.call.name}`);
      return fn.create();
    }),
    distinct: slots.map((s) => (s.call.distinct ? new Set() : undefined)),
    ordered: slots.map((s) => (s.call.orderBy.length > 0 ? [] : undefined)),
  };
}

/** Runs a HashAggregate. */
export async function* hashAggregate(p: Extract<PhysicalPlan, { kind: 'HashAggregate' }>, input: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  // One flat list of everything evaluated per input row: group keys, then per call its args,
  // its filter and its ORDER BY keys.
  const exprs = [...p.groupBy];
  const slots: AggSlot[] = p.aggregates.map((call) => {
    const argAt = exprs.length;
    exprs.push(...call.args);
    const filterAt = call.filter ? exprs.push(call.filter) - 1 : -1;
    const orderAt = exprs.length;
    exprs.push(...call.orderBy.map((k) => k.expr));
    return { call, argAt, filterAt, orderAt };
  });
  const ex = compile(exprs, env);
  const nKeys = p.groupBy.length;
  const groups = new Map<string | number, Group>();
  // Arguments are handed to step() in one reused array per call (aggregates read, never keep, them).
  const scratch = slots.map((slot) => new Array<SqlValue>(slot.call.args.length));
  for await (const batch of input) {
    env.ctx.checkCancelled();
    const vals = await evalBatch(ex, batch, env);
    for (const v of vals) {
      const gk = nKeys === 0 ? 0 : nKeys === 1 ? hashKey(v[0] === null ? NULL_GROUP : v[0]!) : (tupleKey(v.slice(0, nKeys).map((k) => (k === null ? NULL_GROUP : k))) as string | number);
      let g = groups.get(gk);
      if (!g) {
        g = newGroup(v.slice(0, nKeys), slots);
        groups.set(gk, g);
      }
      for (let s = 0; s < slots.length; s++) {
        const slot = slots[s]!;
        if (slot.filterAt >= 0 && isTruthy(v[slot.filterAt]!) !== true) continue;
        const n = slot.call.args.length;
        const ordered = g.ordered[s] !== undefined;
        const args = ordered ? v.slice(slot.argAt, slot.argAt + n) : scratch[s]!;
        if (!ordered) for (let j = 0; j < n; j++) args[j] = v[slot.argAt + j]!;
        const set = g.distinct[s];
        if (set) {
          if (args[0] === null) continue;
          const k = hashKey(args[0]!);
          if (set.has(k)) continue;
          set.add(k);
        }
        const buf = g.ordered[s];
        if (buf) buf.push({ args, keys: v.slice(slot.orderAt, slot.orderAt + slot.call.orderBy.length) });
        else g.states[s]!.step(args);
      }
    }
  }
  if (groups.size === 0 && nKeys === 0) groups.set(0, newGroup([], slots));
  const out: Row[] = [];
  for (const g of groups.values()) {
    for (let s = 0; s < slots.length; s++) {
      const buf = g.ordered[s];
      if (!buf) continue;
      const cmp = sortComparator(slots[s]!.call.orderBy);
      buf.sort((a, b) => cmp(a.keys, b.keys));
      for (const item of buf) g.states[s]!.step(item.args);
    }
    out.push([...g.keys, ...g.states.map((st) => st.result())]);
    if (out.length >= 1024) yield out.splice(0);
  }
  if (out.length > 0) yield out;
}

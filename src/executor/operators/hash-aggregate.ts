// HashAggregate: groups rows by key and feeds aggregate states; no GROUP BY gives exactly one row.

import type { AggregateCall } from '../../compiler/bound.js';
import { QueryExecutionError } from '../../errors.js';
import type { PhysicalPlan } from '../../planner/physical.js';
import type { AggregateState, GroupedAggregate } from '../aggregates/aggregate-function.js';
import { groupedAggregate, GroupedStates } from '../aggregates/grouped.js';
import { lookupAggregate } from '../aggregates/registry.js';
import { hashKey } from '../compile-expr.js';
import type { Env, Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { isTruthy } from '../value-ops.js';
import { BARE_COLUMN } from '../../compiler/binder/rewrite-aggregate.js';
import { compile, ownEnv } from './common.js';

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

/** The group key of NULL (NULLs form one group); no hashKey of a value is this string. */
const NULL_GROUP = 'null';

/** The states of one aggregate call for every group. */
function groupedCall(call: AggregateCall): GroupedAggregate {
  if (call.name === BARE_COLUMN) return new GroupedStates(bareState, 1, false, []);
  const fn = lookupAggregate(call.star ? 'count_star' : call.name);
  if (!fn) throw new QueryExecutionError(`no such aggregate function: ${call.name}`);
  return groupedAggregate(fn, call.args.length, call.distinct, call.orderBy);
}

interface AggSlot {
  readonly agg: GroupedAggregate;
  /** The evaluated columns of this call's arguments followed by its ORDER BY keys. */
  readonly args: readonly SqlValue[][];
  /** The evaluated column of its FILTER, if any. */
  readonly filter: SqlValue[] | undefined;
}

/** Runs a HashAggregate. */
export async function* hashAggregate(p: Extract<PhysicalPlan, { kind: 'HashAggregate' }>, input: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  // Everything evaluated per input row, a batch at a time into one column each: group keys, then
  // per call its args, its filter and its ORDER BY keys. The columns are reused batch after
  // batch; they start with null elements so V8 keeps them generic (see TopNHeap).
  const exprs = [...p.groupBy];
  const cols: SqlValue[][] = [];
  const column = (at: number) => (cols[at] ??= new Array<SqlValue>(1024).fill(null));
  const slots: AggSlot[] = p.aggregates.map((call) => {
    const argAt = exprs.length;
    exprs.push(...call.args);
    const filterAt = call.filter ? exprs.push(call.filter) - 1 : -1;
    exprs.push(...call.orderBy.map((k) => k.expr));
    const args = Array.from({ length: call.args.length + call.orderBy.length }, (_, j) => column(argAt + j + (filterAt >= 0 && j >= call.args.length ? 1 : 0)));
    return { agg: groupedCall(call), args, filter: filterAt >= 0 ? column(filterAt) : undefined };
  });
  for (let j = 0; j < exprs.length; j++) column(j);
  const ex = compile(exprs, env);
  const fns = ex.fns;
  const direct = ex.columns;
  const nExprs = exprs.length;
  const nKeys = p.groupBy.length;
  // Group g's key values are keyVals[g * nKeys …] (those of its first row).
  const keyVals: SqlValue[] = [null];
  keyVals.length = 0;
  const groupNo = new Map<string | number, number>();
  let nGroups = 0;
  const addGroup = (): number => {
    for (const s of slots) s.agg.addGroup();
    return nGroups++;
  };
  let groupOf = new Int32Array(1024);
  let filtered = new Int32Array(1024);
  for await (const batch of input) {
    env.ctx.checkCancelled();
    const n = batch.length;
    if (groupOf.length < n) {
      groupOf = new Int32Array(n);
      filtered = new Int32Array(n);
      for (const c of cols) while (c.length < n) c.push(null);
    }
    await ex.prepare(batch, env);
    // Row by row (so errors surface in the order they always did), bare columns read directly.
    for (let i = 0; i < n; i++) {
      env.rowIndex = i;
      const row = batch[i]!;
      for (let j = 0; j < nExprs; j++) {
        const c = direct[j]!;
        cols[j]![i] = c >= 0 ? row[c]! : fns[j]!(row, env);
      }
    }
    if (nKeys === 0) {
      if (nGroups === 0) addGroup();
      groupOf.fill(0, 0, n);
    } else {
      for (let i = 0; i < n; i++) {
        let gk: string | number;
        if (nKeys === 1) {
          const v = cols[0]![i]!;
          gk = typeof v === 'number' ? v : v === null ? NULL_GROUP : hashKey(v);
        } else {
          gk = '';
          for (let k = 0; k < nKeys; k++) {
            const v = cols[k]![i]!;
            gk += `${v === null ? NULL_GROUP : hashKey(v)}\u0001`;
          }
        }
        let g = groupNo.get(gk);
        if (g === undefined) {
          g = addGroup();
          groupNo.set(gk, g);
          for (let k = 0; k < nKeys; k++) keyVals.push(cols[k]![i]!);
        }
        groupOf[i] = g;
      }
    }
    for (const s of slots) {
      let gs = groupOf;
      if (s.filter) {
        for (let i = 0; i < n; i++) filtered[i] = isTruthy(s.filter[i]!) === true ? groupOf[i]! : -1;
        gs = filtered;
      }
      s.agg.update(gs, s.args, n);
    }
  }
  if (nGroups === 0 && nKeys === 0) addGroup();
  const out: Row[] = [];
  for (let g = 0; g < nGroups; g++) {
    const row: Row = new Array<SqlValue>(nKeys + slots.length).fill(null);
    for (let k = 0; k < nKeys; k++) row[k] = keyVals[g * nKeys + k]!;
    for (let s = 0; s < slots.length; s++) row[nKeys + s] = slots[s]!.agg.result(g);
    out.push(row);
    if (out.length >= 1024) yield out.splice(0);
  }
  if (out.length > 0) yield out;
}

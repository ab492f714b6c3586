// HashAggregate: groups rows by key and feeds aggregate states; no GROUP BY gives exactly one row.

import type { AggregateCall, BoundExpr } from '../../compiler/bound.js';
import { QueryExecutionError } from '../../errors.js';
import type { PhysicalPlan } from '../../planner/physical.js';
import type { AggregateState, GroupedAggregate } from '../aggregates/aggregate-function.js';
import { groupedAggregate, GroupedStates } from '../aggregates/grouped.js';
import { lookupAggregate } from '../aggregates/registry.js';
import { hashKey, type CompiledExprs, type Evaluator } from '../compile-expr.js';
import type { Env, Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { isTruthy } from '../value-ops.js';
import { ValueMap } from '../value-map.js';
import { BARE_COLUMN } from '../../compiler/binder/rewrite-aggregate.js';
import { batches, compile, genericArray, ownEnv } from './common.js';

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

/**
 * The expressions an aggregate evaluates per row, in order: the group keys, then per call its
 * args, its FILTER and its ORDER BY keys.
 */
export function aggregateExprs(groupBy: readonly BoundExpr[], aggregates: readonly AggregateCall[]): BoundExpr[] {
  const exprs = [...groupBy];
  for (const call of aggregates) {
    exprs.push(...call.args);
    if (call.filter) exprs.push(call.filter);
    exprs.push(...call.orderBy.map((k) => k.expr));
  }
  return exprs;
}

/**
 * Where each call's inputs sit among the evaluated columns (laid out as aggregateExprs): its
 * arguments followed by its ORDER BY keys, and its FILTER.
 */
export function callColumns(aggregates: readonly AggregateCall[], nKeys: number, cols: readonly SqlValue[][]): { args: SqlValue[][]; filter: SqlValue[] | undefined }[] {
  let at = nKeys;
  return aggregates.map((call) => {
    const argAt = at;
    const filterAt = call.filter ? argAt + call.args.length : -1;
    const orderAt = argAt + call.args.length + (call.filter ? 1 : 0);
    at = orderAt + call.orderBy.length;
    return { args: [...cols.slice(argAt, argAt + call.args.length), ...cols.slice(orderAt, at)], filter: filterAt >= 0 ? cols[filterAt] : undefined };
  });
}

/** A NULL's part of a multi-column group key (NULLs group together); no hashKey of a value is this string. */
const NULL_GROUP = 'null';

/** The states of one aggregate call for every group (fresh ones per call: StreamAggregate makes several). */
export function groupedCall(call: AggregateCall): GroupedAggregate {
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

/**
 * The run-time state of a HashAggregate: its groups and their aggregate states. Batches are
 * added by a plain method rather than in the operator's async generator: V8 optimizes a method
 * called batch after batch within the first query, while a loop inside a generator runs
 * unoptimized until the generator itself has been called a few times (a few whole queries).
 */
class Grouping {
  private readonly fns: readonly Evaluator[];
  private readonly direct: readonly number[];
  private readonly nExprs: number;
  private readonly nKeys: number;
  /** Evaluated columns, reused batch after batch (filled with NULL first: generic elements, see genericArray). */
  private readonly cols: SqlValue[][];
  private readonly slots: AggSlot[];
  /** Group g's key values are keyVals[g * nKeys …] (those of its first row). */
  private readonly keyVals = genericArray<SqlValue>();
  /** Group numbers by key: one key column's value, or the tuple's key string for several. */
  private readonly byValue = new ValueMap<number>();
  private readonly byTuple = new Map<string, number>();
  private nullGroup = -1;
  private nGroups = 0;
  /** Groups the aggregates have states for. */
  private synced = 0;
  private groupOf = new Int32Array(1024);
  private filtered = new Int32Array(1024);

  /** `ex` compiles the group keys, then per call its args, its filter and its ORDER BY keys. */
  constructor(
    p: Extract<PhysicalPlan, { kind: 'HashAggregate' }>,
    ex: CompiledExprs,
  ) {
    this.fns = ex.fns;
    this.direct = ex.columns;
    this.nExprs = ex.fns.length;
    this.nKeys = p.groupBy.length;
    const cols = Array.from({ length: this.nExprs }, () => new Array<SqlValue>(1024).fill(null));
    this.cols = cols;
    this.slots = callColumns(p.aggregates, this.nKeys, cols).map((c, i) => ({ agg: groupedCall(p.aggregates[i]!), ...c }));
  }

  /** A new group keyed by the values of row i of the current batch (its aggregates' states come later, see sync). */
  private newGroup(i: number): number {
    for (let k = 0; k < this.nKeys; k++) this.keyVals.push(this.cols[k]![i]!);
    return this.nGroups++;
  }

  /**
   * Gives the aggregates the groups opened since the last call. Once per batch, outside the
   * per-row loop: a call into the aggregates there would be inlined, and each new query's fresh
   * state arrays would throw the loop's optimized code away.
   */
  private sync(): void {
    const n = this.nGroups - this.synced;
    if (n === 0) return;
    for (const s of this.slots) s.agg.addGroups(n);
    this.synced = this.nGroups;
  }

  /** Adds a batch (its subqueries prepared in `env`). */
  add(batch: readonly Row[], env: Env): void {
    const n = batch.length;
    const { cols, fns, direct, nExprs, nKeys } = this;
    if (this.groupOf.length < n) {
      this.groupOf = new Int32Array(n);
      this.filtered = new Int32Array(n);
      for (const c of cols) while (c.length < n) c.push(null);
    }
    const groupOf = this.groupOf;
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
      if (this.nGroups === 0) this.nGroups = 1;
      groupOf.fill(0, 0, n);
    } else {
      for (let i = 0; i < n; i++) {
        let g: number | undefined;
        if (nKeys === 1) {
          const v = cols[0]![i]!;
          if (v === null) {
            g = this.nullGroup;
            if (g < 0) g = this.nullGroup = this.newGroup(i);
          } else {
            g = this.byValue.get(v);
            if (g === undefined) this.byValue.set(v, (g = this.newGroup(i)));
          }
        } else {
          let gk = '';
          for (let k = 0; k < nKeys; k++) {
            const v = cols[k]![i]!;
            gk += `${v === null ? NULL_GROUP : hashKey(v)}\u0001`;
          }
          g = this.byTuple.get(gk);
          if (g === undefined) this.byTuple.set(gk, (g = this.newGroup(i)));
        }
        groupOf[i] = g;
      }
    }
    this.sync();
    for (const s of this.slots) {
      let gs = groupOf;
      if (s.filter) {
        gs = this.filtered;
        for (let i = 0; i < n; i++) gs[i] = isTruthy(s.filter[i]!) === true ? groupOf[i]! : -1;
      }
      s.agg.update(gs, s.args, n);
    }
  }

  /** One row per group: its key values, then its aggregates' values. No GROUP BY gives one row. */
  rows(): Row[] {
    const { nKeys, slots } = this;
    if (this.nGroups === 0 && nKeys === 0) this.nGroups = 1;
    this.sync();
    const out: Row[] = [];
    for (let g = 0; g < this.nGroups; g++) {
      const row: Row = new Array<SqlValue>(nKeys + slots.length).fill(null);
      for (let k = 0; k < nKeys; k++) row[k] = this.keyVals[g * nKeys + k]!;
      for (let s = 0; s < slots.length; s++) row[nKeys + s] = slots[s]!.agg.result(g);
      out.push(row);
    }
    return out;
  }
}

/** Runs a HashAggregate. */
export async function* hashAggregate(p: Extract<PhysicalPlan, { kind: 'HashAggregate' }>, input: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const ex = compile(aggregateExprs(p.groupBy, p.aggregates), env);
  const grouping = new Grouping(p, ex);
  for await (const batch of input) {
    env.ctx.checkCancelled();
    await ex.prepare(batch, env);
    grouping.add(batch, env);
  }
  yield* batches(grouping.rows());
}

// StreamAggregate: aggregates input ordered on its group keys, emitting each group as soon as the next begins.

import type { PhysicalPlan } from '../../planner/physical.js';
import type { GroupedAggregate } from '../aggregates/aggregate-function.js';
import type { CompiledExprs, Evaluator } from '../compile-expr.js';
import type { Env, Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { compareValues, isTruthy } from '../value-ops.js';
import { compile, ownEnv } from './common.js';
import { aggregateExprs, callColumns, groupedCall } from './hash-aggregate.js';

type StreamAggregatePlan = Extract<PhysicalPlan, { kind: 'StreamAggregate' }>;

/** Group keys are equal as HashAggregate groups them: NULLs together, values as compareValues (no collation) says. */
function sameValue(a: SqlValue, b: SqlValue): boolean {
  if (a === null || b === null) return a === b;
  return compareValues(a, b) === 0;
}

/** A group still open at the end of a batch: its key values (from its first row) and its states (group `g` of each). */
interface OpenGroup {
  readonly key: SqlValue[];
  readonly aggs: readonly GroupedAggregate[];
  readonly g: number;
}

/**
 * The run-time state of a StreamAggregate. Each batch's new groups get aggregate states of their
 * own (GroupedAggregate instances numbering them from 0), so the states of finished groups are
 * dropped with their batch; the group open across a batch boundary keeps stepping its old states.
 */
class StreamGrouping {
  private readonly fns: readonly Evaluator[];
  private readonly direct: readonly number[];
  private readonly nKeys: number;
  private cols: SqlValue[][] = [];
  private calls: ReturnType<typeof callColumns> = [];
  private open: OpenGroup | undefined;

  constructor(
    private readonly p: StreamAggregatePlan,
    ex: CompiledExprs,
  ) {
    this.fns = ex.fns;
    this.direct = ex.columns;
    this.nKeys = p.groupBy.length;
  }

  /** Adds a batch (its subqueries prepared in `env`); returns the rows of the groups it ended. */
  add(batch: readonly Row[], env: Env): Row[] {
    const n = batch.length;
    this.evaluate(batch, env);
    const starts: number[] = [];
    for (let i = 0; i < n; i++) if (!this.continues(i)) starts.push(i);
    // Rows before the first start continue the group left open by the previous batch.
    const carried = starts.length > 0 ? starts[0]! : n;
    const out: Row[] = [];
    const open = this.open;
    if (open && carried > 0) this.update(open.aggs, new Int32Array(n).fill(-1).fill(open.g, 0, carried), n);
    if (starts.length === 0) return out;
    if (open) out.push(this.result(open.key, open.aggs, open.g));
    const aggs = this.p.aggregates.map((call) => groupedCall(call));
    for (const a of aggs) a.addGroups(starts.length);
    const groupOf = new Int32Array(n).fill(-1);
    for (let g = 0; g < starts.length; g++) groupOf.fill(g, starts[g]!, starts[g + 1] ?? n);
    this.update(aggs, groupOf, n);
    const keyAt = (i: number) => this.cols.slice(0, this.nKeys).map((c) => c[i]!);
    for (let g = 0; g < starts.length - 1; g++) out.push(this.result(keyAt(starts[g]!), aggs, g));
    this.open = { key: keyAt(starts[starts.length - 1]!), aggs, g: starts.length - 1 };
    return out;
  }

  /** The last group's row, if any rows came. */
  finish(): Row[] {
    const open = this.open;
    return open ? [this.result(open.key, open.aggs, open.g)] : [];
  }

  /** Evaluates every expression on every row of the batch into `cols`. */
  private evaluate(batch: readonly Row[], env: Env): void {
    const n = batch.length;
    const { fns, direct } = this;
    this.cols = fns.map(() => new Array<SqlValue>(n));
    this.calls = callColumns(this.p.aggregates, this.nKeys, this.cols);
    for (let i = 0; i < n; i++) {
      env.rowIndex = i;
      const row = batch[i]!;
      for (let j = 0; j < fns.length; j++) this.cols[j]![i] = direct[j]! >= 0 ? row[direct[j]!]! : fns[j]!(row, env);
    }
  }

  /** True when row i has the group key of the row before it (the open group's, for the first row). */
  private continues(i: number): boolean {
    if (i === 0 && !this.open) return false;
    for (let k = 0; k < this.nKeys; k++) {
      const prev = i === 0 ? this.open!.key[k]! : this.cols[k]![i - 1]!;
      if (!sameValue(prev, this.cols[k]![i]!)) return false;
    }
    return true;
  }

  /** Steps each call's states with the rows of the batch, row i into group groupOf[i] (-1: none). */
  private update(aggs: readonly GroupedAggregate[], groupOf: Int32Array, n: number): void {
    aggs.forEach((agg, s) => {
      const { args, filter } = this.calls[s]!;
      let gs = groupOf;
      if (filter) {
        gs = new Int32Array(n);
        for (let i = 0; i < n; i++) gs[i] = isTruthy(filter[i]!) === true ? groupOf[i]! : -1;
      }
      agg.update(gs, args, n);
    });
  }

  private result(key: readonly SqlValue[], aggs: readonly GroupedAggregate[], g: number): Row {
    return [...key, ...aggs.map((a) => a.result(g))];
  }
}

/** Runs a StreamAggregate (GROUP BY only: without keys, HashAggregate gives the one row). */
export async function* streamAggregate(p: StreamAggregatePlan, input: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const ex = compile(aggregateExprs(p.groupBy, p.aggregates), env);
  const grouping = new StreamGrouping(p, ex);
  for await (const batch of input) {
    env.ctx.checkCancelled();
    await ex.prepare(batch, env);
    const rows = grouping.add(batch, env);
    if (rows.length > 0) yield rows;
  }
  const last = grouping.finish();
  if (last.length > 0) yield last;
}

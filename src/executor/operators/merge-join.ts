// MergeJoin: joins two inputs ordered on their join keys by walking both once, run of equal keys by run.

import { QueryExecutionError } from '../../errors.js';
import type { PhysicalPlan } from '../../planner/physical.js';
import type { CompiledExprs } from '../compile-expr.js';
import type { Env, Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { compareValues, isTruthy } from '../value-ops.js';
import { compile, evalBatch, joinRows, ownEnv } from './common.js';

type MergeJoinPlan = Extract<PhysicalPlan, { kind: 'MergeJoin' }>;

const NO_ROWS: readonly Row[] = [];

/**
 * Compares two non-NULL key tuples in the inputs' order. compareValues is SQL's `=` without a
 * collation (integers and reals by numeric value), as the hash join's keys are equal.
 */
function compareKeys(a: readonly SqlValue[], b: readonly SqlValue[], desc: readonly boolean[]): number {
  for (let k = 0; k < a.length; k++) {
    const c = compareValues(a[k]!, b[k]!);
    if (c !== 0) return desc[k] ? -c : c;
  }
  return 0;
}

function hasNull(key: readonly SqlValue[]): boolean {
  for (const v of key) if (v === null) return true;
  return false;
}

/**
 * The right input read forward: `seek(key)` skips rows with smaller keys and gathers the run of
 * rows whose key equals `key`. Rows with a NULL key are skipped (they match nothing), so the NULLs'
 * place in the order does not matter.
 */
class RightRuns {
  /** The rows of the last seek's run. */
  run: readonly Row[] = NO_ROWS;
  private batch: readonly Row[] = NO_ROWS;
  private keys: SqlValue[][] = [];
  private pos = 0;
  private done = false;
  private last: SqlValue[] | undefined;
  private readonly it: AsyncIterator<Row[]>;

  constructor(
    input: AsyncIterable<Row[]>,
    private readonly keyExprs: CompiledExprs,
    private readonly desc: readonly boolean[],
    private readonly env: Env,
  ) {
    this.it = input[Symbol.asyncIterator]();
  }

  /**
   * Moves to the run of `key` (greater than the last key sought). Returns a promise only when the
   * run may go on past the batch in hand: most seeks end within a batch, without a turn.
   */
  seek(key: readonly SqlValue[]): Promise<void> | undefined {
    this.run = NO_ROWS;
    return this.scan(key) ? undefined : this.seekAcross(key);
  }

  private async seekAcross(key: readonly SqlValue[]): Promise<void> {
    while (!this.done && (await this.next())) if (this.scan(key)) return;
  }

  /** Reads the batch in hand up to the first key greater than `key`; false when it ran out first. */
  private scan(key: readonly SqlValue[]): boolean {
    while (this.pos < this.batch.length) {
      const k = this.keys[this.pos]!;
      if (!hasNull(k)) {
        const c = compareKeys(k, key, this.desc);
        if (c > 0) return true;
        if (c === 0) (this.run === NO_ROWS ? (this.run = []) : (this.run as Row[])).push(this.batch[this.pos]!);
      }
      this.pos++;
    }
    return false;
  }

  /** Stops reading the input early (its cursors close). */
  async close(): Promise<void> {
    if (!this.done) await this.it.return?.();
  }

  /** Reads the next non-empty batch and its keys; false at the end of the input. */
  private async next(): Promise<boolean> {
    for (;;) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        return false;
      }
      if (r.value.length === 0) continue;
      this.batch = r.value;
      this.keys = await evalBatch(this.keyExprs, r.value, this.env);
      this.pos = 0;
      this.checkOrder();
      return true;
    }
  }

  /** A misplanned input would give wrong answers silently: its order is checked as it is read. */
  private checkOrder(): void {
    for (const k of this.keys) {
      if (hasNull(k)) continue;
      if (this.last && compareKeys(this.last, k, this.desc) > 0) throw new QueryExecutionError('merge join: right input is not ordered on its keys');
      this.last = k;
    }
  }
}

/** Runs a MergeJoin (INNER, LEFT, SEMI, ANTI). */
export async function* mergeJoin(p: MergeJoinPlan, left: AsyncIterable<Row[]>, right: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const lk = compile(p.leftKeys, env);
  const runs = new RightRuns(right, compile(p.rightKeys, env), p.desc, env);
  const residual = p.residual ? compile([p.residual], env) : undefined;
  const rightWidth = p.right.schema.length;
  const nullsRight: Row = new Array(rightWidth).fill(null);
  const nullsJoined: Row = new Array(p.left.schema.length + rightWidth).fill(null);
  // The key of the last seek: left rows with an equal key share its run.
  let runKey: SqlValue[] | undefined;
  try {
    for await (const batch of left) {
      env.ctx.checkCancelled();
      const keys = await evalBatch(lk, batch, env);
      const matches: (readonly Row[])[] = new Array(batch.length);
      for (let i = 0; i < batch.length; i++) {
        const k = keys[i]!;
        if (hasNull(k)) {
          matches[i] = NO_ROWS;
          continue;
        }
        const c = runKey ? compareKeys(k, runKey, p.desc) : 1;
        if (c < 0) throw new QueryExecutionError('merge join: left input is not ordered on its keys');
        if (c > 0) {
          const wait = runs.seek(k);
          if (wait) await wait;
          runKey = k;
        }
        matches[i] = runs.run;
      }
      const accepted = residual ? await filtered(batch, matches, residual, env, nullsJoined) : matches;
      const rows = emit(p.joinType, batch, accepted, residual === undefined, nullsRight, nullsJoined);
      if (rows.length > 0) yield rows;
    }
  } finally {
    await runs.close();
  }
}

/**
 * The joined rows (left ++ right) of each left row's candidates that pass the residual, which may
 * hold subqueries: they are prepared for the whole batch's candidates at once.
 */
async function filtered(batch: readonly Row[], matches: readonly (readonly Row[])[], residual: CompiledExprs, env: Env, nullsJoined: Row): Promise<Row[][]> {
  const combined: Row[] = [];
  for (let i = 0; i < batch.length; i++) for (const r of matches[i]!) combined.push(joinRows(batch[i]!, r, nullsJoined));
  await residual.prepare(combined, env);
  const out: Row[][] = [];
  let at = 0;
  for (let i = 0; i < batch.length; i++) {
    const keep: Row[] = [];
    for (let j = 0; j < matches[i]!.length; j++, at++) {
      env.rowIndex = at;
      if (isTruthy(residual.fns[0]!(combined[at]!, env)) === true) keep.push(combined[at]!);
    }
    out.push(keep);
  }
  return out;
}

/**
 * The output rows for a batch of left rows given each one's matches: joined rows when `raw` is
 * false, right rows still to be joined when it is true.
 */
function emit(type: MergeJoinPlan['joinType'], batch: readonly Row[], matches: readonly (readonly Row[])[], raw: boolean, nullsRight: Row, nullsJoined: Row): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < batch.length; i++) {
    const l = batch[i]!;
    const m = matches[i]!;
    if (type === 'SEMI') {
      if (m.length > 0) out.push(l);
    } else if (type === 'ANTI') {
      if (m.length === 0) out.push(l);
    } else {
      for (const r of m) out.push(raw ? joinRows(l, r, nullsJoined) : r);
      if (m.length === 0 && type === 'LEFT') out.push(l.concat(nullsRight));
    }
  }
  return out;
}

// HashJoin: builds a hash table on the right input's keys and probes it with left rows.

import type { PhysicalPlan } from '../../planner/physical.js';
import { hashKey, type CompiledExprs } from '../compile-expr.js';
import type { Env, Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { isTruthy } from '../value-ops.js';
import { ValueMap } from '../value-map.js';
import { compile, genericArray, joinRows, ownEnv } from './common.js';

type HashJoinPlan = Extract<PhysicalPlan, { kind: 'HashJoin' }>;

/** The hash-table key of a tuple of join-key values; undefined when one is NULL (never equal). */
export function tupleKey(vals: readonly SqlValue[]): string | number | undefined {
  if (vals.length === 1) return vals[0] === null ? undefined : hashKey(vals[0]!);
  let s = '';
  for (const v of vals) {
    if (v === null) return undefined;
    s += `${hashKey(v)}\u0001`;
  }
  return s;
}

/**
 * The join key of row i of a batch (its key expressions' subqueries prepared): the value itself
 * for one key column, tupleKey's string for several; undefined when a key is NULL.
 */
function keyOf(ex: CompiledExprs, row: Row, i: number, env: Env, scratch: SqlValue[]): SqlValue | undefined {
  const cols = ex.columns;
  const fns = ex.fns;
  env.rowIndex = i;
  if (fns.length === 1) {
    const c = cols[0]!;
    const v = c >= 0 ? row[c]! : fns[0]!(row, env);
    return v === null ? undefined : v;
  }
  for (let j = 0; j < fns.length; j++) {
    const c = cols[j]!;
    scratch[j] = c >= 0 ? row[c]! : fns[j]!(row, env);
  }
  const k = tupleKey(scratch);
  return k === undefined ? undefined : String(k);
}

/**
 * The build side of a HashJoin: the right rows and, by key, the positions of those with that
 * key. Batches are added, and probed, by plain methods rather than in the operator's generator,
 * so V8 optimizes the loops within the first query (see HashAggregate's Grouping).
 */
class JoinTable {
  readonly rows = genericArray<Row>();
  private readonly buckets = new ValueMap<number[]>();
  private readonly scratch: SqlValue[];

  constructor(private readonly keys: CompiledExprs) {
    this.scratch = new Array<SqlValue>(keys.fns.length).fill(null);
  }

  /** Adds a batch of right rows (their keys' subqueries prepared in `env`). */
  build(batch: readonly Row[], env: Env): void {
    for (let i = 0; i < batch.length; i++) {
      const k = keyOf(this.keys, batch[i]!, i, env, this.scratch);
      const idx = this.rows.length;
      this.rows.push(batch[i]!);
      if (k === undefined) continue;
      const bucket = this.buckets.get(k);
      if (bucket) bucket.push(idx);
      else this.buckets.set(k, [idx]);
    }
  }

  /** The positions of the right rows whose key equals `k` (a keyOf result). */
  bucket(k: SqlValue | undefined): number[] | undefined {
    return k === undefined ? undefined : this.buckets.get(k);
  }
}

/**
 * Joins a batch of left rows with the table: `bucketOf(i)` gives the right rows left row i's key
 * matches, `accept(combined, i, b)` the residual condition on its b-th candidate (undefined:
 * none); `matched` marks right rows that joined. `nullsRight` and `nullsJoined` are rows of NULLs
 * as wide as a right row and as a joined row.
 */
function probe(
  p: HashJoinPlan,
  batch: readonly Row[],
  table: JoinTable,
  bucketOf: (i: number) => readonly number[] | undefined,
  accept: ((combined: Row, i: number, b: number) => boolean) | undefined,
  matched: Uint8Array | undefined,
  nullsRight: Row,
  nullsJoined: Row,
): Row[] {
  const out: Row[] = [];
  const right = table.rows;
  const type = p.joinType;
  const firstOnly = type === 'SEMI' || type === 'ANTI';
  for (let i = 0; i < batch.length; i++) {
    const l = batch[i]!;
    const bucket = bucketOf(i);
    let any = false;
    if (bucket) {
      for (let b = 0; b < bucket.length; b++) {
        const idx = bucket[b]!;
        const combined = joinRows(l, right[idx]!, nullsJoined);
        if (accept && !accept(combined, i, b)) continue;
        any = true;
        if (matched) matched[idx] = 1;
        if (firstOnly) break;
        out.push(combined);
      }
    }
    if (type === 'SEMI' && any) out.push(l);
    else if (type === 'ANTI' && !any) out.push(l);
    else if (!any && (type === 'LEFT' || type === 'FULL')) out.push(l.concat(nullsRight));
  }
  return out;
}

/** Runs a HashJoin (INNER, LEFT, RIGHT, FULL, SEMI, ANTI). */
export async function* hashJoin(p: HashJoinPlan, left: AsyncIterable<Row[]>, right: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const rightWidth = p.right.schema.length;
  const leftWidth = p.left.schema.length;
  const rk = compile(p.rightKeys, env);
  const table = new JoinTable(rk);
  for await (const batch of right) {
    await rk.prepare(batch, env);
    table.build(batch, env);
  }
  const rightRows = table.rows;
  const matched = p.joinType === 'RIGHT' || p.joinType === 'FULL' ? new Uint8Array(rightRows.length) : undefined;
  const lk = compile(p.leftKeys, env);
  const scratch = new Array<SqlValue>(lk.fns.length).fill(null);
  const residual = p.residual ? compile([p.residual], env) : undefined;
  const accept = residual && !residual.hasSubqueries ? (combined: Row) => isTruthy(residual.fns[0]!(combined, env)) === true : undefined;
  const nullsRight: Row = new Array(rightWidth).fill(null);
  const nullsJoined: Row = new Array(leftWidth + rightWidth).fill(null);
  for await (const batch of left) {
    env.ctx.checkCancelled();
    await lk.prepare(batch, env);
    let out: Row[];
    if (residual && !accept) {
      // The residual's subqueries are run per joined row, asynchronously, before the join.
      const buckets = batch.map((l, i) => table.bucket(keyOf(lk, l, i, env, scratch)));
      const verdicts: boolean[][] = [];
      for (let i = 0; i < batch.length; i++) {
        verdicts.push([]);
        for (const idx of buckets[i] ?? []) {
          const combined = batch[i]!.concat(rightRows[idx]!);
          await residual.prepare([combined], env);
          env.rowIndex = 0;
          verdicts[i]!.push(isTruthy(residual.fns[0]!(combined, env)) === true);
        }
      }
      out = probe(p, batch, table, (i) => buckets[i], (_c, i, b) => verdicts[i]![b]!, matched, nullsRight, nullsJoined);
    } else out = probe(p, batch, table, (i) => table.bucket(keyOf(lk, batch[i]!, i, env, scratch)), accept, matched, nullsRight, nullsJoined);
    if (out.length > 0) yield out;
  }
  if (matched) {
    const nullsLeft: Row = new Array(leftWidth).fill(null);
    const out: Row[] = [];
    for (let i = 0; i < rightRows.length; i++) if (!matched[i]) out.push(nullsLeft.concat(rightRows[i]!));
    if (out.length > 0) yield out;
  }
}

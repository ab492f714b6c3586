// Window: computes window functions over partitions sorted by their ORDER BY, with frames.

import type { WindowCall } from '../../compiler/bound.js';
import { QueryExecutionError } from '../../errors.js';
import type { PhysicalPlan } from '../../planner/physical.js';
import { lookupAggregate } from '../aggregates/registry.js';
import type { Env, Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { isTruthy } from '../value-ops.js';
import { batches, collect, compile, evalBatch, ownEnv, sortComparator } from './common.js';
import { tupleKey } from './hash-join.js';

const RANKING = new Set(['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile']);
const NAVIGATION = new Set(['lag', 'lead', 'first_value', 'last_value', 'nth_value']);

interface Evaluated {
  readonly part: SqlValue[];
  readonly order: SqlValue[];
  readonly args: SqlValue[];
  readonly filter: boolean;
}

/** Runs a Window: emits every input row with one more column per call. */
export async function* windowOp(p: Extract<PhysicalPlan, { kind: 'Window' }>, input: AsyncIterable<Row[]>, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const rows = await collect(input);
  const results: SqlValue[][] = p.calls.map(() => new Array<SqlValue>(rows.length));
  for (let c = 0; c < p.calls.length; c++) await computeCall(p.calls[c]!, rows, results[c]!, env);
  const out = rows.map((r, i) => [...r, ...results.map((res) => res[i]!)]);
  yield* batches(out);
}

async function computeCall(call: WindowCall, rows: Row[], result: SqlValue[], env: Env): Promise<void> {
  const exprs = [...call.partitionBy, ...call.orderBy.map((k) => k.expr), ...call.args, ...(call.filter ? [call.filter] : [])];
  const vals = await evalBatch(compile(exprs, env), rows, env);
  const np = call.partitionBy.length;
  const no = call.orderBy.length;
  const na = call.args.length;
  const ev: Evaluated[] = vals.map((v) => ({
    part: v.slice(0, np),
    order: v.slice(np, np + no),
    args: v.slice(np + no, np + no + na),
    filter: call.filter ? isTruthy(v[np + no + na]!) === true : true,
  }));
  const partitions = new Map<string | number, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const k = np === 0 ? 0 : (tupleKey(ev[i]!.part.map((x) => (x === null ? '\u0000null' : x))) as string | number);
    const list = partitions.get(k);
    if (list) list.push(i);
    else partitions.set(k, [i]);
  }
  const cmp = sortComparator(call.orderBy);
  for (const idx of partitions.values()) {
    idx.sort((a, b) => cmp(ev[a]!.order, ev[b]!.order) || a - b);
    computePartition(call, idx, ev, result, (a, b) => cmp(ev[a]!.order, ev[b]!.order) === 0, env);
  }
}

function constInt(call: WindowCall, i: number, env: Env, dflt: number): number {
  const e = call.args[i];
  if (!e) return dflt;
  const v = evalBatchSync(e, env);
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number') throw new QueryExecutionError(`${call.name}: argument ${i + 1} must be an integer`);
  return n;
}

function evalBatchSync(e: WindowCall['args'][number], env: Env): SqlValue {
  const ex = compile([e], env);
  return ex.fns[0]!([], env);
}

function computePartition(call: WindowCall, idx: number[], ev: Evaluated[], out: SqlValue[], peers: (a: number, b: number) => boolean, env: Env): void {
  const n = idx.length;
  const name = call.name;
  // Peer groups: [start, end) positions of rows with equal ORDER BY values.
  const groupStart = new Array<number>(n);
  const groupEnd = new Array<number>(n);
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && (call.orderBy.length === 0 || peers(idx[i]!, idx[j]!))) j++;
    if (call.orderBy.length === 0) j = n;
    for (let k = i; k < j; k++) {
      groupStart[k] = i;
      groupEnd[k] = j;
    }
    i = j;
  }
  const group: number[] = new Array(n);
  const gStarts: number[] = [];
  const gEnds: number[] = [];
  for (let k = 0; k < n; k++) {
    if (groupStart[k] === k) {
      gStarts.push(k);
      gEnds.push(groupEnd[k]!);
    }
    group[k] = gStarts.length - 1;
  }
  const layout: Layout = {
    gs: groupStart,
    ge: groupEnd,
    group,
    groupStart: gStarts,
    groupEnd: gEnds,
    key: idx.map((r) => {
      const v = ev[r]!.order[0];
      return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null;
    }),
    desc: call.orderBy[0]?.desc === true,
  };
  if (RANKING.has(name)) {
    let dense = 0;
    for (let i = 0; i < n; i++) {
      if (groupStart[i] === i) dense++;
      const r = idx[i]!;
      switch (name) {
        case 'row_number':
          out[r] = i + 1;
          break;
        case 'rank':
          out[r] = groupStart[i]! + 1;
          break;
        case 'dense_rank':
          out[r] = dense;
          break;
        case 'percent_rank':
          out[r] = n <= 1 ? 0 : groupStart[i]! / (n - 1);
          break;
        case 'cume_dist':
          out[r] = groupEnd[i]! / n;
          break;
        case 'ntile': {
          const buckets = constInt(call, 0, env, 1);
          if (buckets <= 0) throw new QueryExecutionError('argument of ntile must be a positive integer');
          const size = Math.floor(n / buckets);
          const extra = n % buckets;
          const bigRows = extra * (size + 1);
          out[r] = i < bigRows ? Math.floor(i / (size + 1)) + 1 : Math.floor((i - bigRows) / Math.max(size, 1)) + extra + 1;
          break;
        }
      }
    }
    return;
  }
  if (name === 'lag' || name === 'lead') {
    const offset = constInt(call, 1, env, 1);
    for (let i = 0; i < n; i++) {
      const j = name === 'lag' ? i - offset : i + offset;
      out[idx[i]!] = j >= 0 && j < n ? ev[idx[j]!]!.args[0]! : (ev[idx[i]!]!.args[2] ?? null);
    }
    return;
  }
  // Frame-based: aggregates and first/last/nth_value.
  for (let i = 0; i < n; i++) {
    const [s, e] = frameOf(call, i, n, layout, env);
    const r = idx[i]!;
    if (NAVIGATION.has(name)) {
      if (s >= e) out[r] = null;
      else if (name === 'first_value') out[r] = ev[idx[s]!]!.args[0]!;
      else if (name === 'last_value') out[r] = ev[idx[e - 1]!]!.args[0]!;
      else {
        const k = constInt(call, 1, env, 1);
        out[r] = s + k - 1 < e ? ev[idx[s + k - 1]!]!.args[0]! : null;
      }
      continue;
    }
    const fn = lookupAggregate(name === 'count' && call.args.length === 0 ? 'count_star' : name);
    if (!fn) throw new QueryExecutionError(`no such window function: ${name}`);
    const st = fn.create();
    const seen = call.distinct ? new Set<string>() : undefined;
    for (let k = s; k < e; k++) {
      const x = ev[idx[k]!]!;
      if (!x.filter) continue;
      if (seen) {
        const key = JSON.stringify(String(x.args[0]));
        if (x.args[0] === null || seen.has(key)) continue;
        seen.add(key);
      }
      st.step(x.args);
    }
    out[r] = st.result();
  }
}

/** Peer-group layout and the first ORDER BY key of a sorted partition, for GROUPS and RANGE frames. */
interface Layout {
  /** Start and end (exclusive) position of each row's peer group. */
  readonly gs: number[];
  readonly ge: number[];
  /** Peer-group number of each position, and each group's start and end. */
  readonly group: number[];
  readonly groupStart: number[];
  readonly groupEnd: number[];
  /** The first ORDER BY value at each position, as a number (null: NULL or not numeric). */
  readonly key: (number | null)[];
  readonly desc: boolean;
}

/** The frame [start, end) of row position i within a partition of n rows. */
function frameOf(call: WindowCall, i: number, n: number, L: Layout, env: Env): [number, number] {
  const f = call.frame;
  const off = (edge: WindowCall['frame']['start']): number => {
    const v = 'offset' in edge ? Number(evalBatchSync(edge.offset, env)) : 0;
    if (!Number.isFinite(v) || v < 0) throw new QueryExecutionError('frame offset must be a non-negative number');
    return v;
  };
  // RANGE with an offset: the rows whose first ORDER BY value lies within the offset of this row's.
  const rangeEdge = (delta: number, isStart: boolean): number => {
    const v = L.key[i];
    if (v === null || v === undefined) return isStart ? L.gs[i]! : L.ge[i]!;
    const target = L.desc ? v - delta : v + delta;
    // In scan order, "before target" means smaller (ascending) or larger (descending).
    const before = (k: number | null): boolean => k === null ? false : L.desc ? k > target : k < target;
    const atOrBefore = (k: number | null): boolean => k === null ? false : L.desc ? k >= target : k <= target;
    let p = 0;
    // NULL keys sit at one end; non-null keys are monotonic, so a linear walk from the row is exact.
    if (isStart) {
      p = i;
      while (p > 0 && L.key[p - 1] !== null && !before(L.key[p - 1]!)) p--;
      while (p < n && L.key[p] !== null && before(L.key[p]!)) p++;
    } else {
      p = i + 1;
      while (p < n && L.key[p] !== null && atOrBefore(L.key[p]!)) p++;
      while (p > 0 && L.key[p - 1] !== null && !atOrBefore(L.key[p - 1]!)) p--;
    }
    return p;
  };
  const G = L.groupStart.length;
  const pos = (edge: WindowCall['frame']['start'], isStart: boolean): number => {
    switch (edge.type) {
      case 'UNBOUNDED PRECEDING':
        return 0;
      case 'UNBOUNDED FOLLOWING':
        return n;
      case 'CURRENT ROW':
        if (f.units === 'ROWS') return isStart ? i : i + 1;
        return isStart ? L.gs[i]! : L.ge[i]!;
      case 'PRECEDING':
      case 'FOLLOWING': {
        const k = off(edge);
        const sign = edge.type === 'PRECEDING' ? -1 : 1;
        if (f.units === 'ROWS') return Math.min(n, Math.max(0, i + sign * k + (isStart ? 0 : 1)));
        if (f.units === 'RANGE') return rangeEdge(sign * k, isStart);
        const g = L.group[i]! + sign * Math.floor(k);
        if (g < 0) return 0;
        if (g >= G) return n;
        return isStart ? L.groupStart[g]! : L.groupEnd[g]!;
      }
    }
  };
  const start = pos(f.start, true);
  return [start, Math.max(start, pos(f.end, false))];
}

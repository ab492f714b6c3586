// TopNHeap: the run-time state of a TopN — the best rows seen so far, in a bounded heap.

import type { SortKey } from '../../compiler/bound.js';
import type { CompiledExprs } from '../compile-expr.js';
import type { Env, Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { genericArray, KeyComparator } from './common.js';

/**
 * A max-heap (worst candidate on top) of at most `keep` rows. Candidate s keeps its key values at
 * keys[s * nk …], its row and its input position; a candidate pushed out gives its slot to the
 * row that replaced it, so once the heap is full a row costs one comparison against the top and
 * allocates nothing. Ties keep input order: a later row is worse.
 */
export class TopNHeap {
  private readonly nk: number;
  private readonly cmp: KeyComparator;
  private readonly keys = genericArray<SqlValue>();
  private readonly rows = genericArray<Row>();
  private readonly seqs: number[] = [];
  private readonly heap: number[] = [];
  private readonly scratch: SqlValue[];
  private seq = 0;

  constructor(
    sortKeys: readonly SortKey[],
    private readonly keep: number,
    private readonly ex: CompiledExprs,
  ) {
    this.nk = sortKeys.length;
    this.cmp = new KeyComparator(sortKeys);
    this.scratch = new Array<SqlValue>(this.nk).fill(null);
  }

  /** Offers every row of a batch (the key expressions' subqueries already prepared for it). */
  add(batch: readonly Row[], env: Env): void {
    const from = this.heap.length < this.keep ? this.fill(batch, env) : 0;
    if (from < batch.length) this.offer(batch, from, env);
  }

  /** Evaluates row i's keys into the scratch tuple. */
  private evalKeys(row: Row, i: number, env: Env): void {
    const { nk, scratch } = this;
    const fns = this.ex.fns;
    const cols = this.ex.columns;
    env.rowIndex = i;
    for (let j = 0; j < nk; j++) {
      const c = cols[j]!;
      scratch[j] = c >= 0 ? row[c]! : fns[j]!(row, env);
    }
  }

  /**
   * Adds rows from the start of a batch while the heap is not full; returns where it stopped.
   * Apart from offer(), so that offer's optimized code never holds this branch: it runs at the
   * start of every query, before V8 has any type feedback for it in the first one.
   */
  private fill(batch: readonly Row[], env: Env): number {
    const { nk, scratch, keys, rows, seqs, heap } = this;
    let i = 0;
    for (; i < batch.length && heap.length < this.keep; i++) {
      this.evalKeys(batch[i]!, i, env);
      const slot = rows.length;
      for (let j = 0; j < nk; j++) keys.push(scratch[j]!);
      rows.push(batch[i]!);
      seqs.push(this.seq++);
      heap.push(slot);
      this.siftUp(heap.length - 1);
    }
    return i;
  }

  /** Offers rows `from` … of a batch to the full heap: a row better than the top takes its slot. */
  private offer(batch: readonly Row[], from: number, env: Env): void {
    const { nk, scratch, keys, rows, seqs, heap, cmp } = this;
    for (let i = from; i < batch.length; i++) {
      const row = batch[i]!;
      this.evalKeys(row, i, env);
      const s = this.seq++;
      if (cmp.compareAt(scratch, 0, keys, heap[0]! * nk) < 0) {
        const slot = heap[0]!;
        for (let j = 0; j < nk; j++) keys[slot * nk + j] = scratch[j]!;
        rows[slot] = row;
        seqs[slot] = s;
        this.siftDown(0);
      }
    }
  }

  /** The kept rows, best first. */
  sorted(): Row[] {
    const order = this.heap.slice().sort((a, b) => this.order(a, b));
    return order.map((slot) => this.rows[slot]!);
  }

  private order(a: number, b: number): number {
    return this.cmp.compareAt(this.keys, a * this.nk, this.keys, b * this.nk) || this.seqs[a]! - this.seqs[b]!;
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const s = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.order(s, heap[parent]!) <= 0) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = s;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const s = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const c = r < heap.length && this.order(heap[r]!, heap[l]!) > 0 ? r : l;
      if (this.order(heap[c]!, s) <= 0) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = s;
  }
}

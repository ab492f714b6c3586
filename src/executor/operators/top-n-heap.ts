// TopNHeap: the run-time state of a TopN — the best rows seen so far, in a bounded heap.

import type { SortKey } from '../../compiler/bound.js';
import type { CompiledExprs } from '../compile-expr.js';
import type { Env, Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { sortComparatorAt } from './common.js';

/**
 * A max-heap (worst candidate on top) of at most `keep` rows. Candidate s keeps its key values at
 * keys[s * nk …], its row and its input position; a candidate pushed out gives its slot to the
 * row that replaced it, so once the heap is full a row costs one comparison against the top and
 * allocates nothing. Ties keep input order: a later row is worse.
 */
export class TopNHeap {
  private readonly nk: number;
  private readonly cmp: (a: readonly SqlValue[], i: number, b: readonly SqlValue[], j: number) => number;
  // Started with a null element so V8 keeps the array generic: an array that only ever held
  // numbers would store them unboxed and box every one read back.
  private readonly keys: SqlValue[] = [null];
  private readonly rows: Row[] = [];
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
    this.cmp = sortComparatorAt(sortKeys);
    this.keys.length = 0;
    this.scratch = new Array<SqlValue>(this.nk).fill(null);
  }

  /** Offers every row of a batch (the key expressions' subqueries already prepared for it). */
  add(batch: readonly Row[], env: Env): void {
    const { nk, scratch, keys, rows, seqs, heap, cmp } = this;
    const fns = this.ex.fns;
    const cols = this.ex.columns;
    for (let i = 0; i < batch.length; i++) {
      env.rowIndex = i;
      const row = batch[i]!;
      for (let j = 0; j < nk; j++) {
        const c = cols[j]!;
        scratch[j] = c >= 0 ? row[c]! : fns[j]!(row, env);
      }
      const s = this.seq++;
      if (heap.length < this.keep) {
        const slot = rows.length;
        for (let j = 0; j < nk; j++) keys.push(scratch[j]!);
        rows.push(row);
        seqs.push(s);
        heap.push(slot);
        this.siftUp(heap.length - 1);
      } else if (cmp(scratch, 0, keys, heap[0]! * nk) < 0) {
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
    return this.cmp(this.keys, a * this.nk, this.keys, b * this.nk) || this.seqs[a]! - this.seqs[b]!;
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

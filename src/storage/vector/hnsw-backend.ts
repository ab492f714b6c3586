// The HNSW graph (usearch) behind VectorIndex for quantizations none, f16 and i8; labels are arena slots.

import { availableParallelism } from 'node:os';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import usearch from 'usearch';
import type { Index as NativeIndex, BatchMatches, Matches, MetricKind as NativeMetric } from 'usearch';
import type { VectorIndexConfig, VectorMetric } from './config.js';
import type { VectorArena } from './arena.js';

/** usearch's metric for ours. Its distances differ from ours only by a monotone map (see toOurDistance). */
export function nativeMetric(metric: VectorMetric): NativeMetric {
  switch (metric) {
    case 'cosine':
      return usearch.MetricKind.Cos;
    case 'euclidean':
      return usearch.MetricKind.L2sq;
    case 'dot':
      return usearch.MetricKind.IP;
  }
}

/** Maps a usearch f32 distance to our definition: cos 1−cos as is, l2sq → √, ip (1−⟨a,b⟩) → −⟨a,b⟩. */
export function toOurDistance(metric: VectorMetric, d: number): number {
  switch (metric) {
    case 'cosine':
      return d;
    case 'euclidean':
      return Math.sqrt(Math.max(0, d));
    case 'dot':
      return d - 1;
  }
}

/** Batched graph results: row i's labels and usearch distances sit at [i·stride, i·stride + counts[i]). */
export interface BatchResult {
  readonly keys: BigUint64Array;
  readonly distances: Float32Array;
  readonly counts: readonly number[];
  readonly stride: number;
}

/**
 * A usearch HNSW index whose labels are arena slots. Its search expansion is fixed at 1 so that
 * asking for `count` results explores exactly max(1, count) candidates: a per-query ef is emulated
 * by asking for max(k, ef) results and cutting (usearch uses max(expansion, wanted)).
 *
 * For i8 we quantize ourselves and hand usearch Int8Arrays: cosine vectors are normalized then
 * scaled by 127; euclidean/dot vectors are scaled by one factor, 127 / (largest |component| seen
 * when the graph received its first vectors), clipping later outliers. Scaling all vectors by one
 * factor keeps the order of L2 and inner-product distances, and re-ranking on the full vectors
 * repairs what rounding and clipping disturb.
 */
export class HnswBackend {
  private index: NativeIndex;
  /** i8 only: the factor applied before rounding (0 until the first add chooses it). */
  i8Scale = 0;

  constructor(
    private readonly config: VectorIndexConfig,
    private readonly arena: VectorArena,
  ) {
    this.index = HnswBackend.create(config);
  }

  private static create(config: VectorIndexConfig): NativeIndex {
    const quantization = {
      none: usearch.ScalarKind.F32,
      f16: usearch.ScalarKind.F16,
      i8: usearch.ScalarKind.I8,
      pq: usearch.ScalarKind.F32,
    }[config.quantization];
    return new usearch.Index({
      dimensions: config.dimension,
      metric: nativeMetric(config.metric),
      quantization,
      connectivity: config.m,
      expansion_add: config.efConstruction,
      expansion_search: 1,
      multi: false,
    });
  }

  /** The thread count the graph's per-thread contexts were reserved for (at its first add). */
  private addThreads: number | undefined;

  /** Nodes in the graph. */
  get size(): number {
    return this.index.size();
  }

  /** Inserts the vectors of `slots` (read from the arena) under their slot numbers. */
  add(slots: readonly number[], threads: number): void {
    if (slots.length === 0) return;
    const dim = this.arena.dim;
    const packed = new Float32Array(slots.length * dim);
    for (let i = 0; i < slots.length; i++) packed.set(this.arena.data.subarray(slots[i] * dim, (slots[i] + 1) * dim), i * dim);
    const labels = BigUint64Array.from(slots, (s) => BigInt(s));
    // usearch's binding reserves per-thread contexts only when it grows the index, for the thread
    // count of that call; a later add with more threads then fails ("Reserve capacity ahead of
    // insertions"). Every add therefore uses at least the thread count of the first.
    threads = Math.max(threads, this.addThreads ??= Math.max(threads, availableParallelism()));
    if (this.config.quantization === 'i8') {
      if (this.i8Scale === 0) this.chooseI8Scale();
      this.index.add(labels, this.toI8(packed, slots.length), threads);
    } else {
      this.index.add(labels, packed, threads);
    }
  }

  /** Removes the node labelled `slot`; usearch never returns a removed label again. */
  remove(slot: number): void {
    this.index.remove(BigInt(slot));
  }

  /** Up to `count` approximate nearest slots with usearch's distances, closest first. */
  search(q: Float32Array, count: number): { slots: number[]; distances: Float32Array } {
    const n = this.index.size();
    if (n === 0) return { slots: [], distances: new Float32Array(0) };
    const m = this.index.search(this.prepareQuery(q, 1), Math.min(count, n), 1);
    const slots = new Array<number>(m.keys.length);
    for (let i = 0; i < m.keys.length; i++) slots[i] = Number(m.keys[i]);
    return { slots, distances: m.distances };
  }

  /** `count` results for each of the n queries in `queries` (n×dim), on `threads` native threads; row i's results sit at [i·stride, i·stride + counts[i]). */
  searchBatch(queries: Float32Array, n: number, count: number, threads: number): BatchResult | undefined {
    const size = this.index.size();
    if (size === 0) return undefined;
    const wanted = Math.min(count, size);
    const m = this.index.search(this.prepareQuery(queries, n), wanted, threads) as Matches | BatchMatches;
    if (n === 1) return { keys: m.keys, distances: m.distances, counts: [m.keys.length], stride: wanted };
    const b = m as BatchMatches;
    return { keys: b.keys, distances: b.distances, counts: Array.from(b.counts, Number), stride: wanted };
  }

  /** An estimate of the graph's bytes: per node its stored vector, ~2m level-0 neighbour slots, key and level headers. */
  memoryBytes(): number {
    const scalar = { none: 4, f16: 2, i8: 1, pq: 4 }[this.config.quantization];
    const perNode = this.arena.dim * scalar + (2 * this.config.m + 1) * 4 + 8 + 8 + Math.ceil((this.config.m * 4 + 4) / (this.config.m - 1));
    return this.index.size() * perNode;
  }

  /** The graph in usearch's file format. */
  async serialize(): Promise<Uint8Array> {
    const tmp = join(tmpdir(), `toondb-hnsw-${randomUUID()}.usearch`);
    try {
      this.index.save(tmp);
      return await readFile(tmp);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /** Replaces the graph with one produced by serialize(). */
  async deserialize(bytes: Uint8Array): Promise<void> {
    const tmp = join(tmpdir(), `toondb-hnsw-${randomUUID()}.usearch`);
    try {
      await writeFile(tmp, bytes);
      const index = HnswBackend.create(this.config);
      index.load(tmp);
      this.index = index;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  private prepareQuery(q: Float32Array, n: number): Float32Array | Int8Array {
    // A subarray view is copied: usearch's native code has been seen to ignore byteOffset.
    const flat = q.byteOffset === 0 ? q : q.slice();
    return this.config.quantization === 'i8' ? this.toI8(flat, n) : flat;
  }

  private chooseI8Scale(): void {
    let maxAbs = 0;
    const { data, states, dim, highWater } = this.arena;
    for (let s = 0; s < highWater; s++) {
      if (states[s] === 0) continue;
      for (let i = s * dim; i < (s + 1) * dim; i++) maxAbs = Math.max(maxAbs, Math.abs(data[i]));
    }
    this.i8Scale = maxAbs > 0 ? 127 / maxAbs : 1;
  }

  private toI8(packed: Float32Array, n: number): Int8Array {
    const dim = this.arena.dim;
    const out = new Int8Array(n * dim);
    for (let r = 0; r < n; r++) {
      let scale = this.i8Scale || 1;
      if (this.config.metric === 'cosine') {
        let norm = 0;
        for (let i = r * dim; i < (r + 1) * dim; i++) norm += packed[i] * packed[i];
        scale = norm > 0 ? 127 / Math.sqrt(norm) : 1;
      }
      for (let i = r * dim; i < (r + 1) * dim; i++) {
        const x = Math.round(packed[i] * scale);
        out[i] = x > 127 ? 127 : x < -127 ? -127 : x;
      }
    }
    return out;
  }
}

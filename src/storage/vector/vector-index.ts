// VectorIndex: exact full-precision vectors plus an approximate structure built in the background.

import { availableParallelism } from 'node:os';
import { usearch } from './native.js';
import type { BatchMatches, Matches } from 'usearch';
import { InvalidVectorError, ValidationError } from '../../errors.js';
import { SlotState, VectorArena } from './arena.js';
import { validateVectorConfig, type VectorIndexConfig } from './config.js';
import { checkVector, cosineFromDot, dotAt, l2sqAt } from './distance.js';
import { HnswBackend, nativeMetric, toOurDistance } from './hnsw-backend.js';
import { PqBackend } from './pq-backend.js';
import { TopK } from './top-k.js';
import { readIndexFile, writeIndexFile } from './persist.js';

/** Options of VectorIndex.search. */
export interface VectorSearchOptions {
  /** Candidate-list size for this query (default: config.efSearch). Larger is slower and more accurate. */
  efSearch?: number;
  /** Only keys for which this returns true may appear in the results. */
  filter?: (key: string) => boolean;
}

/** Options of VectorIndex.searchBatch. */
export interface VectorBatchOptions {
  /** Candidate-list size for every query (default: config.efSearch). */
  efSearch?: number;
  /** Native threads to search with (default: os.availableParallelism()). */
  threads?: number;
}

/** Results of one query: keys by ascending distance, and their distances (see `distance`). */
export interface VectorSearchResult {
  /** The keys found, closest first. */
  keys: string[];
  /** distances[i] is the distance of keys[i] to the query, ascending. */
  distances: number[];
}

/** Counts of what reconcile changed. */
export interface ReconcileResult {
  /** Keys the index did not hold. */
  added: number;
  /** Keys whose vector differed from the index's. */
  replaced: number;
  /** Keys the index held that the rows no longer have. */
  removed: number;
}

/** How filtered searches were served so far (for EXPLAIN ANALYZE-style diagnostics and tests). */
export interface FilteredSearchStats {
  /** Answered from an over-fetched graph search. */
  graph: number;
  /** Answered by scanning the matching keys exactly because the filter looked selective. */
  exact: number;
  /** Tried the graph, came up short, then scanned exactly. */
  fallback: number;
}

/**
 * Candidate sets of at least this many components (candidates × dimension) are ranked by usearch's
 * native exactSearch on a packed copy; smaller ones by a JS loop. Measured (docs/vector-index.md):
 * at 128-d the JS loop wins for 16 candidates and loses from 64; at 768-d native wins from 16.
 */
export const NATIVE_EXACT_MIN_COMPONENTS = 8192;
/** i8 asks the graph for this many times max(k, ef) candidates and re-ranks them on full vectors. */
export const I8_OVERFETCH = 3;
/** PQ re-ranks this many times max(k, ef) ADC candidates on full vectors. */
export const PQ_RERANK = 4;
/**
 * A filtered search uses the graph only while it would fetch at most this fraction of it: an HNSW
 * search with ef = 2% of 100k (2000) costs about as much as calling the predicate on all 100k keys
 * and ranking the matches natively (bench/vector-index.ts); beyond that the exact scan wins.
 */
const GRAPH_FETCH_LIMIT = 0.02;
/** Random indexed slots sampled to estimate a filter's selectivity. */
const SELECTIVITY_SAMPLE = 128;
/** Budget per background build step, in ms: the longest the scheduler blocks the event loop. */
const BACKGROUND_BUDGET_MS = 4;

/**
 * An approximate nearest-neighbour index over string keys. Every upsert lands in an exact-searched
 * buffer and is visible to the next search; buildStep / the background scheduler moves buffered
 * vectors into the approximate structure (an HNSW graph, or PQ codes). Full-precision vectors are
 * kept for every key, so results always carry exact distances. Derived state: the table rows are
 * the truth, and reconcile() makes the index agree with them after a crash.
 */
export class VectorIndex {
  /** The validated configuration (frozen). */
  readonly config: VectorIndexConfig;
  private readonly arena: VectorArena;
  private hnsw: HnswBackend | undefined;
  private pq: PqBackend | undefined;
  /** Live slots not yet in the approximate structure, in insertion order. */
  private readonly buffer = new Set<number>();
  private msPerVector = 0.3;
  private running = false;
  private scheduled: NodeJS.Immediate | undefined;
  private stamp = new Uint32Array(0);
  private scratch = new Float32Array(0);
  /** Counters of the paths filtered searches took (graph searches only; PQ always scans). */
  readonly filteredStats: FilteredSearchStats = { graph: 0, exact: 0, fallback: 0 };
  private generation = 0;

  /** Creates an empty index; `config` is validated (see validateVectorConfig). */
  constructor(config: VectorIndexConfig) {
    this.config = Object.freeze(validateVectorConfig(config));
    this.arena = new VectorArena(this.config.dimension);
    if (this.config.quantization === 'pq') this.pq = new PqBackend(this.config, this.arena);
    else this.hnsw = new HnswBackend(this.config, this.arena);
  }

  /** Number of keys held. */
  get size(): number {
    return this.arena.size;
  }

  /** Number of keys waiting in the exact-searched buffer (not yet in the graph / PQ codes). */
  get buffered(): number {
    return this.buffer.size;
  }

  /**
   * Inserts or replaces the vector under `key` (row keys are passed as strings). Searchable at once.
   * Throws DimensionMismatchError or InvalidVectorError (NaN, ±Infinity, zero under cosine); on a
   * throw nothing changed.
   */
  upsert(key: string, vector: Float32Array): void {
    if (typeof key !== 'string') throw new ValidationError('vector key must be a string', { details: { key } });
    checkVector(vector, this.config.dimension, this.config.metric, `vector for key '${key}'`);
    let slot = this.arena.slot(key);
    if (slot >= 0) {
      if (this.arena.equals(slot, vector)) return;
      this.unindex(slot);
    } else {
      slot = this.arena.allocate(key);
    }
    this.arena.write(slot, vector);
    this.arena.states[slot] = SlotState.Buffered;
    this.buffer.add(slot);
    this.schedule();
  }

  /** Removes `key`; returns whether it was present. It never appears in results afterwards. */
  remove(key: string): boolean {
    const slot = this.arena.slot(key);
    if (slot < 0) return false;
    this.unindex(slot);
    this.arena.release(key);
    return true;
  }

  /** Whether `key` is held. */
  has(key: string): boolean {
    return this.arena.slot(key) >= 0;
  }

  /** A full-precision copy of the vector under `key`, or undefined. */
  get(key: string): Float32Array | undefined {
    const slot = this.arena.slot(key);
    return slot < 0 ? undefined : this.arena.copy(slot);
  }

  /**
   * The k nearest keys to `query`, by ascending distance. Graph candidates (max(k, efSearch) of
   * them, which is how a per-query ef is emulated) and every buffered vector are ranked by exact
   * distance. With a filter, exactly min(k, #matching keys) results come back, all matching:
   * selectivity s is estimated from 128 sampled keys; the graph is asked for 1.5·max(k, ef)/s
   * candidates (×4 while short of k matches) as long as that stays within 2% of the graph, else
   * the matching keys are scanned exactly (natively for large sets).
   */
  search(query: Float32Array, k: number, options: VectorSearchOptions = {}): VectorSearchResult {
    checkVector(query, this.config.dimension, this.config.metric, 'query vector');
    checkCount('k', k);
    const ef = options.efSearch ?? this.config.efSearch;
    checkCount('efSearch', ef, 1);
    const q = query;
    const qNorm = Math.sqrt(dotAt(q, 0, q, q.length));
    const top = new TopK(k);
    if (k === 0) return { keys: [], distances: [] };
    const filter = options.filter;
    const accept = filter ? (slot: number) => filter(this.arena.keys[slot]) : undefined;
    for (const slot of this.buffer) if (!accept || accept(slot)) top.push(this.exactDistance(q, qNorm, slot), slot);
    const want = Math.max(k, ef);
    if (this.pq) {
      for (const slot of this.pq.search(q, want * PQ_RERANK, accept)) top.push(this.exactDistance(q, qNorm, slot), slot);
    } else if (this.hnsw && this.hnsw.size > 0) {
      const graphSize = this.hnsw.size;
      const count = this.config.quantization === 'i8' ? want * I8_OVERFETCH : want;
      if (!accept) {
        // f32 graph order is already exact up to rounding: only the first k need exact distances;
        // f16 and i8 candidates are all re-ranked.
        let take = this.config.quantization === 'none' ? k : count;
        for (const slot of this.hnsw.search(q, count).slots) {
          if (take === 0) break;
          if (this.arena.states[slot] !== SlotState.Indexed) continue;
          top.push(this.exactDistance(q, qNorm, slot), slot);
          take--;
        }
      } else {
        const selectivity = this.estimateSelectivity(accept);
        let found = -1;
        const limit = Math.max(count, Math.floor(graphSize * GRAPH_FETCH_LIMIT));
        let fetch = Math.ceil((count / selectivity) * 1.5);
        const tryGraph = fetch <= limit;
        if (tryGraph) {
          const seen = new Map<number, boolean>();
          for (;;) {
            fetch = Math.min(fetch, graphSize);
            const hits: number[] = [];
            for (const slot of this.hnsw.search(q, fetch).slots) {
              if (this.arena.states[slot] !== SlotState.Indexed) continue;
              let ok = seen.get(slot);
              if (ok === undefined) seen.set(slot, (ok = accept(slot)));
              if (ok) hits.push(slot);
            }
            if (hits.length >= k) {
              this.rankInto(q, qNorm, hits, top);
              found = hits.length;
              break;
            }
            if (fetch >= graphSize || fetch * 4 > limit) break;
            fetch *= 4;
          }
        }
        if (found >= 0) this.filteredStats.graph++;
        else if (tryGraph) this.filteredStats.fallback++;
        else this.filteredStats.exact++;
        if (found < 0) {
          const matches: number[] = [];
          const { states, highWater } = this.arena;
          for (let s = 0; s < highWater; s++) if (states[s] === SlotState.Indexed && accept(s)) matches.push(s);
          this.rankInto(q, qNorm, matches, top);
        }
      }
    }
    const { slots, distances } = top.sorted();
    return { keys: slots.map((s) => this.arena.keys[s]), distances };
  }

  /**
   * Exact k nearest among `candidates` (keys not held are ignored, duplicates count once).
   * Sets of NATIVE_EXACT_MIN_COMPONENTS components or more are ranked by usearch's exactSearch on a packed copy, smaller
   * ones by a JS loop; distances are always recomputed exactly.
   */
  exactSearch(query: Float32Array, k: number, candidates: Iterable<string>): VectorSearchResult {
    checkVector(query, this.config.dimension, this.config.metric, 'query vector');
    checkCount('k', k);
    if (this.stamp.length < this.arena.capacity) this.stamp = new Uint32Array(this.arena.capacity);
    const gen = ++this.generation;
    const slots: number[] = [];
    for (const key of candidates) {
      const s = this.arena.slot(key);
      if (s < 0 || this.stamp[s] === gen) continue;
      this.stamp[s] = gen;
      slots.push(s);
    }
    const top = new TopK(k);
    if (k > 0) this.rankInto(query, Math.sqrt(dotAt(query, 0, query, query.length)), slots, top);
    const r = top.sorted();
    return { keys: r.slots.map((s) => this.arena.keys[s]), distances: r.distances };
  }

  /** Calls of searchBatch so far (tests check that concurrent statements were batched). */
  searchBatchCalls = 0;

  /**
   * Searches n = queries.length / dimension queries on native threads (graph and buffer alike).
   * Under quantization none the distances are usearch's f32 ones mapped to our definition (equal to
   * `distance` up to f32 rounding); f16 and i8 candidates are re-ranked exactly; pq runs `search` per query.
   */
  searchBatch(queries: Float32Array, k: number, options: VectorBatchOptions = {}): { keys: string[][]; distances: number[][] } {
    this.searchBatchCalls++;
    const dim = this.config.dimension;
    if (!(queries instanceof Float32Array) || queries.length % dim !== 0) {
      throw new InvalidVectorError(`queries must be a Float32Array of n × ${dim} components`);
    }
    checkCount('k', k);
    const ef = options.efSearch ?? this.config.efSearch;
    checkCount('efSearch', ef, 1);
    const threads = options.threads ?? availableParallelism();
    checkCount('threads', threads, 1);
    const n = queries.length / dim;
    for (let i = 0; i < n; i++) checkVector(queries.subarray(i * dim, (i + 1) * dim), dim, this.config.metric, `query ${i}`);
    const keys: string[][] = [];
    const distances: number[][] = [];
    if (n === 0 || k === 0) return { keys: Array.from({ length: n }, () => []), distances: Array.from({ length: n }, () => []) };
    if (this.pq) {
      for (let i = 0; i < n; i++) {
        const r = this.search(queries.slice(i * dim, (i + 1) * dim), k, { efSearch: ef });
        keys.push(r.keys);
        distances.push(r.distances);
      }
      return { keys, distances };
    }
    const hnsw = this.hnsw as HnswBackend;
    const flat = queries.byteOffset === 0 ? queries : queries.slice();
    const count = this.config.quantization === 'i8' ? Math.max(k, ef) * I8_OVERFETCH : Math.max(k, ef);
    const graph = hnsw.searchBatch(flat, n, count, threads);
    let buf: BatchMatches | undefined;
    let bufSlots: number[] = [];
    if (this.buffer.size > 0) {
      bufSlots = [...this.buffer];
      const r = usearch.exactSearch(this.pack(bufSlots), flat, dim, Math.min(k, bufSlots.length), nativeMetric(this.config.metric), threads);
      buf = n === 1 ? { keys: r.keys, distances: r.distances, counts: BigUint64Array.of(BigInt(r.keys.length)), k: r.keys.length, get: () => r as Matches } : (r as BatchMatches);
    }
    const exact = this.config.quantization !== 'none';
    const metric = this.config.metric;
    const { states, keys: slotKeys } = this.arena;
    for (let i = 0; i < n; i++) {
      const q = exact ? flat.subarray(i * dim, (i + 1) * dim) : flat;
      const qNorm = exact ? Math.sqrt(dotAt(q, 0, q, dim)) : 0;
      if (graph && !buf && !exact) {
        // The hot path: graph results are already ordered; map labels and distances only.
        const base = i * graph.stride;
        const rowKeys: string[] = [];
        const rowDist: number[] = [];
        for (let j = 0; j < graph.counts[i] && rowKeys.length < k; j++) {
          const slot = Number(graph.keys[base + j]);
          if (states[slot] !== SlotState.Indexed) continue;
          rowKeys.push(slotKeys[slot]);
          rowDist.push(toOurDistance(metric, graph.distances[base + j]));
        }
        keys.push(rowKeys);
        distances.push(rowDist);
        continue;
      }
      const top = new TopK(k);
      if (graph) {
        const base = i * graph.stride;
        const limit = exact ? graph.counts[i] : Math.min(graph.counts[i], k);
        for (let j = 0; j < limit; j++) {
          const slot = Number(graph.keys[base + j]);
          if (states[slot] !== SlotState.Indexed) continue;
          top.push(exact ? this.exactDistance(q, qNorm, slot) : toOurDistance(metric, graph.distances[base + j]), slot);
        }
      }
      if (buf) {
        const base = i * buf.k;
        for (let j = 0; j < Number(buf.counts[i]); j++) {
          const slot = bufSlots[Number(buf.keys[base + j])];
          top.push(exact ? this.exactDistance(q, qNorm, slot) : toOurDistance(metric, buf.distances[base + j]), slot);
        }
      }
      const r = top.sorted();
      keys.push(r.slots.map((s) => slotKeys[s]));
      distances.push(r.distances);
    }
    return { keys, distances };
  }

  /**
   * Moves buffered vectors into the approximate structure for about `budgetMs` (default 4) and
   * returns true when no build work remains: the buffer is empty — or, for pq, fewer vectors exist
   * than codebook training needs, so they stay in the exact-searched buffer. Chunk sizes adapt to
   * the measured cost per vector so one call overshoots its budget by at most one vector's insert.
   * `threads` (default 1) is passed to usearch's add; the background scheduler uses 1, flush() all cores.
   */
  buildStep(budgetMs = BACKGROUND_BUDGET_MS, threads = 1): boolean {
    const deadline = performance.now() + budgetMs;
    if (this.pq && !this.pq.train(budgetMs)) return this.arena.size < this.pq.trainingMinimum || this.buffer.size === 0;
    while (this.buffer.size > 0) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      const chunkSize = Math.max(1, Math.min(4096, Math.floor((left / this.msPerVector) * threads)));
      const chunk: number[] = [];
      for (const slot of this.buffer) {
        chunk.push(slot);
        if (chunk.length >= chunkSize) break;
      }
      const t0 = performance.now();
      if (this.pq) this.pq.add(chunk);
      else (this.hnsw as HnswBackend).add(chunk, threads);
      const per = (performance.now() - t0) / chunk.length;
      this.msPerVector = 0.7 * this.msPerVector + 0.3 * Math.max(per * threads, 0.001);
      for (const slot of chunk) {
        this.buffer.delete(slot);
        this.arena.states[slot] = SlotState.Indexed;
      }
    }
    return this.buffer.size === 0;
  }

  /** Starts the background builder: buildStep(4 ms) per setImmediate turn while the buffer is non-empty. */
  start(): void {
    this.running = true;
    this.schedule();
  }

  /** Stops the background builder (buffered vectors stay searchable exactly). */
  stop(): void {
    this.running = false;
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
  }

  /** Builds everything buffered, on all cores, yielding to the event loop between ~50 ms steps. */
  async flush(): Promise<void> {
    const threads = availableParallelism();
    while (!this.buildStep(50, threads)) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Bytes used: the full-precision arena, the graph (usearch's layout, estimated) or PQ codes and codebooks, and the key map. */
  memoryBytes(): number {
    let keyBytes = 0;
    for (const [key] of this.arena.entries()) keyBytes += 2 * key.length + 64;
    return this.arena.bytes() + (this.hnsw?.memoryBytes() ?? 0) + (this.pq?.memoryBytes() ?? 0) + keyBytes;
  }

  /**
   * Writes the index (config, keys, full vectors, which slots are buffered, and the graph or PQ
   * codes) to `path` atomically (a temporary file renamed over it). Taken at one instant.
   */
  async save(path: string): Promise<void> {
    const graph = this.hnsw ? this.hnsw.serialize() : undefined;
    const snapshot = {
      config: this.config,
      highWater: this.arena.highWater,
      keys: this.arena.keys.slice(0, this.arena.highWater),
      states: this.arena.states.slice(0, this.arena.highWater),
      vectors: this.arena.data.slice(0, this.arena.highWater * this.config.dimension),
      i8Scale: this.hnsw?.i8Scale ?? 0,
      pq: this.pq?.serialize(),
    };
    await writeIndexFile(path, { ...snapshot, graph: graph ? await graph : undefined });
  }

  /**
   * Reads an index written by save(). The file's dimension, metric and quantization (and PQ shape)
   * must equal `config`'s (VectorConfigError otherwise); a damaged file throws CorruptionError. If
   * the graph disagrees with the slot states, the graph is dropped and rebuilt from the vectors.
   */
  static async load(path: string, config: VectorIndexConfig): Promise<VectorIndex> {
    const index = new VectorIndex(config);
    const file = await readIndexFile(path, index.config);
    const arena = index.arena;
    arena.grow(file.highWater);
    arena.highWater = file.highWater;
    arena.keys = file.keys;
    arena.states.set(file.states);
    for (let s = 0; s < file.highWater; s++) {
      if (file.states[s] !== SlotState.Free) arena.write(s, file.vectors.subarray(s * arena.dim, (s + 1) * arena.dim));
    }
    arena.restore();
    let indexed = 0;
    for (let s = 0; s < file.highWater; s++) if (file.states[s] === SlotState.Indexed) indexed++;
    let graphOk = true;
    if (index.hnsw) {
      index.hnsw.i8Scale = file.i8Scale;
      if (file.graph && file.graph.length > 0) await index.hnsw.deserialize(file.graph);
      graphOk = index.hnsw.size === indexed;
    } else if (index.pq && file.pq) {
      index.pq.deserialize(file.pq.codebooks, file.pq.codes, indexed);
      graphOk = indexed === 0 || index.pq.quantizer !== undefined;
    }
    for (let s = 0; s < file.highWater; s++) {
      if (file.states[s] === SlotState.Free) continue;
      if (!graphOk) arena.states[s] = SlotState.Buffered;
      if (arena.states[s] === SlotState.Buffered) index.buffer.add(s);
    }
    if (!graphOk) index.resetStructure();
    return index;
  }

  /**
   * Makes the index hold exactly `rows`: keys not passed are removed, vectors that differ are
   * replaced, new keys added, equal ones left alone (so a current saved index costs one vector
   * comparison per row). Each key should be passed once; a repeated key keeps its last vector.
   */
  reconcile(rows: Iterable<[string, Float32Array]>): ReconcileResult {
    const result: ReconcileResult = { added: 0, replaced: 0, removed: 0 };
    let seen = new Uint8Array(this.arena.capacity);
    for (const [key, vector] of rows) {
      const before = this.arena.slot(key);
      if (before >= 0 && this.arena.equals(before, vector)) {
        seen[before] = 1;
        continue;
      }
      this.upsert(key, vector);
      if (before >= 0) result.replaced++;
      else result.added++;
      const slot = this.arena.slot(key);
      if (slot >= seen.length) {
        const grown = new Uint8Array(this.arena.capacity);
        grown.set(seen);
        seen = grown;
      }
      seen[slot] = 1;
    }
    const stale: string[] = [];
    for (const [key, slot] of this.arena.entries()) if (seen[slot] !== 1) stale.push(key);
    for (const key of stale) this.remove(key);
    result.removed = stale.length;
    return result;
  }

  private exactDistance(q: Float32Array, qNorm: number, slot: number): number {
    const { data, dim } = this.arena;
    const off = slot * dim;
    switch (this.config.metric) {
      case 'cosine':
        return cosineFromDot(dotAt(data, off, q, dim), this.arena.norms[slot], qNorm);
      case 'euclidean':
        return Math.sqrt(l2sqAt(data, off, q, dim));
      case 'dot':
        return -dotAt(data, off, q, dim);
    }
  }

  /** Pushes the exact distances of `slots` into `top`, natively for large sets. */
  private rankInto(q: Float32Array, qNorm: number, slots: readonly number[], top: TopK): void {
    if (slots.length * this.config.dimension >= NATIVE_EXACT_MIN_COMPONENTS && top.k < slots.length) {
      const qc = q.byteOffset === 0 ? q : q.slice();
      const r = usearch.exactSearch(this.pack(slots), qc, this.config.dimension, top.k, nativeMetric(this.config.metric), 1) as Matches;
      for (let i = 0; i < r.keys.length; i++) {
        const slot = slots[Number(r.keys[i])];
        top.push(this.exactDistance(q, qNorm, slot), slot);
      }
      return;
    }
    for (const slot of slots) top.push(this.exactDistance(q, qNorm, slot), slot);
  }

  /** The vectors of `slots`, packed row after row at offset 0 of a reused scratch buffer (usearch ignores view offsets). */
  private pack(slots: readonly number[]): Float32Array {
    const dim = this.config.dimension;
    if (this.scratch.length < slots.length * dim) this.scratch = new Float32Array(Math.max(slots.length * dim, this.scratch.length * 2));
    const out = this.scratch.subarray(0, slots.length * dim);
    const data = this.arena.data;
    for (let i = 0; i < slots.length; i++) out.set(data.subarray(slots[i] * dim, (slots[i] + 1) * dim), i * dim);
    return out;
  }

  /** Fraction of a random sample of indexed slots that `accept` takes (smoothed so it is never 0). */
  private estimateSelectivity(accept: (slot: number) => boolean): number {
    const { states, highWater } = this.arena;
    let tried = 0;
    let sampled = 0;
    let hits = 0;
    let x = (highWater * 2654435761) >>> 0;
    while (sampled < SELECTIVITY_SAMPLE && tried < 8 * SELECTIVITY_SAMPLE) {
      tried++;
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      const s = x % highWater;
      if (states[s] !== SlotState.Indexed) continue;
      sampled++;
      if (accept(s)) hits++;
    }
    return (hits + 0.5) / (sampled + 1);
  }

  /** Removes `slot` from the buffer or the approximate structure (the vector itself stays). */
  private unindex(slot: number): void {
    if (this.arena.states[slot] === SlotState.Indexed) {
      if (this.hnsw) this.hnsw.remove(slot);
      else this.pq?.remove(slot);
    }
    this.buffer.delete(slot);
  }

  /** Drops the approximate structure after a failed load (all live slots were moved to the buffer). */
  private resetStructure(): void {
    if (this.hnsw) this.hnsw = new HnswBackend(this.config, this.arena);
    if (this.pq) this.pq = new PqBackend(this.config, this.arena);
  }

  private schedule(): void {
    if (!this.running || this.scheduled || this.buffer.size === 0) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = undefined;
      if (!this.running) return;
      if (!this.buildStep(BACKGROUND_BUDGET_MS)) this.schedule();
    });
    this.scheduled.unref();
  }
}

function checkCount(name: string, v: number, min = 0): void {
  if (!Number.isInteger(v) || v < min) throw new ValidationError(`${name} must be an integer ≥ ${min}, got ${String(v)}`);
}

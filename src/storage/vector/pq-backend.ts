// The PQ structure behind VectorIndex for quantization 'pq': byte codes per arena slot, scanned by ADC.

import type { VectorIndexConfig } from './config.js';
import { SlotState, type VectorArena } from './arena.js';
import { ProductQuantizer, PqTrainer } from './pq.js';
import { TopK } from './top-k.js';

/**
 * Codes for every indexed slot, searched by a flat ADC scan: one table of m×k floats per query,
 * then m table lookups per vector, keeping the best `count` for re-ranking on full vectors.
 * Memory: m bytes per vector plus k×dimension×4 bytes of codebooks. Training waits until
 * `trainingMinimum` vectors exist (until then VectorIndex searches everything exactly) and uses
 * the first `trainingSample` live vectors in slot order.
 */
export class PqBackend {
  quantizer: ProductQuantizer | undefined;
  private trainer: PqTrainer | undefined;
  private codes = new Uint8Array(0);
  private indexed = 0;
  private readonly m: number;
  private readonly k: number;
  private readonly innerProduct: boolean;

  constructor(
    private readonly config: VectorIndexConfig,
    private readonly arena: VectorArena,
  ) {
    this.m = config.pqNumSubvectors ?? 1;
    this.k = config.pqNumCentroids ?? 256;
    this.innerProduct = config.metric !== 'euclidean';
  }

  /** Live vectors needed before codebooks are trained. */
  get trainingMinimum(): number {
    return Math.max(4 * this.k, 256);
  }

  /** Vectors used to train the codebooks. */
  get trainingSample(): number {
    return 32 * this.k;
  }

  /** Vectors encoded. */
  get size(): number {
    return this.indexed;
  }

  /**
   * Advances codebook training by about `budgetMs`. Returns true once trained; false while
   * training or while fewer than trainingMinimum vectors exist.
   */
  train(budgetMs: number): boolean {
    if (this.quantizer) return true;
    if (!this.trainer) {
      if (this.arena.size < this.trainingMinimum) return false;
      const n = Math.min(this.arena.size, this.trainingSample);
      const dim = this.arena.dim;
      const sample = new Float32Array(n * dim);
      let i = 0;
      for (let s = 0; s < this.arena.highWater && i < n; s++) {
        if (this.arena.states[s] === SlotState.Free) continue;
        this.unit(s, sample, i * dim);
        i++;
      }
      this.trainer = new PqTrainer(dim, this.m, this.k, this.innerProduct, sample);
    }
    this.quantizer = this.trainer.step(budgetMs);
    if (this.quantizer) this.trainer = undefined;
    return this.quantizer !== undefined;
  }

  /** Encodes the vectors of `slots`; requires a trained quantizer. */
  add(slots: readonly number[]): void {
    const q = this.quantizer;
    if (!q) throw new Error('PqBackend.add before training');
    if (this.codes.length < this.arena.capacity * this.m) {
      const codes = new Uint8Array(this.arena.capacity * this.m);
      codes.set(this.codes);
      this.codes = codes;
    }
    const tmp = new Float32Array(this.arena.dim);
    for (const s of slots) {
      this.unit(s, tmp, 0);
      q.encode(tmp, 0, this.codes, s * this.m);
      this.indexed++;
    }
  }

  /** Forgets the code of `slot` (the caller changes the slot's state, which the scan checks). */
  remove(_slot: number): void {
    this.indexed--;
  }

  /**
   * The `count` slots with the smallest ADC distance to `q` among Indexed slots accepted by
   * `accept` (asked only for slots that would enter the current best `count`).
   */
  search(q: Float32Array, count: number, accept?: (slot: number) => boolean): number[] {
    const pq = this.quantizer;
    if (!pq || this.indexed === 0) return [];
    const dim = this.arena.dim;
    let query = q;
    if (this.config.metric === 'cosine') {
      let n = 0;
      for (let i = 0; i < dim; i++) n += q[i] * q[i];
      const inv = 1 / Math.sqrt(n);
      query = q.map((x) => x * inv);
    }
    const table = pq.table(query);
    const { m, k, codes } = this;
    const states = this.arena.states;
    const top = new TopK(count);
    for (let s = 0, end = this.arena.highWater; s < end; s++) {
      if (states[s] !== SlotState.Indexed) continue;
      let d = 0;
      const base = s * m;
      for (let j = 0; j < m; j++) d += table[j * k + codes[base + j]];
      if (d < top.bound && (accept === undefined || accept(s))) top.push(d, s);
    }
    return top.sorted().slots;
  }

  /** Bytes of codes and codebooks. */
  memoryBytes(): number {
    return this.codes.byteLength + (this.quantizer?.codebooks.byteLength ?? 0);
  }

  /** Codebooks and codes as bytes (empty when untrained). */
  serialize(): { codebooks: Float32Array; codes: Uint8Array } {
    return {
      codebooks: this.quantizer?.codebooks ?? new Float32Array(0),
      codes: this.codes.subarray(0, this.arena.highWater * this.m),
    };
  }

  /** Restores serialize()'s output; `indexed` is the number of slots in state Indexed. */
  deserialize(codebooks: Float32Array, codes: Uint8Array, indexed: number): void {
    this.quantizer =
      codebooks.length > 0 ? new ProductQuantizer(this.arena.dim, this.m, this.k, this.innerProduct, codebooks) : undefined;
    this.codes = new Uint8Array(Math.max(codes.length, this.arena.capacity * this.m));
    this.codes.set(codes);
    this.indexed = indexed;
  }

  /** Writes slot `s`'s vector into out[at..], normalized under cosine (so inner product = cosine). */
  private unit(s: number, out: Float32Array, at: number): void {
    const dim = this.arena.dim;
    const scale = this.config.metric === 'cosine' ? 1 / this.arena.norms[s] : 1;
    for (let i = 0; i < dim; i++) out[at + i] = this.arena.data[s * dim + i] * scale;
  }
}

// Product quantization: per-subvector k-means codebooks trained in resumable steps, byte codes, ADC tables.

import { seededRandom } from '../../util/random.js';

/**
 * A trained product quantizer: the vector is cut into `m` subvectors of `dsub` components and each
 * is replaced by the index of its nearest of `k` centroids (one byte). Distances from a query to a
 * code are read from a per-query table (asymmetric distance computation, ADC): the query stays
 * exact, only the database side is quantized.
 *
 * `innerProduct` selects the table: true sums subvector inner products (for dot, and for cosine on
 * normalized vectors), false sums squared subvector L2 distances.
 */
export class ProductQuantizer {
  readonly dsub: number;

  constructor(
    readonly dim: number,
    readonly m: number,
    readonly k: number,
    readonly innerProduct: boolean,
    /** m × k × dsub centroid components: centroid c of subspace j at ((j·k)+c)·dsub. */
    readonly codebooks: Float32Array,
  ) {
    this.dsub = dim / m;
  }

  /** Writes the m-byte code of `v` (read at `offset`) into `out` at `outOffset`. */
  encode(v: Float32Array, offset: number, out: Uint8Array, outOffset: number): void {
    const { m, k, dsub, codebooks } = this;
    for (let j = 0; j < m; j++) {
      let best = 0;
      let bestD = Infinity;
      const sub = offset + j * dsub;
      for (let c = 0; c < k; c++) {
        const cb = (j * k + c) * dsub;
        let d = 0;
        for (let t = 0; t < dsub; t++) {
          const x = v[sub + t] - codebooks[cb + t];
          d += x * x;
        }
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      out[outOffset + j] = best;
    }
  }

  /** The m × k ADC table of `q`: entry j·k+c is the subspace-j term for centroid c, oriented so smaller is closer. */
  table(q: Float32Array): Float32Array {
    const { m, k, dsub, codebooks, innerProduct } = this;
    const t = new Float32Array(m * k);
    for (let j = 0; j < m; j++) {
      for (let c = 0; c < k; c++) {
        const cb = (j * k + c) * dsub;
        let acc = 0;
        for (let i = 0; i < dsub; i++) {
          const qi = q[j * dsub + i];
          if (innerProduct) acc -= qi * codebooks[cb + i];
          else {
            const x = qi - codebooks[cb + i];
            acc += x * x;
          }
        }
        t[j * k + c] = acc;
      }
    }
    return t;
  }
}

/** A small deterministic PRNG (mulberry32), so training is reproducible. */
export const rng = seededRandom;

/**
 * Trains the codebooks by Lloyd's k-means, one subspace at a time, in steps bounded by a time
 * budget so a background scheduler never blocks the event loop for long. A subspace stops after
 * `iterations` rounds or once fewer than 0.1% of samples change cluster. Centroids start at
 * distinct random samples; an empty cluster is reseeded with a random sample.
 */
export class PqTrainer {
  private readonly codebooks: Float32Array;
  private readonly assign: Int32Array;
  private readonly sums: Float64Array;
  private readonly counts: Int32Array;
  private readonly random = rng(0x70a);
  private sub = 0;
  private iter = 0;
  private pos = 0;
  private changed = 0;
  private initialized = false;

  constructor(
    private readonly dim: number,
    private readonly m: number,
    private readonly k: number,
    private readonly innerProduct: boolean,
    /** n × dim training vectors (already normalized for cosine). */
    private readonly sample: Float32Array,
    private readonly iterations = 8,
  ) {
    const n = sample.length / dim;
    this.codebooks = new Float32Array(m * k * (dim / m));
    this.assign = new Int32Array(n).fill(-1);
    this.sums = new Float64Array(k * (dim / m));
    this.counts = new Int32Array(k);
  }

  /** Works for about `budgetMs`; returns the quantizer once every subspace has converged, else undefined. */
  step(budgetMs: number): ProductQuantizer | undefined {
    const deadline = performance.now() + budgetMs;
    const n = this.assign.length;
    const dsub = this.dim / this.m;
    const { k, sample, codebooks } = this;
    while (this.sub < this.m) {
      const j = this.sub;
      if (!this.initialized) this.initSubspace(j, n, dsub);
      // Assignment pass over [pos, n), interruptible every 64 samples.
      while (this.pos < n) {
        const end = Math.min(n, this.pos + 64);
        for (let s = this.pos; s < end; s++) {
          const off = s * this.dim + j * dsub;
          let best = 0;
          let bestD = Infinity;
          for (let c = 0; c < k; c++) {
            const cb = (j * k + c) * dsub;
            let d = 0;
            for (let t = 0; t < dsub; t++) {
              const x = sample[off + t] - codebooks[cb + t];
              d += x * x;
            }
            if (d < bestD) {
              bestD = d;
              best = c;
            }
          }
          if (this.assign[s] !== best) {
            this.assign[s] = best;
            this.changed++;
          }
        }
        this.pos = end;
        if (performance.now() > deadline && this.pos < n) return undefined;
      }
      // Converged when fewer than 0.1% of the samples changed cluster.
      const converged = this.iter > 0 && this.changed <= n / 1000;
      this.updateCentroids(j, n, dsub);
      this.pos = 0;
      this.changed = 0;
      if (++this.iter >= this.iterations || converged) {
        this.iter = 0;
        this.sub++;
        this.initialized = false;
      }
      if (performance.now() > deadline) break;
    }
    if (this.sub < this.m) return undefined;
    return new ProductQuantizer(this.dim, this.m, this.k, this.innerProduct, this.codebooks);
  }

  private initSubspace(j: number, n: number, dsub: number): void {
    // Distinct random samples (a partial Fisher–Yates over indices); with fewer samples than k, repeat.
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    for (let c = 0; c < this.k; c++) {
      const r = c < n ? c + Math.floor(this.random() * (n - c)) : Math.floor(this.random() * n);
      const pick = idx[r];
      if (c < n) {
        idx[r] = idx[c];
        idx[c] = pick;
      }
      this.codebooks.set(this.sample.subarray(pick * this.dim + j * dsub, pick * this.dim + (j + 1) * dsub), (j * this.k + c) * dsub);
    }
    this.initialized = true;
  }

  private updateCentroids(j: number, n: number, dsub: number): void {
    this.sums.fill(0);
    this.counts.fill(0);
    for (let s = 0; s < n; s++) {
      const c = this.assign[s];
      this.counts[c]++;
      const off = s * this.dim + j * dsub;
      for (let t = 0; t < dsub; t++) this.sums[c * dsub + t] += this.sample[off + t];
    }
    for (let c = 0; c < this.k; c++) {
      const cb = (j * this.k + c) * dsub;
      if (this.counts[c] === 0) {
        const pick = Math.floor(this.random() * n);
        this.codebooks.set(this.sample.subarray(pick * this.dim + j * dsub, pick * this.dim + (j + 1) * dsub), cb);
        continue;
      }
      for (let t = 0; t < dsub; t++) this.codebooks[cb + t] = this.sums[c * dsub + t] / this.counts[c];
    }
  }
}

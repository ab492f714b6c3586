// Test data for the vector index: seeded clustered vectors, brute-force neighbours, recall.

import type { VectorMetric } from '../../src/storage/vector/index.js';
import { seededRandom } from '../../src/util/random.js';

/** A seeded uniform PRNG (mulberry32). */
export const prng = seededRandom;

/** A standard normal sampler over `rand` (Box–Muller). */
export function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/**
 * n × dim vectors shaped like embeddings of topical documents: `clusters` Gaussian centres, and
 * around each a cluster spanning a random `latent`-dimensional subspace (scale `spread`) plus a
 * little isotropic noise. Real embeddings have low intrinsic dimension; i.i.d. Gaussian noise in
 * every direction is a much harder (and unrealistic) case. Queries come from the same law.
 */
export function clustered(n: number, dim: number, seed: number, clusters = 40, spread = 0.5, latent = 12): Float32Array[] {
  const rand = prng(seed);
  const law = prng(0xc1a55);
  const g = gaussian(law);
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: dim }, () => g()));
  const bases = Array.from({ length: clusters }, () =>
    Array.from({ length: latent }, () => Float32Array.from({ length: dim }, () => (g() * spread) / Math.sqrt(latent))),
  );
  const noise = gaussian(prng(seed ^ 0x9e3779b9));
  return Array.from({ length: n }, () => {
    const c = Math.floor(rand() * clusters);
    const v = Float32Array.from(centres[c], (x) => x + 0.03 * noise());
    for (const axis of bases[c]) {
      const z = noise() * Math.sqrt(latent);
      for (let i = 0; i < dim; i++) v[i] += z * axis[i];
    }
    return v;
  });
}

/** Reference distance in double precision, written independently of the module. */
export function refDistance(metric: VectorMetric, a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let l2 = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
    l2 += (a[i] - b[i]) ** 2;
  }
  if (metric === 'cosine') return 1 - dot / Math.sqrt(na * nb);
  if (metric === 'euclidean') return Math.sqrt(l2);
  return -dot;
}

/** The k nearest keys to q among `data` (key = index as a string) accepted by `filter`, by brute force. */
export function bruteForce(
  metric: VectorMetric,
  data: Float32Array[],
  q: Float32Array,
  k: number,
  filter?: (key: string) => boolean,
): string[] {
  const scored: [number, string][] = [];
  data.forEach((v, i) => {
    const key = String(i);
    if (!filter || filter(key)) scored.push([refDistance(metric, v, q), key]);
  });
  scored.sort((x, y) => x[0] - y[0]);
  return scored.slice(0, k).map(([, key]) => key);
}

/** |found ∩ truth| / |truth|. */
export function recall(found: readonly string[], truth: readonly string[]): number {
  if (truth.length === 0) return 1;
  const set = new Set(found);
  return truth.filter((t) => set.has(t)).length / truth.length;
}

// npm run bench:vector — VectorIndex beside raw usearch on the same clustered vectors: recall, q/s, inserts, filters, batches.

import { loadavg } from 'node:os';
import { usearch } from '../src/storage/vector/native.js';
import type { Index as NativeIndex, Matches, BatchMatches } from 'usearch';
import { validateVectorConfig, VectorIndex, type VectorQuantization } from '../src/storage/vector/index.js';
import { seededRandom } from '../src/util/random.js';

const K = 10;
const SCALE = Number(process.env.BENCH_VECTOR_SCALE ?? 1);

/** Seeded uniform PRNG (mulberry32). */
const prng = seededRandom;

function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/**
 * n × dim vectors like embeddings of topical documents: 100 Gaussian centres, each cluster spanning
 * a random 12-dimensional subspace plus small isotropic noise (low intrinsic dimension, as real
 * embeddings have). Queries are drawn from the same law with another seed.
 */
function clustered(n: number, dim: number, seed: number, clusters = 100, latent = 12): Float32Array {
  const law = gaussian(prng(0xc1a55));
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: dim }, () => law()));
  const bases = Array.from({ length: clusters }, () =>
    Array.from({ length: latent }, () => Float32Array.from({ length: dim }, () => (law() * 0.5) / Math.sqrt(latent))),
  );
  const rand = prng(seed);
  const noise = gaussian(prng(seed ^ 0x9e3779b9));
  const out = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    const c = Math.floor(rand() * clusters);
    const base = r * dim;
    for (let i = 0; i < dim; i++) out[base + i] = centres[c][i] + 0.03 * noise();
    for (const axis of bases[c]) {
      const z = noise() * Math.sqrt(latent);
      for (let i = 0; i < dim; i++) out[base + i] += z * axis[i];
    }
  }
  return out;
}

const row = (m: Float32Array, dim: number, i: number) => m.slice(i * dim, (i + 1) * dim);

/** Exact top-k of every query among the rows of `data` (by index), by native brute force on both cores. */
function groundTruth(data: Float32Array, queries: Float32Array, dim: number, k: number): number[][] {
  const nq = queries.length / dim;
  const r = usearch.exactSearch(data, queries, dim, k, usearch.MetricKind.Cos, 2) as BatchMatches;
  return Array.from({ length: nq }, (_, i) => Array.from(r.keys.subarray(i * k, (i + 1) * k), Number));
}

function recallOf(found: readonly (string | number)[][], truth: number[][], k = K): number {
  let hit = 0;
  let total = 0;
  found.forEach((f, i) => {
    const t = new Set(truth[i].slice(0, k));
    total += t.size;
    for (const x of f.slice(0, k)) if (t.has(Number(x))) hit++;
  });
  return total === 0 ? 1 : hit / total;
}

/** Runs fn; returns its result, wall seconds, and CPU seconds of this process (all threads). */
function timed<T>(fn: () => T): [T, number, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = fn();
  const c = process.cpuUsage(c0);
  return [r, (performance.now() - t0) / 1000, (c.user + c.system) / 1e6];
}

const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

function rawIndex(dim: number, quantization = usearch.ScalarKind.F32): NativeIndex {
  return new usearch.Index({
    dimensions: dim,
    metric: usearch.MetricKind.Cos,
    quantization,
    connectivity: 16,
    expansion_add: 100,
    expansion_search: 1,
    multi: false,
  });
}

async function dataset(n: number, dim: number, nq: number): Promise<void> {
  console.log(`\n=== ${fmt(n)} × ${dim}, cosine, ${nq} queries (clustered) ===`);
  const data = clustered(n, dim, 1);
  const queries = clustered(nq, dim, 2);
  const [truth, gtSec] = timed(() => groundTruth(data, queries, dim, K));
  console.log(`ground truth by native brute force: ${gtSec.toFixed(1)} s`);

  // Inserts: upsert into the buffer, then flush (build on both cores) — beside usearch add on both cores.
  const index = new VectorIndex(validateVectorConfig({ dimension: dim, metric: 'cosine' }));
  const [, upSec, upCpu] = timed(() => {
    for (let i = 0; i < n; i++) index.upsert(String(i), data.subarray(i * dim, (i + 1) * dim));
  });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await index.flush();
  const buildSec = (performance.now() - t0) / 1000;
  const buildCpu = ((c => c.user + c.system)(process.cpuUsage(c0))) / 1e6;
  const raw = rawIndex(dim);
  const [, rawSec, rawCpu] = timed(() => raw.add(BigUint64Array.from({ length: n }, (_, i) => BigInt(i)), data, 2));
  const ours = n / (upSec + buildSec);
  console.log(
    `insert: VectorIndex upsert ${fmt(n / upSec)}/s, upsert+flush ${fmt(ours)}/s (${fmt(n / (upCpu + buildCpu))}/CPU-s) | usearch add (2 threads) ${fmt(n / rawSec)}/s (${fmt(n / rawCpu)}/CPU-s) | ratio ${ratio(ours, n / rawSec)} (by CPU ${ratio(rawCpu, upCpu + buildCpu)})`,
  );
  console.log(`memoryBytes(): ${fmt(index.memoryBytes() / 2 ** 20, 1)} MiB (raw f32 vectors alone: ${fmt((n * dim * 4) / 2 ** 20, 1)} MiB)`);

  // Single-query recall and q/s at several ef, one thread each.
  console.log('ef   | VectorIndex recall  q/s  (q/CPU-s) | usearch recall  q/s  (q/CPU-s) | ratio (by CPU)');
  for (const ef of [16, 32, 64, 128, 256]) {
    const found: string[][] = [];
    const [, sec, cpu] = timed(() => {
      for (let i = 0; i < nq; i++) found.push(index.search(queries.subarray(i * dim, (i + 1) * dim), K, { efSearch: ef }).keys);
    });
    const rawFound: number[][] = [];
    const [, rawQSec, rawCpu] = timed(() => {
      for (let i = 0; i < nq; i++) {
        const m = raw.search(queries.subarray(i * dim, (i + 1) * dim), Math.max(K, ef), 1) as Matches;
        rawFound.push(Array.from(m.keys.subarray(0, K), Number));
      }
    });
    console.log(
      `${String(ef).padEnd(4)} | ${recallOf(found, truth).toFixed(3)}  ${fmt(nq / sec).padStart(7)} (${fmt(nq / cpu).padStart(7)}) | ${recallOf(rawFound, truth).toFixed(3)}  ${fmt(nq / rawQSec).padStart(7)} (${fmt(nq / rawCpu).padStart(7)}) | ${ratio(nq / sec, nq / rawQSec)} (${ratio(rawCpu, cpu)})`,
    );
  }

  // Batches on two native threads.
  console.log(`(2-thread rate on 2 idle cores ≈ 2 × q/CPU-s; load average now ${loadavg()[0].toFixed(1)})`);
  for (const ef of [50, 64]) {
    const [b, bSec, bCpu] = timed(() => index.searchBatch(queries, K, { efSearch: ef, threads: 2 }));
    const [rb, rSec, rCpu] = timed(() => raw.search(queries, Math.max(K, ef), 2) as BatchMatches);
    const rawFound = Array.from({ length: nq }, (_, i) => Array.from(rb.keys.subarray(i * Math.max(K, ef), i * Math.max(K, ef) + K), Number));
    console.log(
      `searchBatch ef ${ef}, 2 threads: ${fmt(nq / bSec)} q/s, ${fmt(nq / bCpu)} q/CPU-s (recall ${recallOf(b.keys, truth).toFixed(3)}) | usearch ${fmt(nq / rSec)} q/s, ${fmt(nq / rCpu)} q/CPU-s (recall ${recallOf(rawFound, truth).toFixed(3)}) | ratio ${ratio(nq / bSec, nq / rSec)} (by CPU ${ratio(rCpu, bCpu)})`,
    );
  }

  // Filtered search at several selectivities: recall against the filtered brute force.
  const u = (() => {
    const r = prng(3);
    return Float64Array.from({ length: n }, () => r());
  })();
  const fq = Math.min(nq, 200);
  for (const s of [0.01, 0.1, 0.5]) {
    const filter = (key: string) => u[Number(key)] < s;
    const matching: number[] = [];
    for (let i = 0; i < n; i++) if (u[i] < s) matching.push(i);
    const packed = new Float32Array(matching.length * dim);
    matching.forEach((r, j) => packed.set(data.subarray(r * dim, (r + 1) * dim), j * dim));
    const fTruth = groundTruth(packed, queries.slice(0, fq * dim), dim, K).map((t) => t.map((j) => matching[j]));
    const before = { ...index.filteredStats };
    const found: string[][] = [];
    const [, sec, cpu] = timed(() => {
      for (let i = 0; i < fq; i++) found.push(index.search(queries.subarray(i * dim, (i + 1) * dim), K, { filter }).keys);
    });
    const paths = (['graph', 'exact', 'fallback'] as const).map((p) => `${p} ${index.filteredStats[p] - before[p]}`).join(', ');
    console.log(`filtered ${String(s * 100).padStart(2)}%: recall ${recallOf(found, fTruth).toFixed(3)}, ${fmt(fq / sec)} q/s, ${fmt(fq / cpu)} q/CPU-s (${paths})`);
  }

  // exactSearch over candidate sets: the JS loop beside native exactSearch on a packed copy.
  console.log('exact over candidates (CPU µs per query): n | JS loop | native (pack + exactSearch)');
  const q = row(queries, dim, 0);
  // VectorIndex keeps each vector's norm, so its JS loop is one dot product per candidate.
  const norms = Float64Array.from({ length: n }, (_, s) => {
    let nn = 0;
    for (let i = 0; i < dim; i++) nn += data[s * dim + i] ** 2;
    return Math.sqrt(nn);
  });
  for (const c of [16, 64, 256, 1024, 4096]) {
    const slots = Array.from({ length: c }, (_, i) => (i * 7919) % n);
    const reps = Math.max(5, Math.floor(20_000 / c));
    const [, , jsSec] = timed(() => {
      for (let r = 0; r < reps; r++) {
        let best = Infinity;
        for (const s of slots) {
          let dot = 0;
          for (let i = 0; i < dim; i++) dot += data[s * dim + i] * q[i];
          best = Math.min(best, 1 - dot / norms[s]);
        }
        if (best === 42) console.log('');
      }
    });
    const [, , nSec] = timed(() => {
      for (let r = 0; r < reps; r++) {
        const packed = new Float32Array(c * dim);
        slots.forEach((s, j) => packed.set(data.subarray(s * dim, (s + 1) * dim), j * dim));
        usearch.exactSearch(packed, q, dim, Math.min(K, c), usearch.MetricKind.Cos, 1);
      }
    });
    console.log(`  ${String(c).padStart(5)} | ${fmt((jsSec / reps) * 1e6, 1).padStart(8)} | ${fmt((nSec / reps) * 1e6, 1).padStart(8)}`);
  }
}

async function quantized(n: number, dim: number, nq: number, modes: VectorQuantization[]): Promise<void> {
  console.log(`\n=== quantization, ${fmt(n)} × ${dim}, cosine, ef 64 ===`);
  const data = clustered(n, dim, 11);
  const queries = clustered(nq, dim, 12);
  const truth = groundTruth(data, queries, dim, K);
  console.log('mode | build s | recall@10 | q/CPU-s  | memoryBytes MiB');
  for (const quantization of modes) {
    const index = new VectorIndex(validateVectorConfig({ dimension: dim, metric: 'cosine', quantization }));
    const t0 = performance.now();
    for (let i = 0; i < n; i++) index.upsert(String(i), data.subarray(i * dim, (i + 1) * dim));
    await index.flush();
    const build = (performance.now() - t0) / 1000;
    const found: string[][] = [];
    const [, , cpu] = timed(() => {
      for (let i = 0; i < nq; i++) found.push(index.search(queries.subarray(i * dim, (i + 1) * dim), K, { efSearch: 64 }).keys);
    });
    console.log(
      `${quantization.padEnd(4)} | ${build.toFixed(1).padStart(7)} | ${recallOf(found, truth).toFixed(3).padStart(9)} | ${fmt(nq / cpu).padStart(8)} | ${fmt(index.memoryBytes() / 2 ** 20, 1)}`,
    );
  }
}

await dataset(Math.round(100_000 * SCALE), 128, 2000);
await dataset(Math.round(20_000 * SCALE), 768, 500);
await quantized(Math.round(20_000 * SCALE), 768, 300, ['none', 'f16', 'i8']);
await quantized(Math.round(50_000 * SCALE), 128, 300, ['none', 'pq']);

// npm run bench:vector — vector collections through the ToonDB API beside usearch used directly,
// on clustered synthetic data with exact ground truth, in one run.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usearch } from '../src/storage/vector/native.js';
import { Database, type Collection } from '../src/index.js';
import { seededRandom } from '../src/util/random.js';

const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const K = 10;

const rng = seededRandom;

/** n vectors around `clusters` random centres, as one packed array. */
function clustered(n: number, dim: number, clusters: number, seed: number): Float32Array {
  const r = rng(seed);
  const centers = Array.from({ length: clusters }, () => Float32Array.from({ length: dim }, () => r() * 2 - 1));
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = centers[Math.floor(r() * clusters)]!;
    for (let j = 0; j < dim; j++) out[i * dim + j] = c[j]! + (r() - 0.5) * 0.4;
  }
  return out;
}

function normalize(v: Float32Array, dim: number): void {
  for (let i = 0; i < v.length; i += dim) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += v[i + j]! ** 2;
    const n = Math.sqrt(s) || 1;
    for (let j = 0; j < dim; j++) v[i + j]! /= n;
  }
}

/** Exact top-k by cosine (vectors pre-normalized: the largest dot products), optionally among `allowed`. */
function groundTruth(data: Float32Array, queries: Float32Array, dim: number, k: number, allowed?: (i: number) => boolean): number[][] {
  const n = data.length / dim;
  const out: number[][] = [];
  for (let q = 0; q < queries.length / dim; q++) {
    const best: { i: number; s: number }[] = [];
    for (let i = 0; i < n; i++) {
      if (allowed && !allowed(i)) continue;
      let s = 0;
      for (let j = 0; j < dim; j++) s += data[i * dim + j]! * queries[q * dim + j]!;
      if (best.length < k) {
        best.push({ i, s });
        best.sort((a, b) => b.s - a.s);
      } else if (s > best[k - 1]!.s) {
        best[k - 1] = { i, s };
        best.sort((a, b) => b.s - a.s);
      }
    }
    out.push(best.map((b) => b.i));
  }
  return out;
}

function recall(got: number[][], truth: number[][]): number {
  let hit = 0;
  for (let q = 0; q < truth.length; q++) {
    const t = new Set(truth[q]);
    hit += got[q]!.filter((i) => t.has(i)).length;
  }
  return hit / (truth.length * K);
}

const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(x >= 10 ? 1 : 3));

async function run(n: number, dim: number): Promise<void> {
  console.log(`\n## ${n.toLocaleString('en-US')} × ${dim} (cosine, 64 clusters), ${QUERIES} queries, k = ${K}`);
  const data = clustered(n, dim, 64, 11);
  normalize(data, dim);
  const queries = clustered(QUERIES, dim, 64, 11);
  for (let i = 0; i < queries.length; i++) queries[i]! += (Math.sin(i) * 0.05);
  normalize(queries, dim);
  const truth = groundTruth(data, queries, dim, K);
  const vec = (i: number) => data.subarray(i * dim, (i + 1) * dim);
  const query = (q: number) => queries.slice(q * dim, (q + 1) * dim);

  // usearch used directly.
  const raw = new usearch.Index({ metric: usearch.MetricKind.Cos, connectivity: 16, dimensions: dim, expansion_add: 100, expansion_search: 64, quantization: usearch.ScalarKind.F32, multi: false });
  let t = performance.now();
  const labels = new BigUint64Array(n);
  for (let i = 0; i < n; i++) labels[i] = BigInt(i);
  raw.add(labels, data);
  const rawAddMs = performance.now() - t;
  const rawFile = join(mkdtempSync(join(tmpdir(), 'toondb-bench-usearch-')), 'raw.usearch');
  raw.save(rawFile);

  // ToonDB: on disk, batched transactional inserts of 1,000 documents.
  const dir = mkdtempSync(join(tmpdir(), 'toondb-bench-vec-'));
  const db = await Database.open(dir);
  const col: Collection = await db.namespace('default').createCollection({ name: 'docs', dimension: dim, metric: 'cosine', m: 16, efConstruction: 100, efSearch: 64 });
  t = performance.now();
  for (let i = 0; i < n; i += 1000) {
    const m = Math.min(1000, n - i);
    await col.insertBatch({
      ids: Array.from({ length: m }, (_, j) => `d${i + j}`),
      vectors: Array.from({ length: m }, (_, j) => vec(i + j)),
      metadatas: Array.from({ length: m }, (_, j) => ({ p1: (i + j) % 100 === 0, p10: (i + j) % 10 === 0, p50: (i + j) % 2 === 0 })),
    });
  }
  const ackMs = performance.now() - t;
  const index = await db.search.vectorIndex(db.getTableSchema('docs'));
  t = performance.now();
  await index.flush();
  const buildMs = performance.now() - t;
  console.log('\n| writes | vectors/s |');
  console.log('|---|---|');
  console.log(`| ToonDB insertBatch, acknowledged (durable, searchable) | ${fmt(n / (ackMs / 1000))} |`);
  console.log(`| ToonDB graph build after acknowledgement (background) | ${fmt(n / (buildMs / 1000))} |`);
  console.log(`| usearch add (its own threads), baseline | ${fmt(n / (rawAddMs / 1000))} |`);

  const id = (s: string) => Number(s.slice(1));
  console.log('\n| efSearch | ToonDB recall@10 | ToonDB q/s (API) | its index alone q/s | usearch recall@10 | usearch q/s | API / usearch |');
  console.log('|---|---|---|---|---|---|---|');
  for (const ef of [16, 32, 64, 128]) {
    const rawIx = ef === 64 ? raw : undefined;
    // usearch fixes ef per index: the same graph, saved once, is viewed with each ef.
    const rawGot: number[][] = [];
    let rawMs = 0;
    {
      let ix = rawIx;
      if (!ix) {
        ix = new usearch.Index({ metric: usearch.MetricKind.Cos, connectivity: 16, dimensions: dim, expansion_add: 100, expansion_search: ef, quantization: usearch.ScalarKind.F32, multi: false });
        ix.view(rawFile);
      }
      // Each engine runs the queries once untimed first (JIT, caches), then once timed.
      for (let q = 0; q < QUERIES; q++) ix.search(query(q), K, 1);
      const t0 = performance.now();
      for (let q = 0; q < QUERIES; q++) {
        const r = ix.search(query(q), K, 1);
        rawGot.push(Array.from(r.keys, (x) => Number(x)));
      }
      rawMs = performance.now() - t0;
    }
    const got: number[][] = [];
    for (let q = 0; q < QUERIES; q++) await col.vectorSearch({ vector: query(q), k: K, efSearch: ef, includeMetadata: false });
    const t0 = performance.now();
    for (let q = 0; q < QUERIES; q++) got.push((await col.vectorSearch({ vector: query(q), k: K, efSearch: ef, includeMetadata: false })).results.map((x) => id(x.id)));
    const ms = performance.now() - t0;
    // The same searches on ToonDB's index alone (no statement, no transaction): where the time goes.
    for (let q = 0; q < QUERIES; q++) index.search(query(q), K, { efSearch: ef });
    const ti = performance.now();
    for (let q = 0; q < QUERIES; q++) index.search(query(q), K, { efSearch: ef });
    const indexQps = QUERIES / ((performance.now() - ti) / 1000);
    const qps = QUERIES / (ms / 1000);
    const rawQps = QUERIES / (rawMs / 1000);
    console.log(`| ${ef} | ${recall(got, truth).toFixed(3)} | ${fmt(qps)} | ${fmt(indexQps)} | ${recall(rawGot, truth).toFixed(3)} | ${fmt(rawQps)} | ${(qps / rawQps).toFixed(2)}× |`);
  }

  // Throughput with both cores: many queries in flight through the API (SQL per query), and
  // the index's batch search with two native threads.
  {
    const t0 = performance.now();
    const inflight = [];
    for (let q = 0; q < QUERIES; q++) inflight.push(col.vectorSearch({ vector: query(q), k: K, includeMetadata: false }));
    await Promise.all(inflight);
    const ms = performance.now() - t0;
    // Chroma-style query with every vector at once: the statements run together and their graph
    // searches go to the index as one batch on both cores (warmed up once, as above).
    const all = Array.from({ length: QUERIES }, (_, q) => query(q));
    await col.query({ queryEmbeddings: all, nResults: K });
    const tq = performance.now();
    await col.query({ queryEmbeddings: all, nResults: K });
    const qms = performance.now() - tq;
    const t1 = performance.now();
    const reps = 5;
    for (let r = 0; r < reps; r++) index.searchBatch(queries, K, { threads: 2 });
    const bms = performance.now() - t1;
    const t2 = performance.now();
    for (let r = 0; r < reps; r++) raw.search(queries, K, 2);
    const rms = performance.now() - t2;
    console.log(`\nconcurrent API queries: ${fmt(QUERIES / (ms / 1000))} q/s; query() with ${QUERIES} vectors: ${fmt(QUERIES / (qms / 1000))} q/s; index batch search, 2 threads: ${fmt((reps * QUERIES) / (bms / 1000))} q/s; usearch batch, 2 threads: ${fmt((reps * QUERIES) / (rms / 1000))} q/s`);
  }

  console.log('\n| filter selectivity | metadata index | recall@10 | q/s | planned strategy (re-measured at run time) |');
  console.log('|---|---|---|---|---|');
  for (const indexed of [false, true]) {
    // With an index on the field, the filtered rows are found through it rather than by reading every row.
    if (indexed) for (const field of ['p1', 'p10', 'p50']) await db.executeSql(`CREATE INDEX docs_${field} ON docs (${field})`);
    for (const [field, mod] of [['p1', 100], ['p10', 10], ['p50', 2]] as const) {
      const ftruth = groundTruth(data, queries, dim, K, (i) => i % mod === 0);
      const got: number[][] = [];
      const t0 = performance.now();
      for (let q = 0; q < QUERIES; q++) got.push((await col.vectorSearch({ vector: query(q), k: K, filter: { [field]: true }, includeMetadata: false })).results.map((x) => id(x.id)));
      const ms = performance.now() - t0;
      const plan = (await db.executeSql(`EXPLAIN SELECT id FROM vector_search(docs, ?, k => 10) WHERE ${field} = true`, [query(0)])).rows.map((r) => r[0]).join('\n');
      const strategy = /strategy: (\w+)/.exec(plan)?.[1] ?? '?';
      console.log(`| ${100 / mod}% | ${indexed ? 'yes' : 'no'} | ${recall(got, ftruth).toFixed(3)} | ${fmt(QUERIES / (ms / 1000))} | ${strategy} |`);
    }
  }
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}

async function hybrid(): Promise<void> {
  const n = 20_000;
  const dim = 64;
  // A skewed vocabulary of 5,000 words (frequent words are common, most are rare), as in text.
  const words = Array.from({ length: 5000 }, (_, i) => `w${i}`);
  const r = rng(3);
  const word = () => words[Math.floor(words.length * r() ** 3)]!;
  const data = clustered(n, dim, 32, 5);
  const db = await Database.open(':memory:');
  const col = await db.namespace('default').createCollection({ name: 'h', dimension: dim, enableHybridSearch: true });
  for (let i = 0; i < n; i += 1000) {
    const m = Math.min(1000, n - i);
    await col.insertBatch({
      ids: Array.from({ length: m }, (_, j) => `d${i + j}`),
      vectors: Array.from({ length: m }, (_, j) => data.subarray((i + j) * dim, (i + j + 1) * dim)),
      contents: Array.from({ length: m }, () => Array.from({ length: 30 }, word).join(' ')),
    });
  }
  // Timed once the graph holds every vector (while it is still being built, recent vectors are
  // searched exactly from the write buffer), after a warm-up.
  await (await db.search.vectorIndex(db.getTableSchema('h'))).flush();
  const qn = 100;
  const texts = Array.from({ length: qn }, () => `${word()} ${word()}`);
  for (let q = 0; q < 20; q++) await col.hybridSearch({ vector: data.slice(q * dim, (q + 1) * dim), textQuery: texts[q]!, k: 10 });
  const t0 = performance.now();
  for (let q = 0; q < qn; q++) await col.hybridSearch({ vector: data.slice(q * dim, (q + 1) * dim), textQuery: texts[q]!, k: 10 });
  const ms = performance.now() - t0;
  console.log(`\nhybrid search (20,000 × 64, 30-word documents over a skewed 5,000-word vocabulary, RRF): ${(ms / qn).toFixed(2)} ms per query (${fmt(qn / (ms / 1000))} q/s)`);
  await db.close();
}

await run(Number(process.env.BENCH_N128 ?? 100_000), 128);
await run(Number(process.env.BENCH_N768 ?? 20_000), 768);
await hybrid();

// Text index figures: indexing throughput and BM25 query latency over ~10k documents of ~100 words.
// Build and run: tsc -p tsconfig.build.json && node dist/bench/text-index.js  (env: BENCH_DOCS, BENCH_WORDS)

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../src/index.js';
import { encodeKey } from '../src/storage/key-codec.js';
import type { MvccStore } from '../src/storage/mvcc/store.js';
import { StorageTransaction } from '../src/storage/mvcc/transaction.js';
import { Analyzer, TextIndex } from '../src/storage/text/index.js';
import { seededRandom } from '../src/util/random.js';

const DOCS = Number(process.env.BENCH_DOCS ?? 10_000);
const WORDS = Number(process.env.BENCH_WORDS ?? 100);
const VOCAB = 20_000;
const DOCS_PER_TXN = 100;
const QUERIES = 300;

const rng = seededRandom;

// Pronounceable made-up words, Zipf-distributed like natural text (rank r drawn with weight 1/r).
const random = rng(1);
const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pa', 'qu', 'fi', 'do', 'ge', 'hu', 'bi'];
const vocabulary = Array.from({ length: VOCAB }, (_, i) => {
  let w = '';
  let n = i + 1;
  while (n > 0) {
    w += syllables[n % syllables.length];
    n = Math.floor(n / syllables.length);
  }
  return w;
});
const cumulative: number[] = [];
let sum = 0;
for (let r = 1; r <= VOCAB; r++) cumulative.push((sum += 1 / r));
function zipfWord(): string {
  const x = random() * sum;
  let lo = 0;
  let hi = VOCAB - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return vocabulary[lo]!;
}
const texts = Array.from({ length: DOCS }, () => {
  const words: string[] = [];
  for (let i = 0; i < WORDS; i++) words.push(zipfWord());
  return `${words.join(' ')}.`;
});
// Queries of 2–3 terms: one frequent word (top 100), the others from the middle of the distribution.
const queries = Array.from({ length: QUERIES }, (_, i) => {
  const terms = [vocabulary[Math.floor(random() * 100)]!];
  for (let j = 0; j < 1 + (i % 2); j++) terms.push(vocabulary[100 + Math.floor(random() * 2000)]!);
  return terms.join(' ');
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function run(label: string, store: MvccStore): Promise<void> {
  const index = new TextIndex(1);
  await index.attach(store);
  const t0 = performance.now();
  for (let start = 0; start < DOCS; start += DOCS_PER_TXN) {
    const txn = new StorageTransaction(store, 'serializable');
    for (let i = start; i < Math.min(DOCS, start + DOCS_PER_TXN); i++) index.add(txn, encodeKey([i]), texts[i]!);
    await txn.commit();
  }
  await store.quiesce();
  const indexMs = performance.now() - t0;
  const stats = index.stats();

  const times: number[] = [];
  let matched = 0;
  for (let round = 0; round < 2; round++) {
    for (const q of queries) {
      const txn = new StorageTransaction(store, 'serializable', true);
      const q0 = performance.now();
      const hits = await index.search(txn, q, 10);
      if (round === 1) times.push(performance.now() - q0);
      matched += hits.length;
      txn.abort();
    }
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(
    `${label.padEnd(10)} index ${(DOCS / (indexMs / 1000)).toFixed(0).padStart(6)} docs/s (${stats.documents} docs, ${stats.totalLength} terms, ` +
      `${DOCS_PER_TXN} docs/txn) | query k=10: mean ${mean.toFixed(2)} ms, p50 ${percentile(times, 0.5).toFixed(2)} ms, ` +
      `p95 ${percentile(times, 0.95).toFixed(2)} ms (${matched > 0 ? 'hits' : 'no hits'})`,
  );
}

async function main(): Promise<void> {
  console.log(`bench:text-index — ${DOCS} documents of ${WORDS} Zipf words over a ${VOCAB}-word vocabulary; ${QUERIES} queries of 2–3 terms`);
  const analyzer = new Analyzer();
  const a0 = performance.now();
  let tokens = 0;
  for (const t of texts) tokens += analyzer.tokens(t).length;
  const analyzeMs = performance.now() - a0;
  console.log(`analyzer   ${(DOCS / (analyzeMs / 1000)).toFixed(0)} docs/s (${((tokens / analyzeMs) * 1000).toFixed(0)} tokens/s, first pass, cache cold)`);

  const memory = await Database.open(':memory:', { syncMode: 'off' });
  await run('memory', memory.store);
  await memory.close();

  const dir = mkdtempSync(join(tmpdir(), 'toondb-bench-text-'));
  try {
    const level = await Database.open(dir, { syncMode: 'normal' });
    await run('leveldb', level.store);
    await level.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

// Collection write throughput: insertBatch of 1,000 documents per call (acknowledged: durable, searchable).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../src/index.js';

const N = Number(process.env.BENCH_N ?? 50_000);
const DIM = Number(process.env.BENCH_DIM ?? 128);

let seed = 5;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const data = Float32Array.from({ length: N * DIM }, () => rnd() * 2 - 1);

const dir = mkdtempSync(join(tmpdir(), 'toondb-bench-colins-'));
const db = await Database.open(dir);
const col = await db.namespace('default').createCollection({ name: 'docs', dimension: DIM, metric: 'cosine' });
const t = performance.now();
for (let i = 0; i < N; i += 1000) {
  const m = Math.min(1000, N - i);
  await col.insertBatch({
    ids: Array.from({ length: m }, (_, j) => `d${i + j}`),
    vectors: Array.from({ length: m }, (_, j) => data.subarray((i + j) * DIM, (i + j + 1) * DIM)),
    metadatas: Array.from({ length: m }, (_, j) => ({ p1: (i + j) % 100 === 0, p10: (i + j) % 10 === 0 })),
  });
}
const ms = performance.now() - t;
console.log(`collection insertBatch ${N} × ${DIM}: ${ms.toFixed(0)} ms, ${Math.round(N / (ms / 1000)).toLocaleString('en-US')} vectors/s`);
await db.close();
rmSync(dir, { recursive: true, force: true });

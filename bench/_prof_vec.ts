import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../src/index.js';
import { seededRandom } from '../src/util/random.js';
const n = 20000, dim = 128, r = seededRandom(1);
const db = await Database.open(mkdtempSync(join(tmpdir(), 'pv-')));
const col = await db.namespace('default').createCollection({ name: 'docs', dimension: dim, metric: 'cosine' });
const vec = () => Float32Array.from({ length: dim }, () => r() - 0.5);
for (let i = 0; i < n; i += 1000) await col.insertBatch({ ids: Array.from({ length: 1000 }, (_, j) => `d${i + j}`), vectors: Array.from({ length: 1000 }, vec), metadatas: Array.from({ length: 1000 }, (_, j) => ({ p1: (i + j) % 100 === 0, p10: (i + j) % 10 === 0 })) });
const index = await db.search.vectorIndex(db.getTableSchema('docs'));
await index.flush();
const qs = Array.from({ length: 200 }, vec);
for (const mode of (process.env.MODES ?? 'plain,p1,p10').split(',')) {
  const t0 = performance.now();
  const reps = mode === 'plain' ? 2000 : 300;
  for (let q = 0; q < reps; q++) await col.vectorSearch({ vector: qs[q % 200]!, k: 10, efSearch: 16, includeMetadata: false, ...(mode === 'plain' ? {} : { filter: { [mode]: true } }) });
  const ms = performance.now() - t0;
  console.log(mode, (ms * 1000 / reps).toFixed(0), 'µs/query');
}
const t1 = performance.now();
for (let q = 0; q < 2000; q++) index.search(qs[q % 200]!, 10, { efSearch: 16 } as never);
console.log('index.search', ((performance.now() - t1) * 1000 / 2000).toFixed(0), 'µs/query');
await db.close();

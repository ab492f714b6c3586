import { Database } from '../src/index.js';
import { seededRandom } from '../src/util/random.js';
const r = seededRandom(1);
const db = await Database.open(process.env.DISK ? (await import('node:fs')).mkdtempSync('/tmp/ovh-') : ':memory:');
const col = await db.namespace('default').createCollection({ name: 'docs', dimension: 4 });
const vec = () => Float32Array.from({ length: 4 }, () => r() - 0.5);
await col.insertBatch({ ids: Array.from({ length: 1000 }, (_, j) => `d${j}`), vectors: Array.from({ length: 1000 }, vec) });
const index = await db.search.vectorIndex(db.getTableSchema('docs'));
await index.flush();
const qs = Array.from({ length: 200 }, vec);
for (let round = 0; round < 3; round++) {
  let t0 = performance.now();
  for (let q = 0; q < 20000; q++) await col.vectorSearch({ vector: qs[q % 200]!, k: 10, efSearch: 16, includeMetadata: false });
  const api = (performance.now() - t0) * 1000 / 20000;
  t0 = performance.now();
  for (let q = 0; q < 20000; q++) await db.executeSql('SELECT id, NULL, NULL, NULL, score, distance FROM vector_search(docs, ?, k => 10, ef_search => 16)', [qs[q % 200]!]);
  const sql = (performance.now() - t0) * 1000 / 20000;
  t0 = performance.now();
  for (let q = 0; q < 20000; q++) index.search(qs[q % 200]!, 10, { efSearch: 16 });
  const ix = (performance.now() - t0) * 1000 / 20000;
  console.log(`api ${api.toFixed(1)} µs, executeSql ${sql.toFixed(1)} µs, index ${ix.toFixed(1)} µs`);
}
await db.close();

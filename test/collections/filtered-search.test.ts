// Filtered vector search at scale: exactly k results that all pass the filter, with high recall,
// at 1%, 10% and 50% selectivity, whether the planner walks the graph or ranks exactly.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Collection } from '../../src/index.js';
import { cosineDistance } from '../helpers.js';
import { seededRandom } from '../../src/util/random.js';

const N = 6000;
const DIM = 16;
const K = 10;
let db: Database;
let col: Collection;
let vectors: Float32Array[];

/** A small seeded generator (mulberry32). */
const rng = seededRandom;

function clustered(n: number, seed: number): Float32Array[] {
  const r = rng(seed);
  const centers = Array.from({ length: 40 }, () => Float32Array.from({ length: DIM }, () => r() * 2 - 1));
  return Array.from({ length: n }, () => {
    const c = centers[Math.floor(r() * centers.length)]!;
    return Float32Array.from(c, (x) => x + (r() - 0.5) * 0.3);
  });
}

const cos = cosineDistance;

beforeAll(async () => {
  db = await Database.open(':memory:');
  col = await db.namespace('default').createCollection({ name: 'docs', dimension: DIM, metric: 'cosine' });
  vectors = clustered(N, 7);
  await col.insertBatch({
    ids: vectors.map((_, i) => `d${i}`),
    vectors,
    metadatas: vectors.map((_, i) => ({ p1: i % 100 === 0, p10: i % 10 === 0, p50: i % 2 === 0, i })),
  });
  // Build the whole graph, so that the searches below walk it rather than the write buffer.
  const index = await db.search.vectorIndex(db.getTableSchema('docs'));
  await index.flush();
});

afterAll(async () => {
  await db.close();
});

describe('filtered vector search', () => {
  it('the planner walks the graph when many rows match and ranks exactly when few do', async () => {
    const plan = async (where: string) => (await db.executeSql(`EXPLAIN SELECT id FROM docs ${where} ORDER BY embedding <=> ? LIMIT 10`, [vectors[0]])).rows.map((r) => r[0]).join('\n');
    expect(await plan('')).toMatch(/VectorSearch docs \(strategy: hnsw/);
    expect(await plan("WHERE i = 5")).toMatch(/strategy: exact/);
  });

  for (const [field, share] of [['p1', 0.01], ['p10', 0.1], ['p50', 0.5]] as const) {
    it(`returns exactly k matching rows at ${share * 100}% selectivity, with recall ≥ 0.95`, async () => {
      const r = rng(99);
      let hits = 0;
      const queries = 25;
      for (let q = 0; q < queries; q++) {
        const base = vectors[Math.floor(r() * N)]!;
        const query = Float32Array.from(base, (x) => x + (r() - 0.5) * 0.1);
        const got = (await col.vectorSearch({ vector: query, k: K, filter: { [field]: true } })).results;
        expect(got).toHaveLength(K);
        for (const g of got) expect((g.metadata as Record<string, unknown>)[field]).toBe(true);
        const truth = vectors
          .map((v, i) => ({ i, d: cos(v, query) }))
          .filter((x) => x.i % Math.round(1 / share) === 0)
          .sort((a, b) => a.d - b.d)
          .slice(0, K)
          .map((x) => `d${x.i}`);
        const set = new Set(truth);
        hits += got.filter((g) => set.has(g.id)).length;
      }
      expect(hits / (queries * K)).toBeGreaterThanOrEqual(0.95);
    });
  }

  it('unfiltered search through the graph has recall ≥ 0.95 and sees writes at once', async () => {
    const r = rng(5);
    let hits = 0;
    for (let q = 0; q < 25; q++) {
      const query = vectors[Math.floor(r() * N)]!;
      const got = (await col.vectorSearch({ vector: query, k: K })).results.map((x) => x.id);
      const truth = new Set(vectors.map((v, i) => ({ i, d: cos(v, query) })).sort((a, b) => a.d - b.d).slice(0, K).map((x) => `d${x.i}`));
      hits += got.filter((id) => truth.has(id)).length;
    }
    expect(hits / 250).toBeGreaterThanOrEqual(0.95);
    const fresh = Float32Array.from({ length: DIM }, (_, i) => (i === 3 ? 1 : 0));
    await col.insert({ id: 'fresh', vector: fresh, metadata: { p1: false } });
    expect((await col.vectorSearch({ vector: fresh, k: 1 })).results[0]!.id).toBe('fresh');
    await col.delete('fresh');
    expect((await col.vectorSearch({ vector: fresh, k: 1 })).results[0]!.id).not.toBe('fresh');
  });

  it('a transaction sees its own uncommitted documents; others do not until it commits', async () => {
    const only = Float32Array.from({ length: DIM }, (_, i) => (i === 7 ? 1 : 0));
    const txn = db.beginTransaction();
    await txn.executeSql('INSERT INTO docs (id, embedding) VALUES (?, ?)', ['mine', only]);
    const inside = await txn.executeSql('SELECT id FROM docs ORDER BY embedding <=> ? LIMIT 1', [only]);
    expect(inside.rows).toEqual([['mine']]);
    const outside = await db.executeSql('SELECT id FROM docs ORDER BY embedding <=> ? LIMIT 1', [only]);
    expect(outside.rows).not.toEqual([['mine']]);
    await txn.commit();
    expect((await db.executeSql('SELECT id FROM docs ORDER BY embedding <=> ? LIMIT 1', [only])).rows).toEqual([['mine']]);
  });
});

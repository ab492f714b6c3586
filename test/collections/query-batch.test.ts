// Chroma-style query with many vectors: statements run together, graph searches batched on every core.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database, DimensionMismatchError, type Collection } from '../../src/index.js';
import { seededRandom } from '../../src/util/random.js';

const DIM = 16;
let db: Database;
let col: Collection;
const r = seededRandom(5);
const vec = () => Array.from({ length: DIM }, () => r() - 0.5);

beforeEach(async () => {
  db = await Database.open(':memory:');
  col = await db.namespace('default').createCollection({ name: 'docs', dimension: DIM, metric: 'cosine' });
  const n = 600;
  await col.insertBatch({ ids: Array.from({ length: n }, (_, i) => `d${i}`), vectors: Array.from({ length: n }, vec), metadatas: Array.from({ length: n }, (_, i) => ({ even: i % 2 === 0 })) });
  // The graph holds every vector, so searches go through it (not the exact buffer alone).
  await (await db.search.vectorIndex(db.getTableSchema('docs'))).flush();
});
afterEach(async () => {
  await db.close();
});

describe('query() with many vectors', () => {
  it('returns, per vector, what a search of that vector alone returns', async () => {
    const queries = Array.from({ length: 40 }, vec);
    const together = await col.query({ queryEmbeddings: queries, nResults: 5 });
    const index = await db.search.vectorIndex(db.getTableSchema('docs'));
    const before = index.searchBatchCalls;
    const alone: { id: string; distance: number | null }[][] = [];
    for (const q of queries) alone.push((await col.vectorSearch({ vector: q, k: 5 })).results);
    expect(together.ids).toEqual(alone.map((rs) => rs.map((x) => x.id)));
    together.distances.forEach((ds, i) => ds.forEach((d, j) => expect(d).toBeCloseTo(alone[i]![j]!.distance!, 5)));
    expect(together.metadatas[0]![0]).toHaveProperty('even');
    // Searches of one vector at a time never batch.
    expect(index.searchBatchCalls).toBe(before);
  });

  it('batches the graph searches of the statements into one call', async () => {
    const index = await db.search.vectorIndex(db.getTableSchema('docs'));
    const before = index.searchBatchCalls;
    await col.query({ queryEmbeddings: Array.from({ length: 25 }, vec), nResults: 3 });
    expect(index.searchBatchCalls).toBe(before + 1);
  });

  it('more vectors than one group hold go in groups of 256, each one batch', async () => {
    const index = await db.search.vectorIndex(db.getTableSchema('docs'));
    const before = index.searchBatchCalls;
    const queries = Array.from({ length: 300 }, vec);
    const q = await col.query({ queryEmbeddings: queries, nResults: 2 });
    expect(q.ids).toHaveLength(300);
    expect(index.searchBatchCalls).toBe(before + 2);
    expect(q.ids[299]).toEqual((await col.vectorSearch({ vector: queries[299]!, k: 2 })).results.map((x) => x.id));
  });

  it('keeps filters exact, and inside a transaction runs the statements one by one', async () => {
    const queries = Array.from({ length: 12 }, vec);
    const q = await col.query({ queryEmbeddings: queries, nResults: 4, where: { even: true } });
    for (const ids of q.ids) {
      expect(ids).toHaveLength(4);
      for (const id of ids) expect(Number(id.slice(1)) % 2).toBe(0);
    }
    await db.executeSql('BEGIN');
    const inTxn = await col.query({ queryEmbeddings: queries, nResults: 4, where: { even: true } });
    await db.executeSql('COMMIT');
    expect(inTxn.ids).toEqual(q.ids);
  });

  it('a bad vector fails the call without leaving the other statements waiting', async () => {
    const queries = [vec(), [1, 2, 3], vec()];
    await expect(col.query({ queryEmbeddings: queries, nResults: 3 })).rejects.toBeInstanceOf(DimensionMismatchError);
    // The database still answers (no statement is stuck holding anything).
    expect((await col.query({ queryEmbeddings: [vec(), vec()], nResults: 2 })).ids).toHaveLength(2);
  });
});

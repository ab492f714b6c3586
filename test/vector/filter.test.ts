import { beforeAll, describe, expect, it } from 'vitest';
import { validateVectorConfig, VectorIndex } from '../../src/storage/vector/index.js';
import { bruteForce, clustered, prng, recall } from './data.js';

const N = 12_000;
const DIM = 32;
const data = clustered(N, DIM, 21);
const queries = clustered(20, DIM, 22);
const index = new VectorIndex(validateVectorConfig({ dimension: DIM }));

/** Each key gets a fixed uniform number, so "u < s" selects a fraction s independent of position. */
const u = (() => {
  const r = prng(23);
  return Array.from({ length: N + 100 }, () => r());
})();

beforeAll(async () => {
  data.forEach((v, i) => index.upsert(String(i), v));
  await index.flush();
  // A few buffered ones, so the merge is filtered too.
  for (let i = 0; i < 100; i++) index.upsert(String(N + i), clustered(1, DIM, 500 + i)[0]);
  data.push(...Array.from({ length: 100 }, (_, i) => index.get(String(N + i)) as Float32Array));
});

describe('filtered search returns exactly min(k, #matching) matching keys', () => {
  for (const s of [0.01, 0.1, 0.5]) {
    it(`selectivity ${s * 100}%: all match, k of them, recall ≥ 0.95 vs filtered brute force`, () => {
      const filter = (key: string) => u[Number(key)] < s;
      const before = { ...index.filteredStats };
      let sum = 0;
      let calls = 0;
      const counted = (key: string) => {
        calls++;
        return filter(key);
      };
      for (const q of queries) {
        const r = index.search(q, 10, { filter: counted });
        expect(r.keys).toHaveLength(10);
        for (const key of r.keys) expect(filter(key)).toBe(true);
        expect(new Set(r.keys).size).toBe(10);
        sum += recall(r.keys, bruteForce('cosine', data, q, 10, filter));
      }
      expect(calls).toBeGreaterThan(0);
      // 1% and 10% of 12k are few enough to scan exactly; 50% is served by the graph.
      const path = s === 0.5 ? 'graph' : 'exact';
      expect(index.filteredStats[path] - before[path]).toBe(queries.length);
      console.log(`filtered recall@10 at ${s * 100}%: ${(sum / queries.length).toFixed(3)}`);
      expect(sum / queries.length).toBeGreaterThanOrEqual(0.95);
    });
  }

  it('returns every match when fewer than k keys match', () => {
    const wanted = new Set(['5', '17', '9000', String(N + 3)]);
    const r = index.search(queries[0], 10, { filter: (k) => wanted.has(k) });
    expect(r.keys.sort()).toEqual([...wanted].sort());
    expect(index.search(queries[0], 10, { filter: () => false }).keys).toEqual([]);
  });

  it('a filter that rejects the query’s whole neighbourhood still gets k results (fallback to exact)', () => {
    const q = queries[1];
    const near = new Set(bruteForce('cosine', data, q, 3000));
    const filter = (key: string) => !near.has(key);
    const fallbacks = index.filteredStats.fallback;
    const r = index.search(q, 10, { filter });
    expect(index.filteredStats.fallback).toBe(fallbacks + 1);
    expect(r.keys).toHaveLength(10);
    expect(r.keys).toEqual(bruteForce('cosine', data, q, 10, filter));
  });
});

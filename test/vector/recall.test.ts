import { describe, expect, it } from 'vitest';
import { validateVectorConfig, VectorIndex, type VectorMetric, type VectorQuantization } from '../../src/storage/vector/index.js';
import { bruteForce, clustered, recall } from './data.js';

const N = 4000;
const DIM = 64;
const data = clustered(N, DIM, 1);
const queries = clustered(50, DIM, 2);

async function built(metric: VectorMetric, quantization: VectorQuantization): Promise<VectorIndex> {
  const pqShape = quantization === 'pq' && metric === 'euclidean' ? { pqNumCentroids: 64 } : {};
  const index = new VectorIndex(validateVectorConfig({ dimension: DIM, metric, quantization, ...pqShape }));
  data.forEach((v, i) => index.upsert(String(i), v));
  await index.flush();
  expect(index.buffered).toBe(0);
  return index;
}

function meanRecall(metric: VectorMetric, index: VectorIndex, efSearch?: number): number {
  let sum = 0;
  for (const q of queries) sum += recall(index.search(q, 10, { efSearch }).keys, bruteForce(metric, data, q, 10));
  return sum / queries.length;
}

describe('recall@10 against brute force (clustered data, 4000 × 64)', () => {
  const cases: [VectorQuantization, VectorMetric, number][] = [
    ['none', 'cosine', 0.95],
    ['none', 'euclidean', 0.95],
    ['none', 'dot', 0.9],
    ['f16', 'cosine', 0.95],
    ['i8', 'cosine', 0.9],
    ['i8', 'euclidean', 0.9],
    ['pq', 'cosine', 0.8],
    ['pq', 'euclidean', 0.8], // with 64 centroids, below
  ];
  for (const [quantization, metric, threshold] of cases) {
    it(`${quantization} / ${metric} ≥ ${threshold}`, async () => {
      const index = await built(metric, quantization);
      const r = meanRecall(metric, index);
      console.log(`recall@10 ${quantization}/${metric}: ${r.toFixed(3)}`);
      expect(r).toBeGreaterThanOrEqual(threshold);
    });
  }

  it('a larger per-query efSearch does not lower recall, and ef 1 still returns k results', async () => {
    const index = await built('cosine', 'none');
    const low = meanRecall('cosine', index, 10);
    const high = meanRecall('cosine', index, 200);
    console.log(`recall@10 at ef 10: ${low.toFixed(3)}, ef 200: ${high.toFixed(3)}`);
    expect(high).toBeGreaterThanOrEqual(low);
    expect(high).toBeGreaterThanOrEqual(0.98);
    expect(index.search(queries[0], 10, { efSearch: 1 }).keys).toHaveLength(10);
  });
});

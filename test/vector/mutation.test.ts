import { describe, expect, it } from 'vitest';
import { distance, validateVectorConfig, VectorIndex, type VectorQuantization } from '../../src/storage/vector/index.js';
import { bruteForce, clustered, recall } from './data.js';

const DIM = 32;

function make(quantization: VectorQuantization = 'none'): VectorIndex {
  return new VectorIndex(validateVectorConfig({ dimension: DIM, quantization, pqNumCentroids: quantization === 'pq' ? 16 : undefined }));
}

describe('buffered vectors are searchable at once', () => {
  it('finds every vector by itself before, during and after the build', async () => {
    const data = clustered(1500, DIM, 3);
    const index = make();
    data.forEach((v, i) => index.upsert(String(i), v));
    expect(index.buffered).toBe(1500);
    const probe = [0, 1, 700, 1499];
    for (const i of probe) expect(index.search(data[i], 1).keys).toEqual([String(i)]);
    index.buildStep(5);
    expect(index.buffered).toBeLessThan(1500);
    expect(index.buffered).toBeGreaterThan(0);
    for (const i of probe) expect(index.search(data[i], 1).keys).toEqual([String(i)]);
    await index.flush();
    expect(index.buffered).toBe(0);
    for (const i of probe) expect(index.search(data[i], 1).keys).toEqual([String(i)]);
    // New writes after the build are found from the buffer, merged with graph results.
    const extra = clustered(20, DIM, 4);
    extra.forEach((v, i) => index.upsert(`x${i}`, v));
    expect(index.buffered).toBe(20);
    const all = [...data, ...extra];
    const keyOf = (i: number) => (i < 1500 ? String(i) : `x${i - 1500}`);
    for (const q of clustered(10, DIM, 5)) {
      const truth = bruteForce('cosine', all, q, 10).map((k) => keyOf(Number(k)));
      expect(recall(index.search(q, 10).keys, truth)).toBeGreaterThanOrEqual(0.9);
    }
    for (let i = 0; i < 20; i++) expect(index.search(extra[i], 1).keys).toEqual([`x${i}`]);
  });

  it('the background scheduler empties the buffer without blocking the event loop for long', async () => {
    const data = clustered(3000, DIM, 6);
    const index = make();
    data.forEach((v, i) => index.upsert(String(i), v));
    // CPU time per scheduled step (wall time would count other processes on a shared machine).
    const steps: number[] = [];
    const original = index.buildStep.bind(index);
    index.buildStep = (budgetMs?: number, threads?: number) => {
      const t0 = process.cpuUsage();
      const done = original(budgetMs, threads);
      const d = process.cpuUsage(t0);
      steps.push((d.user + d.system) / 1000);
      return done;
    };
    index.start();
    const deadline = Date.now() + 20_000;
    let turns = 0;
    while (index.buffered > 0 && Date.now() < deadline) {
      await new Promise((r) => setImmediate(r));
      turns++;
    }
    index.stop();
    expect(index.buffered).toBe(0);
    expect(steps.length).toBeGreaterThan(3);
    expect(turns).toBeGreaterThanOrEqual(steps.length - 1);
    steps.sort((a, b) => a - b);
    expect(steps[Math.floor(steps.length / 2)]).toBeLessThan(15);
    expect(steps[steps.length - 1]).toBeLessThan(40);
    expect(index.search(data[42], 1).keys).toEqual(['42']);
  });
});

describe('removed and replaced vectors never resurface', () => {
  for (const quantization of ['none', 'i8', 'pq'] as const) {
    it(`${quantization}: remove and replace, in the graph and in the buffer`, async () => {
      const data = clustered(1200, DIM, 7);
      const index = make(quantization);
      data.forEach((v, i) => index.upsert(String(i), v));
      await index.flush();
      // Graph-resident: remove 0..99, replace 100..199 with far-away vectors.
      for (let i = 0; i < 100; i++) expect(index.remove(String(i))).toBe(true);
      expect(index.remove('0')).toBe(false);
      const far = clustered(100, DIM, 8, 3);
      for (let i = 0; i < 100; i++) index.upsert(String(100 + i), far[i]);
      // Buffer-resident: add then remove, add then replace.
      index.upsert('b1', data[300]);
      index.remove('b1');
      index.upsert('b2', data[301]);
      index.upsert('b2', far[0]);
      expect(index.size).toBe(1101);
      expect(index.has('5')).toBe(false);
      expect(index.get('150')).toEqual(far[50]);
      const check = () => {
        for (let i = 0; i < 200; i++) {
          const r = index.search(data[i], 10);
          for (const key of r.keys) {
            const n = Number(key);
            if (key !== 'b2') expect(n >= 200 || (n >= 100 && index.get(key) !== undefined)).toBe(true);
            expect(key).not.toBe('b1');
            if (n >= 100 && n < 200) expect(r.distances[r.keys.indexOf(key)]).toBeGreaterThan(1e-6);
            expect(n >= 100 || key === 'b2').toBe(true);
          }
        }
        expect(index.search(data[301], 1).keys[0]).toBe('301');
        expect(index.search(far[0], 2).keys.sort()).toEqual(['100', 'b2']);
      };
      check();
      await index.flush();
      check();
      expect(index.searchBatch(data[5], 3, { threads: 1 }).keys[0]).not.toContain('5');
    });
  }

  it('a key re-added after removal is found with its new vector only', async () => {
    const data = clustered(500, DIM, 9);
    const index = make();
    data.forEach((v, i) => index.upsert(String(i), v));
    await index.flush();
    index.remove('7');
    index.upsert('7', data[8]);
    await index.flush();
    const r = index.search(data[7], 20);
    expect(r.distances[0]).toBeGreaterThan(1e-6);
    const at = r.keys.indexOf('7');
    if (at >= 0) expect(r.distances[at]).toBeCloseTo(distance('cosine', data[7], data[8]), 6);
    expect(r.keys.filter((k) => k === '7').length).toBeLessThanOrEqual(1);
    const exact = index.search(data[8], 2);
    expect(exact.keys.sort()).toEqual(['7', '8']);
  });
});

describe('exactSearch over candidates', () => {
  const data = clustered(2000, DIM, 10);
  const index = make();
  data.forEach((v, i) => index.upsert(String(i), v));

  for (const n of [10, 100, 600, 2000]) {
    it(`matches brute force over ${n} candidates (both the JS and the native path)`, () => {
      const candidates = Array.from({ length: n }, (_, i) => String((i * 7) % 2000));
      const set = new Set(candidates);
      for (const q of clustered(5, DIM, 11)) {
        const r = index.exactSearch(q, 10, [...candidates, ...candidates.slice(0, 5), 'missing']);
        expect(r.keys).toEqual(bruteForce('cosine', data, q, 10, (k) => set.has(k)));
      }
    });
  }
});

describe('searchBatch', () => {
  it('agrees with search, with and without buffered vectors, on 1 and 2 threads', async () => {
    const data = clustered(3000, DIM, 12);
    const index = make();
    data.forEach((v, i) => index.upsert(String(i), v));
    await index.flush();
    for (let i = 0; i < 30; i++) index.upsert(`n${i}`, clustered(1, DIM, 100 + i)[0]);
    const qs = clustered(20, DIM, 13);
    const flat = new Float32Array(20 * DIM);
    qs.forEach((q, i) => flat.set(q, i * DIM));
    for (const threads of [1, 2]) {
      const b = index.searchBatch(flat, 10, { threads });
      expect(b.keys).toHaveLength(20);
      qs.forEach((q, i) => {
        const s = index.search(q, 10);
        expect(b.keys[i]).toEqual(s.keys);
        b.distances[i].forEach((d, j) => expect(d).toBeCloseTo(s.distances[j], 4));
      });
    }
    const one = index.searchBatch(qs[3], 5);
    expect(one.keys[0]).toEqual(index.search(qs[3], 5).keys);
  });
});

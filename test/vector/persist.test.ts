import { afterAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ToonDBError } from '../../src/errors.js';
import { validateVectorConfig, VectorIndex, type VectorQuantization } from '../../src/storage/vector/index.js';
import { cleanupTempDirs, tempDir } from '../helpers.js';
import { clustered } from './data.js';

const DIM = 24;
afterAll(cleanupTempDirs);

function config(quantization: VectorQuantization = 'none') {
  return validateVectorConfig({ dimension: DIM, metric: 'euclidean', quantization, pqNumCentroids: quantization === 'pq' ? 16 : undefined });
}

describe('save / load', () => {
  for (const quantization of ['none', 'f16', 'i8', 'pq'] as const) {
    it(`${quantization}: round-trips keys, vectors, graph and buffer`, async () => {
      const data = clustered(1500, DIM, 31);
      const index = new VectorIndex(config(quantization));
      data.forEach((v, i) => index.upsert(String(i), v));
      await index.flush();
      index.remove('3');
      index.upsert('late', data[3]);
      const path = join(tempDir('vec'), 'index.tvec');
      await index.save(path);
      const loaded = await VectorIndex.load(path, config(quantization));
      expect(loaded.size).toBe(index.size);
      expect(loaded.buffered).toBe(1);
      expect(loaded.has('3')).toBe(false);
      expect(loaded.get('late')).toEqual(data[3]);
      for (const q of clustered(10, DIM, 32)) expect(loaded.search(q, 10)).toEqual(index.search(q, 10));
      expect(loaded.search(data[3], 1).keys).toEqual(['late']);
      await loaded.flush();
      expect(loaded.buffered).toBe(0);
      expect(loaded.search(data[3], 1).keys).toEqual(['late']);
    });
  }

  it('rejects a config that does not match the file, and a damaged file', async () => {
    const index = new VectorIndex(config());
    index.upsert('a', new Float32Array(DIM).fill(1));
    const dir = tempDir('vec');
    const path = join(dir, 'i.tvec');
    await index.save(path);
    await expect(VectorIndex.load(path, validateVectorConfig({ dimension: DIM, metric: 'cosine' }))).rejects.toMatchObject({
      code: 'VECTOR_CONFIG',
    });
    const bad = join(dir, 'bad.tvec');
    await writeFile(bad, 'TOONVEC1garbage');
    const err = await VectorIndex.load(bad, config()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToonDBError);
    expect((err as ToonDBError).code).toBe('CORRUPTION');
  });
});

describe('reconcile', () => {
  it('adds, replaces and removes to match the store, and is cheap when current', async () => {
    const data = clustered(1000, DIM, 33);
    const index = new VectorIndex(config());
    data.forEach((v, i) => index.upsert(String(i), v));
    await index.flush();
    const path = join(tempDir('vec'), 'r.tvec');
    await index.save(path);

    // The store moved on after the save: 0..9 deleted, 10..19 changed, n0..n4 new.
    const changed = clustered(10, DIM, 34);
    const fresh = clustered(5, DIM, 35);
    const rows: [string, Float32Array][] = [];
    for (let i = 10; i < 1000; i++) rows.push([String(i), i < 20 ? changed[i - 10] : data[i]]);
    fresh.forEach((v, i) => rows.push([`n${i}`, v]));

    const loaded = await VectorIndex.load(path, config());
    expect(loaded.reconcile(rows)).toEqual({ added: 5, replaced: 10, removed: 10 });
    expect(loaded.size).toBe(995);
    expect(loaded.has('0')).toBe(false);
    expect(loaded.get('12')).toEqual(changed[2]);
    expect(loaded.search(changed[2], 1).keys).toEqual(['12']);
    expect(loaded.search(fresh[4], 1).keys).toEqual(['n4']);
    for (let i = 0; i < 10; i++) expect(loaded.search(data[i], 10).keys).not.toContain(String(i));
    // Only the changed rows were re-buffered: the graph was kept.
    expect(loaded.buffered).toBe(15);
    expect(loaded.reconcile(rows)).toEqual({ added: 0, replaced: 0, removed: 0 });

    // From an empty index (no saved file): everything is added.
    const empty = new VectorIndex(config());
    expect(empty.reconcile(rows)).toEqual({ added: 995, replaced: 0, removed: 0 });
    expect(empty.search(fresh[0], 1).keys).toEqual(['n0']);
  });
});

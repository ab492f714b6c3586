// One conformance suite for every KVEngine behind the storage seam (src/storage/engine.ts).

import { afterAll, describe, expect, it } from 'vitest';
import { compareBytes, utf8 } from '../../src/storage/bytes.js';
import type { Entry, EngineIterator, KVEngine } from '../../src/storage/engine.js';
import { LevelEngine } from '../../src/storage/level-engine.js';
import { MemoryEngine } from '../../src/storage/memory-engine.js';
import { cleanupTempDirs, tempDir, text } from '../helpers.js';

const engines: [string, () => KVEngine][] = [
  ['memory', () => new MemoryEngine()],
  ['leveldb', () => new LevelEngine(tempDir('engine'))],
];

afterAll(cleanupTempDirs);

async function drain(it: EngineIterator, batch = 3): Promise<string[]> {
  const out: string[] = [];
  for (let b: Entry[] = await it.nextBatch(batch); b.length; b = await it.nextBatch(batch)) {
    for (const [k] of b) out.push(text(k)!);
  }
  await it.close();
  return out;
}

describe.each(engines)('engine conformance: %s', (_name, make) => {
  async function opened(): Promise<KVEngine> {
    const e = make();
    await e.open();
    await e.write(
      ['b', 'a', 'd', 'c', 'e'].map((k) => ({ type: 'put' as const, key: utf8(k), value: utf8(k.toUpperCase()) })),
      { sync: false },
    );
    return e;
  }

  it('gets, multi-gets and misses synchronously', async () => {
    const e = await opened();
    expect(text(e.get(utf8('a')))).toBe('A');
    expect(e.get(utf8('zz'))).toBeUndefined();
    expect(e.getMany([utf8('c'), utf8('x'), utf8('e')]).map(text)).toEqual(['C', null, 'E']);
    await e.close();
  });

  it('applies a batch atomically with later operations winning', async () => {
    const e = await opened();
    await e.write(
      [
        { type: 'put', key: utf8('a'), value: utf8('1') },
        { type: 'del', key: utf8('b') },
        { type: 'put', key: utf8('a'), value: utf8('2') },
      ],
      { sync: true },
    );
    expect(text(e.get(utf8('a')))).toBe('2');
    expect(e.get(utf8('b'))).toBeUndefined();
    await e.close();
  });

  it('iterates ranges in order, reversed, bounded and limited', async () => {
    const e = await opened();
    expect(await drain(e.iterate({}))).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await drain(e.iterate({ gte: utf8('b'), lt: utf8('e') }))).toEqual(['b', 'c', 'd']);
    expect(await drain(e.iterate({ gt: utf8('b'), lte: utf8('e') }))).toEqual(['c', 'd', 'e']);
    expect(await drain(e.iterate({ reverse: true, limit: 2 }))).toEqual(['e', 'd']);
    expect(await drain(e.iterate({ gte: utf8('b'), lt: utf8('e'), reverse: true }))).toEqual(['d', 'c', 'b']);
    expect(await drain(e.iterate({ gte: utf8('x') }))).toEqual([]);
    await e.close();
  });

  it('orders keys bytewise, including 0x00 and 0xff bytes', async () => {
    const e = make();
    await e.open();
    const keys = [Uint8Array.of(1), Uint8Array.of(1, 0), Uint8Array.of(1, 255), Uint8Array.of(0, 5), Uint8Array.of(255)];
    await e.write(keys.map((key) => ({ type: 'put' as const, key, value: new Uint8Array(0) })), { sync: false });
    const it = e.iterate({});
    const got = (await it.nextBatch(10)).map(([k]) => [...k]);
    await it.close();
    expect(got).toEqual([...keys].sort(compareBytes).map((k) => [...k]));
    await e.close();
  });

  it('gives an iterator the snapshot taken when it was created', async () => {
    const e = await opened();
    const it = e.iterate({});
    await e.write([{ type: 'put', key: utf8('aa'), value: utf8('new') }, { type: 'del', key: utf8('e') }], { sync: false });
    expect(await drain(it)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await drain(e.iterate({}))).toEqual(['a', 'aa', 'b', 'c', 'd']);
    await e.close();
  });

  it('reads explicit snapshots as of their creation', async () => {
    const e = await opened();
    const snap = e.snapshot();
    await e.write([{ type: 'put', key: utf8('a'), value: utf8('changed') }, { type: 'del', key: utf8('b') }], { sync: false });
    expect(text(snap.get(utf8('a')))).toBe('A');
    expect(text(snap.get(utf8('b')))).toBe('B');
    expect(await drain(snap.iterate({ lt: utf8('c') }))).toEqual(['a', 'b']);
    await snap.close();
    expect(text(e.get(utf8('a')))).toBe('changed');
    await e.close();
  });

  it('hands out buffers the caller owns', async () => {
    const e = await opened();
    const v = e.get(utf8('a'))!;
    v[0] = 0;
    expect(text(e.get(utf8('a')))).toBe('A');
    await e.close();
  });

  it('estimates sizes without failing', async () => {
    const e = await opened();
    expect(await e.approximateSize(utf8('a'), utf8('z'))).toBeGreaterThanOrEqual(0);
    await e.close();
  });
});

describe('leveldb engine', () => {
  it('refuses a second open of the same folder with DATABASE_LOCKED', async () => {
    const dir = tempDir('lock');
    const a = new LevelEngine(dir);
    await a.open();
    const b = new LevelEngine(dir);
    await expect(b.open()).rejects.toMatchObject({ code: 'DATABASE_LOCKED' });
    await a.close();
  });

  it('keeps data across close and reopen', async () => {
    const dir = tempDir('reopen');
    const a = new LevelEngine(dir);
    await a.open();
    await a.write([{ type: 'put', key: utf8('k'), value: utf8('v') }], { sync: true });
    await a.close();
    const b = new LevelEngine(dir);
    await b.open();
    expect(text(b.get(utf8('k')))).toBe('v');
    await b.close();
  });
});

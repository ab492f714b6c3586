// The Namespace and Collection APIs (seed 003 §10–12): every call is a statement; tenants stay apart.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CollectionExistsError, CollectionNotFoundError, Database, DimensionMismatchError, InvalidMetadataError, InvalidVectorError, NamespaceExistsError, NamespaceNotFoundError, ValidationError, type Collection } from '../../src/index.js';
import { cleanupTempDirs, tempDir, text } from '../helpers.js';

afterAll(cleanupTempDirs);

let db: Database;
beforeEach(async () => {
  db = await Database.open(':memory:');
});
afterEach(async () => {
  await db.close();
});

describe('namespaces', () => {
  it('creates, lists, describes, updates and deletes namespaces', async () => {
    const ns = await db.createNamespace('tenant_123', { displayName: 'Acme Corp', labels: { tier: 'premium' } });
    expect(ns.name).toBe('tenant_123');
    await expect(db.createNamespace('tenant_123')).rejects.toBeInstanceOf(NamespaceExistsError);
    expect((await db.getOrCreateNamespace('tenant_123')).name).toBe('tenant_123');
    await db.getOrCreateNamespace('tenant_456');
    expect(db.listNamespaces()).toEqual(['default', 'tenant_123', 'tenant_456']);
    expect(db.namespaceExists('tenant_123')).toBe(true);
    expect(db.namespaceExists('nope')).toBe(false);
    expect(() => db.namespace('nope')).toThrow(NamespaceNotFoundError);
    await ns.put('config/key', 'value');
    const info = await db.namespaceInfo('tenant_123');
    expect(info).toMatchObject({ name: 'tenant_123', displayName: 'Acme Corp', labels: { tier: 'premium' }, keys: 1 });
    expect(info.sizeBytes).toBeGreaterThan(0);
    expect(Date.parse(info.createdAt!)).toBeGreaterThan(0);
    await db.updateNamespace('tenant_123', { labels: { tier: 'enterprise' } });
    expect((await db.namespaceInfo('tenant_123')).labels).toEqual({ tier: 'enterprise' });
    await expect(db.deleteNamespace('tenant_123')).rejects.toThrow(/not empty/);
    await db.deleteNamespace('tenant_123', { force: true });
    expect(db.namespaceExists('tenant_123')).toBe(false);
    await expect(ns.get('config/key')).rejects.toBeInstanceOf(NamespaceNotFoundError);
    // Recreated, it starts empty.
    const again = await db.createNamespace('tenant_123');
    expect(await again.get('config/key')).toBeNull();
  });

  it('scopes keys: shown without the prefix, invisible to other tenants and to the default space', async () => {
    const a = await db.createNamespace('a');
    const b = await db.createNamespace('ab');
    await a.put('users/alice', 'A');
    await b.put('users/alice', 'B');
    await db.put('users/alice', 'root');
    expect(text(await a.get('users/alice'))).toBe('A');
    expect(text(await b.get('users/alice'))).toBe('B');
    expect(text(await db.get('users/alice'))).toBe('root');
    const keys = async (it: AsyncIterable<[Uint8Array, Uint8Array]>) => {
      const out: string[] = [];
      for await (const [k, v] of it) out.push(`${text(k)}=${text(v)}`);
      return out;
    };
    expect(await keys(a.scan('users/'))).toEqual(['users/alice=A']);
    expect(await keys(a.scan())).toEqual(['users/alice=A']);
    expect(await keys(b.scanPrefixUnchecked(''))).toEqual(['users/alice=B']);
    expect(await keys(db.scanPrefixUnchecked(''))).toEqual(['users/alice=root']);
    // The SQL view of the key-value space is the default namespace's.
    expect((await db.executeSql("SELECT key, value FROM kv_scan('users/')")).rows).toEqual([['users/alice', 'root']]);
    await a.delete('users/alice');
    expect(text(await b.get('users/alice'))).toBe('B');
    // One tenant's collections are not another's.
    await a.createCollection({ name: 'docs', dimension: 2 });
    expect(() => b.collection('docs')).toThrow(CollectionNotFoundError);
    expect(a.listCollections()).toEqual(['docs']);
    expect(b.listCollections()).toEqual([]);
    await expect(db.executeSql('SELECT * FROM ab.docs')).rejects.toThrow(/no such table/);
  });

  it('useNamespace and copyBetweenNamespaces', async () => {
    await db.createNamespace('src');
    await db.createNamespace('dst');
    await db.useNamespace('src', async (ns) => {
      await ns.put('shared/x', '1');
      await ns.put('shared/y', '2');
      await ns.put('private/z', '3');
    });
    expect(await db.copyBetweenNamespaces({ sourceNs: 'src', targetNs: 'dst', prefix: 'shared/' })).toBe(2);
    const dst = db.namespace('dst');
    expect(text(await dst.get('shared/y'))).toBe('2');
    expect(await dst.get('private/z')).toBeNull();
  });
});

async function sample(): Promise<Collection> {
  const ns = await db.getOrCreateNamespace('default');
  const col = await ns.createCollection({ name: 'docs', dimension: 3, metric: 'cosine', enableHybridSearch: true, contentField: 'text' });
  await col.insertBatch({
    ids: ['doc1', 'doc2', 'doc3', 'doc4'],
    vectors: [
      [1, 0, 0],
      [0, 1, 0],
      [0.9, 0.1, 0],
      [0, 0, 1],
    ],
    metadatas: [
      { author: 'Alice', year: 2024, category: 'tech', text: 'machine learning tutorial for beginners' },
      { author: 'Bob', year: 2019, category: 'art', text: 'oil painting techniques' },
      { author: 'Alice', year: 2021, category: 'science', text: 'deep learning and machine vision' },
      { author: 'Carol', year: 2022, category: 'tech', text: 'databases and query planning' },
    ],
  });
  return col;
}

describe('collections', () => {
  it('manages collections and documents', async () => {
    const col = await sample();
    const ns = db.namespace('default');
    expect(ns.listCollections()).toEqual(['docs']);
    await expect(ns.createCollection({ name: 'docs', dimension: 3 })).rejects.toBeInstanceOf(CollectionExistsError);
    expect(await col.count()).toBe(4);
    const info = await col.info();
    expect(info).toMatchObject({ name: 'docs', dimension: 3, metric: 'cosine', count: 4 });
    expect(await col.get('doc2')).toMatchObject({ id: 'doc2', metadata: { author: 'Bob' }, content: 'oil painting techniques' });
    expect(Array.from((await col.get('doc2'))!.vector!)).toEqual([0, 1, 0]);
    expect(await col.update('doc2', { metadata: { author: 'Bobby', category: 'art' } })).toBe(true);
    expect((await col.get('doc2'))!.metadata).toEqual({ author: 'Bobby', category: 'art' });
    expect(await col.update('missing', { metadata: {} })).toBe(false);
    expect(await col.delete(['doc2', 'missing'])).toBe(1);
    expect(await col.get('doc2')).toBeNull();
    await col.upsert({ ids: ['doc1'], embeddings: [[0, 0, 1]], metadatas: [{ author: 'Zed' }] });
    expect((await col.get('doc1'))!.metadata).toEqual({ author: 'Zed' });
    expect(await col.count()).toBe(3);
    await ns.deleteCollection('docs');
    expect(() => ns.collection('docs')).toThrow(CollectionNotFoundError);
  });

  it('rejects bad input with typed errors and writes nothing', async () => {
    const col = await sample();
    await expect(col.insert({ id: 'x', vector: [1, 2] })).rejects.toBeInstanceOf(DimensionMismatchError);
    await expect(col.insert({ id: 'x', vector: [1, Number.NaN, 2] })).rejects.toBeInstanceOf(InvalidVectorError);
    await expect(col.insert({ id: 'x', vector: [1, Infinity, 2] })).rejects.toBeInstanceOf(InvalidVectorError);
    await expect(col.insert({ id: 'x', vector: [1, 2, 3], metadata: [] as unknown as Record<string, unknown> })).rejects.toBeInstanceOf(InvalidMetadataError);
    await expect(col.insertBatch({ ids: ['y', 'z'], vectors: [[1, 2, 3]] })).rejects.toBeInstanceOf(ValidationError);
    // A bad vector in the middle of a batch leaves the whole batch out.
    await expect(col.insertBatch({ ids: ['y', 'z'], vectors: [[1, 2, 3], [1, 2]] })).rejects.toBeInstanceOf(DimensionMismatchError);
    expect(await col.count()).toBe(4);
  });

  it('searches by vector with metadata filters ($eq … $nin, $and, $or, $not)', async () => {
    const col = await sample();
    const ids = async (filter: Parameters<Collection['vectorSearch']>[0]['filter']) => (await col.vectorSearch({ vector: [1, 0, 0], k: 10, filter })).results.map((r) => r.id);
    expect(await ids(undefined)).toEqual(['doc1', 'doc3', 'doc2', 'doc4']);
    expect(await ids({ author: 'Alice' })).toEqual(['doc1', 'doc3']);
    expect(await ids({ year: { $gt: 2021 } })).toEqual(['doc1', 'doc4']);
    expect(await ids({ year: { $gte: 2021, $lt: 2024 } })).toEqual(['doc3', 'doc4']);
    expect(await ids({ year: { $lte: 2019 } })).toEqual(['doc2']);
    expect(await ids({ author: { $ne: 'Alice' } })).toEqual(['doc2', 'doc4']);
    expect(await ids({ category: { $in: ['tech', 'science'] } })).toEqual(['doc1', 'doc3', 'doc4']);
    expect(await ids({ category: { $nin: ['tech'] } })).toEqual(['doc3', 'doc2']);
    expect(await ids({ $and: [{ author: 'Alice' }, { year: 2024 }] })).toEqual(['doc1']);
    expect(await ids({ $or: [{ category: 'art' }, { year: 2022 }] })).toEqual(['doc2', 'doc4']);
    expect(await ids({ $not: { author: 'Alice' } })).toEqual(['doc2', 'doc4']);
    expect(await ids({ $and: [{ $or: [{ category: 'tech' }, { category: 'science' }] }, { year: { $gte: 2022 } }] })).toEqual(['doc1', 'doc4']);
    expect(await ids({ missing: { $ne: 1 } })).toHaveLength(4);
    await expect(ids({ year: { $regex: 'x' } } as never)).rejects.toBeInstanceOf(ValidationError);
    const r = await col.vectorSearch({ vector: [1, 0, 0], k: 1, includeVectors: true });
    expect(r.results[0]).toMatchObject({ id: 'doc1', score: 1, distance: 0, metadata: { author: 'Alice' } });
    expect(Array.from(r.results[0]!.vector!)).toEqual([1, 0, 0]);
    expect(r.queryTimeMs).toBeGreaterThanOrEqual(0);
    expect([...r].map((x) => x.id)).toEqual(['doc1']);
    expect((await col.search({ vector: [1, 0, 0], k: 4, minScore: 0.5 })).results.map((x) => x.id)).toEqual(['doc1', 'doc3']);
  });

  it('keyword, hybrid and Chroma-style query', async () => {
    const col = await sample();
    const kw = await col.keywordSearch({ query: 'machine learning', k: 5 });
    expect(kw.results.map((r) => r.id).sort()).toEqual(['doc1', 'doc3']);
    expect(kw.results[0]!.score).toBeGreaterThan(0);
    expect((await col.keywordSearch({ query: 'machine learning', k: 5, filter: { category: 'science' } })).results.map((r) => r.id)).toEqual(['doc3']);
    const hy = await col.hybridSearch({ vector: [0, 0, 1], textQuery: 'machine learning', k: 3, alpha: 0.7 });
    expect(hy.results).toHaveLength(3);
    // doc1 is second by vector and first by keywords: 0.7/62 + 0.3/61 beats doc4's 0.7/61.
    expect(hy.results.map((r) => r.id)).toEqual(['doc1', 'doc3', 'doc4']);
    expect(hy.results[0]!.score).toBeCloseTo(0.7 / 62 + 0.3 / 61, 12);
    expect((await col.hybridSearch({ vector: [0, 0, 1], textQuery: 'machine learning', k: 1, alpha: 1 })).results[0]!.id).toBe('doc4');
    expect(hy.vectorResults!.map((r) => r.vectorRank)).toEqual([...hy.vectorResults!.map((r) => r.vectorRank)].sort());
    expect(hy.keywordResults!.every((r) => r.bm25Rank !== null)).toBe(true);
    const q = await col.query({ queryEmbeddings: [[1, 0, 0], [0, 1, 0]], nResults: 2, where: { category: { $ne: 'art' } } });
    expect(q.ids).toEqual([['doc1', 'doc3'], ['doc3', 'doc1']]);
    expect(q.distances[0]![0]).toBeCloseTo(0, 6);
    expect(q.metadatas[0]![0]).toMatchObject({ author: 'Alice' });
  });

  it('multi-vector documents fold their chunks (max, mean, first)', async () => {
    const ns = db.namespace('default');
    const col = await ns.createCollection({ name: 'chunks', dimension: 2, metric: 'dot' });
    await col.insertMulti({ id: 'long', vectors: [[1, 0], [0, 1], [0.5, 0.5]], metadata: { title: 'Long' } });
    await col.insertMulti({ id: 'short', vectors: [[0.8, 0]], metadata: { title: 'Short' } });
    const max = await col.search({ vector: [1, 0], k: 2, aggregate: 'max' });
    expect(max.results.map((r) => [r.id, r.score])).toEqual([['long', 1], ['short', 0.800000011920929]]);
    expect(max.results[0]!.metadata).toEqual({ title: 'Long' });
    const mean = await col.search({ vector: [1, 0], k: 2, aggregate: 'mean' });
    expect(mean.results.map((r) => r.id)).toEqual(['short', 'long']);
    expect(mean.results[1]!.score).toBeCloseTo(0.5, 6);
    // By its first chunk ([1, 0]) "long" scores -0.1, below "short"'s -0.08; by its best chunk it wins.
    expect((await col.search({ vector: [-0.1, 1], k: 1, aggregate: 'first' })).results.map((r) => r.id)).toEqual(['short']);
    expect((await col.search({ vector: [-0.1, 1], k: 1, aggregate: 'max' })).results.map((r) => r.id)).toEqual(['long']);
  });
});

describe('the ANN index follows the store', () => {
  it('after a kill -9, a reopened collection agrees with its rows: deletes and updates never resurface', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [fileURLToPath(new URL('../fixtures/collection-writer.mjs', import.meta.url)), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      let steps = 0;
      child.stdout.on('data', (d: Buffer) => {
        steps += d.toString().split('\n').filter((l) => /^\d+$/.test(l)).length;
        if (steps >= 60 && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited without being killed (${String(signal)})`))));
    });
    await using reopened = await Database.open(dir);
    const col = reopened.collection('docs');
    const dim = 8;
    const all = (await reopened.executeSql('SELECT id, embedding FROM docs')).rows.map((r) => ({ id: String(r[0]), v: r[1] as Float32Array }));
    expect(all.length).toBeGreaterThan(2900);
    const brute = (q: number[], k: number) =>
      all
        .map((d) => ({ id: d.id, d: Math.sqrt(d.v.reduce((s, x, i) => s + (x - q[i]!) ** 2, 0)) }))
        .sort((a, b) => a.d - b.d)
        .slice(0, k)
        .map((x) => x.id);
    const live = new Set(all.map((d) => d.id));
    let hits = 0;
    for (let t = 0; t < 20; t++) {
      const q = Array.from({ length: dim }, (_, i) => Math.sin((t + 0.5) * 7.1 + i * 1.3));
      const got = (await col.vectorSearch({ vector: q, k: 10 })).results.map((r) => r.id);
      expect(got).toHaveLength(10);
      for (const id of got) expect(live.has(id), `${id} was deleted but came back`).toBe(true);
      const truth = new Set(brute(q, 10));
      hits += got.filter((id) => truth.has(id)).length;
      // Every returned distance is the row's own (updated vectors are not stale).
      for (const r of (await col.vectorSearch({ vector: q, k: 3, includeVectors: true })).results) {
        const row = all.find((d) => d.id === r.id)!;
        expect(Array.from(r.vector!)).toEqual(Array.from(row.v));
      }
    }
    expect(hits / 200).toBeGreaterThanOrEqual(0.95);
  });
});

describe('dump and import', () => {
  it('round-trips namespaces and collections with their options, documents and search', async () => {
    const { dumpDatabase, importScript } = await import('../../src/index.js');
    const acme = await db.createNamespace('acme', { displayName: 'Acme', labels: { tier: 'gold' } });
    const col = await acme.createCollection({ name: 'kb', dimension: 3, metric: 'dot', enableHybridSearch: true, contentField: 'text', m: 8, efSearch: 33 });
    await col.insertBatch({ ids: ['a', 'b'], vectors: [[0.1, 0.2, 0.3], [1, 0, 0]], metadatas: [{ text: 'refund policy', n: 1 }, { text: 'shipping times', n: 2.5 }] });
    let script = '';
    await dumpDatabase(db, (chunk) => {
      script += chunk;
    });
    expect(script).toMatch(/CREATE NAMESPACE "acme" WITH \(display_name = 'Acme', labels = '\{"tier":"gold"\}'\)/);
    expect(script).toMatch(/CREATE COLLECTION "acme"\."kb" \(dimension = 3, metric = dot, m = 8, ef_construction = 100, ef_search = 33/);
    await using copy = await Database.open(':memory:');
    await importScript(copy, script);
    const kb = copy.namespace('acme').collection('kb');
    expect(kb.config).toEqual(col.config);
    expect((await copy.namespaceInfo('acme')).labels).toEqual({ tier: 'gold' });
    const rows = async (d: Database) => (await d.executeSql('SELECT id, embedding, metadata, content FROM acme.kb ORDER BY id')).rows;
    expect(await rows(copy)).toEqual(await rows(db));
    expect((await kb.keywordSearch({ query: 'refund' })).results.map((r) => r.id)).toEqual(['a']);
    expect((await kb.vectorSearch({ vector: [1, 0, 0], k: 1 })).results.map((r) => r.id)).toEqual(['b']);
  });
});

describe('key-value statements', () => {
  it('PUT, GET, EXISTS, DELETE, SCAN and LIST PATH agree with the key-value API, per namespace', async () => {
    const rows = async (sql: string, params?: unknown[]) => (await db.executeSql(sql, params)).rows;
    await db.executeSql("PUT 'user:1' = 'Alice', 'user:2' = 'Bob' WITH (ttl_seconds = 3600)");
    expect(text(await db.get('user:1'))).toBe('Alice');
    const got = await rows("GET 'user:1', 'user:9'");
    expect(got.map((r) => r.slice(0, 2))).toEqual([['user:1', 'Alice'], ['user:9', null]]);
    expect(Date.parse(`${String(got[0]![2]).replace(' ', 'T')}Z`) - Date.now()).toBeGreaterThan(3500_000);
    expect(await rows("EXISTS 'user:1', 'user:9'")).toEqual([['user:1', 1], ['user:9', 0]]);
    await db.putPath('users/alice/name', 'Alice Smith');
    await db.executeSql("PUT PATH '/users/bob/name/' = ?", ['Bob']);
    expect(await rows("LIST PATH 'users'")).toEqual([['alice'], ['bob']]);
    expect(await db.listPath('users')).toEqual(['alice', 'bob']);
    expect(await rows("SCAN PREFIX 'users/' REVERSE LIMIT 1")).toEqual([['users/bob/name', 'Bob', null]]);
    expect(await rows("SCAN PREFIX 'users/' AFTER 'users/alice/name'")).toEqual([['users/bob/name', 'Bob', null]]);
    expect((await db.executeSql("DELETE PREFIX 'users/'")).rowsAffected).toBe(2);
    expect((await db.executeSql("DELETE 'user:1', 'nope'")).rowsAffected).toBe(1);
    expect(await db.get('user:1')).toBeNull();
    await expect(db.executeSql("SCAN PREFIX 'u'")).rejects.toThrow(/at least 2 bytes/);
    await expect(db.executeSql("PUT 'a' = NULL")).rejects.toThrow(/NULL/);
    const t = await db.createNamespace('t');
    await db.executeSql("PUT 'x' = 1 + 1 IN NAMESPACE t");
    expect(text(await t.get('x'))).toBe('2');
    expect(await rows("GET 'x'")).toEqual([['x', null, null]]);
    await expect(db.executeSql("GET 'x' IN NAMESPACE nope")).rejects.toBeInstanceOf(NamespaceNotFoundError);
    // A dump carries the key-value data of every namespace, expiry included.
    const { dumpDatabase, importScript } = await import('../../src/index.js');
    let script = '';
    await dumpDatabase(db, (c) => {
      script += c;
    });
    await using copy = await Database.open(':memory:');
    await importScript(copy, script);
    expect(await (await copy.executeSql('SCAN ALL')).rows).toEqual(await rows('SCAN ALL'));
    expect(text(await copy.namespace('t').get('x'))).toBe('2');
  });
});

// An index on a collection's metadata field: it answers queries on the field, and filtered search takes its candidates from it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Collection } from '../../src/index.js';
import { cosineDistance } from '../helpers.js';
import { seededRandom } from '../../src/util/random.js';

const N = 3000;
const DIM = 8;
const K = 10;
let db: Database;
let col: Collection;
let vectors: Float32Array[];

/** Category of document i: c0 … c19 (5% each), and `big` for half of them. */
const category = (i: number) => `c${i % 20}`;
const big = (i: number) => i % 2 === 0;

const cos = cosineDistance;

/** The exact k nearest documents among those `keep` admits. */
const truth = (query: Float32Array, keep: (i: number) => boolean, k = K) =>
  vectors
    .map((v, i) => ({ i, d: cos(v, query) }))
    .filter((x) => keep(x.i))
    .sort((a, b) => a.d - b.d)
    .slice(0, k)
    .map((x) => `d${x.i}`);

beforeAll(async () => {
  db = await Database.open(':memory:');
  col = await db.namespace('default').createCollection({ name: 'docs', dimension: DIM, metric: 'cosine' });
  const r = seededRandom(11);
  vectors = Array.from({ length: N }, () => Float32Array.from({ length: DIM }, () => r() * 2 - 1));
  await col.insertBatch({
    ids: vectors.map((_, i) => `d${i}`),
    vectors,
    metadatas: vectors.map((_, i) => ({ category: category(i), big: big(i), price: i % 100 })),
  });
  await db.exec('CREATE INDEX ON docs (category); CREATE INDEX docs_price ON docs (price); ANALYZE docs;');
  await (await db.search.vectorIndex(db.getTableSchema('docs'))).flush();
});

afterAll(async () => {
  await db.close();
});

const plan = async (sql: string, params: unknown[] = []) => (await db.executeSql(`EXPLAIN ${sql}`, params as never)).rows.map((r) => String(r[0])).join('\n');
const ids = async (sql: string, params: unknown[] = []) => (await db.executeSql(sql, params as never)).rows.map((r) => String(r[0]));

describe('CREATE INDEX on a collection metadata field', () => {
  it('indexes the field as the expression a field reference binds to, and plain queries use it', async () => {
    const ix = db.listIndexes('docs').find((i) => i.name === 'docs_category_idx');
    expect(ix?.columns).toEqual([{ exprSql: 'category', desc: false }]);
    expect(await plan("SELECT id FROM docs WHERE category = 'c3'")).toMatch(/IndexScan docs USING docs_category_idx WHERE key = \('c3'\)/);
    expect(await plan('SELECT id FROM docs WHERE price BETWEEN 10 AND 12')).toMatch(/IndexScan docs USING docs_price WHERE key >= 10 AND <= 12/);
    expect((await db.executeSql("SELECT count(*) FROM docs WHERE category = 'c3'")).rows).toEqual([[N / 20]]);
    expect((await db.executeSql('SELECT count(*) FROM docs WHERE price BETWEEN 10 AND 12')).rows).toEqual([[(3 * N) / 100]]);
  });
});

describe('filtered search through a metadata index', () => {
  const sql = "SELECT id FROM vector_search(docs, ?, k => 10) WHERE category = 'c3'";

  it('EXPLAIN shows the index finding the candidates, and EXPLAIN ANALYZE how many it found', async () => {
    expect(await plan(sql, [vectors[0]])).toMatch(/VectorSearch docs \(strategy: exact.*\n\s+-> IndexScan docs USING docs_category_idx WHERE key = \('c3'\)/);
    const analyzed = (await db.executeSql(`EXPLAIN ANALYZE ${sql}`, [vectors[0]] as never)).rows.map((r) => String(r[0])).join('\n');
    expect(analyzed).toMatch(new RegExp(`IndexScan docs USING docs_category_idx .*actual rows=${N / 20} `));
  });

  it('returns exactly k results, all matching the filter, the exact nearest ones', async () => {
    const r = seededRandom(3);
    for (let q = 0; q < 10; q++) {
      const query = Float32Array.from({ length: DIM }, () => r() * 2 - 1);
      const got = await ids(sql, [query]);
      expect(got).toHaveLength(K);
      expect(got).toEqual(truth(query, (i) => category(i) === 'c3'));
      // The collection API builds the same filter on the field.
      const api = (await col.vectorSearch({ vector: query, k: K, filter: { category: 'c3' } })).results;
      expect(api.map((x) => x.id)).toEqual(got);
      for (const x of api) expect((x.metadata as Record<string, unknown>).category).toBe('c3');
    }
  });

  it('applies the whole filter to the candidates: IN lists, ranges and other conjuncts', async () => {
    const query = vectors[42]!;
    const keep = (i: number) => (category(i) === 'c1' || category(i) === 'c2') && big(i) === false && i % 100 >= 50;
    const q = "SELECT id FROM vector_search(docs, ?, k => 7) WHERE category IN ('c1', 'c2') AND big = false AND price >= 50";
    expect(await plan(q, [query])).toMatch(/IndexScan docs USING docs_category_idx WHERE key IN \(\('c1'\), \('c2'\)\)/);
    expect(await ids(q, [query])).toEqual(truth(query, keep, 7));
  });

  it('walks the graph when the indexed value matches many rows, still returning only matches', async () => {
    await db.exec('CREATE INDEX docs_big ON docs (big)');
    try {
      const q = 'SELECT id FROM vector_search(docs, ?, k => 10) WHERE big = true';
      const query = vectors[7]!;
      const got = await ids(q, [query]);
      expect(got).toHaveLength(K);
      for (const id of got) expect(big(Number(id.slice(1)))).toBe(true);
      const want = new Set(truth(query, big));
      expect(got.filter((id) => want.has(id)).length).toBeGreaterThanOrEqual(9);
    } finally {
      await db.exec('DROP INDEX docs_big');
    }
  });

  it('sees a transaction’s own writes through the index, and not after a rollback', async () => {
    const query = vectors[5]!;
    const txn = db.beginTransaction();
    try {
      await txn.executeSql("INSERT INTO docs (id, embedding, metadata) VALUES ('mine', ?, '{\"category\": \"c3\"}')", [query]);
      const first = truth(query, (i) => category(i) === 'c3')[0]!;
      await txn.executeSql(`UPDATE docs SET metadata = '{"category": "c4"}' WHERE id = '${first}'`);
      const inside = (await txn.executeSql(sql, [query])).rows.map((r) => String(r[0]));
      expect(inside).toHaveLength(K);
      expect(inside[0]).toBe('mine');
      expect(inside).not.toContain(first);
      expect(inside.slice(1)).toEqual(truth(query, (i) => category(i) === 'c3' && `d${i}` !== first, K - 1));
    } finally {
      await txn.rollback();
    }
    expect(await ids(sql, [query])).toEqual(truth(query, (i) => category(i) === 'c3'));
  });
});

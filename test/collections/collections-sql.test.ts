// Collections and namespaces through ToonQL: DDL, documents as rows, metadata fields, search functions.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageTransaction } from '../../src/storage/mvcc/transaction.js';
import { KeyTag } from '../../src/storage/keyspace.js';
import { CollectionConfigError, CollectionExistsError, Database, DimensionMismatchError, InvalidMetadataError, NamespaceNotFoundError, QueryBindError, ToonDBError } from '../../src/index.js';

let db: Database;
beforeEach(async () => {
  db = await Database.open(':memory:');
});
afterEach(async () => {
  await db.close();
});

const rows = async (sql: string, params?: unknown[]) => (await db.executeSql(sql, params)).rows;

async function docs(): Promise<void> {
  await db.executeSql("CREATE COLLECTION docs (dimension = 3, metric = cosine, enable_hybrid_search = true, content_field = 'text')");
  await db.executeSql(`INSERT INTO docs (id, embedding, title, category, year, text) VALUES
    ('d1', '[1,0,0]', 'Intro to HNSW', 'tech', 2024, 'HNSW builds a layered proximity graph'),
    ('d2', '[0,1,0]', 'Oil painting', 'art', 2019, 'painting with oil on canvas'),
    ('d3', '[0.9,0.1,0]', 'Graph learning', 'tech', 2021, 'machine learning on graphs and more graphs'),
    ('d4', '[0,0,1]', 'Sculpture', 'art', 2024, NULL)`);
}

describe('CREATE / ALTER / DROP COLLECTION', () => {
  it('creates a table with id, embedding, metadata and content, and keeps the options', async () => {
    await db.executeSql('CREATE COLLECTION docs WITH (dimension = 4, metric = l2, m = 8, ef_search = 20)');
    const t = db.getTableSchema('docs');
    expect(t.columns.map((c) => [c.name, c.declaredType])).toEqual([
      ['id', 'TEXT'],
      ['embedding', 'VECTOR(4)'],
      ['metadata', 'JSON'],
      ['content', 'TEXT'],
    ]);
    expect(t.collection).toMatchObject({ dimension: 4, metric: 'euclidean', m: 8, efSearch: 20, efConstruction: 100, quantization: 'none' });
    await db.executeSql('ALTER COLLECTION docs SET (ef_search = 64)');
    expect(db.getTableSchema('docs').collection!.efSearch).toBe(64);
    await expect(db.executeSql('ALTER COLLECTION docs SET (m = 4)')).rejects.toBeInstanceOf(CollectionConfigError);
    await db.executeSql('DROP COLLECTION docs');
    expect(db.listTables()).toEqual([]);
  });

  it('rejects bad options with CollectionConfigError and duplicates with CollectionExistsError', async () => {
    await expect(db.executeSql('CREATE COLLECTION c (metric = cosine)')).rejects.toBeInstanceOf(CollectionConfigError);
    await expect(db.executeSql('CREATE COLLECTION c (dimension = 3, metric = hamming)')).rejects.toThrow(/unknown metric/);
    await expect(db.executeSql('CREATE COLLECTION c (dimension = 0)')).rejects.toBeInstanceOf(CollectionConfigError);
    await expect(db.executeSql('CREATE COLLECTION c (dimension = 3, colour = 1)')).rejects.toThrow(/unknown collection option: colour/);
    await db.executeSql('CREATE COLLECTION c (dimension = 3)');
    await expect(db.executeSql('CREATE COLLECTION c (dimension = 3)')).rejects.toBeInstanceOf(CollectionExistsError);
    await db.executeSql('CREATE COLLECTION IF NOT EXISTS c (dimension = 3)');
    await db.executeSql('CREATE TABLE t (a)');
    await expect(db.executeSql('CREATE COLLECTION t (dimension = 3)')).rejects.toBeInstanceOf(CollectionExistsError);
  });

  it('DROP COLLECTION removes the documents and the BM25 postings', async () => {
    await docs();
    const textKeys = async () => {
      const txn = new StorageTransaction(db.store, 'snapshot', true);
      const cursor = txn.scan({ gte: Uint8Array.of(KeyTag.TEXT), lt: Uint8Array.of(KeyTag.TEXT + 1) });
      let n = 0;
      for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) n += b.keys.length;
      await cursor.close();
      txn.abort();
      return n;
    };
    expect(await textKeys()).toBeGreaterThan(10);
    await db.executeSql('DROP COLLECTION docs');
    expect(await textKeys()).toBe(0);
    await db.executeSql("CREATE COLLECTION docs (dimension = 3, enable_hybrid_search = true, content_field = 'text')");
    expect(await rows('SELECT count(*) FROM docs')).toEqual([[0]]);
    expect(await rows("SELECT id FROM bm25_search(docs, 'graphs')")).toEqual([]);
  });
});

describe('documents are rows', () => {
  it('stores metadata fields named in INSERT and reads them back as columns', async () => {
    await docs();
    expect(await rows("SELECT id, title, year, content FROM docs WHERE category = 'tech' ORDER BY id")).toEqual([
      ['d1', 'Intro to HNSW', 2024, 'HNSW builds a layered proximity graph'],
      ['d3', 'Graph learning', 2021, 'machine learning on graphs and more graphs'],
    ]);
    expect(await rows("SELECT metadata FROM docs WHERE id = 'd2'")).toEqual([['{"title":"Oil painting","category":"art","year":2019,"text":"painting with oil on canvas"}']]);
    expect(await rows("SELECT count(*) FROM docs WHERE nosuchfield IS NULL")).toEqual([[4]]);
  });

  it('UPDATE … SET field rewrites one field, NULL removes it; UPSERT replaces the document', async () => {
    await docs();
    await db.executeSql("UPDATE docs SET category = 'archive', year = NULL WHERE id = 'd1'");
    expect(await rows("SELECT metadata FROM docs WHERE id = 'd1'")).toEqual([['{"title":"Intro to HNSW","category":"archive","text":"HNSW builds a layered proximity graph"}']]);
    await db.executeSql(`UPSERT INTO docs (id, embedding, metadata) VALUES ('d1', '[0,1,0]', '{"title": "New"}')`);
    expect(await rows("SELECT title, category, content FROM docs WHERE id = 'd1'")).toEqual([['New', null, null]]);
  });

  it('checks vectors and metadata', async () => {
    await docs();
    const dim = await db.executeSql("INSERT INTO docs (id, embedding) VALUES ('x', '[1,2]')").catch((e: unknown) => e);
    expect(dim).toBeInstanceOf(DimensionMismatchError);
    expect((dim as ToonDBError).details).toMatchObject({ expected: 3, actual: 2 });
    await expect(db.executeSql("INSERT INTO docs (id, embedding) VALUES ('x', '[1,NaN,2]')")).rejects.toThrow(/finite/);
    await expect(db.executeSql("INSERT INTO docs (id, metadata) VALUES ('x', '[1,2]')")).rejects.toBeInstanceOf(InvalidMetadataError);
    await expect(db.executeSql("INSERT INTO docs (id, metadata) VALUES ('x', 'not json')")).rejects.toBeInstanceOf(InvalidMetadataError);
    await expect(db.executeSql("INSERT INTO docs (id) VALUES ('d1')")).rejects.toThrow(/UNIQUE/);
    expect(await rows('SELECT count(*) FROM docs')).toEqual([[4]]);
  });

  it('evaluates the pgvector distance operators on any vectors', async () => {
    expect(await rows("SELECT '[3,4]' <-> '[0,0]', '[1,0]' <=> '[0,1]', '[1,2]' <#> '[3,4]', '[0,0]' <=> '[1,1]'")).toEqual([[5, 1, -11, null]]);
    await expect(db.executeSql("SELECT '[1,2]' <-> '[1,2,3]'")).rejects.toBeInstanceOf(DimensionMismatchError);
  });
});

describe('search in SQL', () => {
  it('ORDER BY embedding <=> q LIMIT k is a vector search, with the distance pseudo-column', async () => {
    await docs();
    const plan = (await rows("EXPLAIN SELECT id, distance FROM docs WHERE category = 'tech' ORDER BY embedding <=> '[1,0,0]' LIMIT 2")).map((r) => r[0]).join('\n');
    expect(plan).toMatch(/VectorSearch docs \(strategy: exact, k=2, filter: .*category.* \(est\. selectivity/);
    const r = await db.executeSql("SELECT id, distance FROM docs WHERE category = 'tech' ORDER BY embedding <=> '[1,0,0]' LIMIT 2");
    expect(r.columns).toEqual(['id', 'distance']);
    expect(r.rows.map((x) => x[0])).toEqual(['d1', 'd3']);
    expect(r.rows[1]![1]).toBeCloseTo(1 - 0.9 / Math.sqrt(0.82), 6);
    // Another metric's operator is computed per row (still exact), not an index search.
    const other = (await rows("EXPLAIN SELECT id FROM docs ORDER BY embedding <-> '[1,0,0]' LIMIT 2")).map((x) => x[0]).join('\n');
    expect(other).not.toMatch(/VectorSearch/);
    expect((await rows("SELECT id FROM docs ORDER BY embedding <-> '[1,0,0]' LIMIT 2")).map((x) => x[0])).toEqual(['d1', 'd3']);
    // OFFSET skips ranked rows.
    expect((await rows("SELECT id FROM docs ORDER BY embedding <=> '[1,0,0]' LIMIT 2 OFFSET 1")).map((x) => x[0])).toEqual(['d3', 'd2']);
  });

  it('a search that reads only ids and distances answers from the index, as the snapshot sees it', async () => {
    await docs();
    const explain = async (sql: string) => (await rows(`EXPLAIN ${sql}`, [[1, 0.05, 0]])).map((r) => r[0]).join('\n');
    const idOnly = 'SELECT id, round(distance, 6) FROM vector_search(docs, ?, k => 3)';
    const withRow = 'SELECT id, round(distance, 6), title FROM vector_search(docs, ?, k => 3)';
    expect(await explain(idOnly)).toMatch(/VectorSearch docs \(strategy: hnsw, index-only, k=3\)/);
    expect(await explain('SELECT id FROM docs ORDER BY embedding <=> ? LIMIT 3')).toMatch(/strategy: hnsw, index-only/);
    expect(await explain(withRow)).toMatch(/strategy: hnsw, k=3/);
    expect(await explain("SELECT id FROM vector_search(docs, ?, k => 3) WHERE category = 'art'")).not.toMatch(/index-only/);
    // A subquery may read any column of the row it is evaluated for.
    const correlated = 'SELECT s.id, (SELECT s.title) AS t FROM vector_search(docs, ?, k => 3) AS s';
    expect(await explain(correlated)).not.toMatch(/index-only/);
    expect((await rows(correlated, [[1, 0.05, 0]]))[0]).toEqual(['d1', 'Intro to HNSW']);
    const q = [[1, 0.05, 0]];
    const fromIndex = await rows(idOnly, q);
    expect(fromIndex).toEqual((await rows(withRow, q)).map((r) => r.slice(0, 2)));
    expect(fromIndex.map((r) => r[0])).toEqual(['d1', 'd3', 'd2']);

    // A transaction's snapshot: documents committed after it began are not in its results, and
    // documents deleted or changed after it began still rank as they were (the index has moved
    // on, so the snapshot's rows are read).
    const txn = db.beginTransaction();
    expect((await txn.executeSql(idOnly, q)).rows.map((r) => r[0])).toEqual(['d1', 'd3', 'd2']);
    await db.executeSql("INSERT INTO docs (id, embedding) VALUES ('d0', '[1,0.05,0]')");
    await db.executeSql("DELETE FROM docs WHERE id = 'd3'");
    await db.executeSql("UPDATE docs SET embedding = '[0,0.2,1]' WHERE id = 'd1'");
    expect((await rows(idOnly, q)).map((r) => r[0])).toEqual(['d0', 'd2', 'd1']);
    expect((await txn.executeSql(idOnly, q)).rows.map((r) => r[0])).toEqual(['d1', 'd3', 'd2']);
    await txn.commit();
  });

  it('vector_search filters before ranking, so k matching rows come back', async () => {
    await docs();
    expect(await rows("SELECT id, title FROM vector_search(docs, '[1,0,0]', k => 2) WHERE category = 'art'")).toEqual([
      ['d2', 'Oil painting'],
      ['d4', 'Sculpture'],
    ]);
    const scored = await rows("SELECT id, round(score, 4), round(distance, 4) FROM vector_search(docs, '[1,0,0]', k => 1)");
    expect(scored).toEqual([['d1', 1, 0]]);
    // A condition on the ranking columns stays above the search.
    expect(await rows("SELECT id FROM vector_search(docs, '[1,0,0]', k => 4) WHERE distance > 0.5 ORDER BY id")).toEqual([['d2'], ['d4']]);
  });

  it('bm25_search ranks by BM25 over the content, maintained on insert, update and delete', async () => {
    await docs();
    // Without stemming only d3 says "graphs" (d1 says "graph").
    expect(await rows("SELECT id FROM bm25_search(docs, 'graphs', k => 5)")).toEqual([['d3']]);
    await db.executeSql("UPDATE docs SET text = 'graphs everywhere' WHERE id = 'd2'");
    expect((await rows("SELECT id FROM bm25_search(docs, 'graphs', k => 5) ORDER BY id")).map((r) => r[0])).toEqual(['d2', 'd3']);
    await db.executeSql("DELETE FROM docs WHERE id = 'd3'");
    expect(await rows("SELECT id FROM bm25_search(docs, 'graphs')")).toEqual([['d2']]);
    expect(await rows("SELECT id FROM bm25_search(docs, 'painting oil', mode => 'all')")).toEqual([]);
    expect(await rows("SELECT id FROM bm25_search(docs, 'graphs everywhere', mode => 'all')")).toEqual([['d2']]);
  });

  it('hybrid_search fuses both rankings with RRF and reports each side', async () => {
    await docs();
    const r = await db.executeSql("SELECT id, score, vector_rank, bm25_rank FROM hybrid_search(docs, '[0,1,0]', 'graphs', k => 3, rrf_k => 60)");
    expect(r.columns).toEqual(['id', 'score', 'vector_rank', 'bm25_rank']);
    for (const [, score, v, b] of r.rows) {
      const expected = (v === null ? 0 : 0.5 / (60 + Number(v))) + (b === null ? 0 : 0.5 / (60 + Number(b)));
      expect(score).toBeCloseTo(expected, 12);
    }
    const scores = r.rows.map((x) => Number(x[1]));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // alpha = 1: vector only.
    expect((await rows("SELECT id FROM hybrid_search(docs, '[0,1,0]', 'graphs', k => 1, alpha => 1)"))[0]).toEqual(['d2']);
  });

  it('a LATERAL search ranks per row of another table', async () => {
    await docs();
    await db.exec("CREATE TABLE queries (qid INTEGER PRIMARY KEY, v TEXT); INSERT INTO queries (v) VALUES ('[1,0,0]'), ('[0,0.1,1]');");
    expect(await rows('SELECT q.qid, s.id FROM queries q, LATERAL vector_search(docs, q.v, k => 2) s ORDER BY q.qid, s.distance')).toEqual([
      [1, 'd1'],
      [1, 'd3'],
      [2, 'd4'],
      [2, 'd2'],
    ]);
  });

  it('SET hnsw.ef_search sets the search width for the session; ef_search => n wins for one query', async () => {
    await docs();
    const seen: (number | undefined)[] = [];
    const original = db.search.annSearch.bind(db.search);
    db.search.annSearch = async (table, q, k, options) => {
      seen.push(options.efSearch);
      return original(table, q, k, options);
    };
    const search = (extra = '') => db.executeSql(`SELECT id FROM vector_search(docs, '[1,0,0]', k => 2${extra})`);
    await search();
    await db.executeSql('SET hnsw.ef_search = 123');
    await search();
    await search(', ef_search => 7');
    await db.executeSql('SET hnsw.ef_search TO DEFAULT');
    await search();
    expect(seen).toEqual([undefined, 123, 7, undefined]);
    await expect(db.executeSql('SET hnsw.ef_search = 0')).rejects.toThrow(/hnsw.ef_search must be an integer/);
    // Settings of other engines are accepted and change nothing.
    await db.executeSql("SET client_encoding = 'UTF8'");
  });

  it('reports bad search calls clearly', async () => {
    await docs();
    await expect(db.executeSql("SELECT * FROM vector_search(docs, '[1,0,0]', kk => 3)")).rejects.toThrow(/unknown argument kk/);
    await expect(db.executeSql("SELECT * FROM vector_search(nosuch, '[1,0,0]')")).rejects.toBeInstanceOf(QueryBindError);
    await db.executeSql('CREATE TABLE plain (a)');
    await expect(db.executeSql("SELECT * FROM vector_search(plain, '[1,0,0]')")).rejects.toThrow(/plain has no hnsw index/);
    await expect(db.executeSql("SELECT * FROM vector_search(docs, '[1,0]')")).rejects.toBeInstanceOf(DimensionMismatchError);
    await expect(db.executeSql("SELECT abs(x => 1)")).rejects.toThrow(/named arguments/);
    await db.executeSql('CREATE COLLECTION novec (dimension = 2)');
    await expect(db.executeSql("SELECT * FROM bm25_search(novec, 'x')")).rejects.toThrow(/no BM25 index/);
  });
});

describe('namespaces in SQL', () => {
  it('qualifies tables and collections, and DROP NAMESPACE is RESTRICT unless CASCADE', async () => {
    await db.executeSql(`CREATE NAMESPACE tenant WITH (display_name = 'Acme', labels = '{"tier": "gold"}')`);
    await db.executeSql('CREATE COLLECTION tenant.docs (dimension = 2)');
    await db.executeSql('CREATE TABLE tenant.notes (id INTEGER PRIMARY KEY, body TEXT)');
    await db.executeSql("INSERT INTO tenant.docs (id, embedding) VALUES ('a', '[1,0]')");
    await db.executeSql("INSERT INTO tenant.notes (body) VALUES ('hi')");
    expect(await rows('SELECT id FROM tenant.docs')).toEqual([['a']]);
    await expect(db.executeSql('SELECT * FROM docs')).rejects.toBeInstanceOf(QueryBindError);
    await expect(db.executeSql('CREATE COLLECTION nowhere.docs (dimension = 2)')).rejects.toBeInstanceOf(NamespaceNotFoundError);
    await expect(db.executeSql('DROP NAMESPACE tenant')).rejects.toThrow(/not empty/);
    await db.executeSql('DROP NAMESPACE tenant CASCADE');
    expect(db.listTables()).toEqual([]);
    await expect(db.executeSql('SELECT * FROM tenant.notes')).rejects.toBeInstanceOf(QueryBindError);
    await expect(db.executeSql('DROP NAMESPACE "default"')).rejects.toThrow(/cannot be dropped/);
  });

  it('namespace DDL is transactional', async () => {
    await db.executeSql('BEGIN');
    await db.executeSql('CREATE SCHEMA s1');
    await db.executeSql('ROLLBACK');
    expect(db.namespaceExists('s1')).toBe(false);
  });
});

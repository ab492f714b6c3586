// CREATE INDEX … USING bm25 on an ordinary table's TEXT columns (docs/toonql.md §8.4): postings
// written in each row's transaction, searched by bm25_search and hybrid_search(table, …).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CollectionConfigError, Database, QueryBindError } from '../../src/index.js';
import { dumpDatabase } from '../../src/migrate/dump.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const rows = async (db: Database, sql: string, params?: unknown[]) => (await db.executeSql(sql, params)).rows;

async function articles(db: Database): Promise<void> {
  await db.exec(`
    CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT, body TEXT, embedding VECTOR(2));
    INSERT INTO articles (id, title, body, embedding) VALUES
      (1, 'Graph databases', 'nodes and edges in a property graph', '[1,0]'),
      (2, 'Vector search', 'nearest neighbours in a graph of vectors', '[0,1]'),
      (3, 'Cooking', 'pasta with tomato sauce', '[0.6,0.4]'),
      (4, 'Gardening', NULL, '[0.2,0.8]');
    CREATE INDEX articles_text ON articles USING bm25 (title, body);
  `);
}

/** BM25 of one query term over documents given as token lists (k1 = 1.2, b = 0.75). */
function bm25(docs: string[][], term: string, doc: number): number {
  const n = docs.length;
  const df = docs.filter((d) => d.includes(term)).length;
  const avg = docs.reduce((s, d) => s + d.length, 0) / n;
  const tf = docs[doc]!.filter((t) => t === term).length;
  const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
  return (idf * tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * docs[doc]!.length) / avg));
}

describe('bm25 indexes on tables', () => {
  it('index the text columns together and score as BM25 does', async () => {
    const db = await Database.open(':memory:');
    await articles(db);
    const got = await rows(db, "SELECT id, score FROM bm25_search(articles, 'graph')");
    expect(got.map((r) => r[0])).toEqual([1, 2]);
    // Documents as the index sees them: title and body, lower-cased words (row 4 has only a title).
    const docs = ['graph databases nodes and edges in a property graph', 'vector search nearest neighbours in a graph of vectors', 'cooking pasta with tomato sauce', 'gardening'].map((d) => d.split(' '));
    expect(got[0]![1]).toBeCloseTo(bm25(docs, 'graph', 0), 6);
    expect(got[1]![1]).toBeCloseTo(bm25(docs, 'graph', 1), 6);
    expect(await rows(db, "SELECT id FROM bm25_search(articles, 'gardening')")).toEqual([[4]]);
    expect(await rows(db, "SELECT id FROM bm25_search(articles, 'pasta sauce', mode => 'all')")).toEqual([[3]]);
    expect(await rows(db, "SELECT id FROM bm25_search(articles, 'graph') WHERE title LIKE 'Vector%'")).toEqual([[2]]);
    expect(await rows(db, "EXPLAIN SELECT id FROM bm25_search(articles, 'graph')")).toEqual(expect.arrayContaining([[expect.stringMatching(/BM25Search articles \(strategy: postings\)/)]]));
    await db.close();
  });

  it('follow inserts, updates, deletes and rollbacks in the same transaction as the rows', async () => {
    const db = await Database.open(':memory:');
    await articles(db);
    await db.executeSql("INSERT INTO articles (id, title, body) VALUES (5, 'Graphs', 'graph graph graph')");
    expect((await rows(db, "SELECT id FROM bm25_search(articles, 'graph')"))[0]).toEqual([5]);
    await db.executeSql("UPDATE articles SET body = 'nothing here' WHERE id = 5");
    expect(await rows(db, "SELECT id FROM bm25_search(articles, 'graph')")).toEqual([[1], [2]]);
    await db.executeSql('DELETE FROM articles WHERE id = 1');
    expect(await rows(db, "SELECT id FROM bm25_search(articles, 'graph')")).toEqual([[2]]);
    const txn = db.beginTransaction();
    await txn.executeSql("INSERT INTO articles (id, body) VALUES (6, 'graph')");
    expect((await txn.executeSql("SELECT id FROM bm25_search(articles, 'graph')")).rows.map((r) => r[0])).toContain(6);
    await txn.abort();
    expect(await rows(db, "SELECT id FROM bm25_search(articles, 'graph')")).toEqual([[2]]);
    await db.close();
  });

  it('fuse with an hnsw index in hybrid_search', async () => {
    const db = await Database.open(':memory:');
    await articles(db);
    await db.executeSql('CREATE INDEX articles_vec ON articles USING hnsw (embedding)');
    const r = await rows(db, "SELECT id, vector_rank, bm25_rank FROM hybrid_search(articles, '[1,0]', 'graph', k => 2)");
    expect(r).toEqual([
      [1, 1, 1],
      [2, 4, 2],
    ]);
    await db.close();
  });

  it('persist, dump as CREATE INDEX … USING bm25, and go with DROP INDEX', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'toondb-bm25-'));
    dirs.push(dir);
    let db = await Database.open(dir);
    await articles(db);
    await db.close();
    db = await Database.open(dir);
    expect(await rows(db, "SELECT id FROM bm25_search(articles, 'graph')")).toEqual([[1], [2]]);
    let text = '';
    await dumpDatabase(db, (s) => void (text += s));
    expect(text).toContain('CREATE INDEX "articles_text" ON "articles" USING bm25 ("title", "body") WITH (k1 = 1.2, b = 0.75, stemming = false, stopwords = false)');
    const copy = await Database.open(':memory:');
    await copy.exec(text);
    expect(await rows(copy, "SELECT id, round(score, 9) FROM bm25_search(articles, 'graph')")).toEqual(await rows(db, "SELECT id, round(score, 9) FROM bm25_search(articles, 'graph')"));
    await copy.close();
    await db.executeSql('DROP INDEX articles_text');
    await expect(db.executeSql("SELECT id FROM bm25_search(articles, 'graph')")).rejects.toThrow(/has no bm25 index/);
    // The postings went with it: a new index starts from the rows alone.
    await db.executeSql('CREATE INDEX articles_text ON articles USING bm25 (body)');
    expect(await rows(db, "SELECT id FROM bm25_search(articles, 'databases')")).toEqual([]);
    await db.close();
  });

  it('reject what they cannot index', async () => {
    const db = await Database.open(':memory:');
    await articles(db);
    await expect(db.executeSql('CREATE INDEX ON articles USING bm25 (embedding)')).rejects.toThrow(/covers TEXT columns/);
    await expect(db.executeSql('CREATE INDEX ON articles USING bm25 (body) WITH (k3 = 1)')).rejects.toBeInstanceOf(CollectionConfigError);
    await expect(db.executeSql("SELECT * FROM bm25_search(articles, 'x', column => id)")).rejects.toBeInstanceOf(QueryBindError);
    await db.close();
  });
});

// CREATE INDEX … USING hnsw on an ordinary table's VECTOR(n) column (docs/toonql.md §8.4): the
// planner turns ORDER BY col <op> q LIMIT k into an index search, kept current by every write.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CollectionConfigError, Database, QueryBindError } from '../../src/index.js';
import { dumpDatabase } from '../../src/migrate/dump.js';
import { cosineDistance } from '../helpers.js';
import { seededRandom } from '../../src/util/random.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const explain = async (db: Database, sql: string) => (await db.executeSql(`EXPLAIN ${sql}`)).rows.map((r) => String(r[0])).join('\n');
const ids = async (db: Database, sql: string, params?: unknown[]) => (await db.executeSql(sql, params)).rows.map((r) => r[0]);

async function items(db: Database, n: number, seed = 5): Promise<number[][]> {
  const r = seededRandom(seed);
  const vectors = Array.from({ length: n }, () => [r() - 0.5, r() - 0.5, r() - 0.5, r() - 0.5]);
  await db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT, kind TEXT, embedding VECTOR(4))');
  for (let i = 0; i < n; i += 100) {
    const chunk = vectors.slice(i, i + 100);
    await db.executeSql(`INSERT INTO items (id, title, kind, embedding) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`, chunk.flatMap((v, j) => [i + j + 1, `t${i + j + 1}`, (i + j) % 3 === 0 ? 'x' : 'y', JSON.stringify(v)]));
  }
  return vectors;
}

/** The exact top k by cosine distance, as ids. */
function exact(vectors: number[][], q: number[], k: number, keep: (id: number) => boolean = () => true): number[] {
  const cos = cosineDistance;
  return vectors
    .map((v, i) => ({ id: i + 1, d: cos(v, q) }))
    .filter((x) => keep(x.id))
    .sort((a, b) => a.d - b.d)
    .slice(0, k)
    .map((x) => x.id);
}

describe('hnsw indexes on tables', () => {
  it('turn ORDER BY distance LIMIT k into an index search with the recall of exact ranking', async () => {
    const db = await Database.open(':memory:');
    const vectors = await items(db, 600);
    const q = 'SELECT id FROM items ORDER BY embedding <=> ? LIMIT 5';
    expect(await explain(db, q.replace('?', "'[1,0,0,0]'"))).not.toMatch(/VectorSearch/);
    await db.executeSql('CREATE INDEX items_vec ON items USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_search = 64)');
    expect(await explain(db, q.replace('?', "'[1,0,0,0]'"))).toMatch(/VectorSearch items \(strategy: hnsw, index-only, k=5\)/);
    // Another metric's operator is not the index's: computed per row.
    expect(await explain(db, "SELECT id FROM items ORDER BY embedding <-> '[1,0,0,0]' LIMIT 5")).not.toMatch(/VectorSearch/);
    const r = seededRandom(9);
    let hits = 0;
    for (let t = 0; t < 20; t++) {
      const query = [r() - 0.5, r() - 0.5, r() - 0.5, r() - 0.5];
      const got = await ids(db, q, [JSON.stringify(query)]);
      const want = exact(vectors, query, 5);
      hits += got.filter((id) => want.includes(id as number)).length;
    }
    expect(hits / 100).toBeGreaterThanOrEqual(0.95);
    // vector_search names the table; a filter applies before ranking.
    const query = [0.3, -0.2, 0.1, 0.4];
    const filtered = await ids(db, "SELECT id FROM vector_search(items, ?, k => 5) WHERE kind = 'x'", [JSON.stringify(query)]);
    expect(filtered).toEqual(exact(vectors, query, 5, (id) => (id - 1) % 3 === 0));
    await db.close();
  });

  it('follow inserts, updates and deletes, and a transaction sees its own writes', async () => {
    const db = await Database.open(':memory:');
    await items(db, 50);
    await db.executeSql('CREATE INDEX ON items USING hnsw (embedding) WITH (metric = cosine)');
    const q = "SELECT id FROM items ORDER BY embedding <=> '[1,1,1,1]' LIMIT 1";
    await db.executeSql("INSERT INTO items (id, embedding) VALUES (1000, '[1,1,1,1]')");
    expect(await ids(db, q)).toEqual([1000]);
    await db.executeSql("UPDATE items SET embedding = '[-1,-1,-1,-1]' WHERE id = 1000");
    expect(await ids(db, q)).not.toEqual([1000]);
    await db.executeSql("INSERT INTO items (id, embedding) VALUES (1001, '[1,1,1,0.99]')");
    await db.executeSql('DELETE FROM items WHERE id = 1001');
    expect(await ids(db, q)).not.toEqual([1001]);
    const txn = db.beginTransaction();
    await txn.executeSql("INSERT INTO items (id, embedding) VALUES (1002, '[1,1,1,1]')");
    expect((await txn.executeSql(q)).rows).toEqual([[1002]]);
    await txn.abort();
    expect(await ids(db, q)).not.toEqual([1002]);
    await db.close();
  });

  it('persist with the database, and DROP INDEX or DROP TABLE removes them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'toondb-hnsw-'));
    dirs.push(dir);
    let db = await Database.open(dir);
    const vectors = await items(db, 300);
    await db.executeSql('CREATE INDEX items_vec ON items USING hnsw (embedding vector_cosine_ops)');
    const q = 'SELECT id FROM items ORDER BY embedding <=> ? LIMIT 3';
    const query = [0.1, 0.2, -0.3, 0.4];
    const before = await ids(db, q, [JSON.stringify(query)]);
    expect(before).toEqual(exact(vectors, query, 3));
    await db.close();
    db = await Database.open(dir);
    expect(await ids(db, q, [JSON.stringify(query)])).toEqual(before);
    await db.executeSql("INSERT INTO items (id, embedding) VALUES (5000, '[0.1,0.2,-0.3,0.4]')");
    expect((await ids(db, q, [JSON.stringify(query)]))[0]).toBe(5000);
    expect(db.listIndexes('items').map((i) => i.name)).toContain('items_vec');
    await db.executeSql('DROP INDEX items_vec');
    expect(await explain(db, q.replace('?', "'[1,0,0,0]'"))).not.toMatch(/VectorSearch/);
    expect((await ids(db, q, [JSON.stringify(query)]))[0]).toBe(5000);
    await db.close();
  });

  it('dump as CREATE INDEX … USING hnsw and load back', async () => {
    const db = await Database.open(':memory:');
    await items(db, 20);
    await db.executeSql('CREATE INDEX items_vec ON items USING hnsw (embedding vector_l2_ops) WITH (m = 8, ef_search = 40)');
    let text = '';
    await dumpDatabase(db, (s) => void (text += s));
    expect(text).toContain('CREATE INDEX "items_vec" ON "items" USING hnsw ("embedding") WITH (metric = euclidean, m = 8, ef_construction = 100, ef_search = 40, quantization = none)');
    const copy = await Database.open(':memory:');
    await copy.exec(text);
    const q = "SELECT id FROM items ORDER BY embedding <-> '[0,0,0,0]' LIMIT 3";
    expect(await explain(copy, q)).toMatch(/VectorSearch items \(strategy: hnsw/);
    expect(await ids(copy, q)).toEqual(await ids(db, q));
    await copy.close();
    await db.close();
  });

  it('reject what they cannot index', async () => {
    const db = await Database.open(':memory:');
    await items(db, 5);
    await expect(db.executeSql('CREATE INDEX ON items USING hnsw (title)')).rejects.toThrow(/needs a VECTOR\(n\) column/);
    await expect(db.executeSql('CREATE INDEX ON items USING hnsw (embedding) WITH (colour = 1)')).rejects.toBeInstanceOf(CollectionConfigError);
    await expect(db.executeSql('CREATE INDEX ON items USING hnsw (embedding vector_foo_ops)')).rejects.toThrow(/unknown operator class/);
    await expect(db.executeSql('CREATE UNIQUE INDEX ON items USING hnsw (embedding)')).rejects.toThrow(/cannot be UNIQUE/);
    await expect(db.executeSql("SELECT * FROM vector_search(items, '[1,0,0,0]')")).rejects.toBeInstanceOf(QueryBindError);
    await expect(db.executeSql("SELECT * FROM bm25_search(items, 'x')")).rejects.toThrow(/items has no bm25 index/);
    await db.close();
  });
});

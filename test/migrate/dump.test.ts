// dumpDatabase → import round trips: every table's rows (with storage classes), indexes and views.

import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import { dumpDatabase, literal } from '../../src/migrate/dump.js';
import { importScript } from '../../src/migrate/import.js';

const SCHEMA = `
CREATE TABLE things (
  a INTEGER, b TEXT COLLATE NOCASE, r REAL, bin BLOB, anyv, big INTEGER,
  author INTEGER REFERENCES authors(id) ON DELETE CASCADE,
  PRIMARY KEY (a, b)
);
CREATE TABLE authors (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, born DATE DEFAULT '1900-01-01',
  score REAL DEFAULT -1.5 CHECK (score >= -10), CONSTRAINT short_name CHECK (length(name) < 50));
CREATE TABLE nopk (x TEXT, y NUMERIC, z VARCHAR(10) DEFAULT 'it''s');
CREATE INDEX things_r ON things (r DESC, a);
CREATE UNIQUE INDEX things_big ON things (big) WHERE big IS NOT NULL;
CREATE VIEW v1 AS SELECT a, b FROM things WHERE r > 0;
CREATE VIEW v2 (n) AS SELECT count(*) FROM v1;
`;

const ROWS = `
INSERT INTO authors (id, name, score) VALUES (1, 'Ann', 0.1), (2, 'Zoë ☃ 😀', NULL), (7, 'O''Brien "quoted"', -10);
INSERT INTO things VALUES
  (1, 'x', 0.1, x'00ff10', 1.0, -9223372036854775807 - 1, 1),
  (2, '', 1e300, x'', 'text', 9223372036854775807, 2),
  (3, 'line1
line2	tab\\back', -2.5e-308, NULL, x'cafe', -9007199254740993, NULL),
  (4, 'NULL', 5e-324, x'00', 42, NULL, 7),
  (5, ';--/*', 0.30000000000000004, NULL, NULL, 0, 1);
INSERT INTO nopk VALUES ('a', 1.5, NULL), (NULL, NULL, ''), ('dup', 10, 'z'), ('dup', 10, 'z');
`;

/** Every row of every table, with each value's storage class, in a stable order. */
async function contents(db: Database): Promise<Record<string, unknown[][]>> {
  const out: Record<string, unknown[][]> = {};
  for (const t of db.listTables()) {
    const cols = db.getTableSchema(t).columns.map((c) => `"${c.name}"`);
    const r = await db.executeSql(`SELECT ${cols.join(', ')}, ${cols.map((c) => `typeof(${c})`).join(', ')} FROM "${t}" ORDER BY ${cols.map((_, i) => i + 1).join(', ')}`);
    out[t] = r.rows;
  }
  return out;
}

async function dumpText(db: Database): Promise<string> {
  let text = '';
  await dumpDatabase(db, (chunk) => {
    text += chunk;
  });
  return text;
}

describe('dumpDatabase', () => {
  it('round-trips tables, tricky values, indexes and views through plain exec and through importScript', async () => {
    const db = await Database.open(':memory:');
    await db.exec(SCHEMA + ROWS);
    const text = await dumpText(db);
    expect(text.indexOf('CREATE TABLE "authors"')).toBeLessThan(text.indexOf('CREATE TABLE "things"'));
    expect(text.indexOf('INSERT INTO "authors"')).toBeLessThan(text.indexOf('INSERT INTO "things"'));
    expect(text.indexOf('CREATE VIEW "v1"')).toBeLessThan(text.indexOf('CREATE VIEW "v2"'));
    const before = await contents(db);
    expect(before.things).toHaveLength(5);

    for (const load of ['exec', 'importScript'] as const) {
      const copy = await Database.open(':memory:');
      if (load === 'exec') await copy.exec(text);
      else expect((await importScript(copy, text)).skipped).toEqual([]);
      expect(await contents(copy), load).toEqual(before);
      for (const t of db.listTables()) {
        const strip = (o: object) => ({ ...o, id: 0 });
        expect(strip(copy.getTableSchema(t)), `${load}: schema of ${t}`).toEqual(strip(db.getTableSchema(t)));
        expect(copy.listIndexes(t).map(strip), `${load}: indexes of ${t}`).toEqual(db.listIndexes(t).map(strip));
      }
      expect((await copy.executeSql('SELECT n FROM v2')).rows).toEqual([[4]]);
      expect(copy.listObjects().filter((o) => o.kind === 'view')).toEqual(db.listObjects().filter((o) => o.kind === 'view'));
      // AUTOINCREMENT and defaults still work in the copy.
      const added = await copy.executeSql("INSERT INTO authors (name) VALUES ('New') RETURNING id, born, score");
      expect(added.rows).toEqual([[8, '1900-01-01', -1.5]]);
      await expect(copy.executeSql("INSERT INTO authors (name) VALUES ('Ann')")).rejects.toThrow(/UNIQUE/);
      await expect(copy.executeSql('INSERT INTO things (a, b, author) VALUES (9, 9, 99)')).rejects.toThrow(/FOREIGN KEY/);
      await copy.close();
    }
    await db.close();
  });

  it('writes to a stream, and a dump of the copy is the same text', async () => {
    const db = await Database.open(':memory:');
    await db.exec(SCHEMA + ROWS);
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const summary = await dumpDatabase(db, stream);
    stream.end();
    expect(summary).toEqual({ tables: 3, rows: 12, indexes: 2, views: 2 });
    const text = Buffer.concat(chunks).toString('utf8');
    const copy = await Database.open(':memory:');
    await copy.exec(text);
    expect(await dumpText(copy)).toBe(text);
    await copy.close();
    await db.close();
  });

  it('adds self-referencing and cyclic foreign keys after the rows', async () => {
    const db = await Database.open(':memory:');
    await db.exec(`
      CREATE TABLE staff (id INTEGER PRIMARY KEY, boss INTEGER REFERENCES staff(id), team INTEGER);
      CREATE TABLE teams (id INTEGER PRIMARY KEY, lead INTEGER REFERENCES staff(id));
      INSERT INTO staff VALUES (1, NULL, NULL), (2, 1, NULL), (3, 1, NULL);
      INSERT INTO teams VALUES (10, 3);
      ALTER TABLE staff ADD CONSTRAINT staff_team FOREIGN KEY (team) REFERENCES teams(id);
      UPDATE staff SET boss = 3, team = 10 WHERE id = 1;`);
    const text = await dumpText(db);
    expect(text).toMatch(/INSERT INTO "staff"[^]*ALTER TABLE "staff" ADD FOREIGN KEY \("boss"\) REFERENCES "staff"/);
    const copy = await Database.open(':memory:');
    await copy.exec(text, {});
    expect(await contents(copy)).toEqual(await contents(db));
    await expect(copy.executeSql('INSERT INTO staff VALUES (4, 99, NULL)')).rejects.toThrow(/FOREIGN KEY/);
    await expect(copy.executeSql('INSERT INTO staff VALUES (4, 1, 99)')).rejects.toThrow(/FOREIGN KEY/);
    await copy.close();
    await db.close();
  });

  it('round-trips expression indexes and an index on a collection metadata field, which the copy then uses', async () => {
    await using db = await Database.open(':memory:');
    await db.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, payload TEXT, a INTEGER, b INTEGER);
      INSERT INTO users (email, payload, a, b) SELECT 'U' || value || '@x', json_object('kind', 'k' || (value % 7)), value % 5, value FROM generate_series(1, 300);
      CREATE UNIQUE INDEX users_email_ci ON users ((lower(email)));
      CREATE INDEX users_kind ON users ((payload->>'kind')) WHERE a > 1;
      CREATE INDEX users_mixed ON users (a, (b * 2) DESC);
      CREATE COLLECTION docs (dimension = 2);
      INSERT INTO docs (id, embedding, metadata) VALUES ('d1', '[1,0]', '{"category": "tech"}'), ('d2', '[0,1]', '{"category": "art"}');
      CREATE INDEX ON docs (category);`);
    const text = await dumpText(db);
    expect(text).toContain('CREATE UNIQUE INDEX "users_email_ci" ON "users" ((lower(email)))');
    expect(text).toContain('CREATE INDEX "users_kind" ON "users" ((payload->>\'kind\')) WHERE a > 1');
    expect(text).toContain('CREATE INDEX "users_mixed" ON "users" ("a", (b * 2) DESC)');
    expect(text).toContain('CREATE INDEX "docs_category_idx" ON "docs" ((category))');
    for (const load of ['exec', 'importScript'] as const) {
      await using copy = await Database.open(':memory:');
      if (load === 'exec') await copy.exec(text);
      else expect((await importScript(copy, text)).skipped).toEqual([]);
      const strip = (o: object) => ({ ...o, id: 0 });
      for (const t of ['users', 'docs']) expect(copy.listIndexes(t).map(strip), `${load}: indexes of ${t}`).toEqual(db.listIndexes(t).map(strip));
      // The copy's indexes hold entries for the rows and keep their constraints.
      await expect(copy.executeSql("INSERT INTO users (email) VALUES ('u7@X')")).rejects.toThrow(/UNIQUE constraint failed: index 'users_email_ci'/);
      const plan = async (sql: string) => (await copy.executeSql(`EXPLAIN ${sql}`)).rows.map((r) => r[0]).join('\n');
      expect(await plan("SELECT id FROM users WHERE lower(email) = 'u7@x'")).toMatch(/USING users_email_ci/);
      expect((await copy.executeSql("SELECT id FROM users WHERE lower(email) = 'u7@x'")).rows).toEqual([[7]]);
      expect((await copy.executeSql("SELECT id FROM docs WHERE category = 'tech'")).rows).toEqual([['d1']]);
      expect(await dumpText(copy)).toBe(text);
    }
  });

  it('writes literals that read back as the same value and class', () => {
    expect(literal(null)).toBe('NULL');
    expect(literal(1.0, 'real')).toBe('1.0');
    expect(literal(1, 'integer')).toBe('1');
    expect(literal(0.1)).toBe('0.1');
    expect(literal(1e300)).toBe('1e+300');
    expect(literal(-(2n ** 63n))).toBe('(-9223372036854775807 - 1)');
    expect(literal("it's")).toBe("'it''s'");
    expect(literal(Uint8Array.of(0, 255))).toBe("X'00ff'");
  });

  it('round-trips integers past 2^53 bound as JS numbers (they are stored as the bigints their literals parse to)', async () => {
    const db = await Database.open(':memory:');
    const copy = await Database.open(':memory:');
    await db.exec('CREATE TABLE p (id INTEGER PRIMARY KEY, v)');
    for (const [i, v] of [-(2 ** 53), 2 ** 53, 2 ** 60, 2 ** 53 - 1, 1.5].entries()) await db.executeSql('INSERT INTO p VALUES (?, ?)', [i, v]);
    await importScript(copy, await dumpText(db));
    const q = 'SELECT v, typeof(v) FROM p ORDER BY id';
    expect((await copy.executeSql(q)).rows).toEqual((await db.executeSql(q)).rows);
    expect((await db.executeSql(q)).rows[0]).toEqual([-(2n ** 53n), 'integer']);
    await db.close();
    await copy.close();
  });

  it('round-trips random rows of a fixed schema (property)', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', "'", '"', '\\', '\n', '\t', 'é', '☃', '😀', ';', '-', '/', '*', ' '), maxLength: 12 });
    const value = fc.oneof(
      fc.constant(null),
      fc.double({ noNaN: true }),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      fc.integer(),
      text,
      fc.uint8Array({ maxLength: 8 }),
    );
    const row = fc.record({ t: fc.option(text), r: fc.option(fc.double({ noNaN: true })), i: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })), b: fc.option(fc.uint8Array({ maxLength: 8 })), v: value });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 25 }), async (rows) => {
        const db = await Database.open(':memory:');
        const copy = await Database.open(':memory:');
        try {
          await db.exec('CREATE TABLE p (id INTEGER PRIMARY KEY, t TEXT, r REAL, i INTEGER, b BLOB, v)');
          for (const [k, r] of rows.entries()) await db.executeSql('INSERT INTO p VALUES (?, ?, ?, ?, ?, ?)', [k, r.t, r.r, r.i, r.b, r.v]);
          await importScript(copy, await dumpText(db));
          const [a, b] = [await contents(db), await contents(copy)];
          expect(b).toEqual(a);
        } finally {
          await db.close();
          await copy.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});

// The planner's use of expression indexes, checked on EXPLAIN output: which comparisons and orders an index answers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.exec(`
    CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, a INTEGER, b INTEGER, nick TEXT COLLATE NOCASE);
    CREATE INDEX users_lower ON users ((lower(email)));
    CREATE INDEX users_a_b2 ON users (a, (b * 2));
    CREATE INDEX users_nick ON users (nick);
    CREATE TABLE events (id INTEGER PRIMARY KEY, payload TEXT);
    CREATE INDEX events_kind ON events ((payload->>'kind'));
    INSERT INTO users (email, a, b, nick) SELECT 'User' || value || '@X.com', value % 10, value, 'n' || value FROM generate_series(1, 2000);
    INSERT INTO events (payload) SELECT json_object('kind', 'k' || (value % 50)) FROM generate_series(1, 2000);
    ANALYZE;
  `);
});
afterAll(async () => {
  await db.close();
});

const explain = async (sql: string) => (await db.executeSql(`EXPLAIN ${sql}`)).rows.map((r) => String(r[0]).replace(/ \(rows=.*\)$/, '')).join('\n');

describe('expression indexes in plans', () => {
  it('answer =, BETWEEN, IN and two-sided ranges on the same expression', async () => {
    expect(await explain("SELECT id FROM users WHERE lower(email) = 'user7@x.com'")).toBe(
      ['Project id', "  -> Filter (lower(email) = 'user7@x.com')", "    -> IndexScan users USING users_lower WHERE key = ('user7@x.com')"].join('\n'),
    );
    expect(await explain("SELECT id FROM users WHERE lower(email) BETWEEN 'user1' AND 'user2'")).toMatch(/IndexScan users USING users_lower WHERE key >= 'user1' AND <= 'user2'/);
    expect(await explain("SELECT id FROM users WHERE lower(email) > 'user1' AND lower(email) < 'user2'")).toMatch(/IndexScan users USING users_lower WHERE key > 'user1' AND < 'user2'/);
    expect(await explain("SELECT id FROM users WHERE lower(email) IN ('a', 'b')")).toMatch(/IndexScan users USING users_lower WHERE key IN \(\('a'\), \('b'\)\)/);
    expect(await explain("SELECT id FROM events WHERE payload ->> 'kind' = 'k3'")).toMatch(/IndexScan events USING events_kind WHERE key = \('k3'\)/);
    // A parameter is a constant of the scan.
    expect(await explain('SELECT id FROM users WHERE lower(email) = ?')).toMatch(/IndexScan users USING users_lower WHERE key = \(\$1\)/);
  });

  it('match the expression after normalization: operands of commutative operators, constant folding', async () => {
    expect(await explain('SELECT id FROM users WHERE a = 3 AND 2 * b = 40')).toMatch(/IndexScan users USING users_a_b2 WHERE key = \(3, 40\)/);
    expect(await explain('SELECT id FROM users WHERE a = 3 AND b * (1 + 1) BETWEEN 10 AND 20')).toMatch(/IndexScan users USING users_a_b2 WHERE key = \(3\) AND >= 10 AND <= 20/);
  });

  it('are not used for a different expression, or where the comparison converts or collates', async () => {
    expect(await explain("SELECT id FROM users WHERE upper(email) = 'X'")).not.toMatch(/users_lower/);
    expect(await explain('SELECT id FROM users WHERE a = 3 AND b * 3 = 40')).toMatch(/IndexScan users USING users_a_b2 WHERE key = \(3\)$/m);
    // A typed value would convert the indexed value before comparing: the lookup could miss rows.
    expect(await explain('SELECT id FROM users WHERE lower(email) = CAST(? AS TEXT)')).not.toMatch(/users_lower/);
    expect(await explain("SELECT id FROM users WHERE lower(email) = 'x' COLLATE NOCASE")).not.toMatch(/users_lower/);
  });

  it('give ORDER BY … LIMIT its order, forwards or backwards, after an equality prefix', async () => {
    expect(await explain('SELECT id FROM users ORDER BY lower(email) LIMIT 5')).toBe(
      ['Project id', '  -> Project id', '    -> Limit 5', '      -> IndexScan users USING users_lower'].join('\n'),
    );
    expect(await explain('SELECT id FROM users ORDER BY lower(email) DESC LIMIT 5 OFFSET 2')).toMatch(/Limit 5 OFFSET 2\n\s+-> IndexScan users USING users_lower REVERSE/);
    expect(await explain('SELECT id FROM users WHERE a = 4 ORDER BY b * 2 DESC LIMIT 3')).toMatch(/Limit 3\n\s+-> Filter \(a = 4\)\n\s+-> IndexScan users USING users_a_b2 WHERE key = \(4\) REVERSE/);
    // Orders an index does not hold: NULLs where the index does not keep them, another expression.
    expect(await explain('SELECT id FROM users ORDER BY lower(email) NULLS LAST LIMIT 5')).toMatch(/TopN 5/);
    expect(await explain('SELECT id FROM users ORDER BY upper(email) LIMIT 5')).toMatch(/TopN 5/);
  });

  it('return the rows a full scan returns, in the same order', async () => {
    const q = async (sql: string) => (await db.executeSql(sql)).rows;
    // `|| ''` and `+ 0` make expressions no index holds: the same query by a full scan and a sort.
    expect(await explain("SELECT id FROM users ORDER BY lower(email) || '' DESC LIMIT 4")).toMatch(/TopN/);
    expect(await q('SELECT id FROM users ORDER BY lower(email) DESC LIMIT 4')).toEqual(await q("SELECT id FROM users ORDER BY lower(email) || '' DESC LIMIT 4"));
    expect(await q('SELECT id FROM users ORDER BY lower(email) DESC LIMIT 4')).toEqual([[9], [99], [999], [998]]);
    expect(await q('SELECT id FROM users WHERE a = 4 ORDER BY b * 2 DESC LIMIT 3')).toEqual([[1994], [1984], [1974]]);
    expect(await q('SELECT id FROM users WHERE a = 4 ORDER BY b * 2 LIMIT 3 OFFSET 1')).toEqual(await q('SELECT id FROM users WHERE a + 0 = 4 ORDER BY b * 2 + 0 LIMIT 3 OFFSET 1'));
    expect(await q("SELECT count(*) FROM users WHERE lower(email) IN ('user5@x.com', 'user6@x.com', 'user5@x.com')")).toEqual([[2]]);
    expect(await q("SELECT count(*) FROM events WHERE payload ->> 'kind' = 'k3'")).toEqual([[40]]);
  });
});

describe('index lookups and collations (regression)', () => {
  it("a comparison under a collation does not become a binary key lookup (x = 'A' COLLATE NOCASE finds 'a')", async () => {
    await using d = await Database.open(':memory:');
    await d.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT); CREATE INDEX t_s ON t (s);
      INSERT INTO t (s) SELECT 'v' || value FROM generate_series(1, 500); INSERT INTO t (s) VALUES ('abc'); ANALYZE;`);
    expect((await d.executeSql("EXPLAIN SELECT id FROM t WHERE s = 'v1'")).rows.map((r) => r[0]).join('\n')).toMatch(/IndexScan t USING t_s/);
    expect((await d.executeSql("SELECT s FROM t WHERE s = 'ABC' COLLATE NOCASE")).rows).toEqual([['abc']]);
  });
});

describe('partial indexes and function names (regression)', () => {
  it('an index WHERE ltrim(a) = … does not answer a query WHERE rtrim(a) = …', async () => {
    await using d = await Database.open(':memory:');
    await d.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, g INTEGER);
      CREATE INDEX t_g_ltrim ON t (g) WHERE ltrim(a) = 'x';
      INSERT INTO t (a, g) SELECT CASE value % 3 WHEN 0 THEN 'x' WHEN 1 THEN '  x' ELSE 'x  ' END, value % 10 FROM generate_series(1, 1000);
      ANALYZE;`);
    const plan = async (sql: string) => (await d.executeSql(`EXPLAIN ${sql}`)).rows.map((r) => r[0]).join('\n');
    expect(await plan("SELECT id FROM t WHERE ltrim(a) = 'x' AND g = 3")).toMatch(/USING t_g_ltrim/);
    expect(await plan("SELECT id FROM t WHERE rtrim(a) = 'x' AND g = 3")).not.toMatch(/t_g_ltrim/);
    const expected = Array.from({ length: 1000 }, (_, i) => i + 1).filter((v) => v % 10 === 3 && v % 3 !== 1).length;
    expect((await d.executeSql("SELECT count(*) FROM t WHERE rtrim(a) = 'x' AND g = 3")).rows).toEqual([[expected]]);
  });
});

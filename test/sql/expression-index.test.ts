// Expression indexes (CREATE INDEX … ((expr))): definition, upkeep on every write, uniqueness, errors, persistence.

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ConstraintError, Database, QueryBindError } from '../../src/index.js';
import { indexDdl } from '../../src/repl/schema-text.js';
import { cleanupTempDirs, tempDir } from '../helpers.js';

afterAll(() => cleanupTempDirs());

const rowsOf = async (db: Database, sql: string, params?: unknown[]) => (await db.executeSql(sql, params as never)).rows;
const planOf = async (db: Database, sql: string) => (await db.executeSql(`EXPLAIN ${sql}`)).rows.map((r) => String(r[0])).join('\n');

/** A query's rows, after checking that the plan reads them through `index`. */
async function viaIndex(db: Database, sql: string, index: string): Promise<unknown[][]> {
  expect(await planOf(db, sql)).toContain(`USING ${index}`);
  return rowsOf(db, sql);
}

describe('expression indexes', () => {
  it('are stored with their SQL text and listed, shown and dropped like column indexes', async () => {
    await using db = await Database.open(':memory:');
    await db.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, a INTEGER, b INTEGER);
      CREATE INDEX users_lower ON users ((lower(email)));
      CREATE INDEX mixed ON users (a, (b * 2) DESC);
      CREATE INDEX ON users ((upper(email)));
      CREATE INDEX ON users ((upper(email)));`);
    const ix = Object.fromEntries(db.listIndexes('users').map((i) => [i.name, i.columns]));
    expect(ix.users_lower).toEqual([{ exprSql: 'lower(email)', desc: false }]);
    expect(ix.mixed).toEqual([{ column: 2, desc: false }, { exprSql: 'b * 2', desc: true }]);
    // Unnamed expression indexes get the function's name, numbered when it is taken.
    expect(Object.keys(ix).sort()).toEqual(['mixed', 'users_lower', 'users_upper_idx', 'users_upper_idx1']);
    // The shell's .schema / .indexes text.
    const users = db.getTableSchema('users');
    const ddl = db.listIndexes('users').map((i) => indexDdl(i, users));
    expect(ddl).toContain('CREATE INDEX users_lower ON users ((lower(email)));');
    expect(ddl).toContain('CREATE INDEX mixed ON users (a, (b * 2) DESC);');
    await db.executeSql('DROP INDEX users_upper_idx1');
    expect(db.listIndexes('users').map((i) => i.name)).not.toContain('users_upper_idx1');
  });

  it('are maintained by INSERT, UPDATE and DELETE, and a ROLLBACK takes the entries back', async () => {
    await using db = await Database.open(':memory:');
    await db.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
      INSERT INTO users (id, email) VALUES (1, 'Ann@X.com'), (2, 'bob@x.com');
      INSERT INTO users (email) SELECT 'filler' || value || '@x.com' FROM generate_series(1, 300);
      CREATE INDEX users_lower ON users ((lower(email)));`);
    const find = (v: string) => viaIndex(db, `SELECT email FROM users WHERE lower(email) = '${v}'`, 'users_lower');
    expect(await find('ann@x.com')).toEqual([['Ann@X.com']]);
    await db.executeSql("INSERT INTO users (id, email) VALUES (1000, 'CAROL@x.com')");
    expect(await find('carol@x.com')).toEqual([['CAROL@x.com']]);
    await db.executeSql("UPDATE users SET email = 'Anna@X.com' WHERE id = 1");
    expect(await find('ann@x.com')).toEqual([]);
    expect(await find('anna@x.com')).toEqual([['Anna@X.com']]);
    // A range over the old and the new value: an entry left behind would find the row twice.
    const range = () => viaIndex(db, "SELECT email FROM users WHERE lower(email) BETWEEN 'a' AND 'c'", 'users_lower');
    expect(await range()).toEqual([['Anna@X.com'], ['bob@x.com']]);
    await db.executeSql('DELETE FROM users WHERE id = 2');
    expect(await find('bob@x.com')).toEqual([]);
    await db.executeSql("UPDATE users SET email = 'bert@x.com' WHERE id = 1");
    expect(await range()).toEqual([['bert@x.com']]);
    await db.executeSql("UPDATE users SET email = 'Anna@X.com' WHERE id = 1");
    await db.executeSql('BEGIN');
    await db.executeSql("INSERT INTO users (email) VALUES ('dave@x.com')");
    await db.executeSql("UPDATE users SET email = 'ZED@x.com' WHERE id = 1000");
    await db.executeSql("DELETE FROM users WHERE email = 'Anna@X.com'");
    // Inside the transaction the index shows its own writes.
    expect(await find('dave@x.com')).toEqual([['dave@x.com']]);
    expect(await find('zed@x.com')).toEqual([['ZED@x.com']]);
    expect(await find('carol@x.com')).toEqual([]);
    expect(await find('anna@x.com')).toEqual([]);
    await db.executeSql('ROLLBACK');
    expect(await find('dave@x.com')).toEqual([]);
    expect(await find('zed@x.com')).toEqual([]);
    expect(await find('carol@x.com')).toEqual([['CAROL@x.com']]);
    expect(await find('anna@x.com')).toEqual([['Anna@X.com']]);
  });

  it('UNIQUE refuses two rows with the same value of the expression, at CREATE INDEX and on writes', async () => {
    await using db = await Database.open(':memory:');
    await db.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
      INSERT INTO users (email) VALUES ('a@x.com'), ('A@X.COM'), (NULL), (NULL);`);
    const dup = await db.executeSql('CREATE UNIQUE INDEX email_ci ON users ((lower(email)))').catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ConstraintError);
    expect((dup as Error).message).toBe("UNIQUE constraint failed: index 'email_ci'");
    await db.executeSql('DELETE FROM users WHERE id = 2');
    // NULLs are distinct, as in a column index.
    await db.executeSql('CREATE UNIQUE INDEX email_ci ON users ((lower(email)))');
    await expect(db.executeSql("INSERT INTO users (email) VALUES ('A@x.com')")).rejects.toThrow(/UNIQUE constraint failed: index 'email_ci'/);
    await expect(db.executeSql("UPDATE users SET email = 'a@X.com' WHERE id = 3")).rejects.toThrow(ConstraintError);
    await db.executeSql("INSERT INTO users (email) VALUES ('b@x.com'), (NULL)");
    // An update that keeps the value, and upserts that resolve on the expression.
    await db.executeSql("UPDATE users SET email = 'B@x.com' WHERE email = 'b@x.com'");
    await db.executeSql("INSERT OR IGNORE INTO users (email) VALUES ('b@X.COM')");
    await db.executeSql("INSERT OR REPLACE INTO users (id, email) VALUES (99, 'A@x.COM')");
    expect(await rowsOf(db, 'SELECT email FROM users WHERE email IS NOT NULL ORDER BY email')).toEqual([['A@x.COM'], ['B@x.com']]);
    expect(await rowsOf(db, "SELECT id FROM users WHERE email = 'A@x.COM'")).toEqual([[99]]);
  });

  it('mixed and JSON-path items answer the queries that compare the same expressions', async () => {
    await using db = await Database.open(':memory:');
    await db.exec(`CREATE TABLE events (id INTEGER PRIMARY KEY, payload TEXT, a INTEGER, b INTEGER);
      CREATE INDEX by_kind ON events ((payload->>'kind'));
      CREATE INDEX by_a_b2 ON events (a, (b * 2));`);
    const values = Array.from({ length: 300 }, (_, i) => `('${JSON.stringify({ kind: ['click', 'view', 'buy'][i % 3], n: i })}', ${i % 5}, ${i})`).join(', ');
    await db.executeSql(`INSERT INTO events (payload, a, b) VALUES ${values}`);
    expect(await viaIndex(db, "SELECT count(*) FROM events WHERE payload->>'kind' = 'buy'", 'by_kind')).toEqual([[100]]);
    expect(await viaIndex(db, "SELECT count(*) FROM events WHERE payload ->> 'kind' IN ('buy', 'view')", 'by_kind')).toEqual([[200]]);
    expect(await viaIndex(db, 'SELECT b FROM events WHERE a = 2 AND b * 2 BETWEEN 10 AND 40 ORDER BY b', 'by_a_b2')).toEqual([[7], [12], [17]]);
    // The same expression written the other way round.
    expect(await viaIndex(db, 'SELECT b FROM events WHERE a = 2 AND 2 * b < 20 ORDER BY b', 'by_a_b2')).toEqual([[2], [7]]);
  });

  it('are rebuilt from their SQL text after a reopen', async () => {
    const dir = tempDir('expr-index');
    {
      await using db = await Database.open(dir);
      await db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT); INSERT INTO t (s) VALUES ('Hello'), ('World'); INSERT INTO t (s) SELECT 'x' || value FROM generate_series(1, 200); CREATE UNIQUE INDEX t_lower ON t ((lower(s)));");
    }
    await using db = await Database.open(dir);
    expect(await viaIndex(db, "SELECT s FROM t WHERE lower(s) = 'world'", 't_lower')).toEqual([['World']]);
    await expect(db.executeSql("INSERT INTO t (s) VALUES ('HELLO')")).rejects.toThrow(/UNIQUE/);
    await db.executeSql("INSERT INTO t (s) VALUES ('Again')");
    expect(await viaIndex(db, "SELECT s FROM t WHERE lower(s) = 'again'", 't_lower')).toEqual([['Again']]);
  });

  it('refuse what an index cannot hold, with a bind error at the expression', async () => {
    await using db = await Database.open(':memory:');
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, n INTEGER)');
    const cases: [string, RegExp][] = [
      ['CREATE INDEX i ON t ((random()))', /non-deterministic function random\(\)/],
      ['CREATE INDEX i ON t ((n + now()))', /non-deterministic function now\(\)/],
      ['CREATE INDEX i ON t ((current_timestamp))', /CURRENT_TIMESTAMP is not allowed in an index expression/],
      ['CREATE INDEX i ON t (((SELECT max(n) FROM t)))', /subqueries are not allowed in an index expression/],
      ['CREATE INDEX i ON t ((sum(n)))', /aggregate functions are not allowed in an index expression/],
      ['CREATE INDEX i ON t ((n + ?))', /parameters are not allowed in an index expression/],
      ['CREATE INDEX i ON t ((lower(nope)))', /no such column: nope/],
      ['CREATE INDEX i ON t ((s COLLATE NOCASE))', /COLLATE on an index item is not supported/],
    ];
    for (const [sql, message] of cases) {
      const e = await db.executeSql(sql).catch((x: unknown) => x);
      expect(e, sql).toBeInstanceOf(QueryBindError);
      expect((e as Error).message, sql).toMatch(message);
      // The caret points into the index item, not at the start of the statement.
      expect((e as QueryBindError).position?.column, sql).toBeGreaterThan(sql.indexOf('((') + 1);
    }
    expect(db.listIndexes('t')).toEqual([]);
  });

  it('keep ALTER TABLE from leaving their SQL text behind', async () => {
    await using db = await Database.open(':memory:');
    await db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, s TEXT, z INTEGER); CREATE INDEX t_lower ON t ((lower(s))); INSERT INTO t (a, s) VALUES ('x', 'Q'); INSERT INTO t (s) SELECT 'x' || value FROM generate_series(1, 200);");
    await expect(db.executeSql('ALTER TABLE t DROP COLUMN s')).rejects.toThrow(/indexed/);
    await expect(db.executeSql('ALTER TABLE t RENAME COLUMN s TO s2')).rejects.toThrow(/index t_lower reads it/);
    // Dropping a column before it moves the column; the expression binds to its new position.
    await db.executeSql('ALTER TABLE t DROP COLUMN a');
    await db.executeSql('ALTER TABLE t RENAME TO u');
    expect(await viaIndex(db, "SELECT id FROM u WHERE lower(s) = 'q'", 't_lower')).toEqual([[1]]);
    await db.executeSql("INSERT INTO u (id, s) VALUES (500, 'R')");
    expect(await viaIndex(db, "SELECT id FROM u WHERE lower(s) = 'r'", 't_lower')).toEqual([[500]]);
  });
});

/** Random rows and predicates: every query through an expression index agrees with a full scan. */
describe('expression index results equal a full scan', () => {
  const text = fc.oneof(fc.constantFrom('a', 'A', 'ab', 'AB', 'b', 'Ba', '', '10', '9'), fc.string({ maxLength: 3 }));
  const value = fc.oneof(fc.integer({ min: -5, max: 5 }), text, fc.constant(null), fc.double({ min: -3, max: 3, noNaN: true }));
  const row = fc.record({ s: fc.oneof(text, fc.constant(null)), n: value });
  const lit = (v: unknown) => (v === null ? 'NULL' : typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v));
  // [indexed expression, a value generator for comparisons]
  const exprs = ['lower(s)', 'n * 2', "coalesce(n, 0) + 1", "s || 'x'"] as const;
  const predicate = fc.tuple(fc.constantFrom(...exprs), fc.constantFrom('=', '<', '<=', '>', '>=', 'BETWEEN', 'IN'), value, value).map(([e, op, v, w]) =>
    op === 'BETWEEN' ? `${e} BETWEEN ${lit(v)} AND ${lit(w)}` : op === 'IN' ? `${e} IN (${lit(v)}, ${lit(w)})` : `${e} ${op} ${lit(v)}`,
  );

  it('for random rows, predicates and ORDER BY … LIMIT, with writes in between', async () => {
    await using db = await Database.open(':memory:');
    // Rows that stay (f = 1) make the tables big enough for the planner to reach for the indexes.
    await db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, n, f INTEGER);
      CREATE TABLE plain (id INTEGER PRIMARY KEY, s TEXT, n, f INTEGER);
      ${exprs.map((e, i) => `CREATE INDEX t_e${i} ON t ((${e}));`).join('\n')}
      CREATE INDEX t_mixed ON t (s, (n * 2));
      INSERT INTO t (s, n, f) SELECT 'f' || value, value, 1 FROM generate_series(1, 300);
      INSERT INTO plain SELECT * FROM t;`);
    let used = 0;
    let ordered = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), fc.array(predicate, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 5 }), async (rows, preds, limit) => {
        await db.exec('DELETE FROM t WHERE f IS NULL; DELETE FROM plain WHERE f IS NULL;');
        for (const table of ['t', 'plain']) {
          await db.executeSql(`INSERT INTO ${table} (s, n) VALUES ${rows.map((r) => `(${lit(r.s)}, ${lit(r.n)})`).join(', ')}`);
        }
        // Some rows change and some go, so entries are maintained, not only built.
        for (const table of ['t', 'plain']) {
          await db.executeSql(`UPDATE ${table} SET s = upper(s) WHERE f IS NULL AND id % 3 = 0`);
          await db.executeSql(`DELETE FROM ${table} WHERE f IS NULL AND id % 4 = 0`);
        }
        for (const p of preds) {
          const q = (table: string) => `SELECT id FROM ${table} WHERE ${p} ORDER BY id`;
          if ((await planOf(db, q('t'))).includes('IndexScan')) used++;
          expect(await rowsOf(db, q('t')), p).toEqual(await rowsOf(db, q('plain')));
        }
        // ORDER BY the expression, ties broken by id, so that both orders are total.
        for (const e of exprs) {
          for (const dir of ['', ' DESC']) {
            const q = (table: string) => `SELECT ${e} FROM ${table} ORDER BY ${e}${dir} LIMIT ${limit}`;
            if ((await planOf(db, q('t'))).includes('IndexScan')) ordered++;
            expect(await rowsOf(db, q('t')), q('t')).toEqual(await rowsOf(db, q('plain')));
          }
        }
      }),
      { numRuns: 60, seed: 20240607 },
    );
    // The comparison is only worth something if the indexes answered many of the queries
    // (one-sided ranges cost about a full scan and stay one) and every ORDER BY … LIMIT.
    expect(used).toBeGreaterThan(60);
    expect(ordered).toBe(60 * exprs.length * 2);
  });
});

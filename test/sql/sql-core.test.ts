// The SQL core through db.executeSql: DDL, DML, constraints, upserts in every dialect, transactions.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConstraintError, Database, QueryBindError, QuerySyntaxError, TransactionConflictError } from '../../src/index.js';

let db: Database;
beforeEach(async () => {
  db = await Database.open(':memory:');
  await db.exec(`
    CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE, age INTEGER CHECK (age >= 0), created_at TEXT DEFAULT CURRENT_TIMESTAMP);
    CREATE TABLE posts (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER REFERENCES users(id) ON DELETE CASCADE, title TEXT NOT NULL, likes INTEGER DEFAULT 0);
    INSERT INTO users (name, email, age) VALUES ('Alice', 'alice@x', 30), ('Bob', 'bob@x', 25), ('Carol', NULL, 41);
    INSERT INTO posts (user_id, title) VALUES (1, 'hello'), (1, 'again'), (2, 'bob here');
  `);
});
afterEach(async () => {
  await db.close();
});

const rows = async (sql: string, params?: unknown[] | Record<string, unknown>) => (await db.executeSql(sql, params)).rows;

describe('queries', () => {
  it('selects with filters, joins, grouping, ordering and limits', async () => {
    expect(await rows('SELECT name FROM users WHERE age > ? ORDER BY age DESC', [26])).toEqual([['Carol'], ['Alice']]);
    expect(await rows('SELECT u.name, count(p.id) AS n FROM users u LEFT JOIN posts p ON p.user_id = u.id GROUP BY u.name HAVING n >= 0 ORDER BY n DESC, u.name LIMIT 2')).toEqual([
      ['Alice', 2],
      ['Bob', 1],
    ]);
    expect(await rows('SELECT name FROM users WHERE id IN (SELECT user_id FROM posts) ORDER BY 1')).toEqual([['Alice'], ['Bob']]);
    expect(await rows('SELECT name, (SELECT count(*) FROM posts p WHERE p.user_id = u.id) FROM users u ORDER BY name')).toEqual([
      ['Alice', 2],
      ['Bob', 1],
      ['Carol', 0],
    ]);
    expect(await rows('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10) SELECT sum(x) FROM c')).toEqual([[55]]);
    expect(await rows('SELECT name, rank() OVER (ORDER BY age DESC) FROM users ORDER BY name')).toEqual([
      ['Alice', 2],
      ['Bob', 3],
      ['Carol', 1],
    ]);
    expect(await rows('SELECT name FROM users UNION SELECT title FROM posts ORDER BY 1 LIMIT 3 OFFSET 1')).toEqual([['Bob'], ['Carol'], ['again']]);
  });

  it('reports column names and types', async () => {
    const r = await db.executeSql('SELECT id, name AS who, age * 1.5 FROM users LIMIT 1');
    expect(r.columns).toEqual(['id', 'who', 'age * 1.5']);
    expect(r.columnTypes).toEqual(['integer', 'text', 'real']);
    expect(r.toJSON().rows).toEqual([{ id: 1, who: 'Alice', 'age * 1.5': 45 }]);
    expect(r.toToon()).toBe('rows[1]{id,who,"age * 1.5"}:\n  1,Alice,45');
  });

  it('never reuses an AUTOINCREMENT key, even one given explicitly and deleted; plain rowids may be reused', async () => {
    await db.exec(`
      CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
      CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT);
      INSERT INTO a VALUES (1, 'x'), (2, 'y'), (3, 'z');
      INSERT INTO b VALUES (1, 'x'), (2, 'y'), (3, 'z');
      DELETE FROM a WHERE id = 3;
      DELETE FROM b WHERE id = 3;
    `);
    expect(await rows("INSERT INTO a (v) VALUES ('w') RETURNING id")).toEqual([[4]]);
    expect(await rows("INSERT INTO b (v) VALUES ('w') RETURNING id")).toEqual([[3]]);
  });

  it('binds named parameters in every style', async () => {
    expect(await rows('SELECT name FROM users WHERE name = :n OR email = $e OR age = @a', { n: 'Bob', e: 'alice@x', a: 41 })).toHaveLength(3);
  });
});

describe('constraints', () => {
  it('enforces NOT NULL, UNIQUE, CHECK, PRIMARY KEY and FOREIGN KEY, changing nothing on failure', async () => {
    await expect(db.executeSql("INSERT INTO users (name) VALUES (NULL)")).rejects.toThrow('NOT NULL constraint failed: users.name');
    await expect(db.executeSql("INSERT INTO users (name, email) VALUES ('X', 'alice@x')")).rejects.toThrow('UNIQUE constraint failed: users.email');
    await expect(db.executeSql("INSERT INTO users (name, age) VALUES ('X', -1)")).rejects.toBeInstanceOf(ConstraintError);
    await expect(db.executeSql("INSERT INTO users (id, name) VALUES (1, 'X')")).rejects.toThrow('UNIQUE constraint failed: users.id');
    await expect(db.executeSql("INSERT INTO posts (user_id, title) VALUES (99, 'x')")).rejects.toThrow(/FOREIGN KEY/);
    // A multi-row insert that fails on its last row inserts none of them.
    await expect(db.executeSql("INSERT INTO users (name, email) VALUES ('Y', 'y@x'), ('Z', 'alice@x')")).rejects.toBeInstanceOf(ConstraintError);
    expect(await rows("SELECT count(*) FROM users")).toEqual([[3]]);
  });

  it('cascades deletes and rejects updates that would orphan rows', async () => {
    await db.executeSql('DELETE FROM users WHERE id = 1');
    expect(await rows('SELECT count(*) FROM posts')).toEqual([[1]]);
  });

  it('fills defaults and hands out increasing ids', async () => {
    const r = await db.executeSql("INSERT INTO posts (user_id, title) VALUES (2, 'x') RETURNING id, likes");
    expect(r.rows).toEqual([[4, 0]]);
    expect(r.lastInsertId).toBe(4);
    expect((await rows("SELECT created_at FROM users WHERE id = 1"))[0]![0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });
});

describe('upserts in each dialect', () => {
  it('ON CONFLICT DO NOTHING and DO UPDATE with excluded and WHERE (Postgres, SQLite)', async () => {
    await db.executeSql("INSERT INTO users (id, name) VALUES (1, 'Nope') ON CONFLICT (id) DO NOTHING");
    expect(await rows('SELECT name FROM users WHERE id = 1')).toEqual([['Alice']]);
    await db.executeSql("INSERT INTO users (id, name, age) VALUES (1, 'Alicia', 31) ON CONFLICT (id) DO UPDATE SET name = excluded.name, age = excluded.age WHERE excluded.age > users.age");
    expect(await rows('SELECT name, age FROM users WHERE id = 1')).toEqual([['Alicia', 31]]);
    await db.executeSql("INSERT INTO users (id, name, age) VALUES (1, 'Old', 5) ON CONFLICT (id) DO UPDATE SET name = excluded.name WHERE excluded.age > users.age");
    expect(await rows('SELECT name FROM users WHERE id = 1')).toEqual([['Alicia']]);
  });

  it('INSERT OR IGNORE, INSERT OR REPLACE and REPLACE INTO (SQLite)', async () => {
    await db.executeSql("INSERT OR IGNORE INTO users (id, name) VALUES (2, 'Nope'), (10, 'Ten')");
    expect(await rows('SELECT name FROM users WHERE id IN (2, 10) ORDER BY id')).toEqual([['Bob'], ['Ten']]);
    await db.executeSql("INSERT OR REPLACE INTO users (id, name, email) VALUES (2, 'Robert', 'bob@x')");
    await db.executeSql("REPLACE INTO users (id, name) VALUES (3, 'Caroline')");
    expect(await rows('SELECT name FROM users WHERE id IN (2, 3) ORDER BY id')).toEqual([['Robert'], ['Caroline']]);
  });

  it('INSERT IGNORE and ON DUPLICATE KEY UPDATE with VALUES() (MySQL)', async () => {
    await db.executeSql("INSERT IGNORE INTO users (id, name) VALUES (1, 'Nope')");
    await db.executeSql("INSERT INTO users (id, name, age) VALUES (2, 'Bobby', 26) ON DUPLICATE KEY UPDATE name = VALUES(name), age = users.age + 1");
    expect(await rows('SELECT name, age FROM users WHERE id IN (1, 2) ORDER BY id')).toEqual([
      ['Alice', 30],
      ['Bobby', 26],
    ]);
  });
});

describe('transactions in SQL', () => {
  it('BEGIN … ROLLBACK undoes, SAVEPOINT … ROLLBACK TO undoes part', async () => {
    await db.executeSql('BEGIN');
    await db.executeSql("INSERT INTO users (name) VALUES ('Temp')");
    await db.executeSql('SAVEPOINT s1');
    await db.executeSql("UPDATE users SET age = 99");
    await db.executeSql('ROLLBACK TO s1');
    await db.executeSql('RELEASE s1');
    expect(await rows("SELECT count(*), max(age) FROM users")).toEqual([[4, 41]]);
    await db.executeSql('ROLLBACK');
    expect(await rows("SELECT count(*) FROM users")).toEqual([[3]]);
  });

  it('a failing statement inside a transaction is undone alone', async () => {
    await db.executeSql('BEGIN');
    await db.executeSql("INSERT INTO users (name) VALUES ('Kept')");
    await expect(db.executeSql("INSERT INTO users (name, email) VALUES ('A', 'a@a'), ('B', 'alice@x')")).rejects.toBeInstanceOf(ConstraintError);
    await db.executeSql('COMMIT');
    expect(await rows("SELECT name FROM users WHERE id > 3")).toEqual([['Kept']]);
  });

  it('txn.executeSql runs inside an API transaction, serializably', async () => {
    const t1 = db.beginTransaction();
    const t2 = db.beginTransaction();
    const n1 = (await t1.executeSql('SELECT count(*) FROM users WHERE age > 20')).rows[0]![0];
    await t2.executeSql("INSERT INTO users (name, age) VALUES ('New', 50)");
    await t1.executeSql(`INSERT INTO users (name, age) VALUES ('Count', ${n1})`);
    await t2.commit();
    await expect(t1.commit()).rejects.toBeInstanceOf(TransactionConflictError);
  });

  it('DDL in a transaction is visible to it and rolls back with it', async () => {
    await db.executeSql('BEGIN; CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);');
    expect(await rows('SELECT x FROM t')).toEqual([[1]]);
    await db.executeSql('ROLLBACK');
    await expect(db.executeSql('SELECT x FROM t')).rejects.toThrow('no such table: t');
  });
});

describe('errors', () => {
  it('syntax errors carry line, column and a caret', async () => {
    const err = (await db.executeSql('SELECT name\nFROM users\nWHERE age >> ;').catch((e: unknown) => e)) as QuerySyntaxError;
    expect(err).toBeInstanceOf(QuerySyntaxError);
    expect(err.position).toMatchObject({ line: 3 });
    expect(err.message).toMatch(/\n3 \| WHERE age >> ;\n +\^/);
  });

  it('unknown names suggest the near one', async () => {
    await expect(db.executeSql('SELECT nmae FROM users')).rejects.toThrow('no such column: nmae (did you mean "name"?)');
    await expect(db.executeSql('SELECT * FROM user')).rejects.toThrow('no such table: user (did you mean "users"?)');
    await expect(db.executeSql('SELECT * FROM users')).resolves.toBeDefined();
    expect(await db.executeSql('SELECT nmae FROM users').catch((e: unknown) => e)).toBeInstanceOf(QueryBindError);
  });
});

describe('EXPLAIN, ANALYZE, prepared statements, catalog', () => {
  it('EXPLAIN shows the chosen plan; ANALYZE changes the choice', async () => {
    const plan = async (sql: string) => (await rows(`EXPLAIN ${sql}`)).map((r) => r[0]).join('\n');
    await db.executeSql('CREATE TABLE big (id INTEGER PRIMARY KEY, grp INTEGER, v TEXT)');
    await db.executeSql('CREATE INDEX big_grp ON big (grp)');
    await db.executeSql('INSERT INTO big (grp, v) SELECT x % 100, x FROM generate_series(1, 5000) AS g(x)');
    await db.executeSql('ANALYZE big');
    expect(await plan('SELECT * FROM big WHERE id = 42')).toMatch(/PkLookup big/);
    expect(await plan('SELECT * FROM big WHERE grp = 7')).toMatch(/IndexScan big USING big_grp/);
    expect(await plan('SELECT * FROM big WHERE v = \'x\'')).toMatch(/SeqScan big/);
    expect(await plan('SELECT * FROM big ORDER BY v LIMIT 3')).toMatch(/TopN 3/);
    const analyzed = (await rows('EXPLAIN ANALYZE SELECT count(*) FROM big WHERE grp = 7')).map((r) => r[0]).join('\n');
    expect(analyzed).toMatch(/actual rows=50/);
    expect(await rows('SELECT count(*) FROM big WHERE grp = 7')).toEqual([[50]]);
  });

  it('prepared statements run many times', async () => {
    const stmt = db.prepare('SELECT name FROM users WHERE id = ?');
    expect(await stmt.get([1])).toEqual({ name: 'Alice' });
    expect(await stmt.all([2])).toEqual([{ name: 'Bob' }]);
    stmt.close();
    await expect(stmt.execute([1])).rejects.toThrow(/closed/);
  });

  it('lists tables, schemas and indexes', async () => {
    expect(db.listTables()).toEqual(['posts', 'users']);
    expect(db.getTableSchema('users').columns.map((c) => c.name)).toEqual(['id', 'name', 'email', 'age', 'created_at']);
    expect(db.listIndexes('users').map((i) => i.unique)).toEqual([true]);
  });

  it('keeps tables and data across reopen', async () => {
    const { tempDir, cleanupTempDirs } = await import('../helpers.js');
    const dir = tempDir('sql');
    {
      await using d = await Database.open(dir);
      await d.exec("CREATE TABLE k (a INTEGER PRIMARY KEY, b TEXT); INSERT INTO k (b) VALUES ('x'), ('y');");
    }
    {
      await using d = await Database.open(dir);
      expect((await d.executeSql('SELECT a, b FROM k ORDER BY a')).rows).toEqual([[1, 'x'], [2, 'y']]);
      await d.executeSql("INSERT INTO k (b) VALUES ('z')");
      expect((await d.executeSql('SELECT max(a) FROM k')).rows).toEqual([[3]]);
    }
    cleanupTempDirs();
  });
});

describe('db.query builder (sugar over one statement)', () => {
  it('filters, orders, limits, counts, sums and groups JSON values under a prefix', async () => {
    const { CompareOp } = await import('../../src/index.js');
    await db.putBatch([
      ['orders/1', JSON.stringify({ status: 'pending', amount: 120, created_at: 3 })],
      ['orders/2', JSON.stringify({ status: 'completed', amount: 80, created_at: 1 })],
      ['orders/3', JSON.stringify({ status: 'pending', amount: 200, created_at: 2 })],
      ['orders/4', JSON.stringify({ status: 'pending', amount: 50, created_at: 4 })],
      ['other/1', JSON.stringify({ status: 'pending', amount: 999 })],
    ]);
    const q = db.query('orders/').where('status', CompareOp.EQ, 'pending').where('amount', CompareOp.GT, 100).orderBy('created_at', { descending: true });
    expect(q.toSql().sql).toMatch(/^SELECT key, value FROM kv_scan\(\?\) WHERE json_extract/);
    expect((await q.execute()).map((r) => r.key)).toEqual(['orders/1', 'orders/3']);
    expect((await q.execute())[0]!.value).toEqual({ status: 'pending', amount: 120, created_at: 3 });
    expect(await db.query('orders/').select(['amount']).orderBy('amount').limit(2).offset(1).execute()).toEqual([
      { key: 'orders/2', amount: 80 },
      { key: 'orders/1', amount: 120 },
    ]);
    expect(await db.query('orders/').where('status', CompareOp.EQ, 'completed').count()).toBe(1);
    expect(await db.query('orders/').sum('amount')).toBe(450);
    expect(await db.query('orders/').select(['status', 'COUNT(*)', 'SUM(amount)']).groupBy('status').orderBy('status').execute()).toEqual([
      { status: 'completed', 'COUNT(*)': 1, 'SUM(amount)': 80 },
      { status: 'pending', 'COUNT(*)': 3, 'SUM(amount)': 370 },
    ]);
    expect(() => db.query('orders/').where('bad field', CompareOp.EQ, 1)).toThrow(/invalid field name/);
  });
});

describe('index policies (seed section 9)', () => {
  it('stores the policy, refuses changes to append-only tables, and keeps every policy correct', async () => {
    expect(db.getTableIndexPolicy('posts')).toBe('balanced');
    await db.setTableIndexPolicy('posts', Database.INDEX_APPEND_ONLY);
    expect(db.getTableIndexPolicy('posts')).toBe('append_only');
    await db.executeSql("INSERT INTO posts (user_id, title) VALUES (2, 'log line')");
    await expect(db.executeSql('DELETE FROM posts')).rejects.toThrow(/append-only/);
    await expect(db.executeSql("UPDATE posts SET title = 'x'")).rejects.toThrow(/append-only/);
    await db.setTableIndexPolicy('users', 'write_optimized');
    await db.executeSql("INSERT INTO users (name) VALUES ('Fast')");
    await expect(db.executeSql("INSERT INTO users (id, name) VALUES (1, 'Dup')")).rejects.toThrow(/UNIQUE/);
    await expect(db.setTableIndexPolicy('users', 'sometimes' as never)).rejects.toThrow(/unknown index policy/);
    expect(await rows('SELECT count(*) FROM posts')).toEqual([[4]]);
  });
});

describe('fresh rowids', () => {
  it('a concurrent insert of an explicit rowid in the fresh range makes one commit fail, never overwrites', async () => {
    const t1 = db.beginTransaction();
    const r = await t1.executeSql("INSERT INTO users (name) VALUES ('auto') RETURNING id");
    const id = r.rows[0]![0] as number;
    await db.executeSql(`INSERT INTO users (id, name) VALUES (${id}, 'explicit')`);
    await expect(t1.commit()).rejects.toBeInstanceOf(TransactionConflictError);
    expect(await rows(`SELECT name FROM users WHERE id = ${id}`)).toEqual([['explicit']]);
  });
});

describe('date arithmetic with intervals', () => {
  it('adds and subtracts INTERVAL values the way Postgres does', async () => {
    expect(await rows("SELECT '2024-01-31' + INTERVAL '1 month', date('2024-03-01') - INTERVAL '1 day', '2024-01-01 10:00:00' + INTERVAL '90 minutes', INTERVAL '2 days' + '2024-01-01'")).toEqual([
      ['2024-02-29', '2024-02-29', '2024-01-01 11:30:00', '2024-01-03'],
    ]);
    expect(await rows("SELECT name FROM users WHERE created_at > CURRENT_TIMESTAMP - INTERVAL '1 hour' ORDER BY id")).toEqual([['Alice'], ['Bob'], ['Carol']]);
  });
});

describe('UPDATE … FROM (Postgres)', () => {
  it('updates target rows from a joined table, once per target row', async () => {
    await db.exec("CREATE TABLE bonus (user_id INTEGER, amount INTEGER); INSERT INTO bonus VALUES (1, 5), (2, 7), (2, 100);");
    const r = await db.executeSql('UPDATE users SET age = users.age + b.amount FROM bonus b WHERE b.user_id = users.id RETURNING id, age');
    expect(r.rowsAffected).toBe(2);
    expect(await rows('SELECT id, age FROM users ORDER BY id')).toEqual([
      [1, 35],
      [2, 32],
      [3, 41],
    ]);
  });
});

describe('ALTER TABLE', () => {
  it('adds, renames and drops columns, keeping data and indexes right', async () => {
    await db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, a TEXT, b INTEGER, c TEXT); CREATE INDEX items_c ON items (c);
      INSERT INTO items (a, b, c) VALUES ('x', 1, 'p'), ('y', 2, 'q');`);
    await db.executeSql('ALTER TABLE items ADD COLUMN d INTEGER DEFAULT 7');
    await db.executeSql('ALTER TABLE items RENAME COLUMN a TO name');
    await db.executeSql('ALTER TABLE items DROP COLUMN b');
    expect(db.getTableSchema('items').columns.map((c) => c.name)).toEqual(['id', 'name', 'c', 'd']);
    expect(await rows("SELECT id, name, c, d FROM items WHERE c = 'q'")).toEqual([[2, 'y', 'q', 7]]);
    await expect(db.executeSql('ALTER TABLE items DROP COLUMN c')).rejects.toThrow(/indexed/);
    await expect(db.executeSql('ALTER TABLE items DROP COLUMN id')).rejects.toThrow(/primary key/);
    await db.executeSql('ALTER TABLE items RENAME TO things');
    expect(await rows('SELECT count(*) FROM things')).toEqual([[2]]);
  });
});

describe('partial indexes', () => {
  it('a unique partial index constrains only the rows its WHERE admits', async () => {
    await db.exec(`CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT, deleted INTEGER DEFAULT 0);
      INSERT INTO accounts (email, deleted) VALUES ('a@x', 1), ('a@x', 1), ('a@x', 0);
      CREATE UNIQUE INDEX active_email ON accounts (email) WHERE deleted = 0;`);
    await expect(db.executeSql("INSERT INTO accounts (email) VALUES ('a@x')")).rejects.toThrow(/UNIQUE/);
    await db.executeSql("INSERT INTO accounts (email, deleted) VALUES ('a@x', 1)");
    await db.executeSql("UPDATE accounts SET deleted = 1 WHERE deleted = 0");
    await db.executeSql("INSERT INTO accounts (email) VALUES ('a@x')");
    expect(await rows('SELECT count(*), sum(deleted) FROM accounts')).toEqual([[5, 4]]);
    await expect(db.executeSql("CREATE UNIQUE INDEX all_email ON accounts (email)")).rejects.toThrow(/UNIQUE/);
  });
});

describe('ALTER TABLE … DROP CONSTRAINT', () => {
  it('drops named UNIQUE, CHECK and FOREIGN KEY constraints', async () => {
    await db.exec(`CREATE TABLE c (id INTEGER PRIMARY KEY, code TEXT, n INTEGER, uid INTEGER,
      CONSTRAINT c_code UNIQUE (code), CONSTRAINT c_pos CHECK (n > 0), CONSTRAINT c_user FOREIGN KEY (uid) REFERENCES users (id));
      INSERT INTO c (code, n, uid) VALUES ('a', 1, 1);`);
    await expect(db.executeSql("INSERT INTO c (code, n) VALUES ('a', 2)")).rejects.toThrow(/UNIQUE/);
    await db.executeSql('ALTER TABLE c DROP CONSTRAINT c_code');
    await db.executeSql("INSERT INTO c (code, n) VALUES ('a', 2)");
    await db.executeSql('ALTER TABLE c DROP CONSTRAINT c_pos');
    await db.executeSql("INSERT INTO c (code, n) VALUES ('b', -5)");
    await db.executeSql('ALTER TABLE c DROP CONSTRAINT c_user');
    await db.executeSql("INSERT INTO c (code, n, uid) VALUES ('z', 1, 999)");
    await expect(db.executeSql('ALTER TABLE c DROP CONSTRAINT nope')).rejects.toThrow(/no such constraint/);
    await db.executeSql('ALTER TABLE c DROP CONSTRAINT IF EXISTS nope');
    expect(await rows('SELECT count(*) FROM c')).toEqual([[4]]);
  });
});

describe('ANALYZE statistics', () => {
  it('survive a reopen, so plans stay informed', async () => {
    const { tempDir, cleanupTempDirs } = await import('../helpers.js');
    const dir = tempDir('stats');
    {
      await using d = await Database.open(dir);
      await d.exec('CREATE TABLE s (id INTEGER PRIMARY KEY, g INTEGER); CREATE INDEX s_g ON s (g);');
      await d.executeSql('INSERT INTO s (g) SELECT value % 500 FROM generate_series(1, 3000)');
      await d.executeSql('ANALYZE s');
    }
    {
      await using d = await Database.open(dir);
      const stats = d.catalog.stats.get(d.getTableSchema('s').id)!;
      expect(stats).toMatchObject({ rowCount: 3000, distinct: [3000, 500], nullFraction: [0, 0] });
      expect(stats.histograms![1]![0]).toBe(0);
      expect(stats.histograms![1]!.at(-1)).toBe(499);
      expect((await d.executeSql('EXPLAIN SELECT * FROM s WHERE g = 5')).rows.map((r) => r[0]).join('\n')).toMatch(/IndexScan s USING s_g/);
    }
    cleanupTempDirs();
  });

  it('count every row of a large table and estimate distinct values from a sample of about 30,000', async () => {
    await using d = await Database.open(':memory:');
    await d.exec('CREATE TABLE s (id INTEGER PRIMARY KEY, g INTEGER, half INTEGER, t TEXT, n INTEGER)');
    // 75,000 rows, sampled at random (about 40%). g has 700 values (a period that every second
    // row would halve), half 37,500 (each twice), t is unique text, n is NULL in all but 10 rows.
    await d.executeSql("INSERT INTO s SELECT value, value % 700, value / 2, 'k' || value, CASE WHEN value % 7500 = 0 THEN value END FROM generate_series(1, 75000)");
    // An UPDATE retires the statistics the inserts kept (table-sketch.ts): ANALYZE samples.
    await d.executeSql('UPDATE s SET n = n WHERE id = 1');
    await d.executeSql('ANALYZE s');
    const stats = d.catalog.stats.get(d.getTableSchema('s').id)!;
    expect(stats.rowCount).toBe(75_000);
    const [id, g, half, t, n] = stats.distinct as number[];
    expect(id).toBe(75_000);
    expect(t).toBe(75_000);
    expect(g).toBe(700);
    expect(half).toBeGreaterThan(37_500 / 2);
    expect(half).toBeLessThan(37_500 * 2);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThanOrEqual(10);
  });
});

describe('selectivity from statistics', () => {
  it('a filter comparing a column with a constant keeps rows / distinct values of it, once ANALYZE counted them', async () => {
    await using d = await Database.open(':memory:');
    await d.exec('CREATE TABLE g (id INTEGER PRIMARY KEY, cat INTEGER, label TEXT)');
    await d.executeSql("INSERT INTO g SELECT value, value % 50, 'l' || value FROM generate_series(1, 1000)");
    const plan = async (sql: string) => (await d.executeSql(`EXPLAIN ${sql}`)).rows.map((r) => String(r[0])).join('\n');
    expect(await plan('SELECT * FROM g WHERE cat = 3')).toMatch(/Filter \(cat = 3\) \(rows=100 /);
    await d.executeSql('ANALYZE g');
    expect(await plan('SELECT * FROM g WHERE cat = 3')).toMatch(/Filter \(cat = 3\) \(rows=20 /);
    expect(await plan('SELECT * FROM g WHERE cat = ?')).toMatch(/rows=20 /);
    expect(await plan('SELECT * FROM g WHERE cat IN (1, 2, 3)')).toMatch(/rows=60 /);
    expect(await plan('SELECT * FROM g WHERE cat NOT IN (1, 2, 3)')).toMatch(/rows=940 /);
    expect(await plan('SELECT * FROM g WHERE cat <> 3')).toMatch(/rows=980 /);
    // A column compared with a column is no constant: the default guess stays.
    expect(await plan('SELECT * FROM g WHERE cat = id')).toMatch(/rows=100 /);
  });

  it('GROUP BY table columns yields the product of their distinct counts, at most the input rows', async () => {
    await using d = await Database.open(':memory:');
    await d.exec('CREATE TABLE g (id INTEGER PRIMARY KEY, cat INTEGER, sub INTEGER)');
    await d.executeSql('INSERT INTO g SELECT value, value % 50, value % 3 FROM generate_series(1, 1000)');
    const plan = async (sql: string) => (await d.executeSql(`EXPLAIN ${sql}`)).rows.map((r) => String(r[0])).join('\n');
    expect(await plan('SELECT cat, count(*) FROM g GROUP BY cat')).toMatch(/HashAggregate BY cat \[count\(\*\)\] \(rows=100 /);
    await d.executeSql('ANALYZE g');
    expect(await plan('SELECT cat, count(*) FROM g GROUP BY cat')).toMatch(/HashAggregate BY cat \[count\(\*\)\] \(rows=50 /);
    expect(await plan('SELECT cat, sub, count(*) FROM g GROUP BY cat, sub')).toMatch(/rows=150 /);
    expect(await plan('SELECT x.cat, count(*) FROM g x JOIN g y ON y.id = x.id GROUP BY x.cat')).toMatch(/Aggregate BY cat \[count\(\*\)\] \(rows=50 /);
    expect(await plan('SELECT id, cat, count(*) FROM g GROUP BY id, cat')).toMatch(/Aggregate BY id, cat \[count\(\*\)\] \(rows=1000 /);
    // A computed key: a tenth of the input.
    expect(await plan('SELECT cat + 1, count(*) FROM g GROUP BY cat + 1')).toMatch(/rows=100 /);
  });

  /** The estimated rows of the plan's top operator. */
  const topRows = async (d: Database, sql: string) => Number(/rows=(\d+)/.exec(String((await d.executeSql(`EXPLAIN ${sql}`)).rows[0]![0]))![1]);

  for (const [how, rows] of [
    ['sampled by a scan', 10_000],
    ['kept by inserts', 80_000],
  ] as const) {
    it(`ranges, BETWEEN and IS NULL follow the columns' histograms and NULL fractions (${how})`, async () => {
      await using d = await Database.open(':memory:');
      await d.exec('CREATE TABLE m (id INTEGER PRIMARY KEY, price REAL, skew INTEGER, name TEXT); CREATE INDEX m_price ON m (price);');
      // price uniform over 0..100; skew: 90% are 1, the rest 2..1000; name NULL in a quarter of the rows.
      await d.executeSql(
        `INSERT INTO m SELECT value, (value * 7919 % ${rows}) * 100.0 / ${rows}, CASE WHEN value % 10 = 0 THEN value % 999 + 2 ELSE 1 END, CASE WHEN value % 4 = 0 THEN NULL ELSE 'n' || value END FROM generate_series(1, ${rows})`,
      );
      await d.executeSql('ANALYZE m');
      const near = async (sql: string, expected: number) => {
        const est = await topRows(d, sql);
        // A sample of 4,096 rows (kept by inserts) puts a 5% slice within about ±7% (one
        // standard error); the scan's sample of 30,000 within ±3%.
        expect(est, sql).toBeGreaterThan(expected * 0.75);
        expect(est, sql).toBeLessThan(expected * 1.33 + 5);
      };
      await near('SELECT * FROM m WHERE price < 10', rows * 0.1);
      await near('SELECT * FROM m WHERE 90 <= price', rows * 0.1);
      await near('SELECT * FROM m WHERE price >= 20 AND price < 25', rows * 0.05);
      await near('SELECT * FROM m WHERE price BETWEEN 50 AND 80', rows * 0.3);
      await near('SELECT * FROM m WHERE skew > 1', rows * 0.1);
      // The frequent value fills histogram buckets of its own; a rare one gets rows / distinct
      // (an overestimate here: the frequent value holds most rows).
      await near('SELECT * FROM m WHERE skew = 1', rows * 0.9);
      expect(await topRows(d, 'SELECT * FROM m WHERE skew = 500')).toBeLessThanOrEqual(Math.ceil(rows / 1000) + 1);
      await near('SELECT * FROM m WHERE skew <= 1', rows * 0.9);
      await near('SELECT * FROM m WHERE name IS NULL', rows * 0.25);
      await near('SELECT * FROM m WHERE name IS NOT NULL', rows * 0.75);
      await near("SELECT * FROM m WHERE name < 'n5'", rows * 0.75 * 0.5);
      // The index range's estimate follows the histogram too, and picks the index only when narrow.
      expect((await d.executeSql('EXPLAIN SELECT * FROM m WHERE price < 1')).rows.map((r) => String(r[0])).join('\n')).toMatch(/IndexScan m USING m_price/);
      expect((await d.executeSql('EXPLAIN SELECT * FROM m WHERE price < 90')).rows.map((r) => String(r[0])).join('\n')).toMatch(/SeqScan m/);
    });
  }
});

describe('estimateDistinct (Duj1)', () => {
  it('is exact for a full sample, N for an all-distinct sample, and d when every value repeats', async () => {
    const { estimateDistinct } = await import('../../src/executor/statements/ddl.js');
    expect(estimateDistinct(40, 10, 100, 100)).toBe(40);
    expect(estimateDistinct(300, 300, 300, 9000)).toBe(9000);
    expect(estimateDistinct(50, 0, 30_000, 1_000_000)).toBe(50);
    // A random 3% of 1,000,000 rows where 200,000 values occur 5 times each: the estimate
    // lands within a factor of two of the truth.
    const { seededRandom } = await import('../../src/util/random.js');
    const random = seededRandom(1);
    const seen = new Map<number, number>();
    let sampled = 0;
    for (let i = 0; i < 1_000_000; i++) {
      if (random() >= 0.03) continue;
      sampled++;
      const v = i % 200_000;
      seen.set(v, (seen.get(v) ?? 0) + 1);
    }
    const once = [...seen.values()].filter((c) => c === 1).length;
    const est = estimateDistinct(seen.size, once, sampled, 1_000_000);
    expect(est).toBeGreaterThan(100_000);
    expect(est).toBeLessThan(400_000);
  });
});

describe('generated columns', () => {
  it('computes them on every write, refuses to set them, and round-trips them through a dump', async () => {
    await db.exec(`
      CREATE TABLE items (id INTEGER PRIMARY KEY, price REAL, qty INTEGER,
        total REAL GENERATED ALWAYS AS (price * qty) STORED,
        label TEXT AS (upper(substr('item-' || id, 1, 10))));
      INSERT INTO items (price, qty) VALUES (2.5, 4), (1, NULL);
      INSERT INTO items VALUES (3, 10, 1);
    `);
    expect(await rows('SELECT id, total, label FROM items ORDER BY id')).toEqual([
      [1, 10, 'ITEM-1'],
      [2, null, 'ITEM-2'],
      [3, 10, 'ITEM-3'],
    ]);
    await db.executeSql('UPDATE items SET qty = 3 WHERE id = 2');
    expect(await rows('SELECT total FROM items WHERE id = 2')).toEqual([[3]]);
    await expect(db.executeSql('INSERT INTO items (price, qty, total) VALUES (1, 1, 5)')).rejects.toThrow(/cannot set generated column "total"/);
    await expect(db.executeSql('UPDATE items SET label = 1')).rejects.toThrow(/generated column "label"/);
    const { dumpDatabase, importScript } = await import('../../src/index.js');
    let script = '';
    await dumpDatabase(db, (c) => {
      script += c;
    });
    expect(script).toMatch(/"total" REAL GENERATED ALWAYS AS \(price \* qty\) STORED/);
    await using copy = await Database.open(':memory:');
    await importScript(copy, script);
    expect((await copy.executeSql('SELECT id, total, label FROM items ORDER BY id')).rows).toEqual(await rows('SELECT id, total, label FROM items ORDER BY id'));
  });
});

describe('LATERAL', () => {
  it('runs a subquery or table function once per row of the items to its left', async () => {
    await db.exec(`
      CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, amount REAL);
      INSERT INTO orders (user_id, amount) VALUES (1, 10), (1, 30), (1, 20), (2, 5);
    `);
    // Top 2 orders per user: users without orders drop out of an inner join …
    expect(await rows('SELECT u.name, t.amount FROM users u, LATERAL (SELECT amount FROM orders o WHERE o.user_id = u.id ORDER BY amount DESC LIMIT 2) t ORDER BY u.name, t.amount DESC')).toEqual([
      ['Alice', 30],
      ['Alice', 20],
      ['Bob', 5],
    ]);
    // … and stay, with NULLs, in a LEFT JOIN LATERAL.
    expect(await rows('SELECT u.name, t.amount FROM users u LEFT JOIN LATERAL (SELECT amount FROM orders o WHERE o.user_id = u.id ORDER BY amount LIMIT 1) t ON true ORDER BY u.name')).toEqual([
      ['Alice', 10],
      ['Bob', 5],
      ['Carol', null],
    ]);
    expect(await rows('SELECT u.id, g.value FROM users u CROSS JOIN LATERAL generate_series(1, u.id) g WHERE u.id <= 2 ORDER BY 1, 2')).toEqual([
      [1, 1],
      [2, 1],
      [2, 2],
    ]);
    expect(await rows('SELECT u.name FROM users u JOIN LATERAL (SELECT count(*) AS n FROM orders o WHERE o.user_id = u.id) t ON t.n >= 3')).toEqual([['Alice']]);
    // Without LATERAL the subquery cannot see u.
    await expect(db.executeSql('SELECT * FROM users u, (SELECT amount FROM orders o WHERE o.user_id = u.id) t')).rejects.toBeInstanceOf(QueryBindError);
    await expect(db.executeSql('SELECT * FROM users u RIGHT JOIN LATERAL (SELECT 1) t ON true')).rejects.toThrow(/LATERAL works with INNER, LEFT or CROSS/);
  });
});

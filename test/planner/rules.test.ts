// The rewrite rules and physical choices, checked on EXPLAIN output (a stable, textual interface).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.exec(`
    CREATE TABLE t1 (id INTEGER PRIMARY KEY, a INTEGER, b TEXT);
    CREATE TABLE t2 (x INTEGER, y INTEGER);
    CREATE TABLE t3 (k INTEGER PRIMARY KEY, v TEXT);
    CREATE INDEX t2_x ON t2 (x);
    INSERT INTO t1 (a, b) SELECT value % 10, 'b' || value FROM generate_series(1, 2000);
    INSERT INTO t2 SELECT value % 50, value FROM generate_series(1, 500);
    INSERT INTO t3 (v) SELECT 'v' || value FROM generate_series(1, 20);
    ANALYZE;
  `);
});
afterAll(async () => {
  await db.close();
});

const explain = async (sql: string) => (await db.executeSql(`EXPLAIN ${sql}`)).rows.map((r) => String(r[0]).replace(/ \(rows=.*\)$/, '')).join('\n');

describe('rewrite rules', () => {
  it('constant folding evaluates constant subexpressions at plan time', async () => {
    expect(await explain("SELECT id FROM t1 WHERE a = 1 + 2 * 3 AND b = 'b' || '7'")).toContain("Filter ((a = 7) AND (b = 'b7'))");
  });

  it('predicate pushdown moves single-table conjuncts below the join', async () => {
    expect(await explain("SELECT t1.id FROM t1 JOIN t3 ON t3.k = t1.a WHERE t1.b = 'x' AND t3.v = 'y'")).toBe(
      [
        'Project id',
        '  -> HashJoin INNER ON a = k',
        "    -> Filter (b = 'x')",
        '      -> SeqScan t1',
        "    -> Filter (v = 'y')",
        '      -> SeqScan t3',
      ].join('\n'),
    );
  });

  it('EXISTS and NOT EXISTS become semi and anti joins', async () => {
    expect(await explain('SELECT id FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.x = t1.a AND t2.y > 3)')).toMatch(/Join SEMI/);
    expect(await explain('SELECT id FROM t1 WHERE NOT EXISTS (SELECT 1 FROM t2 WHERE t2.x = t1.a)')).toMatch(/Join ANTI/);
    // A correlation the rule cannot turn into a join condition stays a subquery.
    expect(await explain('SELECT id FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.x > 3 LIMIT 1)')).toMatch(/Filter EXISTS\(subquery\)/);
  });

  it('IN becomes a semi join, correlated or not; its correlation joins on both keys', async () => {
    // Before: Filter a IN (subquery) over SeqScan t1, the subquery's rows kept in a set.
    expect(await explain('SELECT id FROM t1 WHERE a IN (SELECT x FROM t2 WHERE y > 3)')).toBe(
      ['Project id', '  -> HashJoin SEMI ON a = x', '    -> SeqScan t1', '    -> Project x', '      -> Filter (y > 3)', '        -> SeqScan t2'].join('\n'),
    );
    // Before: the subquery ran once per row of t1.
    expect(await explain('SELECT id FROM t1 WHERE a IN (SELECT y FROM t2 WHERE t2.x = t1.id)')).toBe(
      ['Project id', '  -> HashJoin SEMI ON a = y AND id = x', '    -> SeqScan t1', '    -> SeqScan t2'].join('\n'),
    );
    // Outside a WHERE conjunct, IN keeps its NULL (UNKNOWN) answer: no join.
    expect(await explain('SELECT id FROM t1 WHERE a IN (SELECT x FROM t2) OR b IS NULL')).toMatch(/Filter \(a IN \(subquery\) OR/);
  });

  it('NOT IN becomes an anti join only when neither side can be NULL', async () => {
    expect(await explain('SELECT id FROM t1 WHERE id NOT IN (SELECT k FROM t3)')).toMatch(/(Hash|Merge)Join ANTI ON id = k/);
    expect(await explain('SELECT id FROM t1 WHERE a IS NOT NULL AND a NOT IN (SELECT k FROM t3)')).toMatch(/Join ANTI/);
    // t1.a may be NULL (NULL NOT IN a non-empty set is UNKNOWN, the anti join would keep it).
    expect(await explain('SELECT id FROM t1 WHERE a NOT IN (SELECT k FROM t3)')).toMatch(/Filter a NOT IN \(subquery\)/);
    // t2.x may be NULL (a NULL among the values makes every NOT IN that finds no match UNKNOWN).
    expect(await explain('SELECT id FROM t1 WHERE id NOT IN (SELECT x FROM t2)')).toMatch(/Filter id NOT IN \(subquery\)/);
  });

  it('a correlated scalar aggregate becomes a LEFT join against the grouped subquery', async () => {
    // Before: Project over SeqScan t3, the count run once per row.
    // (The join then runs grouped once or, for a small outer side, per outer row through an
    // index on the key: test/sql/decorrelation-lateral.test.ts. Here with rules only, t3 is small.)
    expect(await explain('SELECT k, (SELECT count(*) FROM t2 WHERE t2.x = t3.k) FROM t3')).toMatch(
      /^Project k, \(SELECT count\(\*\) FROM t2 WHERE t2\.x = t3\.k\)\n  -> (HashJoin LEFT ON k = x|LateralJoin LEFT ON \(k = x\))\n    -> SeqScan t3\n    -> (Hash|Stream)Aggregate BY x \[count\(\*\)\]/,
    );
    expect(await explain('SELECT k FROM t3 WHERE k > (SELECT max(y) FROM t2 WHERE t2.x = t3.k AND t2.y < 100)')).toMatch(
      /^Project k\n  -> Filter \(k > max\(y\)\)\n    -> (HashJoin LEFT ON k = x|LateralJoin LEFT ON \(k = x\))\n      -> SeqScan t3\n      -> (Hash|Stream)Aggregate BY x \[max\(y\)\]/,
    );
    // A correlation other than equality stays a per-row subquery.
    expect(await explain('SELECT k, (SELECT count(*) FROM t2 WHERE t2.x < t3.k) FROM t3')).toBe(['Project k, (SELECT count(*) FROM t2 WHERE t2.x < t3.k)', '  -> SeqScan t3'].join('\n'));
    // So does a subquery read for a row or two (a key lookup, LIMIT without ORDER BY): grouping
    // all of t2 would cost more than running it for those rows.
    expect(await explain('SELECT k, (SELECT count(*) FROM t2 WHERE t2.x = t3.k) FROM t3 WHERE k = 4')).not.toMatch(/Join LEFT/);
    expect(await explain('SELECT k, (SELECT count(*) FROM t2 WHERE t2.x = t3.k) FROM t3 LIMIT 3')).not.toMatch(/Join LEFT/);
    expect(await explain('SELECT k, (SELECT count(*) FROM t2 WHERE t2.x = t3.k) FROM t3 ORDER BY 2 LIMIT 3')).toMatch(/Join LEFT/);
  });
  it('projection pushdown computes only the columns read above and narrows join inputs', async () => {
    // Before: the subquery's b || 'x' was computed for every row and dropped above.
    expect(await explain("SELECT a FROM (SELECT a, b || 'x' AS c FROM t1) WHERE a > 3")).toBe(['Project a', '  -> Filter (a > 3)', '    -> Project a', '      -> SeqScan t1'].join('\n'));
    // Before: the LEFT join's left rows carried all of t1 and t3 (9 columns with the hidden ones).
    expect(await explain('SELECT t1.b, count(*) FROM t1 JOIN t3 ON t3.k = t1.a LEFT JOIN t2 ON t2.x = t3.k GROUP BY t1.b')).toBe(
      [
        'Project b, count(*)',
        '  -> HashAggregate BY b [count(*)]',
        '    -> HashJoin LEFT ON k = x',
        '      -> Project b, k',
        '        -> HashJoin INNER ON a = k',
        '          -> SeqScan t1',
        '          -> SeqScan t3',
        '      -> SeqScan t2',
      ].join('\n'),
    );
    // Table scans stay whole: the planner's index joins and key statistics read them.
    expect(await explain('SELECT t3.v FROM t3 JOIN t2 ON t2.x = t3.k')).toMatch(/IndexJoin INNER t2 USING t2_x = \(k\)/);
  });
});

describe('physical choices', () => {
  it('primary-key lookup, index scan, top-N', async () => {
    expect(await explain('SELECT * FROM t1 WHERE id = 5')).toMatch(/PkLookup t1 \(1 key\)/);
    expect(await explain('SELECT * FROM t1 WHERE id IN (5, 6, 7)')).toMatch(/PkLookup t1 \(3 keys\)/);
    expect(await explain('SELECT * FROM t1 WHERE id > 1990')).toMatch(/PkRangeScan t1 WHERE key > 1990/);
    expect(await explain('SELECT * FROM t2 WHERE x = 3')).toMatch(/IndexScan t2 USING t2_x WHERE key = \(3\)/);
    expect(await explain('SELECT * FROM t1 ORDER BY b LIMIT 5')).toMatch(/TopN 5 BY b/);
  });

  it('an index scan drops the conjuncts its range answers exactly; the others stay in its filter', async () => {
    // Before: Filter ((x >= 3) AND (x < 5)) above the IndexScan, checking what the range already holds.
    expect(await explain('SELECT y FROM t2 WHERE x >= 3 AND x < 5')).toBe(['Project y', '  -> IndexScan t2 USING t2_x WHERE key >= 3 AND < 5'].join('\n'));
    expect(await explain('SELECT y FROM t2 WHERE x BETWEEN 3 AND ? AND y > 7')).toBe(['Project y', '  -> Filter (y > 7)', '    -> IndexScan t2 USING t2_x WHERE key >= 3 AND <= $1'].join('\n'));
    // A second bound on the column, or a bound that is an expression, is still checked.
    expect(await explain('SELECT y FROM t2 WHERE x > 3 AND x > 4 AND x < 6')).toContain('Filter (x > 4)');
    expect(await explain('SELECT y FROM t2 WHERE x = ? + 1')).toContain('Filter (x = ($1 + 1))');
    expect(await explain("SELECT y FROM t2 WHERE x = '3' COLLATE NOCASE")).toContain('Filter');
  });

  it('a join on a key drives index lookups from the smaller side', async () => {
    expect(await explain('SELECT * FROM t3 JOIN t2 ON t2.x = t3.k')).toMatch(/IndexJoin INNER t2 USING t2_x = \(k\)/);
  });

  it('EXPLAIN shows data-changing statements over the plan of their rows', async () => {
    expect(await explain('UPDATE t1 SET b = \'x\' WHERE id = 7')).toBe('Update t1\n  -> Filter (id = 7)\n    -> PkLookup t1 (1 key)');
    expect(await explain('DELETE FROM t2 WHERE x = 3')).toMatch(/^Delete from t2\n.*IndexScan t2 USING t2_x/s);
    expect(await explain("INSERT INTO t3 (v) VALUES ('a'), ('b')")).toBe('Insert into t3 (2 rows)');
    expect(await explain('INSERT INTO t3 (v) SELECT b FROM t1 WHERE id < 3')).toMatch(/^Insert into t3\n  -> Project b/);
  });

  it('EXPLAIN ANALYZE of a data-changing statement runs it and reports actual rows (roll back to look only)', async () => {
    const before = Number((await db.executeSql('SELECT count(*) FROM t2 WHERE x = 3')).rows[0]![0]);
    expect(before).toBeGreaterThan(0);
    await db.executeSql('BEGIN');
    const plan = (await db.executeSql('EXPLAIN ANALYZE DELETE FROM t2 WHERE x = 3')).rows.map((r) => r[0]).join('\n');
    expect(plan).toMatch(new RegExp(`^Delete from t2 \\(actual rows=${before} time=[\\d.]+ms\\)\n.*IndexScan t2 USING t2_x.*actual rows=${before} `, 's'));
    expect((await db.executeSql('SELECT count(*) FROM t2 WHERE x = 3')).rows).toEqual([[0]]);
    await db.executeSql('ROLLBACK');
    expect((await db.executeSql('SELECT count(*) FROM t2 WHERE x = 3')).rows).toEqual([[before]]);
    const ins = (await db.executeSql('EXPLAIN ANALYZE INSERT INTO t3 (v) SELECT b FROM t1 WHERE id < 3')).rows.map((r) => r[0]).join('\n');
    expect(ins).toMatch(/^Insert into t3 \(actual rows=2 time=/);
  });

  it('three inner joins are reordered around their conditions', async () => {
    const plan = await explain('SELECT count(*) FROM t1, t2, t3 WHERE t1.a = t3.k AND t2.x = t3.k');
    expect(plan).not.toMatch(/NestedLoopJoin/);
  });
});

describe('partial indexes', () => {
  it('answer a query whose WHERE includes their predicate, and only then', async () => {
    await using pdb = await Database.open(':memory:');
    await pdb.exec(`
      CREATE TABLE tasks (id INTEGER PRIMARY KEY, owner INTEGER, done INTEGER);
      CREATE INDEX open_by_owner ON tasks (owner) WHERE done = 0;
    `);
    const values = Array.from({ length: 2000 }, (_, i) => `(${i + 1}, ${i % 50}, ${i % 3 === 0 ? 1 : 0})`).join(', ');
    await pdb.executeSql(`INSERT INTO tasks VALUES ${values}`);
    await pdb.executeSql('ANALYZE');
    const plan = async (sql: string) => (await pdb.executeSql(`EXPLAIN ${sql}`)).rows.map((r) => r[0]).join('\n');
    expect(await plan('SELECT id FROM tasks WHERE owner = 7 AND done = 0')).toMatch(/IndexScan tasks USING open_by_owner/);
    expect(await plan('SELECT id FROM tasks WHERE owner = 7')).not.toMatch(/open_by_owner/);
    expect(await plan('SELECT id FROM tasks WHERE owner = 7 AND done = 1')).not.toMatch(/open_by_owner/);
    const viaIndex = (await pdb.executeSql('SELECT id FROM tasks WHERE done = 0 AND owner = 7 ORDER BY id')).rows;
    const expected = Array.from({ length: 2000 }, (_, i) => i + 1).filter((id) => (id - 1) % 50 === 7 && (id - 1) % 3 !== 0).map((id) => [id]);
    expect(viaIndex).toEqual(expected);
  });
});

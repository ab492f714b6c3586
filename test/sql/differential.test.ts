// Tricky queries checked against SQLite (better-sqlite3 as the oracle), including regressions.

import { describe, expect, it } from 'vitest';
import { useOracle } from '../oracle.js';

const setup = `
  CREATE TABLE t1 (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, c TEXT);
  CREATE TABLE t2 (x INTEGER, y INTEGER, z TEXT);
  CREATE INDEX t1_a ON t1 (a);
  INSERT INTO t1 (a, b, c) VALUES (1, 10, 'x'), (1, 20, NULL), (2, 30, 'y'), (3, 40, 'x'), (NULL, 50, 'z');
  INSERT INTO t2 VALUES (1, 5, 'p'), (1, 6, 'q'), (2, 7, NULL), (9, 9, 'r'), (NULL, 1, 's');
`;

const queries = [
  // Correlated subqueries above an aggregate see the group's row (regression).
  'SELECT a, (SELECT count(*) FROM t2 WHERE t2.x = t1.a) FROM t1 GROUP BY a ORDER BY a',
  'SELECT a, sum(b), (SELECT sum(y) FROM t2 WHERE t2.x = t1.a) FROM t1 GROUP BY a HAVING (SELECT count(*) FROM t2 WHERE x = a) > 0 ORDER BY 1',
  'SELECT a FROM t1 GROUP BY a HAVING EXISTS (SELECT 1 FROM t2 WHERE t2.x = t1.a AND t2.y > 5) ORDER BY a',
  // NULLs in joins, IN, NOT IN and aggregates.
  'SELECT t1.id, t2.y FROM t1 LEFT JOIN t2 ON t2.x = t1.a ORDER BY t1.id, t2.y',
  'SELECT id FROM t1 WHERE a NOT IN (SELECT x FROM t2) ORDER BY id',
  'SELECT id FROM t1 WHERE a NOT IN (SELECT x FROM t2 WHERE x IS NOT NULL) ORDER BY id',
  'SELECT count(*), count(a), count(DISTINCT a), sum(a), avg(b), min(c), max(c), group_concat(c) FROM t1',
  'SELECT a, count(*) FROM t1 GROUP BY a ORDER BY a',
  // Index ranges must agree with comparisons, NULLs excluded.
  'SELECT id FROM t1 WHERE a < 3 ORDER BY id',
  'SELECT id FROM t1 WHERE a >= 2 ORDER BY id',
  "SELECT id FROM t1 WHERE a = '1' ORDER BY id",
  'SELECT id FROM t1 WHERE a BETWEEN 1 AND 2 ORDER BY id',
  'SELECT id FROM t1 WHERE a IN (1, 3, NULL) ORDER BY id',
  // Windows over aggregates and frames.
  'SELECT a, sum(b), rank() OVER (ORDER BY sum(b) DESC) FROM t1 GROUP BY a ORDER BY a',
  'SELECT id, sum(b) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t1 ORDER BY id',
  'SELECT id, lag(b, 1, -1) OVER (PARTITION BY a ORDER BY id), first_value(b) OVER (PARTITION BY a ORDER BY id) FROM t1 ORDER BY id',
  // RANGE and GROUPS frames with offsets.
  'SELECT id, b, sum(b) OVER (ORDER BY b RANGE BETWEEN 15 PRECEDING AND 10 FOLLOWING) FROM t1 ORDER BY id',
  'SELECT id, b, count(*) OVER (ORDER BY b DESC RANGE BETWEEN 10 PRECEDING AND CURRENT ROW) FROM t1 ORDER BY id',
  'SELECT id, a, sum(b) OVER (ORDER BY a GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t1 ORDER BY id',
  'SELECT x, y, sum(y) OVER (PARTITION BY x IS NULL ORDER BY y RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING) FROM t2 ORDER BY x, y',
  // Compound queries, CTEs, expressions.
  'SELECT a FROM t1 UNION SELECT x FROM t2 ORDER BY 1',
  'SELECT a FROM t1 INTERSECT SELECT x FROM t2 ORDER BY 1',
  'SELECT x FROM t2 EXCEPT SELECT a FROM t1 ORDER BY 1',
  'WITH RECURSIVE f(n, v) AS (SELECT 1, 1 UNION ALL SELECT n + 1, v * (n + 1) FROM f WHERE n < 10) SELECT n, v FROM f ORDER BY n',
  "SELECT id, CASE WHEN a IS NULL THEN 'none' WHEN a > 1 THEN 'big' ELSE 'small' END, coalesce(c, '?'), nullif(a, 1), a / 2, b % 7, -a, a || c FROM t1 ORDER BY id",
  'SELECT DISTINCT c FROM t1 ORDER BY c',
  'SELECT t1.id, t2.z FROM t1, t2 WHERE t1.a = t2.x AND t2.y > 5 ORDER BY 1, 2',
  'SELECT * FROM t1 NATURAL JOIN (SELECT id, a AS a2 FROM t1) ORDER BY id',
  // Top-N (bounded heap) agrees with a full sort, NULLs and ties included.
  'SELECT id, a FROM t1 ORDER BY a DESC, id LIMIT 3',
  'SELECT id, a FROM t1 ORDER BY a, id LIMIT 2 OFFSET 2',
  'SELECT c, b FROM t1 ORDER BY c, b DESC LIMIT 4',
  'SELECT x, y FROM t2 ORDER BY x NULLS LAST, y LIMIT 3',
  // EXISTS / NOT EXISTS become semi / anti joins (same answers, NULLs included).
  'SELECT id FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.x = t1.a) ORDER BY id',
  'SELECT id FROM t1 WHERE NOT EXISTS (SELECT 1 FROM t2 WHERE t2.x = t1.a) ORDER BY id',
  'SELECT id FROM t1 WHERE b > 15 AND EXISTS (SELECT * FROM t2 WHERE t2.x = t1.a AND t2.y > 5 AND t2.z IS NOT NULL) ORDER BY id',
  'SELECT id FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.x = t1.a AND t2.y < t1.b) ORDER BY id',
  'SELECT a, count(*) FROM t1 WHERE NOT EXISTS (SELECT 1 FROM t2 WHERE t2.x = t1.a AND t2.y = 7) GROUP BY a ORDER BY a',
  'SELECT id FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.x = t1.a AND EXISTS (SELECT 1 FROM t1 AS t3 WHERE t3.b = t2.y * 10)) ORDER BY id',
  // Projection pushdown: unused subquery columns dropped, join inputs narrowed (positions remapped).
  'SELECT t1.c, count(*), sum(t2.y) FROM t1 JOIN t1 AS u ON u.a = t1.a LEFT JOIN t2 ON t2.x = u.a GROUP BY t1.c ORDER BY 1',
  'SELECT a FROM (SELECT a, b * 2 AS bb, c FROM t1) WHERE a IS NOT NULL ORDER BY a',
  'SELECT s.a, s.m, t2.z FROM (SELECT a, count(*) AS n, max(c) AS m FROM t1 GROUP BY a) AS s LEFT JOIN t2 ON t2.x = s.a ORDER BY 1, 3',
  'SELECT t1.id, v.c FROM t1 LEFT JOIN t2 ON t2.x = t1.a LEFT JOIN t1 AS v ON v.b = t2.y * 10 ORDER BY 1, 2',
  'SELECT u.id, u.z FROM (SELECT t1.id, t1.a, t2.z FROM t1 LEFT JOIN t2 ON t2.x = t1.a) AS u WHERE u.a IN (SELECT x FROM t2 WHERE y > 5) ORDER BY 1, 2',
  'SELECT w.z, j.c FROM t2 AS w LEFT JOIN (SELECT t1.c, t2.x FROM t1 JOIN t2 ON t2.x = t1.a) AS j ON j.x = w.x ORDER BY 1, 2',
];

const db = useOracle(setup);

describe('differential against SQLite', () => {
  for (const q of queries) {
    it(q, async () => {
      expect(await db.actual(q)).toEqual(db.expected(q));
    });
  }
});

// Integers beyond 2^53 against REALs: SQLite compares an INTEGER and a REAL by exact value, so
// 2^60 equals 2^60.0 while 2^60 + 1 does not. Hash joins, GROUP BY, DISTINCT, set operations and
// IN must agree with comparison (and with merge joins, which compare).

import { describe, expect, it } from 'vitest';
import { useOracle } from '../oracle.js';

const setup = `
  CREATE TABLE a (id INTEGER PRIMARY KEY, x INTEGER);
  CREATE TABLE b (id INTEGER PRIMARY KEY, y REAL);
  INSERT INTO a (x) VALUES (1152921504606846976), (1152921504606846977), (9007199254740993), (3), (-1152921504606846976);
  INSERT INTO b (y) VALUES (1152921504606846976.0), (9007199254740992.0), (3.0), (-1152921504606846976.0), (3.5);
`;

const queries = [
  'SELECT a.x, b.y FROM a JOIN b ON a.x = b.y ORDER BY a.id',
  'SELECT a.x, b.y FROM a JOIN b ON b.y = a.x ORDER BY b.id',
  'SELECT a.x, b.y FROM a LEFT JOIN b ON a.x = b.y ORDER BY a.id',
  'SELECT x FROM a WHERE x IN (SELECT y FROM b) ORDER BY id',
  'SELECT x FROM a WHERE x IN (1152921504606846976.0, 3.0) ORDER BY id',
  'SELECT x FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.y = a.x) ORDER BY id',
  'SELECT count(*) FROM (SELECT x AS v FROM a UNION SELECT y FROM b)',
  'SELECT count(*) FROM (SELECT x AS v FROM a INTERSECT SELECT y FROM b)',
  'SELECT count(*) FROM (SELECT x AS v FROM a UNION ALL SELECT y FROM b GROUP BY 1)',
  'SELECT count(DISTINCT v) FROM (SELECT x AS v FROM a UNION ALL SELECT y FROM b)',
  'SELECT count(*) FROM (SELECT x AS v FROM a UNION ALL SELECT y FROM b) GROUP BY v ORDER BY min(v)',
];

const db = useOracle(setup);

describe('integers beyond 2^53 meet REALs as SQLite compares them', () => {
  for (const q of queries) {
    it(q, async () => {
      // Every integer as a bigint on both sides: the values must be exactly equal.
      const exact = (rows: unknown[][]) => rows.map((r) => r.map((v) => (typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v)));
      expect(exact(await db.actual(q))).toEqual(exact(db.expected(q, { safeIntegers: true })));
    });
  }
});

// Merge joins and stream aggregates checked against SQLite, each query's plan checked to use them.

import { describe, expect, it } from 'vitest';
import { useOracle } from '../oracle.js';

// Composite primary keys (k, seq) give runs of equal k on both sides; NULL keys are allowed in them.
// r holds REALs equal to l's INTEGERs; n (NUMERIC) mixes integers, reals and text.
const setup = `
  CREATE TABLE l (k INTEGER, seq INTEGER, v TEXT, PRIMARY KEY (k, seq));
  CREATE TABLE r (k REAL, seq INTEGER, w INTEGER, PRIMARY KEY (k, seq));
  CREATE TABLE n (k NUMERIC, seq INTEGER, x TEXT, PRIMARY KEY (k, seq));
  CREATE TABLE e (k INTEGER, seq INTEGER, PRIMARY KEY (k, seq));
  CREATE TABLE li (id INTEGER PRIMARY KEY, k INTEGER, v TEXT);
  CREATE INDEX li_k ON li (k);
  INSERT INTO l VALUES (NULL, 1, 'f'), (NULL, 2, 'g'), (1, 1, 'a'), (1, 2, 'b'), (1, 3, NULL), (2, 1, 'c'), (3, 1, 'd'), (3, 2, 'e'), (7, 1, 'h');
  INSERT INTO r VALUES (NULL, 1, 14), (0.5, 1, 9), (1, 1, 10), (1.0, 2, 11), (1.5, 1, 12), (3, 1, 13), (3.0, 2, 20), (3, 3, 5), (8, 1, 1);
  INSERT INTO n VALUES (1, 1, 'p'), (2.5, 1, 'q'), ('abc', 1, 'r'), (3, 1, 's'), (3.0, 2, 't'), ('7', 1, 'u');
  INSERT INTO li (k, v) VALUES (3, 'x'), (1, 'y'), (NULL, 'z'), (3, 'w'), (2, 'v'), (9, 'u'), (1, 't');
  CREATE TABLE bl (k INTEGER, seq INTEGER, v INTEGER, PRIMARY KEY (k, seq));
  CREATE TABLE br (k REAL, seq INTEGER, w INTEGER, PRIMARY KEY (k, seq));
  INSERT INTO bl WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 3000) SELECT i / 3, i % 3, i FROM s;
  INSERT INTO br WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2500) SELECT (i / 5) * 0.5, i % 5, i FROM s;
`;

/** A query and what its plan must show. */
const cases: { sql: string; plan: RegExp }[] = [
  // INNER, LEFT, SEMI, ANTI over runs of duplicates on both sides, NULL keys, INTEGER = REAL.
  { sql: 'SELECT l.k, l.seq, l.v, r.seq, r.w FROM l JOIN r ON l.k = r.k ORDER BY 1, 2, 4', plan: /MergeJoin INNER ON k = k/ },
  { sql: 'SELECT l.k, l.seq, r.seq, r.w FROM l LEFT JOIN r ON l.k = r.k ORDER BY 1, 2, 3', plan: /MergeJoin LEFT ON k = k/ },
  { sql: 'SELECT l.k, l.seq FROM l WHERE EXISTS (SELECT 1 FROM r WHERE r.k = l.k) ORDER BY 1, 2', plan: /MergeJoin SEMI/ },
  { sql: 'SELECT l.k, l.seq FROM l WHERE NOT EXISTS (SELECT 1 FROM r WHERE r.k = l.k) ORDER BY 1, 2', plan: /MergeJoin ANTI/ },
  // Residual conditions: in ON for LEFT (unmatched rows kept), in WHERE, and in EXISTS.
  { sql: 'SELECT l.k, l.seq, r.seq FROM l LEFT JOIN r ON l.k = r.k AND r.w > 10 ORDER BY 1, 2, 3', plan: /MergeJoin LEFT/ },
  { sql: 'SELECT l.k, l.seq, r.seq FROM l JOIN r ON l.k = r.k AND l.seq < r.seq ORDER BY 1, 2, 3', plan: /MergeJoin INNER/ },
  { sql: 'SELECT l.k, l.seq FROM l WHERE EXISTS (SELECT 1 FROM r WHERE r.k = l.k AND r.w >= 13) ORDER BY 1, 2', plan: /MergeJoin SEMI/ },
  { sql: 'SELECT l.k, l.seq FROM l WHERE NOT EXISTS (SELECT 1 FROM r WHERE r.k = l.k AND r.seq = l.seq) ORDER BY 1, 2', plan: /MergeJoin ANTI/ },
  // Both key columns of a composite key merged at once.
  { sql: 'SELECT l.k, l.seq, r.w FROM l JOIN r ON l.k = r.k AND l.seq = r.seq ORDER BY 1, 2', plan: /MergeJoin INNER ON k = k AND seq = seq/ },
  // NUMERIC keys mixing integers, reals and text (text sorts after every number and equals no INTEGER).
  { sql: 'SELECT l.k, l.seq, n.x FROM l JOIN n ON l.k = n.k ORDER BY 1, 2, 3', plan: /MergeJoin INNER/ },
  { sql: 'SELECT n.k, n.x, r.w FROM n LEFT JOIN r ON n.k = r.k ORDER BY 2, 3', plan: /MergeJoin LEFT/ },
  // Empty sides.
  { sql: 'SELECT l.k, l.seq, e.seq FROM l LEFT JOIN e ON l.k = e.k ORDER BY 1, 2', plan: /MergeJoin LEFT/ },
  { sql: 'SELECT e.k, l.seq FROM e JOIN l ON l.k = e.k', plan: /MergeJoin INNER/ },
  { sql: 'SELECT e.k FROM e LEFT JOIN l ON l.k = e.k', plan: /MergeJoin LEFT/ },
  // Runs spanning batches (1024 rows): 3000 rows against 2500, INTEGER against REAL halves.
  { sql: 'SELECT count(*), sum(bl.v), sum(br.w), min(br.w), max(bl.v) FROM bl JOIN br ON bl.k = br.k', plan: /MergeJoin INNER/ },
  { sql: 'SELECT count(*), count(br.w), sum(bl.v) FROM bl LEFT JOIN br ON bl.k = br.k AND br.w % 3 = 0', plan: /MergeJoin LEFT/ },
  // An inner merge join is ordered on both sides' keys: a second one merges on the right's key.
  { sql: 'SELECT l.k, l.seq, r.seq, n.x FROM l JOIN r ON l.k = r.k JOIN n ON r.k = n.k ORDER BY 1, 2, 3, 4', plan: /MergeJoin INNER[^]*MergeJoin INNER/ },
  // Group keys that lead the primary key: groups emitted as they end, NULLs in one group.
  { sql: 'SELECT k, count(*), count(v), group_concat(v), min(seq), max(seq), sum(seq), avg(seq) FROM l GROUP BY k', plan: /StreamAggregate BY k/ },
  { sql: 'SELECT seq, k, count(*) FROM l GROUP BY seq, k ORDER BY k, seq', plan: /StreamAggregate BY seq, k/ },
  { sql: 'SELECT k, count(DISTINCT seq), sum(seq) FILTER (WHERE seq > 1), group_concat(v, \'|\' ORDER BY v DESC) FROM l GROUP BY k HAVING count(*) > 1', plan: /StreamAggregate/ },
  { sql: 'SELECT k, count(*), sum(v), max(seq) FROM bl GROUP BY k HAVING k % 97 = 1', plan: /StreamAggregate BY k/ },
  { sql: 'SELECT k, count(*), sum(w) FROM br GROUP BY k ORDER BY k', plan: /StreamAggregate BY k/ },
  { sql: 'SELECT k, count(*) FROM e GROUP BY k', plan: /StreamAggregate BY k/ },
  // Group keys read in order from an index range.
  { sql: 'SELECT k, count(*), group_concat(v) FROM li WHERE k BETWEEN 1 AND 3 GROUP BY k', plan: /StreamAggregate BY k[^]*IndexScan li USING li_k/ },
];

const db = useOracle(setup);

describe('merge joins and stream aggregates agree with SQLite', () => {
  for (const c of cases) {
    it(c.sql, async () => {
      expect(await db.plan(c.sql)).toMatch(c.plan);
      expect(await db.actual(c.sql)).toEqual(db.expected(c.sql));
    });
  }
});

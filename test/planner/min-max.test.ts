// The min/max rule: min(x) or max(x) alone reads the first row in x's order (SQLite's min/max
// optimization), from an index or the primary key, and answers as the aggregate does.

import { describe, expect, it } from 'vitest';
import { useOracle } from '../oracle.js';

const setup = `
  CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT, m, c TEXT COLLATE NOCASE);
  CREATE INDEX t_a ON t (a);
  CREATE INDEX t_m ON t (m);
  CREATE TABLE e (id INTEGER PRIMARY KEY, a INTEGER);
  CREATE INDEX e_a ON e (a);
  CREATE TABLE n (id INTEGER PRIMARY KEY, a INTEGER);
  CREATE INDEX n_a ON n (a);
  INSERT INTO n VALUES (1, NULL), (2, NULL);
`;

// a: NULL in every 7th row; m: a mix of integers, reals, text and blobs; c: mixed case.
const rows = Array.from({ length: 3000 }, (_, i) => {
  const m = i % 4 === 0 ? String(i) : i % 4 === 1 ? `'t${i}'` : i % 4 === 2 ? `${i}.5` : `x'${(i % 256).toString(16).padStart(2, '0')}'`;
  return `(${i + 1}, ${i % 7 === 0 ? 'NULL' : (i * 7919) % 1000}, 'b${i % 50}', ${m}, '${i % 2 ? 'A' : 'a'}${i % 13}')`;
});
const db = useOracle(setup, async (o) => {
  await o.exec(`INSERT INTO t VALUES ${rows.join(', ')}`);
  await o.ours.executeSql('ANALYZE');
});

const plan = (q: string) => db.plan(q);

describe('min/max over an index or the primary key', () => {
  it('reads one row of the index or key, backwards for max', async () => {
    expect(await plan('SELECT min(a) FROM t')).toMatch(/Limit 1[\s\S]*IndexScan t USING t_a \(/);
    expect(await plan('SELECT max(a) FROM t')).toMatch(/Limit 1[\s\S]*IndexScan t USING t_a REVERSE/);
    expect(await plan('SELECT max(id) FROM t')).toMatch(/Limit 1[\s\S]*PkRangeScan t REVERSE/);
    expect(await plan('SELECT max(a) + 1 FROM t HAVING max(a) > 3')).toMatch(/IndexScan t USING t_a REVERSE/);
  });

  it('is left alone with GROUP BY, other aggregates, FILTER, or a collated column', async () => {
    for (const q of ['SELECT a, max(id) FROM t GROUP BY a', 'SELECT min(a), count(*) FROM t', 'SELECT max(a) FILTER (WHERE id > 5) FROM t', 'SELECT min(a), max(a) FROM t', 'SELECT min(c) FROM t']) {
      expect(await plan(q), q).not.toMatch(/Limit 1/);
    }
  });

  it('without an index on the column, keeps one row by TopN', async () => {
    expect(await plan('SELECT max(b) FROM t')).toMatch(/TopN 1 BY b DESC/);
  });

  const queries = [
    'SELECT min(a) FROM t',
    'SELECT max(a) FROM t',
    'SELECT min(id), max(id) FROM t WHERE a > 500',
    'SELECT max(id) FROM t',
    'SELECT min(id) FROM t WHERE id > 2500',
    'SELECT max(a) FROM t WHERE id < 100',
    'SELECT min(a) FROM t WHERE a > 900 AND b = \'b3\'',
    'SELECT max(b) FROM t',
    'SELECT min(m), typeof(min(m)) FROM t',
    'SELECT max(m), typeof(max(m)) FROM t',
    'SELECT min(m) FROM t WHERE typeof(m) = \'real\'',
    'SELECT max(a) + 1 FROM t HAVING max(a) > 3',
    'SELECT max(a) FROM t HAVING max(a) > 5000',
    'SELECT min(a) FROM e',
    'SELECT max(a), count(*) FROM e',
    'SELECT min(a) FROM n',
    'SELECT max(a) FROM n WHERE id > 1',
    'SELECT (SELECT max(a) FROM t WHERE t.id < x.id) FROM t AS x WHERE x.id < 5 ORDER BY x.id',
  ];
  for (const q of queries) {
    it(`agrees with SQLite: ${q}`, async () => {
      expect(await db.actual(q)).toEqual(db.expected(q));
    });
  }
});

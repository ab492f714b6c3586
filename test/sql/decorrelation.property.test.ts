// Random data and random IN / NOT IN / scalar aggregate subqueries (correlated on zero to two
// columns, NULLs and duplicates likely) give the same rows on ToonDB, which decorrelates most of
// them into joins, as on SQLite.

import Sqlite from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';

const schema = `
  CREATE TABLE a (id INTEGER PRIMARY KEY, x INTEGER NOT NULL, y INTEGER);
  CREATE TABLE b (p INTEGER, q INTEGER NOT NULL, r INTEGER);
`;

const small = fc.integer({ min: 0, max: 3 });
const maybe = fc.option(small, { nil: null, freq: 4 });
const aRows = fc.array(fc.tuple(small, maybe), { maxLength: 8 });
const bRows = fc.array(fc.tuple(maybe, small, maybe), { maxLength: 10 });

/** The subquery's WHERE: correlation conjuncts on a's columns, and maybe one of its own. */
const where = fc
  .subarray(['b.p = a.y', 'b.q = a.x', 'a.x + 1 = b.r', 'b.r > 1'], { minLength: 0, maxLength: 3 })
  .map((cs) => (cs.length > 0 ? ` WHERE ${cs.join(' AND ')}` : ''));
const aCol = fc.constantFrom('x', 'y');
const bCol = fc.constantFrom('p', 'q', 'r');
const agg = fc.constantFrom('count(*)', 'count(r)', 'sum(r)', 'min(p)', 'max(q)', 'total(r)', 'count(DISTINCT p) + 1', 'coalesce(max(r), -1)');

const query = fc.oneof(
  fc.tuple(aCol, fc.boolean(), bCol, where).map(([c, not, v, w]) => `SELECT id FROM a WHERE ${c} ${not ? 'NOT ' : ''}IN (SELECT ${v} FROM b${w}) ORDER BY id`),
  fc.tuple(agg, where).map(([f, w]) => `SELECT id, (SELECT ${f} FROM b${w}) FROM a ORDER BY id`),
  fc.tuple(aCol, agg, where).map(([c, f, w]) => `SELECT id FROM a WHERE ${c} >= (SELECT ${f} FROM b${w}) ORDER BY id`),
);

const values = (rows: readonly (readonly (number | null)[])[]) => rows.map((r) => `(${r.map((v) => (v === null ? 'NULL' : v)).join(', ')})`).join(', ');

describe('decorrelated subqueries on random data', () => {
  it('agree with SQLite', async () => {
    await fc.assert(
      fc.asyncProperty(aRows, bRows, fc.array(query, { minLength: 1, maxLength: 6 }), async (as, bs, queries) => {
        const load = `${schema}
          ${as.length > 0 ? `INSERT INTO a (x, y) VALUES ${values(as)};` : ''}
          ${bs.length > 0 ? `INSERT INTO b VALUES ${values(bs)};` : ''}`;
        const oracle = new Sqlite(':memory:');
        await using ours = await Database.open(':memory:');
        try {
          oracle.exec(load);
          await ours.exec(load);
          for (const q of queries) expect([q, (await ours.executeSql(q)).rows]).toEqual([q, oracle.prepare(q).raw().all()]);
        } finally {
          oracle.close();
        }
      }),
      { numRuns: 120 },
    );
  });
});

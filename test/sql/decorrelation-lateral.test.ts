// A decorrelated scalar aggregate (a LEFT join against the subquery grouped by its correlation
// keys) runs per outer row, aggregating only that row's group through an index, when the outer
// side has few rows: the planner prices both and picks the cheaper. Answers match SQLite either way.

import { describe, expect, it } from 'vitest';
import { useOracle } from '../oracle.js';

const setup = `
  CREATE TABLE c (id INTEGER PRIMARY KEY, region INTEGER NOT NULL, lim REAL);
  CREATE INDEX c_region ON c (region);
  CREATE TABLE o (id INTEGER PRIMARY KEY, cust INTEGER, total REAL, tag TEXT);
  CREATE INDEX o_cust ON o (cust);
`;

// 2,000 customers in 100 regions; 20,000 orders, none for customers whose id ends in 7, some
// with a NULL customer or total.
const customers = Array.from({ length: 2000 }, (_, i) => `(${i + 1}, ${i % 100}, ${i % 13 === 0 ? 'NULL' : (i * 3.5) % 400})`).join(', ');
const orders = Array.from({ length: 20_000 }, (_, i) => {
  let cust: string | number = ((i * 7919) % 2000) + 1;
  if (cust % 10 === 7) cust = i % 50 === 0 ? 'NULL' : cust + 1;
  return `(${i + 1}, ${cust}, ${i % 17 === 0 ? 'NULL' : i % 97}, ${i % 5 === 0 ? 'NULL' : `'t${i % 9}'`})`;
}).join(', ');
const db = useOracle(setup, async (o) => {
  await o.exec(`INSERT INTO c VALUES ${customers}; INSERT INTO o VALUES ${orders}`);
  await o.ours.executeSql('ANALYZE');
});

const plan = (q: string) => db.plan(q);

const cases: { sql: string; perRow: boolean }[] = [
  { sql: 'SELECT id, (SELECT count(*) FROM o WHERE o.cust = c.id) FROM c WHERE region = 7 ORDER BY id', perRow: true },
  { sql: 'SELECT id, (SELECT sum(total) FROM o WHERE o.cust = c.id), (SELECT max(tag) FROM o WHERE o.cust = c.id) FROM c WHERE region = 17 ORDER BY id', perRow: true },
  { sql: 'SELECT id FROM c WHERE region = 3 AND lim > (SELECT sum(total) FROM o WHERE o.cust = c.id) ORDER BY id', perRow: true },
  { sql: 'SELECT id, (SELECT count(*) FROM o WHERE o.cust = c.id AND o.total > 50) FROM c WHERE region IN (7, 8) ORDER BY id', perRow: true },
  { sql: 'SELECT id, (SELECT count(total) FROM o WHERE o.cust = c.id) FROM c WHERE id BETWEEN 100 AND 120 ORDER BY id', perRow: true },
  // Every customer: grouping all orders once is cheaper.
  { sql: 'SELECT id, (SELECT count(*) FROM o WHERE o.cust = c.id) FROM c ORDER BY id', perRow: false },
  { sql: 'SELECT id FROM c WHERE lim > (SELECT sum(total) FROM o WHERE o.cust = c.id) ORDER BY id', perRow: false },
];

describe('decorrelated scalar aggregates, per outer row or grouped once', () => {
  for (const { sql, perRow } of cases) {
    it(`${perRow ? 'per row' : 'grouped'}: ${sql}`, async () => {
      const p = await plan(sql);
      if (perRow) expect(p).toMatch(/LateralJoin LEFT[\s\S]*IndexScan o USING o_cust WHERE key = \(outer\.id\)/);
      else expect(p).toMatch(/HashJoin LEFT/);
      expect(await db.actual(sql)).toEqual(db.expected(sql));
    });
  }
});

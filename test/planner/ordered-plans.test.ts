// Plans that use the order their inputs already come in: merge joins, stream aggregates, sorts left out.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.exec(`
    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER, note TEXT);
    CREATE TABLE details (id INTEGER PRIMARY KEY, order_id INTEGER, qty INTEGER);
    CREATE TABLE shipments (id INTEGER PRIMARY KEY, order_id INTEGER, carrier TEXT);
    CREATE INDEX shipments_order ON shipments (order_id);
    CREATE TABLE small (x INTEGER, y INTEGER);
    CREATE TABLE lines (k INTEGER, seq INTEGER, v TEXT, PRIMARY KEY (k, seq));
    CREATE TABLE names (name TEXT COLLATE NOCASE PRIMARY KEY, n INTEGER);
    CREATE TABLE names2 (name TEXT COLLATE NOCASE PRIMARY KEY, m INTEGER);
    INSERT INTO orders SELECT value, value % 100, 'n' || value FROM generate_series(1, 5000);
    INSERT INTO details SELECT value, value % 4000, value % 7 FROM generate_series(1, 5000);
    INSERT INTO shipments SELECT value, value % 5000, 'c' || (value % 3) FROM generate_series(1, 5000);
    INSERT INTO small SELECT value * 10, value FROM generate_series(1, 5);
    INSERT INTO lines SELECT value / 4, value % 4, 'v' || value FROM generate_series(1, 2000);
    INSERT INTO names SELECT 'n' || value, value FROM generate_series(1, 100);
    INSERT INTO names2 SELECT 'N' || value, value FROM generate_series(1, 100);
    ANALYZE;
  `);
});
afterAll(async () => {
  await db.close();
});

const explain = async (sql: string) => (await db.executeSql(`EXPLAIN ${sql}`)).rows.map((r) => String(r[0]).replace(/ \(rows=.*\)$/, '')).join('\n');

describe('merge join', () => {
  it('joins two large tables on their primary keys without a hash table', async () => {
    expect(await explain('SELECT o.id, d.qty FROM orders o JOIN details d ON o.id = d.id')).toBe(
      ['Project id, qty', '  -> MergeJoin INNER ON id = id', '    -> SeqScan orders AS o', '    -> SeqScan details AS d'].join('\n'),
    );
    expect(await explain('SELECT o.id, d.qty FROM orders o LEFT JOIN details d ON o.id = d.id')).toContain('MergeJoin LEFT ON id = id');
    expect(await explain('SELECT id FROM orders WHERE EXISTS (SELECT 1 FROM details d WHERE d.id = orders.id)')).toContain('MergeJoin SEMI ON id = id');
    expect(await explain('SELECT id FROM orders WHERE NOT EXISTS (SELECT 1 FROM details d WHERE d.id = orders.id)')).toContain('MergeJoin ANTI ON id = id');
  });

  it('merges a primary-key range with an index range on the join key', async () => {
    expect(await explain('SELECT o.id, s.carrier FROM orders o JOIN shipments s ON o.id = s.order_id WHERE s.order_id BETWEEN 100 AND 300 AND o.id BETWEEN 100 AND 300')).toBe(
      [
        'Project id, carrier',
        '  -> MergeJoin INNER ON id = order_id',
        '    -> Filter id BETWEEN 100 AND 300',
        '      -> PkRangeScan orders WHERE key >= 100 AND <= 300',
        '    -> IndexScan shipments USING shipments_order WHERE key >= 100 AND <= 300',
      ].join('\n'),
    );
  });

  it('merges on the leading column of a composite primary key, the rest of the condition checked per pair', async () => {
    expect(await explain('SELECT a.v, b.v FROM lines a JOIN lines b ON a.k = b.k AND a.seq = b.seq + 1')).toContain('MergeJoin INNER ON k = k');
    expect(await explain('SELECT a.v, b.v FROM lines a JOIN lines b ON a.k = b.k AND a.seq = b.seq')).toContain('MergeJoin INNER ON k = k AND seq = seq');
  });

  it('is not chosen when an input is not ordered on its join key', async () => {
    const onUnordered = await explain('SELECT o.id, d.qty FROM orders o JOIN details d ON o.customer = d.order_id');
    expect(onUnordered).toContain('HashJoin INNER ON customer = order_id');
    expect(onUnordered).not.toContain('MergeJoin');
    // shipments comes in id order, not order_id order; reading it through the index costs more than hashing.
    const oneSide = await explain('SELECT o.id, s.carrier FROM orders o JOIN shipments s ON o.id = s.order_id');
    expect(oneSide).toContain('HashJoin INNER ON id = order_id');
    expect(oneSide).not.toContain('MergeJoin');
  });

  it('leaves a small driving side to index lookups', async () => {
    expect(await explain('SELECT s.x, o.note FROM small s JOIN orders o ON o.id = s.x')).toContain('IndexJoin INNER orders BY PRIMARY KEY = (x)');
  });

  it('is not chosen on columns with a collation (stored by bytes, compared without case)', async () => {
    expect(await explain('SELECT a.n, b.m FROM names a JOIN names2 b ON a.name = b.name')).not.toContain('MergeJoin');
  });
});

describe('stream aggregate', () => {
  it('groups by the primary key, or the leading key columns, as the rows come', async () => {
    expect(await explain('SELECT id, count(*) FROM details GROUP BY id')).toBe(
      ['Project id, count(*)', '  -> StreamAggregate BY id [count(*)]', '    -> SeqScan details'].join('\n'),
    );
    expect(await explain('SELECT k, max(v) FROM lines GROUP BY k')).toContain('StreamAggregate BY k [max(v)]');
    expect(await explain('SELECT seq, k, count(*) FROM lines GROUP BY seq, k')).toContain('StreamAggregate BY seq, k');
  });

  it('groups by an index key read in order', async () => {
    expect(await explain('SELECT order_id, count(*) FROM shipments WHERE order_id BETWEEN 10 AND 20 GROUP BY order_id ORDER BY order_id')).toBe(
      [
        'Project order_id, count(*)',
        '  -> StreamAggregate BY order_id [count(*)]',
        '    -> IndexScan shipments USING shipments_order WHERE key >= 10 AND <= 20',
      ].join('\n'),
    );
  });

  it('is not chosen when equal group keys need not be adjacent', async () => {
    expect(await explain('SELECT customer, count(*) FROM orders GROUP BY customer')).toContain('HashAggregate BY customer');
    // Only the second key column: equal values are spread over the whole table.
    expect(await explain('SELECT seq, count(*) FROM lines GROUP BY seq')).toContain('HashAggregate BY seq');
    // An IN list walks its values' ranges one after the other, in the list's order.
    expect(await explain('SELECT order_id, count(*) FROM shipments WHERE order_id IN (3, 1, 2) GROUP BY order_id')).toContain('HashAggregate BY order_id');
    expect(await explain('SELECT name, count(*) FROM names GROUP BY name')).toContain('HashAggregate BY name');
  });
});

describe('sorts the input already satisfies', () => {
  it('are left out', async () => {
    expect(await explain('SELECT id, note FROM orders ORDER BY id')).toBe(['Project id, note', '  -> SeqScan orders'].join('\n'));
    expect(await explain('SELECT id, note FROM orders ORDER BY id LIMIT 5')).toBe(['Limit 5', '  -> Project id, note', '    -> SeqScan orders'].join('\n'));
    expect(await explain('SELECT k, seq FROM lines ORDER BY k, seq')).not.toContain('Sort');
    expect(await explain('SELECT o.id, d.qty FROM orders o JOIN details d ON o.id = d.id ORDER BY d.id')).not.toContain('Sort');
  });

  it('are replaced by walking the table backwards for a descending primary key', async () => {
    const plan = await explain('SELECT id, note FROM orders ORDER BY id DESC');
    expect(plan).toContain('PkRangeScan orders REVERSE');
    expect(plan).not.toContain('Sort');
  });

  it('are kept when the order differs: direction, NULL placement, a later key, a collation', async () => {
    expect(await explain('SELECT id, note FROM orders ORDER BY id DESC NULLS FIRST')).toMatch(/^Sort id DESC/);
    expect(await explain('SELECT k, seq FROM lines ORDER BY k NULLS LAST')).toMatch(/^Sort k\n/);
    expect(await explain('SELECT k, seq FROM lines ORDER BY seq, k')).toContain('Sort seq, k');
    expect(await explain('SELECT name FROM names ORDER BY name')).toContain('Sort name');
  });
});

// EXPLAIN output drawn as a tree with box-drawing connectors.

import { describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import { explainTree } from '../../src/repl/explain-tree.js';

describe('explainTree', () => {
  it('connects each operator to its inputs', () => {
    const lines = ['Sort x', '  -> HashJoin', '    -> Filter a', '      -> SeqScan t', '    -> SeqScan u', '  -> Extra'];
    expect(explainTree(lines)).toBe(
      ['Sort x', '├─ HashJoin', '│  ├─ Filter a', '│  │  └─ SeqScan t', '│  └─ SeqScan u', '└─ Extra'].join('\n'),
    );
  });

  it('draws the plan the engine prints', async () => {
    await using db = await Database.open(':memory:');
    await db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE posts (id INTEGER PRIMARY KEY, uid INTEGER)');
    const r = await db.executeSql('EXPLAIN SELECT u.name FROM users u JOIN posts p ON p.uid = u.id WHERE u.id > 3');
    const tree = explainTree(r.rows.map((row) => String(row[0])));
    const lines = tree.split('\n');
    expect(lines).toHaveLength(r.rows.length);
    expect(lines[0]).not.toMatch(/^[├└│ ]/);
    expect(tree).toMatch(/├─ Filter .*\n *│  └─ SeqScan users AS u/);
    expect(lines.at(-1)).toMatch(/^ *└─ SeqScan posts AS p/);
  });
});

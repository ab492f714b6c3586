// INSERT, UPDATE and DELETE in their SQLite, Postgres and MySQL forms.
import { describe, expect, it } from 'vitest';
import { id, parseAs, show, strip } from './helpers.js';

describe('INSERT', () => {
  it('parses a multi-row VALUES insert with a column list', () => {
    const s = parseAs("INSERT INTO t (a, b) VALUES (1, 'x'), (2, DEFAULT)", 'InsertStatement');
    expect(strip(s)).toMatchObject({
      table: { name: id('t') },
      columns: [id('a'), id('b')],
      source: { kind: 'SelectStatement', body: { kind: 'ValuesClause', rows: [[{ value: 1 }, { value: 'x' }], [{ value: 2 }, { kind: 'DefaultExpression' }]] } },
      upsert: [],
      returning: [],
    });
    expect(s.conflict).toBeUndefined();
  });

  it('reads the conflict forms of SQLite and MySQL', () => {
    const conflict = (sql: string) => parseAs(sql, 'InsertStatement').conflict;
    expect(conflict('INSERT OR IGNORE INTO t VALUES (1)')).toBe('IGNORE');
    expect(conflict('INSERT OR REPLACE INTO t VALUES (1)')).toBe('REPLACE');
    expect(conflict('INSERT OR ABORT INTO t VALUES (1)')).toBe('ABORT');
    expect(conflict('INSERT OR FAIL INTO t VALUES (1)')).toBe('FAIL');
    expect(conflict('INSERT OR ROLLBACK INTO t VALUES (1)')).toBe('ROLLBACK');
    expect(conflict('REPLACE INTO t VALUES (1)')).toBe('REPLACE');
    expect(conflict('INSERT IGNORE INTO t VALUES (1)')).toBe('IGNORE');
  });

  it('parses INSERT … SELECT, parenthesized or not, and DEFAULT VALUES', () => {
    expect(parseAs('INSERT INTO t SELECT * FROM u', 'InsertStatement').source).toMatchObject({ kind: 'SelectStatement', body: { kind: 'SelectCore' } });
    expect(parseAs('INSERT INTO t (SELECT * FROM u)', 'InsertStatement')).toMatchObject({ columns: [], source: { body: { kind: 'SelectCore' } } });
    expect(parseAs('INSERT INTO t (a) (SELECT 1)', 'InsertStatement')).toMatchObject({ columns: [{ name: 'a' }] });
    expect(parseAs('INSERT INTO t WITH x AS (SELECT 1) SELECT * FROM x', 'InsertStatement').source).toMatchObject({ with: { ctes: [{}] } });
    expect(parseAs('INSERT INTO t DEFAULT VALUES', 'InsertStatement').source.kind).toBe('DefaultValues');
  });

  it('parses an insert alias', () => {
    expect(parseAs('INSERT INTO t AS x VALUES (1)', 'InsertStatement').alias).toMatchObject({ name: 'x' });
  });

  it('parses ON CONFLICT DO NOTHING / DO UPDATE with targets and WHERE', () => {
    const s = parseAs('INSERT INTO t (a, b) VALUES (1, 2) ON CONFLICT (a) WHERE a > 0 DO UPDATE SET b = excluded.b, (c, d) = (1, 2) WHERE t.b < excluded.b', 'InsertStatement');
    expect(strip(s.upsert)).toMatchObject([
      {
        kind: 'UpsertClause',
        syntax: 'ON CONFLICT',
        targetColumns: [{ kind: 'IndexedColumn', expr: { column: id('a') } }],
        targetWhere: { op: '>' },
        action: 'UPDATE',
        assignments: [
          { kind: 'Assignment', columns: [id('b')], value: { kind: 'ColumnRef', table: id('excluded'), column: id('b') } },
          { kind: 'Assignment', columns: [id('c'), id('d')], value: { kind: 'RowExpression' } },
        ],
        where: { op: '<' },
      },
    ]);
    expect(parseAs('INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING', 'InsertStatement').upsert[0]).toMatchObject({ action: 'NOTHING', targetColumns: [] });
    expect(parseAs('INSERT INTO t VALUES (1) ON CONFLICT ON CONSTRAINT t_pkey DO NOTHING', 'InsertStatement').upsert[0]).toMatchObject({
      targetConstraint: { name: 't_pkey' },
    });
    expect(parseAs('INSERT INTO t VALUES (1) ON CONFLICT (a) DO NOTHING ON CONFLICT DO UPDATE SET a = 2', 'InsertStatement').upsert).toHaveLength(2);
  });

  it('parses ON DUPLICATE KEY UPDATE with VALUES(col)', () => {
    const s = parseAs('INSERT INTO t (a, b) VALUES (1, 2) ON DUPLICATE KEY UPDATE b = VALUES(b), a = a + 1', 'InsertStatement');
    expect(s.upsert[0]).toMatchObject({ syntax: 'ON DUPLICATE KEY', action: 'UPDATE', targetColumns: [] });
    expect(s.upsert[0].assignments.map((a) => `${a.columns[0].name}=${show(a.value)}`)).toEqual(['b=VALUES(b)', 'a=(a + 1)']);
  });

  it('parses RETURNING', () => {
    const s = parseAs('INSERT INTO t VALUES (1) RETURNING *, id AS new_id', 'InsertStatement');
    expect(strip(s.returning)).toEqual([
      { kind: 'SelectStar', qualifier: [] },
      { kind: 'SelectColumn', expr: { kind: 'ColumnRef', column: id('id') }, alias: id('new_id') },
    ]);
  });

  it('parses Chinook-style quoted inserts with national strings', () => {
    const s = parseAs("INSERT INTO [Artist] ([ArtistId], [Name]) VALUES (1, N'AC/DC'), (2, 'Guns N'' Roses');", 'InsertStatement');
    expect(s.table.name).toMatchObject({ name: 'Artist', quoted: true });
    expect(strip(s.source)).toMatchObject({ body: { rows: [[{}, { value: 'AC/DC' }], [{}, { value: "Guns N' Roses" }]] } });
  });
});

describe('UPDATE', () => {
  it('parses SET, FROM, WHERE, RETURNING, OR and aliases', () => {
    const s = parseAs('UPDATE OR IGNORE t AS x SET a = 1, (b, c) = (2, 3) FROM u WHERE x.id = u.id RETURNING a', 'UpdateStatement');
    expect(strip(s)).toMatchObject({
      conflict: 'IGNORE',
      table: { name: id('t') },
      alias: id('x'),
      assignments: [{ columns: [id('a')] }, { columns: [id('b'), id('c')] }],
      from: { kind: 'TableRef' },
      where: { op: '=' },
      returning: [{ kind: 'SelectColumn' }],
    });
    expect(parseAs('UPDATE t y SET a = 1', 'UpdateStatement').alias).toMatchObject({ name: 'y' });
    expect(parseAs('UPDATE t SET a = (SELECT max(b) FROM u)', 'UpdateStatement').assignments[0].value.kind).toBe('SubqueryExpression');
  });
});

describe('DELETE', () => {
  it('parses WHERE, aliases and RETURNING', () => {
    const s = parseAs('DELETE FROM main.t AS x WHERE x.a = 1 RETURNING *', 'DeleteStatement');
    expect(strip(s)).toMatchObject({ table: { schema: id('main'), name: id('t') }, alias: id('x'), where: { op: '=' }, returning: [{ kind: 'SelectStar' }] });
    expect(parseAs('DELETE FROM t', 'DeleteStatement').where).toBeUndefined();
  });
});

describe('WITH before data-changing statements', () => {
  it('attaches the WITH clause to INSERT, UPDATE and DELETE', () => {
    expect(parseAs('WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', 'InsertStatement').with).toBeDefined();
    expect(parseAs('WITH x AS (SELECT 1) UPDATE t SET a = 1', 'UpdateStatement').with).toBeDefined();
    const d = parseAs('WITH x AS (SELECT 1) DELETE FROM t WHERE a IN (SELECT * FROM x)', 'DeleteStatement');
    expect(d.with?.ctes[0].name.name).toBe('x');
    expect(d.span.start).toBe(0);
  });
});

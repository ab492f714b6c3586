// Query parsing: select lists, FROM and joins, clauses, compound queries, VALUES, WITH, LIMIT forms.
import { describe, expect, it } from 'vitest';
import type { FromItem, SelectCore, SelectStatement } from '../../src/compiler/ast.js';
import { id, parseAs, parseStatement, show, strip } from './helpers.js';

function select(sql: string): SelectStatement {
  return parseAs(sql, 'SelectStatement');
}

function core(sql: string): SelectCore {
  const body = select(sql).body;
  if (body.kind !== 'SelectCore') throw new Error(`expected a SelectCore, got ${body.kind}`);
  return body;
}

/** FROM items printed as nested joins: (a CROSS (b INNER c)). */
function showFrom(item: FromItem): string {
  switch (item.kind) {
    case 'TableRef':
      return item.name.name.name + (item.alias ? ` ${item.alias.name}` : '') + (item.columnAliases.length ? `(${item.columnAliases.map((c) => c.name).join(',')})` : '');
    case 'SubqueryRef':
      return `<subquery>${item.alias ? ` ${item.alias.name}` : ''}`;
    case 'TableFunctionRef':
      return `${item.call.name.name.name}(…)${item.alias ? ` ${item.alias.name}` : ''}`;
    case 'JoinClause':
      return `(${showFrom(item.left)} ${item.natural ? 'NATURAL ' : ''}${item.joinType} ${showFrom(item.right)}${item.on ? ` ON ${show(item.on)}` : ''}${item.using.length ? ` USING ${item.using.map((u) => u.name).join(',')}` : ''})`;
  }
}

describe('select list', () => {
  it('parses stars, qualified stars, expressions and aliases', () => {
    const c = core('SELECT *, t.*, s.t.*, a, b AS c, d e, "f" AS "G" FROM t');
    expect(strip(c.columns)).toEqual([
      { kind: 'SelectStar', qualifier: [] },
      { kind: 'SelectStar', qualifier: [id('t')] },
      { kind: 'SelectStar', qualifier: [id('s'), id('t')] },
      { kind: 'SelectColumn', expr: { kind: 'ColumnRef', column: id('a') } },
      { kind: 'SelectColumn', expr: { kind: 'ColumnRef', column: id('b') }, alias: id('c') },
      { kind: 'SelectColumn', expr: { kind: 'ColumnRef', column: id('d') }, alias: id('e') },
      { kind: 'SelectColumn', expr: { kind: 'ColumnRef', column: id('f', true) }, alias: id('G', true) },
    ]);
  });

  it('reads non-reserved keywords after an expression as aliases', () => {
    const c = core('SELECT count(*) filter, f(x) over, x key FROM t');
    expect(c.columns.map((item) => (item.kind === 'SelectColumn' ? item.alias?.name : '*'))).toEqual(['filter', 'over', 'key']);
  });

  it('parses DISTINCT and ALL', () => {
    expect(core('SELECT DISTINCT a FROM t').distinct).toBe(true);
    expect(core('SELECT ALL a FROM t').distinct).toBe(false);
  });

  it('parses a select without FROM', () => {
    expect(core('SELECT 1, 2').from).toBeUndefined();
  });
});

describe('FROM and joins', () => {
  const cases: [string, string][] = [
    ['SELECT * FROM t', 't'],
    ['SELECT * FROM t AS x', 't x'],
    ['SELECT * FROM t x', 't x'],
    ['SELECT * FROM main.t', 't'],
    ['SELECT * FROM a, b, c', '((a CROSS b) CROSS c)'],
    ['SELECT * FROM a JOIN b ON a.id = b.id', '(a INNER b ON (a.id = b.id))'],
    ['SELECT * FROM a INNER JOIN b USING (id, k)', '(a INNER b USING id,k)'],
    ['SELECT * FROM a LEFT OUTER JOIN b ON x LEFT JOIN c ON y', '((a LEFT b ON x) LEFT c ON y)'],
    ['SELECT * FROM a RIGHT JOIN b ON x FULL OUTER JOIN c ON y', '((a RIGHT b ON x) FULL c ON y)'],
    ['SELECT * FROM a CROSS JOIN b', '(a CROSS b)'],
    ['SELECT * FROM a NATURAL JOIN b', '(a NATURAL INNER b)'],
    ['SELECT * FROM a NATURAL LEFT JOIN b', '(a NATURAL LEFT b)'],
    // Commas bind looser than JOIN.
    ['SELECT * FROM a, b JOIN c ON x', '(a CROSS (b INNER c ON x))'],
    ['SELECT * FROM (a JOIN b ON x) JOIN c ON y', '((a INNER b ON x) INNER c ON y)'],
    ['SELECT * FROM (SELECT 1) AS s', '<subquery> s'],
    ['SELECT * FROM (SELECT 1) s, (VALUES (1)) v', '(<subquery> s CROSS <subquery> v)'],
    ['SELECT * FROM ((SELECT 1) UNION (SELECT 2)) u', '<subquery> u'],
    ['SELECT * FROM t AS x (a, b)', 't x(a,b)'],
    ['SELECT * FROM generate_series(1, 10) AS g', 'generate_series(…) g'],
    ['SELECT * FROM t, json_each(t.doc)', '(t CROSS json_each(…))'],
  ];
  for (const [sql, expected] of cases) {
    it(sql, () => expect(showFrom(core(sql).from!)).toBe(expected));
  }
});

describe('index hints', () => {
  it('parses INDEXED BY and NOT INDEXED', () => {
    expect(core('SELECT * FROM t INDEXED BY i WHERE a = 1').from).toMatchObject({ kind: 'TableRef', indexedBy: { name: 'i' } });
    expect(core('SELECT * FROM t AS x NOT INDEXED').from).toMatchObject({ alias: { name: 'x' }, notIndexed: true });
    expect(core('SELECT * FROM t indexed').from).toMatchObject({ alias: { name: 'indexed' } });
  });
});

describe('clauses', () => {
  it('parses WHERE, GROUP BY, HAVING and WINDOW', () => {
    const c = core('SELECT a, count(*) FROM t WHERE a > 1 GROUP BY a, b HAVING count(*) > 2 WINDOW w AS (ORDER BY a), v AS (w)');
    expect(show(c.where!)).toBe('(a > 1)');
    expect(c.groupBy.map(show)).toEqual(['a', 'b']);
    expect(show(c.having!)).toBe('(count(*) > 2)');
    expect(strip(c.windows)).toMatchObject([
      { kind: 'NamedWindow', name: id('w'), spec: { orderBy: [{ expr: { column: id('a') } }] } },
      { kind: 'NamedWindow', name: id('v'), spec: { base: id('w') } },
    ]);
  });

  it('parses ORDER BY terms', () => {
    const s = select('SELECT a FROM t ORDER BY a, b DESC, c ASC NULLS FIRST, d COLLATE nocase NULLS LAST');
    expect(s.orderBy.map((o) => [show(o.expr), o.direction, o.nulls])).toEqual([
      ['a', undefined, undefined],
      ['b', 'DESC', undefined],
      ['c', 'ASC', 'FIRST'],
      ['(d COLLATE nocase)', undefined, 'LAST'],
    ]);
  });

  it('parses every LIMIT form', () => {
    const limits = (sql: string) => {
      const s = select(`SELECT a FROM t ${sql}`);
      return [s.limit && show(s.limit), s.offset && show(s.offset)];
    };
    expect(limits('LIMIT 10')).toEqual(['10', undefined]);
    expect(limits('LIMIT 10 OFFSET 5')).toEqual(['10', '5']);
    expect(limits('LIMIT 5, 10')).toEqual(['10', '5']);
    expect(limits('LIMIT ALL')).toEqual([undefined, undefined]);
    expect(limits('LIMIT ? OFFSET ?')).toEqual(['?#1', '?#2']);
    expect(limits('OFFSET 5')).toEqual([undefined, '5']);
    expect(limits('OFFSET 5 ROWS')).toEqual([undefined, '5']);
    expect(limits('OFFSET 5 ROWS FETCH FIRST 10 ROWS ONLY')).toEqual(['10', '5']);
    expect(limits('FETCH NEXT 3 ROW ONLY')).toEqual(['3', undefined]);
    expect(limits('FETCH FIRST ROW ONLY')).toEqual(['1', undefined]);
  });
});

describe('compound queries', () => {
  it('associates to the left with equal precedence', () => {
    const s = select('SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT ALL SELECT 4 ORDER BY 1 LIMIT 2');
    expect(strip(s.body)).toMatchObject({
      kind: 'CompoundSelect',
      op: 'EXCEPT ALL',
      left: { kind: 'CompoundSelect', op: 'INTERSECT', left: { kind: 'CompoundSelect', op: 'UNION' } },
      right: { kind: 'SelectCore' },
    });
    expect(s.orderBy).toHaveLength(1);
    expect(s.limit).toBeDefined();
  });

  it('reads UNION DISTINCT and UNION ALL', () => {
    expect(select('SELECT 1 UNION DISTINCT SELECT 2').body).toMatchObject({ op: 'UNION' });
    expect(select('SELECT 1 UNION ALL SELECT 2').body).toMatchObject({ op: 'UNION ALL' });
    expect(select('SELECT 1 INTERSECT ALL SELECT 2').body).toMatchObject({ op: 'INTERSECT ALL' });
  });

  it('keeps parenthesized operands with their own ORDER BY/LIMIT', () => {
    const s = select('(SELECT 1) UNION (SELECT 2 ORDER BY 1 LIMIT 1)');
    expect(strip(s.body)).toMatchObject({
      kind: 'CompoundSelect',
      left: { kind: 'SelectCore' },
      right: { kind: 'SelectStatement', body: { kind: 'SelectCore' }, limit: { value: 1 } },
    });
  });

  it('unwraps a lone parenthesized query', () => {
    const s = select('((SELECT 1))');
    expect(s.body.kind).toBe('SelectCore');
  });
});

describe('VALUES and WITH', () => {
  it('parses VALUES as a query', () => {
    const s = select('VALUES (1, 2), (3, 4)');
    expect(strip(s.body)).toMatchObject({ kind: 'ValuesClause', rows: [[{ value: 1 }, { value: 2 }], [{ value: 3 }, { value: 4 }]] });
  });

  it('parses CTEs with columns, RECURSIVE and MATERIALIZED', () => {
    const s = select('WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM cnt WHERE x < 10), m AS MATERIALIZED (SELECT 2), n AS NOT MATERIALIZED (SELECT 3) SELECT x FROM cnt');
    expect(strip(s.with)).toMatchObject({
      kind: 'WithClause',
      recursive: true,
      ctes: [
        { name: id('cnt'), columns: [id('x')], query: { body: { kind: 'CompoundSelect', op: 'UNION ALL' } } },
        { name: id('m'), materialized: true },
        { name: id('n'), materialized: false },
      ],
    });
    expect(s.span.start).toBe(0);
  });

  it('reads a CTE named recursive', () => {
    const s = select('WITH recursive AS (SELECT 1) SELECT * FROM recursive');
    expect(s.with).toMatchObject({ recursive: false, ctes: [{ name: { name: 'recursive' } }] });
  });

  it('allows WITH inside subqueries', () => {
    const s = select('SELECT * FROM (WITH a AS (SELECT 1) SELECT * FROM a) x');
    const from = (s.body as SelectCore).from!;
    expect(from).toMatchObject({ kind: 'SubqueryRef', query: { with: { ctes: [{ name: { name: 'a' } }] } } });
  });
});

describe('statement level', () => {
  it('parses SELECT in any case and spacing', () => {
    expect(parseStatement('select\n\ta\nfrom\tt').kind).toBe('SelectStatement');
  });
});

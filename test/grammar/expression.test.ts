// Expression parsing: precedence, literals, parameters, calls, windows, CASE, CAST, predicates.
import { describe, expect, it } from 'vitest';
import { parseExpr, parseStatement, showExpr, strip } from './helpers.js';

describe('operator precedence', () => {
  const cases: [string, string][] = [
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['1 * 2 + 3', '((1 * 2) + 3)'],
    ['1 - 2 - 3', '((1 - 2) - 3)'],
    ['a / b % c', '((a / b) % c)'],
    ["a || b || 'c'", "((a || b) || 'c')"],
    ['a + b || c', '(a + (b || c))'],
    ["j -> 'a' ->> 'b'", "((j -> 'a') ->> 'b')"],
    ['a & b | c << 1 >> 2', '((((a & b) | c) << 1) >> 2)'],
    ['a + 1 & b', '((a + 1) & b)'],
    ['a < b + 1', '(a < (b + 1))'],
    ['a & b < c', '((a & b) < c)'],
    ['a = b < c', '(a = (b < c))'],
    ['a == b != c <> d', '(((a = b) <> c) <> d)'],
    ['a OR b AND c', '(a OR (b AND c))'],
    ['a AND b OR c AND d', '((a AND b) OR (c AND d))'],
    ['NOT a = b', '(NOT (a = b))'],
    ['NOT a AND b', '((NOT a) AND b)'],
    ['NOT NOT a', '(NOT (NOT a))'],
    ['a = 1 AND NOT b OR c', '(((a = 1) AND (NOT b)) OR c)'],
    ['-a * b', '((-a) * b)'],
    ['- a + b', '((-a) + b)'],
    ['~a & b', '((~a) & b)'],
    ['-x::int', '(-CAST(x AS INT))'],
    ['x::text || y', '(CAST(x AS TEXT) || y)'],
    ['-x COLLATE nocase', '((-x) COLLATE nocase)'],
    ['a || b COLLATE c', '(a || (b COLLATE c))'],
    ['(a + b) * c', '((a + b) * c)'],
    // pgvector distances: tighter than comparison, looser than + -.
    ['e <-> q < 0.5', '((e <-> q) < 0.5r)'],
    ['e <=> q + 1', '(e <=> (q + 1))'],
    ['e <#> q * 2', '(e <#> (q * 2))'],
    ['a <-> b <-> c', '((a <-> b) <-> c)'],
    ['e <-> q & m', '((e <-> q) & m)'],
    ['a = b IS NULL', '((a = b) IS NULL)'],
    ['a BETWEEN 1 AND 2 AND b', '((a BETWEEN 1 AND 2) AND b)'],
    ['a BETWEEN b + 1 AND c * 2', '(a BETWEEN (b + 1) AND (c * 2))'],
    ['a NOT BETWEEN 1 AND 2', '(a NOT BETWEEN 1 AND 2)'],
    ['a IN (1, 2) = b', '((a IN (1, 2)) = b)'],
    ['a LIKE b || c', '(a LIKE (b || c))'],
    ['NOT a LIKE b', '(NOT (a LIKE b))'],
    ['a < b = c > d', '((a < b) = (c > d))'],
  ];
  for (const [sql, expected] of cases) {
    it(sql, () => expect(showExpr(sql)).toBe(expected));
  }
});

describe('predicates', () => {
  const cases: [string, string][] = [
    ['a IS NULL', '(a IS NULL)'],
    ['a IS NOT NULL', '(a IS NOT NULL)'],
    ['a ISNULL', '(a IS NULL)'],
    ['a NOTNULL', '(a IS NOT NULL)'],
    ['a NOT NULL', '(a IS NOT NULL)'],
    ['a IS TRUE', '(a IS TRUE)'],
    ['a IS NOT b', '(a IS NOT b)'],
    ['a IS DISTINCT FROM b', '(a IS DISTINCT FROM b)'],
    ['a IS NOT DISTINCT FROM NULL', '(a IS NOT DISTINCT FROM NULL)'],
    ['a IN (1, 2, 3)', '(a IN (1, 2, 3))'],
    ['a NOT IN (SELECT b FROM t)', '(a NOT IN (<SelectCore>))'],
    ['a IN ()', '(a IN ())'],
    ['a IN t', '(a IN t)'],
    ['(a, b) IN ((1, 2), (3, 4))', '(ROW(a, b) IN (ROW(1, 2), ROW(3, 4)))'],
    ["a LIKE 'x%' ESCAPE '!'", "(a LIKE 'x%' ESCAPE '!')"],
    ["a NOT ILIKE 'x'", "(a NOT ILIKE 'x')"],
    ["a GLOB 'x*'", "(a GLOB 'x*')"],
    ["a NOT REGEXP '^x'", "(a NOT REGEXP '^x')"],
    ["a MATCH 'q'", "(a MATCH 'q')"],
    ['EXISTS (SELECT 1)', 'EXISTS(<SelectCore>)'],
    ['NOT EXISTS (SELECT 1)', '(NOT EXISTS(<SelectCore>))'],
    ['(SELECT max(x) FROM t)', '(<SelectCore>)'],
    ['(VALUES (1))', '(<ValuesClause>)'],
  ];
  for (const [sql, expected] of cases) {
    it(sql, () => expect(showExpr(sql)).toBe(expected));
  }
});

describe("SQLite's x IN table", () => {
  it('keeps the table name', () => {
    expect(strip(parseExpr('1 NOT IN main.t1'))).toMatchObject({ kind: 'InExpression', negated: true, list: [], table: { schema: { name: 'main' }, name: { name: 't1' } } });
  });
});

describe('literals', () => {
  it('distinguishes integers from reals and keeps big integers exact', () => {
    expect(strip(parseExpr('42'))).toEqual({ kind: 'IntegerLiteral', value: 42, text: '42' });
    expect(strip(parseExpr('42.0'))).toEqual({ kind: 'RealLiteral', value: 42, text: '42.0' });
    expect(strip(parseExpr('1e3'))).toEqual({ kind: 'RealLiteral', value: 1000, text: '1e3' });
    expect(strip(parseExpr('9007199254740991'))).toMatchObject({ value: 9007199254740991 });
    expect(strip(parseExpr('9007199254740993'))).toMatchObject({ value: '9007199254740993n' });
    expect(strip(parseExpr('18446744073709551616'))).toMatchObject({ value: '18446744073709551616n' });
    expect(strip(parseExpr('0x7FFFFFFFFFFFFFFF'))).toMatchObject({ value: '9223372036854775807n' });
    expect(strip(parseExpr('0xff'))).toMatchObject({ value: 255 });
    expect(strip(parseExpr('000123'))).toMatchObject({ value: 123 });
  });

  it('folds a minus sign into numeric literals', () => {
    expect(strip(parseExpr('-1'))).toEqual({ kind: 'IntegerLiteral', value: -1, text: '-1' });
    expect(strip(parseExpr('-2.5'))).toEqual({ kind: 'RealLiteral', value: -2.5, text: '-2.5' });
    expect(strip(parseExpr('-9223372036854775808'))).toMatchObject({ value: '-9223372036854775808n' });
    expect(strip(parseExpr('-9007199254740991'))).toMatchObject({ value: -9007199254740991 });
    expect(strip(parseExpr('- -1'))).toMatchObject({ kind: 'IntegerLiteral', value: 1 });
    expect(parseExpr('-0')).toMatchObject({ value: 0 });
    expect(showExpr('+1')).toBe('(+1)');
  });

  it('resolves string escapes', () => {
    expect(parseExpr("'it''s'")).toMatchObject({ kind: 'StringLiteral', value: "it's" });
    expect(parseExpr("E'a\\nb\\t\\\\\\'c'")).toMatchObject({ value: "a\nb\t\\'c" });
    expect(parseExpr("E'\\x41\\u00e9\\101'")).toMatchObject({ value: 'AéA' });
    expect(parseExpr("E'it''s'")).toMatchObject({ value: "it's" });
    expect(parseExpr("N'naïve'")).toMatchObject({ value: 'naïve' });
    expect(parseExpr("''")).toMatchObject({ value: '' });
  });

  it('parses blobs, NULL, booleans, current time, DEFAULT', () => {
    expect(strip(parseExpr("x'00ff10'"))).toEqual({ kind: 'BlobLiteral', value: [0, 255, 16] });
    expect(showExpr('NULL')).toBe('NULL');
    expect(showExpr('true')).toBe('TRUE');
    expect(showExpr('False')).toBe('FALSE');
    expect(showExpr('current_timestamp')).toBe('CURRENT_TIMESTAMP');
    expect(showExpr('CURRENT_DATE')).toBe('CURRENT_DATE');
    expect(showExpr('CURRENT_TIME')).toBe('CURRENT_TIME');
    expect(showExpr('DEFAULT')).toBe('DEFAULT');
  });

  it('parses INTERVAL literals and still reads interval as a name', () => {
    expect(showExpr("INTERVAL '1 day'")).toBe("INTERVAL '1 day'");
    expect(showExpr("interval '2' hour")).toBe("INTERVAL '2' HOUR");
    expect(showExpr('INTERVAL 3 DAYS')).toBe("INTERVAL '3' DAYS");
    expect(showExpr('interval + 1')).toBe('(interval + 1)');
    expect(showExpr("now() - INTERVAL '1 hour'")).toBe("(now() - INTERVAL '1 hour')");
  });
});

describe('parameters', () => {
  it('numbers anonymous parameters per statement and reads the other styles', () => {
    expect(showExpr('? + ? + ?7 + $2 + :name + @other + $named')).toBe('((((((?#1 + ?#2) + $#7) + $#2) + :name) + :other) + :named)');
    expect(parseExpr('@other')).toMatchObject({ kind: 'Parameter', style: 'named', name: 'other', text: '@other' });
  });
});

describe('names and calls', () => {
  it('parses one-, two- and three-part column references', () => {
    expect(strip(parseExpr('s.t.c'))).toEqual({
      kind: 'ColumnRef',
      schema: { kind: 'Identifier', name: 's', quoted: false },
      table: { kind: 'Identifier', name: 't', quoted: false },
      column: { kind: 'Identifier', name: 'c', quoted: false },
    });
    expect(showExpr('"T"."Col"')).toBe('"T"."Col"');
    expect(showExpr('[a b].`c`')).toBe('"a b"."c"');
  });

  it('keeps the spelling and quoting of names', () => {
    expect(parseExpr('MixedCase')).toMatchObject({ column: { name: 'MixedCase', quoted: false } });
    expect(parseExpr('"Mixed""Case"')).toMatchObject({ column: { name: 'Mixed"Case', quoted: true } });
  });

  it('lets non-reserved keywords be names', () => {
    for (const word of ['key', 'name', 'desc', 'asc', 'replace', 'action', 'level', 'temp', 'view', 'index', 'row', 'first', 'plan', 'query', 'data', 'time']) {
      expect(showExpr(`${word} + 1`)).toBe(`(${word} + 1)`);
    }
  });

  it('parses function calls of every shape', () => {
    expect(showExpr('count(*)')).toBe('count(*)');
    expect(showExpr('count(DISTINCT x)')).toBe('count(DISTINCT x)');
    expect(showExpr('count(ALL x)')).toBe('count(x)');
    expect(showExpr('now()')).toBe('now()');
    expect(showExpr("coalesce(a, b, 'c')")).toBe("coalesce(a, b, 'c')");
    expect(showExpr("pg_catalog.set_config('x', '', false)")).toBe("pg_catalog.set_config('x', '', FALSE)");
    expect(showExpr("string_agg(name, ',' ORDER BY name DESC)")).toBe("string_agg(name, ',' ORDER BY name DESC)");
    expect(showExpr('sum(x) FILTER (WHERE x > 0)')).toBe('sum(x) FILTER (WHERE (x > 0))');
    expect(showExpr("replace(a, 'x', 'y')")).toBe("replace(a, 'x', 'y')");
    expect(showExpr('left(a, 2) || right(a, 1)')).toBe('(left(a, 2) || right(a, 1))');
    expect(showExpr('VALUES(a)')).toBe('VALUES(a)');
    expect(showExpr("glob('a*', b)")).toBe("glob('a*', b)");
    expect(showExpr('if(a, 1, 2)')).toBe('if(a, 1, 2)');
  });

  it('parses window calls', () => {
    const call = parseExpr('row_number() OVER (PARTITION BY a, b ORDER BY c DESC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)');
    expect(strip(call)).toMatchObject({
      kind: 'FunctionCall',
      over: {
        kind: 'WindowSpec',
        partitionBy: [{ column: { name: 'a' } }, { column: { name: 'b' } }],
        orderBy: [{ kind: 'OrderingTerm', direction: 'DESC', nulls: 'LAST' }],
        frame: {
          units: 'ROWS',
          start: { kind: 'FrameBound', type: 'UNBOUNDED PRECEDING' },
          end: { kind: 'FrameBound', type: 'CURRENT ROW' },
        },
      },
    });
    expect(strip(parseExpr('sum(x) OVER (RANGE 3 PRECEDING)'))).toMatchObject({
      over: { frame: { units: 'RANGE', start: { type: 'PRECEDING', offset: { value: 3 } } } },
    });
    expect(strip(parseExpr('sum(x) OVER (w GROUPS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)'))).toMatchObject({
      over: { base: { name: 'w' }, frame: { units: 'GROUPS', start: { type: 'FOLLOWING' }, end: { type: 'UNBOUNDED FOLLOWING' } } },
    });
    expect(showExpr('rank() OVER w')).toBe('rank() OVER w');
  });
});

describe('CASE, CAST and casts', () => {
  it('parses simple and searched CASE', () => {
    expect(showExpr("CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' ELSE 'c' END")).toBe("CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' ELSE 'c' END");
    expect(showExpr('CASE WHEN a > 0 THEN 1 END')).toBe('CASE WHEN (a > 0) THEN 1 END');
  });

  it('parses type names with parameters and multi-word names', () => {
    expect(showExpr('CAST(x AS VARCHAR(40))')).toBe('CAST(x AS VARCHAR(40))');
    expect(showExpr('CAST(x AS NUMERIC(10, 2))')).toBe('CAST(x AS NUMERIC(10,2))');
    expect(showExpr('CAST(x AS DOUBLE PRECISION)')).toBe('CAST(x AS DOUBLE PRECISION)');
    expect(showExpr('CAST(x AS character varying(20))')).toBe('CAST(x AS CHARACTER VARYING(20))');
    expect(showExpr('CAST(x AS TIMESTAMP WITH TIME ZONE)')).toBe('CAST(x AS TIMESTAMP WITH TIME ZONE)');
    expect(showExpr('x::timestamp without time zone')).toBe('CAST(x AS TIMESTAMP WITHOUT TIME ZONE)');
    expect(showExpr('x::vector(3)')).toBe('CAST(x AS VECTOR(3))');
    expect(showExpr('x::int::text')).toBe('CAST(CAST(x AS INT) AS TEXT)');
    expect(parseExpr('CAST(x AS INT)')).toMatchObject({ syntax: 'CAST' });
    expect(parseExpr('x::INT')).toMatchObject({ syntax: '::' });
  });
});

describe('spans', () => {
  it('cover exactly the text of each node, parentheses included', () => {
    const sql = "SELECT (a + b) * -3, f(x) FILTER (WHERE y), t.c COLLATE nocase, CAST(z AS INT), ?, INTERVAL '1 day', (a) FROM t";
    const statement = parseStatement(sql);
    if (statement.kind !== 'SelectStatement' || statement.body.kind !== 'SelectCore') throw new Error('unexpected shape');
    const texts = statement.body.columns.map((c) => sql.slice(c.span.start, c.span.end));
    expect(texts).toEqual([
      '(a + b) * -3', 'f(x) FILTER (WHERE y)', 't.c COLLATE nocase', 'CAST(z AS INT)', '?', "INTERVAL '1 day'", '(a)',
    ]);
    expect(statement.span).toEqual({ start: 0, end: sql.length });
    const first = statement.body.columns[0];
    if (first.kind !== 'SelectColumn' || first.expr.kind !== 'BinaryExpression') throw new Error('unexpected shape');
    expect(sql.slice(first.expr.left.span.start, first.expr.left.span.end)).toBe('(a + b)');
    expect(sql.slice(first.expr.right.span.start, first.expr.right.span.end)).toBe('-3');
  });
});

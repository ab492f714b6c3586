// Syntax errors: position, offending token, short expected lists, caret excerpts, lexer errors, limits.
import { describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH } from '../../src/compiler/parse.js';
import { QuerySyntaxError } from '../../src/errors.js';
import { parseStatement, parseStatements, syntaxErrorOf } from './helpers.js';

describe('parser errors', () => {
  it('reports line, column, token, expected items and a caret', () => {
    const error = syntaxErrorOf('SELECT a\nFROM t\nWHERE a = = 1');
    expect(error.code).toBe('QUERY_SYNTAX');
    expect(error.phase).toBe('parse');
    expect(error.position).toEqual({ offset: 26, line: 3, column: 11 });
    expect(error.details).toEqual({ token: '=', expected: ['expression'] });
    expect(error.message).toBe("syntax error at line 3, column 11: unexpected '='; expected expression\n3 | WHERE a = = 1\n              ^");
  });

  it('lists what may follow a select item', () => {
    const error = syntaxErrorOf('SELECT FROM t');
    expect(error.details).toEqual({ token: 'FROM', expected: ["'*'", 'expression'] });
    expect(error.position?.column).toBe(8);
  });

  it('points past the last token at the end of input', () => {
    const error = syntaxErrorOf('INSERT INTO t VALUES (1, 2\n\n');
    expect(error.details).toEqual({ token: undefined, expected: ["')'"] });
    expect(error.position).toEqual({ offset: 26, line: 1, column: 27 });
    expect(error.message).toContain('unexpected end of input');
  });

  it('says a statement was expected at the start of a statement', () => {
    expect(syntaxErrorOf('FOO').details).toEqual({ token: 'FOO', expected: ['statement'] });
    const second = syntaxErrorOf('SELECT 1;\nSELEC 2');
    expect(second.position).toMatchObject({ line: 2, column: 1 });
    expect(second.details.expected).toEqual(['statement']);
  });

  it("says ';' or end of input after a complete statement", () => {
    const error = syntaxErrorOf('SELECT * FORM t');
    expect(error.details).toEqual({ token: 'FORM', expected: ["';'", 'end of input'] });
  });

  it('blames the token where the input leaves every alternative', () => {
    const error = syntaxErrorOf('CREATE TRIGGER t1r1 UPDATE ON t1 BEGIN SELECT 1; END');
    // Ten statements start with CREATE; the list is cut at eight entries.
    expect(error.details).toEqual({ token: 'TRIGGER', expected: ['TEMP', 'TEMPORARY', 'TABLE', 'UNIQUE', 'INDEX', 'OR', 'VIEW', '…'] });
    expect(error.position?.column).toBe(8);
    expect(syntaxErrorOf('DROP TRIGGER x').details).toEqual({ token: 'TRIGGER', expected: ['TABLE', 'INDEX', 'VIEW', 'NAMESPACE', 'SCHEMA', 'COLLECTION'] });
  });

  it('keeps expected lists short', () => {
    for (const sql of ['SELECT', 'CREATE TABLE t (a INT,)', 'SELECT a FROM t WHERE', 'BEGIN ISOLATION LEVEL', 'UPDATE t SET', 'SELECT * FROM t JOIN', 'CREATE', 'SELECT (1']) {
      const expected = syntaxErrorOf(sql).details.expected as string[];
      expect(expected.length, sql).toBeGreaterThan(0);
      expect(expected.length, sql).toBeLessThanOrEqual(8);
    }
  });

  it('rejects reserved words as bare names', () => {
    expect(syntaxErrorOf('SELECT * FROM order').details.token).toBe('order');
    expect(syntaxErrorOf('CREATE TABLE t (select INT)').details.token).toBe('select');
  });

  it('rejects names with too many parts', () => {
    expect(syntaxErrorOf('SELECT a.b.c.d FROM t').message).toContain('at most three parts');
    expect(syntaxErrorOf('SELECT a.b.c(1)').message).toContain('at most two parts');
  });

  it('requires exactly one statement from parseStatement', () => {
    expect(() => parseStatement('SELECT 1; SELECT 2')).toThrow(/more than one/);
    expect(() => parseStatement('  ;  ')).toThrow(/found none/);
    expect(parseStatement('SELECT 1;').kind).toBe('SelectStatement');
  });
});

describe('lexer errors', () => {
  const cases: [string, string, number][] = [
    ["SELECT 'abc", 'unterminated string literal', 8],
    ["SELECT E'abc\\'", 'unterminated string literal', 8],
    ['SELECT "abc', 'unterminated quoted identifier', 8],
    ['SELECT [abc', 'unterminated quoted identifier', 8],
    ['SELECT 1 /* open', 'unterminated /* comment', 10],
    ["SELECT x'abc'", 'malformed blob literal', 8],
    ["SELECT x'zz'", 'malformed blob literal', 8],
    ['SELECT #', "unexpected character '#'", 8],
    ['SELECT 1 ! 2', "unexpected character '!'", 10],
    ['\\c chinook', "unexpected character '\\'", 1],
    ['SELECT 12abc', "malformed number '12abc'", 8],
    ['SELECT 1.2.3', "malformed number '1.2.3'", 8],
    ['SELECT 0x', "malformed number '0x'", 8],
  ];
  for (const [sql, message, column] of cases) {
    it(sql, () => {
      const error = syntaxErrorOf(sql);
      expect(error.message).toContain(message);
      expect(error.position?.column).toBe(column);
    });
  }

  it('reports the first problem on a later line with its line number', () => {
    const error = syntaxErrorOf("SELECT 1;\n\nSELECT 'x' || 'y\n");
    expect(error.position).toMatchObject({ line: 3, column: 15 });
  });
});

describe('limits', () => {
  it(`parses nesting up to the budget and rejects deeper nesting`, () => {
    const parens = (n: number) => `SELECT ${'('.repeat(n)}1${')'.repeat(n)}`;
    expect(parseStatement(parens(MAX_NESTING_DEPTH)).kind).toBe('SelectStatement');
    expect(() => parseStatement(parens(MAX_NESTING_DEPTH + 1))).toThrow(/nested too deeply/);
    const subqueries = (n: number) => `SELECT ${'(SELECT '.repeat(n)}1${')'.repeat(n)}`;
    expect(parseStatement(subqueries(60)).kind).toBe('SelectStatement');
    const error = syntaxErrorOf(subqueries(1000));
    expect(error.message).toContain('nested too deeply');
    const cases = `SELECT ${'CASE WHEN x THEN '.repeat(500)}1${' END'.repeat(500)}`;
    expect(() => parseStatement(cases)).toThrow(QuerySyntaxError);
    const explains = `${'EXPLAIN '.repeat(1000)}SELECT 1`;
    expect(() => parseStatement(explains)).toThrow(QuerySyntaxError);
  });

  it('handles long flat inputs without recursion', () => {
    const terms = Array.from({ length: 20000 }, (_, i) => `a${i}`).join(' + ');
    expect(parseStatement(`SELECT ${terms}`).kind).toBe('SelectStatement');
    const nots = `SELECT ${'NOT '.repeat(5000)}1`;
    expect(parseStatement(nots).kind).toBe('SelectStatement');
    const rows = Array.from({ length: 5000 }, (_, i) => `(${i}, 'v${i}')`).join(', ');
    expect(parseStatements(`INSERT INTO t VALUES ${rows}`)).toHaveLength(1);
  });

  it('stays usable after an error', () => {
    expect(() => parseStatements('SELECT (')).toThrow(QuerySyntaxError);
    expect(() => parseStatements(`SELECT ${'('.repeat(5000)}`)).toThrow(QuerySyntaxError);
    expect(parseStatement('SELECT 1').kind).toBe('SelectStatement');
  });
});

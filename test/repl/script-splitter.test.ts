// Splitting shell input into statements and meta-commands: `;` ends a statement only outside strings, names and comments.

import { describe, expect, it } from 'vitest';
import { parseStatements } from '../../src/compiler/parse.js';
import { isInputComplete, splitScript } from '../../src/repl/script-splitter.js';

const texts = (input: string) => splitScript(input).items.map((i) => `${i.kind}:${i.text}`);

describe('splitScript', () => {
  it('splits on ; and keeps the terminator', () => {
    expect(texts('SELECT 1; SELECT 2;')).toEqual(['sql:SELECT 1;', 'sql:SELECT 2;']);
  });

  it('ignores ; inside strings, quoted names and comments', () => {
    const input = `SELECT 'a;b', "c;d", \`e;f\`, [g;h] -- x;y\n FROM t /* ; */ WHERE s = E'it\\'s;' AND n = N'n;';`;
    const { items, rest } = splitScript(input);
    expect(items).toHaveLength(1);
    expect(items[0]!.text).toBe(input);
    expect(rest).toBe('');
  });

  it("handles '' escapes and x'' blobs", () => {
    expect(texts("SELECT 'it''s; fine', x'00ff'; SELECT 2;")).toEqual(["sql:SELECT 'it''s; fine', x'00ff';", 'sql:SELECT 2;']);
  });

  it('an identifier ending in e, n or x before a quote is not a string prefix', () => {
    // `name'…'` is the identifier name followed by a string; the E'…' rule must not apply inside it.
    expect(texts("SELECT name';' FROM t; SELECT 1;")).toEqual(["sql:SELECT name';' FROM t;", 'sql:SELECT 1;']);
  });

  it('leaves an unfinished statement as the rest', () => {
    const r = splitScript('SELECT 1; SELECT *\nFROM t');
    expect(r.items.map((i) => i.text)).toEqual(['SELECT 1;']);
    expect(r.rest).toBe('SELECT *\nFROM t');
    expect(r.restOffset).toBe(10);
  });

  it('an unterminated string or block comment swallows later semicolons', () => {
    expect(splitScript("SELECT 'abc; SELECT 2;").items).toEqual([]);
    expect(splitScript('SELECT 1 /* open; SELECT 2;').items).toEqual([]);
  });

  it('treats lines starting with . or \\ between statements as meta-commands', () => {
    const input = 'SELECT 1;\n.tables\n  \\d users\nSELECT 2;\n';
    expect(texts(input)).toEqual(['sql:SELECT 1;', 'meta:.tables', 'meta:\\d users', 'sql:SELECT 2;']);
  });

  it('a . inside a statement, or a leading decimal, is not a meta-command', () => {
    expect(texts('SELECT a\n.b FROM t;')).toEqual(['sql:SELECT a\n.b FROM t;']);
    expect(texts('.5;')).toEqual(['sql:.5;']);
  });

  it('reports 1-based lines and offsets of items', () => {
    const items = splitScript('-- header\nSELECT 1;\n\n.tables\nSELECT\n2;').items;
    expect(items.map((i) => [i.line, i.offset])).toEqual([
      [2, 10],
      [4, 21],
      [5, 29],
    ]);
  });

  it('comments between statements are not statements', () => {
    expect(splitScript('-- only a comment; really\n/* and ; this */').items).toEqual([]);
    expect(splitScript('-- only a comment; really\n/* and ; this */').rest).toBe('');
  });

  it('agrees with the parser on how many statements a script holds', () => {
    const script = `CREATE TABLE t (a TEXT, b TEXT); INSERT INTO t VALUES ('x;y', 'it''s'); -- c;
      SELECT "a" FROM t /* ; */ WHERE b <> E'\\';'; SELECT x'00'; SELECT a || ';' FROM t;`;
    const items = splitScript(script).items;
    expect(items).toHaveLength(parseStatements(script).length);
    for (const item of items) expect(parseStatements(item.text)).toHaveLength(1);
  });
});

describe('isInputComplete', () => {
  it.each([
    ['', true],
    ['   ', true],
    ['SELECT 1;', true],
    ['SELECT 1;  -- trailing comment', true],
    ['SELECT 1', false],
    ["SELECT ';'", false],
    ["SELECT 'a", false],
    ['SELECT 1; SELECT', false],
    ['.tables', true],
    ['/* c */', true],
  ])('%j -> %s', (input, complete) => {
    expect(isInputComplete(input)).toBe(complete);
  });
});

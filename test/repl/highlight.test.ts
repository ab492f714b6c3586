// Highlighting by the ToonQL lexer: spans cover the input exactly and carry the token's kind.

import { describe, expect, it } from 'vitest';
import { highlight, type HighlightKind } from '../../src/repl/highlight.js';

const kinds = (text: string) => highlight(text).filter((s) => s.kind !== 'space').map((s) => [s.text, s.kind] as [string, HighlightKind]);

describe('highlight', () => {
  it('colours keywords, identifiers, strings, numbers, parameters and operators', () => {
    expect(kinds("select name, 'x''y', 1.5, 0x1F from users where id = :id")).toEqual([
      ['select', 'keyword'],
      ['name', 'identifier'],
      [',', 'operator'],
      ["'x''y'", 'string'],
      [',', 'operator'],
      ['1.5', 'number'],
      [',', 'operator'],
      ['0x1F', 'number'],
      ['from', 'keyword'],
      ['users', 'identifier'],
      ['where', 'keyword'],
      ['id', 'identifier'],
      ['=', 'operator'],
      [':id', 'parameter'],
    ]);
  });

  it('colours comments, which the parser skips', () => {
    expect(kinds('SELECT 1 -- note\n/* block */ + 2')).toEqual([
      ['SELECT', 'keyword'],
      ['1', 'number'],
      ['-- note', 'comment'],
      ['/* block */', 'comment'],
      ['+', 'operator'],
      ['2', 'number'],
    ]);
  });

  it('NULL and TRUE are literals; a keyword prefix inside a name is not a keyword', () => {
    expect(kinds('SELECT NULL, TRUE, selection')).toEqual([
      ['SELECT', 'keyword'],
      ['NULL', 'literal'],
      [',', 'operator'],
      ['TRUE', 'literal'],
      [',', 'operator'],
      ['selection', 'identifier'],
    ]);
  });

  it('a string or comment still being typed runs to the end of the input', () => {
    expect(kinds("SELECT 'abc; FROM t")).toEqual([
      ['SELECT', 'keyword'],
      ["'abc; FROM t", 'string'],
    ]);
    expect(kinds('SELECT /* open')).toEqual([
      ['SELECT', 'keyword'],
      ['/* open', 'comment'],
    ]);
  });

  it('characters the lexer cannot read are errors', () => {
    expect(kinds('SELECT 1 # 2')).toContainEqual(['#', 'error']);
  });

  it('spans concatenate back to the input', () => {
    for (const text of ["SELECT 'a' -- c\n  FROM t WHERE x > 1e3 /* z */;", "x'0g' é \"q", '', '  \n ']) {
      expect(highlight(text).map((s) => s.text).join('')).toBe(text);
    }
  });
});

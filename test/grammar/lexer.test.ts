// Lexer tests: token kinds, keyword matching, quoting, literals, parameters, operators, comments.
import { describe, expect, it } from 'vitest';
import { INVALID_GROUP, toonqlLexer } from '../../grammar/lexer.js';

function lex(sql: string): string[] {
  const result = toonqlLexer.tokenize(sql);
  expect(result.errors).toEqual([]);
  expect(result.groups[INVALID_GROUP] ?? []).toEqual([]);
  return result.tokens.map((tok) => `${tok.tokenType.name}:${tok.image}`);
}

describe('lexer', () => {
  it('matches keywords case-insensitively and prefers longer identifiers', () => {
    expect(lex('select SeLeCt selected in insert inserts into index intx')).toEqual([
      'SELECT:select', 'SELECT:SeLeCt', 'Identifier:selected', 'IN:in', 'INSERT:insert', 'Identifier:inserts',
      'INTO:into', 'INDEX:index', 'Identifier:intx',
    ]);
  });

  it('lexes current_timestamp before current_time and current', () => {
    expect(lex('current_timestamp current_time current_date current')).toEqual([
      'CURRENT_TIMESTAMP:current_timestamp', 'CURRENT_TIME:current_time', 'CURRENT_DATE:current_date', 'CURRENT:current',
    ]);
  });

  it('lexes the four identifier quotings', () => {
    expect(lex('a_1$ "b ""c""" `d``e` [f g] café')).toEqual([
      'Identifier:a_1$', 'QuotedIdentifier:"b ""c"""', 'BacktickIdentifier:`d``e`', 'BracketIdentifier:[f g]', 'Identifier:café',
    ]);
  });

  it('lexes strings, escape strings, national strings and blobs', () => {
    expect(lex(`'it''s' E'a\\'b' e'x' N'n' n'm' x'00Ff' X''`)).toEqual([
      "String:'it''s'", "EscapeString:E'a\\'b'", "EscapeString:e'x'", "NationalString:N'n'", "NationalString:n'm'",
      "Blob:x'00Ff'", "Blob:X''",
    ]);
  });

  it('lexes integers, reals, exponents and hex', () => {
    expect(lex('0 42 3.14 .5 1. 1e10 2.5E-3 0x1F')).toEqual([
      'Integer:0', 'Integer:42', 'Real:3.14', 'Real:.5', 'Real:1.', 'Real:1e10', 'Real:2.5E-3', 'HexInteger:0x1F',
    ]);
  });

  it('lexes all parameter styles and tells :: from :name', () => {
    expect(lex('? ?1 $1 $name :name @name a::int')).toEqual([
      'QuestionParameter:?', 'QuestionParameter:?1', 'DollarParameter:$1', 'DollarParameter:$name', 'ColonParameter::name',
      'AtParameter:@name', 'Identifier:a', 'DoubleColon:::', 'Identifier:int',
    ]);
  });

  it('lexes every operator, longest first', () => {
    expect(lex('|| :: -> ->> <-> <=> <#> <> != == = <= >= < > << >> & | ~ % + - * / ( ) , ; .').map((x) => x.split(':')[0])).toEqual([
      'Concat', 'DoubleColon', 'JsonExtract', 'JsonExtractText', 'L2Distance', 'CosineDistance', 'InnerProductDistance',
      'NotEqual', 'BangEqual', 'DoubleEqual', 'Equal', 'LessOrEqual', 'GreaterOrEqual', 'Less', 'Greater', 'ShiftLeft',
      'ShiftRight', 'Ampersand', 'Pipe', 'Tilde', 'Percent', 'Plus', 'Minus', 'Star', 'Slash', 'LParen', 'RParen',
      'Comma', 'Semicolon', 'Dot',
    ]);
  });

  it('does not glue a minus sign to a number', () => {
    expect(lex('1-1 a<-1')).toEqual(['Integer:1', 'Minus:-', 'Integer:1', 'Identifier:a', 'Less:<', 'Minus:-', 'Integer:1']);
  });

  it('skips line and block comments and whitespace, including a BOM', () => {
    expect(lex('\uFEFFselect -- comment\n/* block\n comment */ 1')).toEqual(['SELECT:select', 'Integer:1']);
  });

  it('puts malformed tokens in the invalid group', () => {
    for (const bad of ["'abc", 'E\'ab\\\'', '"abc', '`abc', '[abc', '/* open', "x'abc'", "x'zz'"]) {
      const result = toonqlLexer.tokenize(`select ${bad}`);
      expect(result.groups[INVALID_GROUP]?.length ?? 0, bad).toBeGreaterThanOrEqual(1);
    }
  });

  it('reports unknown characters as lexer errors', () => {
    expect(toonqlLexer.tokenize('select #').errors).toHaveLength(1);
    expect(toonqlLexer.tokenize('select !').errors).toHaveLength(1);
  });
});

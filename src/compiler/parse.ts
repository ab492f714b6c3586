// The parse stage: SQL text → AST statements, with every syntax error as a QuerySyntaxError.
import { EOF, tokenMatcher, type ILexingError, type IRecognitionException, type IToken } from 'chevrotain';
import { INVALID_GROUP, k, Name, NumberLiteral, t, toonqlLexer } from '../../grammar/lexer.js';
import { parser } from '../../grammar/parser.js';
import { positionAt, QuerySyntaxError } from '../errors.js';
import type { Statement } from './ast.js';
import { buildStatements } from './build-ast.js';

/**
 * The nesting budget of a statement. Recursive descent uses the JavaScript stack, so nesting is
 * bounded well below the stack's limit (measured at about 550 parentheses or 145 subqueries on
 * Node's default stack): a parenthesis, CASE or EXPLAIN costs 1, a subquery costs 4.
 */
export const MAX_NESTING_DEPTH = 256;
const SUBQUERY_WEIGHT = 4;

const INVALID_TOKEN_MESSAGES: Record<string, string> = {
  UnterminatedString: 'unterminated string literal',
  UnterminatedIdentifier: 'unterminated quoted identifier',
  UnterminatedComment: 'unterminated /* comment',
  MalformedBlob: "malformed blob literal: x'…' takes an even number of hex digits",
};

/**
 * Parses a script of `;`-separated statements (empty statements are skipped).
 * @throws QuerySyntaxError with line, column, the offending token and what was expected.
 */
export function parseStatements(sql: string): Statement[] {
  const tokens = tokenize(sql);
  parser.input = tokens;
  try {
    const cst = parser.script();
    if (parser.errors.length > 0) throw syntaxError(sql, tokens, parser.errors[0]);
    return buildStatements(cst, sql);
  } catch (error) {
    // A last resort, should a caller's own stack use leave too little room for the budget.
    if (error instanceof RangeError && /call stack/i.test(error.message)) throw new QuerySyntaxError('statement is nested too deeply', sql, positionAt(sql, 0));
    throw error;
  } finally {
    parser.input = [];
  }
}

/**
 * Parses exactly one statement (a trailing `;` is allowed).
 * @throws QuerySyntaxError when the text holds no statement or more than one.
 */
export function parseStatement(sql: string): Statement {
  const statements = parseStatements(sql);
  if (statements.length === 1) return statements[0];
  if (statements.length === 0) {
    throw new QuerySyntaxError('expected a statement, found none', sql, positionAt(sql, sql.length), {
      details: { token: undefined, expected: ['statement'] },
    });
  }
  const second = statements[1].span.start;
  throw new QuerySyntaxError('expected a single statement, found more than one', sql, positionAt(sql, second), {
    details: { token: sql.slice(second, statements[1].span.end).split(/\s/)[0], expected: ['end of input'] },
  });
}

/** Lexes `sql`, turning lexer errors, malformed tokens and runaway nesting into syntax errors. */
function tokenize(sql: string): IToken[] {
  const result = toonqlLexer.tokenize(sql);
  const invalid = result.groups[INVALID_GROUP] ?? [];
  if (result.errors.length > 0 || invalid.length > 0) throw lexicalError(sql, result.errors, invalid);
  const tokens = result.tokens;
  let depth = 0;
  const weights: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const type = token.tokenType;
    // The lexer records start offsets only (cheaper); the parser's node locations need the ends.
    token.endOffset = token.startOffset + token.image.length - 1;
    if (type === t.LParen || type === k.CASE || type === k.EXPLAIN) {
      const next = tokens[i + 1]?.tokenType;
      const weight = type === t.LParen && (next === k.SELECT || next === k.WITH || next === k.VALUES) ? SUBQUERY_WEIGHT : 1;
      if (type !== k.EXPLAIN) weights.push(weight);
      depth += weight;
      if (depth > MAX_NESTING_DEPTH) {
        throw new QuerySyntaxError('statement is nested too deeply', sql, positionAt(sql, token.startOffset), {
          details: { token: token.image, expected: [] },
        });
      }
    } else if (type === t.RParen || type === k.END) {
      depth -= weights.pop() ?? 0;
    } else if (type === t.Semicolon) {
      depth = 0;
      weights.length = 0;
    } else if (tokenMatcher(token, NumberLiteral)) {
      // 12abc or 1.2.3: SQLite rejects these rather than reading an alias or a second number.
      const next = tokens[i + 1];
      if (next !== undefined && next.startOffset === token.endOffset! + 1 && (tokenMatcher(next, Name) || tokenMatcher(next, NumberLiteral))) {
        const image = sql.slice(token.startOffset, next.startOffset + next.image.length);
        throw new QuerySyntaxError(`malformed number '${image}'`, sql, positionAt(sql, token.startOffset), {
          details: { token: image, expected: [] },
        });
      }
    }
  }
  return tokens;
}

function lexicalError(sql: string, errors: ILexingError[], invalid: IToken[]): QuerySyntaxError {
  const lexError = errors[0];
  const bad = invalid[0];
  if (bad !== undefined && (lexError === undefined || bad.startOffset < lexError.offset)) {
    return new QuerySyntaxError(INVALID_TOKEN_MESSAGES[bad.tokenType.name] ?? 'malformed token', sql, positionAt(sql, bad.startOffset), {
      details: { token: bad.image, expected: [] },
    });
  }
  const char = String.fromCodePoint(sql.codePointAt(lexError.offset) ?? 0);
  return new QuerySyntaxError(`unexpected character '${char}'`, sql, positionAt(sql, lexError.offset), {
    details: { token: char, expected: [] },
  });
}

function syntaxError(sql: string, tokens: IToken[], error: IRecognitionException): QuerySyntaxError {
  const messages = parser.messages;
  const at = error.token.tokenType === EOF ? tokens.length : tokens.indexOf(error.token) + messages.lastDepth;
  const token: IToken | undefined = tokens[at];
  // Where a statement should start, say so rather than "expected ';'".
  const previous = tokens[at - 1];
  const atStatementStart = error.name === 'NotAllInputParsedException' && (previous === undefined || previous.tokenType === t.Semicolon);
  const expected = atStatementStart ? ['statement'] : [...messages.lastExpected];
  const message = atStatementStart ? 'expected a statement' : error.message;
  // At the end of input, point just past the last token rather than at trailing blank lines.
  const last = tokens[tokens.length - 1];
  const offset = token !== undefined ? token.startOffset : last === undefined ? 0 : last.endOffset! + 1;
  const found = token === undefined ? 'end of input' : `'${token.image.length > 40 ? `${token.image.slice(0, 40)}…` : token.image}'`;
  return new QuerySyntaxError(`unexpected ${found}; ${message}`, sql, positionAt(sql, offset), {
    details: { token: token?.image, expected },
  });
}

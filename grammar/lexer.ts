// The ToonQL lexer: every token type of the language, listed once, in matching order.
import { createToken, Lexer, type TokenType } from 'chevrotain';

// ---------------------------------------------------------------------------------------------
// Categories. A category has no pattern; tokens join it, and the grammar consumes the category.
// ---------------------------------------------------------------------------------------------

/** Anything usable as a name: plain and quoted identifiers and the non-reserved keywords. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'identifier' });
/** Every keyword, reserved or not. */
export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA, label: 'keyword' });
/** Literal values that need no further grammar: numbers, strings, blobs, NULL, booleans, CURRENT_*. */
export const Literal = createToken({ name: 'Literal', pattern: Lexer.NA, label: 'literal' });
/** String literals of every flavour ('..', E'..', N'..'). */
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: Lexer.NA, label: 'string' });
/** Numeric literals (integer, real, hex). */
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: Lexer.NA, label: 'number' });
/** Bound parameters: ?, ?1, $1, $name, :name, @name. */
export const Parameter = createToken({ name: 'Parameter', pattern: Lexer.NA, label: 'parameter' });
/** AND and OR, kept in one category so the CST keeps them in source order. */
export const LogicalOp = createToken({ name: 'LogicalOp', pattern: Lexer.NA, label: 'AND/OR' });
/** The left-associative binary operators whose precedence the AST builder resolves. */
export const BinaryOp = createToken({ name: 'BinaryOp', pattern: Lexer.NA, label: 'operator' });
/** The pattern operators LIKE, ILIKE, GLOB, MATCH, REGEXP. */
export const LikeOp = createToken({ name: 'LikeOp', pattern: Lexer.NA, label: 'LIKE' });
/** = == != <>. */
export const EqualityOp = createToken({ name: 'EqualityOp', pattern: Lexer.NA, label: '=' });
/** Prefix operators - + ~. */
export const PrefixOp = createToken({ name: 'PrefixOp', pattern: Lexer.NA, label: 'prefix operator' });

// ---------------------------------------------------------------------------------------------
// Trivia and tokens the parser never sees. `invalid` tokens turn into syntax errors in parse.ts,
// which gives better messages ("unterminated string") than the lexer's "unexpected character".
// ---------------------------------------------------------------------------------------------

/** The lexer group holding malformed tokens. */
export const INVALID_GROUP = 'invalid';

/** Spaces, tabs, newlines and the Unicode spaces (including a byte-order mark); skipped. */
export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\f\v\u00A0\u2028\u2029\uFEFF]+/,
  group: Lexer.SKIPPED,
});
/** `-- …` to the end of the line; skipped. */
export const LineComment = createToken({ name: 'LineComment', pattern: /--[^\n]*/, group: Lexer.SKIPPED });
/** Block comments, not nested; skipped. */
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED });
/** A block comment with no end (invalid). */
export const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*/, group: INVALID_GROUP });

// Prefixed strings come before identifiers, or E'x' would lex as the identifier E and a string.
/** Postgres E'…' strings with backslash escapes. */
export const EscapeString = createToken({
  name: 'EscapeString',
  pattern: /[eE]'(?:[^'\\]|\\[\s\S]|'')*'/,
  categories: [StringLiteral, Literal],
});
/** N'…' strings (SQL Server and Chinook scripts); the same as plain strings. */
export const NationalString = createToken({
  name: 'NationalString',
  pattern: /[nN]'(?:[^']|'')*'/,
  categories: [StringLiteral, Literal],
});
/** x'00ff' blob literals. */
export const Blob = createToken({
  name: 'Blob',
  pattern: /[xX]'(?:[0-9A-Fa-f][0-9A-Fa-f])*'/,
  categories: [Literal],
  label: 'blob',
});
/** x'…' with an odd number of digits or a non-hex digit (invalid). */
export const MalformedBlob = createToken({ name: 'MalformedBlob', pattern: /[xX]'[^']*'/, group: INVALID_GROUP });
/** '…' strings, '' escaping a quote. */
export const QuotedString = createToken({
  name: 'String',
  pattern: /'(?:[^']|'')*'/,
  categories: [StringLiteral, Literal],
  label: 'string',
});
/** A quote that starts a string with no closing quote (invalid). */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /[eEnNxX]?'/,
  group: INVALID_GROUP,
});

/** Unquoted names; case-insensitive. */
export const Identifier = createToken({
  name: 'Identifier',
  // Letters beyond ASCII are identifier characters, except the Unicode spaces listed in WhiteSpace.
  pattern: /[A-Za-z_\u0080-\u009F\u00A1-\u2027\u202A-\uFEFE\uFF00-\uFFFF][\w$\u0080-\u009F\u00A1-\u2027\u202A-\uFEFE\uFF00-\uFFFF]*/,
  categories: [Name],
  label: 'identifier',
});
/** "…" names, "" escaping a quote; case-sensitive. */
export const QuotedIdentifier = createToken({
  name: 'QuotedIdentifier',
  pattern: /"(?:[^"]|"")*"/,
  categories: [Name],
  label: 'identifier',
});
/** MySQL `…` names. */
export const BacktickIdentifier = createToken({
  name: 'BacktickIdentifier',
  pattern: /`(?:[^`]|``)*`/,
  categories: [Name],
  label: 'identifier',
});
/** SQL Server and SQLite […] names. */
export const BracketIdentifier = createToken({
  name: 'BracketIdentifier',
  pattern: /\[[^\]]*\]/,
  categories: [Name],
  label: 'identifier',
});
/** An opening ", ` or [ with no closing one (invalid). */
export const UnterminatedIdentifier = createToken({
  name: 'UnterminatedIdentifier',
  pattern: /["`[]/,
  group: INVALID_GROUP,
});

/** 0x1F hexadecimal integers. */
export const HexInteger = createToken({
  name: 'HexInteger',
  pattern: /0[xX][0-9A-Fa-f]+/,
  categories: [NumberLiteral, Literal],
  label: 'number',
});
/** Numbers with a fraction or an exponent. Signs are separate tokens (`1-1` is a subtraction). */
export const Real = createToken({
  name: 'Real',
  pattern: /(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+/,
  categories: [NumberLiteral, Literal],
  label: 'number',
});
/** Decimal integers. */
export const Integer = createToken({
  name: 'Integer',
  pattern: /\d+/,
  categories: [NumberLiteral, Literal],
  label: 'number',
});

// `::` must come before `:name`.
/** Postgres casts x::type. */
export const DoubleColon = createToken({ name: 'DoubleColon', pattern: '::', label: "'::'" });
export const QuestionParameter = createToken({ name: 'QuestionParameter', pattern: /\?\d*/, categories: [Parameter] });
export const DollarParameter = createToken({
  name: 'DollarParameter',
  pattern: /\$(?:\d+|[A-Za-z_]\w*)/,
  categories: [Parameter],
});
export const ColonParameter = createToken({ name: 'ColonParameter', pattern: /:[A-Za-z_]\w*/, categories: [Parameter] });
export const AtParameter = createToken({ name: 'AtParameter', pattern: /@[A-Za-z_]\w*/, categories: [Parameter] });

// Operators: longer spellings first wherever one is a prefix of another.
function op(name: string, image: string, categories: TokenType[] = [BinaryOp]): TokenType {
  return createToken({ name, pattern: image, label: `'${image}'`, categories });
}
/** Named arguments: f(x, k => 10), as in Postgres and Oracle. */
export const Arrow = op('Arrow', '=>', []);
/** pgvector's cosine distance (not MySQL's null-safe equality). */
export const CosineDistance = op('CosineDistance', '<=>');
/** pgvector's Euclidean distance. */
export const L2Distance = op('L2Distance', '<->');
/** pgvector's negative inner product. */
export const InnerProductDistance = op('InnerProductDistance', '<#>');
export const JsonExtractText = op('JsonExtractText', '->>');
export const JsonExtract = op('JsonExtract', '->');
export const Concat = op('Concat', '||');
export const ShiftLeft = op('ShiftLeft', '<<');
export const ShiftRight = op('ShiftRight', '>>');
export const LessOrEqual = op('LessOrEqual', '<=');
export const GreaterOrEqual = op('GreaterOrEqual', '>=');
export const NotEqual = op('NotEqual', '<>', [EqualityOp]);
export const BangEqual = op('BangEqual', '!=', [EqualityOp]);
export const DoubleEqual = op('DoubleEqual', '==', [EqualityOp]);
export const Equal = op('Equal', '=', [EqualityOp]);
export const Less = op('Less', '<');
export const Greater = op('Greater', '>');
export const Plus = op('Plus', '+', [BinaryOp, PrefixOp]);
export const Minus = op('Minus', '-', [BinaryOp, PrefixOp]);
export const Star = op('Star', '*');
export const Slash = op('Slash', '/');
export const Percent = op('Percent', '%');
export const Ampersand = op('Ampersand', '&');
export const Pipe = op('Pipe', '|');
export const Tilde = op('Tilde', '~', [PrefixOp]);
export const LParen = op('LParen', '(', []);
export const RParen = op('RParen', ')', []);
export const Comma = op('Comma', ',', []);
export const Semicolon = op('Semicolon', ';', []);
export const Dot = op('Dot', '.', []);

// ---------------------------------------------------------------------------------------------
// Keywords. Reserved words can never be bare names (they start or end clauses); non-reserved
// words are also names, so `key`, `name`, `desc` or `replace` work as column and function names.
// ---------------------------------------------------------------------------------------------

const RESERVED_WORDS = [
  'ALL', 'ALTER', 'AND', 'AS', 'BETWEEN', 'CASE', 'CAST', 'CHECK', 'COLLATE', 'CONSTRAINT', 'CREATE',
  'CROSS', 'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'DEFAULT', 'DELETE', 'DISTINCT', 'DROP',
  'ELSE', 'END', 'ESCAPE', 'EXCEPT', 'EXISTS', 'FALSE', 'FETCH', 'FOREIGN', 'FROM', 'FULL', 'GLOB',
  'GROUP', 'HAVING', 'ILIKE', 'IN', 'INNER', 'INSERT', 'INTERSECT', 'INTO', 'IS', 'ISNULL', 'JOIN',
  'LATERAL', 'LEFT', 'LIKE', 'LIMIT', 'MATCH', 'NATURAL', 'NOT', 'NOTNULL', 'NULL', 'OFFSET', 'ON', 'OR', 'ORDER',
  'OUTER', 'PRIMARY', 'REFERENCES', 'REGEXP', 'RETURNING', 'RIGHT', 'SELECT', 'SET', 'TABLE', 'THEN',
  'TO', 'TRUE', 'UNION', 'UNIQUE', 'UPDATE', 'USING', 'VALUES', 'WHEN', 'WHERE', 'WINDOW', 'WITH',
] as const;

const NON_RESERVED_WORDS = [
  'ABORT', 'ACTION', 'ADD', 'AFTER', 'ALWAYS', 'ANALYZE', 'ASC', 'AUTOINCREMENT', 'BEGIN', 'BY', 'CASCADE',
  'COLLECTION', 'COLUMN', 'COMMIT', 'COMMITTED', 'CONFLICT', 'CURRENT', 'DEFERRABLE', 'DEFERRED', 'DESC', 'DO',
  'DUPLICATE', 'EXCLUSIVE', 'EXPLAIN', 'FAIL', 'FILTER', 'FIRST', 'FOLLOWING', 'GENERATED', 'GROUPS',
  'GET', 'IDENTITY', 'IF', 'IGNORE', 'IMMEDIATE', 'INDEX', 'INDEXED', 'INITIALLY', 'INTERVAL', 'ISOLATION', 'KEY', 'LAST',
  'LEVEL', 'LIST', 'LOCAL', 'MATERIALIZED', 'NAMESPACE', 'NEXT', 'NO', 'NOTHING', 'NULLS', 'ONLY', 'OVER', 'PARTITION',
  'PATH', 'PLAN', 'PRAGMA', 'PRECEDING', 'PRECISION', 'PREFIX', 'PUT', 'QUERY', 'RANGE', 'READ', 'RECURSIVE', 'RELEASE',
  'REINDEX', 'RENAME', 'REPEATABLE', 'REPLACE', 'RESTRICT', 'REVERSE', 'ROLLBACK', 'ROW', 'ROWID', 'ROWS', 'SAVEPOINT',
  'SCAN', 'SCHEMA', 'SERIALIZABLE', 'SESSION', 'SNAPSHOT', 'START', 'STORED', 'STRICT', 'TEMP', 'TEMPORARY', 'TIME',
  'TRANSACTION', 'UNBOUNDED', 'UNCOMMITTED', 'UPSERT', 'VACUUM', 'VARYING', 'VIEW', 'VIRTUAL', 'WITHOUT', 'WORK',
  'WRITE', 'ZONE',
] as const;

/** A keyword of ToonQL, spelled in upper case. */
export type KeywordName = (typeof RESERVED_WORDS)[number] | (typeof NON_RESERVED_WORDS)[number];

/** Keyword literals that are values on their own. */
const LITERAL_WORDS: ReadonlySet<string> = new Set([
  'NULL', 'TRUE', 'FALSE', 'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP',
]);

const LIKE_WORDS: ReadonlySet<string> = new Set(['LIKE', 'ILIKE', 'GLOB', 'MATCH', 'REGEXP']);

function keyword(word: KeywordName, reserved: boolean): TokenType {
  const categories = [Keyword];
  if (!reserved) categories.push(Name);
  if (LITERAL_WORDS.has(word)) categories.push(Literal);
  if (word === 'AND' || word === 'OR') categories.push(LogicalOp);
  if (LIKE_WORDS.has(word)) categories.push(LikeOp);
  return createToken({
    name: word,
    pattern: new RegExp(word, 'i'),
    // Saves the lexer from analysing ~170 regular expressions at start-up.
    start_chars_hint: [word[0], word[0].toLowerCase()],
    longer_alt: Identifier,
    categories,
    label: word,
  });
}

/** The keyword token types by upper-case spelling. */
export const k = Object.fromEntries([
  ...RESERVED_WORDS.map((w) => [w, keyword(w, true)] as const),
  ...NON_RESERVED_WORDS.map((w) => [w, keyword(w, false)] as const),
]) as Record<KeywordName, TokenType>;

/** Whether a token type is a keyword that can never be a bare name. */
export function isReservedKeyword(type: TokenType): boolean {
  return (RESERVED_WORDS as readonly string[]).includes(type.name);
}

// A keyword must be tried before any shorter keyword that is its prefix (INSERT before IN), since
// the lexer takes the first pattern that matches and `longer_alt` only defers to Identifier.
const keywordsByLength = Object.values(k).sort(
  (a, b) => (b.name.length - a.name.length) || (a.name < b.name ? -1 : 1),
);

/** Every token type in matching order; the parser's vocabulary. */
export const allTokens: TokenType[] = [
  WhiteSpace, LineComment, BlockComment, UnterminatedComment,
  EscapeString, NationalString, Blob, MalformedBlob, QuotedString, UnterminatedString,
  QuotedIdentifier, BacktickIdentifier, BracketIdentifier, UnterminatedIdentifier,
  HexInteger, Real, Integer,
  DoubleColon, QuestionParameter, DollarParameter, ColonParameter, AtParameter,
  CosineDistance, L2Distance, InnerProductDistance, JsonExtractText, JsonExtract, Concat,
  ShiftLeft, ShiftRight, LessOrEqual, GreaterOrEqual, NotEqual, BangEqual, DoubleEqual, Arrow, Equal,
  Less, Greater, Plus, Minus, Star, Slash, Percent, Ampersand, Pipe, Tilde,
  LParen, RParen, Comma, Semicolon, Dot,
  ...keywordsByLength,
  Identifier,
  // Categories come last: they match nothing themselves but must be known to the parser.
  Name, Keyword, Literal, StringLiteral, NumberLiteral, Parameter, LogicalOp, LikeOp, BinaryOp, EqualityOp, PrefixOp,
];

/** Token types and categories by name, for the rule files. */
export const t = {
  Name, Keyword, Literal, StringLiteral, NumberLiteral, Parameter, LogicalOp, LikeOp, BinaryOp, EqualityOp, PrefixOp,
  Identifier, QuotedIdentifier, BacktickIdentifier, BracketIdentifier,
  EscapeString, NationalString, QuotedString, Blob, HexInteger, Real, Integer,
  DoubleColon, QuestionParameter, DollarParameter, ColonParameter, AtParameter,
  CosineDistance, L2Distance, InnerProductDistance, JsonExtractText, JsonExtract, Concat,
  ShiftLeft, ShiftRight, LessOrEqual, GreaterOrEqual, NotEqual, BangEqual, DoubleEqual, Arrow, Equal,
  Less, Greater, Plus, Minus, Star, Slash, Percent, Ampersand, Pipe, Tilde,
  LParen, RParen, Comma, Semicolon, Dot,
} as const;

/** The token vocabulary handed to the rule files. */
export type Tokens = typeof t;

/** The one shared lexer instance. Positions are offsets only; parse.ts computes lines on error. */
export const toonqlLexer = new Lexer(allTokens, {
  positionTracking: 'onlyOffset',
  ensureOptimizations: true,
});

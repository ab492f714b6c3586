// Expression grammar: operators, literals, names, function calls, type names.
import { tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import { k, LParen, type Tokens } from '../lexer.js';
import type { GrammarRule, ToonQLDsl } from '../parser.js';

/** Rules of the expression family. */
export interface ExpressionRules {
  expression: GrammarRule;
  predicate: GrammarRule;
  predicateTail: GrammarRule;
  binaryExpression: GrammarRule;
  unaryExpression: GrammarRule;
  parenExpression: GrammarRule;
  inList: GrammarRule;
  caseExpression: GrammarRule;
  castExpression: GrammarRule;
  existsExpression: GrammarRule;
  intervalLiteral: GrammarRule;
  columnOrCall: GrammarRule;
  keywordCall: GrammarRule;
  functionTail: GrammarRule;
  orderingTerm: GrammarRule;
  typeName: GrammarRule;
  signedNumber: GrammarRule;
  objectName: GrammarRule;
}

/** Whether a token starts a query (inside parentheses a query wins over an expression). */
export function startsQuery(token: IToken): boolean {
  const type = token.tokenType;
  return type === k.SELECT || type === k.WITH || type === k.VALUES;
}

/** Whether the parentheses opening at LA(1) hold a query (possibly inside more parentheses). */
export function parenStartsQuery($: ToonQLDsl): boolean {
  let i = 1;
  while (tokenMatcher($.LA(i), LParen)) i++;
  return i > 1 && startsQuery($.LA(i));
}

// Words that may continue a type name outside column definitions (DOUBLE PRECISION, INT UNSIGNED).
// Elsewhere, e.g. after `::`, a free word would be an alias: `x::text label`.
const TYPE_WORDS = new Set([
  'unsigned', 'signed', 'big', 'int', 'integer', 'char', 'character', 'varchar', 'text', 'double', 'long',
  'native', 'tinyint', 'smallint', 'mediumint', 'bigint', 'float', 'real', 'zerofill', 'binary', 'varbinary',
]);

const INTERVAL_UNITS = new Set([
  'year', 'years', 'month', 'months', 'week', 'weeks', 'day', 'days', 'hour', 'hours', 'minute', 'minutes',
  'second', 'seconds', 'millisecond', 'milliseconds', 'microsecond', 'microseconds',
]);

/** Whether a token is of one of the types (or categories). */
export function isType(token: IToken, ...types: TokenType[]): boolean {
  for (const type of types) if (tokenMatcher(token, type)) return true;
  return false;
}

/**
 * Precedence, loosest first: OR; AND; NOT; the predicates (= == != <> IS IN LIKE GLOB ILIKE MATCH
 * REGEXP BETWEEN ISNULL NOTNULL NOT NULL); then the flat `binaryExpression` chain, whose
 * precedence the AST builder resolves: < <= > >=; & | << >>; the pgvector distances <-> <=> <#>;
 * + -; * / %; || -> ->>. Then unary - + ~, COLLATE, and `::` casts tightest (as in Postgres).
 * The distances sit between the bit operators and + - so `a <-> b < 0.5` compares a distance and
 * `a <-> b + c` offsets the query vector, as in pgvector.
 */
export function defineExpressionRules($: ToonQLDsl, t: Tokens): GrammarRule[] {
  $.expression = $.RULE('expression', () => {
    $.SUBRULE($.predicate);
    $.MANY(() => {
      $.CONSUME(t.LogicalOp);
      $.SUBRULE2($.predicate);
    });
  });

  // NOT, a binary-operator chain and its predicate tails in one rule: a literal is then only
  // three CST nodes deep (expression, predicate, unaryExpression), which keeps parsing fast.
  $.predicate = $.RULE('predicate', () => {
    $.MANY(() => $.CONSUME(k.NOT));
    $.SUBRULE($.unaryExpression);
    $.MANY2(() => {
      $.CONSUME(t.BinaryOp);
      $.SUBRULE2($.unaryExpression);
    });
    $.MANY3(() => $.SUBRULE($.predicateTail));
  });

  $.predicateTail = $.RULE('predicateTail', () => {
    $.OR([
      {
        ALT: () => {
          $.CONSUME(t.EqualityOp);
          $.SUBRULE($.binaryExpression);
        },
      },
      {
        ALT: () => {
          $.CONSUME(k.IS);
          $.OPTION(() => $.CONSUME(k.NOT));
          $.OPTION2(() => {
            $.CONSUME(k.DISTINCT);
            $.CONSUME(k.FROM);
          });
          $.SUBRULE2($.binaryExpression);
        },
      },
      { ALT: () => $.CONSUME(k.ISNULL) },
      { ALT: () => $.CONSUME(k.NOTNULL) },
      {
        ALT: () => {
          $.CONSUME2(k.NOT);
          $.CONSUME(k.NULL);
        },
      },
      {
        ALT: () => {
          $.OPTION3(() => $.CONSUME3(k.NOT));
          $.OR2([
            {
              ALT: () => {
                $.CONSUME(k.IN);
                // SQLite also allows `x IN t`, the values of a one-column table.
                $.OR3([{ ALT: () => $.SUBRULE($.inList) }, { ALT: () => $.SUBRULE($.objectName) }]);
              },
            },
            {
              ALT: () => {
                $.CONSUME(t.LikeOp);
                $.SUBRULE3($.binaryExpression, { LABEL: 'pattern' });
                $.OPTION4(() => {
                  $.CONSUME(k.ESCAPE);
                  $.SUBRULE4($.binaryExpression, { LABEL: 'escape' });
                });
              },
            },
            {
              ALT: () => {
                $.CONSUME(k.BETWEEN);
                $.SUBRULE5($.binaryExpression, { LABEL: 'low' });
                $.CONSUME(k.AND);
                $.SUBRULE6($.binaryExpression, { LABEL: 'high' });
              },
            },
          ]);
        },
      },
    ]);
  });

  $.binaryExpression = $.RULE('binaryExpression', () => {
    $.SUBRULE($.unaryExpression);
    $.MANY(() => {
      $.CONSUME(t.BinaryOp);
      $.SUBRULE2($.unaryExpression);
    });
  });

  // Alternatives are built once: a fresh array per call would cost on every operand parsed.
  const primaryAlternatives = [
    { ALT: () => $.CONSUME(t.Literal) },
    { ALT: () => $.CONSUME(t.Parameter) },
    { ALT: () => $.CONSUME(k.DEFAULT) },
    { ALT: () => $.SUBRULE($.parenExpression) },
    { ALT: () => $.SUBRULE($.caseExpression) },
    { ALT: () => $.SUBRULE($.castExpression) },
    { ALT: () => $.SUBRULE($.existsExpression) },
    { ALT: () => $.SUBRULE($.keywordCall) },
    { ALT: () => $.SUBRULE($.columnOrCall) },
  ];
  $.unaryExpression = $.RULE('unaryExpression', () => {
    $.MANY(() => $.CONSUME(t.PrefixOp));
    $.OR(primaryAlternatives);
    $.MANY2(() => {
      $.CONSUME(t.DoubleColon);
      $.SUBRULE($.typeName);
    });
    $.MANY3(() => {
      $.CONSUME(k.COLLATE);
      $.CONSUME(t.Name, { LABEL: 'collation' });
    });
  });

  // A parenthesized expression, a row value `(a, b)`, or a scalar subquery.
  $.parenExpression = $.RULE('parenExpression', () => {
    $.CONSUME(t.LParen);
    $.OR([
      { GATE: () => startsQuery($.LA(1)), ALT: () => $.SUBRULE($.query) },
      { ALT: () => $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.expression) }) },
    ]);
    $.CONSUME(t.RParen);
  });

  $.inList = $.RULE('inList', () => {
    $.CONSUME(t.LParen);
    $.OPTION(() => {
      $.OR([
        { GATE: () => startsQuery($.LA(1)), ALT: () => $.SUBRULE($.query) },
        { ALT: () => $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.expression) }) },
      ]);
    });
    $.CONSUME(t.RParen);
  });

  $.caseExpression = $.RULE('caseExpression', () => {
    $.CONSUME(k.CASE);
    $.OPTION(() => $.SUBRULE($.expression, { LABEL: 'operand' }));
    $.AT_LEAST_ONE(() => {
      $.CONSUME(k.WHEN);
      $.SUBRULE2($.expression, { LABEL: 'when' });
      $.CONSUME(k.THEN);
      $.SUBRULE3($.expression, { LABEL: 'then' });
    });
    $.OPTION2(() => {
      $.CONSUME(k.ELSE);
      $.SUBRULE4($.expression, { LABEL: 'else' });
    });
    $.CONSUME(k.END);
  });

  $.castExpression = $.RULE('castExpression', () => {
    $.CONSUME(k.CAST);
    $.CONSUME(t.LParen);
    $.SUBRULE($.expression);
    $.CONSUME(k.AS);
    $.SUBRULE($.typeName);
    $.CONSUME(t.RParen);
  });

  $.existsExpression = $.RULE('existsExpression', () => {
    $.CONSUME(k.EXISTS);
    $.CONSUME(t.LParen);
    $.SUBRULE($.query);
    $.CONSUME(t.RParen);
  });

  // A column reference, a function call, or an INTERVAL literal: INTERVAL is not reserved, so it
  // starts like a name and only the string or number after it makes it a literal.
  const intervalOption = {
    GATE: () => $.LA(0).tokenType === k.INTERVAL && isType($.LA(1), t.StringLiteral, t.NumberLiteral),
    DEF: () => $.SUBRULE($.intervalLiteral),
  };
  $.columnOrCall = $.RULE('columnOrCall', () => {
    $.CONSUME(t.Name);
    $.OPTION(intervalOption);
    $.MANY(() => {
      $.CONSUME(t.Dot);
      $.CONSUME2(t.Name);
    });
    $.OPTION2(() => $.SUBRULE($.functionTail));
  });

  // The rest of INTERVAL '1 day', INTERVAL '1' DAY, INTERVAL 3 HOURS. Units are words from a
  // fixed list so that `SELECT INTERVAL '1 day' x` still reads x as an alias.
  $.intervalLiteral = $.RULE('intervalLiteral', () => {
    $.OR([{ ALT: () => $.CONSUME(t.StringLiteral) }, { ALT: () => $.CONSUME(t.NumberLiteral) }]);
    $.OPTION({
      GATE: () => isType($.LA(1), t.Identifier) && INTERVAL_UNITS.has($.LA(1).image.toLowerCase()),
      DEF: () => $.CONSUME(t.Identifier, { LABEL: 'unit' }),
    });
  });

  // Functions whose names are reserved words: LEFT(s, n), RIGHT(s, n), GLOB(p, s), LIKE(p, s), and
  // MySQL's VALUES(col) in ON DUPLICATE KEY UPDATE.
  $.keywordCall = $.RULE('keywordCall', () => {
    $.OR([
      { ALT: () => $.CONSUME(k.LEFT, { LABEL: 'function' }) },
      { ALT: () => $.CONSUME(k.RIGHT, { LABEL: 'function' }) },
      { ALT: () => $.CONSUME(k.GLOB, { LABEL: 'function' }) },
      { ALT: () => $.CONSUME(k.LIKE, { LABEL: 'function' }) },
      { ALT: () => $.CONSUME(k.VALUES, { LABEL: 'function' }) },
    ]);
    $.SUBRULE($.functionTail);
  });

  $.functionTail = $.RULE('functionTail', () => {
    $.CONSUME(t.LParen);
    $.OPTION(() => {
      $.OR([
        { ALT: () => $.CONSUME(t.Star) },
        {
          ALT: () => {
            $.OPTION2(() => $.OR2([{ ALT: () => $.CONSUME(k.DISTINCT) }, { ALT: () => $.CONSUME(k.ALL) }]));
            $.AT_LEAST_ONE_SEP({
              SEP: t.Comma,
              DEF: () => {
                // A named argument: name => value (the search table functions' tuning knobs).
                $.OPTION6({
                  GATE: () => isType($.LA(2), t.Arrow),
                  DEF: () => {
                    $.CONSUME(t.Name, { LABEL: 'argName' });
                    $.CONSUME(t.Arrow);
                  },
                });
                $.SUBRULE($.expression);
              },
            });
            $.OPTION3(() => {
              $.CONSUME(k.ORDER);
              $.CONSUME(k.BY);
              $.AT_LEAST_ONE_SEP2({ SEP: t.Comma, DEF: () => $.SUBRULE($.orderingTerm) });
            });
          },
        },
      ]);
    });
    $.CONSUME(t.RParen);
    // FILTER and OVER are not reserved, so `f(x) filter` may still be an alias.
    $.OPTION4({
      GATE: () => isType($.LA(1), k.FILTER) && isType($.LA(2), t.LParen),
      DEF: () => {
        $.CONSUME(k.FILTER);
        $.CONSUME2(t.LParen);
        $.CONSUME(k.WHERE);
        $.SUBRULE2($.expression, { LABEL: 'filter' });
        $.CONSUME2(t.RParen);
      },
    });
    $.OPTION5({
      GATE: () => isType($.LA(1), k.OVER) && isType($.LA(2), t.LParen, t.Name),
      DEF: () => {
        $.CONSUME(k.OVER);
        $.OR3([
          { ALT: () => $.CONSUME(t.Name, { LABEL: 'windowName' }) },
          {
            ALT: () => {
              $.CONSUME3(t.LParen);
              $.SUBRULE($.windowSpec);
              $.CONSUME3(t.RParen);
            },
          },
        ]);
      },
    });
  });

  $.orderingTerm = $.RULE('orderingTerm', () => {
    $.SUBRULE($.expression);
    $.OPTION(() => $.OR([{ ALT: () => $.CONSUME(k.ASC) }, { ALT: () => $.CONSUME(k.DESC) }]));
    $.OPTION2(() => {
      $.CONSUME(k.NULLS);
      $.OR2([{ ALT: () => $.CONSUME(k.FIRST) }, { ALT: () => $.CONSUME(k.LAST) }]);
    });
  });

  // `free` (column definitions) lets any plain word continue the name, as SQLite does
  // (`UNSIGNED BIG INT`); elsewhere only the words in TYPE_WORDS do.
  $.typeName = $.RULE('typeName', (free?: boolean) => {
    $.CONSUME(t.Name, { LABEL: 'word' });
    $.MANY({
      GATE: () => {
        const next = $.LA(1);
        if (isType(next, k.PRECISION, k.VARYING)) return true;
        return isType(next, t.Identifier) && (free === true || TYPE_WORDS.has(next.image.toLowerCase()));
      },
      DEF: () => $.CONSUME2(t.Name, { LABEL: 'word' }),
    });
    $.OPTION(() => {
      $.CONSUME(t.LParen);
      $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.signedNumber) });
      $.CONSUME(t.RParen);
    });
    $.OPTION2({
      GATE: () => isType($.LA(2), k.TIME) && isType($.LA(3), k.ZONE),
      DEF: () => {
        $.OR([{ ALT: () => $.CONSUME(k.WITH) }, { ALT: () => $.CONSUME(k.WITHOUT) }]);
        $.CONSUME(k.TIME);
        $.CONSUME(k.ZONE);
      },
    });
  });

  $.signedNumber = $.RULE('signedNumber', () => {
    $.OPTION(() => $.OR([{ ALT: () => $.CONSUME(t.Plus) }, { ALT: () => $.CONSUME(t.Minus) }]));
    $.CONSUME(t.NumberLiteral);
  });

  $.objectName = $.RULE('objectName', () => {
    $.CONSUME(t.Name);
    $.OPTION(() => {
      $.CONSUME(t.Dot);
      $.CONSUME2(t.Name);
    });
  });

  return [];
}

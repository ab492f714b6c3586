// Query grammar: WITH, SELECT, compound queries, VALUES, FROM and joins, windows, ORDER BY, LIMIT.
import { k, type Tokens } from '../lexer.js';
import type { GrammarRule, ToonQLDsl } from '../parser.js';
import { isType, parenStartsQuery } from './expression.js';

/** Rules of the query family. */
export interface SelectRules {
  withStatement: GrammarRule;
  query: GrammarRule;
  withClause: GrammarRule;
  commonTableExpression: GrammarRule;
  selectStatement: GrammarRule;
  compoundOperator: GrammarRule;
  queryTerm: GrammarRule;
  selectCore: GrammarRule;
  selectItem: GrammarRule;
  valuesClause: GrammarRule;
  valuesRow: GrammarRule;
  fromClause: GrammarRule;
  tableExpression: GrammarRule;
  joinClause: GrammarRule;
  tablePrimary: GrammarRule;
  tableAlias: GrammarRule;
  namedWindow: GrammarRule;
  windowSpec: GrammarRule;
  frameClause: GrammarRule;
  frameBound: GrammarRule;
  orderByClause: GrammarRule;
  limitClause: GrammarRule;
  fetchClause: GrammarRule;
}

/** Defines the query rules; contributes `withStatement` and `selectStatement` as statements. */
export function defineSelectRules($: ToonQLDsl, t: Tokens): GrammarRule[] {
  // `t.*` or `s.t.*` in a select list; an expression could otherwise start with the same names.
  const atQualifiedStar = (): boolean => {
    let i = 1;
    while (isType($.LA(i), t.Name) && isType($.LA(i + 1), t.Dot)) {
      if (isType($.LA(i + 2), t.Star)) return true;
      i += 2;
    }
    return false;
  };

  // WITH … followed by whichever statement it prefixes: one rule, since the CTE list can be of
  // any length and so no fixed lookahead can see past it.
  $.withStatement = $.RULE('withStatement', () => {
    $.SUBRULE($.withClause);
    $.OR([
      { ALT: () => $.SUBRULE($.selectStatement) },
      { ALT: () => $.SUBRULE($.insertStatement) },
      { ALT: () => $.SUBRULE($.updateStatement) },
      { ALT: () => $.SUBRULE($.deleteStatement) },
    ]);
  });

  $.query = $.RULE('query', () => {
    $.OPTION(() => $.SUBRULE($.withClause));
    $.SUBRULE($.selectStatement);
  });

  $.withClause = $.RULE('withClause', () => {
    $.CONSUME(k.WITH);
    $.OPTION({
      GATE: () => !isType($.LA(2), k.AS, t.LParen),
      DEF: () => $.CONSUME(k.RECURSIVE),
    });
    $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.commonTableExpression) });
  });

  $.commonTableExpression = $.RULE('commonTableExpression', () => {
    $.CONSUME(t.Name);
    $.OPTION(() => {
      $.CONSUME(t.LParen);
      $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.CONSUME2(t.Name, { LABEL: 'column' }) });
      $.CONSUME(t.RParen);
    });
    $.CONSUME(k.AS);
    $.OPTION2(() => {
      $.OPTION3(() => $.CONSUME(k.NOT));
      $.CONSUME(k.MATERIALIZED);
    });
    $.CONSUME2(t.LParen);
    $.SUBRULE($.query);
    $.CONSUME2(t.RParen);
  });

  // Compound operators all bind alike and associate to the left, as in SQLite.
  $.selectStatement = $.RULE('selectStatement', () => {
    $.SUBRULE($.queryTerm);
    $.MANY(() => {
      $.SUBRULE($.compoundOperator);
      $.SUBRULE2($.queryTerm);
    });
    $.OPTION(() => $.SUBRULE($.orderByClause));
    $.OPTION2(() => $.SUBRULE($.limitClause));
  });

  $.compoundOperator = $.RULE('compoundOperator', () => {
    $.OR([
      { ALT: () => $.CONSUME(k.UNION) },
      { ALT: () => $.CONSUME(k.INTERSECT) },
      { ALT: () => $.CONSUME(k.EXCEPT) },
    ]);
    $.OPTION(() => $.OR2([{ ALT: () => $.CONSUME(k.ALL) }, { ALT: () => $.CONSUME(k.DISTINCT) }]));
  });

  $.queryTerm = $.RULE('queryTerm', () => {
    $.OR([
      { ALT: () => $.SUBRULE($.selectCore) },
      { ALT: () => $.SUBRULE($.valuesClause) },
      {
        ALT: () => {
          $.CONSUME(t.LParen);
          $.SUBRULE($.query);
          $.CONSUME(t.RParen);
        },
      },
    ]);
  });

  $.selectCore = $.RULE('selectCore', () => {
    $.CONSUME(k.SELECT);
    $.OPTION(() => $.OR([{ ALT: () => $.CONSUME(k.DISTINCT) }, { ALT: () => $.CONSUME(k.ALL) }]));
    $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.selectItem) });
    $.OPTION2(() => $.SUBRULE($.fromClause));
    $.OPTION3(() => {
      $.CONSUME(k.WHERE);
      $.SUBRULE($.expression, { LABEL: 'where' });
    });
    $.OPTION4(() => {
      $.CONSUME(k.GROUP);
      $.CONSUME(k.BY);
      $.AT_LEAST_ONE_SEP2({ SEP: t.Comma, DEF: () => $.SUBRULE2($.expression, { LABEL: 'groupBy' }) });
    });
    $.OPTION5(() => {
      $.CONSUME(k.HAVING);
      $.SUBRULE3($.expression, { LABEL: 'having' });
    });
    $.OPTION6(() => {
      $.CONSUME(k.WINDOW);
      $.AT_LEAST_ONE_SEP3({ SEP: t.Comma, DEF: () => $.SUBRULE($.namedWindow) });
    });
  });

  $.selectItem = $.RULE('selectItem', () => {
    $.OR([
      { ALT: () => $.CONSUME(t.Star) },
      {
        GATE: atQualifiedStar,
        ALT: () => {
          $.AT_LEAST_ONE(() => {
            $.CONSUME(t.Name, { LABEL: 'qualifier' });
            $.CONSUME(t.Dot);
          });
          $.CONSUME2(t.Star);
        },
      },
      {
        ALT: () => {
          $.SUBRULE($.expression);
          $.OPTION(() => {
            $.OPTION2(() => $.CONSUME(k.AS));
            $.CONSUME2(t.Name, { LABEL: 'alias' });
          });
        },
      },
    ]);
  });

  $.valuesClause = $.RULE('valuesClause', () => {
    $.CONSUME(k.VALUES);
    $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.valuesRow) });
  });

  $.valuesRow = $.RULE('valuesRow', () => {
    $.CONSUME(t.LParen);
    $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.expression) });
    $.CONSUME(t.RParen);
  });

  // Commas bind looser than JOIN (`a, b JOIN c ON …` joins b and c first), as in Postgres.
  $.fromClause = $.RULE('fromClause', () => {
    $.CONSUME(k.FROM);
    $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.tableExpression) });
  });

  $.tableExpression = $.RULE('tableExpression', () => {
    $.SUBRULE($.tablePrimary);
    $.MANY(() => $.SUBRULE($.joinClause));
  });

  $.joinClause = $.RULE('joinClause', () => {
    $.OPTION(() => $.CONSUME(k.NATURAL));
    $.OPTION2(() => {
      $.OR([
        { ALT: () => $.CONSUME(k.INNER) },
        { ALT: () => $.CONSUME(k.CROSS) },
        {
          ALT: () => {
            $.OR2([
              { ALT: () => $.CONSUME(k.LEFT) },
              { ALT: () => $.CONSUME(k.RIGHT) },
              { ALT: () => $.CONSUME(k.FULL) },
            ]);
            $.OPTION3(() => $.CONSUME(k.OUTER));
          },
        },
      ]);
    });
    $.CONSUME(k.JOIN);
    $.SUBRULE($.tablePrimary);
    $.OPTION4(() => {
      $.OR3([
        {
          ALT: () => {
            $.CONSUME(k.ON);
            $.SUBRULE($.expression);
          },
        },
        {
          ALT: () => {
            $.CONSUME(k.USING);
            $.CONSUME(t.LParen);
            $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.CONSUME(t.Name, { LABEL: 'using' }) });
            $.CONSUME(t.RParen);
          },
        },
      ]);
    });
  });

  $.tablePrimary = $.RULE('tablePrimary', () => {
    // LATERAL: the subquery or function may refer to the FROM items before it.
    $.OPTION9(() => $.CONSUME(k.LATERAL));
    $.OR([
      {
        GATE: () => parenStartsQuery($),
        ALT: () => {
          $.CONSUME(t.LParen);
          $.SUBRULE($.query);
          $.CONSUME(t.RParen);
          $.OPTION(() => $.SUBRULE($.tableAlias));
        },
      },
      {
        ALT: () => {
          $.CONSUME2(t.LParen);
          $.SUBRULE($.tableExpression);
          $.CONSUME2(t.RParen);
        },
      },
      {
        ALT: () => {
          $.SUBRULE($.objectName);
          // A table-valued function: generate_series(1, 10), json_each(doc).
          $.OPTION2(() => $.SUBRULE($.functionTail));
          $.OPTION3({
            GATE: () => !(isType($.LA(1), k.INDEXED) && isType($.LA(2), k.BY)),
            DEF: () => $.SUBRULE2($.tableAlias),
          });
          // SQLite's index hints.
          $.OPTION4(() => {
            $.OR2([
              {
                ALT: () => {
                  $.CONSUME(k.INDEXED);
                  $.CONSUME(k.BY);
                  $.CONSUME(t.Name, { LABEL: 'index' });
                },
              },
              {
                ALT: () => {
                  $.CONSUME(k.NOT);
                  $.CONSUME2(k.INDEXED);
                },
              },
            ]);
          });
        },
      },
    ]);
  });

  $.tableAlias = $.RULE('tableAlias', () => {
    $.OPTION(() => $.CONSUME(k.AS));
    $.CONSUME(t.Name, { LABEL: 'alias' });
    $.OPTION2(() => {
      $.CONSUME(t.LParen);
      $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.CONSUME2(t.Name, { LABEL: 'column' }) });
      $.CONSUME(t.RParen);
    });
  });

  $.namedWindow = $.RULE('namedWindow', () => {
    $.CONSUME(t.Name);
    $.CONSUME(k.AS);
    $.CONSUME(t.LParen);
    $.SUBRULE($.windowSpec);
    $.CONSUME(t.RParen);
  });

  // The inside of OVER (…) and WINDOW w AS (…).
  $.windowSpec = $.RULE('windowSpec', () => {
    $.OPTION({
      GATE: () => isType($.LA(1), t.Name) && !isType($.LA(1), k.PARTITION, k.ROWS, k.RANGE, k.GROUPS),
      DEF: () => $.CONSUME(t.Name, { LABEL: 'baseWindow' }),
    });
    $.OPTION2(() => {
      $.CONSUME(k.PARTITION);
      $.CONSUME(k.BY);
      $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.expression, { LABEL: 'partitionBy' }) });
    });
    $.OPTION3(() => {
      $.CONSUME(k.ORDER);
      $.CONSUME2(k.BY);
      $.AT_LEAST_ONE_SEP2({ SEP: t.Comma, DEF: () => $.SUBRULE($.orderingTerm) });
    });
    $.OPTION4(() => $.SUBRULE($.frameClause));
  });

  $.frameClause = $.RULE('frameClause', () => {
    $.OR([
      { ALT: () => $.CONSUME(k.ROWS, { LABEL: 'units' }) },
      { ALT: () => $.CONSUME(k.RANGE, { LABEL: 'units' }) },
      { ALT: () => $.CONSUME(k.GROUPS, { LABEL: 'units' }) },
    ]);
    $.OR2([
      {
        ALT: () => {
          $.CONSUME(k.BETWEEN);
          $.SUBRULE($.frameBound, { LABEL: 'start' });
          $.CONSUME(k.AND);
          $.SUBRULE2($.frameBound, { LABEL: 'end' });
        },
      },
      { ALT: () => $.SUBRULE3($.frameBound, { LABEL: 'start' }) },
    ]);
  });

  // UNBOUNDED and CURRENT are not reserved; the gates read them as keywords here.
  $.frameBound = $.RULE('frameBound', () => {
    $.OR([
      {
        GATE: () => isType($.LA(1), k.UNBOUNDED) && isType($.LA(2), k.PRECEDING, k.FOLLOWING),
        ALT: () => {
          $.CONSUME(k.UNBOUNDED);
          $.OR2([{ ALT: () => $.CONSUME(k.PRECEDING) }, { ALT: () => $.CONSUME(k.FOLLOWING) }]);
        },
      },
      {
        GATE: () => isType($.LA(1), k.CURRENT) && isType($.LA(2), k.ROW),
        ALT: () => {
          $.CONSUME(k.CURRENT);
          $.CONSUME(k.ROW);
        },
      },
      {
        ALT: () => {
          $.SUBRULE($.binaryExpression, { LABEL: 'offset' });
          $.OR3([{ ALT: () => $.CONSUME2(k.PRECEDING) }, { ALT: () => $.CONSUME2(k.FOLLOWING) }]);
        },
      },
    ]);
  });

  $.orderByClause = $.RULE('orderByClause', () => {
    $.CONSUME(k.ORDER);
    $.CONSUME(k.BY);
    $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.orderingTerm) });
  });

  // LIMIT n [OFFSET m], MySQL/SQLite LIMIT m, n, and standard OFFSET m ROWS FETCH FIRST n ROWS ONLY.
  $.limitClause = $.RULE('limitClause', () => {
    $.OR([
      {
        ALT: () => {
          $.CONSUME(k.LIMIT);
          $.OR2([
            { ALT: () => $.CONSUME(k.ALL) },
            { ALT: () => $.SUBRULE($.expression, { LABEL: 'limit' }) },
          ]);
          $.OPTION(() => {
            $.OR3([
              {
                ALT: () => {
                  $.CONSUME(k.OFFSET);
                  $.SUBRULE2($.expression, { LABEL: 'offset' });
                },
              },
              {
                ALT: () => {
                  $.CONSUME(t.Comma);
                  $.SUBRULE3($.expression, { LABEL: 'count' });
                },
              },
            ]);
          });
        },
      },
      {
        ALT: () => {
          $.CONSUME2(k.OFFSET);
          $.SUBRULE4($.expression, { LABEL: 'offset' });
          $.OPTION2(() => $.OR4([{ ALT: () => $.CONSUME(k.ROW) }, { ALT: () => $.CONSUME(k.ROWS) }]));
          $.OPTION3(() => $.SUBRULE($.fetchClause));
        },
      },
      { ALT: () => $.SUBRULE2($.fetchClause) },
    ]);
  });

  $.fetchClause = $.RULE('fetchClause', () => {
    $.CONSUME(k.FETCH);
    $.OR([{ ALT: () => $.CONSUME(k.FIRST) }, { ALT: () => $.CONSUME(k.NEXT) }]);
    $.OPTION({
      GATE: () => !isType($.LA(1), k.ROW, k.ROWS),
      DEF: () => $.SUBRULE($.expression),
    });
    $.OR2([{ ALT: () => $.CONSUME(k.ROW) }, { ALT: () => $.CONSUME(k.ROWS) }]);
    $.CONSUME(k.ONLY);
  });

  return [$.withStatement, $.selectStatement];
}

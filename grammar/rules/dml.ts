// Data-changing statements: INSERT (with SQLite, Postgres and MySQL conflict forms), UPDATE, DELETE.
import { k, type Tokens } from '../lexer.js';
import type { GrammarRule, ToonQLDsl } from '../parser.js';
import { parenStartsQuery } from './expression.js';

/** Rules of the data-changing family. */
export interface DmlRules {
  insertStatement: GrammarRule;
  conflictResolution: GrammarRule;
  upsertClause: GrammarRule;
  conflictTarget: GrammarRule;
  assignment: GrammarRule;
  updateStatement: GrammarRule;
  deleteStatement: GrammarRule;
  returningClause: GrammarRule;
}

/** Defines INSERT, UPDATE and DELETE. */
export function defineDmlRules($: ToonQLDsl, t: Tokens): GrammarRule[] {
  $.insertStatement = $.RULE('insertStatement', () => {
    $.OR([
      {
        ALT: () => {
          $.CONSUME(k.INSERT);
          $.OPTION(() => {
            $.OR2([
              {
                ALT: () => {
                  $.CONSUME(k.OR);
                  $.SUBRULE($.conflictResolution);
                },
              },
              { ALT: () => $.CONSUME(k.IGNORE) },
            ]);
          });
        },
      },
      { ALT: () => $.CONSUME(k.REPLACE) },
      { ALT: () => $.CONSUME(k.UPSERT) },
    ]);
    $.CONSUME(k.INTO);
    $.SUBRULE($.objectName);
    $.OPTION2(() => {
      $.CONSUME(k.AS);
      $.CONSUME(t.Name, { LABEL: 'alias' });
    });
    // `INSERT INTO t (SELECT …)` has a query where the column list would be.
    $.OPTION3({
      GATE: () => !parenStartsQuery($),
      DEF: () => {
        $.CONSUME(t.LParen);
        $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.CONSUME2(t.Name, { LABEL: 'column' }) });
        $.CONSUME(t.RParen);
      },
    });
    $.OR3([
      {
        ALT: () => {
          $.CONSUME(k.DEFAULT);
          $.CONSUME(k.VALUES);
        },
      },
      { ALT: () => $.SUBRULE($.query) },
    ]);
    $.MANY(() => $.SUBRULE($.upsertClause));
    $.OPTION4(() => $.SUBRULE($.returningClause));
  });

  $.conflictResolution = $.RULE('conflictResolution', () => {
    $.OR([
      { ALT: () => $.CONSUME(k.ROLLBACK) },
      { ALT: () => $.CONSUME(k.ABORT) },
      { ALT: () => $.CONSUME(k.FAIL) },
      { ALT: () => $.CONSUME(k.IGNORE) },
      { ALT: () => $.CONSUME(k.REPLACE) },
    ]);
  });

  // ON CONFLICT … DO NOTHING | DO UPDATE (SQLite, Postgres) and ON DUPLICATE KEY UPDATE (MySQL).
  $.upsertClause = $.RULE('upsertClause', () => {
    $.CONSUME(k.ON);
    $.OR([
      {
        ALT: () => {
          $.CONSUME(k.CONFLICT);
          $.OPTION(() => $.SUBRULE($.conflictTarget));
          $.CONSUME(k.DO);
          $.OR2([
            { ALT: () => $.CONSUME(k.NOTHING) },
            {
              ALT: () => {
                $.CONSUME(k.UPDATE);
                $.CONSUME(k.SET);
                $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.assignment) });
                $.OPTION2(() => {
                  $.CONSUME(k.WHERE);
                  $.SUBRULE($.expression, { LABEL: 'where' });
                });
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          $.CONSUME(k.DUPLICATE);
          $.CONSUME(k.KEY);
          $.CONSUME2(k.UPDATE);
          $.AT_LEAST_ONE_SEP2({ SEP: t.Comma, DEF: () => $.SUBRULE2($.assignment) });
        },
      },
    ]);
  });

  $.conflictTarget = $.RULE('conflictTarget', () => {
    $.OR([
      {
        ALT: () => {
          $.CONSUME(t.LParen);
          $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.indexedColumn) });
          $.CONSUME(t.RParen);
          $.OPTION(() => {
            $.CONSUME(k.WHERE);
            $.SUBRULE($.expression, { LABEL: 'where' });
          });
        },
      },
      {
        ALT: () => {
          $.CONSUME(k.ON);
          $.CONSUME(k.CONSTRAINT);
          $.CONSUME(t.Name, { LABEL: 'constraint' });
        },
      },
    ]);
  });

  $.assignment = $.RULE('assignment', () => {
    $.OR([
      { ALT: () => $.CONSUME(t.Name, { LABEL: 'column' }) },
      {
        ALT: () => {
          $.CONSUME(t.LParen);
          $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.CONSUME2(t.Name, { LABEL: 'column' }) });
          $.CONSUME(t.RParen);
        },
      },
    ]);
    $.CONSUME(t.Equal);
    $.SUBRULE($.expression);
  });

  $.updateStatement = $.RULE('updateStatement', () => {
    $.CONSUME(k.UPDATE);
    $.OPTION(() => {
      $.CONSUME(k.OR);
      $.SUBRULE($.conflictResolution);
    });
    $.SUBRULE($.objectName);
    $.OPTION2(() => {
      $.OPTION3(() => $.CONSUME(k.AS));
      $.CONSUME(t.Name, { LABEL: 'alias' });
    });
    $.CONSUME(k.SET);
    $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.assignment) });
    $.OPTION4(() => $.SUBRULE($.fromClause));
    $.OPTION5(() => {
      $.CONSUME(k.WHERE);
      $.SUBRULE($.expression, { LABEL: 'where' });
    });
    $.OPTION6(() => $.SUBRULE($.returningClause));
  });

  $.deleteStatement = $.RULE('deleteStatement', () => {
    $.CONSUME(k.DELETE);
    $.CONSUME(k.FROM);
    $.SUBRULE($.objectName);
    $.OPTION(() => {
      $.OPTION2(() => $.CONSUME(k.AS));
      $.CONSUME(t.Name, { LABEL: 'alias' });
    });
    $.OPTION3(() => {
      $.CONSUME(k.WHERE);
      $.SUBRULE($.expression, { LABEL: 'where' });
    });
    $.OPTION4(() => $.SUBRULE($.returningClause));
  });

  $.returningClause = $.RULE('returningClause', () => {
    $.CONSUME(k.RETURNING);
    $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.selectItem) });
  });

  return [$.insertStatement, $.updateStatement, $.deleteStatement];
}

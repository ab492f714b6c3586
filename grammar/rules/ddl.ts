// Table statements: CREATE/ALTER/DROP TABLE with column and table constraints.
import { k, type Tokens } from '../lexer.js';
import type { GrammarRule, ToonQLDsl } from '../parser.js';
import { isType } from './expression.js';

/** Rules of the table family. */
export interface DdlRules {
  createTableStatement: GrammarRule;
  tableElement: GrammarRule;
  columnDefinition: GrammarRule;
  columnConstraint: GrammarRule;
  tableConstraint: GrammarRule;
  conflictClause: GrammarRule;
  foreignKeyClause: GrammarRule;
  referentialAction: GrammarRule;
  tableOption: GrammarRule;
  ifNotExists: GrammarRule;
  ifExists: GrammarRule;
  dropBehavior: GrammarRule;
  dropTableStatement: GrammarRule;
  alterTableStatement: GrammarRule;
  alterTableAction: GrammarRule;
}

/** Defines the table statements and the pieces other schema statements share (IF [NOT] EXISTS). */
export function defineDdlRules($: ToonQLDsl, t: Tokens): GrammarRule[] {
  const temporary = (): void => {
    $.OPTION9(() => $.OR9([{ ALT: () => $.CONSUME9(k.TEMP) }, { ALT: () => $.CONSUME9(k.TEMPORARY) }]));
  };
  const nameList = (label: string): void => {
    $.CONSUME8(t.LParen);
    $.AT_LEAST_ONE_SEP9({ SEP: t.Comma, DEF: () => $.CONSUME8(t.Name, { LABEL: label }) });
    $.CONSUME8(t.RParen);
  };

  $.createTableStatement = $.RULE('createTableStatement', () => {
    $.CONSUME(k.CREATE);
    temporary();
    $.CONSUME(k.TABLE);
    $.OPTION(() => $.SUBRULE($.ifNotExists));
    $.SUBRULE($.objectName);
    $.OR([
      {
        ALT: () => {
          $.CONSUME(t.LParen);
          $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.tableElement) });
          $.CONSUME(t.RParen);
          $.MANY_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.tableOption) });
        },
      },
      {
        ALT: () => {
          $.CONSUME(k.AS);
          $.SUBRULE($.query);
        },
      },
    ]);
  });

  $.tableElement = $.RULE('tableElement', () => {
    $.OR([
      { ALT: () => $.SUBRULE($.tableConstraint) },
      { ALT: () => $.SUBRULE($.columnDefinition) },
    ]);
  });

  $.columnDefinition = $.RULE('columnDefinition', () => {
    $.CONSUME(t.Name);
    // The type is optional in SQLite; GENERATED starts a constraint, not a type.
    $.OPTION({
      GATE: () => !isType($.LA(1), k.GENERATED),
      DEF: () => $.SUBRULE($.typeName, { ARGS: [true] }),
    });
    $.MANY(() => $.SUBRULE($.columnConstraint));
  });

  $.columnConstraint = $.RULE('columnConstraint', () => {
    $.OPTION(() => {
      $.CONSUME(k.CONSTRAINT);
      $.CONSUME(t.Name, { LABEL: 'constraintName' });
    });
    $.OR([
      {
        ALT: () => {
          $.CONSUME(k.PRIMARY);
          $.CONSUME(k.KEY);
          $.OPTION2(() => $.OR2([{ ALT: () => $.CONSUME(k.ASC) }, { ALT: () => $.CONSUME(k.DESC) }]));
          $.OPTION3(() => $.SUBRULE($.conflictClause));
          $.OPTION4(() => $.CONSUME(k.AUTOINCREMENT));
        },
      },
      {
        ALT: () => {
          $.CONSUME(k.NOT);
          $.CONSUME(k.NULL);
          $.OPTION5(() => $.SUBRULE2($.conflictClause));
        },
      },
      { ALT: () => $.CONSUME2(k.NULL) },
      {
        ALT: () => {
          $.CONSUME(k.UNIQUE);
          $.OPTION6(() => $.SUBRULE3($.conflictClause));
        },
      },
      {
        ALT: () => {
          $.CONSUME(k.CHECK);
          $.CONSUME(t.LParen);
          $.SUBRULE($.expression, { LABEL: 'check' });
          $.CONSUME(t.RParen);
        },
      },
      {
        // A restricted expression, so `DEFAULT 0 NOT NULL` and `DEFAULT 'a' COLLATE x` keep
        // their constraints; anything bigger goes in parentheses.
        ALT: () => {
          $.CONSUME(k.DEFAULT);
          $.SUBRULE($.unaryExpression, { LABEL: 'default' });
        },
      },
      {
        ALT: () => {
          $.CONSUME(k.COLLATE);
          $.CONSUME2(t.Name, { LABEL: 'collation' });
        },
      },
      { ALT: () => $.SUBRULE($.foreignKeyClause) },
      {
        ALT: () => {
          $.OPTION7(() => {
            $.CONSUME(k.GENERATED);
            $.OR3([
              { ALT: () => $.CONSUME(k.ALWAYS) },
              {
                ALT: () => {
                  $.CONSUME(k.BY);
                  $.CONSUME2(k.DEFAULT, { LABEL: 'byDefault' });
                },
              },
            ]);
          });
          $.CONSUME(k.AS);
          $.OR4([
            { ALT: () => $.CONSUME(k.IDENTITY) },
            {
              ALT: () => {
                $.CONSUME2(t.LParen);
                $.SUBRULE2($.expression, { LABEL: 'generated' });
                $.CONSUME2(t.RParen);
                $.OPTION8(() => {
                  $.OR5([{ ALT: () => $.CONSUME(k.STORED) }, { ALT: () => $.CONSUME(k.VIRTUAL) }]);
                });
              },
            },
          ]);
        },
      },
    ]);
  });

  $.tableConstraint = $.RULE('tableConstraint', () => {
    $.OPTION(() => {
      $.CONSUME(k.CONSTRAINT);
      $.CONSUME(t.Name, { LABEL: 'constraintName' });
    });
    $.OR([
      {
        ALT: () => {
          $.OR2([
            {
              ALT: () => {
                $.CONSUME(k.PRIMARY);
                $.CONSUME(k.KEY);
              },
            },
            { ALT: () => $.CONSUME(k.UNIQUE) },
          ]);
          $.CONSUME(t.LParen);
          $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.indexedColumn) });
          $.CONSUME(t.RParen);
          $.OPTION2(() => $.SUBRULE($.conflictClause));
        },
      },
      {
        ALT: () => {
          $.CONSUME(k.CHECK);
          $.CONSUME2(t.LParen);
          $.SUBRULE($.expression, { LABEL: 'check' });
          $.CONSUME2(t.RParen);
        },
      },
      {
        ALT: () => {
          $.CONSUME(k.FOREIGN);
          $.CONSUME2(k.KEY);
          nameList('column');
          $.SUBRULE($.foreignKeyClause);
        },
      },
    ]);
  });

  // SQLite's ON CONFLICT on a constraint.
  $.conflictClause = $.RULE('conflictClause', () => {
    $.CONSUME(k.ON);
    $.CONSUME(k.CONFLICT);
    $.SUBRULE($.conflictResolution);
  });

  $.foreignKeyClause = $.RULE('foreignKeyClause', () => {
    $.CONSUME(k.REFERENCES);
    $.SUBRULE($.objectName);
    $.OPTION(() => nameList('column'));
    $.MANY(() => {
      $.OR([
        {
          ALT: () => {
            $.CONSUME(k.ON);
            $.OR2([
              { ALT: () => $.CONSUME(k.DELETE, { LABEL: 'onDelete' }) },
              { ALT: () => $.CONSUME(k.UPDATE, { LABEL: 'onUpdate' }) },
            ]);
            $.SUBRULE($.referentialAction);
          },
        },
        {
          ALT: () => {
            $.CONSUME(k.MATCH);
            $.OR3([
              { ALT: () => $.CONSUME(t.Name, { LABEL: 'match' }) },
              { ALT: () => $.CONSUME(k.FULL, { LABEL: 'match' }) },
            ]);
          },
        },
      ]);
    });
    $.OPTION2(() => {
      $.OPTION3(() => $.CONSUME(k.NOT));
      $.CONSUME(k.DEFERRABLE);
      $.OPTION4(() => {
        $.CONSUME(k.INITIALLY);
        $.OR4([{ ALT: () => $.CONSUME(k.DEFERRED) }, { ALT: () => $.CONSUME(k.IMMEDIATE) }]);
      });
    });
  });

  $.referentialAction = $.RULE('referentialAction', () => {
    $.OR([
      {
        ALT: () => {
          $.CONSUME(k.SET);
          $.OR2([{ ALT: () => $.CONSUME(k.NULL) }, { ALT: () => $.CONSUME(k.DEFAULT) }]);
        },
      },
      { ALT: () => $.CONSUME(k.CASCADE) },
      { ALT: () => $.CONSUME(k.RESTRICT) },
      {
        ALT: () => {
          $.CONSUME(k.NO);
          $.CONSUME(k.ACTION);
        },
      },
    ]);
  });

  $.tableOption = $.RULE('tableOption', () => {
    $.OR([
      {
        ALT: () => {
          $.CONSUME(k.WITHOUT);
          $.CONSUME(k.ROWID);
        },
      },
      { ALT: () => $.CONSUME(k.STRICT) },
    ]);
  });

  $.ifNotExists = $.RULE('ifNotExists', () => {
    $.CONSUME(k.IF);
    $.CONSUME(k.NOT);
    $.CONSUME(k.EXISTS);
  });

  $.ifExists = $.RULE('ifExists', () => {
    $.CONSUME(k.IF);
    $.CONSUME(k.EXISTS);
  });

  $.dropBehavior = $.RULE('dropBehavior', () => {
    $.OR([{ ALT: () => $.CONSUME(k.CASCADE) }, { ALT: () => $.CONSUME(k.RESTRICT) }]);
  });

  $.dropTableStatement = $.RULE('dropTableStatement', () => {
    $.CONSUME(k.DROP);
    $.CONSUME(k.TABLE);
    $.OPTION(() => $.SUBRULE($.ifExists));
    $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.objectName) });
    $.OPTION2(() => $.SUBRULE($.dropBehavior));
  });

  $.alterTableStatement = $.RULE('alterTableStatement', () => {
    $.CONSUME(k.ALTER);
    $.CONSUME(k.TABLE);
    $.OPTION(() => $.SUBRULE($.ifExists));
    $.SUBRULE($.objectName);
    $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.alterTableAction) });
  });

  $.alterTableAction = $.RULE('alterTableAction', () => {
    $.OR([
      {
        ALT: () => {
          $.CONSUME(k.ADD);
          $.OR2([
            { ALT: () => $.SUBRULE($.tableConstraint) },
            {
              ALT: () => {
                $.OPTION(() => $.CONSUME(k.COLUMN));
                $.OPTION2(() => $.SUBRULE($.ifNotExists));
                $.SUBRULE($.columnDefinition);
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          $.CONSUME(k.RENAME);
          $.OR3([
            {
              ALT: () => {
                $.CONSUME(k.TO);
                $.CONSUME(t.Name, { LABEL: 'newName' });
              },
            },
            {
              ALT: () => {
                $.OPTION3(() => $.CONSUME2(k.COLUMN));
                $.CONSUME2(t.Name, { LABEL: 'column' });
                $.CONSUME2(k.TO);
                $.CONSUME3(t.Name, { LABEL: 'newName' });
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          $.CONSUME(k.DROP);
          $.OR4([
            {
              ALT: () => {
                $.CONSUME(k.CONSTRAINT);
                $.OPTION4(() => $.SUBRULE($.ifExists));
                $.CONSUME4(t.Name, { LABEL: 'constraint' });
              },
            },
            {
              ALT: () => {
                $.OPTION5(() => $.CONSUME3(k.COLUMN));
                $.OPTION6(() => $.SUBRULE2($.ifExists));
                $.CONSUME5(t.Name, { LABEL: 'column' });
              },
            },
          ]);
          $.OPTION7(() => $.SUBRULE($.dropBehavior));
        },
      },
    ]);
  });

  return [$.createTableStatement, $.alterTableStatement, $.dropTableStatement];
}

// Index and view statements: CREATE/DROP INDEX (with pgvector-style methods and options), CREATE/DROP VIEW.
import type { TokenType } from 'chevrotain';
import { k, type Tokens } from '../lexer.js';
import type { GrammarRule, ToonQLDsl } from '../parser.js';
import { isType } from './expression.js';

/** Rules of the index and view family. */
export interface IndexViewRules {
  createIndexStatement: GrammarRule;
  indexedColumn: GrammarRule;
  indexOptions: GrammarRule;
  indexOption: GrammarRule;
  dropIndexStatement: GrammarRule;
  createViewStatement: GrammarRule;
  dropViewStatement: GrammarRule;
}

/** Defines CREATE/DROP INDEX and CREATE/DROP VIEW. */
export function defineIndexViewRules($: ToonQLDsl, t: Tokens): GrammarRule[] {
  // CREATE INDEX as SQLite and Postgres write it; the name is optional in Postgres, and the
  // WITH (…) storage options (e.g. HNSW parameters) may come before or after the WHERE.
  $.createIndexStatement = $.RULE('createIndexStatement', () => {
    $.CONSUME(k.CREATE);
    $.OPTION(() => $.CONSUME(k.UNIQUE));
    $.CONSUME(k.INDEX);
    $.OPTION2(() => $.SUBRULE($.ifNotExists));
    $.OPTION3(() => $.SUBRULE($.objectName, { LABEL: 'indexName' }));
    $.CONSUME(k.ON);
    $.SUBRULE2($.objectName, { LABEL: 'table' });
    $.OPTION4(() => {
      $.CONSUME(k.USING);
      $.CONSUME(t.Name, { LABEL: 'method' });
    });
    $.CONSUME(t.LParen);
    $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.indexedColumn) });
    $.CONSUME(t.RParen);
    $.OPTION5(() => $.SUBRULE($.indexOptions));
    $.OPTION6(() => {
      $.CONSUME(k.WHERE);
      $.SUBRULE($.expression, { LABEL: 'where' });
    });
    $.OPTION7(() => $.SUBRULE2($.indexOptions));
  });

  // An index column: expression, Postgres operator class (vector_l2_ops), order, NULLS placement.
  $.indexedColumn = $.RULE('indexedColumn', () => {
    $.SUBRULE($.expression);
    $.OPTION({
      GATE: () => !isType($.LA(1), k.ASC, k.DESC, k.NULLS),
      DEF: () => $.CONSUME(t.Name, { LABEL: 'opclass' }),
    });
    $.OPTION2(() => $.OR([{ ALT: () => $.CONSUME(k.ASC) }, { ALT: () => $.CONSUME(k.DESC) }]));
    $.OPTION3(() => {
      $.CONSUME(k.NULLS);
      $.OR2([{ ALT: () => $.CONSUME(k.FIRST) }, { ALT: () => $.CONSUME(k.LAST) }]);
    });
  });

  $.indexOptions = $.RULE('indexOptions', () => {
    $.CONSUME(k.WITH);
    $.CONSUME(t.LParen);
    $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.indexOption) });
    $.CONSUME(t.RParen);
  });

  $.indexOption = $.RULE('indexOption', () => {
    $.CONSUME(t.Name);
    $.OPTION(() => {
      $.CONSUME(t.Equal);
      $.OR([
        { ALT: () => $.SUBRULE($.signedNumber) },
        { ALT: () => $.CONSUME(t.StringLiteral) },
        { ALT: () => $.CONSUME2(t.Name, { LABEL: 'word' }) },
        { ALT: () => $.CONSUME(k.TRUE, { LABEL: 'word' }) },
        { ALT: () => $.CONSUME(k.FALSE, { LABEL: 'word' }) },
        { ALT: () => $.CONSUME(k.ON, { LABEL: 'word' }) },
      ]);
    });
  });

  $.createViewStatement = $.RULE('createViewStatement', () => {
    $.CONSUME(k.CREATE);
    $.OPTION(() => {
      $.CONSUME(k.OR);
      $.CONSUME(k.REPLACE);
    });
    $.OPTION2(() => $.OR([{ ALT: () => $.CONSUME(k.TEMP) }, { ALT: () => $.CONSUME(k.TEMPORARY) }]));
    $.CONSUME(k.VIEW);
    $.OPTION3(() => $.SUBRULE($.ifNotExists));
    $.SUBRULE($.objectName);
    $.OPTION4(() => {
      $.CONSUME(t.LParen);
      $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.CONSUME(t.Name, { LABEL: 'column' }) });
      $.CONSUME(t.RParen);
    });
    $.CONSUME(k.AS);
    $.SUBRULE($.query);
  });

  const dropRule = (name: string, objectKeyword: TokenType): GrammarRule =>
    $.RULE(name, () => {
      $.CONSUME(k.DROP);
      $.CONSUME(objectKeyword);
      $.OPTION(() => $.SUBRULE($.ifExists));
      $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.objectName) });
      $.OPTION2(() => $.SUBRULE($.dropBehavior));
    });
  $.dropIndexStatement = dropRule('dropIndexStatement', k.INDEX);
  $.dropViewStatement = dropRule('dropViewStatement', k.VIEW);

  return [$.createIndexStatement, $.dropIndexStatement, $.createViewStatement, $.dropViewStatement];
}

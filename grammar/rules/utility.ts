// Utility statements: EXPLAIN, ANALYZE, SET, PRAGMA, VACUUM, REINDEX.
import { EOF } from 'chevrotain';
import { k, type Tokens } from '../lexer.js';
import type { GrammarRule, ToonQLDsl } from '../parser.js';
import { isType } from './expression.js';

/** Rules of the utility family. */
export interface UtilityRules {
  explainStatement: GrammarRule;
  analyzeStatement: GrammarRule;
  setStatement: GrammarRule;
  setValue: GrammarRule;
  pragmaStatement: GrammarRule;
  pragmaValue: GrammarRule;
  vacuumStatement: GrammarRule;
  reindexStatement: GrammarRule;
}

/** Defines the utility statements. */
export function defineUtilityRules($: ToonQLDsl, t: Tokens): GrammarRule[] {
  $.explainStatement = $.RULE('explainStatement', () => {
    $.CONSUME(k.EXPLAIN);
    $.OPTION(() => {
      $.CONSUME(k.QUERY);
      $.CONSUME(k.PLAN);
    });
    // EXPLAIN ANALYZE runs the statement; ANALYZE alone would be the statement explained.
    $.OPTION2({
      GATE: () => isType($.LA(1), k.ANALYZE) && !isType($.LA(2), t.Name, t.Semicolon, EOF),
      DEF: () => $.CONSUME(k.ANALYZE),
    });
    $.SUBRULE($.statement);
  });

  $.analyzeStatement = $.RULE('analyzeStatement', () => {
    $.CONSUME(k.ANALYZE);
    $.OPTION(() => $.SUBRULE($.objectName));
  });

  // SET [SESSION | LOCAL] name { = | TO } value, … — any configuration setting, checked later.
  $.setStatement = $.RULE('setStatement', () => {
    $.CONSUME(k.SET);
    $.OPTION({
      GATE: () => isType($.LA(2), t.Name),
      DEF: () => {
        $.OR([
          { ALT: () => $.CONSUME(k.SESSION, { LABEL: 'scope' }) },
          { ALT: () => $.CONSUME(k.LOCAL, { LABEL: 'scope' }) },
        ]);
      },
    });
    $.CONSUME(t.Name);
    $.MANY(() => {
      $.CONSUME(t.Dot);
      $.CONSUME2(t.Name);
    });
    $.OR2([{ ALT: () => $.CONSUME(t.Equal) }, { ALT: () => $.CONSUME(k.TO) }]);
    $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.setValue) });
  });

  // ON is reserved but a common setting value (SET standard_conforming_strings = on).
  $.setValue = $.RULE('setValue', () => {
    $.OR([{ ALT: () => $.CONSUME(k.ON) }, { ALT: () => $.SUBRULE($.expression) }]);
  });

  $.pragmaStatement = $.RULE('pragmaStatement', () => {
    $.CONSUME(k.PRAGMA);
    $.SUBRULE($.objectName);
    $.OPTION(() => {
      $.OR([
        {
          ALT: () => {
            $.CONSUME(t.Equal);
            $.SUBRULE($.pragmaValue);
          },
        },
        {
          ALT: () => {
            $.CONSUME(t.LParen);
            $.SUBRULE2($.pragmaValue);
            $.CONSUME(t.RParen);
          },
        },
      ]);
    });
  });

  // Pragma values are numbers, strings or words, some of them reserved (ON, FULL, DELETE).
  $.pragmaValue = $.RULE('pragmaValue', () => {
    $.OR([
      { ALT: () => $.SUBRULE($.signedNumber) },
      { ALT: () => $.CONSUME(t.StringLiteral) },
      { ALT: () => $.CONSUME(t.Name, { LABEL: 'word' }) },
      { ALT: () => $.CONSUME(k.ON, { LABEL: 'word' }) },
      { ALT: () => $.CONSUME(k.FULL, { LABEL: 'word' }) },
      { ALT: () => $.CONSUME(k.DELETE, { LABEL: 'word' }) },
      { ALT: () => $.CONSUME(k.TRUE, { LABEL: 'word' }) },
      { ALT: () => $.CONSUME(k.FALSE, { LABEL: 'word' }) },
      { ALT: () => $.CONSUME(k.DEFAULT, { LABEL: 'word' }) },
    ]);
  });

  $.vacuumStatement = $.RULE('vacuumStatement', () => {
    $.CONSUME(k.VACUUM);
    $.OPTION(() => $.CONSUME(t.Name));
    $.OPTION2(() => {
      $.CONSUME(k.INTO);
      $.CONSUME(t.StringLiteral);
    });
  });

  // REINDEX [name]: rebuilds the named index, the indexes of the named table, or every index.
  $.reindexStatement = $.RULE('reindexStatement', () => {
    $.CONSUME(k.REINDEX);
    $.OPTION(() => $.SUBRULE($.objectName));
  });

  return [
    $.reindexStatement,
    $.explainStatement,
    $.analyzeStatement,
    $.setStatement,
    $.pragmaStatement,
    $.vacuumStatement,
  ];
}

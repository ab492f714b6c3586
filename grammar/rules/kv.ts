// Key-value statements: PUT, GET, EXISTS, DELETE (keys, paths, prefixes), SCAN and LIST PATH (docs/toonql.md §10).
import { k, type Tokens } from '../lexer.js';
import type { GrammarRule, ToonQLDsl } from '../parser.js';

/** Rules of the key-value family. */
export interface KvRules {
  kvPutStatement: GrammarRule;
  kvPair: GrammarRule;
  kvGetStatement: GrammarRule;
  kvExistsStatement: GrammarRule;
  kvDeleteStatement: GrammarRule;
  kvScanStatement: GrammarRule;
  kvListStatement: GrammarRule;
  inNamespace: GrammarRule;
}

/**
 * Defines the key-value statements. Keys are unary expressions (a literal, a parameter, a call or
 * a parenthesized expression) and values binary expressions, so neither `=` nor `IN NAMESPACE`
 * is ever read as part of a key or value; a comparison as a value goes in parentheses.
 */
export function defineKvRules($: ToonQLDsl, t: Tokens): GrammarRule[] {
  const keys = (): void => {
    $.AT_LEAST_ONE_SEP9({ SEP: t.Comma, DEF: () => $.SUBRULE9($.unaryExpression, { LABEL: 'key' }) });
  };

  $.inNamespace = $.RULE('inNamespace', () => {
    $.CONSUME(k.IN);
    $.CONSUME(k.NAMESPACE);
    $.CONSUME(t.Name);
  });

  $.kvPair = $.RULE('kvPair', () => {
    $.SUBRULE($.unaryExpression, { LABEL: 'key' });
    $.CONSUME(t.Equal);
    $.SUBRULE($.binaryExpression, { LABEL: 'value' });
  });

  $.kvPutStatement = $.RULE('kvPutStatement', () => {
    $.CONSUME(k.PUT);
    $.OPTION(() => $.CONSUME(k.PATH));
    $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.kvPair) });
    $.OPTION2(() => $.SUBRULE($.inNamespace));
    $.OPTION3(() => {
      $.CONSUME(k.WITH);
      $.SUBRULE($.optionList);
    });
  });

  $.kvGetStatement = $.RULE('kvGetStatement', () => {
    $.CONSUME(k.GET);
    $.OPTION(() => $.CONSUME(k.PATH));
    keys();
    $.OPTION2(() => $.SUBRULE($.inNamespace));
  });

  $.kvExistsStatement = $.RULE('kvExistsStatement', () => {
    $.CONSUME(k.EXISTS);
    keys();
    $.OPTION(() => $.SUBRULE($.inNamespace));
  });

  $.kvDeleteStatement = $.RULE('kvDeleteStatement', () => {
    $.CONSUME(k.DELETE);
    // `DELETE PREFIX (…)` is the prefix form, never a call of a function named prefix.
    $.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
      {
        ALT: () => {
          $.CONSUME(k.PREFIX);
          $.SUBRULE($.unaryExpression, { LABEL: 'prefix' });
        },
      },
      {
        ALT: () => {
          $.OPTION(() => $.CONSUME(k.PATH));
          keys();
        },
      },
      ],
    });
    $.OPTION2(() => $.SUBRULE($.inNamespace));
  });

  $.kvScanStatement = $.RULE('kvScanStatement', () => {
    $.CONSUME(k.SCAN);
    $.OR([
      {
        ALT: () => {
          $.CONSUME(k.PREFIX);
          $.SUBRULE($.unaryExpression, { LABEL: 'prefix' });
        },
      },
      {
        ALT: () => {
          $.CONSUME(k.FROM);
          $.SUBRULE2($.unaryExpression, { LABEL: 'from' });
          $.CONSUME(k.TO);
          $.SUBRULE3($.unaryExpression, { LABEL: 'to' });
        },
      },
      { ALT: () => $.CONSUME(k.ALL) },
    ]);
    $.OPTION(() => {
      $.CONSUME(k.AFTER);
      $.SUBRULE4($.unaryExpression, { LABEL: 'after' });
    });
    $.OPTION2(() => $.CONSUME(k.REVERSE));
    $.OPTION3(() => {
      $.CONSUME(k.LIMIT);
      $.SUBRULE5($.unaryExpression, { LABEL: 'limit' });
    });
    $.OPTION4(() => $.SUBRULE($.inNamespace));
  });

  $.kvListStatement = $.RULE('kvListStatement', () => {
    $.CONSUME(k.LIST);
    $.CONSUME(k.PATH);
    $.SUBRULE($.unaryExpression, { LABEL: 'path' });
    $.OPTION(() => $.SUBRULE($.inNamespace));
  });

  return [$.kvPutStatement, $.kvGetStatement, $.kvExistsStatement, $.kvDeleteStatement, $.kvScanStatement, $.kvListStatement];
}

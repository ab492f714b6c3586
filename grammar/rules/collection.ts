// Namespace and collection statements: CREATE/ALTER/DROP NAMESPACE (SCHEMA) and COLLECTION.
import { k, type Tokens } from '../lexer.js';
import type { GrammarRule, ToonQLDsl } from '../parser.js';

/** Rules of the namespace and collection family. */
export interface CollectionRules {
  createNamespaceStatement: GrammarRule;
  alterNamespaceStatement: GrammarRule;
  dropNamespaceStatement: GrammarRule;
  createCollectionStatement: GrammarRule;
  alterCollectionStatement: GrammarRule;
  dropCollectionStatement: GrammarRule;
  /** `( name = value, … )`: the options of namespaces and collections (values as in CREATE INDEX … WITH). */
  optionList: GrammarRule;
}

/** Defines the namespace and collection statements (docs/toonql.md §8.1 and §11.1). */
export function defineCollectionRules($: ToonQLDsl, t: Tokens): GrammarRule[] {
  const namespaceWord = (): void => {
    $.OR9([{ ALT: () => $.CONSUME9(k.NAMESPACE) }, { ALT: () => $.CONSUME9(k.SCHEMA) }]);
  };

  $.optionList = $.RULE('optionList', () => {
    $.CONSUME(t.LParen);
    $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.indexOption) });
    $.CONSUME(t.RParen);
  });

  $.createNamespaceStatement = $.RULE('createNamespaceStatement', () => {
    $.CONSUME(k.CREATE);
    namespaceWord();
    $.OPTION(() => $.SUBRULE($.ifNotExists));
    $.CONSUME(t.Name);
    $.OPTION2(() => {
      $.CONSUME(k.WITH);
      $.SUBRULE($.optionList);
    });
  });

  $.alterNamespaceStatement = $.RULE('alterNamespaceStatement', () => {
    $.CONSUME(k.ALTER);
    namespaceWord();
    $.CONSUME(t.Name);
    $.CONSUME(k.SET);
    $.SUBRULE($.optionList);
  });

  $.dropNamespaceStatement = $.RULE('dropNamespaceStatement', () => {
    $.CONSUME(k.DROP);
    namespaceWord();
    $.OPTION(() => $.SUBRULE($.ifExists));
    $.CONSUME(t.Name);
    $.OPTION2(() => $.SUBRULE($.dropBehavior));
  });

  // WITH is optional: CREATE COLLECTION docs (dimension = 384).
  $.createCollectionStatement = $.RULE('createCollectionStatement', () => {
    $.CONSUME(k.CREATE);
    $.CONSUME(k.COLLECTION);
    $.OPTION(() => $.SUBRULE($.ifNotExists));
    $.SUBRULE($.objectName);
    $.OPTION2(() => $.CONSUME(k.WITH));
    $.SUBRULE($.optionList);
  });

  $.alterCollectionStatement = $.RULE('alterCollectionStatement', () => {
    $.CONSUME(k.ALTER);
    $.CONSUME(k.COLLECTION);
    $.SUBRULE($.objectName);
    $.CONSUME(k.SET);
    $.SUBRULE($.optionList);
  });

  $.dropCollectionStatement = $.RULE('dropCollectionStatement', () => {
    $.CONSUME(k.DROP);
    $.CONSUME(k.COLLECTION);
    $.OPTION(() => $.SUBRULE($.ifExists));
    $.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => $.SUBRULE($.objectName) });
  });

  return [
    $.createNamespaceStatement,
    $.alterNamespaceStatement,
    $.dropNamespaceStatement,
    $.createCollectionStatement,
    $.alterCollectionStatement,
    $.dropCollectionStatement,
  ];
}

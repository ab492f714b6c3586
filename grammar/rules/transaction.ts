// Transaction control: BEGIN / START TRANSACTION, COMMIT / END, ROLLBACK, SAVEPOINT, RELEASE.
import { k, type Tokens } from '../lexer.js';
import type { GrammarRule, ToonQLDsl } from '../parser.js';

/** Rules of the transaction family. */
export interface TransactionRules {
  beginStatement: GrammarRule;
  transactionMode: GrammarRule;
  commitStatement: GrammarRule;
  rollbackStatement: GrammarRule;
  savepointStatement: GrammarRule;
  releaseStatement: GrammarRule;
}

/** Defines the transaction statements. */
export function defineTransactionRules($: ToonQLDsl, t: Tokens): GrammarRule[] {
  const transactionWord = (): void => {
    $.OPTION9(() => $.OR9([{ ALT: () => $.CONSUME9(k.TRANSACTION) }, { ALT: () => $.CONSUME9(k.WORK) }]));
  };

  $.beginStatement = $.RULE('beginStatement', () => {
    $.OR([
      {
        ALT: () => {
          $.CONSUME(k.BEGIN);
          $.OPTION(() => {
            $.OR2([
              { ALT: () => $.CONSUME(k.DEFERRED, { LABEL: 'mode' }) },
              { ALT: () => $.CONSUME(k.IMMEDIATE, { LABEL: 'mode' }) },
              { ALT: () => $.CONSUME(k.EXCLUSIVE, { LABEL: 'mode' }) },
            ]);
          });
          transactionWord();
        },
      },
      {
        ALT: () => {
          $.CONSUME(k.START);
          $.CONSUME(k.TRANSACTION);
        },
      },
    ]);
    $.MANY(() => {
      $.OPTION2(() => $.CONSUME(t.Comma));
      $.SUBRULE($.transactionMode);
    });
  });

  $.transactionMode = $.RULE('transactionMode', () => {
    $.OR([
      {
        ALT: () => {
          $.CONSUME(k.ISOLATION);
          $.CONSUME(k.LEVEL);
          $.OR2([
            { ALT: () => $.CONSUME(k.SERIALIZABLE) },
            { ALT: () => $.CONSUME(k.SNAPSHOT) },
            {
              ALT: () => {
                $.CONSUME(k.REPEATABLE);
                $.CONSUME(k.READ);
              },
            },
            {
              ALT: () => {
                $.CONSUME2(k.READ);
                $.OR3([{ ALT: () => $.CONSUME(k.COMMITTED) }, { ALT: () => $.CONSUME(k.UNCOMMITTED) }]);
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          $.CONSUME3(k.READ, { LABEL: 'access' });
          $.OR4([{ ALT: () => $.CONSUME(k.ONLY) }, { ALT: () => $.CONSUME(k.WRITE) }]);
        },
      },
    ]);
  });

  $.commitStatement = $.RULE('commitStatement', () => {
    $.OR([{ ALT: () => $.CONSUME(k.COMMIT) }, { ALT: () => $.CONSUME(k.END) }]);
    transactionWord();
  });

  $.rollbackStatement = $.RULE('rollbackStatement', () => {
    $.CONSUME(k.ROLLBACK);
    transactionWord();
    $.OPTION(() => {
      $.CONSUME(k.TO);
      $.OPTION2(() => $.CONSUME(k.SAVEPOINT));
      $.CONSUME(t.Name);
    });
  });

  $.savepointStatement = $.RULE('savepointStatement', () => {
    $.CONSUME(k.SAVEPOINT);
    $.CONSUME(t.Name);
  });

  $.releaseStatement = $.RULE('releaseStatement', () => {
    $.CONSUME(k.RELEASE);
    $.OPTION(() => $.CONSUME(k.SAVEPOINT));
    $.CONSUME(t.Name);
  });

  return [
    $.beginStatement,
    $.commitStatement,
    $.rollbackStatement,
    $.savepointStatement,
    $.releaseStatement,
  ];
}

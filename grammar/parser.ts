// The ToonQL parser: a CstParser holding grammar only, composed from the statement-family rule files.
import {
  CstParser,
  EOF,
  tokenLabel,
  tokenMatcher,
  type AtLeastOneSepMethodOpts,
  type ConsumeMethodOpts,
  type CstNode,
  type DSLMethodOpts,
  type DSLMethodOptsWithErr,
  type GrammarAction,
  type IOrAlt,
  type IParserErrorMessageProvider,
  type IToken,
  type ManySepMethodOpts,
  type OrMethodOpts,
  type ParserMethod,
  type SubruleMethodOpts,
  type TokenType,
} from 'chevrotain';
import { allTokens, t, type Tokens } from './lexer.js';
import { defineCollectionRules, type CollectionRules } from './rules/collection.js';
import { defineDdlRules, type DdlRules } from './rules/ddl.js';
import { defineKvRules, type KvRules } from './rules/kv.js';
import { defineDmlRules, type DmlRules } from './rules/dml.js';
import { defineExpressionRules, type ExpressionRules } from './rules/expression.js';
import { defineIndexViewRules, type IndexViewRules } from './rules/index-view.js';
import { defineSelectRules, type SelectRules } from './rules/select.js';
import { defineTransactionRules, type TransactionRules } from './rules/transaction.js';
import { defineUtilityRules, type UtilityRules } from './rules/utility.js';

// Chevrotain 13 uses Object.groupBy (Node 21+) in its grammar checks and CST type generation;
// Node 20 lacks it, so supply the standard behaviour when it is missing.
if (typeof (Object as { groupBy?: unknown }).groupBy !== 'function') {
  Object.defineProperty(Object, 'groupBy', {
    configurable: true,
    writable: true,
    value: function groupBy<T>(items: Iterable<T>, keyOf: (item: T, index: number) => PropertyKey) {
      const groups: Record<PropertyKey, T[]> = Object.create(null);
      let index = 0;
      for (const item of items) (groups[keyOf(item, index++)] ??= []).push(item);
      return groups;
    },
  });
}

/** A grammar rule of the parser (some rules take arguments). */
export type GrammarRule = ParserMethod<any[], CstNode>;

type Suffix = '' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';

/**
 * The public face of Chevrotain's (protected) parsing DSL, so rule files outside the class can
 * define rules; `ToonQLParser` hands itself to them typed as this.
 */
export type GrammarDsl = {
  RULE<F extends (...args: any[]) => void>(name: string, impl: F): ParserMethod<Parameters<F>, CstNode>;
  LA(howMuch: number): IToken;
} & { [K in `CONSUME${Suffix}`]: (tokType: TokenType, options?: ConsumeMethodOpts) => IToken } & {
  [K in `SUBRULE${Suffix}`]: <A extends unknown[]>(rule: ParserMethod<A, CstNode>, options?: SubruleMethodOpts<A>) => CstNode;
} & { [K in `OPTION${Suffix}`]: (def: GrammarAction<unknown> | DSLMethodOpts<unknown>) => unknown } & {
  [K in `OR${Suffix}`]: (alts: IOrAlt<unknown>[] | OrMethodOpts<unknown>) => unknown;
} & { [K in `MANY${Suffix}`]: (def: GrammarAction<unknown> | DSLMethodOpts<unknown>) => void } & {
  [K in `AT_LEAST_ONE${Suffix}`]: (def: GrammarAction<unknown> | DSLMethodOptsWithErr<unknown>) => void;
} & { [K in `MANY_SEP${Suffix}`]: (options: ManySepMethodOpts<unknown>) => void } & {
  [K in `AT_LEAST_ONE_SEP${Suffix}`]: (options: AtLeastOneSepMethodOpts<unknown>) => void;
};

/** The rules defined in this file: the entry points. */
export interface RootRules {
  /** A `;`-separated script; empty statements are allowed. */
  script: GrammarRule;
  /** Any one statement. */
  statement: GrammarRule;
}

/** Every rule of the grammar, by name. */
export type ToonQLRules = RootRules &
  ExpressionRules &
  SelectRules &
  DmlRules &
  DdlRules &
  IndexViewRules &
  CollectionRules &
  KvRules &
  TransactionRules &
  UtilityRules;

/** What a rule file receives: the DSL plus every rule (rules may refer to rules of other files). */
export type ToonQLDsl = GrammarDsl & ToonQLRules;

/** Defines one family of rules; returns the family's statement rules (alternatives of `statement`). */
export type RuleFamily = ($: ToonQLDsl, tokens: Tokens) => GrammarRule[];

/**
 * Error messages that name what was expected briefly ("expected FROM, WHERE or ';'") instead of
 * Chevrotain's list of full token paths. The last list is kept for `QuerySyntaxError.details`.
 */
class BriefErrorMessages implements IParserErrorMessageProvider {
  /** The expected items of the last message built. */
  lastExpected: readonly string[] = [];
  /**
   * How many tokens past the error's token the input went wrong: in `CREATE TRIGGER` the error
   * is raised at CREATE, but TRIGGER is the token to blame.
   */
  lastDepth = 0;

  buildMismatchTokenMessage(options: { expected: TokenType }): string {
    return this.expect([options.expected], 0);
  }

  buildNotAllInputParsedMessage(): string {
    return this.expect([t.Semicolon, EOF], 0);
  }

  buildNoViableAltMessage(options: { expectedPathsPerAlt: TokenType[][][]; actual: IToken[] }): string {
    return this.expectPaths(options.expectedPathsPerAlt.flat(), options.actual);
  }

  buildEarlyExitMessage(options: { expectedIterationPaths: TokenType[][]; actual: IToken[] }): string {
    return this.expectPaths(options.expectedIterationPaths, options.actual);
  }

  // Follows each lookahead path as far as the input matches it and expects what comes next on
  // the paths that got furthest.
  private expectPaths(paths: TokenType[][], actual: IToken[]): string {
    const matched = paths.map((path) => {
      let i = 0;
      while (i < path.length && i < actual.length && tokenMatcher(actual[i], path[i])) i++;
      return i;
    });
    let depth = 0;
    paths.forEach((path, i) => {
      if (matched[i] < path.length) depth = Math.max(depth, matched[i]);
    });
    const next = paths.filter((path, i) => matched[i] === depth && path.length > depth).map((path) => path[depth]);
    return this.expect(next, depth);
  }

  private expect(types: TokenType[], depth: number): string {
    this.lastDepth = depth;
    this.lastExpected = describeExpected(types);
    return `expected ${joinOr(this.lastExpected)}`;
  }
}

// Tokens that can start an expression; when most of them are expected we just say "expression".
const EXPRESSION_STARTS = new Set([
  'Literal', 'NumberLiteral', 'StringLiteral', 'Parameter', 'Name', 'Identifier', 'PrefixOp', 'LParen',
  'NOT', 'CASE', 'CAST', 'EXISTS', 'INTERVAL', 'DEFAULT', 'LEFT', 'RIGHT', 'GLOB', 'LIKE', 'VALUES',
  'NULL', 'TRUE', 'FALSE', 'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'Plus', 'Minus', 'Tilde',
]);
const MAX_EXPECTED = 8;

function describeExpected(types: TokenType[]): string[] {
  const names = new Set(types.map((x) => x.name));
  const isExpression = names.has('Literal') && names.has('Name');
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (label: string): void => {
    if (!seen.has(label)) {
      seen.add(label);
      out.push(label);
    }
  };
  for (const type of types) {
    if (isExpression && EXPRESSION_STARTS.has(type.name)) add('expression');
    else if (type === EOF) add('end of input');
    else add(tokenLabel(type));
  }
  return out.length > MAX_EXPECTED ? [...out.slice(0, MAX_EXPECTED - 1), '…'] : out;
}

function joinOr(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? 'nothing') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The statement families, in the order their statements are tried. */
const FAMILIES: readonly RuleFamily[] = [
  defineExpressionRules,
  defineSelectRules,
  defineDmlRules,
  defineDdlRules,
  defineIndexViewRules,
  defineCollectionRules,
  defineKvRules,
  defineTransactionRules,
  defineUtilityRules,
];

/** The ToonQL grammar. Use the shared `parser` instance rather than constructing another. */
export class ToonQLParser extends CstParser {
  /** The error message provider; `lastExpected` describes the last syntax error. */
  readonly messages: BriefErrorMessages;

  /**
   * @param options.validate run Chevrotain's grammar checks (ambiguities, left recursion). They
   * take a third of the start-up time, so the shared instance skips them and a test runs them.
   */
  constructor(options: { validate?: boolean } = {}) {
    const messages = new BriefErrorMessages();
    super(allTokens, {
      recoveryEnabled: false,
      maxLookahead: 2,
      nodeLocationTracking: 'onlyOffset',
      errorMessageProvider: messages,
      skipValidations: options.validate !== true,
    });
    this.messages = messages;
    const $ = this as unknown as ToonQLDsl;
    const statements = FAMILIES.flatMap((define) => define($, t));
    const alternatives = statements.map((rule) => ({ ALT: () => $.SUBRULE(rule) }));

    // CREATE TEMP TABLE and CREATE TEMP VIEW differ only in the third token.
    $.statement = $.RULE('statement', () => {
      $.OR({ DEF: alternatives, MAX_LOOKAHEAD: 3 });
    });

    $.script = $.RULE('script', () => {
      $.OPTION(() => $.SUBRULE($.statement));
      $.MANY(() => {
        $.CONSUME(t.Semicolon);
        $.OPTION2(() => $.SUBRULE2($.statement));
      });
    });

    this.performSelfAnalysis();
  }
}

/** The rules, assigned by the rule files in the constructor. */
export interface ToonQLParser extends ToonQLRules {}

/** The one shared parser instance; reset it by assigning `parser.input`. */
export const parser = new ToonQLParser();

// kv_get(key [, namespace]) and kv_exists(key [, namespace]) (docs/toonql.md §10.3): subqueries over
// the kv_get table function, so that they read the key in the statement's transaction.

import type { Expression, FunctionCall, SelectCore, SelectStatement, TableFunctionRef } from '../ast.js';
import { parseStatements } from '../parse.js';

/** Names of the scalar key-value functions. */
export const KV_SCALAR_FUNCTIONS: ReadonlySet<string> = new Set(['kv_get', 'kv_exists']);

let template: SelectStatement | undefined;

/** `SELECT value FROM kv_get(NULL, NULL)`, parsed once. */
function lookupQuery(): SelectStatement {
  template ??= parseStatements('SELECT value FROM kv_get(NULL, NULL)')[0] as SelectStatement;
  return template;
}

/**
 * The expression a call of kv_get or kv_exists stands for: `(SELECT value FROM kv_get(key, ns))`
 * or `EXISTS (SELECT value FROM kv_get(key, ns))`. The key and namespace expressions keep their
 * places in the statement text, so errors in them point at the call.
 */
export function kvCallExpression(call: FunctionCall, name: string, nullLiteral: Expression): Expression {
  const t = lookupQuery();
  const core = t.body as SelectCore;
  const from = core.from as TableFunctionRef;
  const args = [call.args[0] ?? nullLiteral, call.args[1] ?? nullLiteral];
  const query: SelectStatement = {
    ...t,
    span: call.span,
    body: { ...core, span: call.span, from: { ...from, span: call.span, call: { ...from.call, span: call.span, args } } },
  };
  return name === 'kv_exists' ? { kind: 'ExistsExpression', query, span: call.span } : { kind: 'SubqueryExpression', query, span: call.span };
}

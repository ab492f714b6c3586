// Binds the search table functions: vector_search, bm25_search, hybrid_search (docs/toonql.md §11.5).

import type { Expression, TableFunctionRef } from '../ast.js';
import type { ColumnInfo } from '../bound.js';
import type { LogicalPlan, SearchSpec } from '../../planner/logical.js';
import type { TableDef } from '../../storage/catalog.js';
import { bindExpr, type ExprOptions } from './bind-expr.js';
import { scanSchema } from './bind-query.js';
import { bindError, identName, type BindContext, type Scope } from './scope.js';

/** The search functions: their query inputs and the named arguments each accepts. */
const SEARCH_FUNCTIONS: Record<string, { mode: SearchSpec['mode']; inputs: readonly ('vector' | 'text')[]; named: readonly string[] }> = {
  vector_search: { mode: 'vector', inputs: ['vector'], named: ['k', 'ef_search', 'column'] },
  bm25_search: { mode: 'bm25', inputs: ['text'], named: ['k', 'mode', 'column'] },
  hybrid_search: { mode: 'hybrid', inputs: ['vector', 'text'], named: ['k', 'alpha', 'fusion', 'rrf_k', 'candidates', 'ef_search'] },
};

/** Whether a table function is one of the search functions. */
export function isSearchFunction(name: string): boolean {
  return Object.hasOwn(SEARCH_FUNCTIONS, name);
}

/** The extra output columns of each search mode, after the collection's columns. */
export function searchColumns(mode: SearchSpec['mode']): { name: string; type: ColumnInfo['type'] }[] {
  if (mode === 'vector') return [{ name: 'distance', type: 'real' }, { name: 'score', type: 'real' }];
  if (mode === 'bm25') return [{ name: 'score', type: 'real' }];
  return [
    { name: 'score', type: 'real' },
    { name: 'vector_rank', type: 'integer' },
    { name: 'vector_distance', type: 'real' },
    { name: 'bm25_rank', type: 'integer' },
    { name: 'bm25_score', type: 'real' },
  ];
}

/** The collection a search function's first argument names (an object name, not an expression). */
function collectionArg(e: Expression | undefined, ctx: BindContext, fn: string): TableDef {
  let name: string | undefined;
  if (e?.kind === 'ColumnRef' && e.schema === undefined) {
    const ns = e.table ? (e.table.quoted ? e.table.name : e.table.name.toLowerCase()) : undefined;
    name = ns && !['main', 'temp', 'public', 'default'].includes(ns.toLowerCase()) ? `${ns}.${identName(e.column)}` : identName(e.column);
  } else if (e?.kind === 'StringLiteral') name = e.value;
  if (name === undefined) bindError(ctx, `${fn}: the first argument must name a collection`, e?.span);
  const table = ctx.catalog.table(name);
  if (!table.collection) bindError(ctx, `${fn}: ${table.name} is not a collection`, e?.span);
  return table;
}

/** Binds `vector_search(docs, $1, k => 10)` and its siblings to a CollectionSearch node. */
export function bindSearchFunction(item: TableFunctionRef, scope: Scope, ctx: BindContext, opts: ExprOptions): LogicalPlan {
  const call = item.call;
  const fn = call.name.name.name.toLowerCase();
  const spec = SEARCH_FUNCTIONS[fn]!;
  const names = call.argNames ?? [];
  const positional: Expression[] = [];
  const named: Record<string, Expression> = {};
  call.args.forEach((arg, i) => {
    const n = names[i];
    if (n === undefined) {
      if (Object.keys(named).length > 0) bindError(ctx, `${fn}: positional arguments must come before named ones`, arg.span);
      positional.push(arg);
      return;
    }
    const key = identName(n).toLowerCase();
    if (!spec.named.includes(key)) bindError(ctx, `${fn}: unknown argument ${key} (it takes ${spec.named.join(', ')})`, n.span);
    if (named[key]) bindError(ctx, `${fn}: argument ${key} given twice`, n.span);
    named[key] = arg;
  });
  if (positional.length !== 1 + spec.inputs.length) {
    bindError(ctx, `${fn} takes ${1 + spec.inputs.length} positional arguments (the collection, ${spec.inputs.map((x) => `the query ${x}`).join(', ')}), got ${positional.length}`, call.span);
  }
  const table = collectionArg(positional[0], ctx, fn);
  const b = (e: Expression) => bindExpr(e, scope, ctx, opts);
  const vectorIdx = spec.inputs.indexOf('vector');
  const textIdx = spec.inputs.indexOf('text');
  const column = named.column;
  if (column && !(column.kind === 'ColumnRef' && ['embedding', 'content'].includes(identName(column.column).toLowerCase()))) {
    bindError(ctx, `${fn}: column must be ${spec.mode === 'vector' ? 'embedding' : 'content'} for a collection`, column.span);
  }
  const options: Record<string, ReturnType<typeof b>> = {};
  for (const [k, e] of Object.entries(named)) if (k !== 'column') options[k] = b(e);
  const alias = item.alias ? identName(item.alias) : table.name;
  const search: SearchSpec = {
    table,
    indexes: ctx.catalog.indexesOf(table.name),
    alias,
    mode: spec.mode,
    vector: vectorIdx >= 0 ? b(positional[1 + vectorIdx]!) : undefined,
    text: textIdx >= 0 ? b(positional[1 + textIdx]!) : undefined,
    options,
    offset: undefined,
  };
  const extra = searchColumns(spec.mode).map((c) => ({ ...c, table: alias }));
  const schema = [...scanSchema(table, alias), ...extra];
  if (item.columnAliases.length > 0) bindError(ctx, `${fn}: column aliases are not supported; alias the columns in the select list`, item.span);
  return { kind: 'CollectionSearch', search, filter: undefined, schema };
}

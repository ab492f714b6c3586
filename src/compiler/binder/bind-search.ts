// Binds the search table functions: vector_search, bm25_search, hybrid_search (docs/toonql.md §11.5).

import type { Expression, Span, TableFunctionRef } from '../ast.js';
import type { ColumnInfo } from '../bound.js';
import type { LogicalPlan, SearchSpec } from '../../planner/logical.js';
import { collectionTextColumns, collectionVectorColumn, hnswVectorColumn, itemColumn, textSourcesOf, type TableDef, type TextColumns, type VectorColumn } from '../../storage/catalog.js';
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

/** The collection (or table) a search function's first argument names (an object name, not an expression). */
function collectionArg(e: Expression | undefined, ctx: BindContext, fn: string): TableDef {
  let name: string | undefined;
  if (e?.kind === 'ColumnRef' && e.schema === undefined) {
    const ns = e.table ? (e.table.quoted ? e.table.name : e.table.name.toLowerCase()) : undefined;
    name = ns && !['main', 'temp', 'public', 'default'].includes(ns.toLowerCase()) ? `${ns}.${identName(e.column)}` : identName(e.column);
  } else if (e?.kind === 'StringLiteral') name = e.value;
  if (name === undefined) bindError(ctx, `${fn}: the first argument must name a collection`, e?.span);
  return ctx.catalog.table(name);
}

/**
 * The BM25-indexed text a keyword search ranks by: a collection's content, or the columns of one
 * of a table's bm25 indexes (`column => name` picks the one covering that column).
 */
function textColumnsArg(table: TableDef, column: Expression | undefined, ctx: BindContext, fn: string, span: Span | undefined): TextColumns {
  const wanted = column?.kind === 'ColumnRef' ? identName(column.column).toLowerCase() : undefined;
  if (table.collection) {
    if (wanted !== undefined && wanted !== 'content') bindError(ctx, `${fn}: column must be content for a collection`, column!.span);
    return collectionTextColumns(table);
  }
  if (column && column.kind !== 'ColumnRef') bindError(ctx, `${fn}: column must name a column`, column.span);
  const all = textSourcesOf(table, ctx.catalog.indexesOf(table.name));
  const usable = wanted === undefined ? all : all.filter((t) => t.columns.some((c) => table.columns[c]!.name.toLowerCase() === wanted));
  if (usable.length === 0) bindError(ctx, `${fn}: ${table.name} has no bm25 index${wanted ? ` on ${wanted}` : ''} (CREATE INDEX … USING bm25, or use a collection)`, column?.span ?? span);
  if (usable.length > 1) bindError(ctx, `${fn}: ${table.name} has several bm25 indexes; pick one with column => name`, span);
  return usable[0]!;
}

/**
 * The ANN-indexed column a vector search ranks by: a collection's embedding, or the column of one
 * of a table's hnsw indexes (`column => name` picks one when there are several).
 */
function vectorColumnArg(table: TableDef, column: Expression | undefined, ctx: BindContext, fn: string, span: Span | undefined): VectorColumn {
  const wanted = column?.kind === 'ColumnRef' ? identName(column.column).toLowerCase() : undefined;
  if (table.collection) {
    if (wanted !== undefined && wanted !== 'embedding') bindError(ctx, `${fn}: column must be embedding for a collection`, column!.span);
    return collectionVectorColumn(table);
  }
  if (column && column.kind !== 'ColumnRef') bindError(ctx, `${fn}: column must name a column`, column.span);
  const hnsw = ctx.catalog.indexesOf(table.name).filter((ix) => ix.method === 'hnsw' && ix.vector);
  const usable = wanted === undefined ? hnsw : hnsw.filter((ix) => table.columns[itemColumn(ix.columns[0]!)!]!.name.toLowerCase() === wanted);
  if (usable.length === 0) {
    bindError(ctx, `${fn}: ${table.name} has no hnsw index${wanted ? ` on ${wanted}` : ''} (CREATE INDEX … USING hnsw, or use a collection)`, column?.span ?? span);
  }
  if (usable.length > 1) bindError(ctx, `${fn}: ${table.name} has several hnsw indexes; pick one with column => name`, span);
  return hnswVectorColumn(table, usable[0]!);
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
  // column => name picks the indexed column of a single-input search.
  const column = spec.mode === 'hybrid' ? undefined : named.column;
  if (spec.mode === 'hybrid' && named.column) bindError(ctx, `${fn}: column is for vector_search and bm25_search`, named.column.span);
  const vectorColumn = vectorIdx >= 0 ? vectorColumnArg(table, column, ctx, fn, call.span) : undefined;
  const textColumns = textIdx >= 0 ? textColumnsArg(table, column, ctx, fn, call.span) : undefined;
  const options: Record<string, ReturnType<typeof b>> = {};
  for (const [k, e] of Object.entries(named)) if (k !== 'column') options[k] = b(e);
  const alias = item.alias ? identName(item.alias) : table.name;
  const search: SearchSpec = {
    table,
    indexes: ctx.catalog.indexesOf(table.name),
    alias,
    mode: spec.mode,
    ...(vectorColumn ? { vectorColumn } : {}),
    ...(textColumns ? { textColumns } : {}),
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

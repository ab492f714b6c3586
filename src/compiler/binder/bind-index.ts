// Index items as bound expressions: checked when CREATE INDEX names them, bound again from their SQL text where used.

import { QueryExecutionError } from '../../errors.js';
import { Catalog, CatalogView, type IndexDef, type TableDef } from '../../storage/catalog.js';
import type { Expression } from '../ast.js';
import { someExpr, type BoundExpr, type ColumnInfo } from '../bound.js';
import { parseStatement } from '../parse.js';
import { bindExpr } from './bind-expr.js';
import { scanSchema } from './bind-query.js';
import { bindError, CteEnv, Scope, type BindContext } from './scope.js';

const CLAUSE = 'an index expression';

/**
 * The columns an index expression sees: the table's own columns, unqualified (so that a stored
 * expression still binds after RENAME TABLE) and without the hidden rowid, which is not known
 * when a row's index entries are computed. A collection's metadata fields resolve as in queries.
 */
function itemColumns(table: TableDef): ColumnInfo[] {
  return scanSchema(table, table.name)
    .slice(0, table.columns.length)
    .map((c) => ({ ...c, table: undefined }));
}

/** Why a bound expression cannot be an index item (its value must depend on the row alone), or undefined. */
function unindexable(e: BoundExpr): string | undefined {
  let why: string | undefined;
  someExpr(e, (x) => {
    if (x.kind === 'Param') why = 'parameters are not allowed in an index expression';
    else if (x.kind === 'CurrentTime') why = `${x.which} is not allowed in an index expression: its value changes over time`;
    else if (x.kind === 'Call' && !x.deterministic) why = `non-deterministic function ${x.name}() is not allowed in an index expression`;
    else if (x.kind === 'Subquery') why = 'subqueries are not allowed in an index expression';
    return why !== undefined;
  });
  return why;
}

/**
 * Binds one item of CREATE INDEX over the table's columns, with bind errors (and positions) for
 * what an index cannot hold: unknown or qualified names, aggregates, window functions,
 * subqueries, parameters, and non-deterministic functions such as random() or now().
 */
export function bindIndexItem(e: Expression, table: TableDef, ctx: BindContext): BoundExpr {
  const scope = new Scope(itemColumns(table), undefined, new CteEnv(undefined));
  const bound = bindExpr(e, scope, ctx, {
    clause: CLAUSE,
    bindSubquery: (q) => bindError(ctx, 'subqueries are not allowed in an index expression', q.span),
  });
  const why = unindexable(bound);
  if (why) bindError(ctx, why, e.span);
  // Index keys order values binarily; a collated item would hold them in an order no query uses.
  if (bound.kind === 'Collate') bindError(ctx, 'COLLATE on an index item is not supported (declare the collation on the column instead)', e.span);
  return bound;
}

/** A catalog for re-binding stored expressions: they name no table, view or function of the catalog. */
const noObjects = new CatalogView(new Catalog());

/** Binds the SQL text of a stored expression item over the table's columns. */
function bindStored(sql: string, table: TableDef): BoundExpr {
  const text = `SELECT ${sql}`;
  const stmt = parseStatement(text);
  if (stmt.kind !== 'SelectStatement' || stmt.body.kind !== 'SelectCore' || stmt.body.columns[0]?.kind !== 'SelectColumn') {
    throw new QueryExecutionError(`cannot read stored index expression: ${sql}`);
  }
  const ctx: BindContext = { sql: text, catalog: noObjects, params: { count: 0, named: new Map() }, nextWorkTableId: 1, expanding: new Set() };
  return bindIndexItem(stmt.body.columns[0].expr, table, ctx);
}

const bound = new WeakMap<IndexDef, { readonly table: TableDef; readonly exprs: readonly BoundExpr[] }>();

/**
 * The items of an index as expressions over the table's scan schema: a Column for a column item,
 * the re-bound expression for an expression item. Cached per definition (and table definition).
 */
export function indexItemExprs(ix: IndexDef, table: TableDef): readonly BoundExpr[] {
  const hit = bound.get(ix);
  if (hit && hit.table === table) return hit.exprs;
  const exprs = ix.columns.map((item): BoundExpr => {
    if ('exprSql' in item) return bindStored(item.exprSql, table);
    const c = table.columns[item.column]!;
    return { kind: 'Column', index: item.column, type: c.type, name: c.name, ...(c.collation ? { collation: c.collation.toUpperCase() } : {}) };
  });
  bound.set(ix, { table, exprs });
  return exprs;
}

/** Whether any item of the index is an expression. */
export function hasExpressionItems(ix: IndexDef): boolean {
  return ix.columns.some((c) => 'exprSql' in c);
}

/** Whether an expression item of the index reads column `i` of the table. */
export function expressionReads(ix: IndexDef, table: TableDef, i: number): boolean {
  return indexItemExprs(ix, table).some((e, k) => 'exprSql' in ix.columns[k]! && someExpr(e, (x) => x.kind === 'Column' && x.index === i));
}

// When a partial index (CREATE INDEX … WHERE p) may answer a query: when the query's WHERE implies p.

import { parseStatement } from '../compiler/parse.js';
import { bindExpr } from '../compiler/binder/bind-expr.js';
import { CteEnv, Scope } from '../compiler/binder/scope.js';
import type { BoundExpr, ColumnInfo } from '../compiler/bound.js';
import { CatalogView, type Catalog, type IndexDef } from '../storage/catalog.js';
import { exprShape } from './expr-shape.js';
import { conjuncts } from './rules/predicate-pushdown.js';

const bound = new WeakMap<IndexDef, string[] | null>();

/** The conjuncts of the index's WHERE, bound over the table's scan schema, as comparable text (null: not bindable). */
function indexConjuncts(ix: IndexDef, schema: readonly ColumnInfo[], catalog: Catalog): string[] | null {
  let out = bound.get(ix);
  if (out !== undefined) return out;
  try {
    const sql = `SELECT ${ix.whereSql}`;
    const stmt = parseStatement(sql);
    if (stmt.kind !== 'SelectStatement' || stmt.body.kind !== 'SelectCore' || stmt.body.columns[0]?.kind !== 'SelectColumn') throw new Error('not an expression');
    const ctx = { sql, catalog: new CatalogView(catalog), params: { count: 0, named: new Map<string, number>() }, nextWorkTableId: 1, expanding: new Set<string>() };
    const e = bindExpr(stmt.body.columns[0].expr, new Scope(schema, undefined, new CteEnv(undefined)), ctx, {
      clause: 'an index WHERE clause',
      bindSubquery: () => {
        throw new Error('subqueries are not allowed in an index WHERE clause');
      },
    });
    const shapes = conjuncts(e).map(exprShape);
    out = shapes.every((x) => x !== undefined) ? (shapes as string[]) : null;
  } catch {
    out = null;
  }
  bound.set(ix, out);
  return out;
}

/**
 * Whether the query's conjuncts imply the partial index's predicate. The check is syntactic:
 * each conjunct of the index's WHERE must appear among the query's (so `WHERE deleted = 0 AND
 * user_id = ?` can use an index `ON t (user_id) WHERE deleted = 0`).
 */
export function partialIndexApplies(ix: IndexDef, schema: readonly ColumnInfo[], preds: readonly BoundExpr[], catalog: Catalog): boolean {
  const need = indexConjuncts(ix, schema, catalog);
  if (need === null) return false;
  const have = new Set(preds.flatMap((p) => conjuncts(p)).map(exprShape));
  return need.every((c) => have.has(c));
}

// What an index key is made of, as the planner compares it: the keys of index items and of the expressions a query constrains.

import { indexItemExprs } from '../compiler/binder/bind-index.js';
import { someExpr, type BoundExpr, type ColumnInfo } from '../compiler/bound.js';
import { comparisonAffinityOf } from '../executor/compile-expr.js';
import type { IndexDef, TableDef } from '../storage/catalog.js';
import { exprShape } from './expr-shape.js';

/** The key of column `i` of a scan (a column item, or a constrained column). */
export function columnKey(i: number): string {
  return `#${i}`;
}

const cache = new WeakMap<IndexDef, { readonly table: TableDef; readonly keys: readonly string[] | undefined }>();

/**
 * The keys of an index's items in order: columnKey for a column item, the expression's shape for
 * an expression item. Undefined when a stored expression no longer binds (the index is not used).
 */
export function indexItemKeys(ix: IndexDef, table: TableDef): readonly string[] | undefined {
  const hit = cache.get(ix);
  if (hit && hit.table === table) return hit.keys;
  let keys: string[] | undefined;
  try {
    const shapes = indexItemExprs(ix, table).map((e) => (e.kind === 'Column' ? columnKey(e.index) : exprShape(e)));
    keys = shapes.every((s) => s !== undefined) ? (shapes as string[]) : undefined;
  } catch {
    keys = undefined;
  }
  cache.set(ix, { table, keys });
  return keys;
}

/**
 * The key of an expression a query compares with the values `others`, when an index item could
 * stand for it: a column of the scan without a collation, or an expression over the row that
 * always gives the same value for it (no parameters, outer references, subqueries or
 * non-deterministic calls) and whose comparison with each value converts neither side (so that
 * the value can be looked up in the index as it is).
 */
export function constrainedKey(e: BoundExpr, schema: readonly ColumnInfo[], others: readonly BoundExpr[]): string | undefined {
  if (e.kind === 'Column') return schema[e.index]?.collation ? undefined : columnKey(e.index);
  // A collation at the top changes how the value compares, not the value an index would hold.
  if (e.kind === 'Collate' || !someExpr(e, (x) => x.kind === 'Column')) return undefined;
  if (someExpr(e, (x) => x.kind === 'Param' || x.kind === 'OuterColumn' || x.kind === 'Subquery' || x.kind === 'CurrentTime' || (x.kind === 'Call' && (!x.deterministic || x.name.startsWith('$'))))) return undefined;
  if (others.some((o) => comparisonAffinityOf(e, o) !== 'none')) return undefined;
  return exprShape(e);
}

/** The key of an ORDER BY expression, when an index item could give its order. */
export function sortKeyOf(e: BoundExpr, schema: readonly ColumnInfo[]): string | undefined {
  return constrainedKey(e, schema, []);
}

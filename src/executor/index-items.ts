// The values of an index's items for a row: column items read, expression items compiled once per index.

import { indexItemExprs } from '../compiler/binder/bind-index.js';
import { QueryExecutionError } from '../errors.js';
import type { IndexDef, TableDef } from '../storage/catalog.js';
import { CompiledExprs, type Evaluator } from './compile-expr.js';
import type { Env, Row } from './context.js';
import type { SqlValue } from './value.js';

const compiled = new WeakMap<IndexDef, { readonly table: TableDef; readonly fns: readonly Evaluator[] }>();

/**
 * A function giving the values of the index's items for a stored row (without hidden columns),
 * as the index keys them: the writer uses it for new entries, the table cache to sort cached rows
 * in the index's order, so both agree. Items read only the table's own columns (bindIndexItem
 * refuses the others). NaN cannot be a key and is keyed as NULL, as it compares.
 */
export function indexItemValues(def: IndexDef, table: TableDef, env: Env): (row: readonly SqlValue[]) => SqlValue[] {
  let c = compiled.get(def);
  if (!c || c.table !== table) {
    const fns = new CompiledExprs(indexItemExprs(def, table), () => {
      throw new QueryExecutionError(`subqueries are not allowed in index ${def.name}`);
    }).fns;
    compiled.set(def, (c = { table, fns }));
  }
  const fns = c.fns;
  return (row) =>
    fns.map((f) => {
      const v = f(row as Row, env);
      return typeof v === 'number' && Number.isNaN(v) ? null : v;
    });
}

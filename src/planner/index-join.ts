// Index nested loop join: each left row looks its matches up by the right table's primary key or an index.

import { isOrderedIndex, itemColumn } from '../storage/catalog.js';
import { COST, tableRows } from './cost.js';
import { eqExpr, shift, type EquiKeys } from './join-keys.js';
import type { LogicalPlan } from './logical.js';
import type { PhysicalPlan } from './physical.js';
import type { PlannerContext } from './physical-planner.js';
import { conjoin } from './rules/predicate-pushdown.js';

/**
 * An IndexJoin for a join whose right side is a bare table whose primary key or an index the
 * join keys cover, when its lookups cost less than hashing the table; `rows` is the join's
 * estimated output.
 */
export function indexJoinFor(p: Extract<LogicalPlan, { kind: 'Join' }>, left: PhysicalPlan, keys: EquiKeys, rows: number, pc: PlannerContext): PhysicalPlan | undefined {
  const lw = p.left.schema.length;
  if (p.right.kind !== 'Scan' || !(p.joinType === 'INNER' || p.joinType === 'LEFT' || p.joinType === 'SEMI' || p.joinType === 'ANTI')) return undefined;
  const t = p.right.table;
  const rightCols = keys.right.map((e) => (e.kind === 'Column' ? e.index : -1));
  const keyCols = t.primaryKey.length > 0 ? [...t.primaryKey] : [t.columns.length];
  const pkKeys = keyCols.map((c) => rightCols.findIndex((rc) => rc === c || (t.rowidColumn >= 0 && (rc === t.rowidColumn || rc === t.columns.length) && (c === t.rowidColumn || c === t.columns.length))));
  const rightRows = tableRows(pc.catalog, t);
  const hashCost = left.est.cost + rightRows * COST.seqRow + (left.est.rows + rightRows) * COST.hashRow;
  // Each lookup costs a descent, and each matched row a fetch.
  const lookupCost = (perRow: number) => left.est.cost + left.est.rows * perRow + rows * COST.lookup;
  const residual = conjoin(keys.rest);
  if (pkKeys.every((i) => i >= 0) && lookupCost(COST.lookup) < hashCost) {
    const used = new Set(pkKeys);
    const extra = keys.left.map((_, i) => i).filter((i) => !used.has(i));
    const res = conjoin([...keys.rest, ...extra.map((i) => eqExpr(keys.left[i]!, shift(keys.right[i]!, lw)))]);
    return { kind: 'IndexJoin', joinType: p.joinType as 'INNER', left, table: t, alias: p.right.alias, index: undefined, keys: pkKeys.map((i) => keys.left[i]!), residual: res, rightWidth: p.right.schema.length, schema: p.schema, est: { rows, cost: lookupCost(COST.lookup) } };
  }
  for (const ix of p.right.indexes) {
    const lead = itemColumn(ix.columns[0]!);
    if (ix.whereSql || lead === undefined || !isOrderedIndex(ix)) continue;
    const first = rightCols.indexOf(lead);
    if (first < 0) continue;
    const perRow = COST.lookup * 2;
    if (lookupCost(perRow) >= hashCost) continue;
    const extra = keys.left.map((_, i) => i).filter((i) => i !== first);
    const res = conjoin([...(residual ? [residual] : []), ...extra.map((i) => eqExpr(keys.left[i]!, shift(keys.right[i]!, lw)))]);
    return { kind: 'IndexJoin', joinType: p.joinType as 'INNER', left, table: t, alias: p.right.alias, index: ix, keys: [keys.left[first]!], residual: res, rightWidth: p.right.schema.length, schema: p.schema, est: { rows, cost: lookupCost(perRow) } };
  }
  return undefined;
}

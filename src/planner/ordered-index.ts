// ORDER BY … LIMIT read in index order: an index scan that yields rows already sorted, stopped after the first ones.

import type { SortKey } from '../compiler/bound.js';
import { indexScanFor, keyTerms, pkRangeFor, withResidual, filteredRows, type ScanContext } from './access-path.js';
import { tableStatsOf } from './selectivity.js';
import { COST, tableRows } from './cost.js';
import { indexItemKeys, sortKeyOf } from './index-keys.js';
import type { LogicalPlan } from './logical.js';
import type { PhysicalPlan } from './physical.js';
import { conjuncts } from './rules/predicate-pushdown.js';
import { isOrderedIndex, type Catalog } from '../storage/catalog.js';

/**
 * A plan that yields the rows of `input` (a table scan, possibly filtered) in the order of `keys`
 * by walking an index, for a consumer that takes only the first `need` rows (undefined: not
 * known at plan time). The keys must be the index's items that follow the items the WHERE fixes
 * by equality, all ascending with NULLs first or all descending with NULLs last (the index
 * holds NULLs first; a descending order walks it backwards), without a collation. Its cost counts
 * the rows read until `need` pass the filter. Undefined when no index gives that order.
 */
export function orderedIndexPath(input: LogicalPlan, keys: readonly SortKey[], need: number | undefined, catalog: Catalog): PhysicalPlan | undefined {
  const scan = input.kind === 'Filter' ? input.input : input;
  if (scan.kind !== 'Scan' || keys.length === 0) return undefined;
  const desc = keys[0]!.desc;
  if (keys.some((k) => k.desc !== desc || k.nullsFirst === desc || k.collation)) return undefined;
  const wanted = keys.map((k) => sortKeyOf(k.expr, scan.schema));
  if (wanted.some((w) => w === undefined)) return undefined;
  const preds = input.kind === 'Filter' ? conjuncts(input.predicate) : [];
  const statsOf = tableStatsOf(catalog, scan.table);
  const sc: ScanContext = { table: scan.table, alias: scan.alias, schema: scan.schema, preds, terms: keyTerms(preds, scan.schema), catalog, statsOf };
  const n = tableRows(catalog, scan.table);
  // Of the rows the index range holds, the share that passes the whole filter.
  const passing = filteredRows(preds, n, statsOf);
  let best: PhysicalPlan | undefined;
  const consider = (path: PhysicalPlan) => {
    const share = Math.min(1, passing / path.est.rows);
    const read = need === undefined ? path.est.rows : Math.min(path.est.rows, Math.ceil(need / Math.max(share, 1e-6)));
    const perRow = path.est.cost / path.est.rows;
    const limited = { ...path, est: { rows: read, cost: COST.lookup + read * perRow } };
    const plan = withResidual(limited, preds, n, preds, statsOf);
    const out = { ...plan, est: { rows: Math.min(plan.est.rows, need ?? Infinity), cost: limited.est.cost + read * (preds.length > 0 ? COST.cpuRow : 0) } };
    if (!best || out.est.cost < best.est.cost) best = out;
  };
  // The table itself, stored in primary-key order (a key column with a collation orders otherwise).
  const pk = pkRangeFor(sc, { full: true, reverse: desc });
  if (pk && !scan.table.primaryKey.some((c) => scan.table.columns[c]!.collation) && wanted.every((w, j) => pk.items[pk.fixed + j]?.includes(w!))) consider(pk.plan);
  for (const ix of scan.indexes) {
    if (!isOrderedIndex(ix)) continue;
    const items = indexItemKeys(ix, scan.table);
    const path = items && indexScanFor(sc, ix, { ordered: true, full: true, reverse: desc });
    if (!path) continue;
    const fixed = path.prefixes[0]!.length;
    if (wanted.every((w, j) => items[fixed + j] === w)) consider(path);
  }
  return best;
}

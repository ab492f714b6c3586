// Physical planning: picks an operator for every logical node, by the cost model.

import { assertNever } from '../compiler/ast.js';
import { type BoundExpr, type SortKey, mapExpr, someExpr } from '../compiler/bound.js';
import type { Catalog } from '../storage/catalog.js';
import { chooseAccessPath } from './access-path.js';
import { columnOrigin } from './column-origin.js';
import { reorderJoins } from './join-order.js';
import { orderedIndexPath } from './ordered-index.js';
import { groupsAdjacent, outputOrdering, satisfiesSort } from './ordering.js';
import { planSearch } from './search-strategy.js';
import { COST, columnDistinct, sortCost, tableRows } from './cost.js';
import { indexJoinFor } from './index-join.js';
import { equiKeys, type EquiKeys } from './join-keys.js';
import { mergeJoinFor } from './merge-join.js';
import type { LogicalPlan } from './logical.js';
import type { PhysicalPlan } from './physical.js';
import { refersOutside } from './rules/correlation.js';
import { conjoin, conjuncts } from './rules/predicate-pushdown.js';

/** What physical planning reads: the catalog with its statistics. */
export interface PlannerContext {
  readonly catalog: Catalog;
  /** Plans already made for logical nodes in this planning run (join orderings re-plan subtrees). */
  readonly memo?: WeakMap<LogicalPlan, PhysicalPlan>;
}

/** How much more a row costs on the build side of a hash join than on the probe side. */
const HASH_BUILD_FACTOR = 2;

/** Plans a logical plan into physical operators. */
export function toPhysical(p: LogicalPlan, pc: PlannerContext): PhysicalPlan {
  if (!pc.memo) return toPhysical(p, { ...pc, memo: new WeakMap() });
  const hit = pc.memo.get(p);
  if (hit) return hit;
  const out = planNode(p, pc);
  pc.memo.set(p, out);
  return out;
}

function planNode(p: LogicalPlan, pc: PlannerContext): PhysicalPlan {
  switch (p.kind) {
    case 'Scan':
      return chooseAccessPath(p.table, p.indexes, p.alias, p.schema, [], pc.catalog);
    case 'Filter': {
      if (p.input.kind === 'Scan') {
        const s = p.input;
        return chooseAccessPath(s.table, s.indexes, s.alias, s.schema, conjuncts(p.predicate), pc.catalog);
      }
      const input = toPhysical(p.input, pc);
      return { kind: 'Filter', input, predicate: p.predicate, schema: p.schema, est: { rows: Math.max(1, input.est.rows / 4), cost: input.est.cost + input.est.rows * COST.cpuRow } };
    }
    case 'Project': {
      const { input, remap } = withoutReorder(toPhysical(p.input, pc), p.exprs);
      return { kind: 'Project', input, exprs: p.exprs.map(remap), schema: p.schema, est: { rows: input.est.rows, cost: input.est.cost + input.est.rows * COST.cpuRow } };
    }
    case 'Join':
      return planJoin(p, pc);
    case 'LateralJoin': {
      const left = toPhysical(p.left, pc);
      const right = toPhysical(p.right, pc);
      const rows = left.est.rows * Math.max(1, right.est.rows);
      return { kind: 'LateralJoin', joinType: p.joinType, left, right, condition: p.condition, schema: p.schema, est: { rows, cost: left.est.cost + left.est.rows * right.est.cost } };
    }
    case 'Aggregate': {
      const consumers = [...p.groupBy, ...p.aggregates.flatMap((a) => [...a.args, ...(a.filter ? [a.filter] : []), ...a.orderBy.map((k) => k.expr)])];
      const { input, remap } = withoutReorder(toPhysical(p.input, pc), consumers);
      const rows = groupCount(p, input.est.rows, pc);
      const aggregates = p.aggregates.map((a) => ({ ...a, args: a.args.map(remap), filter: a.filter && remap(a.filter), orderBy: a.orderBy.map((k) => ({ ...k, expr: remap(k.expr) })) }));
      const groupBy = p.groupBy.map(remap);
      // Input ordered on the group keys: each group ends where the next begins, no hash table needed.
      if (groupsAdjacent(outputOrdering(input), groupBy)) {
        return { kind: 'StreamAggregate', input, groupBy, aggregates, schema: p.schema, est: { rows, cost: input.est.cost + input.est.rows * COST.cpuRow } };
      }
      return { kind: 'HashAggregate', input, groupBy, aggregates, schema: p.schema, est: { rows, cost: input.est.cost + input.est.rows * COST.hashRow } };
    }
    case 'Window': {
      const input = toPhysical(p.input, pc);
      return { kind: 'Window', input, calls: p.calls, schema: p.schema, est: { rows: input.est.rows, cost: input.est.cost + sortCost(input.est.rows) * p.calls.length } };
    }
    case 'Sort': {
      const input = toPhysical(p.input, pc);
      // Already in that order (a stable sort would change nothing).
      if (satisfiesSort(outputOrdering(input), p.keys, p.schema)) return input;
      const sorted: PhysicalPlan = { kind: 'Sort', input, keys: p.keys, schema: p.schema, est: { rows: input.est.rows, cost: input.est.cost + sortCost(input.est.rows) } };
      // Or read the table (or an index) in that order, when that costs less than sorting.
      const ordered = orderedSource(p.input, p.keys, pc);
      return ordered && ordered.est.cost < sorted.est.cost ? ordered : sorted;
    }
    case 'Limit': {
      // ORDER BY … LIMIT over input already in that order: take its first rows.
      if (p.input.kind === 'Sort' && p.limit) {
        const input = toPhysical(p.input.input, pc);
        if (satisfiesSort(outputOrdering(input), p.input.keys, p.input.schema)) return limitOf(p, input);
      }
      // ORDER BY … LIMIT: keep only the first rows in a bounded buffer instead of sorting everything.
      // ORDER BY … LIMIT over a projection: keep the top rows of the projection's input, then
      // project only those (the projection's expressions run on k rows instead of all of them).
      if (p.input.kind === 'Sort' && p.limit && p.input.input.kind === 'Project' && p.input.keys.every((k) => k.expr.kind === 'Column')) {
        const proj = p.input.input;
        const keys = p.input.keys.map((k) => ({ ...k, expr: proj.exprs[(k.expr as Extract<BoundExpr, { kind: 'Column' }>).index]! }));
        if (!keys.some((k) => someExpr(k.expr, (x) => x.kind === 'Subquery'))) {
          const input = toPhysical(proj.input, pc);
          const rows = p.limit.kind === 'Const' && typeof p.limit.value === 'number' ? Math.min(p.limit.value, input.est.rows) : input.est.rows;
          const top: PhysicalPlan = { kind: 'TopN', input, keys, limit: p.limit, offset: p.offset, schema: proj.input.schema, est: { rows, cost: input.est.cost + input.est.rows * COST.sortRow * Math.log2(Math.max(2, rows)) } };
          const first = inIndexOrder(p, proj.input, keys, top, pc) ?? top;
          return { kind: 'Project', input: first, exprs: proj.exprs, schema: p.schema, est: { rows, cost: first.est.cost + rows * COST.cpuRow } };
        }
      }
      if (p.input.kind === 'Sort' && p.limit) {
        const input = toPhysical(p.input.input, pc);
        const rows = p.limit.kind === 'Const' && typeof p.limit.value === 'number' ? Math.min(p.limit.value, input.est.rows) : input.est.rows;
        const top: PhysicalPlan = { kind: 'TopN', input, keys: p.input.keys, limit: p.limit, offset: p.offset, schema: p.schema, est: { rows, cost: input.est.cost + input.est.rows * COST.sortRow * Math.log2(Math.max(2, rows)) } };
        return inIndexOrder(p, p.input.input, p.input.keys, top, pc) ?? top;
      }
      return limitOf(p, toPhysical(p.input, pc));
    }
    case 'Distinct': {
      const input = toPhysical(p.input, pc);
      return { kind: 'HashDistinct', input, schema: p.schema, est: { rows: input.est.rows, cost: input.est.cost + input.est.rows * COST.hashRow } };
    }
    case 'SetOp': {
      const left = toPhysical(p.left, pc);
      const right = toPhysical(p.right, pc);
      const rows = p.op === 'UNION' ? left.est.rows + right.est.rows : left.est.rows;
      return { kind: 'SetOp', op: p.op, all: p.all, left, right, schema: p.schema, est: { rows, cost: left.est.cost + right.est.cost + rows * COST.hashRow } };
    }
    case 'Values':
      return { kind: 'Values', rows: p.rows, schema: p.schema, est: { rows: p.rows.length, cost: p.rows.length * COST.cpuRow } };
    case 'OneRow':
      return { kind: 'OneRow', schema: p.schema, est: { rows: 1, cost: 0 } };
    case 'RecursiveCte': {
      const anchor = toPhysical(p.anchor, pc);
      const recursive = toPhysical(p.recursive, pc);
      return { kind: 'RecursiveCte', workTable: p.workTable, anchor, recursive, unionAll: p.unionAll, schema: p.schema, est: { rows: anchor.est.rows * 10, cost: anchor.est.cost + recursive.est.cost * 10 } };
    }
    case 'WorkTable':
      return { kind: 'WorkTable', workTable: p.workTable, schema: p.schema, est: { rows: 10, cost: 10 } };
    case 'TableFunction':
      return { kind: 'TableFunction', name: p.name, args: p.args, schema: p.schema, est: { rows: 100, cost: 100 * COST.cpuRow } };
    case 'CollectionSearch':
      return planSearch(p, pc.catalog);
    default:
      return assertNever(p);
  }
}

/**
 * `input` (a table scan, filtered and projected or not) read in the order of `keys` by walking
 * the table or an index (orderedIndexPath), when one gives that order.
 */
function orderedSource(input: LogicalPlan, keys: readonly SortKey[], pc: PlannerContext): PhysicalPlan | undefined {
  if (input.kind !== 'Project') return orderedIndexPath(input, keys, undefined, pc.catalog);
  if (!keys.every((k) => k.expr.kind === 'Column')) return undefined;
  const inner = keys.map((k) => ({ ...k, expr: input.exprs[(k.expr as Extract<BoundExpr, { kind: 'Column' }>).index]! }));
  const path = orderedIndexPath(input.input, inner, undefined, pc.catalog);
  if (!path) return undefined;
  return { kind: 'Project', input: path, exprs: input.exprs, schema: input.schema, est: { rows: path.est.rows, cost: path.est.cost + path.est.rows * COST.cpuRow } };
}

/** A Limit of the physical input. */
function limitOf(p: Extract<LogicalPlan, { kind: 'Limit' }>, input: PhysicalPlan): PhysicalPlan {
  const rows = p.limit?.kind === 'Const' && typeof p.limit.value === 'number' ? Math.min(p.limit.value, input.est.rows) : input.est.rows;
  return { kind: 'Limit', input, limit: p.limit, offset: p.offset, schema: p.schema, est: { rows, cost: input.est.cost } };
}

/**
 * ORDER BY … LIMIT over a table scan as a Limit over an index walked in the sort order, when that
 * costs less than the TopN `top` (which reads every matching row).
 */
function inIndexOrder(p: Extract<LogicalPlan, { kind: 'Limit' }>, source: LogicalPlan, keys: readonly SortKey[], top: PhysicalPlan, pc: PlannerContext): PhysicalPlan | undefined {
  const count = (e: BoundExpr | undefined) => (e === undefined ? 0 : e.kind === 'Const' && typeof e.value === 'number' ? e.value : undefined);
  const limit = count(p.limit);
  const offset = count(p.offset);
  const need = limit === undefined || offset === undefined ? undefined : limit + offset;
  const ordered = orderedIndexPath(source, keys, need, pc.catalog);
  if (!ordered || ordered.est.cost >= top.est.cost) return undefined;
  return { kind: 'Limit', input: ordered, limit: p.limit, offset: p.offset, schema: top.schema, est: { rows: top.est.rows, cost: ordered.est.cost } };
}

/**
 * A projection that only permutes columns (as join reordering adds to restore column order) need
 * not run as its own operator: the consumer reads its input, with column references remapped.
 */
function withoutReorder(p: PhysicalPlan, consumers: readonly BoundExpr[]): { input: PhysicalPlan; remap: (e: BoundExpr) => BoundExpr } {
  const keep = { input: p, remap: (e: BoundExpr) => e };
  if (p.kind !== 'Project' || !p.exprs.every((e) => e.kind === 'Column')) return keep;
  // A correlated subquery reads the row through outer references that would need the same
  // remapping inside its plan; consumers with one keep the projection.
  if (consumers.some((c) => someExpr(c, (x) => x.kind === 'Subquery' && x.correlated))) return keep;
  const exprs = p.exprs as readonly Extract<BoundExpr, { kind: 'Column' }>[];
  return { input: p.input, remap: (e) => mapExpr(e, (x) => (x.kind === 'Column' ? { ...x, index: exprs[x.index]!.index } : x)) };
}

function planJoin(p: Extract<LogicalPlan, { kind: 'Join' }>, pc: PlannerContext): PhysicalPlan {
  const reordered = reorderJoins(p, (lp) => toPhysical(lp, pc).est.rows);
  if (reordered) return toPhysical(reordered, pc);
  const direct = planJoinAsIs(p, pc);
  // An inner join may run the other way round (the smaller side driving index lookups);
  // a projection then restores the column order.
  if ((p.joinType === 'INNER' || p.joinType === 'CROSS') && !(p as { swapped?: boolean }).swapped) {
    const rw = p.right.schema.length;
    const lw = p.left.schema.length;
    const condition = p.condition && mapExpr(p.condition, (x) => (x.kind === 'Column' ? { ...x, index: x.index < lw ? x.index + rw : x.index - lw } : x));
    const swappedJoin = { ...p, left: p.right, right: p.left, condition, schema: [...p.right.schema, ...p.left.schema], swapped: true } as Extract<LogicalPlan, { kind: 'Join' }>;
    const other = planJoinAsIs(swappedJoin, pc);
    if (other.est.cost < direct.est.cost) {
      const exprs: BoundExpr[] = p.schema.map((c, i) => ({ kind: 'Column', index: i < lw ? i + rw : i - lw, type: c.type, name: c.name }));
      return { kind: 'Project', input: other, exprs, schema: p.schema, est: { rows: other.est.rows, cost: other.est.cost + other.est.rows * COST.cpuRow } };
    }
  }
  return direct;
}

function planJoinAsIs(p: Extract<LogicalPlan, { kind: 'Join' }>, pc: PlannerContext): PhysicalPlan {
  const left = toPhysical(p.left, pc);
  const lw = p.left.schema.length;
  const keys = equiKeys(p.condition, lw);
  const rightRowsEstimate = estimateRows(p.right, pc);
  // An equi-join yields |L|·|R| / max(distinct left keys, distinct right keys) rows; a side whose
  // key has no statistics counts as unique (its row count).
  let rows: number;
  if (keys.left.length > 0) {
    const ndvL = keyDistinct(p.left, keys.left[0]!, left.est.rows, pc) ?? left.est.rows;
    const ndvR = keyDistinct(p.right, keys.right[0]!, rightRowsEstimate, pc) ?? rightRowsEstimate;
    rows = Math.max(1, (left.est.rows * rightRowsEstimate) / Math.max(ndvL, ndvR, 1));
  } else rows = Math.max(1, left.est.rows * rightRowsEstimate);
  // A LEFT join keeps every left row (a decorrelated scalar subquery joins one group per row).
  if (p.joinType === 'LEFT') rows = Math.max(rows, left.est.rows);
  const right = toPhysical(p.right, pc);
  const viaIndex = keys.left.length > 0 ? indexJoinFor(p, left, keys, rows, pc) : undefined;
  const merged = keys.left.length > 0 ? mergeJoinFor(p, left, right, keys, rows, pc) : undefined;
  if (viaIndex) return merged && merged.est.cost < viaIndex.est.cost ? merged : viaIndex;
  if (keys.left.length > 0) {
    const hashed: PhysicalPlan = {
      kind: 'HashJoin',
      joinType: p.joinType,
      left,
      right,
      leftKeys: keys.left,
      rightKeys: keys.right,
      residual: conjoin(keys.rest),
      schema: p.schema,
      // Building the table (the right side) costs more per row than probing it: each row is
      // kept, hashed into a bucket and held in memory until the join ends.
      est: { rows, cost: left.est.cost + right.est.cost + left.est.rows * COST.hashRow + right.est.rows * COST.hashRow * HASH_BUILD_FACTOR },
    };
    const best = merged && merged.est.cost < hashed.est.cost ? merged : hashed;
    const perRow = p.joinType === 'LEFT' ? groupPerRow(p, left, keys, rows, pc) : undefined;
    return perRow && perRow.est.cost < best.est.cost ? perRow : best;
  }
  return {
    kind: 'NestedLoopJoin',
    joinType: p.joinType,
    left,
    right,
    condition: p.condition,
    schema: p.schema,
    est: { rows: Math.max(1, left.est.rows * right.est.rows * (p.condition ? 0.25 : 1)), cost: left.est.cost + right.est.cost + left.est.rows * right.est.rows * COST.cpuRow },
  };
}

/**
 * A LEFT join against an aggregate grouped by the join keys (what scalar_subquery_to_join makes
 * of a correlated aggregate subquery), run as a LateralJoin that aggregates, per left row, only
 * the rows of its group: `inner key = outer value` filters the aggregate's input, so an index on
 * the key finds them. Cheaper than grouping the whole input when the left side has few rows.
 * Undefined when the right side is no such aggregate or reads any outer query itself.
 */
function groupPerRow(p: Extract<LogicalPlan, { kind: 'Join' }>, left: PhysicalPlan, keys: EquiKeys, rows: number, pc: PlannerContext): PhysicalPlan | undefined {
  const agg = p.right;
  if (agg.kind !== 'Aggregate' || refersOutside(agg, 0)) return undefined;
  const preds: BoundExpr[] = [];
  for (let i = 0; i < keys.left.length; i++) {
    const l = keys.left[i]!;
    const r = keys.right[i]!;
    const inner = r.kind === 'Column' && r.index < agg.groupBy.length ? agg.groupBy[r.index]! : undefined;
    if (!inner || l.kind !== 'Column') return undefined;
    const outer: BoundExpr = { kind: 'OuterColumn', depth: 1, index: l.index, type: l.type, name: l.name };
    preds.push({ kind: 'Binary', op: '=', left: inner, right: outer, type: 'boolean' });
  }
  const input = agg.input;
  const filtered: LogicalPlan =
    input.kind === 'Filter'
      ? { ...input, predicate: conjoin([...conjuncts(input.predicate), ...preds])! }
      : { kind: 'Filter', input, predicate: conjoin(preds)!, schema: input.schema };
  const right = toPhysical({ ...agg, input: filtered }, pc);
  return {
    kind: 'LateralJoin',
    joinType: 'LEFT',
    left,
    right,
    condition: p.condition,
    schema: p.schema,
    est: { rows, cost: left.est.cost + left.est.rows * right.est.cost },
  };
}

/**
 * Distinct values of a column of `p`'s rows that is a table column (traced through projections,
 * filters and joins), from ANALYZE; a single-column key counts every row of its table.
 */
function originDistinct(p: LogicalPlan, index: number, pc: PlannerContext): number | undefined {
  const origin = columnOrigin(p, index);
  if (!origin) return undefined;
  const t = origin.table;
  const c = origin.column;
  if (c === t.columns.length || c === t.rowidColumn || (t.primaryKey.length === 1 && c === t.primaryKey[0])) return tableRows(pc.catalog, t);
  return columnDistinct(pc.catalog, t, c);
}

/** Distinct values of a join key on a side expected to yield `rows` rows (at most that many). */
function keyDistinct(p: LogicalPlan, key: BoundExpr, rows: number, pc: PlannerContext): number | undefined {
  const d = key.kind === 'Column' ? originDistinct(p, key.index, pc) : undefined;
  return d === undefined ? undefined : Math.min(d, Math.max(1, rows));
}

/**
 * Groups an aggregate yields: one without GROUP BY; else, when every key is a table column with
 * a distinct count (ANALYZE; a key column counts every row), their product, at most the input's
 * rows; else a tenth of the input.
 */
function groupCount(p: Extract<LogicalPlan, { kind: 'Aggregate' }>, inputRows: number, pc: PlannerContext): number {
  if (p.groupBy.length === 0) return 1;
  let product = 1;
  for (const key of p.groupBy) {
    const d = key.kind === 'Column' ? originDistinct(p.input, key.index, pc) : undefined;
    if (d === undefined || d <= 0) return Math.max(1, Math.round(inputRows / 10));
    product *= d;
  }
  return Math.max(1, Math.round(Math.min(inputRows, product)));
}

/** Rows a logical plan is expected to produce (plans it; cheap next to running it). */
function estimateRows(p: LogicalPlan, pc: PlannerContext): number {
  if (p.kind === 'Scan') return tableRows(pc.catalog, p.table);
  return toPhysical(p, pc).est.rows;
}

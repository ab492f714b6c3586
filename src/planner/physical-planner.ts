// Physical planning: picks an operator for every logical node, by the cost model.

import { assertNever } from '../compiler/ast.js';
import { type BoundExpr, type SortKey, mapExpr, someExpr } from '../compiler/bound.js';
import { isOrderedIndex, itemColumn, type Catalog } from '../storage/catalog.js';
import { chooseAccessPath } from './access-path.js';
import { reorderJoins } from './join-order.js';
import { orderedIndexPath } from './ordered-index.js';
import { planSearch } from './search-strategy.js';
import { COST, columnDistinct, sortCost, tableRows } from './cost.js';
import type { LogicalPlan } from './logical.js';
import type { PhysicalPlan } from './physical.js';
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
      const rows = p.groupBy.length === 0 ? 1 : Math.max(1, Math.round(input.est.rows / 10));
      const aggregates = p.aggregates.map((a) => ({ ...a, args: a.args.map(remap), filter: a.filter && remap(a.filter), orderBy: a.orderBy.map((k) => ({ ...k, expr: remap(k.expr) })) }));
      return { kind: 'HashAggregate', input, groupBy: p.groupBy.map(remap), aggregates, schema: p.schema, est: { rows, cost: input.est.cost + input.est.rows * COST.hashRow } };
    }
    case 'Window': {
      const input = toPhysical(p.input, pc);
      return { kind: 'Window', input, calls: p.calls, schema: p.schema, est: { rows: input.est.rows, cost: input.est.cost + sortCost(input.est.rows) * p.calls.length } };
    }
    case 'Sort': {
      const input = toPhysical(p.input, pc);
      return { kind: 'Sort', input, keys: p.keys, schema: p.schema, est: { rows: input.est.rows, cost: input.est.cost + sortCost(input.est.rows) } };
    }
    case 'Limit': {
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
      const input = toPhysical(p.input, pc);
      const rows = p.limit?.kind === 'Const' && typeof p.limit.value === 'number' ? Math.min(p.limit.value, input.est.rows) : input.est.rows;
      return { kind: 'Limit', input, limit: p.limit, offset: p.offset, schema: p.schema, est: { rows, cost: input.est.cost } };
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

/** Splits join conjuncts into equi-join key pairs (left expr, right expr) and the rest. */
function equiKeys(condition: BoundExpr | undefined, leftWidth: number): { left: BoundExpr[]; right: BoundExpr[]; rest: BoundExpr[] } {
  const left: BoundExpr[] = [];
  const right: BoundExpr[] = [];
  const rest: BoundExpr[] = [];
  const side = (e: BoundExpr): 'L' | 'R' | 'both' | 'none' => {
    let l = false;
    let r = false;
    if (someExpr(e, (x) => x.kind === 'Subquery')) return 'both';
    someExpr(e, (x) => {
      if (x.kind === 'Column') {
        if (x.index < leftWidth) l = true;
        else r = true;
      }
      return false;
    });
    return l && r ? 'both' : l ? 'L' : r ? 'R' : 'none';
  };
  const comparable = (a: BoundExpr, b: BoundExpr) => {
    const num = (t: string) => t === 'integer' || t === 'real' || t === 'numeric' || t === 'boolean';
    return (num(a.type) && num(b.type)) || (a.type === b.type && a.type !== 'any');
  };
  for (const c of conjuncts(condition)) {
    if (c.kind === 'Binary' && c.op === '=' && !c.collation && comparable(c.left, c.right)) {
      const a = side(c.left);
      const b = side(c.right);
      if (a === 'L' && b === 'R') {
        left.push(c.left);
        right.push(shift(c.right, -leftWidth));
        continue;
      }
      if (a === 'R' && b === 'L') {
        left.push(c.right);
        right.push(shift(c.left, -leftWidth));
        continue;
      }
    }
    rest.push(c);
  }
  return { left, right, rest };
}

function shift(e: BoundExpr, by: number): BoundExpr {
  return mapExpr(e, (x) => (x.kind === 'Column' ? { ...x, index: x.index + by } : x));
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
    const ndvL = keyDistinct(p.left, keys.left[0]!, pc) ?? left.est.rows;
    const ndvR = keyDistinct(p.right, keys.right[0]!, pc) ?? rightRowsEstimate;
    rows = Math.max(1, (left.est.rows * rightRowsEstimate) / Math.max(ndvL, ndvR, 1));
  } else rows = Math.max(1, left.est.rows * rightRowsEstimate);
  // A LEFT join keeps every left row (a decorrelated scalar subquery joins one group per row).
  if (p.joinType === 'LEFT') rows = Math.max(rows, left.est.rows);
  // Index nested loop: the right side is a bare table whose primary key or index the join keys cover.
  if (keys.left.length > 0 && p.right.kind === 'Scan' && (p.joinType === 'INNER' || p.joinType === 'LEFT' || p.joinType === 'SEMI' || p.joinType === 'ANTI')) {
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
  }
  const right = toPhysical(p.right, pc);
  if (keys.left.length > 0) {
    return {
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

/** Distinct values of a join key that is a column of a (filtered) table scan, from ANALYZE. */
function keyDistinct(p: LogicalPlan, key: BoundExpr, pc: PlannerContext): number | undefined {
  const scan = p.kind === 'Scan' ? p : p.kind === 'Filter' && p.input.kind === 'Scan' ? p.input : undefined;
  if (!scan || key.kind !== 'Column') return undefined;
  const t = scan.table;
  if (key.index === t.rowidColumn || (t.primaryKey.length === 1 && key.index === t.primaryKey[0]) || key.index === t.columns.length) return tableRows(pc.catalog, t);
  return columnDistinct(pc.catalog, t, key.index);
}

/** Rows a logical plan is expected to produce (plans it; cheap next to running it). */
function estimateRows(p: LogicalPlan, pc: PlannerContext): number {
  if (p.kind === 'Scan') return tableRows(pc.catalog, p.table);
  return toPhysical(p, pc).est.rows;
}

function eqExpr(l: BoundExpr, r: BoundExpr): BoundExpr {
  return { kind: 'Binary', op: '=', left: l, right: r, type: 'boolean' };
}

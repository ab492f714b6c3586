// Rule: computes the columns each operator's parent reads and prunes what flows up to it.
//
// A Project drops the expressions nobody reads (a view's or subquery's unused columns are never
// computed); a join input that is itself a join (or an aggregate, a window, …) is narrowed by a
// Project to the columns read above, so the rows the join builds, concatenates and hands up stay
// narrow; a collection search learns which of its columns are read (docs/toonql.md §11, an
// index-only graph search). Table scans and filtered scans are left whole: the physical planner
// reads statistics and index joins off them, and their rows come decoded from the table cache.

import { type BoundExpr, forEachChild, mapExpr, someExpr } from '../../compiler/bound.js';
import type { LogicalPlan } from '../logical.js';
import { mapPlanChildren } from '../walk.js';
import type { RewriteRule } from './rule.js';

/** The columns read of an operator's output (ascending positions); undefined: all of them. */
type Need = readonly number[] | undefined;

/** A pruned plan and where each original output column now sits (-1: dropped; undefined: unchanged). */
interface Pruned {
  readonly plan: LogicalPlan;
  readonly map: readonly number[] | undefined;
}

/**
 * The input columns `exprs` read, merged with `also`. Undefined when one holds a correlated
 * subquery: it reads the row through outer references, so the row must keep its layout.
 */
export function columnsRead(exprs: readonly BoundExpr[], also: Need): Need {
  if (also === undefined) return undefined;
  const into = new Set(also);
  const collect = (e: BoundExpr): void => {
    if (e.kind === 'Column') into.add(e.index);
    forEachChild(e, collect);
  };
  for (const e of exprs) {
    if (someExpr(e, (x) => x.kind === 'Subquery' && x.correlated)) return undefined;
    collect(e);
  }
  return [...into].sort((a, b) => a - b);
}

function remap(e: BoundExpr, map: readonly number[] | undefined): BoundExpr {
  return map ? mapExpr(e, (x) => (x.kind === 'Column' ? { ...x, index: map[x.index]! } : x)) : e;
}

const unchanged = (plan: LogicalPlan): Pruned => ({ plan, map: undefined });

/** `p` with every child pruned to what `p` reads of it (`needs[i]` for child i); p's layout kept. */
function withChildren(p: LogicalPlan, needs: (child: LogicalPlan, i: number) => Need): { plan: LogicalPlan; maps: (readonly number[] | undefined)[] } {
  const maps: (readonly number[] | undefined)[] = [];
  let i = 0;
  const plan = mapPlanChildren(p, (c) => {
    const r = prune(c, needs(c, i++));
    maps.push(r.map);
    return r.plan;
  });
  return { plan, maps };
}

function prune(p: LogicalPlan, need: Need): Pruned {
  switch (p.kind) {
    case 'CollectionSearch':
      return unchanged(need ? { ...p, columns: need } : p);
    case 'Filter': {
      const r = prune(p.input, columnsRead([p.predicate], need));
      return { plan: { ...p, input: r.plan, predicate: remap(p.predicate, r.map), schema: r.plan.schema }, map: r.map };
    }
    case 'Sort': {
      const r = prune(p.input, columnsRead(p.keys.map((k) => k.expr), need));
      return { plan: { ...p, input: r.plan, keys: p.keys.map((k) => ({ ...k, expr: remap(k.expr, r.map) })), schema: r.plan.schema }, map: r.map };
    }
    case 'Limit': {
      const r = prune(p.input, need);
      return { plan: { ...p, input: r.plan, schema: r.plan.schema }, map: r.map };
    }
    case 'Project':
      return pruneProject(p, need);
    case 'Aggregate': {
      const r = prune(p.input, columnsRead([...p.groupBy, ...p.aggregates.flatMap((a) => [...a.args, ...(a.filter ? [a.filter] : []), ...a.orderBy.map((k) => k.expr)])], []));
      const aggregates = p.aggregates.map((a) => ({ ...a, args: a.args.map((x) => remap(x, r.map)), filter: a.filter && remap(a.filter, r.map), orderBy: a.orderBy.map((k) => ({ ...k, expr: remap(k.expr, r.map) })) }));
      return unchanged({ ...p, input: r.plan, groupBy: p.groupBy.map((g) => remap(g, r.map)), aggregates });
    }
    case 'Join':
      return pruneJoin(p, need);
    default:
      // Other operators read every column of their inputs (or keep them in their output).
      return unchanged(withChildren(p, () => undefined).plan);
  }
}

/** A Project computes only the expressions read above (those calling a non-deterministic function stay). */
function pruneProject(p: Extract<LogicalPlan, { kind: 'Project' }>, need: Need): Pruned {
  const impure = (e: BoundExpr) => someExpr(e, (x) => x.kind === 'Call' && !x.deterministic);
  const keep = need ? p.exprs.map((_, i) => i).filter((i) => need.includes(i) || impure(p.exprs[i]!)) : p.exprs.map((_, i) => i);
  // A row of no columns is not worth the special case: keep one.
  if (keep.length === 0) keep.push(0);
  const exprs = keep.map((i) => p.exprs[i]!);
  const r = prune(p.input, columnsRead(exprs, []));
  const plan: LogicalPlan = { ...p, input: r.plan, exprs: exprs.map((e) => remap(e, r.map)), schema: keep.map((i) => p.schema[i]!) };
  if (keep.length === p.exprs.length) return { plan, map: undefined };
  const map = new Array<number>(p.exprs.length).fill(-1);
  keep.forEach((old, i) => (map[old] = i));
  return { plan, map };
}

/**
 * True when a Project over join input `c` leaves the physical planner's choices alone: not a
 * table scan (index joins, key statistics) and not an inner join under an inner join (reordering).
 */
function narrowable(c: LogicalPlan, parentInner: boolean): boolean {
  if (c.kind === 'Scan' || (c.kind === 'Filter' && c.input.kind === 'Scan') || c.kind === 'Project') return false;
  return !(parentInner && c.kind === 'Join' && (c.joinType === 'INNER' || c.joinType === 'CROSS'));
}

/** A pruned join input narrowed by a Project to the columns `need` (original positions) when that drops some. */
function narrow(r: Pruned, need: Need, allowed: boolean): Pruned {
  const width = r.plan.schema.length;
  if (!allowed || !need || need.length === 0 || need.length >= width) return r;
  const at = (old: number) => (r.map ? r.map[old]! : old);
  const exprs = need.map((old): BoundExpr => ({ kind: 'Column', index: at(old), type: r.plan.schema[at(old)]!.type, name: r.plan.schema[at(old)]!.name }));
  const map = new Array<number>(r.map ? r.map.length : width).fill(-1);
  need.forEach((old, i) => (map[old] = i));
  return { plan: { kind: 'Project', input: r.plan, exprs, schema: need.map((old) => r.plan.schema[at(old)]!) }, map };
}

function pruneJoin(p: Extract<LogicalPlan, { kind: 'Join' }>, need: Need): Pruned {
  const lw = p.left.schema.length;
  const semi = p.joinType === 'SEMI' || p.joinType === 'ANTI';
  const read = columnsRead(p.condition ? [p.condition] : [], semi && need === undefined ? Array.from({ length: lw }, (_, i) => i) : need);
  const leftNeed = read?.filter((i) => i < lw);
  const rightNeed = read?.filter((i) => i >= lw).map((i) => i - lw);
  const inner = p.joinType === 'INNER' || p.joinType === 'CROSS';
  const left = narrow(prune(p.left, leftNeed), leftNeed, narrowable(p.left, inner));
  const right = narrow(prune(p.right, rightNeed), rightNeed, narrowable(p.right, inner));
  if (!left.map && !right.map) return unchanged({ ...p, left: left.plan, right: right.plan });
  const lMap = left.map ?? Array.from({ length: lw }, (_, i) => i);
  const rMap = right.map ?? Array.from({ length: p.right.schema.length }, (_, i) => i);
  const newLw = left.plan.schema.length;
  const map = [...lMap, ...rMap.map((i) => (i < 0 ? -1 : i + newLw))];
  const schema = semi ? left.plan.schema : [...left.plan.schema, ...right.plan.schema];
  const plan: LogicalPlan = { ...p, left: left.plan, right: right.plan, condition: p.condition && remap(p.condition, map), schema };
  return { plan, map: semi ? lMap : map };
}

/**
 * The rule. The plan's own output is read whole; everything below it only as far as needed.
 * (Subsumes the former search_columns rule, which did this for collection searches alone.)
 */
export const projectionPushdown: RewriteRule = { name: 'projection_pushdown', apply: (p) => prune(p, undefined).plan };

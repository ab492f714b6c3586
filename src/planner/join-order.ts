// Join ordering: flattens a tree of inner joins and rebuilds it greedily, smallest connected input first.

import { type BoundExpr, mapExpr, someExpr } from '../compiler/bound.js';
import type { LogicalPlan } from './logical.js';
import { conjoin, conjuncts } from './rules/predicate-pushdown.js';

type Join = Extract<LogicalPlan, { kind: 'Join' }>;

/** A relation of a flattened join: its plan and where its columns start in the original schema. */
interface Relation {
  readonly plan: LogicalPlan;
  readonly offset: number;
  readonly width: number;
}

const innerish = (p: LogicalPlan): p is Join => p.kind === 'Join' && (p.joinType === 'INNER' || p.joinType === 'CROSS') && !(p as Join & { ordered?: boolean }).ordered;

function shift(e: BoundExpr, by: number): BoundExpr {
  return by === 0 ? e : mapExpr(e, (x) => (x.kind === 'Column' ? { ...x, index: x.index + by } : x));
}

function flatten(p: LogicalPlan, offset: number, rels: Relation[], conds: BoundExpr[]): void {
  if (!innerish(p)) {
    rels.push({ plan: p, offset, width: p.schema.length });
    return;
  }
  flatten(p.left, offset, rels, conds);
  flatten(p.right, offset + p.left.schema.length, rels, conds);
  for (const c of conjuncts(p.condition)) conds.push(shift(c, offset));
}

/** Which relations an expression's columns come from (bit set over relation positions). */
function relationsOf(e: BoundExpr, rels: readonly Relation[]): number[] {
  const out = new Set<number>();
  someExpr(e, (x) => {
    if (x.kind === 'Column') {
      const r = rels.findIndex((rel) => x.index >= rel.offset && x.index < rel.offset + rel.width);
      if (r >= 0) out.add(r);
    }
    return false;
  });
  return [...out];
}

/**
 * Reorders a chain of at least three inner joins: start from the smallest input, then repeatedly
 * join the smallest input connected to what is joined so far by a condition (a cross product only
 * when nothing is connected). Returns undefined when the join is not worth reordering.
 */
export function reorderJoins(p: Join, estimate: (plan: LogicalPlan) => number): LogicalPlan | undefined {
  if (!innerish(p)) return undefined;
  const rels: Relation[] = [];
  const conds: BoundExpr[] = [];
  flatten(p, 0, rels, conds);
  if (rels.length < 3) return undefined;
  // Conditions with correlated subqueries keep the original layout; leave such joins alone.
  if (conds.some((c) => someExpr(c, (x) => x.kind === 'Subquery'))) return undefined;
  const rowsOf = rels.map((r) => estimate(r.plan));
  const condRels = conds.map((c) => relationsOf(c, rels));
  const order: number[] = [];
  const joined = new Set<number>();
  const connected = (r: number) => condRels.some((rs) => rs.includes(r) && rs.some((x) => x !== r && joined.has(x)) && rs.every((x) => x === r || joined.has(x)));
  while (order.length < rels.length) {
    let best = -1;
    for (let r = 0; r < rels.length; r++) {
      if (joined.has(r)) continue;
      const ok = order.length === 0 || connected(r);
      if (!ok) continue;
      if (best < 0 || rowsOf[r]! < rowsOf[best]!) best = r;
    }
    if (best < 0) {
      for (let r = 0; r < rels.length; r++) if (!joined.has(r) && (best < 0 || rowsOf[r]! < rowsOf[best]!)) best = r;
    }
    order.push(best);
    joined.add(best);
  }
  if (order.every((r, i) => r === i)) return undefined;
  // Rebuild left-deep in the chosen order; `local[g]` is where original column g now sits.
  const local = new Array<number>(p.schema.length).fill(-1);
  const placed = new Set<number>();
  let current: LogicalPlan | undefined;
  let width = 0;
  const used = new Set<number>();
  for (const r of order) {
    const rel = rels[r]!;
    for (let i = 0; i < rel.width; i++) local[rel.offset + i] = width + i;
    placed.add(r);
    width += rel.width;
    if (!current) {
      current = rel.plan;
      continue;
    }
    const here: BoundExpr[] = [];
    conds.forEach((c, i) => {
      if (used.has(i) || !condRels[i]!.every((x) => placed.has(x))) return;
      used.add(i);
      here.push(mapExpr(c, (x) => (x.kind === 'Column' ? { ...x, index: local[x.index]! } : x)));
    });
    const condition = conjoin(here);
    const schema = [...current.schema, ...rel.plan.schema];
    current = { kind: 'Join', joinType: condition ? 'INNER' : 'CROSS', left: current, right: rel.plan, condition, schema, ordered: true } as Join;
  }
  const exprs: BoundExpr[] = p.schema.map((c, g) => ({ kind: 'Column', index: local[g]!, type: c.type, name: c.name }));
  return { kind: 'Project', input: current!, exprs, schema: p.schema };
}

// Merge join planning: an equi-join of inputs that already come ordered on the join keys, joined without a hash table.

import type { BoundExpr } from '../compiler/bound.js';
import { COST } from './cost.js';
import { eqExpr, shift, type EquiKeys } from './join-keys.js';
import type { LogicalPlan } from './logical.js';
import { orderedIndexPath } from './ordered-index.js';
import { outputOrdering } from './ordering.js';
import type { PhysicalPlan } from './physical.js';
import type { PlannerContext } from './physical-planner.js';
import { conjoin } from './rules/predicate-pushdown.js';

type Join = Extract<LogicalPlan, { kind: 'Join' }>;
type MergeJoinPlan = Extract<PhysicalPlan, { kind: 'MergeJoin' }>;

/**
 * The cheapest MergeJoin of `left` and `right` (the sides' best plans) or of an index scan that
 * reads a bare table side in join-key order instead; undefined when no pair of them comes ordered
 * on a join key. No sort is ever added: sorting both sides costs more than hashing one.
 */
export function mergeJoinFor(p: Join, left: PhysicalPlan, right: PhysicalPlan, keys: EquiKeys, rows: number, pc: PlannerContext): PhysicalPlan | undefined {
  if (!(p.joinType === 'INNER' || p.joinType === 'LEFT' || p.joinType === 'SEMI' || p.joinType === 'ANTI')) return undefined;
  const lefts = [left, ...inKeyOrder(p.left, keys.left, pc)];
  const rights = [right, ...inKeyOrder(p.right, keys.right, pc)];
  let best: PhysicalPlan | undefined;
  for (const l of lefts) {
    for (const r of rights) {
      const m = mergeJoin(p, p.joinType, l, r, keys, rows);
      if (m && (!best || m.est.cost < best.est.cost)) best = m;
    }
  }
  return best;
}

/** Index scans of a bare (filtered) table that yield its rows ascending on one of `keys`. */
function inKeyOrder(side: LogicalPlan, keys: readonly BoundExpr[], pc: PlannerContext): PhysicalPlan[] {
  return keys.flatMap((expr) => orderedIndexPath(side, [{ expr, desc: false, nullsFirst: true }], undefined, pc.catalog) ?? []);
}

/**
 * A MergeJoin when the inputs' orderings start with join keys paired by the condition, in the same
 * direction: the longest such run of keys drives the merge, the other key pairs join the residual.
 * NULL keys match nothing and are skipped, so where each side puts its NULLs does not matter.
 */
function mergeJoin(p: Join, joinType: MergeJoinPlan['joinType'], left: PhysicalPlan, right: PhysicalPlan, keys: EquiKeys, rows: number): MergeJoinPlan | undefined {
  const lo = outputOrdering(left);
  const ro = outputOrdering(right);
  const pairs: number[] = [];
  const desc: boolean[] = [];
  for (let j = 0; j < Math.min(lo.length, ro.length); j++) {
    if (lo[j]!.desc !== ro[j]!.desc) break;
    const i = keys.left.findIndex((l, i) => {
      const r = keys.right[i]!;
      return !pairs.includes(i) && l.kind === 'Column' && r.kind === 'Column' && lo[j]!.columns.includes(l.index) && ro[j]!.columns.includes(r.index);
    });
    if (i < 0) break;
    pairs.push(i);
    desc.push(lo[j]!.desc);
  }
  if (pairs.length === 0) return undefined;
  const lw = p.left.schema.length;
  const extra = keys.left.map((_, i) => i).filter((i) => !pairs.includes(i));
  const residual = conjoin([...keys.rest, ...extra.map((i) => eqExpr(keys.left[i]!, shift(keys.right[i]!, lw)))]);
  return {
    kind: 'MergeJoin',
    joinType,
    left,
    right,
    leftKeys: pairs.map((i) => keys.left[i]!),
    rightKeys: pairs.map((i) => keys.right[i]!),
    desc,
    residual,
    schema: p.schema,
    // Each row of either side is read and compared once; nothing is hashed or kept but a run of equal keys.
    est: { rows, cost: left.est.cost + right.est.cost + (left.est.rows + right.est.rows) * COST.mergeRow },
  };
}

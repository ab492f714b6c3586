// Rule: moves WHERE and ON conjuncts down to the join input whose columns they use.

import { type BoundExpr, mapExpr, someExpr } from '../../compiler/bound.js';
import type { LogicalPlan } from '../logical.js';
import { mapPlanChildren } from '../walk.js';
import type { RewriteRule } from './rule.js';

/** Splits an expression on AND. */
export function conjuncts(e: BoundExpr | undefined): BoundExpr[] {
  if (!e) return [];
  if (e.kind === 'Binary' && e.op === 'AND') return [...conjuncts(e.left), ...conjuncts(e.right)];
  return [e];
}

/** Joins expressions with AND (undefined for none). */
export function conjoin(es: readonly BoundExpr[]): BoundExpr | undefined {
  if (es.length === 0) return undefined;
  return es.reduce((a, b) => ({ kind: 'Binary', op: 'AND', left: a, right: b, type: 'boolean' }));
}

/** Which side of a join (split at `width`) the columns of `e` come from. */
function sides(e: BoundExpr, width: number): { left: boolean; right: boolean; pinned: boolean } {
  let left = false;
  let right = false;
  // A correlated subquery reads this row layout through outer references; it must stay put.
  const pinned = someExpr(e, (x) => x.kind === 'Subquery' && x.correlated);
  someExpr(e, (x) => {
    if (x.kind === 'Column') {
      if (x.index < width) left = true;
      else right = true;
    }
    return false;
  });
  return { left, right, pinned };
}

function shift(e: BoundExpr, by: number): BoundExpr {
  return mapExpr(e, (x) => (x.kind === 'Column' ? { ...x, index: x.index + by } : x));
}

function withFilter(p: LogicalPlan, preds: BoundExpr[]): LogicalPlan {
  const predicate = conjoin(preds);
  return predicate ? { kind: 'Filter', input: p, predicate, schema: p.schema } : p;
}

function push(plan: LogicalPlan): LogicalPlan {
  const p = mapPlanChildren(plan, push);
  if (p.kind !== 'Filter') {
    if (p.kind === 'Join' && (p.joinType === 'INNER' || p.joinType === 'CROSS') && p.condition) {
      // Single-side ON conjuncts of an inner join filter that side directly.
      return pushIntoJoin(p, [], push);
    }
    return p;
  }
  if (p.input.kind === 'Filter') return push({ ...p, input: p.input.input, predicate: conjoin([...conjuncts(p.input.predicate), ...conjuncts(p.predicate)])! });
  if (p.input.kind === 'Join') return pushIntoJoin(p.input, conjuncts(p.predicate), push);
  if (p.input.kind === 'CollectionSearch') return pushIntoSearch(p.input, conjuncts(p.predicate));

  return p;
}

/**
 * WHERE conjuncts over a search function's document columns filter the documents before they
 * are ranked (docs/toonql.md §11.5); conjuncts on the ranking columns (score, distance, …) and
 * correlated ones stay above.
 */
function pushIntoSearch(s: Extract<LogicalPlan, { kind: 'CollectionSearch' }>, where: BoundExpr[]): LogicalPlan {
  const docWidth = s.search.table.columns.length + 2;
  const into: BoundExpr[] = [];
  const stay: BoundExpr[] = [];
  for (const c of where) {
    const { right, pinned } = sides(c, docWidth);
    if (!right && !pinned && !someExpr(c, (x) => x.kind === 'OuterColumn')) into.push(c);
    else stay.push(c);
  }
  if (into.length === 0) return withFilter(s, stay);
  const filter = conjoin([...conjuncts(s.filter), ...into]);
  return withFilter({ ...s, filter }, stay);
}

function pushIntoJoin(j: Extract<LogicalPlan, { kind: 'Join' }>, where: BoundExpr[], recurse: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const width = j.left.schema.length;
  const inner = j.joinType === 'INNER' || j.joinType === 'CROSS';
  const toLeft: BoundExpr[] = [];
  const toRight: BoundExpr[] = [];
  const stay: BoundExpr[] = [];
  const onKeep: BoundExpr[] = [];
  for (const c of where) {
    const s = sides(c, width);
    // WHERE conjuncts may go to the preserved side of an outer join, and to either side of an inner one.
    // Semi and anti joins output only left rows, so every WHERE conjunct over them is a left one.
    if (!s.pinned && !s.right && (inner || j.joinType === 'LEFT' || j.joinType === 'SEMI' || j.joinType === 'ANTI')) toLeft.push(c);
    else if (!s.pinned && !s.left && s.right && (inner || j.joinType === 'RIGHT')) toRight.push(shift(c, -width));
    else if (inner && !s.pinned && s.left && s.right) onKeep.push(c);
    else stay.push(c);
  }
  for (const c of conjuncts(j.condition)) {
    const s = sides(c, width);
    // ON conjuncts may go to the non-preserved side of an outer join, and to either side of an inner one.
    if (!s.pinned && !s.right && s.left && (inner || j.joinType === 'RIGHT')) toLeft.push(c);
    else if (!s.pinned && !s.left && s.right && (inner || j.joinType === 'LEFT')) toRight.push(shift(c, -width));
    else onKeep.push(c);
  }
  const changed = toLeft.length > 0 || toRight.length > 0 || onKeep.length !== conjuncts(j.condition).length;
  if (!changed) return withFilter(j, stay);
  const left = toLeft.length > 0 ? recurse(withFilter(j.left, toLeft)) : j.left;
  const right = toRight.length > 0 ? recurse(withFilter(j.right, toRight)) : j.right;
  const joinType = j.joinType === 'CROSS' && onKeep.length > 0 ? 'INNER' : j.joinType;
  return withFilter({ ...j, joinType, left, right, condition: conjoin(onKeep) }, stay);
}

/** The predicate-pushdown rule. */
export const predicatePushdown: RewriteRule = {
  name: 'predicate_pushdown',
  apply: push,
};

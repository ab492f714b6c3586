// Places aggregate and window calls: builds the Aggregate / Window node and rewrites expressions over it.

import type { LogicalPlan } from '../../planner/logical.js';
import { mapPlanExprs } from '../../planner/walk.js';
import { type AggregateCall, type BoundExpr, type ColumnInfo, type WindowCall, mapChildren, mapExpr } from '../bound.js';

/**
 * Rewrites the references a subquery plan makes to the query `level` boundaries out
 * (OuterColumn with depth level + 1 seen from inside the subquery's own top level).
 */
export function remapOuterRefs(plan: LogicalPlan, level: number, fn: (x: Extract<BoundExpr, { kind: 'OuterColumn' }>) => BoundExpr): LogicalPlan {
  return mapPlanExprs(plan, (e) =>
    mapExpr(e, (x) => {
      if (x.kind === 'OuterColumn' && x.depth === level + 1) return fn(x);
      if (x.kind === 'Subquery' && x.correlated) return { ...x, plan: remapOuterRefs(x.plan, level + 1, fn) };
      return x;
    }),
  );
}

/** The aggregate that keeps a group's last value of a column named outside any aggregate (SQLite's bare columns). */
export const BARE_COLUMN = '$bare';

const keyOf = (e: BoundExpr): string => JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v] : v));

function markerIndex(e: BoundExpr, name: '$agg' | '$win'): number | undefined {
  if (e.kind === 'Call' && e.name === name && e.args[0]?.kind === 'Const') return e.args[0].value as number;
  return undefined;
}

/**
 * Builds Aggregate(input, groupBy, aggregates) and rewrites `exprs` (bound over the input row) to
 * read its output: group expressions become group columns, `$agg` markers aggregate columns, and
 * any other input column a bare-column aggregate.
 */
export function rewriteOverAggregate(
  input: LogicalPlan,
  groupBy: readonly BoundExpr[],
  aggregates: readonly AggregateCall[],
  exprs: readonly BoundExpr[],
): { plan: LogicalPlan; exprs: BoundExpr[] } {
  const groupKeys = groupBy.map(keyOf);
  const calls = [...aggregates];
  const bare = new Map<number, number>();
  const nGroups = groupBy.length;
  const rewrite = (e: BoundExpr): BoundExpr => {
    const g = groupKeys.indexOf(keyOf(e));
    if (g >= 0) return { kind: 'Column', index: g, type: e.type, name: e.kind === 'Column' ? e.name : `group${g}` };
    const a = markerIndex(e, '$agg');
    if (a !== undefined) return { kind: 'Column', index: nGroups + a, type: e.type, name: `agg${a}` };
    if (e.kind === 'Column') return bareColumn(e);
    // A correlated subquery above the aggregate sees the aggregate's output row, not the input
    // row its outer references were bound against: move them to the group (or bare) columns.
    if (e.kind === 'Subquery' && e.correlated) {
      const plan = remapOuterRefs(e.plan, 0, (x) => {
        const col: BoundExpr = { kind: 'Column', index: x.index, type: x.type, name: x.name };
        const moved = rewrite(col);
        return moved.kind === 'Column' ? { ...x, index: moved.index } : x;
      });
      return mapChildren({ ...e, plan }, rewrite);
    }
    return mapChildren(e, rewrite);
  };
  function bareColumn(e: Extract<BoundExpr, { kind: 'Column' }>): BoundExpr {
    let k = bare.get(e.index);
    if (k === undefined) {
      k = calls.length;
      calls.push({ name: BARE_COLUMN, args: [e], distinct: false, filter: undefined, orderBy: [], star: false, type: e.type });
      bare.set(e.index, k);
    }
    return { kind: 'Column', index: nGroups + k, type: e.type, name: e.name };
  }
  const out = exprs.map(rewrite);
  const schema: ColumnInfo[] = [
    ...groupBy.map((g, i) => ({ name: g.kind === 'Column' ? g.name : `group${i}`, table: g.kind === 'Column' ? input.schema[g.index]?.table : undefined, type: g.type })),
    ...calls.map((c, i) => ({ name: `agg${i}`, table: undefined, type: c.type })),
  ];
  return { plan: { kind: 'Aggregate', input, groupBy, aggregates: calls, schema }, exprs: out };
}

/** Builds Window(input, calls) and rewrites `$win` markers in `exprs` to its output columns. */
export function rewriteWindowMarkers(input: LogicalPlan, windows: readonly WindowCall[], exprs: readonly BoundExpr[]): { plan: LogicalPlan; exprs: BoundExpr[] } {
  const base = input.schema.length;
  const rewrite = (e: BoundExpr): BoundExpr => {
    const w = markerIndex(e, '$win');
    if (w !== undefined) return { kind: 'Column', index: base + w, type: e.type, name: `win${w}` };
    return mapChildren(e, rewrite);
  };
  const schema: ColumnInfo[] = [...input.schema, ...windows.map((w, i) => ({ name: `win${i}`, table: undefined, type: w.type, hidden: true }))];
  return { plan: { kind: 'Window', input, calls: windows, schema }, exprs: exprs.map(rewrite) };
}

// Rule: decorrelates scalar aggregate subqueries into a LEFT join against the subquery grouped
// by its correlation keys (Kim; Dayal; Galindo-Legaria's rewrite).
//
// `SELECT (SELECT count(*) FROM o WHERE o.cust = c.id) FROM c` runs the aggregate once per row
// of c; `c LEFT JOIN (SELECT cust, count(*) FROM o GROUP BY cust) ON cust = id` reads o once.
// A row of c without orders finds no group: its value must be what the aggregate gives over no
// rows, 0 for count (the "count bug"), so such rows take that value instead of the join's NULL.
// Only `SELECT f(aggregates) FROM q WHERE inner = outer AND … AND p` without GROUP BY moves.

import { type BoundExpr, type ColumnInfo, mapExpr, someExpr } from '../../compiler/bound.js';
import { lookupAggregate } from '../../executor/aggregates/registry.js';
import { exprText } from '../explain.js';
import type { LogicalPlan } from '../logical.js';
import { mapPlanChildren } from '../walk.js';
import { hashComparable, readsOuter, refersOutside, type Subquery } from './correlation.js';
import { conjoin, conjuncts } from './predicate-pushdown.js';
import type { RewriteRule } from './rule.js';

type Aggregate = Extract<LogicalPlan, { kind: 'Aggregate' }>;

/** True when `e` reads only the outer row, at depth 1 (no columns of its own, no subquery). */
function outerOnly(e: BoundExpr): boolean {
  return readsOuter(e) && !someExpr(e, (x) => x.kind === 'Column' || x.kind === 'Subquery' || (x.kind === 'OuterColumn' && x.depth !== 1));
}

/** `inner = outer` as a group key (over the subquery's row) and the value it must equal (over the outer row). */
function correlationKey(c: BoundExpr): { inner: BoundExpr; outer: BoundExpr } | undefined {
  if (c.kind !== 'Binary' || c.op !== '=' || c.collation) return undefined;
  const [inner, outer] = outerOnly(c.right) ? [c.left, c.right] : [c.right, c.left];
  if (!outerOnly(outer) || readsOuter(inner) || !hashComparable(inner, outer)) return undefined;
  return { inner, outer: mapExpr(outer, (x) => (x.kind === 'OuterColumn' ? { kind: 'Column', index: x.index, type: x.type, name: x.name } : x)) };
}

/** What each aggregate gives over no rows (undefined when one is not a registered aggregate). */
function emptyValues(agg: Aggregate): BoundExpr[] | undefined {
  const out: BoundExpr[] = [];
  for (const a of agg.aggregates) {
    const fn = lookupAggregate(a.star ? 'count_star' : a.name);
    if (!fn) return undefined;
    out.push({ kind: 'Const', value: fn.create(a.args.map((x) => x.type)).result(), type: a.type });
  }
  return out;
}

/**
 * For a scalar subquery read from rows `width` columns wide: the grouped subquery to LEFT join,
 * the join condition, and the subquery's value over the joined row. Undefined for other shapes.
 */
function grouped(sub: Subquery, width: number): { right: LogicalPlan; on: BoundExpr; value: BoundExpr } | undefined {
  const proj = sub.plan;
  if (proj.kind !== 'Project' || proj.input.kind !== 'Aggregate' || proj.input.groupBy.length > 0) return undefined;
  const agg = proj.input;
  const selected = proj.exprs[0]!;
  if (someExpr(selected, (x) => x.kind === 'Subquery' || (x.kind === 'OuterColumn' && x.depth !== 1))) return undefined;
  const empty = emptyValues(agg);
  let q = agg.input;
  const conds = q.kind === 'Filter' ? conjuncts(q.predicate) : [];
  if (q.kind === 'Filter') q = q.input;
  const keys: { inner: BoundExpr; outer: BoundExpr }[] = [];
  const inner: BoundExpr[] = [];
  for (const c of conds) {
    const key = readsOuter(c) ? correlationKey(c) : undefined;
    if (key) keys.push(key);
    else if (readsOuter(c)) return undefined;
    else inner.push(c);
  }
  if (!empty || keys.length === 0) return undefined;
  const predicate = conjoin(inner);
  const input: LogicalPlan = predicate ? { kind: 'Filter', input: q, predicate, schema: q.schema } : q;
  const keyInfo = keys.map((k, i): ColumnInfo => ({ name: k.inner.kind === 'Column' ? k.inner.name : `key${i}`, table: undefined, type: k.inner.type }));
  // The aggregates' columns are named by their calls, for EXPLAIN of the expressions reading them.
  const aggInfo = agg.aggregates.map((a, i): ColumnInfo => ({ ...agg.schema[i]!, name: `${a.name}(${a.star ? '*' : a.args.map(exprText).join(', ')})` }));
  const right: Aggregate = { kind: 'Aggregate', input, groupBy: keys.map((k) => k.inner), aggregates: agg.aggregates, schema: [...keyInfo, ...aggInfo] };
  if (refersOutside(right, 0)) return undefined;
  const column = (index: number, c: ColumnInfo): BoundExpr => ({ kind: 'Column', index, type: c.type, name: c.name });
  const on = conjoin(keys.map((k, i): BoundExpr => ({ kind: 'Binary', op: '=', left: k.outer, right: column(width + i, keyInfo[i]!), type: 'boolean' })))!;
  // A joined group's first key is not NULL (it equalled the outer value); no group: no rows.
  const noGroup: BoundExpr = { kind: 'IsNull', negated: false, operand: column(width, keyInfo[0]!), type: 'boolean' };
  const value = mapExpr(selected, (x) => {
    if (x.kind === 'OuterColumn') return { kind: 'Column', index: x.index, type: x.type, name: x.name };
    if (x.kind !== 'Column') return x;
    const joined = column(width + keys.length + x.index, aggInfo[x.index]!);
    const none = empty[x.index]!;
    return none.kind === 'Const' && none.value === null ? joined : { kind: 'Case', operand: undefined, whens: [{ when: noGroup, then: none }], else: joined, type: x.type };
  });
  return { right, on, value };
}

/** `exprs` over `input` with their decorrelatable scalar subqueries read from LEFT joins added to it. */
function decorrelate(input: LogicalPlan, exprs: readonly BoundExpr[]): { input: LogicalPlan; exprs: BoundExpr[] } | undefined {
  let joined = input;
  const out = exprs.map((e) =>
    mapExpr(e, (x) => {
      if (x.kind !== 'Subquery' || x.mode !== 'scalar' || !x.correlated) return x;
      const g = grouped(x, joined.schema.length);
      if (!g) return x;
      joined = { kind: 'Join', joinType: 'LEFT', left: joined, right: g.right, condition: g.on, schema: [...joined.schema, ...g.right.schema] };
      return g.value;
    }),
  );
  return joined === input ? undefined : { input: joined, exprs: out };
}

/** True when a Filter over a table scan fixes the whole primary key (or rowid) to values: one row at most. */
function keyLookup(p: LogicalPlan): boolean {
  if (p.kind !== 'Filter' || p.input.kind !== 'Scan') return false;
  const t = p.input.table;
  const fixed = new Set<number>();
  for (const c of conjuncts(p.predicate)) {
    if (c.kind !== 'Binary' || c.op !== '=') continue;
    const value = (e: BoundExpr) => !someExpr(e, (x) => x.kind === 'Column' || x.kind === 'Subquery');
    if (c.left.kind === 'Column' && value(c.right)) fixed.add(c.left.index);
    if (c.right.kind === 'Column' && value(c.left)) fixed.add(c.right.index);
  }
  // A table without a primary key is keyed by its hidden rowid, the column after the declared ones.
  const key = t.primaryKey.length > 0 ? t.primaryKey : [t.columns.length];
  return key.every((k) => fixed.has(k)) || (t.rowidColumn >= 0 && fixed.has(t.rowidColumn));
}

/**
 * True when `p` yields a row or two by its shape (a key lookup, literal rows): running the
 * subquery for each (through an index, often) then costs less than grouping all of it.
 */
function fewRows(p: LogicalPlan): boolean {
  if (p.kind === 'OneRow' || (p.kind === 'Values' && p.rows.length <= 16) || keyLookup(p)) return true;
  return (p.kind === 'Filter' || p.kind === 'Project' || p.kind === 'Sort') && fewRows(p.input);
}

function rewrite(plan: LogicalPlan): LogicalPlan {
  // LIMIT without ORDER BY reads the first rows only: their subqueries, run per row, cost less.
  if (plan.kind === 'Limit' && plan.input.kind === 'Project') return { ...plan, input: { ...plan.input, input: rewrite(plan.input.input) } };
  const p = mapPlanChildren(plan, rewrite);
  if ((p.kind !== 'Project' && p.kind !== 'Filter') || fewRows(p.input)) return p;
  if (p.kind === 'Project') {
    const d = decorrelate(p.input, p.exprs);
    return d ? { ...p, input: d.input, exprs: d.exprs } : p;
  }
  const d = decorrelate(p.input, [p.predicate]);
  if (!d) return p;
  // The joined columns are dropped again: the Filter's parent reads its input's row layout.
  const filtered: LogicalPlan = { kind: 'Filter', input: d.input, predicate: d.exprs[0]!, schema: d.input.schema };
  const exprs = p.schema.map((c, i): BoundExpr => ({ kind: 'Column', index: i, type: c.type, name: c.name }));
  return { kind: 'Project', input: filtered, exprs, schema: p.schema };
}

/** The scalar-subquery decorrelation rule. */
export const scalarSubqueryToJoin: RewriteRule = {
  name: 'scalar_subquery_to_join',
  apply: rewrite,
};

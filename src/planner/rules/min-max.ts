// Rule: a query whose only aggregate is min(x) or max(x) (perhaps repeated), with no GROUP BY, needs one row: the
// first non-NULL x in ascending (min) or descending (max) order. The aggregate's input becomes
// that row (Limit 1 over a Sort over the filtered scan), which the physical planner reads from an
// index on x or the primary key without scanning the table (SQLite's min/max optimization); with
// neither, it is a TopN of one row, no dearer than the aggregate's own scan.

import type { AggregateCall, BoundExpr } from '../../compiler/bound.js';
import type { LogicalPlan } from '../logical.js';
import { mapPlanChildren } from '../walk.js';
import { conjoin, conjuncts } from './predicate-pushdown.js';
import type { RewriteRule } from './rule.js';

type Aggregate = Extract<LogicalPlan, { kind: 'Aggregate' }>;

/** The column argument of a lone min or max call over a (filtered) table scan, or undefined. */
function extremeColumn(q: Aggregate): (BoundExpr & { kind: 'Column' }) | undefined {
  if (q.groupBy.length > 0 || q.aggregates.length === 0) return undefined;
  const a = q.aggregates[0]!;
  // The same call repeated (SELECT max(x) … HAVING max(x) > 3) is still one aggregate.
  const same = (b: AggregateCall) => b.name === a.name && b.args.length === 1 && b.args[0]!.kind === 'Column' && a.args[0]?.kind === 'Column' && b.args[0]!.index === a.args[0].index && !b.filter && b.orderBy.length === 0;
  if (!q.aggregates.every(same)) return undefined;
  if ((a.name !== 'min' && a.name !== 'max') || a.filter || a.args.length !== 1 || a.orderBy.length > 0) return undefined;
  const arg = a.args[0]!;
  // min and max compare values as stored; a collated column orders otherwise.
  if (arg.kind !== 'Column' || arg.collation) return undefined;
  const scan = q.input.kind === 'Filter' ? q.input.input : q.input;
  return scan.kind === 'Scan' ? arg : undefined;
}

function rewrite(p: LogicalPlan): LogicalPlan {
  const q = mapPlanChildren(p, rewrite);
  if (q.kind !== 'Aggregate') return q;
  const arg = extremeColumn(q);
  if (!arg) return q;
  const max = q.aggregates[0]!.name === 'max';
  const input = q.input;
  const schema = input.schema;
  // min and max skip NULLs; so must the first row.
  const notNull: BoundExpr = { kind: 'IsNull', negated: true, operand: arg, type: 'boolean' };
  const filtered: LogicalPlan = {
    kind: 'Filter',
    input: input.kind === 'Filter' ? input.input : input,
    predicate: conjoin([...(input.kind === 'Filter' ? conjuncts(input.predicate) : []), notNull])!,
    schema,
  };
  const sorted: LogicalPlan = { kind: 'Sort', input: filtered, keys: [{ expr: arg, desc: max, nullsFirst: !max }], schema };
  const first: LogicalPlan = { kind: 'Limit', input: sorted, limit: { kind: 'Const', value: 1, type: 'integer' }, offset: undefined, schema };
  return { ...q, input: first };
}

/** The min/max rule. */
export const minMax: RewriteRule = { name: 'min_max', apply: rewrite };

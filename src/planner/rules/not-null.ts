// Which output columns of a plan can never be NULL (for rewrites that are exact only without NULLs).

import type { BoundExpr } from '../../compiler/bound.js';
import type { LogicalPlan } from '../logical.js';
import { conjuncts } from './predicate-pushdown.js';

const COMPARISONS: ReadonlySet<string> = new Set(['=', '<>', '<', '<=', '>', '>=']);

/** True when every row passing `predicate` has a non-NULL column `index` (a conjunct rejects NULL there). */
function rejectsNull(predicate: BoundExpr, index: number): boolean {
  const isCol = (e: BoundExpr) => e.kind === 'Column' && e.index === index;
  return conjuncts(predicate).some(
    (c) => (c.kind === 'IsNull' && c.negated && isCol(c.operand)) || (c.kind === 'Binary' && COMPARISONS.has(c.op) && (isCol(c.left) || isCol(c.right))),
  );
}

/**
 * True when output column `index` of `plan` is provably never NULL: a NOT NULL column, the
 * rowid, or a column a filter below rejects NULLs of. False when unsure. (A primary key other
 * than INTEGER PRIMARY KEY may hold NULLs, as in SQLite.)
 */
export function neverNull(plan: LogicalPlan, index: number): boolean {
  switch (plan.kind) {
    case 'Scan': {
      const t = plan.table;
      // Past the declared columns come the hidden rowid (NULL in a table keyed by other columns)
      // and the row key.
      if (index === t.columns.length) return t.primaryKey.length === 0 || t.rowidColumn >= 0;
      return index > t.columns.length || index === t.rowidColumn || t.columns[index]!.notNull;
    }
    case 'Filter':
      return rejectsNull(plan.predicate, index) || neverNull(plan.input, index);
    case 'Project': {
      const e = plan.exprs[index]!;
      return (e.kind === 'Column' && neverNull(plan.input, e.index)) || (e.kind === 'Const' && e.value !== null);
    }
    case 'Sort':
    case 'Limit':
    case 'Distinct':
      return neverNull(plan.input, index);
    case 'Join': {
      const width = plan.left.schema.length;
      if (index < width) return plan.joinType !== 'RIGHT' && plan.joinType !== 'FULL' && neverNull(plan.left, index);
      return (plan.joinType === 'INNER' || plan.joinType === 'CROSS') && neverNull(plan.right, index - width);
    }
    default:
      return false;
  }
}

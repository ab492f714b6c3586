// Rule: tell each collection search which of its output columns the query reads above it.

import { type BoundExpr, forEachChild, someExpr } from '../../compiler/bound.js';
import type { LogicalPlan } from '../logical.js';
import { mapPlanChildren } from '../walk.js';
import type { RewriteRule } from './rule.js';

/** Column indexes of the input row that `exprs` read; undefined when a subquery may read any of them. */
function columnsOf(exprs: readonly BoundExpr[], into: Set<number>): Set<number> | undefined {
  for (const e of exprs) {
    if (someExpr(e, (x) => x.kind === 'Subquery')) return undefined;
    collect(e, into);
  }
  return into;
}

function collect(e: BoundExpr, into: Set<number>): void {
  if (e.kind === 'Column') into.add(e.index);
  forEachChild(e, (c) => collect(c, into));
}

/**
 * Pushes the set of columns read (`needed`, undefined: all) down through Project, Filter, Sort
 * and Limit. Any other operator is taken to read every column of its inputs.
 */
function prune(p: LogicalPlan, needed: Set<number> | undefined): LogicalPlan {
  switch (p.kind) {
    case 'CollectionSearch': {
      const columns = needed ? [...needed].sort((a, b) => a - b) : undefined;
      return columns ? { ...p, columns } : p;
    }
    case 'Project':
      // A Project evaluates every expression, read above or not.
      return { ...p, input: prune(p.input, columnsOf(p.exprs, new Set())) };
    case 'Filter':
      return { ...p, input: prune(p.input, needed && columnsOf([p.predicate], new Set(needed))) };
    case 'Sort':
      return { ...p, input: prune(p.input, needed && columnsOf(p.keys.map((k) => k.expr), new Set(needed))) };
    case 'Limit':
      return { ...p, input: prune(p.input, needed) };
    default:
      return mapPlanChildren(p, (c) => prune(c, undefined));
  }
}

/**
 * The rule. A vector search whose caller reads only the document id and the ranking columns
 * needs no document row at all (see the physical CollectionSearch's indexOnly).
 */
export const searchColumns: RewriteRule = { name: 'search_columns', apply: (p) => prune(p, undefined) };

// Rule: ORDER BY <embedding> <op> <q> LIMIT k over a collection becomes a vector search (docs/toonql.md §11.3).

import { type BoundExpr, someExpr } from '../../compiler/bound.js';
import { searchColumns } from '../../compiler/binder/bind-search.js';
import { COLLECTION_COLUMNS, type CollectionMetric } from '../../storage/catalog.js';
import type { LogicalPlan } from '../logical.js';
import { mapPlanChildren } from '../walk.js';
import type { RewriteRule } from './rule.js';

const OPERATOR: Record<CollectionMetric, string> = { cosine: '<=>', euclidean: '<->', dot: '<#>' };

/** A query vector that is the same for every row: no column references, no correlated subquery. */
function constant(e: BoundExpr): boolean {
  return !someExpr(e, (x) => x.kind === 'Column' || x.kind === 'OuterColumn' || (x.kind === 'Subquery' && x.correlated));
}

/**
 * Matches Limit(Sort(Project(Filter?(Scan collection)))) whose first sort key is ascending
 * distance from the collection's embedding, with the collection's metric, to a constant vector.
 * The Filter and Scan become a CollectionSearch for the first limit + offset rows that pass the
 * filter; Sort and Limit stay (they order and cut k rows).
 */
function rewrite(p: LogicalPlan): LogicalPlan {
  const q = mapPlanChildren(p, rewrite);
  if (q.kind !== 'Limit' || !q.limit || q.input.kind !== 'Sort' || q.input.input.kind !== 'Project') return q;
  const sort = q.input;
  const project = sort.input as Extract<LogicalPlan, { kind: 'Project' }>;
  const below = project.input;
  const scan = below.kind === 'Filter' ? below.input : below;
  if (scan.kind !== 'Scan' || !scan.table.collection) return q;
  const first = sort.keys[0];
  if (!first || first.desc || first.expr.kind !== 'Column') return q;
  const keyExpr = project.exprs[first.expr.index];
  if (!keyExpr || keyExpr.kind !== 'Binary' || keyExpr.op !== OPERATOR[scan.table.collection.metric]) return q;
  const isEmbedding = (e: BoundExpr) => e.kind === 'Column' && e.index === COLLECTION_COLUMNS.embedding;
  const vector = isEmbedding(keyExpr.left) && constant(keyExpr.right) ? keyExpr.right : isEmbedding(keyExpr.right) && constant(keyExpr.left) ? keyExpr.left : undefined;
  if (!vector) return q;
  const k: BoundExpr = q.offset ? { kind: 'Binary', op: '+', left: q.limit, right: q.offset, type: 'integer' } : q.limit;
  const schema = [...scan.schema, ...searchColumns('vector').map((c) => ({ ...c, table: scan.alias }))];
  const search: LogicalPlan = {
    kind: 'CollectionSearch',
    search: { table: scan.table, indexes: scan.indexes, alias: scan.alias, mode: 'vector', vector, text: undefined, options: { k }, offset: undefined },
    filter: below.kind === 'Filter' ? below.predicate : undefined,
    schema,
  };
  return { ...q, input: { ...sort, input: { ...project, input: search } } };
}

/** The rule, run after predicate pushdown so that WHERE sits right above the scan. */
export const vectorTopK: RewriteRule = { name: 'vector_top_k', apply: rewrite };

// Rule: ORDER BY <vector column> <op> <q> LIMIT k over a collection or an hnsw-indexed column becomes a vector search (§11.3, §8.4).

import { type BoundExpr, someExpr } from '../../compiler/bound.js';
import { searchColumns } from '../../compiler/binder/bind-search.js';
import { collectionVectorColumn, hnswVectorColumn, type CollectionMetric, type VectorColumn } from '../../storage/catalog.js';
import type { LogicalPlan } from '../logical.js';
import { mapPlanChildren } from '../walk.js';
import type { RewriteRule } from './rule.js';

const OPERATOR: Record<CollectionMetric, string> = { cosine: '<=>', euclidean: '<->', dot: '<#>' };

/** A query vector that is the same for every row: no column references, no correlated subquery. */
function constant(e: BoundExpr): boolean {
  return !someExpr(e, (x) => x.kind === 'Column' || x.kind === 'OuterColumn' || (x.kind === 'Subquery' && x.correlated));
}

/** The ANN-indexed vector columns of a scanned table: a collection's embedding, hnsw-indexed columns. */
function vectorColumns(scan: Extract<LogicalPlan, { kind: 'Scan' }>): VectorColumn[] {
  const out: VectorColumn[] = scan.table.collection ? [collectionVectorColumn(scan.table)] : [];
  for (const ix of scan.indexes) {
    if (ix.method === 'hnsw' && ix.vector) out.push(hnswVectorColumn(scan.table, ix));
  }
  return out;
}

/**
 * Matches Limit(Sort(Project(Filter?(Scan collection)))) whose first sort key is ascending
 * distance from the collection's embedding, with the collection's metric, to a constant vector.
 * The Filter and Scan become a CollectionSearch for the first limit + offset rows that pass the
 * filter; Sort and Limit stay (they order and cut k rows), and the projected sort key becomes the
 * search's distance column.
 */
function rewrite(p: LogicalPlan): LogicalPlan {
  const q = mapPlanChildren(p, rewrite);
  if (q.kind !== 'Limit' || !q.limit || q.input.kind !== 'Sort' || q.input.input.kind !== 'Project') return q;
  const sort = q.input;
  const project = sort.input as Extract<LogicalPlan, { kind: 'Project' }>;
  const below = project.input;
  const scan = below.kind === 'Filter' ? below.input : below;
  if (scan.kind !== 'Scan') return q;
  const first = sort.keys[0];
  if (!first || first.desc || first.expr.kind !== 'Column') return q;
  const keyExpr = project.exprs[first.expr.index];
  if (!keyExpr || keyExpr.kind !== 'Binary') return q;
  // The indexed vector column the distance is measured from, with the index's own metric.
  let vc: VectorColumn | undefined;
  let vector: BoundExpr | undefined;
  for (const c of vectorColumns(scan)) {
    if (keyExpr.op !== OPERATOR[c.options.metric]) continue;
    const isColumn = (e: BoundExpr) => e.kind === 'Column' && e.index === c.column;
    vector = isColumn(keyExpr.left) && constant(keyExpr.right) ? keyExpr.right : isColumn(keyExpr.right) && constant(keyExpr.left) ? keyExpr.left : undefined;
    if (vector) {
      vc = c;
      break;
    }
  }
  if (!vc || !vector) return q;
  const k: BoundExpr = q.offset ? { kind: 'Binary', op: '+', left: q.limit, right: q.offset, type: 'integer' } : q.limit;
  const schema = [...scan.schema, ...searchColumns('vector').map((c) => ({ ...c, table: scan.alias }))];
  const search: LogicalPlan = {
    kind: 'CollectionSearch',
    search: { table: scan.table, indexes: scan.indexes, alias: scan.alias, mode: 'vector', vectorColumn: vc, vector, text: undefined, options: { k }, offset: undefined },
    filter: below.kind === 'Filter' ? below.predicate : undefined,
    schema,
  };
  // The sort key is the distance the search computes: read it from there, not from the embedding.
  const distance: BoundExpr = { kind: 'Column', index: scan.schema.length, type: keyExpr.type, name: 'distance' };
  const exprs = project.exprs.map((e) => (e === keyExpr ? distance : e));
  return { ...q, input: { ...sort, input: { ...project, exprs, input: search } } };
}

/** The rule, run after predicate pushdown so that WHERE sits right above the scan. */
export const vectorTopK: RewriteRule = { name: 'vector_top_k', apply: rewrite };

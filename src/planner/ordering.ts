// Output ordering, a physical property: the order in which an operator's rows are guaranteed to come out.

import { assertNever } from '../compiler/ast.js';
import type { BoundExpr, ColumnInfo, SortKey } from '../compiler/bound.js';
import { itemColumn, type TableDef } from '../storage/catalog.js';
import type { PhysicalPlan } from './physical.js';

/**
 * One key of an ordering: the output columns that all hold its value on every row (a rowid and
 * its INTEGER PRIMARY KEY alias, the two sides of an inner equi-join), its direction and where
 * NULLs come. Values are ordered as compareValues orders them without a collation: NULL, then
 * integers and reals together by numeric value, then text by code point (BINARY), then blobs.
 */
export interface OrderKey {
  readonly columns: readonly number[];
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

/** Rows sorted by the first key, then the second among equal firsts, and so on (empty: no order known). */
export type Ordering = readonly OrderKey[];

const NONE: Ordering = [];

/**
 * The order a plan's rows are guaranteed to come in. Conservative: an operator whose order
 * depends on anything but its plan (a hash table's iteration, rows appended at the end, a
 * collation) claims none.
 */
export function outputOrdering(p: PhysicalPlan): Ordering {
  switch (p.kind) {
    case 'SeqScan':
      return keyOrdering(p.table, p.schema, false);
    case 'PkRangeScan':
      // The equal prefix is constant, so the whole key orders the rows.
      return keyOrdering(p.table, p.schema, p.reverse);
    case 'IndexScan':
      // Several prefixes (an IN list) are walked one after the other, each in order: no order overall.
      return p.prefixes.length === 1 ? indexOrdering(p) : NONE;
    case 'Filter':
    case 'Limit':
      return outputOrdering(p.input);
    case 'Project':
      return projected(outputOrdering(p.input), p.exprs);
    case 'IndexJoin':
    case 'LateralJoin':
      // Each left row's matches are emitted before the next left row is read.
      return outputOrdering(p.left);
    case 'HashJoin':
    case 'NestedLoopJoin':
      // Probed (scanned) a left row at a time; RIGHT and FULL append unmatched right rows at the end.
      return p.joinType === 'RIGHT' || p.joinType === 'FULL' ? NONE : outputOrdering(p.left);
    case 'MergeJoin':
      return mergeJoinOrdering(p);
    case 'StreamAggregate':
      return groupOrdering(outputOrdering(p.input), p.groupBy);
    case 'Sort':
    case 'TopN':
      return sortOrdering(p.keys, p.schema);
    case 'PkLookup':
    case 'HashAggregate':
    case 'Window':
    case 'HashDistinct':
    case 'SetOp':
    case 'Values':
    case 'OneRow':
    case 'RecursiveCte':
    case 'WorkTable':
    case 'TableFunction':
    case 'CollectionSearch':
      return NONE;
    default:
      return assertNever(p);
  }
}

/**
 * Rows in primary-key order (reversed when `reverse`): the hidden rowid, or the key columns up to
 * the first with a collation (stored by bytes, compared by the collation).
 */
function keyOrdering(table: TableDef, schema: readonly ColumnInfo[], reverse: boolean): Ordering {
  const rowid = table.columns.length; // the hidden rowid column of a scan
  if (table.primaryKey.length === 0) return [{ columns: [rowid], desc: reverse, nullsFirst: !reverse }];
  const out: OrderKey[] = [];
  for (const c of table.primaryKey) {
    if (schema[c]?.collation) break;
    out.push({ columns: c === table.rowidColumn ? [c, rowid] : [c], desc: reverse, nullsFirst: !reverse });
  }
  return out;
}

/**
 * Rows of an index scan with one prefix: in the order of the index's items (stored ascending
 * whatever their declared direction, NULLs first), up to the first expression item or collated
 * column. The items the prefix fixes are constant, so they order the rows too.
 */
function indexOrdering(p: Extract<PhysicalPlan, { kind: 'IndexScan' }>): Ordering {
  const out: OrderKey[] = [];
  for (const item of p.index.columns) {
    const c = itemColumn(item);
    if (c === undefined || p.schema[c]?.collation) break;
    out.push({ columns: c === p.table.rowidColumn ? [c, p.table.columns.length] : [c], desc: p.reverse, nullsFirst: !p.reverse });
  }
  return out;
}

/** An input ordering seen through a projection: the keys it passes through, up to the first it drops. */
function projected(input: Ordering, exprs: readonly BoundExpr[]): Ordering {
  const out: OrderKey[] = [];
  for (const k of input) {
    const columns = exprs.flatMap((e, j) => (e.kind === 'Column' && k.columns.includes(e.index) ? [j] : []));
    if (columns.length === 0) break;
    out.push({ ...k, columns });
  }
  return out;
}

/**
 * A merge join keeps the left order (unmatched LEFT rows included). An inner join's right key
 * columns equal the left ones on every row, so they order the rows as well.
 */
function mergeJoinOrdering(p: Extract<PhysicalPlan, { kind: 'MergeJoin' }>): Ordering {
  const left = outputOrdering(p.left);
  if (p.joinType !== 'INNER') return left;
  const lw = p.left.schema.length;
  return left.map((k, i) => {
    const r = i < p.rightKeys.length ? p.rightKeys[i]! : undefined;
    return r?.kind === 'Column' ? { ...k, columns: [...k.columns, r.index + lw] } : k;
  });
}

/**
 * A stream aggregate's groups come in the input's order of the group keys: output column j holds
 * group key j, so the input keys that are group keys become those columns.
 */
function groupOrdering(input: Ordering, groupBy: readonly BoundExpr[]): Ordering {
  return projected(input, groupBy);
}

/** The order a Sort or TopN leaves: its keys up to the first that is not a plain column or has a collation. */
function sortOrdering(keys: readonly SortKey[], schema: readonly ColumnInfo[]): Ordering {
  const out: OrderKey[] = [];
  for (const k of keys) {
    if (k.expr.kind !== 'Column' || k.collation || schema[k.expr.index]?.collation) break;
    out.push({ columns: [k.expr.index], desc: k.desc, nullsFirst: k.nullsFirst });
  }
  return out;
}

/** True when rows in `ordering` are already in the order of the ORDER BY `keys` (NULL placement included). */
export function satisfiesSort(ordering: Ordering, keys: readonly SortKey[], schema: readonly ColumnInfo[]): boolean {
  if (keys.length === 0 || keys.length > ordering.length) return false;
  return keys.every((k, i) => {
    const o = ordering[i]!;
    return k.expr.kind === 'Column' && !k.collation && !schema[k.expr.index]?.collation && o.columns.includes(k.expr.index) && o.desc === k.desc && o.nullsFirst === k.nullsFirst;
  });
}

/**
 * True when rows with equal values of `groupBy` (plain columns, in any order) are adjacent: the
 * ordering's first keys are exactly the group keys. NULLs sit at one end of each key, so equal
 * keys with NULLs are adjacent as well.
 */
export function groupsAdjacent(ordering: Ordering, groupBy: readonly BoundExpr[]): boolean {
  if (groupBy.length === 0 || !groupBy.every((e) => e.kind === 'Column')) return false;
  const wanted = new Set(groupBy.map((e) => (e as Extract<BoundExpr, { kind: 'Column' }>).index));
  const covered = new Set<number>();
  for (const k of ordering) {
    if (covered.size === wanted.size) break;
    const hit = k.columns.filter((c) => wanted.has(c));
    if (hit.length === 0) return false;
    for (const c of hit) covered.add(c);
  }
  return covered.size === wanted.size;
}

// HashDistinct and SetOp (UNION, INTERSECT, EXCEPT, with or without ALL) over hashed rows.

import type { PhysicalPlan } from '../../planner/physical.js';
import { hashKey } from '../compile-expr.js';
import type { Row } from '../context.js';

/** The hash key of a whole row (NULLs equal each other here, as DISTINCT and set operations want). */
export function rowKey(row: Row, width = row.length): string {
  let s = '';
  for (let i = 0; i < width; i++) {
    const v = row[i]!;
    s += `${v === null ? '\u0000' : hashKey(v)}\u0001`;
  }
  return s;
}

/** Runs a HashDistinct. */
export async function* hashDistinct(p: Extract<PhysicalPlan, { kind: 'HashDistinct' }>, input: AsyncIterable<Row[]>): AsyncGenerator<Row[]> {
  const seen = new Set<string>();
  const width = p.schema.length;
  for await (const batch of input) {
    const out: Row[] = [];
    for (const r of batch) {
      const k = rowKey(r, width);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(r);
    }
    if (out.length > 0) yield out;
  }
}

/** Runs a SetOp. */
export async function* setOp(p: Extract<PhysicalPlan, { kind: 'SetOp' }>, left: AsyncIterable<Row[]>, right: AsyncIterable<Row[]>): AsyncGenerator<Row[]> {
  const width = p.schema.length;
  if (p.op === 'UNION') {
    const seen = p.all ? undefined : new Set<string>();
    for (const side of [left, right]) {
      for await (const batch of side) {
        if (!seen) {
          yield batch;
          continue;
        }
        const out = batch.filter((r) => {
          const k = rowKey(r, width);
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        });
        if (out.length > 0) yield out;
      }
    }
    return;
  }
  // INTERSECT / EXCEPT: count the right side's rows, then stream the left side against the counts.
  const counts = new Map<string, number>();
  for await (const batch of right) for (const r of batch) {
    const k = rowKey(r, width);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const emitted = new Set<string>();
  for await (const batch of left) {
    const out: Row[] = [];
    for (const r of batch) {
      const k = rowKey(r, width);
      const n = counts.get(k) ?? 0;
      if (p.op === 'INTERSECT') {
        if (n === 0) continue;
        if (p.all) counts.set(k, n - 1);
        else if (emitted.has(k)) continue;
      } else {
        if (p.all) {
          if (n > 0) {
            counts.set(k, n - 1);
            continue;
          }
        } else if (n > 0 || emitted.has(k)) continue;
      }
      emitted.add(k);
      out.push(r);
    }
    if (out.length > 0) yield out;
  }
}

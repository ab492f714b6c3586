// Helpers shared by operators: per-operator environments, expression batches, sort comparators.

import type { BoundExpr, SortKey } from '../../compiler/bound.js';
import { CompiledExprs } from '../compile-expr.js';
import type { Env, Row } from '../context.js';
import type { SqlValue } from '../value.js';
import { compareValues } from '../value-ops.js';

/** A private environment for one operator (its own subquery results and row index). */
export function ownEnv(env: Env): Env {
  return { ctx: env.ctx, outer: env.outer, sub: [], rowIndex: 0 };
}

/** Compiles expressions for an operator, planning their subqueries through the context. */
export function compile(exprs: readonly BoundExpr[], env: Env): CompiledExprs {
  return new CompiledExprs(exprs, (e) => env.ctx.planSubquery(e.plan));
}

/** Evaluates compiled expressions on every row of a batch: out[i][j] = fns[j](rows[i]). */
export async function evalBatch(ex: CompiledExprs, rows: readonly Row[], env: Env): Promise<SqlValue[][]> {
  await ex.prepare(rows, env);
  const fns = ex.fns;
  const out: SqlValue[][] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    env.rowIndex = i;
    const row = rows[i]!;
    const vals: SqlValue[] = new Array(fns.length);
    for (let j = 0; j < fns.length; j++) vals[j] = fns[j]!(row, env);
    out[i] = vals;
  }
  return out;
}

/** Compares two rows of precomputed sort-key values by the keys' directions and NULL placement. */
export function sortComparator(keys: readonly SortKey[]): (a: readonly SqlValue[], b: readonly SqlValue[]) => number {
  return (a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const x = a[k]!;
      const y = b[k]!;
      let c: number;
      if (x === null || y === null) {
        if (x === y) continue;
        c = x === null ? (key.nullsFirst ? -1 : 1) : key.nullsFirst ? 1 : -1;
        return c;
      }
      c = compareValues(x, y, key.collation);
      if (c !== 0) return key.desc ? -c : c;
    }
    return 0;
  };
}

/** Collects a whole input stream into one array. */
export async function collect(input: AsyncIterable<Row[]>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const b of input) for (const r of b) out.push(r);
  return out;
}

/** Splits an array of rows into batches. */
export function* batches(rows: readonly Row[], size = 1024): Generator<Row[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

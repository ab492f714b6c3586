// Property tests: MergeJoin gives exactly HashJoin's rows on random ordered inputs, and joins random tables as SQLite does.

import Sqlite from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BoundExpr, ColumnInfo } from '../../src/compiler/bound.js';
import type { ExecContext, Env, Row } from '../../src/executor/context.js';
import { hashJoin } from '../../src/executor/operators/hash-join.js';
import { mergeJoin } from '../../src/executor/operators/merge-join.js';
import type { SqlValue } from '../../src/executor/value.js';
import { compareValues } from '../../src/executor/value-ops.js';
import type { PhysicalPlan } from '../../src/planner/physical.js';
import { Database } from '../../src/index.js';

const ctx = { params: [], workTables: new Map(), now: new Date(), checkCancelled: () => {}, planSubquery: () => { throw new Error('no subqueries here'); } } as unknown as ExecContext;
const env = (): Env => ({ ctx, outer: [], sub: [], rowIndex: 0 });
const col = (index: number): BoundExpr => ({ kind: 'Column', index, type: 'any', name: `c${index}` });
const schema = (n: number): ColumnInfo[] => Array.from({ length: n }, (_, i) => ({ name: `c${i}`, table: undefined, type: 'any' }));
const input = (width: number) => ({ kind: 'Values', rows: [], schema: schema(width), est: { rows: 0, cost: 0 } }) as PhysicalPlan;

/** Rows as batches of random sizes, so that runs of equal keys cross batch boundaries. */
async function* batched(rows: readonly Row[], cuts: readonly number[]): AsyncGenerator<Row[]> {
  let at = 0;
  for (const c of cuts) {
    if (at >= rows.length) break;
    yield rows.slice(at, at + c);
    at += c;
  }
  if (at < rows.length) yield rows.slice(at);
}

async function all(it: AsyncIterable<Row[]>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const b of it) out.push(...b);
  return out;
}

// Keys of every kind: NULL, integers and reals that equal them (3 and 3.0 are one JS number, so 2.5,
// -0 and 0 stand for the mixed cases), text and blobs.
const key = fc.constantFrom<SqlValue>(null, null, -1, -0, 0, 1, 2, 2.5, 3, 3, 7, 'a', 'b', 'b', new Uint8Array([1]));
const sideRows = fc.array(fc.tuple(key, fc.integer({ min: 0, max: 5 })), { maxLength: 40 });
const cuts = fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 20 });

/** Sorts rows on column 0 as an ordered input would come: NULLs first ascending, last descending. */
function ordered(rows: readonly (readonly [SqlValue, number])[], desc: boolean): Row[] {
  const sorted = rows.map(([k, v], i): Row => [k, v, i]);
  sorted.sort((a, b) => (desc ? -1 : 1) * compareValues(a[0]!, b[0]!));
  return sorted;
}

describe('MergeJoin against HashJoin', () => {
  it('gives the same rows in the same order for every join type, direction and residual', async () => {
    await fc.assert(
      fc.asyncProperty(sideRows, sideRows, cuts, cuts, fc.constantFrom('INNER', 'LEFT', 'SEMI', 'ANTI'), fc.boolean(), fc.boolean(), async (l, r, lc, rc, joinType, desc, withResidual) => {
        const left = ordered(l, desc);
        const right = ordered(r, desc);
        // Residual: left.c1 <= right.c1 (columns of the joined row: left 0..2, right 3..5).
        const residual: BoundExpr | undefined = withResidual ? { kind: 'Binary', op: '<=', left: col(1), right: col(4), type: 'boolean' } : undefined;
        const common = { joinType, left: input(3), right: input(3), leftKeys: [col(0)], rightKeys: [col(0)], residual, schema: schema(joinType === 'SEMI' || joinType === 'ANTI' ? 3 : 6), est: { rows: 0, cost: 0 } };
        const merged = await all(mergeJoin({ ...common, kind: 'MergeJoin', desc: [desc] } as Extract<PhysicalPlan, { kind: 'MergeJoin' }>, batched(left, lc), batched(right, rc), env()));
        const hashed = await all(hashJoin({ ...common, kind: 'HashJoin' } as Extract<PhysicalPlan, { kind: 'HashJoin' }>, batched(left, [1024]), batched(right, [1024]), env()));
        expect(merged).toEqual(hashed);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses inputs that are not ordered on their keys instead of answering wrongly', async () => {
    const p = { kind: 'MergeJoin', joinType: 'INNER', left: input(1), right: input(1), leftKeys: [col(0)], rightKeys: [col(0)], desc: [false], residual: undefined, schema: schema(2), est: { rows: 0, cost: 0 } } as Extract<PhysicalPlan, { kind: 'MergeJoin' }>;
    await expect(all(mergeJoin(p, batched([[2], [1]], [1]), batched([[1], [2]], [1]), env()))).rejects.toThrow(/left input is not ordered/);
    await expect(all(mergeJoin(p, batched([[1], [3]], [1]), batched([[2], [1], [3]], [1]), env()))).rejects.toThrow(/right input is not ordered/);
  });
});

describe('merge joins over random tables agree with SQLite', () => {
  it('INNER, LEFT, SEMI and ANTI joins on composite primary keys', async () => {
    const value = fc.oneof(fc.constant(null), fc.integer({ min: -3, max: 6 }), fc.constantFrom(0.5, 2.5, 3.0));
    const table = fc.uniqueArray(fc.tuple(value, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 9 })), { maxLength: 30, selector: ([k, s]) => `${k}/${s}` });
    await fc.assert(
      fc.asyncProperty(table, table, async (a, b) => {
        const ddl = 'CREATE TABLE a (k INTEGER, s INTEGER, v INTEGER, PRIMARY KEY (k, s)); CREATE TABLE b (k REAL, s INTEGER, w INTEGER, PRIMARY KEY (k, s));';
        const lit = (x: number | null) => (x === null ? 'NULL' : String(x));
        const rows = (t: string, rs: typeof a) => (rs.length ? `INSERT INTO ${t} VALUES ${rs.map((r) => `(${r.map(lit).join(', ')})`).join(', ')};` : '');
        const sql = `${ddl} ${rows('a', a)} ${rows('b', b)}`;
        const ours = await Database.open(':memory:');
        const oracle = new Sqlite(':memory:');
        try {
          await ours.exec(sql);
          oracle.exec(sql);
          for (const q of [
            'SELECT a.k, a.s, b.s, b.w FROM a JOIN b ON a.k = b.k ORDER BY 1, 2, 3',
            'SELECT a.k, a.s, b.s FROM a LEFT JOIN b ON a.k = b.k AND b.w > a.v ORDER BY 1, 2, 3',
            'SELECT a.k, a.s FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.k = a.k AND b.s <> a.s) ORDER BY 1, 2',
            'SELECT a.k, a.s FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.k = a.k) ORDER BY 1, 2',
            'SELECT k, count(*), sum(v), min(s) FROM a GROUP BY k',
          ]) {
            const plan = (await ours.executeSql(`EXPLAIN ${q}`)).rows.map((r) => r[0]).join('\n');
            expect(plan).toMatch(/MergeJoin|StreamAggregate/);
            expect((await ours.executeSql(q)).rows).toEqual(oracle.prepare(q).raw().all());
          }
        } finally {
          await ours.close();
          oracle.close();
        }
      }),
      { numRuns: 25 },
    );
  });
});

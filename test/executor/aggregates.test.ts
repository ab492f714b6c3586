// Differential tests of the aggregate functions (whole groups and sliding windows) against SQLite.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookupAggregate } from '../../src/executor/aggregates/registry.js';
import type { SqlType, SqlValue } from '../../src/executor/value.js';
import { normInt } from '../../src/executor/value-ops.js';
import { literal, oracle } from './oracle.js';

/** SQLite's value for agg(args) over rows given as SQL literals (each row a list of argument literals). */
function sqliteAgg(expr: string, rows: string[][]): SqlValue | { error: string } {
  const width = Math.max(1, rows[0]?.length ?? 1, ...[...expr.matchAll(/\$(\d)/g)].map((m) => Number(m[1])));
  const cols = Array.from({ length: width }, (_, i) => `column${i + 1}`);
  const body = rows.length === 0 ? `SELECT ${cols.map((c) => `NULL AS ${c}`).join(', ')} WHERE 0` : `VALUES ${rows.map((r) => `(${r.join(', ')})`).join(', ')}`;
  const sql = `SELECT ${expr.replace(/\$(\d)/g, (_m, d: string) => cols[Number(d) - 1]!)} FROM (${body})`;
  try {
    const v = (oracle.prepare(sql).raw().get() as unknown[])[0];
    return v instanceof Buffer ? new Uint8Array(v) : typeof v === 'bigint' ? normInt(v) : (v as SqlValue);
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function ourAgg(name: string, rows: string[][]): SqlValue | { error: string } {
  const fn = lookupAggregate(name)!;
  const lits = rows.map((r) => r.map(literal));
  const types: SqlType[] = lits[0]?.map((l) => l.type) ?? [];
  try {
    const st = fn.create(types.map((t, i) => (lits.every((r) => r[i]!.type === t) ? t : 'any')));
    for (const r of lits) st.step(r.map((l) => l.value));
    return st.result();
  } catch (err) {
    return { error: (err as Error).message };
  }
}

const DATA: Record<string, string[]> = {
  ints: ['1', '2', '3', 'NULL', '-4'],
  reals: ['1.5', '2.25', 'NULL', '-0.5'],
  mixed: ['1', '2.5', "'3'", "'x'", 'NULL', "x'34'"],
  allNull: ['NULL', 'NULL'],
  empty: [],
  big: ['9223372036854775807', '1', '-1'],
  overflow: ['9223372036854775807', '1'],
  overflowThenReal: ['9223372036854775807', '1', '0.5'],
  huge: ['9223372036854775807', '9223372036854775807'],
  texts: ["'b'", "'a'", "'B'", "''", 'NULL', "'10'", "'9'"],
  kahan: ['1e100', '1.0', '-1e100', '0.1', '0.2'],
};

describe('aggregates agree with SQLite', () => {
  const simple = ['count', 'sum', 'total', 'avg', 'min', 'max', 'group_concat', 'json_group_array'];
  for (const name of simple) {
    it.each(Object.keys(DATA))(`${name} over %s`, (set) => {
      const rows = DATA[set]!.map((v) => [v]);
      const want = sqliteAgg(`${name}($1)`, rows);
      const got = ourAgg(name, rows);
      expect(got).toEqual(want);
    });
  }

  it('count(*), group_concat with separators, string_agg, json_group_object', () => {
    const rows = [["'a'", "'-'"], ['NULL', "'+'"], ["'b'", 'NULL'], ["'c'", "', '"], ['1.5', "';'"]];
    expect(ourAgg('group_concat', rows)).toEqual(sqliteAgg('group_concat($1, $2)', rows));
    expect(ourAgg('string_agg', rows)).toEqual(sqliteAgg('string_agg($1, $2)', rows));
    const star = lookupAggregate('count_star')!.create();
    for (let i = 0; i < rows.length; i++) star.step([]);
    expect(star.result()).toBe(rows.length);
    const kv = [["'a'", '1'], ["'b'", "'x'"], ['NULL', '2'], ['3', 'NULL'], ["'c'", '2.5']];
    expect(ourAgg('json_group_object', kv)).toEqual(sqliteAgg('json_group_object($1, $2)', kv));
    expect(ourAgg('json_group_object', [])).toEqual(sqliteAgg('json_group_object($1, $2)', []));
  });

  it('sum of random integers and reals (exact integer sums, compensated real sums, overflow error)', () => {
    const num = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }).map(String),
      // Safe integers whose sums leave the safe range (the exact sum must go on in bigints).
      fc.constantFrom('9007199254740991', '-9007199254740991', '4503599627370497', '3'),
      // Integral REALs are indistinguishable from integers once a column mixes types (static type 'any').
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }).filter((d) => !Number.isInteger(d)).map(String),
      fc.constant('NULL'),
    );
    fc.assert(
      fc.property(fc.array(num, { maxLength: 12 }), (vals) => {
        const rows = vals.map((v) => [v]);
        for (const name of ['sum', 'total', 'avg']) expect(ourAgg(name, rows)).toEqual(sqliteAgg(`${name}($1)`, rows));
      }),
      { numRuns: 300 },
    );
  });
});

describe('grouped aggregates (the HashAggregate loops)', () => {
  /** An outcome of a thunk: its value, or its error's message. */
  const outcome = (f: () => SqlValue): SqlValue | { error: string } => {
    try {
      return f();
    } catch (err) {
      return { error: (err as Error).message };
    }
  };
  const value = fc.oneof(
    fc.integer({ min: -1000, max: 1000 }).map(String),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
    fc.constantFrom('9223372036854775807', '-9223372036854775808', '9007199254740991', '9007199254740993', '4503599627370497', '1e16', '1e300', '-0.0'),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }).map(String),
    fc.constantFrom("'7'", "'2.5'", "'x'", "''", "x'41'", 'NULL'),
  );
  // Rows of (group, value, kept by the FILTER?), fed in batches of random sizes.
  const rows = fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), value, fc.boolean()), { maxLength: 40 });

  it('answer what per-group states stepped alike answer, overflow errors included', () => {
    const names = ['count', 'count_star', 'sum', 'total', 'avg', 'min', 'max'];
    fc.assert(
      fc.property(rows, fc.integer({ min: 1, max: 7 }), (data, batch) => {
        for (const name of names) {
          const fn = lookupAggregate(name)!;
          const grouped = fn.createGrouped!();
          const states = [0, 1, 2, 3].map(() => fn.create());
          grouped.addGroups(1);
          grouped.addGroups(3);
          const vals = data.map(([, v]) => literal(v).value);
          for (let i = 0; i < data.length; i += batch) {
            const n = Math.min(batch, data.length - i);
            const groupOf = Int32Array.from({ length: n }, (_, j) => (data[i + j]![2] ? data[i + j]![0] : -1));
            grouped.update(groupOf, name === 'count_star' ? [] : [vals.slice(i, i + n)], n);
          }
          data.forEach(([g, , kept], i) => kept && states[g]!.step(name === 'count_star' ? [] : [vals[i]!]));
          for (let g = 0; g < 4; g++) expect([name, g, outcome(() => grouped.result(g))]).toEqual([name, g, outcome(() => states[g]!.result())]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('sliding windows via inverse()', () => {
  it('sum / total / avg / count / group_concat match ROWS BETWEEN 2 PRECEDING AND CURRENT ROW', () => {
    const vals = ['1', '2', 'NULL', '4.5', "'7'", '-3', '9223372036854775807', '-9223372036854775807', '5', '0.25'];
    const values = vals.map((v, i) => `(${i}, ${v})`).join(', ');
    for (const name of ['sum', 'total', 'avg', 'count', 'group_concat']) {
      const want = (oracle.prepare(`SELECT ${name}(column2) OVER (ORDER BY column1 ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM (VALUES ${values})`).raw().all() as unknown[][]).map((r) =>
        typeof r[0] === 'bigint' ? normInt(r[0]) : r[0],
      );
      const st = lookupAggregate(name)!.create(['any']);
      const got: SqlValue[] = [];
      const lits = vals.map((v) => literal(v).value);
      lits.forEach((v, i) => {
        st.step([v]);
        if (i >= 3) st.inverse!([lits[i - 3]!]);
        got.push(st.result());
      });
      expect([name, got]).toEqual([name, want]);
    }
  });
});

describe('ToonDB aggregates', () => {
  const run = (name: string, vals: SqlValue[], types: SqlType[] = ['any']): SqlValue => {
    const st = lookupAggregate(name)!.create(types);
    for (const v of vals) st.step([v]);
    return st.result();
  };
  it('bool_and, bool_or, every', () => {
    expect(run('bool_and', [1, 1, null])).toBe(1);
    expect(run('bool_and', [1, 0])).toBe(0);
    expect(run('every', ['1', 'abc'])).toBe(0);
    expect(run('bool_or', [0, null, 2])).toBe(1);
    expect(run('bool_or', [null])).toBe(null);
    expect(run('bool_and', [])).toBe(null);
  });
  it('array_agg keeps NULLs and nests JSON-typed values', () => {
    expect(run('array_agg', [1, 'x', null, 2.5])).toBe('[1,"x",null,2.5]');
    expect(run('array_agg', ['[1]'], ['json'])).toBe('[[1]]');
    expect(run('array_agg', [])).toBe(null);
    expect(run('json_group_array', [])).toBe('[]');
  });
  it('variance family', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(run('var_pop', xs)).toBeCloseTo(4, 12);
    expect(run('stddev_pop', xs)).toBeCloseTo(2, 12);
    expect(run('var_samp', xs)).toBeCloseTo(32 / 7, 12);
    expect(run('stddev', xs)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(run('variance', [1])).toBe(null);
    expect(run('var_pop', [null, 3])).toBe(0);
    const st = lookupAggregate('var_pop')!.create();
    for (const x of [1, 2, 3, 10]) st.step([x]);
    st.inverse!([1]);
    expect(st.result()).toBeCloseTo(run('var_pop', [2, 3, 10]) as number, 12);
  });
  it('registry: names, arity, result types', () => {
    expect(lookupAggregate('SUM')?.name).toBe('sum');
    expect(lookupAggregate('sum')!.returnType(['integer'])).toBe('integer');
    expect(lookupAggregate('sum')!.returnType(['real'])).toBe('real');
    expect(lookupAggregate('avg')!.returnType(['integer'])).toBe('real');
    expect(lookupAggregate('max')!.returnType(['text'])).toBe('text');
    expect(lookupAggregate('nope')).toBeUndefined();
  });
});

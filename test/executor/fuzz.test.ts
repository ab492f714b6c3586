// Randomised differential tests against SQLite: dates with modifiers, LIKE/GLOB, substr, printf, numeric text.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callScalar } from '../../src/executor/functions/registry.js';
import type { SqlValue } from '../../src/executor/value.js';
import * as V from '../../src/executor/value-ops.js';
import { oracle } from './oracle.js';

/** Runs `SELECT <sql>` with bound parameters on SQLite, integers folded like ours, errors as {error}. */
function sqlite(sql: string, params: unknown[]): SqlValue | { error: string } {
  try {
    const v = (oracle.prepare(`SELECT ${sql}`).raw().get(...params) as unknown[])[0];
    return v instanceof Buffer ? new Uint8Array(v) : typeof v === 'bigint' ? V.normInt(v) : (v as SqlValue);
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function ours(fn: () => SqlValue): SqlValue | { error: string } {
  try {
    return fn();
  } catch (err) {
    return { error: (err as Error).message };
  }
}

const two = (n: number): string => String(n).padStart(2, '0');

const dateText = fc
  .record({
    y: fc.integer({ min: 0, max: 9999 }),
    mo: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
    h: fc.integer({ min: 0, max: 23 }),
    mi: fc.integer({ min: 0, max: 59 }),
    s: fc.integer({ min: 0, max: 59 }),
    ms: fc.integer({ min: 0, max: 999 }),
    form: fc.integer({ min: 0, max: 5 }),
  })
  .map(({ y, mo, d, h, mi, s, ms, form }) => {
    const date = `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}`;
    switch (form) {
      case 0:
        return date;
      case 1:
        return `${date} ${two(h)}:${two(mi)}`;
      case 2:
        return `${date}T${two(h)}:${two(mi)}:${two(s)}`;
      case 3:
        return `${date} ${two(h)}:${two(mi)}:${two(s)}.${String(ms).padStart(3, '0')}`;
      case 4:
        return `${date} ${two(h)}:${two(mi)}:${two(s)}${mi % 2 ? '+' : '-'}${two(h % 14)}:${two(s)}`;
      default:
        return `${two(h)}:${two(mi)}:${two(s)}`;
    }
  });

const modifier = fc.oneof(
  fc.tuple(fc.double({ min: -400, max: 400, noNaN: true }), fc.constantFrom('days', 'hours', 'minutes', 'seconds', 'months', 'years', 'day', 'month', 'year')).map(([n, u]) => `${n >= 0 ? '+' : ''}${Math.round(n * 4) / 4} ${u}`),
  fc.integer({ min: -30, max: 30 }).map((n) => `${n >= 0 ? '+' : ''}${n} months`),
  fc.constantFrom('start of month', 'start of year', 'start of day', 'weekday 0', 'weekday 3', 'weekday 6', 'subsec', 'floor', 'ceiling', 'localtime', 'utc'),
  fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.boolean()).map(([h, m, neg]) => `${neg ? '-' : '+'}${two(h)}:${two(m)}`),
  fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 30 }), fc.boolean()).map(([y, m, d, neg]) => `${neg ? '-' : '+'}${String(y).padStart(4, '0')}-${two(m)}-${two(d)}`),
);

describe('fuzzed date/time functions', () => {
  it('datetime/julianday/unixepoch with random inputs and modifiers', () => {
    fc.assert(
      fc.property(dateText, fc.array(modifier, { maxLength: 3 }), fc.constantFrom('datetime', 'date', 'time', 'julianday', 'unixepoch'), (d, mods, fn) => {
        const args = [d, ...mods];
        const want = sqlite(`${fn}(${args.map(() => '?').join(', ')})`, args);
        expect([fn, args, ours(() => callScalar(fn, args))]).toEqual([fn, args, want]);
      }),
      { numRuns: 4000 },
    );
  });

  it('strftime with every conversion on random dates', () => {
    const fmt = '%d %e %f %F %G %g %H %k %I %l %j %J %m %M %p %P %R %s %S %T %u %w %U %V %W %Y %%';
    fc.assert(
      fc.property(dateText, fc.array(modifier, { maxLength: 2 }), (d, mods) => {
        const args = [fmt, d, ...mods];
        const want = sqlite(`strftime(${args.map(() => '?').join(', ')})`, args);
        expect([args, ours(() => callScalar('strftime', args))]).toEqual([args, want]);
      }),
      { numRuns: 2000 },
    );
  });

  it('julian day and unix-epoch numbers as time values', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 6e6, noNaN: true }), fc.constantFrom([], ['unixepoch'], ['auto'], ['julianday'], ['unixepoch', 'subsec']), (n, mods) => {
        const args: SqlValue[] = [n, ...mods];
        const want = sqlite(`datetime(${args.map(() => '?').join(', ')})`, args);
        expect([args, ours(() => callScalar('datetime', args, ['real', ...mods.map(() => 'text' as const)]))]).toEqual([args, want]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('fuzzed patterns', () => {
  const alphabet = fc.constantFrom('a', 'b', 'A', '%', '_', 'é', '😀', '\\', '[', ']', '^', '-', '*', '?', 'x');
  const word = fc.array(alphabet, { maxLength: 7 }).map((a) => a.join(''));
  it('LIKE (with and without ESCAPE) agrees with SQLite', () => {
    fc.assert(
      fc.property(word, word, fc.option(fc.constantFrom('\\', 'x', '%', '_'), { nil: undefined }), (text, pattern, esc) => {
        const want = esc === undefined ? sqlite('? LIKE ?', [text, pattern]) : sqlite('? LIKE ? ESCAPE ?', [text, pattern, esc]);
        const got = ours(() => V.truthToValue(V.likeMatch(pattern, text, esc)));
        expect([text, pattern, esc, got]).toEqual([text, pattern, esc, want]);
      }),
      { numRuns: 5000 },
    );
  });

  it('GLOB agrees with SQLite', () => {
    fc.assert(
      fc.property(word, word, (text, pattern) => {
        expect([text, pattern, V.truthToValue(V.globMatch(pattern, text))]).toEqual([text, pattern, sqlite('? GLOB ?', [text, pattern])]);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('fuzzed conversions', () => {
  const numericText = fc
    .array(fc.constantFrom('0', '1', '9', '.', 'e', 'E', '-', '+', ' ', 'x', '5', '00', '12', '\t'), { maxLength: 8 })
    .map((a) => a.join(''));
  it('text operands in arithmetic, CAST and comparison affinity', () => {
    fc.assert(
      fc.property(numericText, fc.constantFrom('+ 1', '* 1', '- 0.5', '/ 2', '% 3'), (s, rest) => {
        const [o, n] = rest.split(' ') as [V.ArithOp, string];
        const rhs = n.includes('.') ? Number(n) : Number(n);
        const want = sqlite(`? ${o} ${n}`, [s]);
        const got = V.arith(o, s, rhs, 'text', n.includes('.') ? 'real' : 'integer');
        expect([s, o, n, got]).toEqual([s, o, n, want]);
        for (const t of ['INTEGER', 'REAL', 'NUMERIC']) {
          expect([s, t, V.castValue(s, t, 'text')]).toEqual([s, t, sqlite(`CAST(? AS ${t})`, [s])]);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('substr with random positions', () => {
    fc.assert(
      fc.property(fc.constantFrom('hello', '😀b😀d', '', 'ab'), fc.integer({ min: -8, max: 8 }), fc.option(fc.integer({ min: -8, max: 8 }), { nil: undefined }), (s, a, b) => {
        const args: SqlValue[] = b === undefined ? [s, a] : [s, a, b];
        expect([args, callScalar('substr', args)]).toEqual([args, sqlite(`substr(${args.map(() => '?').join(', ')})`, args.map((x) => (typeof x === 'number' ? BigInt(x) : x)))]);
      }),
      { numRuns: 2000 },
    );
  });

  it('printf integer conversions with random flags', () => {
    const flags = fc.array(fc.constantFrom('-', '+', ' ', '0', '#', ','), { maxLength: 3 }).map((a) => a.join(''));
    fc.assert(
      fc.property(flags, fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }), fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }), fc.constantFrom('d', 'i', 'u', 'x', 'X', 'o', 'r'), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (fl, w, p, c, v) => {
        const fmt = `%${fl}${w ?? ''}${p === undefined ? '' : '.' + p}${c}`;
        expect([fmt, v, callScalar('printf', [fmt, V.normInt(v)])]).toEqual([fmt, v, sqlite('printf(?, ?)', [fmt, v])]);
      }),
      { numRuns: 3000 },
    );
  });
});

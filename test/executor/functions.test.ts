// Differential tests of the scalar function library against SQLite, plus checks of the Postgres-flavoured extras.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callScalar, lookupScalar } from '../../src/executor/functions/registry.js';
import { addInterval, addIntervalText, dateTrunc, extractField, parseInterval } from '../../src/executor/functions/datetime-pg.js';
import { currentTime } from '../../src/executor/functions/datetime.js';
import { pinNow } from '../../src/executor/functions/datetime-core.js';
import { diff, f, fa, oracle, q, type Spec } from './oracle.js';

function mismatches(specs: readonly Spec[]): string[] {
  return specs.map(diff).filter((d): d is string => d !== null);
}

/** Every combination of the argument lists, as calls of fn. */
function grid(fn: string, ...lists: string[][]): Spec[] {
  let combos: string[][] = [[]];
  for (const l of lists) combos = combos.flatMap((c) => l.map((x) => [...c, x]));
  return combos.map((args) => f(fn, ...args));
}

const TEXTS = [q('hello'), q(''), q('Héllo Wörld'), q('😀a😀'), q('  pad  '), 'NULL', '123', '1.5', '-0.0', "x'414243'"];

describe('string functions', () => {
  it('length, octet_length, lower, upper, hex, quote, typeof, unicode', () => {
    const specs = ['length', 'octet_length', 'lower', 'upper', 'hex', 'quote', 'typeof', 'unicode'].flatMap((fn) =>
      [...TEXTS, '1e20', '9223372036854775807', '0.1', "x''", q("it's"), q('ÀÉ'), '1e999', '-1e999'].map((a) => f(fn, a)),
    );
    expect(mismatches(specs)).toEqual([]);
  });

  it('substr / substring with every sign of start and length', () => {
    const starts = ['0', '1', '2', '5', '6', '-1', '-2', '-5', '-6', '-10', 'NULL', '2.7', q('2')];
    const lens = ['0', '1', '2', '-1', '-2', '-3', '10', 'NULL'];
    const specs = [
      ...grid('substr', [q('hello'), q('😀bc😀'), "x'0102030405'", '12345', 'NULL'], starts),
      ...grid('substr', [q('hello'), "x'0102030405'"], starts, lens),
      ...grid('substring', [q('hello')], ['2', '-3'], ['2', '-2']),
    ];
    expect(mismatches(specs)).toEqual([]);
  });

  it('trim, ltrim, rtrim with and without character sets', () => {
    const strs = [q('  a b  '), q('xxaxx'), q('😀a😀'), q(''), 'NULL', '12311', q('\tx\t')];
    const sets = [q('x'), q('xa'), q('😀'), q(''), 'NULL', '1', q(' \t')];
    const specs = [...['trim', 'ltrim', 'rtrim'].flatMap((fn) => [...grid(fn, strs), ...grid(fn, strs, sets)])];
    expect(mismatches(specs)).toEqual([]);
  });

  it('replace, instr, char, unhex, concat, concat_ws, soundex, unistr', () => {
    const specs = [
      ...grid('replace', [q('hello world'), q('aaa'), q(''), 'NULL', '12312'], [q('o'), q('aa'), q(''), 'NULL', '1'], [q('0'), q(''), q('$&'), 'NULL']),
      ...grid('instr', [q('hello'), q('😀a😀b'), "x'010203'", 'NULL', '12345', q('')], [q('l'), q('b'), q(''), "x'0203'", 'NULL', '34', q('zz')]),
      f('char', '72', '105'), f('char'), f('char', '128512', '-1', '1114112', 'NULL', '65.7'), f('char', q('66')),
      ...grid('unhex', [q('414243'), q('41 42'), q('4'), q('zz'), q(''), 'NULL', q('41-42'), q('4-1')]),
      ...grid('unhex', [q('41 42'), q('41-42'), q('4 1')], [q(' '), q('-'), q(''), 'NULL']),
      f('concat', q('a'), 'NULL', '1', '2.5'), f('concat', 'NULL'), f('concat', "x'41'", q('b')),
      f('concat_ws', q('-'), q('a'), 'NULL', q('b')), f('concat_ws', 'NULL', q('a')), f('concat_ws', q(', '), '1', '2', '3'),
      ...grid('soundex', [q('Robert'), q('Rupert'), q('Tymczak'), q('Pfister'), q(''), 'NULL', q('123'), q('Ashcraft')]),
      ...grid('unistr', [q('a\\0041b'), q('\\u00e9'), q('\\+01F600'), q('\\U0001F600'), q('\\\\'), q('plain'), 'NULL']),
      f('unistr', q('\\x')), f('concat'), f('replace', q('a'), q('b')),
    ];
    expect(mismatches(specs)).toEqual([]);
  });

  it('zeroblob, like(), glob(), nullif, coalesce, ifnull, iif, if, min/max scalar', () => {
    const specs = [
      f('zeroblob', '3'), f('zeroblob', '0'), f('zeroblob', '-5'), f('zeroblob', 'NULL'),
      f('like', q('a%'), q('ABC')), f('like', q('a!%'), q('a%'), q('!')), f('glob', q('a*'), q('ABC')), f('glob', q('[0-9]*'), q('42x')),
      ...grid('nullif', ['1', '1.0', q('1'), 'NULL', q('a')], ['1', q('1'), 'NULL', q('a')]),
      f('coalesce', 'NULL', 'NULL', '3', '4'), f('coalesce', 'NULL', 'NULL'), f('ifnull', 'NULL', q('x')), f('ifnull', '0', '1'),
      f('iif', '1', q('y'), q('n')), f('iif', '0', q('y'), q('n')), f('iif', 'NULL', q('y'), q('n')), f('iif', q('0.5'), '1', '2'),
      f('iif', '0', '1', '0', '2', '3'), f('iif', '0', '1', '1', '2', '3'), f('iif', '0', '1'), f('if', '1', '2'),
      f('max', '1', '2', '3'), f('max', '1', 'NULL', '3'), f('min', '3', '1.5', '2'), f('max', '1', q('a'), "x'00'"), f('min', '1', q('a')),
      f('max', q('b'), q('B'), q('a')), f('min', '1', '1.0'), f('max', '1.0', '1'), f('coalesce', '1'),
    ];
    expect(mismatches(specs)).toEqual([]);
  });

  it('printf / format', () => {
    const cases: string[][] = [
      [q('%d|%i|%u'), '42', '-42', '-1'], [q('%5d|%-5d|%05d|%+d|% d'), '42', '42', '42', '42', '42'], [q('%x|%X|%o|%#x|%#X|%#o'), '255', '255', '8', '255', '255', '8'],
      [q('%,d|%,d'), '1234567', '-1234567'], [q('%.3d|%8.3d'), '5', '5'], [q('%d'), q('12abc')], [q('%d'), '3.99'], [q('%d'), '1e20'], [q('%d'), 'NULL'],
      [q('%f|%.2f|%.0f|%10.3f|%-10.1f|'), '3.14159', '2.675', '2.5', '-1.5', '0.05'], [q('%e|%.2e|%E|%+.3e'), '12345.678', '0', '1e-10', '12345'],
      [q('%g|%g|%g|%g|%G'), '100000', '1000000', '0.0001', '0.00001', '1e-10'], [q('%.3g|%#g|%.10g'), '3.14159', '1.0', '0.1'],
      [q('%!.20g|%!.3f|%.20f'), '0.1', '2.5', '0.1'], [q('%.50f'), '1.0'], [q('%f'), '1e300'], [q('%f|%e|%g'), '1e999', '-1e999', '1e999'],
      [q('%s|%10s|%-10s|%.2s'), q('abc'), q('abc'), q('abc'), q('abc')], [q('%s %s %s'), '1', '1.5', 'NULL'], [q('%s'), '0.1'], [q('%s'), "x'4142'"],
      [q('%q|%Q|%Q|%w'), q("it's"), q("it's"), 'NULL', q('a"b')], [q('%c|%5c|%.3c|%-3c|'), q('xyz'), q('a'), q('b'), q('c')],
      [q('%%|%n|%'), '1'], [q('%r %r %r %r %r %r'), '1', '2', '3', '4', '11', '22'], [q('%*d|%-*d|%.*f'), '5', '3', '4', '7', '2', '3.14159'],
      [q('%y')], [q('a%y')], [q('')], [q('%5')], [q('%s')], [q('%d %d'), '1'], ['NULL', '1'], [q('%lld|%ld'), '5', '6'],
      [q('%08.3f|%+08d|%-08d|'), '-3.14159', '42', '42'], [q('%.3s|'), q('ééééé')], [q('%!.3s|%5s|%!5s|'), q('ééééé'), q('é'), q('é')],
      [q('%p|%#.0f|%.1f|%.1f'), '255', '3', '0.15', '0.25'], [q('%10.4e|%-10g|'), '3.14159', '1.5'],
    ];
    const specs = cases.map((a) => f('printf', ...a));
    specs.push(f('format', q('%d-%s'), '7', q('x')));
    expect(mismatches(specs)).toEqual([]);
  });

  it('printf %f/%e/%g of random doubles matches SQLite', () => {
    const stmt = oracle.prepare('SELECT printf(?, ?)');
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.constantFrom('%f', '%.2f', '%.0f', '%e', '%.3e', '%g', '%.12g', '%!.15g', '%.20f', '%!.20e'), (d, fmt) => {
        const want = (stmt.raw().get(fmt, d) as [string])[0];
        expect(callScalar('printf', [fmt, d], ['text', 'real'])).toBe(want);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('math functions', () => {
  const X = ['0', '1', '-1', '2', '0.5', '-0.5', '2.5', '-2.5', '10', '100', '1e10', '-7', '9223372036854775807', '-9223372036854775808', '1e300', q('4'), q('4x'), q(' 9 '), q('abc'), 'NULL', "x'34'", '3.0'];
  it('abs, sign, ceil, ceiling, floor, trunc, round(x)', () => {
    const specs = ['abs', 'sign', 'ceil', 'ceiling', 'floor', 'trunc', 'round'].flatMap((fn) => grid(fn, X));
    expect(mismatches(specs)).toEqual([]);
  });

  it('round(x, n) with SQLite rounding of halves', () => {
    const xs = ['2.675', '1.005', '0.125', '-0.125', '2.5', '-2.5', '0.49999999999999994', '1.45', '1234.5678', '-1234.5678', '1e20', '4503599627370497.0', q('1.25'), 'NULL', '123', '0.285', '1.0000000000000002'];
    const ns = ['0', '1', '2', '3', '-1', '40', 'NULL', '1.9', q('2')];
    expect(mismatches(grid('round', xs, ns))).toEqual([]);
  });

  it('round() of random doubles', () => {
    const stmt = oracle.prepare('SELECT round(?, ?)');
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 8 }), (d, n) => {
        const want = (stmt.raw().get(d, BigInt(n)) as [number])[0];
        expect(callScalar('round', [d, n], ['real', 'integer'])).toBe(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('logarithms, powers, trigonometry (libm tolerance)', () => {
    const fns1 = ['ln', 'log', 'log10', 'log2', 'exp', 'sqrt', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'radians', 'degrees'];
    const specs: Spec[] = [];
    for (const fn of fns1) for (const x of X) specs.push({ ...fa(fn, x) });
    for (const fn of ['pow', 'power', 'atan2', 'mod', 'log']) for (const x of ['2', '-2', '0', '0.5', '10', q('3'), 'NULL', '1', q('8x')]) for (const y of ['3', '-1', '0', '0.5', '100', 'NULL', q('2')]) specs.push(fa(fn, x, y));
    specs.push(fa('pi'));
    expect(mismatches(specs)).toEqual([]);
  });
});

describe('date and time functions', () => {
  const times = [
    q('2024-02-29 13:45:30.123'), q('2024-02-29'), q('2023-02-31'), q('2000-01-01T00:00:00'), q('1970-01-01 00:00:00Z'), q('2024-06-15 23:59:59.9999'),
    q('2024-06-15 10:00:00+05:30'), q('2024-06-15 10:00:00 -08:00'), q('12:34'), q('12:34:56.789'), q('0000-01-01'), q('9999-12-31 23:59:59'),
    q('-0044-03-15'), '2460000.5', '2460000', '0', q('2460000.25'), q('garbage'), 'NULL', q('2024-13-01'), q('2024-01-01 24:00'), q('2024-1-1'),
    q('2024-06-15T10:20'), q('  2024-06-15'), q('2024-06-15   10:20:30'), '1700000000', q('2024-06-15 10:20:30.5Z'), q('2021-01-03'), q('2020-12-31 12:00'),
  ];
  it('date, time, datetime, julianday, unixepoch on many input forms', () => {
    const specs = ['date', 'time', 'datetime', 'julianday', 'unixepoch'].flatMap((fn) => grid(fn, times));
    expect(mismatches(specs)).toEqual([]);
  });

  it('every strftime conversion on fixed dates', () => {
    const codes = ['%d', '%e', '%f', '%F', '%G', '%g', '%H', '%k', '%I', '%l', '%j', '%J', '%m', '%M', '%p', '%P', '%R', '%s', '%S', '%T', '%u', '%w', '%U', '%V', '%W', '%Y', '%%', '%Q', 'x%', 'plain', '%Y-%m-%dT%H:%M:%fZ'];
    const dates = [q('2024-02-29 13:45:30.123'), q('2021-01-03 00:05:09'), q('2020-12-31 23:59:59.999'), q('2019-12-30'), q('2027-01-01 12:00'), q('1999-01-01'), q('2018-12-31'), q('0001-01-01'), '2451545.0'];
    const specs = grid('strftime', codes.map(q), dates);
    specs.push(f('strftime', 'NULL', q('2024-01-01')), f('strftime', q('%s'), q('2024-01-01 00:00:00.250'), q('subsec')));
    expect(mismatches(specs)).toEqual([]);
  });

  it('modifiers', () => {
    const base = q('2024-01-31 10:30:45.250');
    const mods = [
      '+1 day', '-1 days', '+1.5 days', '+36 hours', '-90 minutes', '+30.5 seconds', '+1 month', '-1 month', '+13 months', '+1 year', '-1 years', '+0.5 month',
      'start of month', 'start of year', 'start of day', 'start of week', 'weekday 0', 'weekday 1', 'weekday 3', 'weekday 7', 'weekday 1.5',
      'localtime', 'utc', 'subsec', 'subsecond', 'ceiling', 'floor', '+01:30', '-00:00:30.5', '+1-02-03', '-0001-01-01', '+0001-00-00 12:00', '+5 years',
      '+10 fortnights', 'bogus', '+', '1 day', '+1 DAY', '+2 Hours', 'START OF MONTH', '+1-13-00', '+00001-01-00', '+1 month', 'auto', 'unixepoch', 'julianday',
    ];
    const specs: Spec[] = [];
    for (const m of mods) {
      for (const fn of ['datetime', 'date']) specs.push(f(fn, base, q(m)));
    }
    specs.push(
      f('datetime', q('2024-01-31'), q('+1 month'), q('floor')), f('datetime', q('2024-03-31'), q('-1 month'), q('floor')), f('datetime', q('2024-03-31'), q('-1 month'), q('ceiling')),
      f('datetime', q('2023-01-29'), q('+1 month'), q('floor')), f('datetime', q('2024-02-29'), q('+1 year')), f('datetime', q('2024-02-29'), q('+1 year'), q('floor')),
      f('datetime', '1700000000', q('unixepoch')), f('datetime', '1700000000.5', q('unixepoch'), q('subsec')), f('datetime', '1700000000', q('auto')), f('datetime', '2460000.5', q('auto')),
      f('datetime', '2460000.5', q('julianday')), f('datetime', q('2024-01-01'), q('unixepoch')), f('datetime', '1700000000', q('+1 day'), q('unixepoch')),
      f('unixepoch', q('2024-06-15 10:20:30.25'), q('subsec')), f('time', q('10:20:30.25'), q('subsec')), f('datetime', q('2024-06-15'), q('weekday 0'), q('start of month'), q('+7 days')),
      f('datetime', q('2024-06-15 10:00:00+02:00'), q('utc')), f('datetime', q('2024-06-15 10:00'), q('localtime'), q('utc')), f('datetime', '-1', q('unixepoch')),
      f('datetime', q('9999-12-31'), q('+1 day')), f('date', q('0000-01-01'), q('-1 day')), f('datetime', q('2024-06-15'), 'NULL'), f('date', q('2024-06-15'), '5'),
      f('datetime', q('2024-06-15'), q('+1 month'), q('-1 month')), f('julianday', q('2024-06-15'), q('+12:00')), f('date', '2460000.5', q('start of year')),
    );
    expect(mismatches(specs)).toEqual([]);
  });

  it('timediff', () => {
    const ds = [q('2024-03-01'), q('2024-01-31 12:00'), q('2023-03-01 00:00:00.5'), q('2024-02-29 23:59:59'), 'NULL', q('bad'), '2460000.5'];
    expect(mismatches(grid('timediff', ds, ds))).toEqual([]);
  });

  it("'now', current_* and pinned statement time", () => {
    pinNow(Date.UTC(2024, 5, 15, 10, 20, 30, 456));
    try {
      expect(callScalar('datetime', ['now'])).toBe('2024-06-15 10:20:30');
      expect(callScalar('datetime', ['now', 'subsec'])).toBe('2024-06-15 10:20:30.456');
      expect(callScalar('date', [])).toBe('2024-06-15');
      expect(callScalar('current_time', [])).toBe('10:20:30');
      expect(callScalar('now', [])).toBe('2024-06-15 10:20:30');
      expect(callScalar('unixepoch', ['now'])).toBe(1718446830);
    } finally {
      pinNow(null);
    }
    const now = callScalar('datetime', ['now']) as string;
    expect(now).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(Math.abs(Date.parse(now.replace(' ', 'T') + 'Z') - Date.now())).toBeLessThan(5000);
    const d = new Date(Date.UTC(2001, 1, 3, 4, 5, 6));
    expect(currentTime('CURRENT_DATE', d)).toBe('2001-02-03');
    expect(currentTime('CURRENT_TIME', d)).toBe('04:05:06');
    expect(currentTime('CURRENT_TIMESTAMP', d)).toBe('2001-02-03 04:05:06');
    expect(lookupScalar('date')!.deterministic).toBe(false);
  });
});

describe('Postgres-flavoured date/time helpers', () => {
  it('extract / date_part fields', () => {
    const t = '2024-02-29 13:45:30.25';
    const expected: Record<string, number> = {
      year: 2024, month: 2, day: 29, hour: 13, minute: 45, second: 30.25, milliseconds: 30250, microseconds: 30250000, dow: 4, isodow: 4,
      doy: 60, week: 9, isoyear: 2024, quarter: 1, decade: 202, century: 21, millennium: 3, epoch: 1709214330.25, timezone: 0,
    };
    for (const [field, v] of Object.entries(expected)) expect([field, extractField(field, t)]).toEqual([field, v]);
    expect(extractField('week', '2021-01-03')).toBe(53);
    expect(extractField('isoyear', '2021-01-03')).toBe(2020);
    expect(extractField('dow', '2021-01-03')).toBe(0);
    expect(extractField('isodow', '2021-01-03')).toBe(7);
    expect(extractField('julian', '2000-01-01')).toBe(2451545);
    expect(extractField('year', null)).toBe(null);
    expect(() => extractField('fortnight', t)).toThrow('unsupported EXTRACT field');
    expect(callScalar('date_part', ['month', '2024-07-04'])).toBe(7);
  });

  it('date_trunc', () => {
    const t = '2024-08-14 13:45:30.250';
    expect(dateTrunc('second', t)).toBe('2024-08-14 13:45:30');
    expect(dateTrunc('minute', t)).toBe('2024-08-14 13:45:00');
    expect(dateTrunc('hour', t)).toBe('2024-08-14 13:00:00');
    expect(dateTrunc('day', t)).toBe('2024-08-14 00:00:00');
    expect(dateTrunc('week', t)).toBe('2024-08-12 00:00:00');
    expect(dateTrunc('month', t)).toBe('2024-08-01 00:00:00');
    expect(dateTrunc('quarter', t)).toBe('2024-07-01 00:00:00');
    expect(dateTrunc('year', t)).toBe('2024-01-01 00:00:00');
    expect(dateTrunc('decade', t)).toBe('2020-01-01 00:00:00');
    expect(dateTrunc('century', t)).toBe('2001-01-01 00:00:00');
    expect(dateTrunc('millennium', t)).toBe('2001-01-01 00:00:00');
    expect(dateTrunc('milliseconds', t)).toBe('2024-08-14 13:45:30.250');
    expect(dateTrunc('MONTHS', t)).toBe('2024-08-01 00:00:00');
    expect(dateTrunc('day', 'nope')).toBe(null);
    expect(() => dateTrunc('fortnight', t)).toThrow();
  });

  it('interval arithmetic', () => {
    expect(addInterval('2024-01-31', 1, 'month')).toBe('2024-02-29');
    expect(addInterval('2023-01-31', 1, 'months')).toBe('2023-02-28');
    expect(addInterval('2024-01-01', 3, 'days')).toBe('2024-01-04');
    expect(addInterval('2024-01-01', 2, 'hours')).toBe('2024-01-01 02:00:00');
    expect(addInterval('2024-01-01 10:00:00', -90, 'min')).toBe('2024-01-01 08:30:00');
    expect(addInterval('2024-01-01 10:00:00', 1.5, 'seconds')).toBe('2024-01-01 10:00:01.500');
    expect(addInterval('2024-02-29', 1, 'year')).toBe('2025-02-28');
    expect(addInterval('2024-02-29', 2, 'weeks')).toBe('2024-03-14');
    expect(addInterval('2024-01-01', 1, 'day', 'timestamp')).toBe('2024-01-02 00:00:00');
    expect(addInterval(null, 1, 'day')).toBe(null);
    expect(() => addInterval('2024-01-01', 1, 'parsec')).toThrow('unknown interval unit');
    expect(parseInterval('1 year 2 months -3 days 04:05:06')).toEqual([
      { amount: 1, unit: 'year' }, { amount: 2, unit: 'months' }, { amount: -3, unit: 'days' }, { amount: 14706000, unit: 'ms' },
    ]);
    expect(addIntervalText('2024-01-31', '1 month 1 day')).toBe('2024-03-01');
    expect(addIntervalText('2024-03-01 00:00:00', '1 day', -1)).toBe('2024-02-29 00:00:00');
    expect(() => parseInterval('three days')).toThrow('invalid interval');
  });

  it('age and make_date', () => {
    expect(callScalar('age', ['2024-03-15 12:00:00', '2023-01-10'])).toBe('1 year 2 mons 5 days 12:00:00');
    expect(callScalar('age', ['2023-01-10', '2024-03-15'])).toBe('-1 year -2 mons -5 days');
    expect(callScalar('make_date', [2024, 2, 29])).toBe('2024-02-29');
    expect(() => callScalar('make_date', [2023, 2, 29])).toThrow('out of range');
  });
});

describe('JSON functions', () => {
  const docs = [
    '{"a":1,"b":[1,2,{"c":"x"}],"d":{"e":null,"f":true},"g":1.50,"h":"\\u00e9\\n","a b":2,"":3}',
    '[1,2.5,"three",[4],{"five":5},null,false,-0,-0.0,1E2,123456789012345678901]',
    '"just text"', '42', 'null', ' { "sp" : [ 1 , 2 ] } ',
  ].map(q);
  const paths = ['$', '$.a', '$.b', '$.b[0]', '$.b[2].c', '$.b[#-1]', '$.b[#]', '$.d', '$.d.e', '$.d.f', '$.g', '$.h', '$."a b"', '$.""', '$.zz', '$[0]', '$[1]', '$[2]', '$[3][0]', '$[4].five', '$[5]', '$[6]', '$[7]', '$[8]', '$[9]', '$[10]', '$[#-1]', '$[99]', '$.sp[1]'].map(q);
  it('json_extract, json_type, json_array_length, -> and ->> over documents and paths', () => {
    const specs = [...grid('json_extract', docs, paths), ...grid('json_type', docs, paths), ...grid('json_array_length', docs, paths), ...grid('json_type', docs), ...grid('json_array_length', docs)];
    expect(mismatches(specs)).toEqual([]);
  });

  it('-> and ->> with keys, paths and (negative) indexes', () => {
    const bad: string[] = [];
    const doc = '{"a":{"b":[10,20,{"c":"x"}]},"n":5,"s":"str","1":"one"}';
    const arr = '[1,[2,3],"x",null,true]';
    const rights = ["'a'", "'$.a.b[1]'", "'$.a.b[#-1].c'", "'n'", "'s'", "'1'", "'zz'", "'$.zz'", '1', '0', '-1', '-2', '9', 'NULL'];
    for (const [src, left] of [[doc, q(doc)], [arr, q(arr)]] as const) {
      for (const r of rights) {
        for (const [o, fn] of [['->', 'json_arrow'], ['->>', 'json_arrow2']] as const) {
          const want = (oracle.prepare(`SELECT ${left} ${o} ${r}`).raw().get() as [unknown])[0];
          const rv = r === 'NULL' ? null : r.startsWith("'") ? r.slice(1, -1) : Number(r);
          const got = callScalar(fn, [src, rv], ['text', typeof rv === 'number' ? 'integer' : 'text']);
          const norm = typeof want === 'bigint' ? Number(want) : want;
          if (got !== norm) bad.push(`${src} ${o} ${r}: ours ${String(got)}, SQLite ${String(want)}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('json() minification, JSON5 input and errors; json_valid', () => {
    const inputs = [
      '[1.50, 1e2, -0, 0x1F, .5, 5., +3, Infinity, -Infinity, NaN]', '{a:1, "b":"x\\u0041", c:[1,2,],}', '"\\x41\\v\\0"', "{'a':'x\"y'}", '1e400',
      '123456789012345678901234', ' [ 1 , { "x" : [ ] } ] ', '[1,2] // c', '/*x*/[1]', '{"a":1,"a":2}', '[1,2', '', '  ', '{"a"}', '[01]', '[1.]', '[.1]', '"a\tb"',
      '"\\u00e9"', '{"\\u0061":1}', 'tru', 'true', 'nulls', '[-]', '{$a_1:1}', '"\\q"', "'it\\'s'", '[1,]', '{,}', '[Infinity, -NaN]', '"line\\\ncont"', '{"a":1 /* c */ , b : 2}', '[1,\u00a02]', "['a\\'b']",
      ...['5.e3', '-0x1F', '+0x1F', '-.5', '+.5e1', '0X1f', '-inf', '+INF', 'nan', 'QNaN', '00', '-01', '1e', '1.5.2', '1e+5', '-0.0e-0', '0x', '.e1', '+', 'infinit', 'Infinityx'],
    ];
    const specs = [...inputs.flatMap((s) => [f('json', q(s)), f('json_valid', q(s)), f('json_valid', q(s), '2'), f('json_valid', q(s), '3')])];
    specs.push(f('json', 'NULL'), f('json', '1'), f('json', '1.5'), f('json_valid', 'NULL'), f('json_valid', '1'), f('json_valid', '1.5'), f('json_quote', "x'00'"));
    expect(mismatches(specs)).toEqual([]);
  });

  it('json_array, json_object, json_quote and subtype-like nesting via static type json', () => {
    const specs = [
      f('json_array', '1', '2.5', q('x'), 'NULL', '1.0', '1e20', '0.1', '-0.0', '1e999', '9223372036854775807'), f('json_array'),
      f('json_object', q('a'), '1', q('b'), q('x"y'), q('c'), 'NULL'), f('json_object'), f('json_object', q('a')), f('json_object', '1', '2'),
      ...grid('json_quote', [q('a"b\\c'), q('tab\there'), q('\u0001'), '1', '1.5', 'NULL', q('é😀'), '1.0']),
    ];
    expect(mismatches(specs)).toEqual([]);
    expect(callScalar('json_array', ['[1]', '[1]'], ['json', 'text'])).toBe('[[1],"[1]"]');
    expect(callScalar('json_object', ['k', '{"x":1}'], ['text', 'json'])).toBe('{"k":{"x":1}}');
    expect(callScalar('json_array', [1], ['boolean'])).toBe('[true]');
  });

  it('json_set / json_insert / json_replace / json_remove / json_patch', () => {
    const d = q('{"a":1,"b":[1,2],"c":{"d":4}}');
    const specs = [
      f('json_set', d, q('$.a'), '9'), f('json_set', d, q('$.z'), q('new')), f('json_set', d, q('$.b[#]'), '3'), f('json_set', d, q('$.b[1]'), 'NULL'),
      f('json_set', d, q('$.b[5]'), '1'), f('json_set', d, q('$.b[2]'), '1'), f('json_set', d, q('$.c.d.e'), '1'), f('json_set', d, q('$.x.y[#].z'), '1.5'), f('json_set', d, q('$.x[0]'), '1'),
      f('json_set', d, q('$'), '2'), f('json_set', d, q('$.b[#-1]'), '7'), f('json_set', d, q('$.b[#-3]'), '7'), f('json_set', d, q('$.a')),
      f('json_insert', d, q('$.a'), '9'), f('json_insert', d, q('$.z'), '9'), f('json_insert', d, q('$.b[#]'), '9'), f('json_insert', d, q('$'), '1'),
      f('json_replace', d, q('$.a'), q('x'), q('$.zz'), '1'), f('json_replace', d, q('$.b[#]'), '9'), f('json_replace', d, q('$'), '1'),
      f('json_remove', d, q('$.a')), f('json_remove', d, q('$.b[0]'), q('$.b[0]')), f('json_remove', d, q('$.zz')), f('json_remove', d, q('$')), f('json_remove', d),
      f('json_remove', q('{"a":1,"a":2}'), q('$.a')), f('json_set', q('{"a":1,"a":2}'), q('$.a'), '3'), f('json_set', d, q('bad'), '1'), f('json_set', 'NULL', q('$.a'), '1'),
      f('json_set', d, q('$.q'), q('a"b')), f('json_set', d, q('$."x.y"'), '1'), f('json_extract', q('{"x.y":1}'), q('$."x.y"')),
      f('json_patch', d, q('{"a":null,"c":{"e":5},"n":[1]}')), f('json_patch', q('[1]'), q('{"a":1}')), f('json_patch', d, q('5')), f('json_patch', q('{"a":{"b":1}}'), q('{"a":{"c":2}}')),
      f('json_extract', q('{"a":1}')), f('json_extract', q('{"a":1}'), q('$.a'), q('$.b')), f('json_extract', q('bad'), q('$')), f('json_extract', q('[1]'), q('$[ 0 ]')),
      f('json_extract', q('[1]'), q('$.')), f('json_extract', q('[1]'), q('$[1.5]')), f('json_extract', q('[1]'), q('a')),
    ];
    expect(mismatches(specs)).toEqual([]);
  });
});

describe('Postgres-flavoured string functions', () => {
  const call = (name: string, ...args: Array<string | number | null>): unknown => callScalar(name, args);
  it('left, right, lpad, rpad, repeat, reverse, split_part, initcap, ascii, chr, starts_with, position, strpos', () => {
    expect(call('left', 'abcdef', 2)).toBe('ab');
    expect(call('left', 'abcdef', -2)).toBe('abcd');
    expect(call('right', 'abcdef', 2)).toBe('ef');
    expect(call('right', 'abcdef', -2)).toBe('cdef');
    expect(call('left', '😀b', 1)).toBe('😀');
    expect(call('lpad', 'hi', 5)).toBe('   hi');
    expect(call('lpad', 'hi', 5, 'xy')).toBe('xyxhi');
    expect(call('lpad', 'hello', 2)).toBe('he');
    expect(call('rpad', 'hi', 5, 'ab')).toBe('hiaba');
    expect(call('rpad', 'hi', 5, '')).toBe('hi');
    expect(call('repeat', 'ab', 3)).toBe('ababab');
    expect(call('repeat', 'ab', -1)).toBe('');
    expect(call('reverse', 'a😀b')).toBe('b😀a');
    expect(call('split_part', 'a,b,c', ',', 2)).toBe('b');
    expect(call('split_part', 'a,b,c', ',', -1)).toBe('c');
    expect(call('split_part', 'a,b,c', ',', 5)).toBe('');
    expect(() => call('split_part', 'a,b', ',', 0)).toThrow('field position must not be zero');
    expect(call('initcap', 'hello wORLD-foo bar1x')).toBe('Hello World-Foo Bar1x');
    expect(call('ascii', 'A')).toBe(65);
    expect(call('ascii', '')).toBe(0);
    expect(call('chr', 9731)).toBe('☃');
    expect(() => call('chr', 0)).toThrow();
    expect(call('starts_with', 'alphabet', 'alph')).toBe(1);
    expect(call('position', 'c', 'abc')).toBe(3);
    expect(call('strpos', '😀abc', 'b')).toBe(3);
    expect(call('lpad', null, 3)).toBe(null);
    expect(call('regexp_replace', 'a1b22c', '\\d+', '#')).toBe('a#b22c');
    expect(call('regexp_replace', 'a1b22c', '\\d+', '#', 'g')).toBe('a#b#c');
    expect(call('regexp_replace', 'John Smith', '(\\w+) (\\w+)', '\\2, \\1')).toBe('Smith, John');
    expect(call('regexp_like', 'ABC', 'b', 'i')).toBe(1);
    expect(call('regexp', 'b+', 'abbc')).toBe(1);
  });
});

describe('registry and non-deterministic functions', () => {
  it('lookup is case-insensitive and arity is checked', () => {
    expect(lookupScalar('UPPER')?.name).toBe('upper');
    expect(lookupScalar('no_such_fn')).toBeUndefined();
    expect(() => callScalar('upper', [])).toThrow('wrong number of arguments to function upper()');
    expect(lookupScalar('random')!.deterministic).toBe(false);
    expect(lookupScalar('abs')!.deterministic).toBe(true);
    expect(lookupScalar('abs')!.returnType(['integer'])).toBe('integer');
    expect(lookupScalar('abs')!.returnType(['real'])).toBe('real');
    expect(lookupScalar('substr')!.returnType(['blob', 'integer'])).toBe('blob');
  });

  it('random, randomblob, uuid sanity', () => {
    const r = new Set(Array.from({ length: 50 }, () => callScalar('random', [])));
    expect(r.size).toBe(50);
    for (const v of r) expect(typeof v === 'number' ? Number.isInteger(v) : typeof v === 'bigint').toBe(true);
    expect((callScalar('randomblob', [16]) as Uint8Array).length).toBe(16);
    expect((callScalar('randomblob', [0]) as Uint8Array).length).toBe(1);
    expect(callScalar('uuid', [])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(callScalar('gen_random_uuid', [])).not.toBe(callScalar('gen_random_uuid', []));
    expect(callScalar('uuid_v7', [])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

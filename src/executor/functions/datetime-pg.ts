// Postgres-flavoured date/time helpers over SQLite's text timestamps: now(), extract/date_part,
// date_trunc, interval arithmetic (date + INTERVAL '3 days') and age().

import { QueryExecutionError } from '../../errors.js';
import type { SqlType, SqlValue } from '../value.js';
import { UNIX_EPOCH_JD_MS, computeJD, computeYMD, computeYMD_HMS, currentUnixMs, newDateTime, type DateTime } from './datetime-core.js';
import { formatDate, formatDateTime, parseDateArgs } from './datetime-value.js';
import { scalar, type ScalarFunction } from './scalar-function.js';

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function dayNumber(p: DateTime): number {
  return Math.trunc((p.iJD + 43200000) / 86400000);
}

function fromYMD(y: number, m: number, d: number, ms: number): DateTime {
  const p = newDateTime();
  p.Y = y;
  p.M = m;
  p.D = d;
  p.validYMD = true;
  computeJD(p);
  p.iJD += ms;
  p.validYMD = false;
  return p;
}

function isoWeek(p: DateTime): { week: number; year: number } {
  const dow = dayNumber(p) % 7; // 0 = Monday
  const thursday = newDateTime();
  thursday.iJD = p.iJD + (3 - dow) * 86400000;
  thursday.validJD = true;
  computeYMD(thursday);
  const jan1 = fromYMD(thursday.Y, 1, 1, 0);
  return { week: Math.trunc((dayNumber(thursday) - dayNumber(jan1)) / 7) + 1, year: thursday.Y };
}

function num(x: number): number {
  return Object.is(x, -0) ? 0 : x;
}

/**
 * EXTRACT(field FROM value) / date_part(field, value) on a SQLite time value. Fields: year, month,
 * day, hour, minute, second (with fraction), milliseconds, microseconds, dow (0 = Sunday), isodow
 * (7 = Sunday), doy, week and isoyear (ISO 8601), quarter, decade, century, millennium, epoch
 * (unix seconds), julian, timezone (always 0: ToonDB runs in UTC). NULL when value is not a time.
 */
export function extractField(field: string, value: SqlValue, valueType?: SqlType): SqlValue {
  const p = parseDateArgs([value], valueType ? [valueType] : undefined);
  if (!p) return null;
  computeYMD_HMS(p);
  const sec = (p.iJD % 60000) / 1000;
  switch (field.toLowerCase()) {
    case 'year':
    case 'years':
      return p.Y;
    case 'month':
    case 'months':
      return p.M;
    case 'day':
    case 'days':
      return p.D;
    case 'hour':
    case 'hours':
      return p.h;
    case 'minute':
    case 'minutes':
      return p.m;
    case 'second':
    case 'seconds':
      return sec;
    case 'millisecond':
    case 'milliseconds':
      return num(sec * 1000);
    case 'microsecond':
    case 'microseconds':
      return num(Math.round(sec * 1e6));
    case 'dow':
      return (dayNumber(p) + 1) % 7;
    case 'isodow':
      return (dayNumber(p) % 7) + 1;
    case 'doy':
      return dayNumber(p) - dayNumber(fromYMD(p.Y, 1, 1, 0)) + 1;
    case 'week':
      return isoWeek(p).week;
    case 'isoyear':
      return isoWeek(p).year;
    case 'quarter':
      return Math.trunc((p.M - 1) / 3) + 1;
    case 'decade':
      return Math.floor(p.Y / 10);
    case 'century':
      return p.Y > 0 ? Math.trunc((p.Y + 99) / 100) : -Math.trunc((99 - p.Y) / 100);
    case 'millennium':
    case 'millennia':
      return p.Y > 0 ? Math.trunc((p.Y + 999) / 1000) : -Math.trunc((999 - p.Y) / 1000);
    case 'epoch':
      return num((p.iJD - UNIX_EPOCH_JD_MS) / 1000);
    case 'julian':
      return num(p.iJD / 86400000 + 0.5);
    case 'timezone':
    case 'timezone_hour':
    case 'timezone_minute':
      return 0;
    default:
      throw new QueryExecutionError(`unsupported EXTRACT field: ${field}`);
  }
}

/** A canonical interval unit, or undefined: accepts plurals and the usual abbreviations. */
function unitOf(u: string): string | undefined {
  const x = u.toLowerCase();
  const table: Record<string, string> = {
    microsecond: 'us', microseconds: 'us', us: 'us', usec: 'us', usecs: 'us',
    millisecond: 'ms', milliseconds: 'ms', ms: 'ms', msec: 'ms', msecs: 'ms',
    second: 's', seconds: 's', sec: 's', secs: 's', s: 's',
    minute: 'min', minutes: 'min', min: 'min', mins: 'min', m: 'min',
    hour: 'h', hours: 'h', hr: 'h', hrs: 'h', h: 'h',
    day: 'd', days: 'd', d: 'd',
    week: 'w', weeks: 'w', w: 'w',
    month: 'mon', months: 'mon', mon: 'mon', mons: 'mon',
    quarter: 'q', quarters: 'q',
    year: 'y', years: 'y', yr: 'y', yrs: 'y', y: 'y',
    decade: 'dec', decades: 'dec', century: 'c', centuries: 'c', millennium: 'mil', millennia: 'mil', millenniums: 'mil',
  };
  return table[x];
}

const FIXED_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60000, h: 3600000, d: 86400000, w: 604800000 };
const MONTHS: Record<string, number> = { mon: 1, q: 3, y: 12, dec: 120, c: 1200, mil: 12000 };

/** Adds whole months the Postgres way: the day clamps to the end of a shorter month (Jan 31 + 1 month = Feb 29). */
function addMonths(p: DateTime, months: number): void {
  computeYMD_HMS(p);
  const msOfDay = Math.round(((p.iJD + 43200000) % 86400000 + 86400000) % 86400000);
  const total = p.Y * 12 + (p.M - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  const q = fromYMD(y, m, Math.min(p.D, daysInMonth(y, m)), msOfDay);
  p.iJD = q.iJD;
  p.validYMD = false;
  p.validHMS = false;
}

function hasTime(value: SqlValue, type: SqlType | undefined): boolean {
  if (type === 'date') return false;
  if (type === 'timestamp') return true;
  return !(typeof value === 'string' && /^\s*-?\d{4}-\d\d-\d\d\s*$/.test(value));
}

/**
 * value + amount × unit ("date + INTERVAL '3 days'"). Month-based units clamp the day of month as
 * Postgres does. A date without a time part plus whole days, weeks, months or years stays a date
 * ('YYYY-MM-DD'); otherwise the result is 'YYYY-MM-DD HH:MM:SS' (with .SSS when there are
 * milliseconds). NULL when value is not a time value; an unknown unit is an error.
 */
export function addInterval(value: SqlValue, amount: number, unit: string, valueType?: SqlType): SqlValue {
  const u = unitOf(unit);
  if (!u) throw new QueryExecutionError(`unknown interval unit: ${unit}`);
  const p = parseDateArgs([value], valueType ? [valueType] : undefined);
  if (!p) return null;
  let wholeDays = true;
  if (u in MONTHS) {
    const months = amount * MONTHS[u]!;
    const whole = Math.trunc(months);
    addMonths(p, whole);
    const rest = Math.round((months - whole) * 30 * 86400000);
    if (rest % 86400000 !== 0) wholeDays = false;
    p.iJD += rest;
  } else {
    const ms = Math.round(amount * FIXED_MS[u]!);
    if (ms % 86400000 !== 0) wholeDays = false;
    p.iJD += ms;
  }
  p.validYMD = false;
  p.validHMS = false;
  if (!hasTime(value, valueType) && wholeDays) return formatDate(p);
  p.useSubsec = p.iJD % 1000 !== 0;
  return formatDateTime(p);
}

/** Parses interval text: '3 days', '1 year 2 months', '-1 day', '2 hours 30 minutes', '01:30:00'. */
export function parseInterval(text: string): Array<{ amount: number; unit: string }> {
  const parts: Array<{ amount: number; unit: string }> = [];
  const re = /\s*([+-]?\d+(?:\.\d+)?|[+-]?\.\d+)\s*([a-zA-Z]+)|\s*([+-])?(\d+):(\d\d)(?::(\d\d(?:\.\d+)?))?/y;
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) throw new QueryExecutionError(`invalid interval: '${text}'`);
    if (m[1] !== undefined) {
      if (!unitOf(m[2]!)) throw new QueryExecutionError(`invalid interval: '${text}'`);
      parts.push({ amount: Number(m[1]), unit: m[2]! });
    } else {
      const sign = m[3] === '-' ? -1 : 1;
      const ms = (Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6] ?? 0)) * 1000;
      parts.push({ amount: sign * ms, unit: 'ms' });
    }
    i = re.lastIndex;
    while (s[i] === ' ' || s[i] === ',') i++;
  }
  return parts;
}

/** value ± INTERVAL 'text' (sign -1 subtracts): applies each part of the interval in order. */
export function addIntervalText(value: SqlValue, interval: string, sign: 1 | -1 = 1, valueType?: SqlType): SqlValue {
  let v = value;
  let t = valueType;
  for (const part of parseInterval(interval)) {
    v = addInterval(v, sign * part.amount, part.unit, t);
    if (v === null) return null;
    t = typeof v === 'string' && v.length === 10 ? 'date' : 'timestamp';
  }
  return v;
}

const TRUNC_UNITS = new Set(['microseconds', 'milliseconds', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year', 'decade', 'century', 'millennium']);

/** date_trunc(unit, value): 'YYYY-MM-DD HH:MM:SS' truncated to the unit (week starts on Monday, ISO). */
export function dateTrunc(unit: string, value: SqlValue, valueType?: SqlType): SqlValue {
  let u = unit.toLowerCase();
  if (u.endsWith('s') && TRUNC_UNITS.has(u.slice(0, -1))) u = u.slice(0, -1);
  if (u === 'millisecond' || u === 'microsecond') u += 's';
  if (!TRUNC_UNITS.has(u)) throw new QueryExecutionError(`unsupported date_trunc unit: ${unit}`);
  const p = parseDateArgs([value], valueType ? [valueType] : undefined);
  if (!p) return null;
  computeYMD_HMS(p);
  const dayMs = ((p.iJD + 43200000) % 86400000 + 86400000) % 86400000;
  const cut = (unitMs: number): DateTime => {
    const q = newDateTime();
    q.iJD = p.iJD - (dayMs % unitMs);
    q.validJD = true;
    return q;
  };
  let q: DateTime;
  switch (u) {
    case 'microseconds':
    case 'milliseconds':
      q = cut(1);
      q.useSubsec = q.iJD % 1000 !== 0;
      break;
    case 'second':
      q = cut(1000);
      break;
    case 'minute':
      q = cut(60000);
      break;
    case 'hour':
      q = cut(3600000);
      break;
    case 'day':
      q = cut(86400000);
      break;
    case 'week':
      q = cut(86400000);
      q.iJD -= (dayNumber(p) % 7) * 86400000;
      break;
    case 'month':
      q = fromYMD(p.Y, p.M, 1, 0);
      break;
    case 'quarter':
      q = fromYMD(p.Y, p.M - ((p.M - 1) % 3), 1, 0);
      break;
    case 'year':
      q = fromYMD(p.Y, 1, 1, 0);
      break;
    case 'decade':
      q = fromYMD(Math.floor(p.Y / 10) * 10, 1, 1, 0);
      break;
    case 'century':
      q = fromYMD(Math.floor((p.Y - 1) / 100) * 100 + 1, 1, 1, 0);
      break;
    default:
      q = fromYMD(Math.floor((p.Y - 1) / 1000) * 1000 + 1, 1, 1, 0);
  }
  q.validYMD = false;
  q.validHMS = false;
  return formatDateTime(q);
}

/** age(a [, b]): Postgres-style 'N years N mons N days HH:MM:SS' between two times (b defaults to now at midnight). */
export function age(a: SqlValue, b: SqlValue | undefined, types: readonly SqlType[]): SqlValue {
  const x = parseDateArgs([a], [types[0] ?? 'any']);
  const y = b === undefined ? parseDateArgs(['now', 'start of day']) : parseDateArgs([b], [types[1] ?? 'any']);
  if (!x || !y) return null;
  const [later, earlier, sign] = x.iJD >= y.iJD ? [x, y, ''] : [y, x, '-'];
  computeYMD_HMS(later);
  computeYMD_HMS(earlier);
  let months = (later.Y - earlier.Y) * 12 + (later.M - earlier.M);
  let ms = later.iJD - earlier.iJD;
  const probe = (): number => {
    const e = { ...earlier };
    addMonths(e, months);
    return e.iJD;
  };
  while (months > 0 && probe() > later.iJD) months--;
  ms = later.iJD - probe();
  const days = Math.trunc(ms / 86400000);
  const rest = ms - days * 86400000;
  const parts: string[] = [];
  const yrs = Math.trunc(months / 12);
  const mons = months % 12;
  if (yrs) parts.push(`${sign}${yrs} year${yrs === 1 ? '' : 's'}`);
  if (mons) parts.push(`${sign}${mons} mon${mons === 1 ? '' : 's'}`);
  if (days) parts.push(`${sign}${days} day${days === 1 ? '' : 's'}`);
  if (rest || parts.length === 0) {
    const h = Math.trunc(rest / 3600000);
    const m = Math.trunc((rest % 3600000) / 60000);
    const s = (rest % 60000) / 1000;
    const ss = Number.isInteger(s) ? String(s).padStart(2, '0') : s.toFixed(3).padStart(6, '0');
    parts.push(`${sign}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${ss}`);
  }
  return parts.join(' ');
}

function nowText(): string {
  const p = newDateTime();
  p.iJD = currentUnixMs() + UNIX_EPOCH_JD_MS;
  p.validJD = true;
  return formatDateTime(p);
}

/** The Postgres-flavoured date/time functions. */
export const DATETIME_PG_FUNCTIONS: readonly ScalarFunction[] = [
  // add_interval(value, '1 month 2 days' [, -1]): what `value ± INTERVAL '…'` compiles to.
  scalar('add_interval', 2, 3, (t) => (t[0] === 'date' ? 'date' : 'timestamp'), (a, t) =>
    a[0] === null || a[1] === null ? null : addIntervalText(a[0]!, String(a[1]), a[2] === -1 ? -1 : 1, t[0]),
  ),
  scalar('now', 0, 0, 'timestamp', nowText, false),
  scalar('localtimestamp', 0, 0, 'timestamp', nowText, false),
  scalar('date_part', 2, 2, 'numeric', (a, t) => (a[0] === null ? null : extractField(String(a[0]), a[1]!, t[1])), false),
  scalar('extract', 2, 2, 'numeric', (a, t) => (a[0] === null ? null : extractField(String(a[0]), a[1]!, t[1])), false),
  scalar('date_trunc', 2, 2, 'timestamp', (a, t) => (a[0] === null ? null : dateTrunc(String(a[0]), a[1]!, t[1])), false),
  scalar('age', 1, 2, 'text', (a, t) => age(a[0]!, a.length > 1 ? a[1]! : undefined, t), false),
  scalar('make_date', 3, 3, 'date', (a) => {
    if (a.some((v) => v === null)) return null;
    const [y, m, d] = a.map(Number) as [number, number, number];
    if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new QueryExecutionError(`date field value out of range: ${y}-${m}-${d}`);
    const p = fromYMD(y, m, d, 0);
    p.validJD = true;
    return formatDate(p);
  }),
];

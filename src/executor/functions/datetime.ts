// SQLite's date and time functions: date, time, datetime, julianday, unixepoch, strftime, timediff,
// current_date/time/timestamp. Local time is UTC (see datetime-core.ts).

import type { SqlType, SqlValue } from '../value.js';
import { formatFloat } from '../value-fp.js';
import { valueToText } from '../value-text.js';
import { UNIX_EPOCH_JD_MS, computeJD, computeYMD, computeYMD_HMS, currentUnixMs as nowMs, newDateTime, type DateTime } from './datetime-core.js';
import { formatDate, formatDateTime, formatTime, parseDateArgs } from './datetime-value.js';
import { scalar, type ScalarFunction } from './scalar-function.js';

function daysAfterJan01(p: DateTime): number {
  const jan01: DateTime = { ...p, validJD: false, M: 1, D: 1 };
  computeJD(jan01);
  return Math.trunc((p.iJD - jan01.iJD + 43200000) / 86400000);
}

function daysAfterMonday(p: DateTime): number {
  return Math.trunc((p.iJD + 43200000) / 86400000) % 7;
}

function daysAfterSunday(p: DateTime): number {
  return Math.trunc((p.iJD + 129600000) / 86400000) % 7;
}

/** C printf "%0Nd" / "%Nd". */
function d(v: number, w: number, fill = '0'): string {
  if (v < 0) return '-' + String(-v).padStart(w - 1, fill === '0' ? '0' : ' ');
  return String(v).padStart(w, fill);
}

function thursdayOfWeek(x: DateTime): DateTime {
  const y: DateTime = { ...x };
  y.iJD += (3 - daysAfterMonday(x)) * 86400000;
  y.validYMD = false;
  computeYMD(y);
  return y;
}

/** strftime(format, time, modifiers…): every SQLite conversion; an unknown one makes the result NULL. */
export function strftime(fmt: string, p: DateTime): string | null {
  computeJD(p);
  computeYMD_HMS(p);
  let out = '';
  let j = 0;
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] !== '%') continue;
    if (j < i) out += fmt.slice(j, i);
    i++;
    j = i + 1;
    const cf = fmt[i];
    switch (cf) {
      case 'd':
        out += d(p.D, 2);
        break;
      case 'e':
        out += d(p.D, 2, ' ');
        break;
      case 'f':
        out += formatFloat(p.s > 59.999 ? 59.999 : p.s, 'f', 3, { zeroPad: true, width: 6 });
        break;
      case 'F':
        out += d(p.Y, 4) + '-' + d(p.M, 2) + '-' + d(p.D, 2);
        break;
      case 'G':
        out += d(thursdayOfWeek(p).Y, 4);
        break;
      case 'g':
        out += d(thursdayOfWeek(p).Y % 100, 2);
        break;
      case 'H':
        out += d(p.h, 2);
        break;
      case 'k':
        out += d(p.h, 2, ' ');
        break;
      case 'I':
      case 'l': {
        let h = p.h;
        if (h > 12) h -= 12;
        if (h === 0) h = 12;
        out += d(h, 2, cf === 'I' ? '0' : ' ');
        break;
      }
      case 'j':
        out += d(daysAfterJan01(p) + 1, 3);
        break;
      case 'J':
        out += formatFloat(p.iJD / 86400000, 'g', 16);
        break;
      case 'm':
        out += d(p.M, 2);
        break;
      case 'M':
        out += d(p.m, 2);
        break;
      case 'p':
        out += p.h >= 12 ? 'PM' : 'AM';
        break;
      case 'P':
        out += p.h >= 12 ? 'pm' : 'am';
        break;
      case 'R':
        out += d(p.h, 2) + ':' + d(p.m, 2);
        break;
      case 's':
        out += p.useSubsec
          ? formatFloat((p.iJD - UNIX_EPOCH_JD_MS) / 1000, 'f', 3)
          : String(Math.trunc(p.iJD / 1000) - UNIX_EPOCH_JD_MS / 1000);
        break;
      case 'S':
        out += d(Math.trunc(p.s), 2);
        break;
      case 'T':
        out += d(p.h, 2) + ':' + d(p.m, 2) + ':' + d(Math.trunc(p.s), 2);
        break;
      case 'u':
      case 'w': {
        const c = daysAfterSunday(p);
        out += c === 0 && cf === 'u' ? '7' : String(c);
        break;
      }
      case 'U':
        out += d(Math.trunc((daysAfterJan01(p) - daysAfterSunday(p) + 7) / 7), 2);
        break;
      case 'V':
        out += d(Math.trunc(daysAfterJan01(thursdayOfWeek(p)) / 7) + 1, 2);
        break;
      case 'W':
        out += d(Math.trunc((daysAfterJan01(p) - daysAfterMonday(p) + 7) / 7), 2);
        break;
      case 'Y':
        out += d(p.Y, 4);
        break;
      case '%':
        out += '%';
        break;
      default:
        return null;
    }
  }
  if (j < fmt.length) out += fmt.slice(j);
  return out;
}

/** timediff(A, B): '+YYYY-MM-DD HH:MM:SS.SSS', the amount to add to B to reach A. */
export function timediff(a: DateTime, b: DateTime): string {
  const d1 = a;
  const d2 = b;
  computeYMD_HMS(d1);
  computeYMD_HMS(d2);
  let sign: string;
  let Y: number;
  let M: number;
  const recompute = (): void => {
    d2.validJD = false;
    computeJD(d2);
  };
  if (d1.iJD >= d2.iJD) {
    sign = '+';
    Y = d1.Y - d2.Y;
    if (Y) {
      d2.Y = d1.Y;
      recompute();
    }
    M = d1.M - d2.M;
    if (M < 0) {
      Y--;
      M += 12;
    }
    if (M !== 0) {
      d2.M = d1.M;
      recompute();
    }
    while (d1.iJD < d2.iJD) {
      M--;
      if (M < 0) {
        M = 11;
        Y--;
      }
      d2.M--;
      if (d2.M < 1) {
        d2.M = 12;
        d2.Y--;
      }
      recompute();
    }
    d1.iJD = d1.iJD - d2.iJD + 148699540800000;
  } else {
    sign = '-';
    Y = d2.Y - d1.Y;
    if (Y) {
      d2.Y = d1.Y;
      recompute();
    }
    M = d2.M - d1.M;
    if (M < 0) {
      Y--;
      M += 12;
    }
    if (M !== 0) {
      d2.M = d1.M;
      recompute();
    }
    while (d1.iJD > d2.iJD) {
      M--;
      if (M < 0) {
        M = 11;
        Y--;
      }
      d2.M++;
      if (d2.M > 12) {
        d2.M = 1;
        d2.Y++;
      }
      recompute();
    }
    d1.iJD = d2.iJD - d1.iJD + 148699540800000;
  }
  d1.validYMD = false;
  d1.validHMS = false;
  d1.tz = 0;
  computeYMD_HMS(d1);
  return sign + d(Y, 4) + '-' + d(M, 2) + '-' + d(d1.D - 1, 2) + ' ' + d(d1.h, 2) + ':' + d(d1.m, 2) + ':' + formatFloat(d1.s, 'f', 3, { zeroPad: true, width: 6 });
}

function dateFn(name: string, ret: SqlType, render: (p: DateTime) => SqlValue): ScalarFunction {
  return scalar(
    name,
    0,
    Infinity,
    ret,
    (a, t) => {
      const p = parseDateArgs(a, t);
      return p ? render(p) : null;
    },
    false,
  );
}

/** The value of CURRENT_DATE, CURRENT_TIME or CURRENT_TIMESTAMP at `now` (SQLite text forms, UTC). */
export function currentTime(which: 'CURRENT_DATE' | 'CURRENT_TIME' | 'CURRENT_TIMESTAMP', now: Date): SqlValue {
  const p = newDateTime();
  p.iJD = now.getTime() + UNIX_EPOCH_JD_MS;
  p.validJD = true;
  if (which === 'CURRENT_DATE') return formatDate(p);
  if (which === 'CURRENT_TIME') return formatTime(p);
  return formatDateTime(p);
}

/** SQLite's date and time functions. Not deterministic: any of them may read 'now'. */
export const DATETIME_FUNCTIONS: readonly ScalarFunction[] = [
  dateFn('date', 'date', formatDate),
  dateFn('time', 'text', formatTime),
  dateFn('datetime', 'timestamp', formatDateTime),
  dateFn('julianday', 'real', (p) => p.iJD / 86400000),
  dateFn('unixepoch', 'numeric', (p) =>
    p.useSubsec ? (p.iJD - UNIX_EPOCH_JD_MS) / 1000 : Math.trunc(p.iJD / 1000) - UNIX_EPOCH_JD_MS / 1000,
  ),
  scalar(
    'strftime',
    1,
    Infinity,
    'text',
    (a, t) => {
      const fmt = valueToText(a[0]!, t[0]);
      if (fmt === null) return null;
      const p = parseDateArgs(a.slice(1), t.slice(1));
      return p ? strftime(fmt, p) : null;
    },
    false,
  ),
  scalar(
    'timediff',
    2,
    2,
    'text',
    (a, t) => {
      const x = parseDateArgs([a[0]!], [t[0]!]);
      const y = parseDateArgs([a[1]!], [t[1]!]);
      return x && y ? timediff(x, y) : null;
    },
    false,
  ),
  scalar('current_date', 0, 0, 'date', () => currentTime('CURRENT_DATE', new Date(nowMs())), false),
  scalar('current_time', 0, 0, 'text', () => currentTime('CURRENT_TIME', new Date(nowMs())), false),
  scalar('current_timestamp', 0, 0, 'timestamp', () => currentTime('CURRENT_TIMESTAMP', new Date(nowMs())), false),
];


// Time values as SQL sees them: isDate() over arguments and modifiers, the date()/time() text forms, casts.

import type { SqlType, SqlValue } from '../value.js';
import { toReal, utf8Decode, valueToText } from '../value-text.js';
import {
  computeHMS,
  computeJD,
  computeYMD,
  computeYMD_HMS,
  newDateTime,
  parseDateOrTime,
  setRawDateNumber,
  setToCurrent,
  validJulianDay,
  type DateTime,
} from './datetime-core.js';
import { parseModifier } from './datetime-modifier.js';


/**
 * isDate(): parses a time value (text, julian day number, 'now', …) and applies modifiers.
 * Returns null when SQLite would return NULL. No arguments means 'now'.
 */
export function parseDateArgs(args: readonly SqlValue[], argTypes?: readonly SqlType[]): DateTime | null {
  const p = newDateTime();
  if (args.length === 0) {
    setToCurrent(p);
    return p;
  }
  const v = args[0]!;
  if (typeof v === 'number' || typeof v === 'bigint') setRawDateNumber(p, toReal(v));
  else if (v === null || v instanceof Float32Array) return null;
  else if (parseDateOrTime(typeof v === 'string' ? v : utf8Decode(v), p)) return null;
  for (let i = 1; i < args.length; i++) {
    const z = valueToText(args[i]!, argTypes?.[i]);
    if (z === null || parseModifier(z, p, i)) return null;
  }
  computeJD(p);
  if (p.isError || !validJulianDay(p.iJD)) return null;
  if (args.length === 1 && p.validYMD && p.D > 28) p.validYMD = false;
  return p;
}

function pad(n: number, w: number): string {
  const s = String(Math.abs(n)).padStart(w, '0');
  return n < 0 ? '-' + s : s;
}

/** YYYY-MM-DD (a leading '-' for negative years), as date() prints it. */
export function formatDate(p: DateTime): string {
  computeYMD(p);
  return (p.Y < 0 ? '-' : '') + pad(Math.abs(p.Y) % 10000, 4) + '-' + pad(p.M, 2) + '-' + pad(p.D, 2);
}

/** HH:MM:SS or HH:MM:SS.SSS with subsec, as time() prints it. */
export function formatTime(p: DateTime): string {
  computeHMS(p);
  let sec: string;
  if (p.useSubsec) {
    const s = Math.trunc(1000 * p.s + 0.5);
    sec = pad(Math.trunc(s / 1000) % 100, 2) + '.' + pad(s % 1000, 3);
  } else sec = pad(Math.trunc(p.s) % 100, 2);
  return pad(p.h % 100, 2) + ':' + pad(p.m % 100, 2) + ':' + sec;
}

/** YYYY-MM-DD HH:MM:SS[.SSS], as datetime() prints it. */
export function formatDateTime(p: DateTime): string {
  computeYMD_HMS(p);
  return formatDate(p) + ' ' + formatTime(p);
}

/** CAST(x AS DATE): date(x), NULL when x is not a time value. */
export function castToDate(v: SqlValue, t: SqlType = 'any'): SqlValue {
  const p = parseDateArgs([v], [t]);
  return p ? formatDate(p) : null;
}

/** CAST(x AS TIMESTAMP): datetime(x), NULL when x is not a time value. */
export function castToTimestamp(v: SqlValue, t: SqlType = 'any'): SqlValue {
  const p = parseDateArgs([v], [t]);
  return p ? formatDateTime(p) : null;
}

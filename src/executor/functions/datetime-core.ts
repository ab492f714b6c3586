// A port of SQLite's date.c core: the DateTime record, time-value parsing and julian-day math.
// Local time is treated as UTC: 'localtime' and 'utc' only change flags (ToonDB runs in UTC).

import { atof, atofOut } from '../value-text.js';

/** SQLite's DateTime: julian day in ms (iJD) plus lazily computed Y-M-D and h:m:s fields. */
export interface DateTime {
  iJD: number;
  Y: number;
  M: number;
  D: number;
  h: number;
  m: number;
  tz: number;
  s: number;
  validJD: boolean;
  validYMD: boolean;
  validHMS: boolean;
  nFloor: number;
  rawS: boolean;
  isError: boolean;
  useSubsec: boolean;
  isUtc: boolean;
  isLocal: boolean;
}

/** A zeroed DateTime (memset(p, 0, …) in C). */
export function newDateTime(): DateTime {
  return {
    iJD: 0, Y: 0, M: 0, D: 0, h: 0, m: 0, tz: 0, s: 0,
    validJD: false, validYMD: false, validHMS: false, nFloor: 0,
    rawS: false, isError: false, useSubsec: false, isUtc: false, isLocal: false,
  };
}

/** memset(p, 0, …). */
export function reset(p: DateTime): void {
  Object.assign(p, newDateTime());
}

let pinnedNow: number | null = null;

/**
 * Pins 'now' to a fixed unix time in ms (the executor pins it per statement, as SQLite does so
 * every 'now' in one statement agrees); null unpins it and 'now' reads the clock again.
 */
export function pinNow(unixMs: number | null): void {
  pinnedNow = unixMs;
}

/** The current time as unix ms, honouring pinNow(). */
export function currentUnixMs(): number {
  return pinnedNow ?? Date.now();
}

/** Unix epoch as julian-day milliseconds. */
export const UNIX_EPOCH_JD_MS = 210866760000000;
/** Julian day ms of 9999-12-31 23:59:59.999, the last representable instant. */
export const MAX_JD_MS = 464269060799999;

/** C isspace() on a UTF-16 unit. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** ASCII digit test. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const MAX_OF: Record<string, number> = { a: 12, b: 14, c: 24, d: 31, e: 59, f: 14712 };
/** Output slots of getDigits(). */
export const digitsOut: number[] = [0, 0, 0];

/** getDigits: spec "40f-21a-21d" = 4 digits in [0, 9999] then '-', 2 digits in [1, 12] then '-', … */
export function getDigits(z: string, at: number, spec: string): number {
  let cnt = 0;
  let i = at;
  for (let f = 0; ; f += 4) {
    const n = spec.charCodeAt(f) - 48;
    const min = spec.charCodeAt(f + 1) - 48;
    const max = MAX_OF[spec[f + 2]!]!;
    const next = spec[f + 3];
    let val = 0;
    for (let k = 0; k < n; k++) {
      const c = z.charCodeAt(i);
      if (!isDigit(c)) return cnt;
      val = val * 10 + c - 48;
      i++;
    }
    if (val < min || val > max || (next !== undefined && next !== z[i])) return cnt;
    digitsOut[cnt++] = val;
    i++;
    if (next === undefined) return cnt;
  }
}

function parseTimezone(z: string, at: number, p: DateTime): boolean {
  let i = at;
  while (isSpace(z.charCodeAt(i))) i++;
  p.tz = 0;
  const c = z[i];
  if (c === 'Z' || c === 'z') {
    i++;
    p.isLocal = false;
    p.isUtc = true;
  } else if (c === '-' || c === '+') {
    i++;
    if (getDigits(z, i, '20b:20e') !== 2) return true;
    i += 5;
    p.tz = (c === '-' ? -1 : 1) * (digitsOut[1]! + digitsOut[0]! * 60);
    if (p.tz === 0) {
      p.isLocal = false;
      p.isUtc = true;
    }
  } else return i < z.length;
  while (isSpace(z.charCodeAt(i))) i++;
  return i < z.length;
}

/** HH:MM[:SS[.FFF]] followed by an optional timezone; true on error. */
export function parseHhMmSs(z: string, at: number, p: DateTime): boolean {
  if (getDigits(z, at, '20c:20e') !== 2) return true;
  const h = digitsOut[0]!;
  const m = digitsOut[1]!;
  let i = at + 5;
  let s = 0;
  let ms = 0;
  if (z[i] === ':') {
    i++;
    if (getDigits(z, i, '20e') !== 1) return true;
    s = digitsOut[0]!;
    i += 2;
    if (z[i] === '.' && isDigit(z.charCodeAt(i + 1))) {
      let scale = 1;
      i++;
      while (isDigit(z.charCodeAt(i))) {
        ms = ms * 10 + z.charCodeAt(i) - 48;
        scale *= 10;
        i++;
      }
      ms /= scale;
      if (ms > 0.999) ms = 0.999;
    }
  }
  p.validJD = false;
  p.rawS = false;
  p.validHMS = true;
  p.h = h;
  p.m = m;
  p.s = s + ms;
  return parseTimezone(z, i, p);
}

function datetimeError(p: DateTime): void {
  reset(p);
  p.isError = true;
}

/** Y-M-D h:m:s → julian day ms (Meeus), applying and clearing any timezone offset. */
export function computeJD(p: DateTime): void {
  if (p.validJD) return;
  let Y = 2000;
  let M = 1;
  let D = 1;
  if (p.validYMD) {
    Y = p.Y;
    M = p.M;
    D = p.D;
  }
  if (Y < -4713 || Y > 9999 || p.rawS) {
    datetimeError(p);
    return;
  }
  if (M <= 2) {
    Y--;
    M += 12;
  }
  const A = Math.trunc((Y + 4800) / 100);
  const B = 38 - A + Math.trunc(A / 4);
  const X1 = Math.trunc((36525 * (Y + 4716)) / 100);
  const X2 = Math.trunc((306001 * (M + 1)) / 10000);
  p.iJD = Math.trunc((X1 + X2 + D + B - 1524.5) * 86400000);
  p.validJD = true;
  if (p.validHMS) {
    p.iJD += p.h * 3600000 + p.m * 60000 + Math.trunc(p.s * 1000 + 0.5);
    if (p.tz) {
      p.iJD -= p.tz * 60000;
      p.validYMD = false;
      p.validHMS = false;
      p.tz = 0;
      p.isUtc = true;
      p.isLocal = false;
    }
  }
}

/** How many days a day-of-month overflow (Feb 30) must roll back for the 'floor' modifier. */
export function computeFloor(p: DateTime): void {
  if (p.D <= 28) p.nFloor = 0;
  else if ((1 << p.M) & 0x15aa) p.nFloor = 0;
  else if (p.M !== 2) p.nFloor = p.D === 31 ? 1 : 0;
  else if (p.Y % 4 !== 0 || (p.Y % 100 === 0 && p.Y % 400 !== 0)) p.nFloor = p.D - 28;
  else p.nFloor = p.D - 29;
}

function parseYyyyMmDd(z: string, p: DateTime): boolean {
  let i = 0;
  const neg = z[0] === '-';
  if (neg) i++;
  if (getDigits(z, i, '40f-21a-21d') !== 3) return true;
  const [Y, M, D] = digitsOut as [number, number, number];
  i += 10;
  while (isSpace(z.charCodeAt(i)) || z[i] === 'T') i++;
  if (!parseHhMmSs(z, i, p)) {
    // got the time
  } else if (i >= z.length) p.validHMS = false;
  else return true;
  p.validJD = false;
  p.validYMD = true;
  p.Y = neg ? -Y : Y;
  p.M = M;
  p.D = D;
  computeFloor(p);
  if (p.tz) computeJD(p);
  return false;
}

/** Sets p to 'now'; returns false (no error). */
export function setToCurrent(p: DateTime): boolean {
  p.iJD = currentUnixMs() + UNIX_EPOCH_JD_MS;
  p.validJD = true;
  p.isUtc = true;
  p.isLocal = false;
  clearYMD_HMS_TZ(p);
  return false;
}

/** A bare number: a julian day if in range, kept raw for 'unixepoch' / 'auto'. */
export function setRawDateNumber(p: DateTime, r: number): void {
  p.s = r;
  p.rawS = true;
  if (r >= 0 && r < 5373484.5) {
    p.iJD = Math.trunc(r * 86400000 + 0.5);
    p.validJD = true;
  }
}

/** Lower-cases ASCII letters only (sqlite3StrICmp semantics). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** Parses a time value text; true on error. */
export function parseDateOrTime(z: string, p: DateTime): boolean {
  if (!parseYyyyMmDd(z, p)) return false;
  if (!parseHhMmSs(z, 0, p)) return false;
  const lz = asciiLower(z);
  if (lz === 'now') return setToCurrent(p);
  if (atof(z) > 0) {
    setRawDateNumber(p, atofOut.value);
    return false;
  }
  if (lz === 'subsec' || lz === 'subsecond') {
    p.useSubsec = true;
    return setToCurrent(p);
  }
  return true;
}

/** Whether iJD is within 0000-01-01 .. 9999-12-31. */
export function validJulianDay(iJD: number): boolean {
  return iJD >= 0 && iJD <= MAX_JD_MS;
}

/** Julian day → Y-M-D. */
export function computeYMD(p: DateTime): void {
  if (p.validYMD) return;
  if (!p.validJD) {
    p.Y = 2000;
    p.M = 1;
    p.D = 1;
  } else if (!validJulianDay(p.iJD)) {
    datetimeError(p);
    return;
  } else {
    const Z = Math.trunc((p.iJD + 43200000) / 86400000);
    const alpha = Math.trunc((Z + 32044.75) / 36524.25) - 52;
    const A = Z + 1 + alpha - Math.trunc((alpha + 100) / 4) + 25;
    const B = A + 1524;
    const C = Math.trunc((B - 122.1) / 365.25);
    const D = Math.trunc((36525 * (C & 32767)) / 100);
    const E = Math.trunc((B - D) / 30.6001);
    const X1 = Math.trunc(30.6001 * E);
    p.D = B - D - X1;
    p.M = E < 14 ? E - 1 : E - 13;
    p.Y = p.M > 2 ? C - 4716 : C - 4715;
  }
  p.validYMD = true;
}

/** Julian day → h:m:s. */
export function computeHMS(p: DateTime): void {
  if (p.validHMS) return;
  computeJD(p);
  const dayMs = (p.iJD + 43200000) % 86400000;
  p.s = (dayMs % 60000) / 1000;
  const dayMin = Math.trunc(dayMs / 60000);
  p.m = dayMin % 60;
  p.h = Math.trunc(dayMin / 60);
  p.rawS = false;
  p.validHMS = true;
}

/** Both computeYMD and computeHMS. */
export function computeYMD_HMS(p: DateTime): void {
  computeYMD(p);
  computeHMS(p);
}

/** Invalidates Y-M-D, h:m:s and the timezone so they are recomputed from iJD. */
export function clearYMD_HMS_TZ(p: DateTime): void {
  p.validYMD = false;
  p.validHMS = false;
  p.tz = 0;
}

/** 'localtime' under a UTC zone: recompute the broken-down fields the way toLocaltime() leaves them. */
export function toLocaltime(p: DateTime): void {
  computeJD(p);
  const x: DateTime = { ...p, validYMD: false, validHMS: false };
  computeYMD_HMS(x);
  p.Y = x.Y;
  p.M = x.M;
  p.D = x.D;
  p.h = x.h;
  p.m = x.m;
  p.s = Math.trunc(x.s) + (p.iJD % 1000) * 0.001;
  p.validYMD = true;
  p.validHMS = true;
  p.validJD = false;
  p.rawS = false;
  p.tz = 0;
  p.isError = false;
}

/** The 'auto' modifier: a raw number is a julian day or unix seconds depending on magnitude. */
export function autoAdjustDate(p: DateTime): void {
  if (!p.rawS || p.validJD) p.rawS = false;
  else if (p.s >= -210866760000 && p.s <= 253402300799) {
    const r = p.s * 1000 + UNIX_EPOCH_JD_MS;
    clearYMD_HMS_TZ(p);
    p.iJD = Math.trunc(r + 0.5);
    p.validJD = true;
    p.rawS = false;
  }
}

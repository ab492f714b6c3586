// SQLite's date/time modifiers ('+3 days', 'start of month', 'weekday 0', 'unixepoch', …), ported from date.c.

import { atof, atofOut } from '../value-text.js';
import {
  UNIX_EPOCH_JD_MS,
  asciiLower,
  autoAdjustDate,
  clearYMD_HMS_TZ,
  computeFloor,
  computeJD,
  computeYMD,
  computeYMD_HMS,
  digitsOut,
  getDigits,
  isDigit,
  isSpace,
  newDateTime,
  parseHhMmSs,
  reset,
  toLocaltime,
  type DateTime,
} from './datetime-core.js';

/** The 'NNN unit' transforms: name, limit on NNN and seconds per unit (C floats, hence fround). */
const XFORMS: ReadonlyArray<{ name: string; limit: number; secs: number }> = [
  { name: 'second', limit: Math.fround(4.6427e14), secs: 1 },
  { name: 'minute', limit: Math.fround(7.7379e12), secs: 60 },
  { name: 'hour', limit: Math.fround(1.2897e11), secs: 3600 },
  { name: 'day', limit: Math.fround(5373485.0), secs: 86400 },
  { name: 'month', limit: Math.fround(176546.0), secs: 2592000 },
  { name: 'year', limit: Math.fround(14713.0), secs: 31536000 },
];

function normaliseMonth(p: DateTime): void {
  const x = p.M > 0 ? Math.trunc((p.M - 1) / 12) : Math.trunc((p.M - 12) / 12);
  p.Y += x;
  p.M -= x * 12;
}

/**
 * Applies one modifier (the idx-th argument) to p. Returns true on error (the function then
 * returns NULL), exactly where SQLite's parseModifier() returns non-zero.
 */
export function parseModifier(z: string, p: DateTime, idx: number): boolean {
  const lz = asciiLower(z);
  switch (lz[0]) {
    case 'a':
      if (lz === 'auto') {
        if (idx > 1) return true;
        autoAdjustDate(p);
        return false;
      }
      return true;
    case 'c':
      if (lz === 'ceiling') {
        computeJD(p);
        clearYMD_HMS_TZ(p);
        p.nFloor = 0;
        return false;
      }
      return true;
    case 'f':
      if (lz === 'floor') {
        computeJD(p);
        p.iJD -= p.nFloor * 86400000;
        clearYMD_HMS_TZ(p);
        return false;
      }
      return true;
    case 'j':
      if (lz === 'julianday') {
        if (idx > 1) return true;
        if (p.validJD && p.rawS) {
          p.rawS = false;
          return false;
        }
      }
      return true;
    case 'l':
      if (lz === 'localtime') {
        if (!p.isLocal) toLocaltime(p);
        p.isUtc = false;
        p.isLocal = true;
        return false;
      }
      return true;
    case 'u':
      if (lz === 'unixepoch' && p.rawS) {
        if (idx > 1) return true;
        const r = p.s * 1000 + UNIX_EPOCH_JD_MS;
        if (r >= 0 && r < 464269060800000) {
          clearYMD_HMS_TZ(p);
          p.iJD = Math.trunc(r + 0.5);
          p.validJD = true;
          p.rawS = false;
          return false;
        }
        return true;
      }
      if (lz === 'utc') {
        if (!p.isUtc) {
          computeJD(p);
          const jd = p.iJD;
          reset(p);
          p.iJD = jd;
          p.validJD = true;
          p.isUtc = true;
        }
        return false;
      }
      return true;
    case 'w':
      return weekday(z, lz, p);
    case 's':
      return startOf(lz, p);
    case '+':
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
      return numeric(z, p);
    default:
      return true;
  }
}

function weekday(z: string, lz: string, p: DateTime): boolean {
  if (!lz.startsWith('weekday ') || atof(z.slice(8)) <= 0) return true;
  const r = atofOut.value;
  if (!(r >= 0 && r < 7 && Number.isInteger(r))) return true;
  computeYMD_HMS(p);
  p.tz = 0;
  p.validJD = false;
  computeJD(p);
  let Z = Math.trunc((p.iJD + 129600000) / 86400000) % 7;
  if (Z > r) Z -= 7;
  p.iJD += (r - Z) * 86400000;
  clearYMD_HMS_TZ(p);
  return false;
}

function startOf(lz: string, p: DateTime): boolean {
  if (!lz.startsWith('start of ')) {
    if (lz === 'subsec' || lz === 'subsecond') {
      p.useSubsec = true;
      return false;
    }
    return true;
  }
  if (!p.validJD && !p.validYMD && !p.validHMS) return true;
  computeYMD(p);
  p.validHMS = true;
  p.h = 0;
  p.m = 0;
  p.s = 0;
  p.rawS = false;
  p.tz = 0;
  p.validJD = false;
  const unit = lz.slice(9);
  if (unit === 'month') {
    p.D = 1;
    return false;
  }
  if (unit === 'year') {
    p.M = 1;
    p.D = 1;
    return false;
  }
  return unit !== 'day';
}

/** '+NNN unit', '±HH:MM[:SS.SSS]' and '±YYYY-MM-DD[ HH:MM[:SS.SSS]]'. */
function numeric(z: string, p: DateTime): boolean {
  const z0 = z[0];
  let n = 1;
  for (; n < z.length; n++) {
    const c = z[n];
    if (c === ':' || isSpace(z.charCodeAt(n))) break;
    if (c === '-') {
      if (n === 5 && getDigits(z, 1, '40f') === 1) break;
      if (n === 6 && getDigits(z, 1, '50f') === 1) break;
    }
  }
  if (atof(z.slice(0, n)) <= 0) return true;
  let r = atofOut.value;
  let z2 = 0;
  if (z[n] === '-') {
    if (z0 !== '+' && z0 !== '-') return true;
    let off = 0;
    if (n === 5) {
      if (getDigits(z, 1, '40f-20a-20d') !== 3) return true;
    } else {
      if (getDigits(z, 1, '50f-20a-20d') !== 3) return true;
      off = 1;
    }
    const Y = digitsOut[0]!;
    const M = digitsOut[1]!;
    let D = digitsOut[2]!;
    if (M >= 12 || D >= 31) return true;
    computeYMD_HMS(p);
    p.validJD = false;
    if (z0 === '-') {
      p.Y -= Y;
      p.M -= M;
      D = -D;
    } else {
      p.Y += Y;
      p.M += M;
    }
    normaliseMonth(p);
    computeFloor(p);
    computeJD(p);
    p.validHMS = false;
    p.validYMD = false;
    p.iJD += D * 86400000;
    if (off + 11 >= z.length) return false;
    if (isSpace(z.charCodeAt(off + 11)) && getDigits(z, off + 12, '20c:20e') === 2) {
      z2 = off + 12;
      n = 2;
    } else return true;
  }
  if (z[z2 + n] === ':') {
    let start = z2;
    if (!isDigit(z.charCodeAt(start))) start++;
    const tx = newDateTime();
    if (parseHhMmSs(z, start, tx)) return true;
    computeJD(tx);
    tx.iJD -= 43200000;
    const day = Math.trunc(tx.iJD / 86400000);
    tx.iJD -= day * 86400000;
    if (z0 === '-') tx.iJD = -tx.iJD;
    computeJD(p);
    clearYMD_HMS_TZ(p);
    p.iJD += tx.iJD;
    return false;
  }
  let i = n;
  while (isSpace(z.charCodeAt(i))) i++;
  const rest = asciiLower(z.slice(i));
  let len = rest.length;
  if (len < 3 || len > 10) return true;
  if (rest[len - 1] === 's') len--;
  const unit = rest.slice(0, len);
  computeJD(p);
  const rounder = r < 0 ? -0.5 : 0.5;
  p.nFloor = 0;
  let rc = true;
  for (let k = 0; k < XFORMS.length; k++) {
    const xf = XFORMS[k]!;
    if (xf.name !== unit || !(r > -xf.limit && r < xf.limit)) continue;
    if (k === 4) {
      computeYMD_HMS(p);
      p.M += Math.trunc(r);
      normaliseMonth(p);
      computeFloor(p);
      p.validJD = false;
      r -= Math.trunc(r);
    } else if (k === 5) {
      computeYMD_HMS(p);
      p.Y += Math.trunc(r);
      computeFloor(p);
      p.validJD = false;
      r -= Math.trunc(r);
    }
    computeJD(p);
    p.iJD += Math.trunc(r * 1000 * xf.secs + rounder);
    rc = false;
    break;
  }
  clearYMD_HMS_TZ(p);
  return rc;
}

// Decimal rendering of doubles exactly as SQLite's printf engine does it (sqlite3FpDecode + etFLOAT/etEXP/etGENERIC).

import { POW10_BASE, POW10_SCALE, POW10_SCALE_LO } from './value-fp-tables.js';

/** The decimal digits of a double, as SQLite's FpDecode produces them. */
export interface FpDecoded {
  /** '-' for negative values (never for -0.0, which SQLite renders as 0). */
  sign: '+' | '-';
  /** Significant digits without leading or trailing zeros ('0' for zero). */
  digits: string;
  /** Position of the decimal point: value = 0.digits × 10^iDP. */
  iDP: number;
  /** 0 for finite values, 1 for ±Infinity, 2 for NaN. */
  special: 0 | 1 | 2;
}

const M64 = (1n << 64n) - 1n;
const BIT63 = 1n << 63n;

function pwr10to2(p: number): number {
  return (p * 108853) >> 15;
}

function pwr2to10(p: number): number {
  return (p * 78913) >> 18;
}

/** powerOfTen(p): the top 64 bits of 10^p (and the next 32 in lo), exactly as util.c computes them. */
function powerOfTen(p: number): { hi: bigint; lo: bigint } {
  let g: number;
  let n: number;
  if (p < 0) {
    if (p === -1) return { hi: POW10_SCALE[13]!, lo: POW10_SCALE_LO[13]! };
    g = Math.trunc(p / 27);
    n = p % 27;
    if (n) {
      g--;
      n += 27;
    }
  } else if (p < 27) return { hi: POW10_BASE[p]!, lo: 0n };
  else {
    g = Math.trunc(p / 27);
    n = p % 27;
  }
  const s = POW10_SCALE[g + 13]!;
  const sLo = POW10_SCALE_LO[g + 13]!;
  if (n === 0) return { hi: s, lo: sLo };
  const b = POW10_BASE[n]!;
  const r = s * b + ((sLo * b) >> 32n);
  let lo = (r >> 32n) & 0xffffffffn;
  let x = r >> 64n;
  if ((x & BIT63) === 0n) {
    x = ((x << 1n) | ((lo >> 31n) & 1n)) & M64;
    lo = ((lo << 1n) | 1n) & 0xffffffffn;
  }
  return { hi: x, lo };
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/**
 * sqlite3Fp2Convert10 on the bits of r (finite, > 0): about n significant decimal digits and the
 * power of ten they are scaled by. Ported bit for bit so rounding at 17 digits matches SQLite.
 */
function decimalDigits(r: number, n: number): { z: string; exp: number } {
  f64[0] = r;
  const bits = u64[0]!;
  let e = Number((bits >> 52n) & 0x7ffn);
  let v = bits & 0xfffffffffffffn;
  if (e === 0) {
    const nn = 64 - v.toString(2).length;
    v <<= BigInt(nn);
    e = -1074 - nn;
  } else {
    v = (v << 11n) | BIT63;
    e -= 1086;
  }
  const p = n - 1 - pwr2to10(e + 63);
  let h = (v * powerOfTen(p).hi) >> 64n;
  let d: bigint;
  if (n === 18) {
    h >>= BigInt(-(e + pwr10to2(p) + 2));
    d = (h + ((h << 1n) & 2n)) >> 1n;
  } else d = h >> BigInt(-(e + pwr10to2(p) + 1));
  return { z: d.toString(), exp: -p };
}

/**
 * Port of sqlite3FpDecode(p, r, iRound, mxRound): iRound > 0 keeps that many significant digits,
 * iRound <= 0 keeps -iRound digits after the decimal point; mxRound caps the significant digits.
 */
export function fpDecode(value: number, iRoundIn: number, mxRound: number): FpDecoded {
  let r = value;
  let iRound = iRoundIn;
  let sign: '+' | '-' = '+';
  if (r < 0) {
    sign = '-';
    r = -r;
  } else if (r === 0) {
    return { sign: '+', digits: '0', iDP: 1, special: 0 };
  }
  if (!Number.isFinite(r)) return { sign, digits: '', iDP: 0, special: Number.isNaN(r) ? 2 : 1 };
  const dd = decimalDigits(r, iRound <= 0 || iRound >= 18 ? 18 : iRound + 1);
  let z = dd.z;
  let n = z.length;
  let iDP = n + dd.exp;
  if (iRound <= 0) {
    iRound = iDP - iRound;
    if (iRound === 0 && z.charCodeAt(0) >= 53) {
      iRound = 1;
      z = '0' + z;
      n++;
      iDP++;
    }
  }
  if (iRound > 0 && (iRound < n || n > mxRound)) {
    if (iRound > mxRound) iRound = mxRound;
    if (iRound === 17) iRound = shortenSeventeen(r, z, iDP, iRound);
    n = iRound;
    if (z.charCodeAt(iRound) >= 53) {
      z = roundUp(z.slice(0, iRound));
      if (z.length > iRound) {
        n++;
        iDP++;
      }
    } else z = z.slice(0, iRound);
  }
  return { sign, digits: stripZeros(z.slice(0, n)), iDP, special: 0 };
}

/** "%!.17g" tries fewer digits when the 17-digit text ends in 99… or 000 and a shorter one round-trips. */
function shortenSeventeen(r: number, z: string, iDP: number, iRound: number): number {
  if (z[15] === '9' && z[14] === '9') {
    let jj = 14;
    while (jj > 0 && z[jj - 1] === '9') jj--;
    const v2 = jj === 0 ? 1n : BigInt(z.slice(0, jj)) + 1n;
    if (r === Number(`${v2}e${iDP - jj}`)) return jj + 1;
  } else if (iDP >= z.length || (z[15] === '0' && z[14] === '0' && z[13] === '0')) {
    let jj = 13;
    while (z[jj - 1] === '0') jj--;
    if (r === Number(`${z.slice(0, jj)}e${iDP - jj}`)) return jj + 1;
  }
  return iRound;
}

function roundUp(digits: string): string {
  const a = digits.split('');
  let j = a.length - 1;
  for (;;) {
    if (a[j] !== '9') {
      a[j] = String.fromCharCode(a[j]!.charCodeAt(0) + 1);
      return a.join('');
    }
    a[j] = '0';
    if (j === 0) return '1' + a.join('');
    j--;
  }
}

function stripZeros(z: string): string {
  let n = z.length;
  while (n > 1 && z.charCodeAt(n - 1) === 48) n--;
  return n === z.length ? z : z.slice(0, n);
}

/** Flags of one printf conversion, as SQLite's printf parses them. */
export interface FloatFlags {
  leftJustify?: boolean;
  /** '+' or ' ' prefix for positive numbers. */
  prefix?: '+' | ' ' | '';
  /** '#' flag. */
  alternate?: boolean;
  /** '!' flag. */
  alt2?: boolean;
  zeroPad?: boolean;
  /** ',' flag. */
  thousands?: boolean;
  width?: number;
}

/** Renders `value` like SQLite's printf %f / %e / %E / %g / %G (precision -1 means the default 6). */
export function formatFloat(value: number, conv: 'f' | 'e' | 'E' | 'g' | 'G', precisionIn: number, fl: FloatFlags = {}): string {
  let precision = precisionIn < 0 ? 6 : precisionIn;
  let xtype: 'f' | 'e' | 'g' = conv === 'f' ? 'f' : conv === 'g' || conv === 'G' ? 'g' : 'e';
  const upper = conv === 'E' || conv === 'G';
  let iRound: number;
  if (xtype === 'f') iRound = -precision;
  else if (xtype === 'g') {
    if (precision === 0) precision = 1;
    iRound = precision;
  } else iRound = precision + 1;
  const s = fpDecode(value, iRound, fl.alt2 ? 20 : 16);
  let out: string;
  const width = fl.width ?? 0;
  if (s.special) {
    if (s.special === 2) out = fl.zeroPad ? 'null' : 'NaN';
    else if (fl.zeroPad) return renderDigits({ ...s, digits: '9', iDP: 1000, special: 0 }, xtype, precision, upper, fl, iRound);
    else out = s.sign === '-' ? '-Inf' : fl.prefix ? fl.prefix + 'Inf' : 'Inf';
    return pad(out, width, !!fl.leftJustify);
  }
  return renderDigits(s, xtype, precision, upper, fl, iRound);
}

function renderDigits(s: FpDecoded, xtypeIn: 'f' | 'e' | 'g', precisionIn: number, upper: boolean, fl: FloatFlags, iRound: number): string {
  let xtype = xtypeIn;
  let precision = precisionIn;
  let prefix = '';
  if (s.sign === '-') {
    prefix = fl.alternate && !fl.prefix && xtype === 'f' && s.iDP <= iRound ? '' : '-';
  } else prefix = fl.prefix ?? '';
  let exp = s.iDP - 1;
  let rtz: boolean;
  if (xtype === 'g') {
    precision--;
    rtz = !fl.alternate;
    if (exp < -4 || exp > precision) xtype = 'e';
    else {
      precision = precision - exp;
      xtype = 'f';
    }
  } else rtz = !!fl.alt2;
  let e2 = xtype === 'e' ? 0 : s.iDP - 1;
  const dp = precision > 0 || !!fl.alternate || !!fl.alt2;
  const z = s.digits;
  const n = z.length;
  let buf = prefix;
  let j = 0;
  if (e2 < 0) buf += '0';
  else if (fl.thousands) {
    for (; e2 >= 0; e2--) {
      buf += j < n ? z[j++] : '0';
      if (e2 % 3 === 0 && e2 > 1) buf += ',';
    }
  } else {
    j = Math.min(e2 + 1, n);
    buf += z.slice(0, j);
    e2 -= j;
    if (e2 >= 0) {
      buf += '0'.repeat(e2 + 1);
      e2 = -1;
    }
  }
  if (dp) buf += '.';
  if (e2 < -1 && precision > 0) {
    const nn = Math.min(-1 - e2, precision);
    buf += '0'.repeat(nn);
    precision -= nn;
  }
  if (precision > 0) {
    const nn = Math.min(n - j, precision);
    if (nn > 0) {
      buf += z.slice(j, j + nn);
      precision -= nn;
    }
    if (precision > 0 && !rtz) buf += '0'.repeat(precision);
  }
  if (rtz && dp) {
    let end = buf.length;
    while (buf.charCodeAt(end - 1) === 48) end--;
    buf = buf.slice(0, end);
    if (buf.endsWith('.')) buf = fl.alt2 ? buf + '0' : buf.slice(0, -1);
  }
  if (xtype === 'e') {
    exp = s.iDP - 1;
    buf += upper ? 'E' : 'e';
    if (exp < 0) {
      buf += '-';
      exp = -exp;
    } else buf += '+';
    buf += exp < 10 ? '0' + exp : String(exp);
  }
  const width = fl.width ?? 0;
  if (buf.length < width) {
    const nPad = width - buf.length;
    if (fl.leftJustify) buf += ' '.repeat(nPad);
    else if (!fl.zeroPad) buf = ' '.repeat(nPad) + buf;
    else {
      const adj = prefix.length;
      buf = buf.slice(0, adj) + '0'.repeat(nPad) + buf.slice(adj);
    }
  }
  return buf;
}

function pad(s: string, width: number, left: boolean): string {
  if (s.length >= width) return s;
  return left ? s + ' '.repeat(width - s.length) : ' '.repeat(width - s.length) + s;
}

/**
 * SQLite's text form of a REAL: "%!.*g" with 17 digits by default (SQLite 3.47+ and the better-sqlite3
 * oracle: 1.0, 0.30000000000000004, 1.0e+20, Inf). Pass 15 for the older "%!.15g" (0.1+0.2 → 0.3).
 */
export function realToText(r: number, digits = 17): string {
  if (r === 0) return '0.0';
  return formatFloat(r, 'g', digits, { alt2: true });
}

/** The REAL rendering quote() and the JSON functions use ("%!0.17g": infinity becomes 9.0e+999). */
export function realToLiteral(r: number): string {
  if (r === 0) return '0.0';
  return formatFloat(r, 'g', 17, { alt2: true, zeroPad: true });
}

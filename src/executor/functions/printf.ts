// SQLite's printf()/format(): a port of sqlite3_str_vappendf for SQL arguments (%d %s %f %q %Q %w %c %x …).

import type { SqlType, SqlValue } from '../value.js';
import { formatFloat, type FloatFlags } from '../value-fp.js';
import { toInt, toReal, utf8Decode, utf8Encode, valueToText } from '../value-text.js';

/** Argument cursor: missing arguments read as 0, 0.0 or NULL text, as in SQLite. */
class Args {
  used = 0;
  constructor(readonly vals: readonly SqlValue[], readonly types: readonly SqlType[]) {}
  int(): bigint {
    if (this.used >= this.vals.length) return 0n;
    const v = toInt(this.vals[this.used++]!);
    return typeof v === 'bigint' ? v : BigInt(v);
  }
  real(): number {
    return this.used >= this.vals.length ? 0 : toReal(this.vals[this.used++]!);
  }
  text(): string | null {
    if (this.used >= this.vals.length) return null;
    const i = this.used++;
    return valueToText(this.vals[i]!, this.types[i]);
  }
}

function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
  }
  return n;
}

function padTo(s: string, width: number, left: boolean, len: number): string {
  if (width <= len) return s;
  const pad = ' '.repeat(width - len);
  return left ? s + pad : pad + s;
}

const ORD = 'thstndrd';

function integer(conv: string, a: Args, fl: FloatFlags & { precision: number }): string {
  const base = conv === 'x' || conv === 'X' || conv === 'p' ? 16 : conv === 'o' ? 8 : 10;
  const signed = conv === 'd' || conv === 'i' || conv === 'r';
  let v = a.int();
  let prefix = '';
  if (signed) {
    if (v < 0n) {
      v = -v;
      prefix = '-';
    } else prefix = fl.prefix ?? '';
  } else v = BigInt.asUintN(64, v);
  let alternate = !!fl.alternate && v !== 0n;
  let precision = fl.precision;
  const width = fl.width ?? 0;
  if (fl.zeroPad && precision < width - (prefix ? 1 : 0)) precision = width - (prefix ? 1 : 0);
  let digits = v.toString(base);
  if (conv === 'X' || conv === 'p') digits = digits.toUpperCase();
  // The ordinal suffix is in the buffer before zero padding, so it counts toward the precision.
  if (conv === 'r') {
    let x = Number(v % 10n);
    if (x >= 4 || (v / 10n) % 10n === 1n) x = 0;
    digits += ORD.slice(x * 2, x * 2 + 2);
    alternate = false;
  }
  if (precision > digits.length) digits = '0'.repeat(precision - digits.length) + digits;
  if (fl.thousands && (conv === 'd' || conv === 'i' || conv === 'u')) {
    const head = digits.length % 3 || 3;
    let out = digits.slice(0, head);
    for (let i = head; i < digits.length; i += 3) out += ',' + digits.slice(i, i + 3);
    digits = out;
  }
  let out = prefix + digits;
  if (alternate) out = (conv === 'o' ? '0' : conv === 'x' ? '0x' : conv === 'X' ? '0X' : '') + out;
  return padTo(out, width, !!fl.leftJustify, out.length);
}

function escape(conv: 'q' | 'Q' | 'w', s: string | null, alternate: boolean): string {
  if (s === null) return conv === 'Q' ? 'NULL' : '(NULL)';
  const q = conv === 'w' ? '"' : "'";
  let body = s.split(q).join(q + q);
  let unistr = false;
  if (alternate && conv !== 'w') {
    const hasCtrl = /[\u0000-\u001f]/.test(s);
    if (hasCtrl || conv === 'q') {
      body = body.replace(/\\/g, '\\\\').replace(/[\u0000-\u001f]/g, (c) => '\\u00' + c.charCodeAt(0).toString(16).padStart(2, '0'));
      unistr = conv === 'Q';
    }
  }
  if (conv !== 'Q') return body;
  return unistr ? `unistr('${body}')` : `'${body}'`;
}

/**
 * SQL printf(format, args…): SQLite's conversions and flags (- + space 0 # ! ,), width and
 * precision (including *), %d %i %u %x %X %o %r %p %c %s %z %q %Q %w %f %e %E %g %G %n %%.
 * Returns NULL when nothing was produced (printf('') and a bad conversion first thing).
 */
export function sqlPrintf(format: string, vals: readonly SqlValue[], types: readonly SqlType[]): string | null {
  const a = new Args(vals, types);
  let out = '';
  let touched = false;
  let i = 0;
  const n = format.length;
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      touched = true;
      break;
    }
    if (pct > i) {
      out += format.slice(i, pct);
      touched = true;
    }
    i = pct + 1;
    if (i >= n) {
      out += '%';
      touched = true;
      break;
    }
    const fl: FloatFlags & { precision: number } = { precision: -1, width: 0, prefix: '' };
    let c = format[i];
    for (;;) {
      if (c === '-') fl.leftJustify = true;
      else if (c === '+') fl.prefix = '+';
      else if (c === ' ') fl.prefix = ' ';
      else if (c === '#') fl.alternate = true;
      else if (c === '!') fl.alt2 = true;
      else if (c === '0') fl.zeroPad = true;
      else if (c === ',') fl.thousands = true;
      else break;
      c = format[++i];
    }
    if (c === '*') {
      let w = Number(a.int());
      if (w < 0) {
        fl.leftJustify = true;
        w = -w;
      }
      fl.width = w;
      c = format[++i];
    } else {
      let w = 0;
      while (c !== undefined && c >= '0' && c <= '9') {
        w = w * 10 + c.charCodeAt(0) - 48;
        c = format[++i];
      }
      fl.width = w;
    }
    if (c === '.') {
      c = format[++i];
      if (c === '*') {
        const p = Number(a.int());
        fl.precision = p < 0 ? -p : p;
        c = format[++i];
      } else {
        let p = 0;
        while (c !== undefined && c >= '0' && c <= '9') {
          p = p * 10 + c.charCodeAt(0) - 48;
          c = format[++i];
        }
        fl.precision = p;
      }
    }
    while (c === 'l') c = format[++i];
    i++;
    const width = fl.width ?? 0;
    switch (c) {
      case 'd':
      case 'i':
      case 'u':
      case 'x':
      case 'X':
      case 'o':
      case 'r':
      case 'p':
        out += integer(c, a, fl);
        break;
      case 'f':
      case 'e':
      case 'E':
      case 'g':
      case 'G':
        out += formatFloat(a.real(), c, fl.precision, fl);
        break;
      case 's':
      case 'z': {
        let s = a.text() ?? '';
        if (fl.precision >= 0) {
          if (fl.alt2) s = Array.from(s).slice(0, fl.precision).join('');
          else if (byteLength(s) > fl.precision) s = utf8Decode(utf8Encode(s).subarray(0, fl.precision));
        }
        out += padTo(s, width, !!fl.leftJustify, fl.alt2 ? Array.from(s).length : byteLength(s));
        break;
      }
      case 'c': {
        const t = a.text();
        const ch = t === null ? '\u0000' : t === '' ? '\u0000' : String.fromCodePoint(t.codePointAt(0) as number);
        const reps = fl.precision > 1 ? fl.precision : 1;
        let w = width;
        let s = '';
        if (reps > 1) {
          w -= reps - 1;
          if (w > 1 && !fl.leftJustify) {
            s += ' '.repeat(w - 1);
            w = 0;
          }
        }
        s += ch.repeat(reps);
        out += w > 1 ? (fl.leftJustify ? s + ' '.repeat(w - 1) : ' '.repeat(w - 1) + s) : s;
        break;
      }
      case 'q':
      case 'Q':
      case 'w': {
        const s = escape(c, a.text(), !!fl.alternate);
        out += padTo(s, width, !!fl.leftJustify, fl.alt2 ? Array.from(s).length : byteLength(s));
        break;
      }
      case '%':
        out += padTo('%', width, !!fl.leftJustify, 1);
        break;
      case 'n':
        break;
      default:
        // Unknown conversions (and SQLite's internal %T / %S) stop the output where it is.
        return touched ? out : null;
    }
    touched = true;
  }
  return touched ? out : null;
}

// Order-preserving tuple encoding: encodeKey(a) < encodeKey(b) (bytewise) exactly when tuple a < tuple b.

import { CorruptionError, ValidationError } from '../errors.js';
import { allocBytes, compareBytes, latin1 } from './bytes.js';

/** A value that can be part of a key. Order across kinds: null < false < true < numbers < strings < bytes < tuples. */
export type KeyPart = null | boolean | number | bigint | string | Uint8Array | readonly KeyPart[];

/** A key: an ordered tuple of parts. */
export type KeyTuple = readonly KeyPart[];

// Type codes. 0x00 is reserved as the terminator of strings, bytes and nested tuples, so no code may be 0.
const T_NULL = 0x05;
const T_FALSE = 0x08;
const T_TRUE = 0x09;
const T_NUMBER = 0x10;
const T_STRING = 0x20;
const T_BYTES = 0x30;
const T_TUPLE = 0x40;

// Numbers of every kind share one code so that 1 < 1.5 < 2 across integers and reals. A number is
// 8 bytes of sortable float64 (its nearest double) then 2 bytes: (exact - double) * 2 + isReal, offset
// by 0x8000. The difference is non-zero only for 64-bit integers beyond 2^53, where it is at most 1024.
const DIFF_BIAS = 0x8000;
const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });

/** A growable byte buffer used while encoding. */
class Writer {
  buf = new Uint8Array(64);
  len = 0;
  private readonly view8 = new DataView(new ArrayBuffer(8));

  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  /** Writes bytes with 0x00 escaped as 0x00 0xff, then the 0x00 terminator. */
  escaped(bytes: Uint8Array): void {
    this.ensure(bytes.length * 2 + 1);
    const buf = this.buf;
    let o = this.len;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      buf[o++] = b;
      if (b === 0) buf[o++] = 0xff;
    }
    buf[o++] = 0;
    this.len = o;
  }

  /**
   * For a short all-ASCII string, writes what escaped() would write for its UTF-8 bytes (which
   * are its char codes) and returns true; otherwise writes nothing and returns false.
   */
  asciiEscaped(s: string): boolean {
    if (s.length > 256) return false;
    let zeros = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) return false;
      if (c === 0) zeros++;
    }
    this.ensure(s.length + zeros + 1);
    const buf = this.buf;
    let o = this.len;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      buf[o++] = c;
      if (c === 0) buf[o++] = 0xff;
    }
    buf[o++] = 0;
    this.len = o;
    return true;
  }

  sortableDouble(d: number): void {
    this.view8.setFloat64(0, d === 0 ? 0 : d); // -0 and 0 are the same key
    const hi = this.view8.getUint8(0);
    this.ensure(8);
    if (hi & 0x80) {
      for (let i = 0; i < 8; i++) this.buf[this.len++] = ~this.view8.getUint8(i) & 0xff;
    } else {
      this.buf[this.len++] = hi | 0x80;
      for (let i = 1; i < 8; i++) this.buf[this.len++] = this.view8.getUint8(i);
    }
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function encodePart(w: Writer, part: KeyPart): void {
  if (part === null) return w.byte(T_NULL);
  switch (typeof part) {
    case 'boolean':
      return w.byte(part ? T_TRUE : T_FALSE);
    case 'number': {
      if (Number.isNaN(part)) throw new ValidationError('NaN cannot be part of a key');
      w.byte(T_NUMBER);
      w.sortableDouble(part);
      const tail = DIFF_BIAS + (Number.isInteger(part) ? 0 : 1);
      w.byte(tail >> 8);
      w.byte(tail & 0xff);
      return;
    }
    case 'bigint': {
      if (part > MAX_INT64 || part < MIN_INT64) throw new ValidationError(`integer ${part} is outside the 64-bit range`);
      const d = Number(part);
      const diff = Number(part - BigInt(d));
      w.byte(T_NUMBER);
      w.sortableDouble(d);
      const tail = DIFF_BIAS + diff * 2;
      w.byte(tail >> 8);
      w.byte(tail & 0xff);
      return;
    }
    case 'string':
      w.byte(T_STRING);
      if (w.asciiEscaped(part)) return;
      return w.escaped(textEncoder.encode(part));
    case 'object':
      if (part instanceof Uint8Array) {
        w.byte(T_BYTES);
        return w.escaped(part);
      }
      if (Array.isArray(part)) {
        w.byte(T_TUPLE);
        for (const p of part) encodePart(w, p);
        return w.byte(0);
      }
  }
  throw new ValidationError(`cannot encode ${typeof part} as part of a key`);
}

// Encoding is synchronous, so one writer is reused by every call (no buffers allocated per key).
const shared = new Writer();

/** Encodes a tuple so that byte order equals tuple order (element by element, shorter prefix first). */
export function encodeKey(tuple: KeyTuple): Uint8Array {
  const w = shared;
  w.len = 0;
  for (const p of tuple) encodePart(w, p);
  return w.result();
}

const NO_BYTES = new Uint8Array(0);

/**
 * A tag byte followed by encodeKey([head, ...rest]), built in one pass into a shared slab
 * (the same bytes as tagging an encodeKey result, without the intermediate copies).
 */
export function encodeTaggedKey(tag: number, head: KeyPart, rest: readonly KeyPart[]): Uint8Array {
  return encodeTaggedKeySuffixed(tag, head, rest, NO_BYTES);
}

/**
 * encodeTaggedKey followed by `suffix`, bytes already encoded as key parts (a row key's parts
 * after its table prefix, appended to an index entry's key without encoding them again).
 */
export function encodeTaggedKeySuffixed(tag: number, head: KeyPart, rest: readonly KeyPart[], suffix: Uint8Array): Uint8Array {
  const w = shared;
  w.len = 0;
  w.byte(tag);
  encodePart(w, head);
  for (const p of rest) encodePart(w, p);
  const out = allocBytes(w.len + suffix.length);
  out.set(w.buf.subarray(0, w.len));
  out.set(suffix, w.len);
  return out;
}

/** Encodes one part on its own (a one-element tuple). */
export function encodeKeyPart(part: KeyPart): Uint8Array {
  return encodeKey([part]);
}

// Decoding is synchronous: one scratch view serves every float decoded.
const SCRATCH = new DataView(new ArrayBuffer(8));

/** Decoding state over an encoded key. */
class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  need(n: number): void {
    if (this.pos + n > this.buf.length) throw new CorruptionError('truncated key');
  }

  /**
   * The end of the escaped run starting at `pos` (the offset of its 0x00 terminator) and whether
   * it contains escapes (0x00 0xff for a zero byte).
   */
  private runEnd(): { end: number; escapes: boolean } {
    const buf = this.buf;
    let escapes = false;
    for (let i = this.pos; i < buf.length; i++) {
      if (buf[i] !== 0) continue;
      if (buf[i + 1] !== 0xff) return { end: i, escapes };
      escapes = true;
      i++;
    }
    throw new CorruptionError('truncated key');
  }

  escaped(): Uint8Array {
    const { end, escapes } = this.runEnd();
    const start = this.pos;
    this.pos = end + 1;
    if (!escapes) return this.buf.slice(start, end);
    const out: number[] = [];
    for (let i = start; i < end; i++) {
      out.push(this.buf[i]!);
      if (this.buf[i] === 0) i++; // skip the 0xff of an escaped zero
    }
    return Uint8Array.from(out);
  }

  /** An escaped run as text; short ASCII runs (ids, names) skip the TextDecoder call. */
  text(): string {
    const { end, escapes } = this.runEnd();
    const buf = this.buf;
    const start = this.pos;
    if (!escapes && end - start <= 64) {
      let ascii = true;
      for (let i = start; i < end; i++) {
        if (buf[i]! >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        this.pos = end + 1;
        return latin1(buf, start, end);
      }
    }
    return textDecoder.decode(this.escaped());
  }

  sortableDouble(): number {
    this.need(8);
    const tmp = SCRATCH;
    const first = this.buf[this.pos]!;
    if (first & 0x80) {
      tmp.setUint8(0, first & 0x7f);
      for (let i = 1; i < 8; i++) tmp.setUint8(i, this.buf[this.pos + i]!);
    } else {
      for (let i = 0; i < 8; i++) tmp.setUint8(i, ~this.buf[this.pos + i]! & 0xff);
    }
    this.pos += 8;
    return tmp.getFloat64(0);
  }

  part(): KeyPart {
    this.need(1);
    const code = this.buf[this.pos++]!;
    switch (code) {
      case T_NULL:
        return null;
      case T_FALSE:
        return false;
      case T_TRUE:
        return true;
      case T_NUMBER: {
        const d = this.sortableDouble();
        this.need(2);
        const tail = ((this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!) - DIFF_BIAS;
        this.pos += 2;
        if (tail & 1) return d;
        const diff = tail / 2;
        if (diff !== 0 || !Number.isSafeInteger(d)) return BigInt(d) + BigInt(diff);
        return d;
      }
      case T_STRING:
        return this.text();
      case T_BYTES:
        return this.escaped();
      case T_TUPLE: {
        const items: KeyPart[] = [];
        for (;;) {
          this.need(1);
          if (this.buf[this.pos] === 0) {
            this.pos++;
            return items;
          }
          items.push(this.part());
        }
      }
      default:
        throw new CorruptionError(`unknown key type code 0x${code.toString(16)} at byte ${this.pos - 1}`);
    }
  }
}

/** Decodes a key made by encodeKey. Integers beyond 2^53 come back as bigint, other integers as number. */
export function decodeKey(bytes: Uint8Array): KeyPart[] {
  const r = new Reader(bytes);
  const out: KeyPart[] = [];
  while (r.pos < bytes.length) out.push(r.part());
  return out;
}

/** Decodes the parts of a key that come after an encoded prefix of `prefixLength` bytes. */
export function decodeKeySuffix(bytes: Uint8Array, prefixLength: number): KeyPart[] {
  return decodeKeyFrom(bytes, prefixLength, 0);
}

/**
 * Decodes the parts of a key from byte `offset`, skipping the first `skip` parts undecoded (no
 * subarray view is made: views cost more than the decoding of a short key).
 */
export function decodeKeyFrom(bytes: Uint8Array, offset: number, skip: number): KeyPart[] {
  const r = new Reader(bytes);
  r.pos = skipParts(bytes, offset, skip);
  const out: KeyPart[] = [];
  while (r.pos < bytes.length) out.push(r.part());
  return out;
}

/** Compares two tuples in the order the encoding preserves (the reference for property tests). */
export function compareTuples(a: KeyTuple, b: KeyTuple): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = comparePart(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function rank(p: KeyPart): number {
  if (p === null) return 0;
  if (p === false) return 1;
  if (p === true) return 2;
  if (typeof p === 'number' || typeof p === 'bigint') return 3;
  if (typeof p === 'string') return 4;
  if (p instanceof Uint8Array) return 5;
  return 6;
}

/** Compares two key parts in encoded order. */
export function comparePart(a: KeyPart, b: KeyPart): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 3: {
      const x = a as number | bigint;
      const y = b as number | bigint;
      if (x < y) return -1;
      if (x > y) return 1;
      // Equal values: an integer sorts just before the equal real.
      const xr = typeof x === 'number' && !Number.isInteger(x) ? 1 : 0;
      const yr = typeof y === 'number' && !Number.isInteger(y) ? 1 : 0;
      return xr - yr;
    }
    case 4:
      return compareBytes(textEncoder.encode(a as string), textEncoder.encode(b as string));
    case 5:
      return compareBytes(a as Uint8Array, b as Uint8Array);
    case 6:
      return compareTuples(a as KeyTuple, b as KeyTuple);
    default:
      return 0;
  }
}

/** The byte offset just past `count` encoded parts starting at `offset` (without decoding them). */
export function skipParts(bytes: Uint8Array, offset: number, count: number): number {
  let pos = offset;
  for (let n = 0; n < count; n++) pos = skipPart(bytes, pos);
  return pos;
}

function skipPart(bytes: Uint8Array, pos: number): number {
  const code = bytes[pos++];
  switch (code) {
    case T_NULL:
    case T_FALSE:
    case T_TRUE:
      return pos;
    case T_NUMBER:
      return pos + 10;
    case T_STRING:
    case T_BYTES:
      for (;;) {
        const b = bytes[pos++];
        if (b === undefined) throw new CorruptionError('truncated key');
        if (b === 0) {
          if (bytes[pos] === 0xff) pos++;
          else return pos;
        }
      }
    case T_TUPLE:
      while (bytes[pos] !== 0) {
        if (pos >= bytes.length) throw new CorruptionError('truncated key');
        pos = skipPart(bytes, pos);
      }
      return pos + 1;
    default:
      throw new CorruptionError(`unknown key type code 0x${(code ?? 0).toString(16)}`);
  }
}

// Encodes table rows (arrays of SQL values) to bytes and back: a type tag per column, then its data.

import { CorruptionError } from '../errors.js';
import type { SqlValue } from '../executor/value.js';
import { allocBytes } from './bytes.js';

// Column tags. Small integers get one-byte forms because ids, counts and flags dominate real rows.
const NULL = 0;
const INT8 = 1; // signed 8-bit
const INT32 = 2; // signed 32-bit
const F64 = 3; // float64 (integers beyond 32 bits that are safe are written here too, flagged by tag)
const SAFE_INT = 4; // an integer stored as float64
const BIGINT = 5; // signed 64-bit
const TEXT = 6; // varint length + UTF-8
const BLOB = 7; // varint length + bytes
const VECTOR = 8; // varint count + float32 little-endian

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Float32Array bytes are already the stored little-endian form here, so vectors copy as bytes. */
const LITTLE_ENDIAN = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;
/** Strings up to this length are measured and written by hand: cheaper than a TextEncoder call. */
const SHORT_TEXT = 256;

/** The UTF-8 length of a short string when it is all ASCII, else -1. */
function asciiLength(s: string): number {
  if (s.length > SHORT_TEXT) return -1;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return -1;
  return s.length;
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

let lastBuffer: ArrayBufferLike | undefined;
let lastView: DataView | undefined;

/** A DataView of a whole buffer, reused while rows keep coming from the same one. */
function viewOf(buffer: ArrayBufferLike): DataView {
  if (buffer !== lastBuffer) {
    lastBuffer = buffer;
    lastView = new DataView(buffer);
  }
  return lastView!;
}

/**
 * Encodes a row. Strings are UTF-8; a Float32Array is a vector. `asStoredValue`: with the header
 * byte of a stored value without expiry in front (value-format.ts), as the engine keeps it, so
 * that a new row is not copied once more to add it.
 */
export function encodeRow(values: readonly SqlValue[], asStoredValue = false): Uint8Array {
  // First pass: size. Short ASCII strings are written directly later; others are encoded once and kept.
  let texts: (Uint8Array | undefined)[] | undefined;
  const start = asStoredValue ? 1 : 0;
  let size = start + varintSize(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) size += 1;
    else if (typeof v === 'number') {
      if (Number.isInteger(v) && v >= -128 && v <= 127) size += 2;
      else if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) size += 5;
      else size += 9;
    } else if (typeof v === 'bigint') size += 9;
    else if (typeof v === 'string') {
      const n = asciiLength(v);
      if (n >= 0) size += 1 + varintSize(n) + n;
      else {
        const t = encoder.encode(v);
        (texts ??= new Array(values.length))[i] = t;
        size += 1 + varintSize(t.length) + t.length;
      }
    } else if (v instanceof Float32Array) size += 1 + varintSize(v.length) + v.length * 4;
    else size += 1 + varintSize(v.length) + v.length;
  }
  const out = size <= 4096 ? allocBytes(size) : new Uint8Array(size);
  // Small rows share a slab: its DataView is made once, not once per row (base: the row's offset in it).
  const dv = viewOf(out.buffer);
  const base = out.byteOffset;
  if (asStoredValue) out[0] = 0;
  let o = writeVarint(out, start, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) out[o++] = NULL;
    else if (typeof v === 'number') {
      if (Number.isInteger(v) && v >= -128 && v <= 127) {
        out[o++] = INT8;
        dv.setInt8(base + o, v);
        o += 1;
      } else if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) {
        out[o++] = INT32;
        dv.setInt32(base + o, v, true);
        o += 4;
      } else {
        out[o++] = Number.isInteger(v) ? SAFE_INT : F64;
        dv.setFloat64(base + o, v, true);
        o += 8;
      }
    } else if (typeof v === 'bigint') {
      out[o++] = BIGINT;
      dv.setBigInt64(base + o, v, true);
      o += 8;
    } else if (typeof v === 'string') {
      out[o++] = TEXT;
      const t = texts?.[i];
      if (t === undefined) {
        o = writeVarint(out, o, v.length);
        for (let j = 0; j < v.length; j++) out[o++] = v.charCodeAt(j);
      } else {
        o = writeVarint(out, o, t.length);
        out.set(t, o);
        o += t.length;
      }
    } else if (v instanceof Float32Array) {
      out[o++] = VECTOR;
      o = writeVarint(out, o, v.length);
      if (LITTLE_ENDIAN) {
        out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), o);
        o += v.byteLength;
      } else for (let j = 0; j < v.length; j++, o += 4) dv.setFloat32(base + o, v[j]!, true);
    } else {
      out[o++] = BLOB;
      o = writeVarint(out, o, v.length);
      out.set(v, o);
      o += v.length;
    }
  }
  // Fill any slack left by the size estimate (never happens; keeps slab bytes defined).
  out.fill(0, o);
  return o === size ? out : out.subarray(0, o);
}

function writeVarint(out: Uint8Array, o: number, n: number): number {
  while (n >= 0x80) {
    out[o++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[o++] = n;
  return o;
}

/** Read position of the decoder below (decoding is synchronous, so one shared cursor suffices). */
let pos = 0;

function readVarint(bytes: Uint8Array): number {
  let n = 0;
  let mul = 1;
  for (;;) {
    const b = bytes[pos++];
    if (b === undefined) throw new CorruptionError('truncated row');
    n += (b & 0x7f) * mul;
    if (b < 0x80) return n;
    mul *= 128;
  }
}

/** Decodes the tagged value at `pos` and moves past it. */
function readValue(bytes: Uint8Array, dv: DataView): SqlValue {
  const tag = bytes[pos++];
  const o = pos;
  switch (tag) {
    case NULL:
      return null;
    case INT8:
      pos += 1;
      return dv.getInt8(o);
    case INT32:
      pos += 4;
      return dv.getInt32(o, true);
    case F64:
    case SAFE_INT:
      pos += 8;
      return dv.getFloat64(o, true);
    case BIGINT: {
      const b = dv.getBigInt64(o, true);
      pos += 8;
      return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
    }
    case TEXT: {
      const n = readVarint(bytes);
      const v = decoder.decode(bytes.subarray(pos, pos + n));
      pos += n;
      return v;
    }
    case BLOB: {
      const n = readVarint(bytes);
      const v = bytes.slice(pos, pos + n);
      pos += n;
      return v;
    }
    case VECTOR: {
      const n = readVarint(bytes);
      const v = readVector(bytes, dv, pos, n);
      pos += n * 4;
      return v;
    }
    default:
      throw new CorruptionError(`bad column tag ${tag} in row`);
  }
}

function readVector(bytes: Uint8Array, dv: DataView, o: number, n: number): Float32Array {
  if (LITTLE_ENDIAN && o + n * 4 <= bytes.length) return new Float32Array(bytes.slice(o, o + n * 4).buffer);
  const v = new Float32Array(n);
  for (let j = 0; j < n; j++, o += 4) v[j] = dv.getFloat32(o, true);
  return v;
}

/**
 * Decodes a row made by encodeRow, followed by `extra` NULL slots for the caller to fill (a scan's
 * hidden columns). The array is made at its final length and with generic elements from the
 * start: growing it, or storing a REAL into an array that so far held only integers, would make
 * V8 copy its elements to a new store away from the array, and scans of cached rows would pay
 * for the scattered memory on every row.
 */
export function decodeRow(bytes: Uint8Array, extra = 0): SqlValue[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  pos = 0;
  const count = readVarint(bytes);
  const out = new Array<SqlValue>(count + extra).fill(null);
  for (let i = 0; i < count; i++) out[i] = readValue(bytes, dv);
  return out;
}

/**
 * Decodes one column of a row made by encodeRow, skipping the ones before it without decoding
 * them (undefined when the row has fewer columns). For readers that need a single value, such as
 * the vector index's commit listener.
 */
export function decodeColumn(bytes: Uint8Array, column: number): SqlValue | undefined {
  pos = 0;
  const count = readVarint(bytes);
  if (column >= count) return undefined;
  for (let i = 0; i < column; i++) {
    const tag = bytes[pos++];
    switch (tag) {
      case NULL:
        break;
      case INT8:
        pos += 1;
        break;
      case INT32:
        pos += 4;
        break;
      case F64:
      case SAFE_INT:
      case BIGINT:
        pos += 8;
        break;
      case TEXT:
      case BLOB: {
        const n = readVarint(bytes); // read before adding: `pos +=` would add to the old position
        pos += n;
        break;
      }
      case VECTOR: {
        const n = readVarint(bytes);
        pos += n * 4;
        break;
      }
      default:
        throw new CorruptionError(`bad column tag ${tag} in row`);
    }
  }
  return readValue(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

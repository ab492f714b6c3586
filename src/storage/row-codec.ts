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

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Encodes a row. Strings are UTF-8; a Float32Array is a vector. */
export function encodeRow(values: readonly SqlValue[]): Uint8Array {
  // First pass: size. Strings are encoded once and kept.
  const texts: (Uint8Array | undefined)[] = new Array(values.length);
  let size = varintSize(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) size += 1;
    else if (typeof v === 'number') {
      if (Number.isInteger(v) && v >= -128 && v <= 127) size += 2;
      else if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) size += 5;
      else size += 9;
    } else if (typeof v === 'bigint') size += 9;
    else if (typeof v === 'string') {
      const t = encoder.encode(v);
      texts[i] = t;
      size += 1 + varintSize(t.length) + t.length;
    } else if (v instanceof Float32Array) size += 1 + varintSize(v.length) + v.length * 4;
    else size += 1 + varintSize(v.length) + v.length;
  }
  const out = size <= 4096 ? allocBytes(size) : new Uint8Array(size);
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let o = writeVarint(out, 0, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) out[o++] = NULL;
    else if (typeof v === 'number') {
      if (Number.isInteger(v) && v >= -128 && v <= 127) {
        out[o++] = INT8;
        dv.setInt8(o, v);
        o += 1;
      } else if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) {
        out[o++] = INT32;
        dv.setInt32(o, v, true);
        o += 4;
      } else {
        out[o++] = Number.isInteger(v) ? SAFE_INT : F64;
        dv.setFloat64(o, v, true);
        o += 8;
      }
    } else if (typeof v === 'bigint') {
      out[o++] = BIGINT;
      dv.setBigInt64(o, v, true);
      o += 8;
    } else if (typeof v === 'string') {
      const t = texts[i]!;
      out[o++] = TEXT;
      o = writeVarint(out, o, t.length);
      out.set(t, o);
      o += t.length;
    } else if (v instanceof Float32Array) {
      out[o++] = VECTOR;
      o = writeVarint(out, o, v.length);
      for (let j = 0; j < v.length; j++, o += 4) dv.setFloat32(o, v[j]!, true);
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

/** Decodes a row made by encodeRow. */
export function decodeRow(bytes: Uint8Array): SqlValue[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 0;
  const readVarint = (): number => {
    let n = 0;
    let mul = 1;
    for (;;) {
      const b = bytes[o++];
      if (b === undefined) throw new CorruptionError('truncated row');
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
    }
  };
  const count = readVarint();
  const out: SqlValue[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const tag = bytes[o++];
    switch (tag) {
      case NULL:
        out[i] = null;
        break;
      case INT8:
        out[i] = dv.getInt8(o);
        o += 1;
        break;
      case INT32:
        out[i] = dv.getInt32(o, true);
        o += 4;
        break;
      case F64:
      case SAFE_INT:
        out[i] = dv.getFloat64(o, true);
        o += 8;
        break;
      case BIGINT: {
        const b = dv.getBigInt64(o, true);
        out[i] = b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
        o += 8;
        break;
      }
      case TEXT: {
        const n = readVarint();
        out[i] = decoder.decode(bytes.subarray(o, o + n));
        o += n;
        break;
      }
      case BLOB: {
        const n = readVarint();
        out[i] = bytes.slice(o, o + n);
        o += n;
        break;
      }
      case VECTOR: {
        const n = readVarint();
        const v = new Float32Array(n);
        for (let j = 0; j < n; j++, o += 4) v[j] = dv.getFloat32(o, true);
        out[i] = v;
        break;
      }
      default:
        throw new CorruptionError(`bad column tag ${tag} in row`);
    }
  }
  return out;
}

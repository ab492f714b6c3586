// The header every MVCC-managed value carries in the engine: flags, then an optional expiry, then the payload.

import { CorruptionError } from '../errors.js';
import { allocBytes } from './bytes.js';

const FLAG_EXPIRES = 0x01;
const KNOWN_FLAGS = FLAG_EXPIRES;

/** A stored value: its payload bytes and, if it has a TTL, the wall-clock ms at which it expires. */
export interface StoredValue {
  readonly payload: Uint8Array;
  /** Expiry in Unix ms; 0 means never. */
  readonly expiresAt: number;
}

/** Encodes a value with its header. */
export function encodeValue(payload: Uint8Array, expiresAt = 0): Uint8Array {
  if (expiresAt === 0) {
    const out = allocBytes(payload.length + 1);
    out[0] = 0;
    out.set(payload, 1);
    return out;
  }
  const out = allocBytes(payload.length + 9);
  out[0] = FLAG_EXPIRES;
  new DataView(out.buffer, out.byteOffset, out.byteLength).setFloat64(1, expiresAt);
  out.set(payload, 9);
  return out;
}

/** Decodes a value written by encodeValue. */
export function decodeValue(raw: Uint8Array): StoredValue {
  const flags = raw[0];
  if (flags === undefined || (flags & ~KNOWN_FLAGS) !== 0) {
    throw new CorruptionError(`bad value header 0x${(flags ?? 0).toString(16)}`);
  }
  if (flags & FLAG_EXPIRES) {
    if (raw.length < 9) throw new CorruptionError('truncated value header');
    const expiresAt = new DataView(raw.buffer, raw.byteOffset, raw.byteLength).getFloat64(1);
    return { payload: view(raw, 9), expiresAt };
  }
  return { payload: view(raw, 1), expiresAt: 0 };
}

/** True when a value with this expiry is no longer visible at `nowMs`. */
export function isExpired(expiresAt: number, nowMs: number): boolean {
  return expiresAt !== 0 && expiresAt <= nowMs;
}

/** A plain Uint8Array view of `raw` from `offset` (engines may hand out Buffers; callers get Uint8Array). */
export function view(raw: Uint8Array, offset: number): Uint8Array {
  return new Uint8Array(raw.buffer, raw.byteOffset + offset, raw.byteLength - offset);
}

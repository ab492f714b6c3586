// The key-value space's keys: limits, key spaces (root and namespaces), TTL-index keys, paths.
// Shared by the key-value API (src/api/kv.ts) and the key-value statements of ToonQL.

import { ValidationError } from '../errors.js';
import { concatBytes, toBytes, type BytesLike } from './bytes.js';
import { encodeKey } from './key-codec.js';
import { KeyTag, tagged } from './keyspace.js';
import type { WriteSink } from './mvcc/store.js';

/** Limits enforced on every key and value (ValidationError past them). */
export interface KvLimits {
  readonly maxKeyBytes: number;
  readonly maxValueBytes: number;
}

export const DEFAULT_LIMITS: KvLimits = { maxKeyBytes: 16 * 1024, maxValueBytes: 64 * 1024 * 1024 };

/** Prefix scans need at least this many bytes of prefix (a full scan must be asked for). */
export const MIN_PREFIX_BYTES = 2;

/** The key space of the default namespace: tag KV, then the user's key bytes. */
export const ROOT_KEY_SPACE: Uint8Array = Uint8Array.of(KeyTag.KV);

/** The engine key of a user key in a key space (ROOT_KEY_SPACE, or a namespace's). */
export function kvKey(key: BytesLike, limits: KvLimits, space: Uint8Array = ROOT_KEY_SPACE): Uint8Array {
  const k = toBytes(key, 'key');
  if (k.length === 0) throw new ValidationError('key must not be empty');
  if (k.length > limits.maxKeyBytes) {
    throw new ValidationError(`key is ${k.length} bytes; the limit is ${limits.maxKeyBytes}`);
  }
  return space.length === 1 ? tagged(space[0] as typeof KeyTag.KV, k) : concatBytes(space, k);
}

/** Validates and converts a value argument. */
export function kvValue(value: BytesLike, limits: KvLimits): Uint8Array {
  const v = toBytes(value, 'value');
  if (v.length > limits.maxValueBytes) {
    throw new ValidationError(`value is ${v.length} bytes; the limit is ${limits.maxValueBytes}`);
  }
  return v;
}

/** The TTL-index key recording that `engineKey` expires at `expiresAt`. */
export function ttlKey(expiresAt: number, engineKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(9 + engineKey.length);
  out[0] = KeyTag.TTL;
  new DataView(out.buffer).setFloat64(1, expiresAt);
  out.set(engineKey, 9);
  return out;
}

/** Splits a TTL-index key into its expiry and engine key. */
export function parseTtlKey(key: Uint8Array): { expiresAt: number; engineKey: Uint8Array } {
  const expiresAt = new DataView(key.buffer, key.byteOffset, key.byteLength).getFloat64(1);
  return { expiresAt, engineKey: key.subarray(9) };
}

/** Normalizes a path ("users/alice/name"): no leading or trailing slash, no empty segment. */
export function normalizePath(path: string, allowEmpty = false): string {
  if (typeof path !== 'string') throw new ValidationError('path must be a string');
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  if (trimmed === '' && !allowEmpty) throw new ValidationError('path must not be empty');
  if (trimmed !== '' && trimmed.split('/').some((s) => s === '')) throw new ValidationError(`path "${path}" has an empty segment`);
  return trimmed;
}

/** Writes one put into a storage transaction, with its TTL-index entry. */
export function writePut(txn: WriteSink, engineKey: Uint8Array, value: Uint8Array, expiresAt: number): void {
  txn.put(engineKey, value, expiresAt);
  if (expiresAt !== 0) txn.put(ttlKey(expiresAt, engineKey), new Uint8Array(0));
}


/** The engine-key prefix of a named namespace's key-value space (names are case-insensitive). */
export function namespaceKeySpace(name: string): Uint8Array {
  return tagged(KeyTag.NS_KV, encodeKey([name.toLowerCase()]));
}

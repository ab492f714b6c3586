// The top-level layout of the key space: one tag byte per kind of data (docs/storage-format.md).

import { allocBytes } from './bytes.js';

/**
 * The first byte of every engine key. Each kind of data owns one tag, so a prefix scan over one
 * kind never meets another. Tags are stable on disk: never renumber, only add.
 */
export const KeyTag = {
  /** Database metadata: format version, the clock's high-water mark. */
  META: 0x01,
  /** User key-value data of the root namespace: tag + the user's key bytes, unencoded. */
  KV: 0x02,
  /** TTL index: tag + 8-byte big-endian expiry ms + the engine key that expires. */
  TTL: 0x03,
  /** Catalog: tag + tuple(objectKind, name). */
  CATALOG: 0x04,
  /** Table rows: tag + tuple(tableId, primaryKey…). */
  ROW: 0x05,
  /** Secondary index entries: tag + tuple(indexId, indexedValues…, primaryKey…). */
  INDEX: 0x06,
  /** Vector collections (reserved): tag + tuple(collectionId, …). */
  VECTOR: 0x07,
  /** Text postings for BM25 (reserved): tag + tuple(indexId, term, docId). */
  TEXT: 0x08,
  /** Property graph nodes and edges (reserved): tag + tuple(graphId, …). */
  GRAPH: 0x09,
  /** Task queues (reserved): tag + tuple(queueId, …). */
  QUEUE: 0x0a,
  /** Namespaced key-value data (reserved): tag + tuple(namespace) + the user's key bytes. */
  NS_KV: 0x0b,
  /** Table statistics gathered by ANALYZE: tag + tuple(tableId) → JSON. */
  STATS: 0x0c,
} as const;

/** One of the key tags. */
export type KeyTagValue = (typeof KeyTag)[keyof typeof KeyTag];

/** Prepends a tag byte to key bytes. */
export function tagged(tag: KeyTagValue, rest: Uint8Array): Uint8Array {
  const out = allocBytes(rest.length + 1);
  out[0] = tag;
  out.set(rest, 1);
  return out;
}

/** Meta keys (tag META + ASCII name). */
export const MetaKey = {
  FORMAT_VERSION: Uint8Array.from([KeyTag.META, ...new TextEncoder().encode('format')]),
  CLOCK: Uint8Array.from([KeyTag.META, ...new TextEncoder().encode('clock')]),
  SYNC_MARK: Uint8Array.from([KeyTag.META, ...new TextEncoder().encode('sync')]),
} as const;

/** The on-disk format version this build writes and reads. */
export const FORMAT_VERSION = 1;

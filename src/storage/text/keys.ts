// The key layout of a text index (tag TEXT) and the varint payloads of its postings and lengths.

import { CorruptionError } from '../../errors.js';
import { allocBytes, concatBytes } from '../bytes.js';
import { encodeKey } from '../key-codec.js';
import { KeyTag } from '../keyspace.js';

/** Second tuple element of a posting key: postings sort before document lengths. */
export const POSTINGS_SECTION = 0;
/** Second tuple element of a document-length key. */
export const LENGTHS_SECTION = 1;

/** Term prefixes cached per index before the cache is cleared (terms repeat heavily across documents). */
const TERM_CACHE_LIMIT = 100_000;

/**
 * The keys of one text index. Layout (docs/text-index.md):
 *   posting:  0x08 tuple(indexId, 0, term) docKey  →  varint tf, varint docLength
 *   length:   0x08 tuple(indexId, 1)       docKey  →  varint docLength, varint termSignature
 * The tuple codec terminates a string with 0x00 and escapes 0x00 inside it, and terms never
 * contain U+0000, so the prefix of one term is never a prefix of another term's keys: the
 * postings of a term are exactly one contiguous prefix range.
 */
export class TextKeys {
  /** Prefix of every key of the index (for drop). */
  readonly indexPrefix: Uint8Array;
  /** Prefix of every document-length key. */
  readonly lengthPrefix: Uint8Array;
  private readonly termPrefixes = new Map<string, Uint8Array>();

  constructor(readonly indexId: number) {
    this.indexPrefix = concatBytes(Uint8Array.of(KeyTag.TEXT), encodeKey([indexId]));
    this.lengthPrefix = concatBytes(Uint8Array.of(KeyTag.TEXT), encodeKey([indexId, LENGTHS_SECTION]));
  }

  /** The prefix of every posting of `term` (cached; never mutate it). */
  termPrefix(term: string): Uint8Array {
    let p = this.termPrefixes.get(term);
    if (p === undefined) {
      if (this.termPrefixes.size >= TERM_CACHE_LIMIT) this.termPrefixes.clear();
      p = concatBytes(Uint8Array.of(KeyTag.TEXT), encodeKey([this.indexId, POSTINGS_SECTION, term]));
      this.termPrefixes.set(term, p);
    }
    return p;
  }

  /** The posting key of `term` in document `docKey`. */
  posting(term: string, docKey: Uint8Array): Uint8Array {
    return join(this.termPrefix(term), docKey);
  }

  /** The length key of document `docKey`. */
  length(docKey: Uint8Array): Uint8Array {
    return join(this.lengthPrefix, docKey);
  }

  /** True when an engine key is a document-length key of this index. */
  isLengthKey(key: Uint8Array): boolean {
    const p = this.lengthPrefix;
    if (key.length < p.length) return false;
    for (let i = p.length - 1; i >= 0; i--) if (key[i] !== p[i]) return false;
    return true;
  }
}

function join(prefix: Uint8Array, rest: Uint8Array): Uint8Array {
  const out = allocBytes(prefix.length + rest.length);
  out.set(prefix, 0);
  out.set(rest, prefix.length);
  return out;
}

/** Encodes non-negative integers as unsigned LEB128 varints, one after another. */
export function encodeVarints(...values: number[]): Uint8Array {
  let n = 0;
  for (const v of values) n += varintSize(v);
  const out = allocBytes(n);
  let o = 0;
  for (let v of values) {
    while (v >= 0x80) {
      out[o++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    out[o++] = v;
  }
  return out;
}

function varintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}

/** Decodes `count` varints written by encodeVarints. */
export function decodeVarints(bytes: Uint8Array, count: number): number[] {
  const out: number[] = [];
  let o = 0;
  for (let i = 0; i < count; i++) {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[o++];
      if (b === undefined) throw new CorruptionError('truncated text index value');
      v += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 0x80;
    }
    out.push(v);
  }
  return out;
}

/** Decodes the first varint of `bytes` (the length of a length value, the tf of a posting). */
export function decodeVarint(bytes: Uint8Array): number {
  return decodeVarints(bytes, 1)[0]!;
}

/** A posting's payload, decoded into a caller-owned object (the query loop reuses one). */
export interface PostingValue {
  tf: number;
  length: number;
}

/** Decodes a posting payload (varint tf, varint document length) into `out`. */
export function readPosting(bytes: Uint8Array, out: PostingValue): PostingValue {
  let o = 0;
  for (let field = 0; field < 2; field++) {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[o++];
      if (b === undefined) throw new CorruptionError('truncated text posting');
      v += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 0x80;
    }
    if (field === 0) out.tf = v;
    else out.length = v;
  }
  return out;
}

/**
 * A 32-bit signature of a document's terms with their frequencies, independent of order: the
 * length key stores it so that remove() can tell whether it was given the indexed text (a wrong
 * text would leave stale postings behind).
 */
export function termSignature(tf: ReadonlyMap<string, number>): number {
  let sig = 0;
  for (const [term, n] of tf) {
    // FNV-1a over the UTF-16 code units, then the frequency mixed in; summed so order does not matter.
    let h = 0x811c9dc5;
    for (let i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ n, 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    sig = (sig + (h >>> 0)) >>> 0;
  }
  return sig;
}

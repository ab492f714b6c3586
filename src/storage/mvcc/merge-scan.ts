// Merges an engine iterator with an in-memory overlay of versions into one ordered scan.

import { compareBytes } from '../bytes.js';
import type { EngineIterator, KeyRange } from '../engine.js';
import { decodeValue, isExpired } from '../value-format.js';

/** A live entry produced by a scan: the key, its payload, and its expiry (0: never). */
export interface ScanEntry {
  readonly key: Uint8Array;
  readonly payload: Uint8Array;
  readonly expiresAt: number;
}

/** An overlay entry: a version that shadows the engine (value null: deleted). Sorted in scan order. */
export interface OverlayEntry {
  readonly ks: string;
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
}

const FIRST_BATCH = 64;
const MAX_BATCH = 1024;

/**
 * Yields the live entries of `range`: engine entries not shadowed by the overlay, and the overlay's
 * non-deleted entries, in order, without expired values, at most `range.limit` of them.
 */
export async function* mergeScan(
  it: EngineIterator,
  overlay: readonly OverlayEntry[],
  range: KeyRange,
  countBytes: (n: number) => void,
): AsyncGenerator<ScanEntry> {
  const dir = range.reverse ? -1 : 1;
  let remaining = range.limit === undefined || range.limit < 0 ? Infinity : range.limit;
  const now = Date.now();
  let oi = 0;
  let batchSize = Math.min(MAX_BATCH, Math.max(FIRST_BATCH, remaining === Infinity ? FIRST_BATCH : remaining + overlay.length));
  try {
    let batch = remaining > 0 ? await it.nextBatch(batchSize) : [];
    let bi = 0;
    while (remaining > 0) {
      if (bi >= batch.length && batch.length > 0) {
        batchSize = Math.min(MAX_BATCH, batchSize * 2);
        batch = await it.nextBatch(batchSize);
        bi = 0;
      }
      const e = bi < batch.length ? batch[bi] : undefined;
      const o = oi < overlay.length ? overlay[oi] : undefined;
      if (e === undefined && o === undefined) return;
      let key: Uint8Array;
      let raw: Uint8Array | null;
      const c = e === undefined ? 1 : o === undefined ? -1 : compareBytes(e.key, o.key) * dir;
      if (c < 0) {
        key = e!.key;
        raw = e!.value;
        countBytes(key.length + raw.length);
        bi++;
      } else {
        key = o!.key;
        raw = o!.value;
        oi++;
        if (c === 0) bi++; // the overlay shadows the engine's copy of this key
      }
      if (raw === null) continue;
      const v = decodeValue(raw);
      if (isExpired(v.expiresAt, now)) continue;
      remaining--;
      yield { key, payload: v.payload, expiresAt: v.expiresAt };
    }
  } finally {
    await it.close();
  }
}

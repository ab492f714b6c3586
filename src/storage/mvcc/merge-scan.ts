// Merges an engine iterator with an in-memory overlay of versions into one ordered, batched cursor.

import { compareBytes } from '../bytes.js';
import type { EngineIterator, KeyRange } from '../engine.js';
import { decodeValue, isExpired, view } from '../value-format.js';

/**
 * A batch of live (unexpired) entries in scan order, as parallel arrays (no object per row):
 * keys[i] holds payloads[i].
 */
export interface ScanBatch {
  readonly keys: Uint8Array[];
  readonly payloads: Uint8Array[];
}

/** An ordered scan read in batches. An empty batch means the scan is over; close() releases it. */
export interface ScanCursor {
  nextBatch(): Promise<ScanBatch>;
  close(): Promise<void>;
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
 * Produces the live entries of `range`: engine entries not shadowed by the overlay and the overlay's
 * non-deleted entries, in order, without expired values, at most `range.limit` of them.
 */
export class MergedCursor implements ScanCursor {
  private readonly dir: number;
  private remaining: number;
  private oi = 0;
  private batchSize: number;
  private engineDone = false;
  private closed = false;
  private readonly now = Date.now();

  constructor(
    private readonly it: EngineIterator,
    private readonly overlay: readonly OverlayEntry[],
    range: KeyRange,
    private readonly countBytes: (n: number) => void,
  ) {
    this.dir = range.reverse ? -1 : 1;
    this.remaining = range.limit === undefined || range.limit < 0 ? Infinity : range.limit;
    const want = this.remaining === Infinity ? FIRST_BATCH : this.remaining + 1;
    this.batchSize = Math.min(MAX_BATCH, Math.max(8, want));
  }

  async nextBatch(): Promise<ScanBatch> {
    const keys: Uint8Array[] = [];
    const payloads: Uint8Array[] = [];
    while (keys.length === 0 && this.remaining > 0 && !this.closed) {
      const batch = this.engineDone ? [] : await this.it.nextBatch(this.batchSize);
      if (batch.length === 0) this.engineDone = true;
      this.batchSize = Math.min(MAX_BATCH, this.batchSize * 2);
      let bytes = 0;
      let bi = 0;
      // Fast path: no overlay entries left, so the batch's live entries are the answer.
      if (this.oi >= this.overlay.length) {
        const n = batch.length;
        for (; bi < n && this.remaining > 0; bi++) {
          const [key, raw] = batch[bi]!;
          bytes += key.length + raw.length;
          this.emit(key, raw, keys, payloads);
        }
      }
      // Merge this engine batch with every overlay entry that sorts before its end.
      for (;;) {
        if (this.remaining <= 0) break;
        const e = bi < batch.length ? batch[bi] : undefined;
        const o = this.oi < this.overlay.length ? this.overlay[this.oi] : undefined;
        if (e === undefined && (o === undefined || !this.engineDone)) break;
        let key: Uint8Array;
        let raw: Uint8Array | null;
        const c = e === undefined ? 1 : o === undefined ? -1 : compareBytes(e[0], o.key) * this.dir;
        if (c < 0) {
          key = e![0];
          raw = e![1];
          bytes += key.length + raw.length;
          bi++;
        } else {
          key = o!.key;
          raw = o!.value;
          this.oi++;
          if (c === 0) bi++; // the overlay shadows the engine's copy of this key
        }
        if (raw !== null) this.emit(key, raw, keys, payloads);
      }
      this.countBytes(bytes);
      if (this.engineDone && this.oi >= this.overlay.length) break;
    }
    if (keys.length === 0) await this.close();
    return { keys, payloads };
  }

  /** Adds a stored value to the batch unless it has expired. */
  private emit(key: Uint8Array, raw: Uint8Array, keys: Uint8Array[], payloads: Uint8Array[]): void {
    if (raw[0] === 0) {
      // The common case, no expiry: skip building a decoded value.
      keys.push(key);
      payloads.push(view(raw, 1));
    } else {
      const v = decodeValue(raw);
      if (isExpired(v.expiresAt, this.now)) return;
      keys.push(key);
      payloads.push(v.payload);
    }
    this.remaining--;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.it.close();
  }
}

// An in-memory KVEngine for unit tests and ephemeral databases; same contract as the disk engines.

import { DatabaseError } from '../errors.js';
import { keyBytes, keyString } from './bytes.js';
import {
  rangeBounds,
  sourceOps,
  type EngineIterator,
  type EngineSnapshot,
  type Entry,
  type KVEngine,
  type KeyRange,
  type WriteOp,
  type WriteOptions,
  type WriteSource,
} from './engine.js';

/** One immutable-while-shared version of the store. Keys are binary strings (see keyString). */
class State {
  /** Sorted keys, rebuilt lazily after a new key is added. */
  private sorted: string[] | undefined;
  /** Number of open iterators and snapshots reading this state; a write clones it first. */
  readers = 0;

  constructor(readonly values: Map<string, Uint8Array>) {}

  clone(): State {
    return new State(new Map(this.values));
  }

  sortedKeys(): string[] {
    if (!this.sorted) this.sorted = [...this.values.keys()].sort();
    return this.sorted;
  }

  put(k: string, v: Uint8Array): void {
    if (!this.values.has(k)) this.sorted = undefined;
    this.values.set(k, v);
  }

  del(k: string): void {
    if (this.values.delete(k)) this.sorted = undefined;
  }
}

/** Index of the first key >= k (or > k when `strict`). */
function lowerBound(keys: readonly string[], k: string, strict: boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = keys[mid]!;
    if (c < k || (strict && c === k)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class MemoryIterator implements EngineIterator {
  private pos: number;
  private readonly end: number; // exclusive position bound in the scan direction
  private remaining: number;
  private closed = false;
  private readonly keys: string[];

  constructor(
    private readonly state: State,
    private readonly range: KeyRange,
  ) {
    state.readers++;
    this.keys = state.sortedKeys();
    const b = rangeBounds(range);
    const lo = b.lower === undefined ? 0 : lowerBound(this.keys, keyString(b.lower), !b.lowerInclusive);
    const hi = b.upper === undefined ? this.keys.length : lowerBound(this.keys, keyString(b.upper), b.upperInclusive);
    if (range.reverse) {
      this.pos = hi - 1;
      this.end = lo - 1;
    } else {
      this.pos = lo;
      this.end = hi;
    }
    this.remaining = range.limit === undefined || range.limit < 0 ? Infinity : range.limit;
  }

  async nextBatch(size: number): Promise<Entry[]> {
    if (this.closed) throw new DatabaseError('iterator is closed');
    const out: Entry[] = [];
    const step = this.range.reverse ? -1 : 1;
    while (out.length < size && this.remaining > 0 && this.pos !== this.end && (step > 0 ? this.pos < this.end : this.pos > this.end)) {
      const k = this.keys[this.pos]!;
      out.push([keyBytes(k), this.state.values.get(k)!.slice()]);
      this.pos += step;
      this.remaining--;
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.state.readers--;
  }
}

/** A KVEngine that keeps everything in process memory. Nothing survives close(). */
export class MemoryEngine implements KVEngine {
  readonly kind = 'memory';
  private state = new State(new Map());
  private isOpen = false;

  async open(): Promise<void> {
    this.isOpen = true;
  }

  async close(): Promise<void> {
    this.isOpen = false;
  }

  private check(): void {
    if (!this.isOpen) throw new DatabaseError('engine is not open', undefined, 'DATABASE_CLOSED');
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.check();
    return this.state.values.get(keyString(key))?.slice();
  }

  getMany(keys: readonly Uint8Array[]): (Uint8Array | undefined)[] {
    return keys.map((k) => this.get(k));
  }

  async write(ops: readonly WriteOp[], _options: WriteOptions): Promise<void> {
    this.check();
    if (this.state.readers > 0) this.state = this.state.clone();
    for (const op of ops) {
      if (op.type === 'put') this.state.put(keyString(op.key), op.value.slice());
      else this.state.del(keyString(op.key));
    }
  }

  writeSources(sources: readonly WriteSource[], options: WriteOptions): Promise<void> {
    return this.write(sources.flatMap(sourceOps), options);
  }

  iterate(range: KeyRange): EngineIterator {
    this.check();
    return new MemoryIterator(this.state, range);
  }

  snapshot(): EngineSnapshot {
    this.check();
    const state = this.state;
    state.readers++;
    let closed = false;
    return {
      get: (key) => state.values.get(keyString(key))?.slice(),
      iterate: (range) => new MemoryIterator(state, range),
      close: async () => {
        if (!closed) state.readers--;
        closed = true;
      },
    };
  }

  async compact(): Promise<void> {
    // Nothing to reclaim: deletes free memory at once.
  }

  async approximateSize(start: Uint8Array, end: Uint8Array): Promise<number> {
    const it = this.iterate({ gte: start, lt: end });
    let n = 0;
    for (let b = await it.nextBatch(1024); b.length; b = await it.nextBatch(1024)) {
      for (const [k, v] of b) n += k.length + v.length;
    }
    await it.close();
    return n;
  }
}

// Full-precision vectors in one growable Float32Array, addressed by slot, with the key ↔ slot map.

/** Where a slot's vector is: unused, waiting in the build buffer, or in the approximate structure. */
export const enum SlotState {
  Free = 0,
  Buffered = 1,
  Indexed = 2,
}

/**
 * The source of truth inside a VectorIndex: each live key owns one slot holding its vector at
 * f32 precision (plus its L2 norm, so cosine costs one dot product). Freed slots are reused, so
 * the arena never holds more than the peak number of live keys.
 */
export class VectorArena {
  /** Components per vector. */
  readonly dim: number;
  /** capacity × dim components; slot s lives at [s·dim, (s+1)·dim). */
  data: Float32Array;
  /** ‖v‖ per slot. */
  norms: Float64Array;
  /** SlotState per slot. */
  states: Uint8Array;
  /** The key of each slot ('' for free slots). */
  keys: string[] = [];
  /** One past the highest slot ever used. */
  highWater = 0;
  private readonly slotOf = new Map<string, number>();
  private readonly free: number[] = [];

  constructor(dim: number, capacity = 64) {
    this.dim = dim;
    this.data = new Float32Array(capacity * dim);
    this.norms = new Float64Array(capacity);
    this.states = new Uint8Array(capacity);
  }

  /** Number of live keys. */
  get size(): number {
    return this.slotOf.size;
  }

  /** Slots the arrays can hold without growing. */
  get capacity(): number {
    return this.states.length;
  }

  /** The slot of `key`, or -1. */
  slot(key: string): number {
    return this.slotOf.get(key) ?? -1;
  }

  /** Takes a slot for a new key (state Buffered); the caller then writes the vector. */
  allocate(key: string): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      if (this.highWater === this.capacity) this.grow(Math.max(64, this.capacity * 2));
      slot = this.highWater++;
    }
    this.slotOf.set(key, slot);
    this.keys[slot] = key;
    this.states[slot] = SlotState.Buffered;
    return slot;
  }

  /** Copies `v` into `slot` and records its norm. */
  write(slot: number, v: Float32Array): void {
    this.data.set(v, slot * this.dim);
    let n = 0;
    for (let i = 0; i < v.length; i++) n += v[i] * v[i];
    this.norms[slot] = Math.sqrt(n);
  }

  /** True when `slot` holds exactly the components of `v`. */
  equals(slot: number, v: Float32Array): boolean {
    const base = slot * this.dim;
    for (let i = 0; i < this.dim; i++) if (this.data[base + i] !== v[i]) return false;
    return true;
  }

  /** A copy of the vector in `slot`. */
  copy(slot: number): Float32Array {
    return this.data.slice(slot * this.dim, (slot + 1) * this.dim);
  }

  /** Frees the slot of `key`; returns it, or -1 when the key is absent. */
  release(key: string): number {
    const slot = this.slotOf.get(key);
    if (slot === undefined) return -1;
    this.slotOf.delete(key);
    this.keys[slot] = '';
    this.states[slot] = SlotState.Free;
    this.free.push(slot);
    return slot;
  }

  /** Iterates [key, slot] of every live key. */
  entries(): IterableIterator<[string, number]> {
    return this.slotOf.entries();
  }

  /** Bytes held by the arrays (vectors, norms, states). */
  bytes(): number {
    return this.data.byteLength + this.norms.byteLength + this.states.byteLength;
  }

  /** Grows every per-slot array to `capacity` slots. */
  grow(capacity: number): void {
    if (capacity <= this.capacity) return;
    const data = new Float32Array(capacity * this.dim);
    data.set(this.data);
    this.data = data;
    const norms = new Float64Array(capacity);
    norms.set(this.norms);
    this.norms = norms;
    const states = new Uint8Array(capacity);
    states.set(this.states);
    this.states = states;
  }

  /** Rebuilds the free list and key map after `keys`, `states` and `highWater` were loaded from a file. */
  restore(): void {
    this.slotOf.clear();
    this.free.length = 0;
    for (let s = this.highWater - 1; s >= 0; s--) {
      if (this.states[s] === SlotState.Free) this.free.push(s);
      else this.slotOf.set(this.keys[s], s);
    }
  }
}

// A commit's writes as the store hands them on: engine operations, plus puts of new keys that the
// write buffer keeps packed (byte-log.ts), with no object per write until someone asks for one.

import { sourceOps, type PackedPuts, type WriteOp, type WriteSource } from '../engine.js';

/**
 * The writes of one commit, each key once: `ops` and then `packed`. Iterating yields them as
 * engine operations (made when iterated: for listeners); forEach and the engines read packed
 * puts without making operations.
 */
export class CommitWrites implements Iterable<WriteOp>, WriteSource {
  constructor(
    readonly ops: readonly WriteOp[],
    readonly packed?: PackedPuts,
  ) {}

  get size(): number {
    return this.ops.length + (this.packed?.length ?? 0);
  }

  /** Calls `fn` with each write's key and value (null: a delete). */
  forEach(fn: (key: Uint8Array, value: Uint8Array | null) => void): void {
    for (const op of this.ops) fn(op.key, op.type === 'put' ? op.value : null);
    const p = this.packed;
    if (p) for (let i = 0; i < p.length; i++) fn(p.key(i), p.value(i));
  }

  [Symbol.iterator](): Iterator<WriteOp> {
    return sourceOps(this)[Symbol.iterator]();
  }

  /** Bytes of every key and value written. */
  bytes(): number {
    let n = this.packed?.bytes() ?? 0;
    for (const op of this.ops) n += op.key.length + (op.type === 'put' ? op.value.length : 0);
    return n;
  }
}

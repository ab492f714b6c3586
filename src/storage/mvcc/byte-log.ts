// A list of byte strings kept as (buffer, offset, length) in typed arrays: no object per entry.
//
// A bulk load buffers hundreds of thousands of keys and values until its commit. Held as
// Uint8Array views, each is an object the garbage collector copies until it is promoted and then
// marks: measured here, keeping the three views of each of 200k rows cost 100 ms of a 500 ms
// load. The bytes stay where they were written (slabs of bytes.ts allocBytes, which are never
// reused): only their place is recorded, and a view is made when an entry is read.

const EMPTY = new Uint32Array(0);

export class ByteLog {
  /** The buffers entries live in; consecutive entries mostly share the last one. */
  private readonly buffers: ArrayBufferLike[] = [];
  // Empty until the first push: every transaction has a log, most never append to it.
  private bufferOf = EMPTY;
  private offsetOf = EMPTY;
  private lengthOf = EMPTY;
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Records an entry. Its bytes must never change afterwards (the caller hands them over). */
  push(bytes: Uint8Array): void {
    if (this.count === this.bufferOf.length) this.grow();
    // Entries mostly come from the current slab, sometimes alternating with one shared constant
    // (an empty index value): the last two buffers are looked at before adding one.
    const buffers = this.buffers;
    let b = buffers.length - 1;
    if (b < 0 || buffers[b] !== bytes.buffer) {
      if (b >= 1 && buffers[b - 1] === bytes.buffer) b--;
      else {
        buffers.push(bytes.buffer);
        b = buffers.length - 1;
      }
    }
    this.bufferOf[this.count] = b;
    this.offsetOf[this.count] = bytes.byteOffset;
    this.lengthOf[this.count] = bytes.length;
    this.count++;
  }

  /** A view of entry `i`. */
  get(i: number): Uint8Array {
    return new Uint8Array(this.buffers[this.bufferOf[i]!]!, this.offsetOf[i]!, this.lengthOf[i]!);
  }

  /** Bytes of entries from `start` on. */
  bytesFrom(start: number): number {
    let n = 0;
    for (let i = start; i < this.count; i++) n += this.lengthOf[i]!;
    return n;
  }

  /** Removes the last entry and returns a view of it (its buffer stays listed: rollbacks are rare). */
  pop(): Uint8Array {
    return this.get(--this.count);
  }

  private grow(): void {
    const widen = (a: Uint32Array) => {
      const b = new Uint32Array(Math.max(64, a.length * 2));
      b.set(a);
      return b;
    };
    this.bufferOf = widen(this.bufferOf);
    this.offsetOf = widen(this.offsetOf);
    this.lengthOf = widen(this.lengthOf);
  }
}

// A bounded max-heap keeping the k smallest (distance, slot) pairs seen.

/** Collects the k closest slots: push every candidate, then take `sorted()`. */
export class TopK {
  private readonly dist: Float64Array;
  private readonly slots: Int32Array;
  private n = 0;

  constructor(readonly k: number) {
    this.dist = new Float64Array(Math.max(1, k));
    this.slots = new Int32Array(Math.max(1, k));
  }

  /** Number of pairs held (≤ k). */
  get length(): number {
    return this.n;
  }

  /** The largest distance held when full, else +Infinity: a candidate must beat it to enter. */
  get bound(): number {
    return this.n < this.k ? Infinity : this.dist[0];
  }

  /** Offers a candidate; kept only if it is among the k smallest so far. */
  push(d: number, slot: number): void {
    if (this.k === 0) return;
    if (this.n < this.k) {
      let i = this.n++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (this.dist[p] >= d) break;
        this.dist[i] = this.dist[p];
        this.slots[i] = this.slots[p];
        i = p;
      }
      this.dist[i] = d;
      this.slots[i] = slot;
      return;
    }
    if (d >= this.dist[0]) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.n) break;
      const r = l + 1;
      const c = r < this.n && this.dist[r] > this.dist[l] ? r : l;
      if (this.dist[c] <= d) break;
      this.dist[i] = this.dist[c];
      this.slots[i] = this.slots[c];
      i = c;
    }
    this.dist[i] = d;
    this.slots[i] = slot;
  }

  /** The pairs held, by ascending distance (ties by slot, so results are deterministic). */
  sorted(): { slots: number[]; distances: number[] } {
    const n = this.n;
    if (n > 32) {
      const order = Array.from({ length: n }, (_, i) => i);
      order.sort((a, b) => this.dist[a]! - this.dist[b]! || this.slots[a]! - this.slots[b]!);
      return { slots: order.map((i) => this.slots[i]!), distances: order.map((i) => this.dist[i]!) };
    }
    // Insertion sort for the usual small k: no comparator closure, only the two result arrays.
    const slots = new Array<number>(n);
    const distances = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const d = this.dist[i]!;
      const s = this.slots[i]!;
      let j = i;
      while (j > 0 && (distances[j - 1]! > d || (distances[j - 1] === d && slots[j - 1]! > s))) {
        distances[j] = distances[j - 1]!;
        slots[j] = slots[j - 1]!;
        j--;
      }
      distances[j] = d;
      slots[j] = s;
    }
    return { slots, distances };
  }
}

// Hybrid logical clock: commit and start timestamps that follow wall time yet never repeat or go back.

/** Logical ticks per millisecond; a timestamp is wallMs * LOGICAL_PER_MS + counter (fits in a double exactly). */
export const LOGICAL_PER_MS = 1024;

/** A hybrid logical clock. `now()` is strictly increasing across calls, even if the wall clock steps back. */
export class HybridLogicalClock {
  private last: number;

  /** `floor` is the largest timestamp issued before (persisted across restarts). */
  constructor(
    floor = 0,
    private readonly wallClock: () => number = Date.now,
  ) {
    this.last = floor;
  }

  /** A fresh timestamp greater than every one issued before. */
  now(): number {
    const physical = this.wallClock() * LOGICAL_PER_MS;
    this.last = physical > this.last ? physical : this.last + 1;
    return this.last;
  }

  /** The last timestamp issued. */
  current(): number {
    return this.last;
  }

  /** Moves the clock past a timestamp observed elsewhere (e.g. read from disk at open). */
  observe(ts: number): void {
    if (ts > this.last) this.last = ts;
  }
}

/** The wall-clock milliseconds of a timestamp. */
export function hlcMillis(ts: number): number {
  return Math.floor(ts / LOGICAL_PER_MS);
}

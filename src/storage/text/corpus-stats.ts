// Corpus statistics of a text index (document count, total length), versioned by commit timestamp.

/** The statistics BM25 needs about the whole corpus. */
export interface CorpusStatistics {
  /** Number of indexed documents (N). */
  readonly documents: number;
  /** Sum of the lengths (in terms) of all indexed documents; the average length is totalLength / documents. */
  readonly totalLength: number;
}

/** Versions kept before the oldest are dropped (a reader older than every kept version gets the oldest). */
const MAX_VERSIONS = 8192;

/**
 * The statistics after each commit that changed them, so that a reader at snapshot S gets the
 * statistics of exactly the documents it sees. They are derived, never stored in one key: a
 * single counter key would be written by every insert and make all concurrent inserts conflict.
 *
 * Deltas may arrive before the base (commits made while the base is being loaded); they are
 * summed, so the order does not matter.
 */
export class CorpusStats {
  private readonly ts: number[] = [];
  private readonly docs: number[] = [];
  private readonly total: number[] = [];
  private loaded = false;
  /** Deltas that arrived before the base, applied to it once it is known. */
  private pending: { ts: number; docs: number; total: number }[] = [];

  /** True once the base has been loaded. */
  get ready(): boolean {
    return this.loaded;
  }

  /** Sets the statistics as of `ts` (from a scan at `ts`), then applies the deltas of later commits. */
  setBase(ts: number, documents: number, totalLength: number): void {
    this.ts.length = this.docs.length = this.total.length = 0;
    this.ts.push(ts);
    this.docs.push(documents);
    this.total.push(totalLength);
    this.loaded = true;
    const pending = this.pending;
    this.pending = [];
    for (const d of pending) this.apply(d.ts, d.docs, d.total);
  }

  /** Records the change made by the commit at `ts` (timestamps arrive in increasing order). */
  apply(ts: number, documents: number, totalLength: number): void {
    if (!this.loaded) {
      this.pending.push({ ts, docs: documents, total: totalLength });
      return;
    }
    const last = this.ts.length - 1;
    if (ts <= this.ts[last]!) return; // already counted by the base scan
    this.ts.push(ts);
    this.docs.push(this.docs[last]! + documents);
    this.total.push(this.total[last]! + totalLength);
    if (this.ts.length > MAX_VERSIONS) {
      const drop = this.ts.length - MAX_VERSIONS / 2;
      this.ts.splice(0, drop);
      this.docs.splice(0, drop);
      this.total.splice(0, drop);
    }
  }

  /** The newest statistics. */
  latest(): CorpusStatistics {
    const i = this.ts.length - 1;
    return i < 0 ? { documents: 0, totalLength: 0 } : { documents: this.docs[i]!, totalLength: this.total[i]! };
  }

  /** The statistics as of snapshot `ts` (the oldest kept version if `ts` is older than all of them). */
  at(ts: number): CorpusStatistics {
    const n = this.ts.length;
    if (n === 0) return { documents: 0, totalLength: 0 };
    let lo = 0;
    let hi = n; // first index with ts > `ts`
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[mid]! <= ts) lo = mid + 1;
      else hi = mid;
    }
    const i = Math.max(0, lo - 1);
    return { documents: this.docs[i]!, totalLength: this.total[i]! };
  }

  /** Number of versions kept (for tests). */
  get versions(): number {
    return this.ts.length;
  }
}

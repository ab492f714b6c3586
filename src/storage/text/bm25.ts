// BM25 scoring (Robertson/Spärck Jones with the non-negative IDF) and the top-k cut.

import { ValidationError } from '../../errors.js';
import { compareBytes } from '../bytes.js';

/** The BM25 free parameters: k1 saturates term frequency, b scales length normalization. */
export interface Bm25Params {
  /** Term-frequency saturation, ≥ 0 (0: presence only). Default 1.2. */
  k1: number;
  /** Length normalization, 0 (none) to 1 (full). Default 0.75. */
  b: number;
}

/** The usual defaults (Lucene, Elasticsearch, Tantivy). */
export const DEFAULT_BM25: Readonly<Bm25Params> = Object.freeze({ k1: 1.2, b: 0.75 });

/** `base` overridden by the defined fields of `over`, validated. */
export function resolveParams(base: Readonly<Bm25Params>, over: Partial<Bm25Params> | undefined): Bm25Params {
  const k1 = over?.k1 ?? base.k1;
  const b = over?.b ?? base.b;
  if (typeof k1 !== 'number' || !Number.isFinite(k1) || k1 < 0) throw new ValidationError(`BM25 k1 must be a finite number ≥ 0, got ${String(k1)}`);
  if (typeof b !== 'number' || !(b >= 0 && b <= 1)) throw new ValidationError(`BM25 b must be a number from 0 to 1, got ${String(b)}`);
  return { k1, b };
}

/**
 * Inverse document frequency, ln(1 + (N − df + 0.5) / (df + 0.5)) = ln((N + 1) / (df + 0.5)):
 * positive whenever df ≤ N, which holds when N and df describe the same snapshot.
 */
export function idf(documents: number, df: number): number {
  return Math.log(1 + (documents - df + 0.5) / (df + 0.5));
}

/** One term's contribution to a document's score: idf · tf·(k1+1) / (tf + k1·(1 − b + b·len/avgLen)). */
export function termScore(idfValue: number, tf: number, length: number, avgLength: number, p: Bm25Params): number {
  return (idfValue * (tf * (p.k1 + 1))) / (tf + p.k1 * (1 - p.b + (p.b * length) / avgLength));
}

/** A scored document. */
export interface ScoredDoc {
  readonly docKey: Uint8Array;
  readonly score: number;
}

/** Ranking order: higher score first, then docKey bytes ascending (deterministic among ties). */
export function compareScored(a: ScoredDoc, b: ScoredDoc): number {
  return b.score - a.score || compareBytes(a.docKey, b.docKey);
}

/**
 * Keeps the best k of the documents offered (a binary min-heap whose root is the worst kept),
 * so a query over many matches costs O(n log k).
 */
export class TopK {
  private readonly heap: ScoredDoc[] = [];

  constructor(private readonly k: number) {}

  /** Offers a document. */
  offer(doc: ScoredDoc): void {
    const h = this.heap;
    if (this.k === 0) return;
    if (h.length < this.k) {
      h.push(doc);
      this.up(h.length - 1);
    } else if (compareScored(doc, h[0]!) < 0) {
      h[0] = doc;
      this.down(0);
    }
  }

  /** The kept documents, best first. */
  result(): ScoredDoc[] {
    return [...this.heap].sort(compareScored);
  }

  // "Worse" ranks higher in this heap: the root is the document that ranks last.
  private worse(i: number, j: number): boolean {
    return compareScored(this.heap[i]!, this.heap[j]!) > 0;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, parent)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.worse(l, m)) m = l;
      if (r < h.length && this.worse(r, m)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

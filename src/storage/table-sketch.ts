// Statistics kept up to date by inserts: a table's exact row count and, per column, a
// HyperLogLog sketch of its distinct non-NULL values.
//
// ANALYZE has to read every row of a table to count them, and for a table loaded by one large
// INSERT that scan costs as much as a third of the load (classic-level hands out about a million
// entries a second). DuckDB keeps distinct-count sketches up to date as rows are appended; we do
// the same, within limits that keep it exact where it claims to be:
// - A sketch exists for a table from the commit that created it, and only in memory (after a
//   reopen, ANALYZE scans again).
// - A transaction that only inserted new rows (each write a new key, no savepoint rolled back,
//   not READ COMMITTED) carries its rows' value hashes to its commit, which adds them in. Any
//   other write to the table's rows (UPDATE, DELETE, REPLACE, DDL) drops the sketch.
// The store checks "only inserted" by counting: every row write notes its table, and the
// inserts logged must account for all of them.

import type { SqlValue } from '../executor/value.js';
import { seededRandom } from '../util/random.js';
import { buildHistogram, histogramValue, type Histogram, type HistogramValue } from './histogram.js';

/** log2 of the registers per sketch: 4096 registers, a standard error of 1.04 / √4096 ≈ 1.6%. */
const P = 12;
const M = 1 << P;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** A 32-bit finalizer (murmur3's fmix32): spreads every input bit over the output. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hashNumber(v: number): number {
  // Small integers (and -0, which equals 0) take the short path.
  if ((v | 0) === v) return mix(v ^ 0x5bd1e995);
  f64[0] = v;
  return mix(Math.imul(u32[0]!, 0x9e3779b1) ^ u32[1]!);
}

function hashString(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix(h ^ s.length);
}

function hashBytes(b: Uint8Array, seed: number): number {
  let h = seed;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return mix(h ^ b.length);
}

/**
 * A 32-bit hash of a non-NULL value, equal for values that GROUP BY and ANALYZE count as one:
 * numbers by numeric value (a bigint a double holds exactly as that number), text by its characters,
 * blobs and vectors by their bytes.
 */
export function hashValue(v: Exclude<SqlValue, null>): number {
  if (typeof v === 'number') return hashNumber(v);
  if (typeof v === 'string') return hashString(v, 0x811c9dc5);
  if (typeof v === 'bigint') return BigInt(Number(v)) === v ? hashNumber(Number(v)) : hashString(v.toString(), 0x2545f491);
  if (typeof v === 'boolean') return hashNumber(v ? 1 : 0);
  return hashBytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), v instanceof Float32Array ? 0x27d4eb2f : 0x165667b1);
}

/** Distinct hashes kept exactly before switching to registers (a column of a few values stays exact). */
const EXACT_LIMIT = 4096;

/** Inserts `v` (non-zero) into an open-addressing table; false when it is there already. */
function insertExact(table: Uint32Array, v: number): boolean {
  const mask = table.length - 1;
  let i = (v - 1) & mask;
  for (;;) {
    const slot = table[i]!;
    if (slot === v) return false;
    if (slot === 0) break;
    i = (i + 1) & mask;
  }
  table[i] = v;
  return true;
}

/** The table's values in one twice the size. */
function grownExact(table: Uint32Array): Uint32Array {
  const out = new Uint32Array(table.length * 2);
  for (const v of table) if (v !== 0) insertExact(out, v);
  return out;
}

/**
 * HyperLogLog (Flajolet et al. 2007) over 32-bit hashes, with linear counting for small sets,
 * and, like HLL++'s sparse form, the exact set of hashes while it has at most EXACT_LIMIT (kept
 * in a typed open-addressing table: a JS Set costs several times as much per value, and a
 * column of a few distinct values sends every row through it).
 */
export class DistinctSketch {
  /**
   * The exact set: slot values are hash + 1 (0 marks an empty slot), an open-addressing table
   * kept at most half full, grown from a few slots (a sketch per column of every table: most
   * hold few values); undefined once the set outgrows EXACT_LIMIT.
   */
  private exact: Uint32Array | undefined = new Uint32Array(16);
  /** Hashes in the exact set; hash 0xffffffff (which + 1 would wrap to 0) is counted aside. */
  private exactCount = 0;
  private sawMax = false;
  /** HyperLogLog registers, made when the exact set is given up. */
  private registers: Uint8Array | undefined;

  add(hash: number): void {
    const exact = this.exact;
    if (exact === undefined) return this.addToRegisters(hash);
    if (hash === 0xffffffff) {
      if (!this.sawMax) this.exactCount++;
      this.sawMax = true;
    } else if (insertExact(exact, hash + 1)) {
      this.exactCount++;
      if (2 * this.exactCount > exact.length && this.exactCount <= EXACT_LIMIT) this.exact = grownExact(exact);
    }
    if (this.exactCount > EXACT_LIMIT) this.toRegisters();
  }

  /** Adds every hash `other` has seen (the union's sketch). */
  merge(other: DistinctSketch): void {
    if (other.exact !== undefined) {
      for (const v of other.exact) if (v !== 0) this.add(v - 1);
      if (other.sawMax) this.add(0xffffffff);
      return;
    }
    if (this.exact !== undefined) this.toRegisters();
    const mine = this.registers!;
    const theirs = other.registers!;
    for (let i = 0; i < M; i++) if (theirs[i]! > mine[i]!) mine[i] = theirs[i]!;
  }

  /** Gives up the exact set: its hashes go into new registers. */
  private toRegisters(): void {
    const exact = this.exact!;
    this.exact = undefined;
    this.registers = new Uint8Array(M);
    for (const v of exact) if (v !== 0) this.addToRegisters(v - 1);
    if (this.sawMax) this.addToRegisters(0xffffffff);
  }

  private addToRegisters(hash: number): void {
    const slot = hash >>> (32 - P);
    // Rank: position of the first 1 bit in the remaining 32 − P bits (32 − P + 1 when all are 0).
    const rest = (hash << P) >>> 0;
    const rank = rest === 0 ? 32 - P + 1 : Math.clz32(rest) + 1;
    const registers = this.registers!;
    if (rank > registers[slot]!) registers[slot] = rank;
  }

  /** The estimated number of distinct hashes added. */
  estimate(): number {
    if (this.exact !== undefined) return this.exactCount;
    const registers = this.registers!;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      const r = registers[i]!;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / M);
    const raw = (alpha * M * M) / sum;
    // Small cardinalities: linear counting over the empty registers is far more accurate.
    if (raw <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
    return Math.round(raw);
  }
}

/** Hashes a column of an insert log holds before it folds them into a sketch (4 MiB). */
const FOLD_AT = 1 << 20;

/** Rows of values kept for histograms: a uniform sample (reservoir) of at most this many rows. */
export const SKETCH_SAMPLE_ROWS = 4096;

/** A sampled row: each column's value as a histogram keeps it (undefined: NULL or not rangeable). */
type SampleRow = readonly (HistogramValue | undefined)[];

/** Algorithm R: keeps `sample` a uniform sample of the `seen` rows offered so far (seen counts this one). */
function offer(sample: SampleRow[], seen: number, row: SampleRow, random: () => number): void {
  if (sample.length < SKETCH_SAMPLE_ROWS) sample.push(row);
  else {
    const j = Math.floor(random() * seen);
    if (j < SKETCH_SAMPLE_ROWS) sample[j] = row;
  }
}

/** `k` rows drawn without replacement from `rows` (shuffled in place). */
function draw(rows: SampleRow[], k: number, random: () => number): SampleRow[] {
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (rows.length - i));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return rows.slice(0, k);
}

function sampleRow(row: readonly SqlValue[], width: number): SampleRow {
  const out = new Array<HistogramValue | undefined>(width);
  for (let c = 0; c < width; c++) out[c] = c < row.length ? histogramValue(row[c]!) : undefined;
  return out;
}

/** The hashes of the rows one transaction inserted into one table, column by column, and a sample of them. */
export class InsertLog {
  rows = 0;
  /** Per column, the hashes of its non-NULL values not yet folded (grown by doubling). */
  private hashes: Uint32Array[];
  private counts: number[];
  /** Per column, a sketch the hashes go into once there are FOLD_AT of them (memory stays bounded). */
  private readonly folded: (DistinctSketch | undefined)[];
  /** Per column, its non-NULL values. */
  readonly values: number[];
  /** A uniform sample of the rows (all of them up to SKETCH_SAMPLE_ROWS). */
  readonly sample: SampleRow[] = [];
  /** Seeded (by the table's id): the same inserts give the same sample, and the same plans. */
  private readonly random: () => number;

  constructor(
    readonly width: number,
    seed = 0,
  ) {
    this.random = seededRandom(seed);
    this.hashes = Array.from({ length: width }, () => new Uint32Array(16));
    this.counts = new Array<number>(width).fill(0);
    this.folded = new Array<DistinctSketch | undefined>(width).fill(undefined);
    this.values = new Array<number>(width).fill(0);
  }

  add(row: readonly SqlValue[]): void {
    this.rows++;
    // Algorithm R, as offer(), building the sample row only for rows that are kept.
    if (this.sample.length < SKETCH_SAMPLE_ROWS) this.sample.push(sampleRow(row, this.width));
    else {
      const j = Math.floor(this.random() * this.rows);
      if (j < SKETCH_SAMPLE_ROWS) this.sample[j] = sampleRow(row, this.width);
    }
    const n = Math.min(row.length, this.width);
    for (let c = 0; c < n; c++) {
      const v = row[c];
      if (v === null || v === undefined) continue;
      // Vectors are counted, not hashed: hashing their bytes would cost more than the rest of
      // the row, and no plan asks how many distinct vectors there are.
      if (v instanceof Float32Array) {
        this.values[c]!++;
        continue;
      }
      let h = this.hashes[c]!;
      let k = this.counts[c]!;
      if (k === h.length) {
        if (k >= FOLD_AT) {
          const sketch = (this.folded[c] ??= new DistinctSketch());
          for (let i = 0; i < k; i++) sketch.add(h[i]!);
          k = 0;
        } else {
          const grown = new Uint32Array(h.length * 2);
          grown.set(h);
          this.hashes[c] = h = grown;
        }
      }
      h[k] = hashValue(v);
      this.counts[c] = k + 1;
      this.values[c]!++;
    }
  }

  /** Calls `fn` with each column's unfolded hashes and its folded sketch, if any. */
  forEachColumn(fn: (column: number, hashes: Uint32Array, folded: DistinctSketch | undefined) => void): void {
    for (let c = 0; c < this.width; c++) fn(c, this.hashes[c]!.subarray(0, this.counts[c]!), this.folded[c]);
  }
}

/** A table's row count, per-column distinct sketches and a row sample, exact (the sample uniform) as of the newest commit. */
export class TableSketch {
  rows = 0;
  /** Non-NULL values per column. */
  readonly values: number[] = [];
  readonly columns: DistinctSketch[] = [];
  /** A uniform sample of the table's rows, for histograms. */
  private sample: SampleRow[] = [];
  private readonly random: () => number;

  constructor(seed = 0) {
    this.random = seededRandom(seed);
  }

  /** Adds a committed transaction's inserts. */
  add(log: InsertLog): void {
    this.mergeSample(log);
    this.rows += log.rows;
    log.forEachColumn((c, hashes, folded) => {
      while (this.columns.length <= c) {
        this.columns.push(new DistinctSketch());
        this.values.push(0);
      }
      const s = this.columns[c]!;
      if (folded) s.merge(folded);
      for (let i = 0; i < hashes.length; i++) s.add(hashes[i]!);
      this.values[c]! += log.values[c]!;
    });
  }

  /** Makes the sample a uniform one of this table's rows and the log's together. */
  private mergeSample(log: InsertLog): void {
    if (log.sample.length === log.rows) {
      // The log kept every row: offer each, as if inserted one by one.
      let seen = this.rows;
      for (const row of log.sample) offer(this.sample, ++seen, row, this.random);
      return;
    }
    // Both are samples: take from each in proportion to the rows it stands for.
    const total = this.rows + log.rows;
    const k = Math.min(SKETCH_SAMPLE_ROWS, total);
    const fromLog = Math.min(log.sample.length, Math.max(k - this.sample.length, Math.round((k * log.rows) / total)));
    this.sample = [...draw(this.sample, Math.min(this.sample.length, k - fromLog), this.random), ...draw([...log.sample], fromLog, this.random)];
  }

  /** Estimated distinct non-NULL values of each of `width` columns (never above their count). */
  distinct(width: number): number[] {
    return Array.from({ length: width }, (_, c) => {
      const s = this.columns[c];
      return s ? Math.min(this.values[c]!, s.estimate()) : 0;
    });
  }

  /** The fraction of NULLs in each of `width` columns. */
  nullFraction(width: number): number[] {
    return Array.from({ length: width }, (_, c) => (this.rows === 0 ? 0 : 1 - (this.values[c] ?? 0) / this.rows));
  }

  /** A histogram per column from the sample (null where fewer than two values are rangeable). */
  histograms(width: number): (Histogram | null)[] {
    return Array.from({ length: width }, (_, c) => {
      const values: HistogramValue[] = [];
      for (const row of this.sample) if (row[c] !== undefined) values.push(row[c]!);
      return buildHistogram(values) ?? null;
    });
  }
}

// sum, total and avg: SQLite's integer-exact summation with Kahan-Babushka-Neumaier compensation for REALs.

import { QueryExecutionError } from '../../errors.js';
import type { SqlType, SqlValue } from '../value.js';
import { isRealNumber, normInt, numOut, textAffinityKind, toReal, utf8Decode } from '../value-text.js';
import { genericArray } from '../operators/common.js';
import { aggregate, type AggregateFunction, type AggregateState, type GroupedAggregate } from './aggregate-function.js';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** SumCtx of func.c: an exact int64 sum until a REAL (or overflow) arrives, then a compensated double sum. */
class SumState implements AggregateState {
  rSum = 0;
  rErr = 0;
  iSum: number | bigint = 0;
  cnt = 0;
  approx = false;
  ovrfl = false;

  constructor(
    private readonly type: SqlType,
    private readonly finish: (s: SumState) => SqlValue,
  ) {}

  /** sqlite3_value_numeric_type: 0 NULL, 1 INTEGER (in kInt), 2 anything else (REAL, or text/blob read as a double). */
  private kind(v: SqlValue): 0 | 1 | 2 {
    if (v === null) return 0;
    if (typeof v === 'bigint') {
      this.kInt = v;
      return 1;
    }
    if (typeof v === 'number') {
      if (isRealNumber(v, this.type)) {
        this.kReal = v;
        return 2;
      }
      this.kInt = v;
      return 1;
    }
    if (typeof v === 'string' && textAffinityKind(v, false) === 1) {
      this.kInt = numOut.intValue;
      return 1;
    }
    this.kReal = v instanceof Uint8Array ? toReal(utf8Decode(v)) : toReal(v);
    return 2;
  }

  private kInt: number | bigint = 0;
  private kReal = 0;

  private kbn(r: number): void {
    const s = this.rSum;
    const t = s + r;
    if (Math.abs(s) > Math.abs(r)) this.rErr += s - t + r;
    else this.rErr += r - t + s;
    this.rSum = t;
  }

  private kbnInt(i: number | bigint): void {
    if (typeof i === 'number' && i > -4503599627370496 && i < 4503599627370496) this.kbn(i);
    else {
      const b = BigInt(i);
      const sm = b % 16384n;
      this.kbn(Number(b - sm));
      this.kbn(Number(sm));
    }
  }

  private kbnInit(i: number | bigint): void {
    if (typeof i === 'number' && i > -4503599627370496 && i < 4503599627370496) {
      this.rSum = i;
      this.rErr = 0;
    } else {
      const b = BigInt(i);
      const sm = b % 16384n;
      this.rSum = Number(b - sm);
      this.rErr = Number(sm);
    }
  }

  private static addInt(a: number | bigint, b: number | bigint, neg: boolean): number | bigint | undefined {
    if (typeof a === 'number' && typeof b === 'number') {
      const r = neg ? a - b : a + b;
      if (Number.isSafeInteger(r)) return r;
    }
    const r = neg ? BigInt(a) - BigInt(b) : BigInt(a) + BigInt(b);
    return r > INT64_MAX || r < INT64_MIN ? undefined : normInt(r);
  }

  step(args: readonly SqlValue[]): void {
    this.add(args[0]!);
  }

  /** Adds one value: step without the argument array. */
  add(v: SqlValue): void {
    // Plain numbers first, with the outcome the general path below gives them: an exact integer
    // sum that stays safe, or a compensated sum of a number the double's mantissa holds exactly.
    if (typeof v === 'number') {
      if (!this.approx) {
        if (typeof this.iSum === 'number' && Number.isInteger(v)) {
          const r = this.iSum + v;
          if (Number.isSafeInteger(r)) {
            this.iSum = r;
            this.cnt++;
            return;
          }
        }
      } else if (v > -4503599627370496 && v < 4503599627370496) {
        if (!Number.isInteger(v)) this.ovrfl = false;
        this.kbn(v);
        this.cnt++;
        return;
      }
    }
    const k = this.kind(v);
    if (k === 0) return;
    this.cnt++;
    if (!this.approx) {
      if (k !== 1) {
        this.kbnInit(this.iSum);
        this.approx = true;
        this.kbn(this.kReal);
      } else {
        const x = SumState.addInt(this.iSum, this.kInt, false);
        if (x !== undefined) this.iSum = x;
        else {
          this.ovrfl = true;
          this.kbnInit(this.iSum);
          this.approx = true;
          this.kbnInt(this.kInt);
        }
      }
    } else if (k === 1) this.kbnInt(this.kInt);
    else {
      this.ovrfl = false;
      this.kbn(this.kReal);
    }
  }

  inverse(args: readonly SqlValue[]): void {
    const k = this.kind(args[0]!);
    if (k === 0) return;
    this.cnt--;
    if (!this.approx) {
      const x = SumState.addInt(this.iSum, this.kInt, true);
      if (k === 1 && x !== undefined) {
        this.iSum = x;
        return;
      }
      this.ovrfl = k === 1;
      this.approx = true;
      this.kbnInit(this.iSum);
    }
    if (k === 1) this.kbnInt(typeof this.kInt === 'bigint' ? -this.kInt : -this.kInt);
    else this.kbn(-this.kReal);
  }

  /** The double sum with compensation (unless the error term overflowed). */
  real(): number {
    if (!this.approx) return Number(this.iSum);
    return Number.isFinite(this.rErr) ? this.rSum + this.rErr : this.rSum;
  }

  result(): SqlValue {
    return this.finish(this);
  }
}

/** sum, total or avg for many groups: one SumState per group, added to without argument arrays. */
class GroupedSum implements GroupedAggregate {
  private readonly states = genericArray<SumState>();
  constructor(private readonly finish: (s: SumState) => SqlValue) {}
  addGroups(n: number): void {
    // Untyped, as the HashAggregate's per-group states have always been made.
    for (let i = 0; i < n; i++) this.states.push(new SumState('any', this.finish));
  }
  update(groupOf: Int32Array, args: readonly (readonly SqlValue[])[], n: number): void {
    const states = this.states;
    const col = args[0]!;
    for (let i = 0; i < n; i++) {
      const g = groupOf[i]!;
      if (g >= 0) states[g]!.add(col[i]!);
    }
  }
  result(group: number): SqlValue {
    return this.finish(this.states[group]!);
  }
}

function sumResult(s: SumState): SqlValue {
  if (s.cnt <= 0) return null;
  if (!s.approx) return s.iSum;
  if (s.ovrfl) throw new QueryExecutionError('integer overflow');
  return s.real();
}

const sumType = (t: readonly SqlType[]): SqlType => (t[0] === 'integer' || t[0] === 'boolean' ? 'integer' : t[0] === 'real' ? 'real' : 'numeric');

const totalResult = (s: SumState): SqlValue => s.real();
const avgResult = (s: SumState): SqlValue => (s.cnt > 0 ? s.real() / s.cnt : null);

/** sum, total and avg. */
export const SUM_AGGREGATES: readonly AggregateFunction[] = [
  aggregate('sum', 1, 1, sumType, (t) => new SumState(t[0] ?? 'any', sumResult), () => new GroupedSum(sumResult)),
  aggregate('total', 1, 1, 'real', (t) => new SumState(t[0] ?? 'any', totalResult), () => new GroupedSum(totalResult)),
  aggregate('avg', 1, 1, 'real', (t) => new SumState(t[0] ?? 'any', avgResult), () => new GroupedSum(avgResult)),
];

// count, count(*), min, max, bool_and/bool_or/every and the variance family.

import type { SqlType, SqlValue } from '../value.js';
import { compareValues } from '../value-ops.js';
import { isTruthy } from '../value-truth.js';
import { toReal } from '../value-text.js';
import { genericArray } from '../operators/common.js';
import { aggregate, type AggregateFunction, type AggregateState, type GroupedAggregate } from './aggregate-function.js';

class CountState implements AggregateState {
  n = 0;
  constructor(private readonly star: boolean) {}
  step(args: readonly SqlValue[]): void {
    if (this.star || args[0] !== null) this.n++;
  }
  inverse(args: readonly SqlValue[]): void {
    if (this.star || args[0] !== null) this.n--;
  }
  result(): SqlValue {
    return this.n;
  }
}

/** min/max keep the first extreme value seen (SQLite replaces only on a strict improvement). */
class ExtremeState implements AggregateState {
  best: SqlValue = null;
  constructor(private readonly max: boolean) {}
  step(args: readonly SqlValue[]): void {
    const v = args[0]!;
    if (v === null) return;
    if (this.best === null) {
      this.best = v;
      return;
    }
    const c = compareValues(this.best, v);
    if (this.max ? c < 0 : c > 0) this.best = v;
  }
  result(): SqlValue {
    return this.best;
  }
}

/** count and count(*) for many groups: one number per group. */
class GroupedCount implements GroupedAggregate {
  private readonly counts: number[] = [];
  constructor(private readonly star: boolean) {}
  addGroups(n: number): void {
    for (let i = 0; i < n; i++) this.counts.push(0);
  }
  update(groupOf: Int32Array, args: readonly (readonly SqlValue[])[], n: number): void {
    const counts = this.counts;
    const col = args[0];
    // count() with no argument counts rows, as CountState does.
    if (this.star || !col) {
      for (let i = 0; i < n; i++) {
        const g = groupOf[i]!;
        if (g >= 0) counts[g]!++;
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const g = groupOf[i]!;
      if (g >= 0 && col[i] !== null) counts[g]!++;
    }
  }
  result(group: number): SqlValue {
    return this.counts[group]!;
  }
}

/** min or max for many groups: ExtremeState's rule, with two numbers compared inline. */
class GroupedExtreme implements GroupedAggregate {
  private readonly best = genericArray<SqlValue>();
  constructor(private readonly max: boolean) {}
  addGroups(n: number): void {
    for (let i = 0; i < n; i++) this.best.push(null);
  }
  update(groupOf: Int32Array, args: readonly (readonly SqlValue[])[], n: number): void {
    const best = this.best;
    const col = args[0]!;
    const max = this.max;
    for (let i = 0; i < n; i++) {
      const g = groupOf[i]!;
      const v = col[i]!;
      if (g < 0 || v === null) continue;
      const b = best[g]!;
      if (b === null) {
        best[g] = v;
        continue;
      }
      const c = typeof b === 'number' && typeof v === 'number' ? (b < v ? -1 : b > v ? 1 : 0) : compareValues(b, v);
      if (max ? c < 0 : c > 0) best[g] = v;
    }
  }
  result(group: number): SqlValue {
    return this.best[group]!;
  }
}

class BoolState implements AggregateState {
  trues = 0;
  falses = 0;
  constructor(private readonly all: boolean) {}
  private count(v: SqlValue, d: number): void {
    const t = isTruthy(v);
    if (t === true) this.trues += d;
    else if (t === false) this.falses += d;
  }
  step(args: readonly SqlValue[]): void {
    this.count(args[0]!, 1);
  }
  inverse(args: readonly SqlValue[]): void {
    this.count(args[0]!, -1);
  }
  result(): SqlValue {
    if (this.trues + this.falses === 0) return null;
    return this.all ? (this.falses === 0 ? 1 : 0) : this.trues > 0 ? 1 : 0;
  }
}

/** Welford's running mean and sum of squared deviations. */
class VarianceState implements AggregateState {
  n = 0;
  mean = 0;
  m2 = 0;
  constructor(
    private readonly sample: boolean,
    private readonly root: boolean,
  ) {}
  step(args: readonly SqlValue[]): void {
    const v = args[0]!;
    if (v === null) return;
    const x = toReal(v);
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
  }
  inverse(args: readonly SqlValue[]): void {
    const v = args[0]!;
    if (v === null) return;
    const x = toReal(v);
    if (this.n <= 1) {
      this.n = 0;
      this.mean = 0;
      this.m2 = 0;
      return;
    }
    const mean = (this.mean * this.n - x) / (this.n - 1);
    this.m2 -= (x - this.mean) * (x - mean);
    this.mean = mean;
    this.n--;
  }
  result(): SqlValue {
    const d = this.sample ? this.n - 1 : this.n;
    if (d <= 0) return null;
    const v = Math.max(0, this.m2 / d);
    return this.root ? Math.sqrt(v) : v;
  }
}

const argType = (t: readonly SqlType[]): SqlType => t[0] ?? 'any';

/** count, count_star (count(*)), min, max, bool_and, bool_or, every, stddev/variance variants. */
export const BASIC_AGGREGATES: readonly AggregateFunction[] = [
  aggregate('count', 0, 1, 'integer', () => new CountState(false), () => new GroupedCount(false)),
  aggregate('count_star', 0, 0, 'integer', () => new CountState(true), () => new GroupedCount(true)),
  aggregate('min', 1, 1, argType, () => new ExtremeState(false), () => new GroupedExtreme(false)),
  aggregate('max', 1, 1, argType, () => new ExtremeState(true), () => new GroupedExtreme(true)),
  aggregate('bool_and', 1, 1, 'boolean', () => new BoolState(true)),
  aggregate('every', 1, 1, 'boolean', () => new BoolState(true)),
  aggregate('bool_or', 1, 1, 'boolean', () => new BoolState(false)),
  aggregate('stddev', 1, 1, 'real', () => new VarianceState(true, true)),
  aggregate('stddev_samp', 1, 1, 'real', () => new VarianceState(true, true)),
  aggregate('stddev_pop', 1, 1, 'real', () => new VarianceState(false, true)),
  aggregate('variance', 1, 1, 'real', () => new VarianceState(true, false)),
  aggregate('var_samp', 1, 1, 'real', () => new VarianceState(true, false)),
  aggregate('var_pop', 1, 1, 'real', () => new VarianceState(false, false)),
];

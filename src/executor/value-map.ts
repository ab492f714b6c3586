// ValueMap: a Map keyed by non-NULL SQL values, two values sharing an entry when their hashKeys are equal.

import { hashKey } from './compile-expr.js';
import type { SqlValue } from './value.js';

/**
 * A Map from SQL values to T with hashKey's notion of equality (numbers by value, bigints in the
 * safe range as numbers, text by content, blobs by bytes), without building a key per lookup for
 * numbers and text: those are Map keys of their own (a Map tells 1 from '1'), and text keeps the
 * hash V8 cached on the string, which a row's string is across queries of a cached table. Other
 * values go through hashKey into a second map, so a text never meets a blob's encoded key.
 */
export class ValueMap<T> {
  private readonly plain = new Map<number | string, T>();
  private other: Map<string | number, T> | undefined;

  /** The entry for `v` (never NULL). */
  get(v: SqlValue): T | undefined {
    if (typeof v === 'number' || typeof v === 'string') return this.plain.get(v);
    const k = hashKey(v);
    return typeof k === 'number' ? this.plain.get(k) : this.other?.get(k);
  }

  /** Sets the entry for `v` (never NULL). */
  set(v: SqlValue, value: T): void {
    if (typeof v === 'number' || typeof v === 'string') {
      this.plain.set(v, value);
      return;
    }
    const k = hashKey(v);
    if (typeof k === 'number') this.plain.set(k, value);
    else (this.other ??= new Map()).set(k, value);
  }
}

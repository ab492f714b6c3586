// How one SQL value reads in each output format: as text (table, CSV, Markdown) or as a JSON value (JSON, TOON).

import type { SqlValue } from '../executor/value.js';
import { bigintValue, blobHex, float32Array, float32Shortest } from './toon.js';

/** A value as display text; null stays null so each format can show NULL its own way. */
export function cellText(v: SqlValue): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof Float32Array) return `[${Array.from(v, float32Shortest).join(',')}]`;
  return blobHex(v);
}

/** A value as JSON holds it: bigints beyond 2^53 as decimal strings, blobs as `x'…'` hex, vectors as number arrays. */
export function cellJson(v: SqlValue): null | number | string | number[] {
  if (typeof v === 'bigint') return bigintValue(v);
  if (v instanceof Float32Array) return float32Array(v);
  if (v instanceof Uint8Array) return blobHex(v);
  return v;
}

/** Whether a value is numeric (right-aligned in text tables). */
export function isNumeric(v: SqlValue): boolean {
  return typeof v === 'number' || typeof v === 'bigint';
}

/**
 * Column names made unique for formats that key values by name (JSON, TOON): a repeated
 * name gets `_2`, `_3`, … (skipping names already taken), so `SELECT a, a` keeps both values.
 */
export function uniqueNames(columns: readonly string[]): string[] {
  const taken = new Set(columns);
  const seen = new Set<string>();
  return columns.map((c) => {
    if (!seen.has(c)) {
      seen.add(c);
      return c;
    }
    let n = 2;
    while (taken.has(`${c}_${n}`)) n++;
    const name = `${c}_${n}`;
    taken.add(name);
    return name;
  });
}

// Vector values: coercion into VECTOR columns and the pgvector distance operators.

import { DimensionMismatchError, InvalidVectorError } from '../errors.js';
import type { SqlValue } from './value.js';

/** The dimension declared by `VECTOR(n)`, or undefined for a bare VECTOR or another type. */
export function declaredDimension(declaredType: string): number | undefined {
  const m = /^\s*VECTOR\s*\(\s*(\d+)\s*\)/i.exec(declaredType);
  return m ? Number(m[1]) : undefined;
}

/**
 * A value as a vector: a Float32Array as it is, or the text form `[1, 2.5, -3]` (also what a
 * JavaScript array parameter becomes). NULL stays NULL. Anything else, or a component that is
 * NaN or infinite, is an InvalidVectorError.
 */
export function toVector(v: SqlValue): Float32Array | null {
  if (v === null) return null;
  let out: Float32Array;
  if (v instanceof Float32Array) out = v;
  else if (typeof v === 'string') out = parseVectorText(v);
  else throw new InvalidVectorError(`expected a vector, got ${v instanceof Uint8Array ? 'a blob' : typeof v === 'string' ? 'text' : 'a number'}`);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) throw new InvalidVectorError(`vector component ${i} is not a finite number`);
  }
  return out;
}

function parseVectorText(s: string): Float32Array {
  const t = s.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) throw new InvalidVectorError(`not a vector: ${s.length > 40 ? `${s.slice(0, 40)}…` : s}`);
  const body = t.slice(1, -1).trim();
  if (body === '') return new Float32Array(0);
  const parts = body.split(',');
  const out = new Float32Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!.trim();
    const x = p === '' ? NaN : Number(p);
    if (!Number.isFinite(x)) throw new InvalidVectorError(`vector component ${i} is not a finite number: ${p}`);
    out[i] = x;
  }
  return out;
}

/** A vector checked against a dimension (a DimensionMismatchError otherwise). */
export function toVectorOfDimension(v: SqlValue, dimension: number | undefined): Float32Array | null {
  const vec = toVector(v);
  if (vec !== null && dimension !== undefined && vec.length !== dimension) throw new DimensionMismatchError(`vector has ${vec.length} dimensions, expected ${dimension}`, { details: { expected: dimension, actual: vec.length } });
  return vec;
}

/** The distance operators, by their SQL spelling. */
export type DistanceOperator = '<->' | '<=>' | '<#>';

/** Euclidean distance √Σ(aᵢ−bᵢ)². */
export function l2Distance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return Math.sqrt(s);
}

/** 1 − cos(a, b); NaN (SQL NULL) when either vector has norm 0. */
export function cosineDistance(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return NaN;
  return 1 - dot / Math.sqrt(na * nb);
}

/** −Σaᵢbᵢ (negated so that smaller is closer, as pgvector's <#>). */
export function negativeInnerProduct(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return -dot;
}

/** The distance function of an operator. */
export function distanceFunction(op: DistanceOperator): (a: Float32Array, b: Float32Array) => number {
  return op === '<->' ? l2Distance : op === '<=>' ? cosineDistance : negativeInnerProduct;
}

/** Evaluates `a op b` with SQL NULL semantics: NULL in, NULL out; different lengths are an error. */
export function evalDistance(op: DistanceOperator, a: SqlValue, b: SqlValue): SqlValue {
  const x = toVector(a);
  const y = toVector(b);
  if (x === null || y === null) return null;
  if (x.length !== y.length) throw new DimensionMismatchError(`vectors have different dimensions: ${x.length} and ${y.length}`, { remediation: 'Both operands of a distance operator must have the same dimension.' });
  const d = distanceFunction(op)(x, y);
  return Number.isNaN(d) ? null : d;
}

/** The text form of a vector: `[1,2.5,-3]`. */
export function vectorText(v: Float32Array): string {
  return `[${Array.from(v).join(',')}]`;
}

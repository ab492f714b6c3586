// Distance functions (the one definition every search path returns) and vector validation.

import { DimensionMismatchError, InvalidVectorError } from '../../errors.js';
import type { VectorMetric } from './config.js';

/**
 * The distance between `a` and `b` under `metric`, exactly as VectorIndex reports it:
 * cosine = 1 − ⟨a,b⟩/(‖a‖‖b‖) (1 when either vector is zero), euclidean = ‖a − b‖ (true L2,
 * not squared), dot = −⟨a,b⟩. Accumulates in double precision. Throws DimensionMismatchError
 * when the lengths differ.
 */
export function distance(metric: VectorMetric, a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) {
    throw new DimensionMismatchError(`vectors have different dimensions: ${a.length} and ${b.length}`, {
      details: { left: a.length, right: b.length },
    });
  }
  switch (metric) {
    case 'cosine': {
      const na = Math.sqrt(dotAt(a, 0, a, a.length));
      const nb = Math.sqrt(dotAt(b, 0, b, b.length));
      return cosineFromDot(dotAt(a, 0, b, a.length), na, nb);
    }
    case 'euclidean':
      return Math.sqrt(l2sqAt(a, 0, b, a.length));
    case 'dot':
      return -dotAt(a, 0, b, a.length);
  }
}

/** ⟨data[offset .. offset+dim), q⟩: the inner loop of every exact scan over the arena. */
export function dotAt(data: Float32Array, offset: number, q: Float32Array, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  // Four accumulators break the dependency chain so V8 can overlap the multiplies.
  for (; i + 3 < dim; i += 4) {
    s0 += data[offset + i] * q[i];
    s1 += data[offset + i + 1] * q[i + 1];
    s2 += data[offset + i + 2] * q[i + 2];
    s3 += data[offset + i + 3] * q[i + 3];
  }
  for (; i < dim; i++) s0 += data[offset + i] * q[i];
  return s0 + s1 + s2 + s3;
}

/** ‖data[offset .. offset+dim) − q‖². */
export function l2sqAt(data: Float32Array, offset: number, q: Float32Array, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < dim; i += 2) {
    const d0 = data[offset + i] - q[i];
    const d1 = data[offset + i + 1] - q[i + 1];
    s0 += d0 * d0;
    s1 += d1 * d1;
  }
  for (; i < dim; i++) {
    const d = data[offset + i] - q[i];
    s0 += d * d;
  }
  return s0 + s1;
}

/** 1 − dot/(na·nb), with the zero-vector convention of `distance`. */
export function cosineFromDot(dot: number, na: number, nb: number): number {
  if (na === 0 || nb === 0) return 1;
  return 1 - dot / (na * nb);
}

/**
 * Throws unless `v` is a Float32Array of `dimension` finite components (and, under cosine, not
 * the zero vector, which has no direction). `what` names the vector in the message.
 */
export function checkVector(v: unknown, dimension: number, metric: VectorMetric, what: string): asserts v is Float32Array {
  if (!(v instanceof Float32Array)) {
    throw new InvalidVectorError(`${what} must be a Float32Array`, { details: { what } });
  }
  if (v.length !== dimension) {
    throw new DimensionMismatchError(`${what} has ${v.length} dimensions, the index has ${dimension}`, {
      details: { what, expected: dimension, actual: v.length },
    });
  }
  let norm = 0;
  for (let i = 0; i < dimension; i++) {
    const x = v[i];
    if (!Number.isFinite(x)) {
      throw new InvalidVectorError(`${what} has a non-finite component ${String(x)} at index ${i}`, {
        details: { what, index: i },
      });
    }
    norm += x * x;
  }
  if (metric === 'cosine' && norm === 0) {
    throw new InvalidVectorError(`${what} is the zero vector, which has no cosine distance`, { details: { what } });
  }
}

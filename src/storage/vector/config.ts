// The configuration of a vector index: its types, documented defaults and validation.

import { VectorConfigError } from '../../errors.js';

/**
 * How distance between two vectors is measured. Every distance is "smaller is closer":
 * - `cosine`: 1 − cos(a, b), in [0, 2];
 * - `euclidean`: the true (not squared) L2 distance ‖a − b‖;
 * - `dot`: the negative inner product −⟨a, b⟩ (pgvector's `<#>`), unbounded.
 */
export type VectorMetric = 'cosine' | 'euclidean' | 'dot';

/**
 * How the index stores vectors for its approximate search. Full-precision vectors are always kept
 * beside it (for exact search, re-ranking, `get` and reconcile), so quantization shrinks the search
 * structure, not the total:
 * - `none`: HNSW graph over f32 vectors;
 * - `f16`: HNSW graph over half-precision vectors;
 * - `i8`: HNSW graph over 8-bit scalar-quantized vectors, candidates re-ranked on full vectors;
 * - `pq`: product quantization, an asymmetric-distance (ADC) scan over the codes, re-ranked on full vectors.
 */
export type VectorQuantization = 'none' | 'f16' | 'i8' | 'pq';

/** A complete, validated vector index configuration (what `validateVectorConfig` returns). */
export interface VectorIndexConfig {
  /** Number of components of every vector, 1..65536. */
  dimension: number;
  /** The distance function; see VectorMetric. */
  metric: VectorMetric;
  /** HNSW connectivity: edges kept per node (default 16). Ignored by `pq`. */
  m: number;
  /** HNSW candidate-list size while inserting (default 100); higher builds slower and better. Ignored by `pq`. */
  efConstruction: number;
  /** Default candidate-list size per query (default 50); a query may override it. For `pq` it scales the re-rank depth. */
  efSearch: number;
  /** The approximate representation; see VectorQuantization (default `none`). */
  quantization: VectorQuantization;
  /** PQ only: number of subvectors the vector is cut into; must divide `dimension` (default dimension/8, or the largest divisor ≤ dimension/2). */
  pqNumSubvectors?: number;
  /** PQ only: centroids per subvector codebook, 2..256 so a code fits a byte (default 256). */
  pqNumCentroids?: number;
}

/** The documented defaults (seed 003 §11, CollectionConfig): m 16, ef_construction 100, ef_search 50, quantization none. */
export const VECTOR_CONFIG_DEFAULTS = {
  metric: 'cosine',
  m: 16,
  efConstruction: 100,
  efSearch: 50,
  quantization: 'none',
  pqNumCentroids: 256,
} as const satisfies Partial<VectorIndexConfig>;

const METRICS: readonly VectorMetric[] = ['cosine', 'euclidean', 'dot'];
const QUANTIZATIONS: readonly VectorQuantization[] = ['none', 'f16', 'i8', 'pq'];

/**
 * Fills defaults into a partial configuration and checks every field. `dimension` is required;
 * everything else defaults per VECTOR_CONFIG_DEFAULTS. Throws VectorConfigError (code VECTOR_CONFIG)
 * naming the offending field. The result is a fresh object; the argument is not modified.
 */
export function validateVectorConfig(c: Partial<VectorIndexConfig>): VectorIndexConfig {
  if (c === null || typeof c !== 'object') throw new VectorConfigError('vector index config must be an object');
  const dimension = integerField('dimension', c.dimension, 1, 65536, undefined);
  const metric = c.metric ?? VECTOR_CONFIG_DEFAULTS.metric;
  if (!METRICS.includes(metric)) {
    throw new VectorConfigError(`metric must be one of ${METRICS.join(', ')}, got ${String(metric)}`, { details: { field: 'metric' } });
  }
  const quantization = c.quantization ?? VECTOR_CONFIG_DEFAULTS.quantization;
  if (!QUANTIZATIONS.includes(quantization)) {
    throw new VectorConfigError(`quantization must be one of ${QUANTIZATIONS.join(', ')}, got ${String(quantization)}`, {
      details: { field: 'quantization' },
    });
  }
  const config: VectorIndexConfig = {
    dimension,
    metric,
    m: integerField('m', c.m, 2, 256, VECTOR_CONFIG_DEFAULTS.m),
    efConstruction: integerField('efConstruction', c.efConstruction, 1, 10_000, VECTOR_CONFIG_DEFAULTS.efConstruction),
    efSearch: integerField('efSearch', c.efSearch, 1, 10_000, VECTOR_CONFIG_DEFAULTS.efSearch),
    quantization,
  };
  if (quantization === 'pq') {
    const subvectors = integerField('pqNumSubvectors', c.pqNumSubvectors, 1, dimension, defaultSubvectors(dimension));
    if (dimension % subvectors !== 0) {
      throw new VectorConfigError(`pqNumSubvectors (${subvectors}) must divide dimension (${dimension})`, {
        details: { field: 'pqNumSubvectors' },
      });
    }
    config.pqNumSubvectors = subvectors;
    config.pqNumCentroids = integerField('pqNumCentroids', c.pqNumCentroids, 2, 256, VECTOR_CONFIG_DEFAULTS.pqNumCentroids);
  } else if (c.pqNumSubvectors !== undefined || c.pqNumCentroids !== undefined) {
    throw new VectorConfigError(`pqNumSubvectors and pqNumCentroids apply only to quantization 'pq' (got '${quantization}')`, {
      details: { field: c.pqNumSubvectors !== undefined ? 'pqNumSubvectors' : 'pqNumCentroids' },
    });
  }
  return config;
}

/** dimension/8 (8-component subvectors, as the seed's 768 → 96), else the largest divisor ≤ dimension/2, else 1. */
function defaultSubvectors(dimension: number): number {
  if (dimension % 8 === 0) return dimension / 8;
  for (let m = Math.floor(dimension / 2); m >= 1; m--) if (dimension % m === 0) return m;
  return 1;
}

function integerField(name: string, value: unknown, min: number, max: number, fallback: number | undefined): number {
  if (value === undefined) {
    if (fallback === undefined) throw new VectorConfigError(`${name} is required`, { details: { field: name } });
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new VectorConfigError(`${name} must be an integer in ${min}..${max}, got ${String(value)}`, {
      details: { field: name, value },
    });
  }
  return value;
}

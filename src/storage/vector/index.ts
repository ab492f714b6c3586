// The vector index module: configuration, distances and VectorIndex (see docs/vector-index.md).

export {
  validateVectorConfig,
  VECTOR_CONFIG_DEFAULTS,
  type VectorIndexConfig,
  type VectorMetric,
  type VectorQuantization,
} from './config.js';
export { distance } from './distance.js';
export {
  VectorIndex,
  NATIVE_EXACT_MIN_COMPONENTS,
  I8_OVERFETCH,
  PQ_RERANK,
  type VectorSearchOptions,
  type VectorBatchOptions,
  type VectorSearchResult,
  type ReconcileResult,
  type FilteredSearchStats,
} from './vector-index.js';

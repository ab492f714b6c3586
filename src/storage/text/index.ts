// The text index module (BM25 keyword search over the store): analyzer, scoring, key layout, index.

export { Analyzer, type AnalyzerOptions } from './analyzer.js';
export { DEFAULT_BM25, TopK, compareScored, idf, resolveParams, termScore, type Bm25Params, type ScoredDoc } from './bm25.js';
export { CorpusStats, type CorpusStatistics } from './corpus-stats.js';
export { LENGTHS_SECTION, POSTINGS_SECTION, TextKeys, decodeVarint, decodeVarints, encodeVarints, readPosting, termSignature, type PostingValue } from './keys.js';
export { TextIndex, type TextIndexOptions, type TextSearchHit, type TextSearchOptions } from './text-index.js';

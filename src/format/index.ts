// The format stage: TOON encode/decode and the renderings of query results (table, toon, json, csv, markdown).

export {
  toToon,
  fromToon,
  toToonTable,
  fromToonTable,
  type ToonValue,
  type ToonTable,
  type ToonDelimiter,
  type ToonEncodeOptions,
  type ToonDecodeOptions,
} from './toon.js';
export { formatResult, isOutputFormat, OUTPUT_FORMATS, type OutputFormat, type FormatOptions, type ResultSet } from './render.js';
export { displayWidth, truncateToWidth } from './text-width.js';
export { ToonSyntaxError } from '../errors.js';

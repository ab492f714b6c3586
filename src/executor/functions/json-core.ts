// SQL values <-> JSON trees for the JSON functions: argument parsing, subtype-like embedding, extraction.

import { QueryExecutionError } from '../../errors.js';
import type { SqlType, SqlValue } from '../value.js';
import { realToLiteral } from '../value-fp.js';
import { INT64_MAX, INT64_MIN, isRealNumber, normInt, utf8Decode } from '../value-text.js';
import { JSON_FALSE, JSON_NULL, JSON_TRUE, escapeJsonString, stringifyJson, unescapeJsonString, type JsonNode } from './json-node.js';
import { parseJson } from './json-parse.js';

export * from './json-node.js';
export { isValidJson, parseJson, tryParseJson } from './json-parse.js';

/** The JSON tree of a SQL argument that must hold JSON (numbers are their own JSON text). */
export function jsonArg(v: SqlValue, t?: SqlType): JsonNode | null {
  if (v === null) return null;
  if (typeof v === 'number' || typeof v === 'bigint') return numberNode(v, t);
  if (typeof v === 'string') return parseJson(v);
  if (v instanceof Float32Array) return { t: 'array', items: Array.from(v, (x) => numberNode(x, 'real')) };
  return parseJson(utf8Decode(v));
}

function numberNode(v: number | bigint, t?: SqlType): JsonNode {
  if (typeof v === 'bigint') return { t: 'int', raw: v.toString() };
  return isRealNumber(v, t) ? { t: 'real', raw: realToLiteral(v) } : { t: 'int', raw: String(v) };
}

/**
 * A SQL value as a JSON node for json_array(), json_set() and friends: TEXT becomes a JSON string
 * unless its static type is 'json' (SQLite's JSON subtype), numbers stay numbers, NULL is null.
 */
export function sqlToJson(v: SqlValue, t?: SqlType): JsonNode {
  if (v === null) return JSON_NULL;
  if (typeof v === 'string') return t === 'json' ? parseJson(v) : { t: 'text', raw: escapeJsonString(v) };
  if (typeof v === 'number' || typeof v === 'bigint') return t === 'boolean' ? (v ? JSON_TRUE : JSON_FALSE) : numberNode(v, t);
  if (v instanceof Float32Array) return jsonArg(v) as JsonNode;
  throw new QueryExecutionError('JSON cannot hold BLOB values');
}

/** The SQL value a node denotes (json_extract / ->> semantics): containers come back as JSON text. */
export function jsonToSql(n: JsonNode): SqlValue {
  switch (n.t) {
    case 'null':
      return null;
    case 'true':
      return 1;
    case 'false':
      return 0;
    case 'int': {
      const b = BigInt(n.raw);
      return b >= INT64_MIN && b <= INT64_MAX ? normInt(b) : Number(n.raw);
    }
    case 'real':
      return Number(n.raw.replace(/9e999$/, 'Infinity'));
    case 'text':
      return unescapeJsonString(n.raw);
    default:
      return stringifyJson(n);
  }
}

/** CAST(x AS JSON): text must be JSON (it is minified), numbers become JSON numbers, blobs are an error. */
export function castToJson(v: SqlValue, t: SqlType = 'any'): SqlValue {
  if (v === null) return null;
  if (v instanceof Uint8Array && !(v instanceof Float32Array)) throw new QueryExecutionError('JSON cannot hold BLOB values');
  return stringifyJson(jsonArg(v, t) as JsonNode);
}

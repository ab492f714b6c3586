// SQLite's JSON functions (json, json_extract, ->, ->>, json_set, json_patch, …) over JSON text.

import { QueryExecutionError } from '../../errors.js';
import type { SqlType, SqlValue } from '../value.js';
import { toIntNumber, valueToText } from '../value-text.js';
import { JSON_NULL, escapeJsonString, isValidJson, jsonArg, jsonToSql, sqlToJson, stringifyJson, type JsonNode } from './json-core.js';
import { editPath, lookupPath, mergePatch, parsePath, type EditMode, type PathStep } from './json-path.js';
import { parseJsonShared } from './json-parse.js';
import { scalar, type ScalarFunction } from './scalar-function.js';

function pathArg(v: SqlValue, t: SqlType | undefined): PathStep[] | null {
  const s = valueToText(v, t);
  return s === null ? null : parsePath(s);
}

/** json_extract(json, path…): one path gives an SQL value; several give a JSON array of the hits. */
function extract(a: readonly SqlValue[], t: readonly SqlType[]): SqlValue {
  const root = jsonArg(a[0]!, t[0]);
  if (root === null || a.length < 2) return null;
  if (a.length === 2) {
    const steps = pathArg(a[1]!, t[1]);
    if (steps === null) return null;
    const n = lookupPath(root, steps);
    return n === undefined ? null : jsonToSql(n);
  }
  const items: JsonNode[] = [];
  for (let i = 1; i < a.length; i++) {
    const steps = pathArg(a[i]!, t[i]);
    if (steps === null) return null;
    items.push(lookupPath(root, steps) ?? JSON_NULL);
  }
  return stringifyJson({ t: 'array', items });
}

/**
 * The right operand of -> / ->>: text starting with '$' is a path, other text an object label,
 * an integer an array index (negative counts from the end, as in SQLite and Postgres).
 */
function arrowSteps(v: SqlValue, t: SqlType | undefined): PathStep[] | null {
  if (v === null) return null;
  if ((typeof v === 'number' && Number.isInteger(v) && t !== 'real') || typeof v === 'bigint') {
    const n = Number(v);
    return [n < 0 ? { k: 'idx', n: -n, fromEnd: true } : { k: 'idx', n, fromEnd: false }];
  }
  const s = valueToText(v, t) as string;
  return s.startsWith('$') ? parsePath(s) : [{ k: 'key', key: s }];
}

function arrow(a: readonly SqlValue[], t: readonly SqlType[], asSql: boolean): SqlValue {
  const v = a[0]!;
  const root = typeof v === 'string' ? parseJsonShared(v) : jsonArg(v, t[0]);
  const steps = arrowSteps(a[1]!, t[1]);
  if (root === null || steps === null) return null;
  const n = lookupPath(root, steps);
  if (n === undefined) return null;
  return asSql ? jsonToSql(n) : stringifyJson(n);
}

function edit(name: string, mode: EditMode) {
  return (a: readonly SqlValue[], t: readonly SqlType[]): SqlValue => {
    if (mode !== 'remove' && a.length % 2 === 0) throw new QueryExecutionError(`${name}() needs an odd number of arguments`);
    let root: JsonNode | undefined | null = jsonArg(a[0]!, t[0]);
    if (root === null) return null;
    const step = mode === 'remove' ? 1 : 2;
    for (let i = 1; i < a.length; i += step) {
      const steps = pathArg(a[i]!, t[i]);
      if (steps === null) return null;
      const value = mode === 'remove' ? undefined : sqlToJson(a[i + 1]!, t[i + 1]);
      root = editPath(root, steps, mode, value);
      if (root === undefined) return null;
    }
    return stringifyJson(root);
  };
}

function atPath(a: readonly SqlValue[], t: readonly SqlType[]): JsonNode | null | undefined {
  const root = jsonArg(a[0]!, t[0]);
  if (root === null) return null;
  if (a.length < 2) return root;
  const steps = pathArg(a[1]!, t[1]);
  return steps === null ? null : lookupPath(root, steps);
}

/** json_type() names. */
function typeName(n: JsonNode): string {
  switch (n.t) {
    case 'int':
      return 'integer';
    case 'real':
      return 'real';
    case 'text':
      return 'text';
    default:
      return n.t;
  }
}

/** json_quote(): a SQL value as JSON text. */
export function jsonQuote(v: SqlValue, t?: SqlType): string {
  if (v instanceof Uint8Array) return 'null';
  return stringifyJson(sqlToJson(v, t));
}

function objectOf(a: readonly SqlValue[], t: readonly SqlType[]): string {
  if (a.length % 2 !== 0) throw new QueryExecutionError('json_object() requires an even number of arguments');
  const keys: string[] = [];
  const vals: JsonNode[] = [];
  for (let i = 0; i < a.length; i += 2) {
    if (typeof a[i] !== 'string') throw new QueryExecutionError('json_object() labels must be TEXT');
    keys.push(escapeJsonString(a[i] as string));
    vals.push(sqlToJson(a[i + 1]!, t[i + 1]));
  }
  return stringifyJson({ t: 'object', keys, vals });
}

/** SQLite's JSON scalar functions; json_arrow / json_arrow2 implement -> and ->>. */
export const JSON_FUNCTIONS: readonly ScalarFunction[] = [
  scalar('json', 1, 1, 'json', (a, t) => {
    const n = jsonArg(a[0]!, t[0]);
    return n === null ? null : stringifyJson(n);
  }),
  scalar('json_valid', 1, 2, 'boolean', (a) => {
    const v = a[0]!;
    if (v === null) return null;
    const flags = a.length > 1 ? toIntNumber(a[1]!) : 1;
    if (flags < 1 || flags > 15) throw new QueryExecutionError('FLAGS parameter to json_valid() must be between 1 and 15');
    if (typeof v === 'number' || typeof v === 'bigint') return flags & 3 ? 1 : 0;
    if (typeof v !== 'string') return 0;
    return isValidJson(v, flags & 3) ? 1 : 0;
  }),
  scalar('json_extract', 1, Infinity, (t) => (t.length > 2 ? 'json' : 'any'), extract),
  scalar('json_arrow', 2, 2, 'json', (a, t) => arrow(a, t, false)),
  scalar('json_arrow2', 2, 2, 'any', (a, t) => arrow(a, t, true)),
  scalar('json_array', 0, Infinity, 'json', (a, t) => stringifyJson({ t: 'array', items: a.map((v, i) => sqlToJson(v, t[i])) })),
  scalar('json_object', 0, Infinity, 'json', objectOf),
  scalar('json_type', 1, 2, 'text', (a, t) => {
    const n = atPath(a, t);
    return n === null || n === undefined ? null : typeName(n);
  }),
  scalar('json_array_length', 1, 2, 'integer', (a, t) => {
    const n = atPath(a, t);
    if (n === null || n === undefined) return null;
    return n.t === 'array' ? n.items.length : 0;
  }),
  scalar('json_insert', 1, Infinity, 'json', edit('json_insert', 'insert')),
  scalar('json_replace', 1, Infinity, 'json', edit('json_replace', 'replace')),
  scalar('json_set', 1, Infinity, 'json', edit('json_set', 'set')),
  scalar('json_remove', 1, Infinity, 'json', edit('json_remove', 'remove')),
  scalar('json_quote', 1, 1, 'json', (a, t) => jsonQuote(a[0]!, t[0])),
  scalar('json_patch', 2, 2, 'json', (a, t) => {
    const target = jsonArg(a[0]!, t[0]);
    const patch = jsonArg(a[1]!, t[1]);
    if (target === null || patch === null) return null;
    return stringifyJson(mergePatch(target, patch));
  }),
];

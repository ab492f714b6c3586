// Metadata filters ({ category: 'tech', year: { $gte: 2020 } }) compiled to a ToonQL WHERE condition.

import { ValidationError } from '../errors.js';
import { quoteLiteral } from './sql-text.js';

/** A scalar a filter compares with. */
export type FilterValue = string | number | boolean | null;

/** Comparison operators of one field. */
export interface FieldOperators {
  $eq?: FilterValue;
  $ne?: FilterValue;
  $gt?: FilterValue;
  $gte?: FilterValue;
  $lt?: FilterValue;
  $lte?: FilterValue;
  $in?: readonly FilterValue[];
  $nin?: readonly FilterValue[];
}

/** A metadata filter: fields with values or operators, combined with $and / $or / $not (seed 003 §11). */
export type MetadataFilter = {
  $and?: readonly MetadataFilter[];
  $or?: readonly MetadataFilter[];
  $not?: MetadataFilter;
} & { [field: string]: FilterValue | FieldOperators | readonly MetadataFilter[] | MetadataFilter | undefined };

const COMPARISONS: Record<string, string> = { $eq: '=', $ne: '<>', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

/** The SQL of a field: `metadata ->> 'name'` (a dotted name walks into nested objects). */
function fieldSql(name: string): string {
  if (name === '') throw new ValidationError('a filter field name must not be empty');
  return name.includes('.') ? `metadata ->> ${quoteLiteral(`$.${name}`)}` : `metadata ->> ${quoteLiteral(name)}`;
}

function scalar(v: unknown, where: string): FilterValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw new ValidationError(`${where}: filter values must be strings, finite numbers, booleans or null`);
}

/**
 * Compiles a filter to a condition over a collection's rows, appending its values to `params`
 * (positional `?`). Missing fields read as NULL: `$ne` and `$nin` match documents without the
 * field, comparisons do not.
 */
export function filterSql(filter: MetadataFilter, params: unknown[]): string {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) throw new ValidationError('a filter must be an object');
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value) || value.length === 0) throw new ValidationError(`${key} takes a non-empty array of filters`);
      const subs = (value as MetadataFilter[]).map((f) => `(${filterSql(f, params)})`);
      parts.push(`(${subs.join(key === '$and' ? ' AND ' : ' OR ')})`);
    } else if (key === '$not') {
      parts.push(`NOT coalesce((${filterSql(value as MetadataFilter, params)}), 0)`);
    } else if (key.startsWith('$')) {
      throw new ValidationError(`unknown filter operator ${key} at the top level`);
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      parts.push(fieldOps(key, value as FieldOperators, params));
    } else {
      parts.push(compare(key, '$eq', scalar(value, key), params));
    }
  }
  return parts.length === 0 ? '1' : parts.join(' AND ');
}

function fieldOps(field: string, ops: FieldOperators, params: unknown[]): string {
  const parts: string[] = [];
  for (const [op, v] of Object.entries(ops)) {
    if (v === undefined) continue;
    if (op === '$in' || op === '$nin') {
      if (!Array.isArray(v)) throw new ValidationError(`${field}.${op} takes an array`);
      const vals = (v as unknown[]).map((x) => scalar(x, `${field}.${op}`));
      const nonNull = vals.filter((x) => x !== null);
      const hasNull = nonNull.length < vals.length;
      const f = fieldSql(field);
      let inList = nonNull.length === 0 ? '0' : `${f} IN (${nonNull.map((x) => (params.push(x), '?')).join(', ')})`;
      if (hasNull) inList = `(${inList} OR ${f} IS NULL)`;
      parts.push(op === '$in' ? inList : `NOT coalesce(${inList}, 0)`);
    } else if (op in COMPARISONS) {
      parts.push(compare(field, op, scalar(v, `${field}.${op}`), params));
    } else {
      throw new ValidationError(`unknown filter operator ${op} on field ${field} (use $eq $ne $gt $gte $lt $lte $in $nin)`);
    }
  }
  return parts.length === 0 ? '1' : parts.join(' AND ');
}

function compare(field: string, op: string, v: FilterValue, params: unknown[]): string {
  const f = fieldSql(field);
  if (v === null) {
    if (op === '$eq') return `${f} IS NULL`;
    if (op === '$ne') return `${f} IS NOT NULL`;
    throw new ValidationError(`${field}.${op} cannot compare with null`);
  }
  params.push(v);
  if (op === '$ne') return `${f} IS DISTINCT FROM ?`;
  return `${f} ${COMPARISONS[op]} ?`;
}

// SQL values and static types: the representation every operator and function agrees on.

/**
 * A SQL value at run time.
 * - NULL is `null`.
 * - INTEGER is a JS `number` when it is a safe integer, else a `bigint` (64-bit range).
 * - REAL is a JS `number`. An integral REAL (3.0) is indistinguishable from INTEGER 3 at run time;
 *   the static type (SqlType) of the expression tells them apart where it matters (division, output).
 * - TEXT is a `string`; BLOB is a `Uint8Array`.
 * - BOOLEAN is the INTEGER 1 or 0 (as in SQLite); its static type 'boolean' marks it for output.
 * - JSON is TEXT holding JSON; DATE / TIMESTAMP are TEXT in ISO-8601 form (SQLite's convention).
 * - VECTOR is a Float32Array.
 */
export type SqlValue = null | number | bigint | string | Uint8Array | Float32Array;

/** Static types computed by the binder for every expression and column. 'any' means unknown until run time. */
export type SqlType =
  | 'integer'
  | 'real'
  | 'numeric'
  | 'text'
  | 'blob'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'json'
  | 'vector'
  | 'null'
  | 'any';

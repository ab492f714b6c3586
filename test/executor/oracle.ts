// Differential-test helper: evaluates one expression spec with SQLite (better-sqlite3) and with our functions.

import Database from 'better-sqlite3';
import type { SqlType, SqlValue } from '../../src/executor/value.js';
import * as V from '../../src/executor/value-ops.js';
import { checkArity, lookupScalar } from '../../src/executor/functions/registry.js';

/** The shared in-memory oracle; integers come back as bigints so nothing is rounded. */
export const oracle: Database.Database = new Database(':memory:');
oracle.defaultSafeIntegers(true);

/** One expression: a function call, an operator or a CAST, with SQL-literal arguments. */
export interface Spec {
  readonly kind: 'fn' | 'op' | 'cast';
  /** Function name, operator symbol or CAST type name. */
  readonly name: string;
  /** Arguments as SQL literals: 1, 1.5, 'text', x'00ff', NULL. */
  readonly args: readonly string[];
  /** Compare REAL results with a relative tolerance (libm vs V8 Math may differ in the last bit). */
  readonly approx?: boolean;
}

/** A function-call spec. */
export function f(name: string, ...args: string[]): Spec {
  return { kind: 'fn', name, args };
}

/** A function-call spec compared with a tolerance. */
export function fa(name: string, ...args: string[]): Spec {
  return { kind: 'fn', name, args, approx: true };
}

/** An operator spec: binary when two args, unary when one. */
export function op(name: string, ...args: string[]): Spec {
  return { kind: 'op', name, args };
}

/** A CAST spec. */
export function cast(arg: string, type: string): Spec {
  return { kind: 'cast', name: type, args: [arg] };
}

/** Quotes a JS string as an SQL text literal. */
export function q(s: string): string {
  return "'" + s.split("'").join("''") + "'";
}

/** The SQL text of a spec. */
export function sqlOf(s: Spec): string {
  if (s.kind === 'fn') return `${s.name}(${s.args.join(', ')})`;
  if (s.kind === 'cast') return `CAST(${s.args[0]} AS ${s.name})`;
  if (s.args.length === 1) return `(${s.name} ${s.args[0]})`;
  return `(${s.args[0]} ${s.name} ${s.args[1]})`;
}

/** Parses an SQL literal into the value and static type our binder would give it. */
export function literal(src: string): { value: SqlValue; type: SqlType } {
  const t = src.trim();
  if (/^null$/i.test(t)) return { value: null, type: 'null' };
  if (/^-?\d+$/.test(t)) return { value: V.normInt(BigInt(t)), type: 'integer' };
  if (/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return { value: Number(t), type: 'real' };
  if (t.startsWith("'")) return { value: t.slice(1, -1).split("''").join("'"), type: 'text' };
  const hex = /^x'([0-9a-f]*)'$/i.exec(t);
  if (hex) return { value: Uint8Array.from(hex[1]!.match(/../g) ?? [], (h) => parseInt(h, 16)), type: 'blob' };
  throw new Error(`unsupported literal in spec: ${src}`);
}

/** A result: a value with its type (SQLite's typeof, or our static type), or an error message. */
export type Outcome = { ok: true; value: SqlValue; type: string; text?: string | null } | { ok: false; error: string };

/** Evaluates the spec with SQLite. */
export function runSqlite(s: Spec): Outcome {
  const sql = sqlOf(s);
  try {
    const row = oracle.prepare(`SELECT ${sql}, typeof(${sql}), CAST(${sql} AS TEXT)`).raw().get() as unknown[];
    let v = row[0] as SqlValue | Buffer;
    if (v instanceof Buffer) v = new Uint8Array(v);
    return { ok: true, value: v as SqlValue, type: row[1] as string, text: row[2] as string | null };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

function binary(name: string, a: SqlValue, b: SqlValue, ta: SqlType, tb: SqlType): { value: SqlValue; type: SqlType } {
  const cmp = (pred: (c: number) => boolean): SqlValue => (a === null || b === null ? null : pred(V.compareValues(a, b)) ? 1 : 0);
  switch (name) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return { value: V.arith(name, a, b, ta, tb), type: V.arithResultType(ta, tb) };
    case '||':
      return { value: V.concat(a, b, ta, tb), type: 'text' };
    case '&':
    case '|':
    case '<<':
    case '>>':
      return { value: V.bitOp(name, a, b), type: 'integer' };
    case '<':
      return { value: cmp((c) => c < 0), type: 'boolean' };
    case '<=':
      return { value: cmp((c) => c <= 0), type: 'boolean' };
    case '>':
      return { value: cmp((c) => c > 0), type: 'boolean' };
    case '>=':
      return { value: cmp((c) => c >= 0), type: 'boolean' };
    case '=':
      return { value: V.truthToValue(V.sqlEquals(a, b)), type: 'boolean' };
    case '<>':
      return { value: V.truthToValue(V.not3(V.sqlEquals(a, b))), type: 'boolean' };
    case 'IS':
      return { value: V.sqlIs(a, b) ? 1 : 0, type: 'boolean' };
    case 'AND':
      return { value: V.truthToValue(V.and3(V.isTruthy(a), V.isTruthy(b))), type: 'boolean' };
    case 'OR':
      return { value: V.truthToValue(V.or3(V.isTruthy(a), V.isTruthy(b))), type: 'boolean' };
    case 'LIKE':
      return { value: V.truthToValue(V.likeMatch(b, a)), type: 'boolean' };
    case 'GLOB':
      return { value: V.truthToValue(V.globMatch(b, a)), type: 'boolean' };
    default:
      throw new Error(`unknown operator ${name}`);
  }
}

/** Evaluates the spec with our implementation. */
export function runMine(s: Spec): Outcome {
  const lits = s.args.map(literal);
  const vals = lits.map((l) => l.value);
  const types = lits.map((l) => l.type);
  try {
    let value: SqlValue;
    let type: SqlType;
    if (s.kind === 'fn') {
      const fn = lookupScalar(s.name);
      if (!fn) return { ok: false, error: `no such function: ${s.name}` };
      checkArity(fn, vals.length);
      value = fn.call(vals, types);
      type = fn.returnType(types);
    } else if (s.kind === 'cast') {
      value = V.castValue(vals[0]!, s.name, types[0]);
      type = V.castResultType(s.name);
    } else if (vals.length === 1) {
      if (s.name === '-') ({ value, type } = { value: V.neg(vals[0]!, types[0]), type: types[0] === 'real' ? 'real' : types[0] === 'integer' ? 'integer' : 'numeric' });
      else if (s.name === '~') ({ value, type } = { value: V.bitNot(vals[0]!), type: 'integer' });
      else ({ value, type } = { value: V.truthToValue(V.not3(V.isTruthy(vals[0]!))), type: 'boolean' });
    } else ({ value, type } = binary(s.name, vals[0]!, vals[1]!, types[0]!, types[1]!));
    return { ok: true, value, type };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function close(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= 4e-16 * Math.max(Math.abs(a), Math.abs(b));
}

function show(v: unknown): string {
  if (v instanceof Uint8Array) return `x'${Buffer.from(v).toString('hex')}'`;
  if (typeof v === 'bigint') return `${v}n`;
  return JSON.stringify(v) ?? String(v);
}

/**
 * Runs a spec on both sides and returns a description of the first difference, or null when they
 * agree: same error (message), or same value of the same storage class; our static type must not
 * contradict SQLite's typeof, and definite static types must render the same text as SQLite's CAST.
 */
export function diff(s: Spec): string | null {
  const want = runSqlite(s);
  const got = runMine(s);
  const where = sqlOf(s);
  if (!want.ok || !got.ok) {
    if (!want.ok && !got.ok) return want.error === got.error ? null : `${where}: error '${got.error}', SQLite '${want.error}'`;
    return `${where}: ours ${got.ok ? show(got.value) : `error '${got.error}'`}, SQLite ${want.ok ? show(want.value) : `error '${want.error}'`}`;
  }
  const v = got.value;
  const w = want.value;
  const bad = (why: string): string => `${where}: ours ${show(v)} (${got.type}), SQLite ${show(w)} (${want.type}): ${why}`;
  switch (want.type) {
    case 'null':
      return v === null ? null : bad('expected NULL');
    case 'integer':
      if (!(typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)))) return bad('expected an integer');
      if (BigInt(v) !== (w as bigint)) return bad('different value');
      return got.type === 'real' ? bad('static type real for an integer') : null;
    case 'real': {
      if (typeof v !== 'number') return bad('expected a real');
      if (!(s.approx ? close(v, w as number) : v === (w as number) || (Number.isNaN(v) && Number.isNaN(w)))) return bad('different value');
      const overflowed = Math.abs(v) >= 9223372036854775808;
      if ((got.type === 'integer' || got.type === 'boolean') && !overflowed) return bad('static type integer for a real');
      if (got.type === 'real' && !s.approx && V.valueToText(v, 'real') !== want.text) return bad(`text ${V.valueToText(v, 'real')} vs ${want.text}`);
      return null;
    }
    case 'text':
      return v === w ? null : bad('different text');
    default:
      return v instanceof Uint8Array && sameBytes(v, w as Uint8Array) ? null : bad('different blob');
  }
}

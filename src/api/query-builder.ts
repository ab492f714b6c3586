// db.query(prefix): a fluent query over JSON values under a key prefix, compiled to one ToonQL statement.

import { ValidationError } from '../errors.js';
import type { SQLQueryResult } from './sql-result.js';
import type { SqlParams } from './sql-session.js';

/** Comparison operators of where(), as in the seeds' CompareOp. */
export const CompareOp = {
  EQ: '=',
  NE: '<>',
  LT: '<',
  LE: '<=',
  GT: '>',
  GE: '>=',
  IN: 'IN',
  LIKE: 'LIKE',
} as const;

/** One of CompareOp's values. */
export type CompareOperator = (typeof CompareOp)[keyof typeof CompareOp];

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const AGGREGATE = /^(COUNT|SUM|AVG|MIN|MAX)\((\*|[A-Za-z_][A-Za-z0-9_.]*)\)$/i;

function field(name: string): string {
  if (typeof name !== 'string' || !FIELD.test(name)) throw new ValidationError(`invalid field name ${JSON.stringify(name)}: use letters, digits, _ and . for nesting`);
  return `json_extract(value, '$.${name}')`;
}

type Runner = (sql: string, params: SqlParams) => Promise<SQLQueryResult>;

/**
 * A query over the key-value pairs under a prefix whose values are JSON objects. Every method
 * adds to one SELECT over kv_scan(prefix); execute(), count() and sum() run it through the SQL
 * pipeline (see toSql() for the statement).
 */
export class QueryBuilder {
  private readonly filters: { sql: string; params: unknown[] }[] = [];
  private fields: string[] | undefined;
  private order: { field: string; descending: boolean }[] = [];
  private limitN: number | undefined;
  private offsetN: number | undefined;
  private group: string | undefined;

  constructor(
    private readonly prefix: string,
    private readonly run: Runner,
  ) {
    if (typeof prefix !== 'string') throw new ValidationError('query prefix must be a string');
  }

  /** Keeps values whose `field` compares to `value` (IN takes an array). */
  where(name: string, op: CompareOperator, value: unknown): this {
    const f = field(name);
    if (!Object.values(CompareOp).includes(op)) throw new ValidationError(`unknown operator ${String(op)}`);
    if (op === 'IN') {
      if (!Array.isArray(value) || value.length === 0) throw new ValidationError('IN takes a non-empty array');
      this.filters.push({ sql: `${f} IN (${value.map(() => '?').join(', ')})`, params: value });
    } else {
      this.filters.push({ sql: `${f} ${op} ?`, params: [value] });
    }
    return this;
  }

  /** Returns only these fields (or aggregates such as 'COUNT(*)', 'SUM(amount)' with groupBy). */
  select(fields: readonly string[]): this {
    for (const f of fields) if (!AGGREGATE.test(f)) field(f);
    this.fields = [...fields];
    return this;
  }

  /** Orders by a field. */
  orderBy(name: string, options: { descending?: boolean } = {}): this {
    field(name);
    this.order.push({ field: name, descending: options.descending === true });
    return this;
  }

  /** At most `n` results. */
  limit(n: number): this {
    if (!Number.isInteger(n) || n < 0) throw new ValidationError('limit must be a non-negative integer');
    this.limitN = n;
    return this;
  }

  /** Skips the first `n` results. */
  offset(n: number): this {
    if (!Number.isInteger(n) || n < 0) throw new ValidationError('offset must be a non-negative integer');
    this.offsetN = n;
    return this;
  }

  /** Groups by a field (use select() with aggregates). */
  groupBy(name: string): this {
    field(name);
    this.group = name;
    return this;
  }

  private projection(): string {
    if (!this.fields) return this.group ? `${field(this.group)} AS "${this.group}", count(*) AS "COUNT(*)"` : 'key, value';
    const items = this.fields.map((f) => {
      const m = AGGREGATE.exec(f);
      if (m) return `${m[1]!.toLowerCase()}(${m[2] === '*' ? '*' : field(m[2]!)}) AS "${f}"`;
      return `${field(f)} AS "${f}"`;
    });
    return this.group ? items.join(', ') : ['key', ...items].join(', ');
  }

  /** The ToonQL statement and parameters this query runs. */
  toSql(body?: string): { sql: string; params: unknown[] } {
    const params: unknown[] = [this.prefix];
    let sql = `SELECT ${body ?? this.projection()} FROM kv_scan(?)`;
    if (this.filters.length > 0) {
      sql += ` WHERE ${this.filters.map((f) => f.sql).join(' AND ')}`;
      for (const f of this.filters) params.push(...f.params);
    }
    if (this.group && body === undefined) sql += ` GROUP BY ${field(this.group)}`;
    if (body === undefined) {
      const keys = this.order.map((o) => `${field(o.field)}${o.descending ? ' DESC' : ''}`);
      if (!this.group) keys.push('key');
      if (keys.length > 0) sql += ` ORDER BY ${keys.join(', ')}`;
      if (this.limitN !== undefined) sql += ` LIMIT ${this.limitN}`;
      if (this.offsetN !== undefined) sql += `${this.limitN === undefined ? ' LIMIT -1' : ''} OFFSET ${this.offsetN}`;
    }
    return { sql, params };
  }

  /** Runs the query: objects with `key` and the selected fields, or `key` and the parsed `value`. */
  async execute(): Promise<Record<string, unknown>[]> {
    const { sql, params } = this.toSql();
    const r = await this.run(sql, params);
    const plain = !this.fields && !this.group;
    return r.rows.map((row) => {
      const obj: Record<string, unknown> = {};
      r.columns.forEach((c, i) => {
        const v = row[i];
        obj[c] = plain && c === 'value' && typeof v === 'string' ? parseJson(v) : v;
      });
      return obj;
    });
  }

  /** Number of matching values. */
  async count(): Promise<number> {
    const { sql, params } = this.toSql('count(*)');
    return Number((await this.run(sql, params)).rows[0]![0]);
  }

  /** Sum of a numeric field over the matching values (0 when none). */
  async sum(name: string): Promise<number> {
    const { sql, params } = this.toSql(`total(${field(name)})`);
    return Number((await this.run(sql, params)).rows[0]![0]);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

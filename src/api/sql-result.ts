// SQLQueryResult: what executeSql returns — columns, rows, counts, timing, and renderings.

import type { SqlValue } from '../executor/value.js';
import { formatResult, type FormatOptions, type OutputFormat } from '../format/render.js';

/** The result of a SQL statement. */
export class SQLQueryResult {
  constructor(
    /** Column names, in order. */
    readonly columns: readonly string[],
    /** Static column types ('integer', 'real', 'text', …), in order. */
    readonly columnTypes: readonly string[],
    /** Rows as arrays of values (null | number | bigint | string | Uint8Array). */
    readonly rows: SqlValue[][],
    /** Rows inserted, updated or deleted. */
    readonly rowsAffected: number,
    /** The rowid of the last row inserted, if any. */
    readonly lastInsertId: number | bigint | null,
    /** Wall time of the statement in milliseconds. */
    readonly executionTimeMs: number,
  ) {}

  /** Rows as objects keyed by column name. */
  toObjects(): Record<string, unknown>[] {
    return this.rows.map((r) => Object.fromEntries(this.columns.map((c, i) => [c, jsonValue(r[i]!)])));
  }

  /** A JSON-safe object: columns, rows (as objects), counts. */
  toJSON(): { columns: readonly string[]; rows: Record<string, unknown>[]; rowsAffected: number; lastInsertId: number | string | null } {
    const id = this.lastInsertId;
    return { columns: this.columns, rows: this.toObjects(), rowsAffected: this.rowsAffected, lastInsertId: typeof id === 'bigint' ? id.toString() : id };
  }

  /** The rows as a TOON table (`name[N]{a,b}:` and one indented row per line). */
  toToon(name = 'rows'): string {
    return formatResult(this, 'toon', { name });
  }

  /** The result as RFC 4180 CSV with a header row (NULL as an empty field). */
  toCsv(): string {
    return formatResult(this, 'csv');
  }

  /** The result as a GitHub-flavoured Markdown table. */
  toMarkdown(): string {
    return formatResult(this, 'markdown');
  }

  /** The result in any output format (see formatResult). */
  format(format: OutputFormat, options?: FormatOptions): string {
    return formatResult(this, format, options);
  }
}

/** A value as JSON can hold it: bigints beyond 2^53 become strings, blobs hex, vectors arrays. */
export function jsonValue(v: SqlValue): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Float32Array) return Array.from(v);
  if (v instanceof Uint8Array) return `x'${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}'`;
  return v;
}

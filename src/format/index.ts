// Result formats (table, toon, json, csv, markdown). A minimal stand-in on the shell branch with the
// signature the format branch exports; that branch's src/format/index.ts replaces this file on merge.

import { encode } from '@toon-format/toon';
import { jsonValue } from '../api/sql-result.js';
import type { SqlValue } from '../executor/value.js';

/** A result to format: column names and rows of values. */
export interface FormattableResult {
  readonly columns: readonly string[];
  readonly rows: SqlValue[][];
}

/** The formats formatResult knows. */
export type ResultFormat = 'table' | 'toon' | 'json' | 'csv' | 'markdown';

/** Options of formatResult. */
export interface FormatOptions {
  /** Name of the TOON array (default 'rows'). */
  readonly name?: string;
  /** Widest line a table may take; longer values are cut with '…'. */
  readonly maxWidth?: number;
}

function text(v: SqlValue): string {
  const j = jsonValue(v);
  return j === null ? 'NULL' : typeof j === 'string' ? j : typeof j === 'object' ? JSON.stringify(j) : String(j);
}

function cut(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, Math.max(0, width - 1))}…`;
}

function table(r: FormattableResult, maxWidth: number | undefined): string {
  const cells = r.rows.map((row) => row.map((v) => text(v).replace(/\r?\n/g, '↵')));
  const widths = r.columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const total = () => widths.reduce((a, w) => a + w + 3, 1);
  if (maxWidth !== undefined) {
    while (total() > maxWidth) {
      const widest = widths.indexOf(Math.max(...widths));
      if (widths[widest]! <= 3) break;
      widths[widest]!--;
    }
  }
  const numeric = r.columns.map((_, i) => r.rows.length > 0 && r.rows.every((row) => row[i] === null || typeof row[i] === 'number' || typeof row[i] === 'bigint'));
  const line = (l: string, m: string, rt: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${rt}`;
  const row = (vals: readonly string[], align: boolean) =>
    `│${vals.map((v, i) => ` ${align && numeric[i] ? cut(v, widths[i]!).padStart(widths[i]!) : cut(v, widths[i]!).padEnd(widths[i]!)} `).join('│')}│`;
  return [line('┌', '┬', '┐'), row(r.columns, false), line('├', '┼', '┤'), ...cells.map((c) => row(c, true)), line('└', '┴', '┘')].join('\n');
}

function csvField(v: SqlValue): string {
  if (v === null) return '';
  const s = text(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function objects(r: FormattableResult): Record<string, unknown>[] {
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, jsonValue(row[i]!)])));
}

/** Renders a result in one of the formats. */
export function formatResult(result: FormattableResult, format: ResultFormat, options: FormatOptions = {}): string {
  switch (format) {
    case 'table':
      return table(result, options.maxWidth);
    case 'json':
      return JSON.stringify(objects(result), null, 2);
    case 'csv':
      return [result.columns.map((c) => csvField(c)), ...result.rows.map((row) => row.map(csvField))].map((l) => l.join(',')).join('\n');
    case 'markdown': {
      const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
      return [
        `| ${result.columns.map(esc).join(' | ')} |`,
        `| ${result.columns.map(() => '---').join(' | ')} |`,
        ...result.rows.map((row) => `| ${row.map((v) => esc(text(v))).join(' | ')} |`),
      ].join('\n');
    }
    case 'toon':
      return encode({ [options.name ?? 'rows']: objects(result) });
  }
}

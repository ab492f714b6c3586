// Renders a query result (columns and rows of SQL values) in one of the output formats: table, toon, json, csv, markdown.

import type { SqlValue } from '../executor/value.js';
import { ValidationError } from '../errors.js';
import { cellJson, cellText, isNumeric, uniqueNames } from './cells.js';
import { renderTextTable, type TextTableOptions } from './text-table.js';
import { toToonTable, type ToonEncodeOptions } from './toon.js';

/** The output formats of formatResult. */
export type OutputFormat = 'table' | 'toon' | 'json' | 'csv' | 'markdown';

/** Every output format, in the order the shell lists them. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'toon', 'json', 'csv', 'markdown'];

/** What formatResult reads: column names and rows of values (SQLQueryResult is one). */
export interface ResultSet {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly SqlValue[])[];
}

/** Options of formatResult; each format reads the ones that concern it. */
export interface FormatOptions extends TextTableOptions, ToonEncodeOptions {
  /** toon: the table's key (default `rows`). */
  name?: string;
  /** csv: the record separator (default CRLF, as RFC 4180 writes it). */
  newline?: '\r\n' | '\n';
}

/**
 * A query result as text in `format`. No format ends in a newline.
 * - `table`: aligned box-bordered text, NULL as `NULL`, long values cut with `…` at `maxWidth`.
 * - `toon`: a TOON table `name[N]{a,b}:` with one indented row per line (the spec v4 encoder).
 * - `json`: compact JSON, an array of one object per row.
 * - `csv`: RFC 4180 with a header row; NULL is an empty field, the empty string `""`.
 * - `markdown`: a GFM table, NULL as `NULL`, numeric columns right-aligned.
 * In `json` and `toon`, repeated column names get `_2`, `_3`, … so no value is lost.
 */
export function formatResult(result: ResultSet, format: OutputFormat, options: FormatOptions = {}): string {
  switch (format) {
    case 'table':
      return renderTextTable(result.columns, result.rows, options);
    case 'toon':
      return renderToon(result, options);
    case 'json':
      return renderJson(result);
    case 'csv':
      return renderCsv(result, options.newline ?? '\r\n');
    case 'markdown':
      return renderMarkdown(result);
    default:
      throw new ValidationError(`unknown output format '${String(format)}'; expected one of ${OUTPUT_FORMATS.join(', ')}`);
  }
}

/** Whether `s` names an output format. */
export function isOutputFormat(s: string): s is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(s);
}

/** Rows as objects keyed by the (made unique) column names, values in their JSON form. */
function rowObjects(result: ResultSet): Record<string, unknown>[] {
  const names = uniqueNames(result.columns);
  return result.rows.map((r) => Object.fromEntries(names.map((n, i) => [n, cellJson(r[i] ?? null)])));
}

function renderToon(result: ResultSet, options: FormatOptions): string {
  const encode: ToonEncodeOptions = { indentSize: options.indentSize, delimiter: options.delimiter };
  return toToonTable(options.name ?? 'rows', rowObjects(result), uniqueNames(result.columns), encode);
}

function renderJson(result: ResultSet): string {
  return JSON.stringify(rowObjects(result));
}

function renderCsv(result: ResultSet, newline: string): string {
  if (result.columns.length === 0) return '';
  const field = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [result.columns.map(field).join(',')];
  for (const r of result.rows) {
    lines.push(
      result.columns
        .map((_, i) => {
          const text = cellText(r[i] ?? null);
          if (text === null) return '';
          return text === '' ? '""' : field(text);
        })
        .join(','),
    );
  }
  return lines.join(newline);
}

function renderMarkdown(result: ResultSet): string {
  if (result.columns.length === 0) return '';
  const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r\n|\r|\n/g, '<br>');
  const numeric = result.columns.map((_, i) => {
    const values = result.rows.map((r) => r[i] ?? null).filter((v) => v !== null);
    return values.length > 0 && values.every(isNumeric);
  });
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const lines = [row(result.columns.map(cell)), row(numeric.map((n) => (n ? '---:' : '---')))];
  for (const r of result.rows) lines.push(row(result.columns.map((_, i) => cell(cellText(r[i] ?? null) ?? 'NULL'))));
  return lines.join('\n');
}

// The shell's engine, without a terminal: runs statements and meta-commands against a database and prints results.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Database } from '../api/database.js';
import type { SQLQueryResult } from '../api/sql-result.js';
import { QueryCancelledError } from '../errors.js';
import { displayWidth, formatResult } from '../format/index.js';
import { painter, type Paint } from './ansi.js';
import type { CompletionSource } from './completion.js';
import { explainTree } from './explain-tree.js';
import { fitColumnWidth, MIN_COLUMN_WIDTH } from './fit-table.js';
import { META_COMMAND_HELP, OUTPUT_FORMATS, isOutputFormat, parseMetaCommand, type MetaCommand, type OutputFormat } from './meta-command.js';
import { renderError } from './render-error.js';
import { indexDdl, tableDdl } from './schema-text.js';
import { splitScript, type ScriptItem } from './script-splitter.js';

/** Where a session writes: results and notices, errors, and progress of long work. */
export interface ShellIO {
  out(text: string): void;
  err(text: string): void;
  /** Progress of a script (undefined when it ends). */
  progress?(p: Progress | undefined): void;
}

/** Progress of a multi-statement run. */
export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

/** Settings of a session. */
export interface ShellOptions {
  readonly format?: OutputFormat;
  readonly timer?: boolean;
  /** ANSI colours in output and errors. */
  readonly color?: boolean;
  /** Terminal width for tables (undefined: no limit, as when output is piped). */
  readonly width?: () => number | undefined;
  /** Interactive: status lines ("3 rows affected") in every format, not only in tables. */
  readonly interactive?: boolean;
}

/** How a run ended. */
export type RunStatus = 'ok' | 'error' | 'cancelled' | 'quit';

/** Scripts with at least this many statements report progress. */
export const PROGRESS_MIN_STATEMENTS = 2;
const MAX_READ_DEPTH = 16;
const YIELD_EVERY_MS = 30;

/** Optional parts of the Database API (namespaces and collections); detected at run time. */
interface OptionalApi {
  listCollections?: () => unknown;
  listNamespaces?: () => unknown;
  namespace?: (name: string) => { listCollections?: () => unknown } | undefined;
}

/** Collections are named `ns.name`, or just `name` in the default namespace. */
const DEFAULT_NAMESPACE = 'default';

/** The statement without the blanks and comments before its first word. */
function statementHead(sql: string): string {
  return sql.replace(/^(?:\s+|--[^\n]*|\/\*[\s\S]*?\*\/)+/, '');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function names(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((x) => (typeof x === 'string' ? x : x && typeof x === 'object' && 'name' in x ? String((x as { name: unknown }).name) : JSON.stringify(x)));
}

/** A shell session over one open database: settings, output and the names completion offers. */
export class ShellSession {
  /** The current output format (`.format`). */
  format: OutputFormat;
  /** Whether statement times are shown (`.timer`). */
  timer: boolean;
  private readonly paint: Paint;
  private collectionNames: string[] = [];
  private namespaceNames: string[] = [];

  constructor(
    /** The open database. */
    readonly db: Database,
    private readonly io: ShellIO,
    private readonly options: ShellOptions = {},
  ) {
    this.format = options.format ?? 'table';
    this.timer = options.timer ?? true;
    this.paint = painter(options.color ?? false);
  }

  /** Names for tab completion; collections and namespaces as of the last refreshNames(). */
  completionSource(): CompletionSource {
    return {
      tables: () => this.safe(() => this.db.listTables(), []),
      columns: (t) => this.safe(() => this.db.getTableSchema(t).columns.map((c) => c.name), []),
      collections: () => this.collectionNames,
      namespaces: () => this.namespaceNames,
    };
  }

  /** Reloads collection and namespace names (when the API has them). */
  async refreshNames(): Promise<void> {
    this.collectionNames = (await this.listCollections().catch(() => undefined)) ?? [];
    this.namespaceNames = (await this.listNamespaces().catch(() => undefined)) ?? [];
  }

  /** Namespace names, or undefined when the Database API has no namespaces. */
  private async listNamespaces(): Promise<string[] | undefined> {
    const api = this.db as unknown as OptionalApi;
    return typeof api.listNamespaces === 'function' ? names(await api.listNamespaces.call(this.db)) : undefined;
  }

  /**
   * Collection names (qualified by namespace outside the default one), or undefined when the
   * Database API has no collections: either db.listCollections(), or db.namespace(ns).listCollections().
   */
  private async listCollections(): Promise<string[] | undefined> {
    const api = this.db as unknown as OptionalApi;
    if (typeof api.listCollections === 'function') return names(await api.listCollections.call(this.db));
    const namespaces = await this.listNamespaces();
    if (namespaces === undefined || typeof api.namespace !== 'function') return undefined;
    const out: string[] = [];
    for (const ns of namespaces) {
      const handle = api.namespace.call(this.db, ns);
      if (typeof handle?.listCollections !== 'function') return undefined;
      for (const c of names(await handle.listCollections())) out.push(ns === DEFAULT_NAMESPACE ? c : `${ns}.${c}`);
    }
    return out;
  }

  private safe<T>(fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch {
      return fallback;
    }
  }

  /**
   * Runs input: statements ending at `;` and meta-command lines (a last statement without `;`
   * runs too). Stops at the first error; reports progress when there are several statements.
   */
  async run(input: string, signal?: AbortSignal): Promise<RunStatus> {
    return this.runScript(input, signal, 0, undefined);
  }

  private async runScript(input: string, signal: AbortSignal | undefined, depth: number, label: string | undefined): Promise<RunStatus> {
    const { items, rest, restOffset } = splitScript(input);
    const all: ScriptItem[] = rest.trim() === '' ? items : [...items, { kind: 'sql', text: rest.trim(), line: 0, offset: restOffset }];
    const total = all.filter((i) => i.kind === 'sql').length;
    const report = label !== undefined && total >= PROGRESS_MIN_STATEMENTS;
    let done = 0;
    let lastYield = performance.now();
    try {
      for (const item of all) {
        if (signal?.aborted) return this.cancelled();
        // Let the terminal draw progress and deliver Ctrl-C between quick statements.
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await new Promise<void>((r) => setImmediate(r));
          lastYield = performance.now();
        }
        const meta = item.kind === 'meta' ? parseMetaCommand(item.text) : undefined;
        if (meta?.kind === 'invalid' && item.text.startsWith('\\') && (label !== undefined || !this.options.interactive)) {
          // Scripts dumped for psql carry commands like \connect; as db.exec does, skip them with a notice.
          this.io.err(this.paint(`skipped psql meta-command: ${item.text}`, 'gray'));
          continue;
        }
        const status = meta ? await this.runMeta(meta, signal, depth) : await this.runSql(item.text, signal, !report);
        if (status !== 'ok') {
          if (status === 'error' && label !== undefined && item.line > 0) this.io.err(this.paint(`(in ${label}, line ${item.line})`, 'gray'));
          return status;
        }
        if (item.kind === 'sql' && report) this.io.progress?.({ done: ++done, total, label });
        else if (item.kind === 'sql') done++;
      }
    } finally {
      if (report) this.io.progress?.(undefined);
    }
    if (report) this.io.out(this.paint(`${label}: ${plural(done, 'statement')} run`, 'gray'));
    return 'ok';
  }

  private cancelled(): RunStatus {
    this.io.err(this.paint('Cancelled.', 'yellow'));
    return 'cancelled';
  }

  /** Runs one SQL statement and prints its result (or its error). */
  async runSql(sql: string, signal?: AbortSignal, print = true): Promise<RunStatus> {
    let result: SQLQueryResult;
    try {
      result = await this.db.executeSql(sql, undefined, { signal });
    } catch (err) {
      if (err instanceof QueryCancelledError || signal?.aborted) return this.cancelled();
      this.io.err(renderError(err, this.paint));
      return 'error';
    }
    if (/^(CREATE|DROP|ALTER)\b/i.test(statementHead(sql))) await this.refreshNames();
    if (print) this.printResult(sql, result);
    return 'ok';
  }

  private footer(text: string, ms: number): string {
    return this.paint(this.timer ? `(${text}, ${ms.toFixed(1)} ms)` : `(${text})`, 'gray');
  }

  private printResult(sql: string, r: SQLQueryResult): void {
    const status = this.format === 'table' || this.options.interactive;
    if (r.columns.length === 0) {
      if (!status) return;
      const dml = /^(WITH\b[\s\S]*?\b)?(INSERT|UPDATE|DELETE|REPLACE|UPSERT|MERGE)\b/i.test(statementHead(sql));
      this.io.out(this.footer(dml ? `${plural(r.rowsAffected, 'row')} affected` : 'OK', r.executionTimeMs));
      return;
    }
    if (this.format === 'table' && r.columns.length === 1 && r.columns[0] === 'plan' && /^EXPLAIN\b/i.test(statementHead(sql))) {
      this.io.out(explainTree(r.rows.map((row) => String(row[0]))));
    } else {
      this.io.out(this.format === 'table' ? this.renderTable(r) : formatResult(r, this.format));
    }
    if (status) this.io.out(this.footer(plural(r.rows.length, 'row'), r.executionTimeMs));
  }

  /** A table that fits the terminal (long values cut with …), NULL greyed on a colour terminal; uncut without a terminal. */
  private renderTable(r: SQLQueryResult): string {
    const nullText = this.paint('NULL', 'gray');
    const width = this.options.width?.();
    if (width === undefined) return formatResult(r, 'table', { maxWidth: Number.MAX_SAFE_INTEGER, nullText });
    let max = fitColumnWidth(r.columns, r.rows, width);
    for (;;) {
      const text = formatResult(r, 'table', { maxWidth: max, nullText });
      // Escaped control characters can make a cell wider than estimated; narrow until it fits.
      if (max <= MIN_COLUMN_WIDTH || displayWidth(text.slice(0, text.indexOf('\n'))) <= width) return text;
      max--;
    }
  }

  /** Runs a meta-command. */
  async runMeta(cmd: MetaCommand, signal?: AbortSignal, depth = 0): Promise<RunStatus> {
    try {
      return await this.meta(cmd, signal, depth);
    } catch (err) {
      this.io.err(renderError(err, this.paint));
      return 'error';
    }
  }

  private async meta(cmd: MetaCommand, signal: AbortSignal | undefined, depth: number): Promise<RunStatus> {
    const out = (s: string) => this.io.out(s);
    switch (cmd.kind) {
      case 'help':
        out(this.help());
        return 'ok';
      case 'tables': {
        const tables = this.db.listTables();
        out(tables.length === 0 ? this.paint('(no tables)', 'gray') : tables.join('\n'));
        return 'ok';
      }
      case 'schema': {
        const tables = cmd.table !== undefined ? [this.db.getTableSchema(cmd.table)] : this.db.listTables().map((t) => this.db.getTableSchema(t));
        out(tables.length === 0 ? this.paint('(no tables)', 'gray') : tables.map((t) => [tableDdl(t), ...this.db.listIndexes(t.name).filter((i) => !i.implicit).map((i) => indexDdl(i, t))].join('\n')).join('\n\n'));
        return 'ok';
      }
      case 'indexes': {
        const tables = cmd.table !== undefined ? [this.db.getTableSchema(cmd.table)] : this.db.listTables().map((t) => this.db.getTableSchema(t));
        const lines = tables.flatMap((t) => this.db.listIndexes(t.name).map((i) => indexDdl(i, t)));
        out(lines.length === 0 ? this.paint('(no indexes)', 'gray') : lines.join('\n'));
        return 'ok';
      }
      case 'collections':
      case 'namespaces': {
        const list = cmd.kind === 'collections' ? await this.listCollections() : await this.listNamespaces();
        if (list === undefined) out(this.paint(`${cmd.kind} are not available: this build of ToonDB has no ${cmd.kind} API.`, 'yellow'));
        else out(list.length === 0 ? this.paint(`(no ${cmd.kind})`, 'gray') : list.join('\n'));
        return 'ok';
      }
      case 'read': {
        if (depth >= MAX_READ_DEPTH) throw new Error(`.read nested more than ${MAX_READ_DEPTH} deep`);
        const file = resolve(cmd.file);
        const text = await readFile(file, 'utf8');
        return this.runScript(text.replace(/^\uFEFF/, ''), signal, depth + 1, cmd.file);
      }
      case 'explain': {
        const sql = cmd.sql.replace(/;\s*$/, '');
        const r = await this.db.executeSql(`EXPLAIN ${sql}`, undefined, { signal });
        out(explainTree(r.rows.map((row) => String(row[0]))));
        return 'ok';
      }
      case 'format':
        if (cmd.format === undefined) out(`format: ${this.format}`);
        else if (isOutputFormat(cmd.format)) this.format = cmd.format;
        else throw new Error(`unknown format ${cmd.format}; use ${OUTPUT_FORMATS.join(', ')}`);
        return 'ok';
      case 'timer':
        this.timer = cmd.on ?? !this.timer;
        out(this.paint(`timer ${this.timer ? 'on' : 'off'}`, 'gray'));
        return 'ok';
      case 'quit':
        return 'quit';
      case 'invalid':
        throw new Error(cmd.message);
    }
  }

  private help(): string {
    const width = Math.max(...META_COMMAND_HELP.map((h) => h.usage.length));
    const lines = META_COMMAND_HELP.map((h) => `${h.usage.padEnd(width)}  ${h.description}${h.psql ? this.paint(`  (${h.psql})`, 'gray') : ''}`);
    return [
      'Type SQL ending with ; (Enter continues a statement over several lines).',
      ...lines,
      this.paint('Keys: Up/Down history, Ctrl-R search history, Tab complete, Ctrl-C cancel, Ctrl-D exit.', 'gray'),
    ].join('\n');
  }
}

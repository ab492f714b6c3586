// Runs sqllogictest records on an adapter: executes, renders, sorts, hashes and compares results.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { SqlEngineAdapter } from './adapter.js';
import { hashValues, renderRows, sortValues } from './format.js';
import { appliesTo, parseSlt, type QueryRecord, type SltRecord, type StatementRecord } from './parser.js';

/** The reference sqllogictest's hash threshold when a file sets none. */
export const DEFAULT_HASH_THRESHOLD = 8;

/** The names a record's skipif/onlyif are matched against: ToonDB runs what SQLite runs. */
export const TOONDB_ENGINE_NAMES: readonly string[] = ['toondb', 'sqlite'];

/** One record whose outcome differed from the file. */
export interface SltFailure {
  line: number;
  sql: string;
  expected: string;
  actual: string;
}

/** What running one file gave. `skipped` counts statements/queries not run (conditions or halt). */
export interface SltFileResult {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  failures: SltFailure[];
  /** True when a `halt` record (or maxFailures) ended the file early. */
  stopped: boolean;
  durationMs: number;
}

/** What a query or statement actually did; completion mode rewrites the file from these. */
export type RecordOutcome =
  | { kind: 'statement'; record: StatementRecord; error: string | null }
  | { kind: 'query'; record: QueryRecord; error: string | null; lines: string[] };

/** Options for running records. */
export interface RunOptions {
  /** Names matched by skipif/onlyif; TOONDB_ENGINE_NAMES by default. */
  engineNames?: readonly string[];
  /** Stop the file after this many failures (default: never stop). */
  maxFailures?: number;
  /** Hash threshold before any `hash-threshold` record; DEFAULT_HASH_THRESHOLD by default. */
  hashThreshold?: number;
  /**
   * Queries allowed to fail with a matching error instead of giving their expected result,
   * keyed by 1-based line: for corpus records whose expected result only reflects how the
   * reference harness swallows run-time errors (see KNOWN_ERRORS in corpus.ts).
   */
  allowedErrors?: ReadonlyMap<number, RegExp>;
  /** Records to skip (counted as skipped): returns true for SQL a documented skip covers. */
  skip?: (sql: string) => boolean;
  /** Called after every executed statement or query (completion mode collects these). */
  onOutcome?: (outcome: RecordOutcome) => void;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const clip = (s: string, n = 2000): string => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/** Runs parsed records in order on `adapter`; `file` names the result. */
export async function runRecords(
  records: readonly SltRecord[],
  adapter: SqlEngineAdapter,
  file: string,
  options: RunOptions = {},
): Promise<SltFileResult> {
  const started = performance.now();
  const names = options.engineNames ?? TOONDB_ENGINE_NAMES;
  const maxFailures = options.maxFailures ?? Infinity;
  const labels = new Map<string, string>();
  let threshold = options.hashThreshold ?? DEFAULT_HASH_THRESHOLD;
  const result: SltFileResult = { file, passed: 0, failed: 0, skipped: 0, failures: [], stopped: false, durationMs: 0 };
  const fail = (f: SltFailure): void => {
    result.failed++;
    result.failures.push({ ...f, expected: clip(f.expected), actual: clip(f.actual) });
  };

  for (let r = 0; r < records.length; r++) {
    const record = records[r]!;
    const runs = appliesTo(record, names);
    if (record.kind === 'halt' || record.kind === 'hash-threshold') {
      if (!runs) continue;
      if (record.kind === 'hash-threshold') {
        threshold = record.threshold;
        continue;
      }
      result.stopped = true;
      result.skipped += records.slice(r + 1).filter((x) => x.kind === 'statement' || x.kind === 'query').length;
      break;
    }
    if (!runs || options.skip?.(record.sql)) {
      result.skipped++;
      continue;
    }
    const failure =
      record.kind === 'statement'
        ? await runStatement(record, adapter, options.onOutcome)
        : await runQuery(record, adapter, threshold, labels, options);
    if (failure) fail(failure);
    else result.passed++;
    if (result.failed >= maxFailures) {
      result.stopped = true;
      result.skipped += records.slice(r + 1).filter((x) => x.kind === 'statement' || x.kind === 'query').length;
      break;
    }
  }
  result.durationMs = performance.now() - started;
  return result;
}

async function runStatement(
  record: StatementRecord,
  adapter: SqlEngineAdapter,
  onOutcome: RunOptions['onOutcome'],
): Promise<SltFailure | null> {
  let error: string | null = null;
  try {
    await adapter.run(record.sql);
  } catch (e) {
    error = errorText(e);
  }
  onOutcome?.({ kind: 'statement', record, error });
  if (record.expectError === (error !== null)) return null;
  return {
    line: record.line,
    sql: record.sql,
    expected: record.expectError ? 'an error' : 'success',
    actual: error === null ? 'success' : `error: ${error}`,
  };
}

/**
 * The lines a query's result section holds: every value, or one "N values hashing to MD5"
 * line when there are more than `threshold` values (threshold 0 never hashes).
 */
export function resultLines(values: readonly string[], threshold: number): string[] {
  return threshold > 0 && values.length > threshold ? [hashValues(values)] : [...values];
}

async function runQuery(
  record: QueryRecord,
  adapter: SqlEngineAdapter,
  threshold: number,
  labels: Map<string, string>,
  options: RunOptions,
): Promise<SltFailure | null> {
  const onOutcome = options.onOutcome;
  const expectedText =
    record.expected.kind === 'hash'
      ? `${record.expected.count} values hashing to ${record.expected.hash}`
      : record.expected.values.join('\n');
  const failure = (actual: string): SltFailure => ({ line: record.line, sql: record.sql, expected: expectedText, actual });
  let values: string[];
  try {
    const res = await adapter.query(record.sql);
    const width = res.rows[0]?.length ?? res.columns.length;
    if (res.rows.length > 0 && width !== record.types.length) {
      onOutcome?.({ kind: 'query', record, error: `expected ${record.types.length} columns, got ${width}`, lines: [] });
      return failure(`${width} columns (type string '${record.types}' has ${record.types.length})`);
    }
    values = sortValues(renderRows(res.rows, record.types, res.types), record.sortMode);
  } catch (e) {
    onOutcome?.({ kind: 'query', record, error: errorText(e), lines: [] });
    if (options.allowedErrors?.get(record.line)?.test(errorText(e))) return null;
    return failure(`error: ${errorText(e)}`);
  }
  onOutcome?.({ kind: 'query', record, error: null, lines: resultLines(values, threshold) });

  // A label ties together queries that must agree; it is checked on the full hash.
  if (record.label !== null) {
    const hash = hashValues(values);
    const earlier = labels.get(record.label);
    if (earlier === undefined) labels.set(record.label, hash);
    else if (earlier !== hash) return failure(`label ${record.label}: ${hash}, earlier query gave ${earlier}`);
  }
  if (record.expected.kind === 'hash') {
    const hash = hashValues(values);
    return hash === expectedText ? null : failure(hash);
  }
  const expected = record.expected.values;
  if (expected.length === values.length && expected.every((v, i) => v === values[i])) return null;
  return failure(values.join('\n'));
}

/** Reads, parses and runs one sqllogictest file on `adapter`. */
export async function runSltFile(path: string, adapter: SqlEngineAdapter, options: RunOptions = {}): Promise<SltFileResult> {
  const records = parseSlt(readFileSync(path, 'utf8'), path);
  const result = await runRecords(records, adapter, basename(path), options);
  return result;
}

/** The one-line summary printed per file: "select1.test: N passed, M failed, K skipped". */
export function summaryLine(r: SltFileResult): string {
  const extra = r.stopped ? ' (stopped early)' : '';
  return `${r.file}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${extra} in ${Math.round(r.durationMs)} ms`;
}

/** A readable report of a file's first failures, for assertion messages. */
export function failureReport(r: SltFileResult, limit = 5): string {
  return r.failures
    .slice(0, limit)
    .map((f) => `${r.file}:${f.line}\n${f.sql}\n--- expected\n${f.expected}\n--- actual\n${f.actual}`)
    .join('\n\n');
}

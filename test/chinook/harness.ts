// Loads the Chinook sample database into an engine and compares query results between engines.
import { fileURLToPath } from 'node:url';

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AdapterResult, SqlEngineAdapter } from '../slt/adapter.js';

/** Where the shared Chinook scripts live; they are read in place and never copied. */
export const CHINOOK_DIR = process.env.TOONDB_SHARED ? join(process.env.TOONDB_SHARED, 'corpora/chinook') : fileURLToPath(new URL('../../../shared/corpora/chinook', import.meta.url));

/** The SQLite scripts: natural keys ('plain') or AUTOINCREMENT keys. */
export type ChinookSqliteVariant = 'plain' | 'autoincrement';

/** The Postgres scripts: plain INT keys, GENERATED ALWAYS AS IDENTITY keys, or SERIAL keys. */
export type ChinookPostgresVariant = 'plain' | 'autoincrement' | 'serial';

const SQLITE_FILES: Record<ChinookSqliteVariant, string> = {
  plain: 'Chinook_Sqlite.sql',
  autoincrement: 'Chinook_Sqlite_AutoIncrementPKs.sql',
};

const POSTGRES_FILES: Record<ChinookPostgresVariant, string> = {
  plain: 'Chinook_PostgreSql.sql',
  autoincrement: 'Chinook_PostgreSql_AutoIncrementPKs.sql',
  serial: 'Chinook_PostgreSql_SerialPKs.sql',
};

/** Every Chinook script this harness knows, by file name. */
export const CHINOOK_FILES: readonly string[] = [...Object.values(SQLITE_FILES), ...Object.values(POSTGRES_FILES)];

/** Whether the shared Chinook scripts are present on this machine. */
export function chinookAvailable(dir = CHINOOK_DIR): boolean {
  return existsSync(join(dir, SQLITE_FILES.plain));
}

/**
 * Reads a Chinook script as text. The 1.4.5 scripts are UTF-8 without a BOM and with LF
 * endings, but older releases shipped a BOM and CRLF, so both are normalised away.
 */
export function readChinookScript(file: string, dir = CHINOOK_DIR): string {
  return readFileSync(join(dir, file), 'utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** Loads the SQLite flavour of Chinook (bracket-quoted names, multi-row INSERTs) via exec. */
export async function loadChinookSqlite(adapter: SqlEngineAdapter, variant: ChinookSqliteVariant = 'plain'): Promise<void> {
  await adapter.exec(readChinookScript(SQLITE_FILES[variant]));
}

/** A Postgres script made loadable into one embedded database, with what was taken out. */
export interface PreparedPostgresScript {
  script: string;
  /** One line per removed line: "line N: removed psql meta-command \c chinook;". */
  notices: string[];
}

const DATABASE_STATEMENT = /^\s*(DROP|CREATE)\s+DATABASE\b[^;]*;\s*$/i;

/**
 * Strips what only psql or a server understands from a Chinook Postgres script: psql
 * meta-commands (lines starting with a backslash, e.g. `\c chinook;`) and one-line
 * `DROP/CREATE DATABASE` statements (an embedded engine has a single database).
 * Removed lines become blank so line numbers in later errors still match the file.
 */
export function preparePostgresScript(text: string): PreparedPostgresScript {
  const notices: string[] = [];
  const lines = text.split('\n').map((line, i) => {
    if (line.startsWith('\\')) {
      notices.push(`line ${i + 1}: removed psql meta-command ${line.trim()}`);
      return '';
    }
    if (DATABASE_STATEMENT.test(line)) {
      notices.push(`line ${i + 1}: removed server statement ${line.trim()}`);
      return '';
    }
    return line;
  });
  return { script: lines.join('\n'), notices };
}

/**
 * Loads a Postgres flavour of Chinook (snake_case names, N'' literals, ALTER TABLE ADD
 * CONSTRAINT, identity/serial keys) into a ToonDB adapter via exec; returns the notices
 * for what was stripped. Not meant for SQLite, which rejects this dialect.
 */
export async function loadChinookPostgres(
  adapter: SqlEngineAdapter,
  variant: ChinookPostgresVariant = 'plain',
): Promise<{ notices: string[] }> {
  const { script, notices } = preparePostgresScript(readChinookScript(POSTGRES_FILES[variant]));
  await adapter.exec(script);
  return { notices };
}

/** Options for comparing two result sets. */
export interface CompareOptions {
  /** Relative tolerance for numbers (default 1e-9). */
  relTol?: number;
  /** Absolute tolerance for numbers near zero (default 1e-12). */
  absTol?: number;
  /** Stop after this many differences (default 10). */
  maxDiffs?: number;
}

/** A value reduced to something comparable: numbers and bigints as numbers (or exact text), bytes as hex. */
function normalise(v: unknown): null | number | string | { bytes: string } {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : `${v}n`;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Uint8Array) return { bytes: Buffer.from(v).toString('hex') };
  if (typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
}

function sameValue(a: unknown, b: unknown, relTol: number, absTol: number): boolean {
  const x = normalise(a);
  const y = normalise(b);
  if (typeof x === 'number' && typeof y === 'number') {
    if (x === y) return true;
    const diff = Math.abs(x - y);
    return diff <= absTol || diff <= relTol * Math.max(Math.abs(x), Math.abs(y));
  }
  if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object') return x.bytes === y.bytes;
  return x === y;
}

const show = (v: unknown): string => {
  const n = normalise(v);
  return n === null ? 'NULL' : typeof n === 'object' ? `x'${n.bytes}'` : JSON.stringify(n);
};

/**
 * Differences between an expected (reference) and an actual result: column names
 * (case-insensitive), row count, then values row by row — numbers within tolerance,
 * integers equal to integral REALs, text exact. An empty list means they agree.
 */
export function compareResults(expected: AdapterResult, actual: AdapterResult, options: CompareOptions = {}): string[] {
  const { relTol = 1e-9, absTol = 1e-12, maxDiffs = 10 } = options;
  const diffs: string[] = [];
  const names = (r: AdapterResult): string => r.columns.map((c) => c.toLowerCase()).join(', ');
  if (names(expected) !== names(actual)) diffs.push(`columns: expected [${expected.columns.join(', ')}], got [${actual.columns.join(', ')}]`);
  if (expected.rows.length !== actual.rows.length) diffs.push(`row count: expected ${expected.rows.length}, got ${actual.rows.length}`);
  const n = Math.min(expected.rows.length, actual.rows.length);
  for (let r = 0; r < n && diffs.length < maxDiffs; r++) {
    const e = expected.rows[r]!;
    const a = actual.rows[r]!;
    if (e.length !== a.length) {
      diffs.push(`row ${r}: expected ${e.length} values, got ${a.length}`);
      continue;
    }
    for (let c = 0; c < e.length && diffs.length < maxDiffs; c++) {
      if (!sameValue(e[c], a[c], relTol, absTol)) {
        diffs.push(`row ${r} column ${expected.columns[c] ?? c}: expected ${show(e[c])}, got ${show(a[c])}`);
      }
    }
  }
  return diffs;
}

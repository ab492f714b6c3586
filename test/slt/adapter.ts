// The narrow seam between the conformance harnesses (sqllogictest, Chinook) and a SQL engine.

/** A value as an engine hands it back: SQLite's five storage classes in JavaScript form. */
export type SqlValue = null | number | bigint | string | Uint8Array;

/** The rows of one statement, with column types when the engine knows them. */
export interface AdapterResult {
  columns: string[];
  /**
   * Per-column type names ('integer', 'real', 'text', 'any', ...), when known. The slt
   * formatter uses them only to tell an integral `number` from a REAL one: a `number`
   * whose column type is not integer-like is rendered as a REAL, so engines without
   * types must hand integers back as `bigint` (better-sqlite3 does, in safe-integer mode).
   */
  types?: string[];
  rows: unknown[][];
}

/** What a harness needs from an engine: run one statement, run a script, close. */
export interface SqlEngineAdapter {
  name: string;
  /** Runs one statement; returns rows as arrays of values (null | number | bigint | string | Uint8Array) and column types when known. */
  query(sql: string): Promise<AdapterResult>;
  /** Runs a statement that returns no rows (rows it does return are discarded). */
  run(sql: string): Promise<void>;
  /** Runs a script of many statements. */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

/** Makes a fresh adapter on an empty in-memory database. */
export type AdapterFactory = () => Promise<SqlEngineAdapter>;

/** The engines a harness can be pointed at. */
export type EngineName = 'sqlite' | 'toondb';

/** Reads an engine name from an environment variable (e.g. TOONDB_SLT_ENGINE), defaulting to `fallback`. */
export function engineFromEnv(variable: string, fallback: EngineName = 'sqlite'): EngineName {
  const raw = (process.env[variable] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (raw === 'sqlite' || raw === 'toondb') return raw;
  throw new Error(`${variable}=${raw}: expected 'sqlite' or 'toondb'`);
}

/**
 * The adapter factory for an engine. Modules are imported lazily so that a half-built
 * ToonDB never breaks a run that only uses SQLite, and the reverse.
 */
export function adapterFactoryFor(engine: EngineName): AdapterFactory {
  switch (engine) {
    case 'sqlite':
      return async () => (await import('./sqlite-adapter.js')).createSqliteAdapter();
    case 'toondb':
      return async () => (await import('./toondb-adapter.js')).createToonDbAdapter();
  }
}

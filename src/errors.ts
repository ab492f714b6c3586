// The one error table of ToonDB: every error the database throws is a ToonDBError with a code from here.

/** The stage of the database an error comes from (as DuckDB prints "Parser Error", "Binder Error", …). */
export type ErrorPhase = 'parse' | 'bind' | 'plan' | 'execute' | 'storage' | 'transaction' | 'api';

/** Every error code, with its phase, whether a retry can succeed, and the default remediation hint. */
export const ERROR_CODES = {
  VALIDATION: { phase: 'api', retryable: false, hint: 'Check the arguments against the API documentation.' },
  DATABASE_CLOSED: { phase: 'api', retryable: false, hint: 'Open the database again with Database.open(path).' },
  DATABASE_LOCKED: {
    phase: 'storage',
    retryable: false,
    hint: 'Another process has this database open. Close it there, or open a different path.',
  },
  DATABASE_ERROR: { phase: 'storage', retryable: false, hint: 'See the cause for the underlying storage error.' },
  CORRUPTION: {
    phase: 'storage',
    retryable: false,
    hint: 'The files on disk are damaged. Restore from a backup or dump.',
  },
  TRANSACTION_CONFLICT: {
    phase: 'transaction',
    retryable: true,
    hint: 'Another transaction changed data this one depended on. Retry the transaction (db.withTransaction retries for you).',
  },
  TRANSACTION_CLOSED: {
    phase: 'transaction',
    retryable: false,
    hint: 'The transaction has already committed or aborted. Start a new one.',
  },
  TRANSACTION_ERROR: { phase: 'transaction', retryable: false, hint: 'See the message for details.' },
  READ_ONLY: { phase: 'transaction', retryable: false, hint: 'Snapshots are read-only. Write through the database or a transaction.' },
  QUERY_SYNTAX: { phase: 'parse', retryable: false, hint: 'Fix the statement at the caret.' },
  QUERY_BIND: { phase: 'bind', retryable: false, hint: 'Check table and column names against the catalog.' },
  QUERY_PLAN: { phase: 'plan', retryable: false, hint: 'The statement cannot be planned as written.' },
  QUERY_EXECUTION: { phase: 'execute', retryable: false, hint: 'See the message for details.' },
  QUERY_CANCELLED: {
    phase: 'execute',
    retryable: true,
    hint: 'The statement was cancelled (its AbortSignal fired) and its changes were rolled back. Run it again to retry.',
  },
  CONSTRAINT: { phase: 'execute', retryable: false, hint: 'The statement would violate a constraint; nothing was changed.' },
  NOT_FOUND: { phase: 'api', retryable: false, hint: 'Create the object first, or check its name.' },
  ALREADY_EXISTS: { phase: 'api', retryable: false, hint: 'Use another name, or the get-or-create form.' },
  NAMESPACE_NOT_FOUND: { phase: 'api', retryable: false, hint: 'Create the namespace first (createNamespace or CREATE NAMESPACE), or use getOrCreateNamespace.' },
  NAMESPACE_EXISTS: { phase: 'api', retryable: false, hint: 'Use another name, or getOrCreateNamespace / CREATE NAMESPACE IF NOT EXISTS.' },
  NAMESPACE_NOT_EMPTY: { phase: 'execute', retryable: false, hint: 'Drop what the namespace holds first, or drop it with CASCADE (deleteNamespace(name, { force: true })).' },
  COLLECTION_NOT_FOUND: { phase: 'api', retryable: false, hint: 'Create the collection first (createCollection or CREATE COLLECTION), or check its name and namespace.' },
  COLLECTION_EXISTS: { phase: 'api', retryable: false, hint: 'Use another name, or getOrCreateCollection / CREATE COLLECTION IF NOT EXISTS.' },
  COLLECTION_CONFIG: { phase: 'api', retryable: false, hint: 'Check the collection options: dimension is required; metric is cosine, euclidean or dot.' },
  DIMENSION_MISMATCH: { phase: 'execute', retryable: false, hint: 'Pass vectors with exactly the collection\'s dimension.' },
  INVALID_VECTOR: { phase: 'execute', retryable: false, hint: 'Vectors must be arrays of finite numbers (no NaN or Infinity).' },
  INVALID_METADATA: { phase: 'execute', retryable: false, hint: 'Metadata must be a JSON object (string keys, JSON values).' },
  TOON_SYNTAX: {
    phase: 'parse',
    retryable: false,
    hint: 'The text is not valid TOON (spec v4). Fix the line named in the message, or decode with { strict: false }.',
  },
  VECTOR_CONFIG: { phase: 'api', retryable: false, hint: 'Fix the vector index configuration field named in the message.' },
} as const satisfies Record<string, { phase: ErrorPhase; retryable: boolean; hint: string }>;

/** A code from the error table. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Options accepted by every ToonDB error constructor. */
export interface ToonDBErrorOptions {
  /** Overrides the default remediation hint of the code. */
  remediation?: string;
  /** Extra structured context (names, positions, values). */
  details?: Record<string, unknown>;
  /** The underlying error, if any. */
  cause?: unknown;
}

/** The base class of every error ToonDB throws. */
export class ToonDBError extends Error {
  /** The code from the error table. */
  readonly code: ErrorCode;
  /** The stage the error comes from. */
  readonly phase: ErrorPhase;
  /** How to fix it. */
  readonly remediation: string;
  /** Whether retrying the same operation can succeed. */
  readonly retryable: boolean;
  /** Extra structured context. */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: ToonDBErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const entry = ERROR_CODES[code];
    this.name = new.target.name;
    this.code = code;
    this.phase = entry.phase;
    this.retryable = entry.retryable;
    this.remediation = options.remediation ?? entry.hint;
    this.details = options.details ?? {};
  }
}

/** Bad arguments to an API call: wrong types, empty keys, values too large. Nothing was written. */
export class ValidationError extends ToonDBError {
  constructor(message: string, options?: ToonDBErrorOptions) {
    super('VALIDATION', message, options);
  }
}

/** A storage-level failure (I/O, the engine, a closed database). */
export class DatabaseError extends ToonDBError {
  constructor(message: string, options?: ToonDBErrorOptions, code: ErrorCode = 'DATABASE_ERROR') {
    super(code, message, options);
  }
}

/** The database files are damaged. */
export class CorruptionError extends ToonDBError {
  constructor(message: string, options?: ToonDBErrorOptions) {
    super('CORRUPTION', message, options);
  }
}

/** Base class of transaction errors. */
export class TransactionError extends ToonDBError {
  constructor(message: string, options?: ToonDBErrorOptions, code: ErrorCode = 'TRANSACTION_ERROR') {
    super(code, message, options);
  }
}

/** A transaction lost a conflict (serialization failure) and was rolled back; it changed nothing. Safe to retry. */
export class TransactionConflictError extends TransactionError {
  constructor(message: string, options?: ToonDBErrorOptions) {
    super(message, options, 'TRANSACTION_CONFLICT');
  }
}

/** Position of a query error in the statement text (1-based line and column, 0-based offset). */
export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** Base class of errors about query text; carries the position and a caret excerpt. */
export class QueryError extends ToonDBError {
  /** Where in the statement the error is, if known. */
  readonly position: SourcePosition | undefined;
  /** The statement text the error is about. */
  readonly sql: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    sql?: string,
    position?: SourcePosition,
    options?: ToonDBErrorOptions,
  ) {
    super(code, position && sql !== undefined ? `${message}\n${caretExcerpt(sql, position)}` : message, options);
    this.sql = sql;
    this.position = position;
  }
}

/** The statement does not parse. The message shows the line with a caret under the offending token. */
export class QuerySyntaxError extends QueryError {
  constructor(message: string, sql: string, position: SourcePosition, options?: ToonDBErrorOptions) {
    super('QUERY_SYNTAX', `syntax error at line ${position.line}, column ${position.column}: ${message}`, sql, position, options);
  }
}

/** A name or type in the statement does not resolve against the catalog. */
export class QueryBindError extends QueryError {
  constructor(message: string, sql?: string, position?: SourcePosition, options?: ToonDBErrorOptions) {
    super('QUERY_BIND', message, sql, position, options);
  }
}

/** A statement failed while running. */
export class QueryExecutionError extends QueryError {
  constructor(message: string, options?: ToonDBErrorOptions) {
    super('QUERY_EXECUTION', message, undefined, undefined, options);
  }
}

/** A statement was cancelled through the AbortSignal passed to executeSql or exec. */
export class QueryCancelledError extends QueryError {
  constructor(message = 'statement cancelled', options?: ToonDBErrorOptions) {
    super('QUERY_CANCELLED', message, undefined, undefined, { ...options, details: { cancelled: true, ...options?.details } });
  }
}

/** A constraint (PRIMARY KEY, UNIQUE, NOT NULL, CHECK, FOREIGN KEY) would be violated; the statement changed nothing. */
export class ConstraintError extends ToonDBError {
  constructor(message: string, options?: ToonDBErrorOptions) {
    super('CONSTRAINT', message, options);
  }
}

/** A namespace that does not exist was named. */
export class NamespaceNotFoundError extends ToonDBError {
  constructor(name: string, options?: ToonDBErrorOptions) {
    super('NAMESPACE_NOT_FOUND', `no such namespace: ${name}`, { ...options, details: { namespace: name, ...options?.details } });
  }
}

/** A namespace of that name exists already. */
export class NamespaceExistsError extends ToonDBError {
  constructor(name: string, options?: ToonDBErrorOptions) {
    super('NAMESPACE_EXISTS', `namespace ${name} already exists`, { ...options, details: { namespace: name, ...options?.details } });
  }
}

/** A collection that does not exist was named. */
export class CollectionNotFoundError extends ToonDBError {
  constructor(name: string, options?: ToonDBErrorOptions) {
    super('COLLECTION_NOT_FOUND', `no such collection: ${name}`, { ...options, details: { collection: name, ...options?.details } });
  }
}

/** A collection (or another object) of that name exists already. */
export class CollectionExistsError extends ToonDBError {
  constructor(name: string, options?: ToonDBErrorOptions) {
    super('COLLECTION_EXISTS', `collection ${name} already exists`, { ...options, details: { collection: name, ...options?.details } });
  }
}

/** Invalid collection options (missing dimension, unknown metric, a change to a fixed option). */
export class CollectionConfigError extends ToonDBError {
  constructor(message: string, options?: ToonDBErrorOptions) {
    super('COLLECTION_CONFIG', message, options);
  }
}

/** Metadata that is not a JSON object. */
export class InvalidMetadataError extends ToonDBError {
  constructor(message: string, options?: ToonDBErrorOptions) {
    super('INVALID_METADATA', message, options);
  }
}

/** TOON text that does not decode: bad syntax, or a strict-mode count, width or indentation check failed. */
export class ToonSyntaxError extends ToonDBError {
  /** 1-based line of the TOON text the decoder stopped at, if known. */
  readonly line: number | undefined;
  /** That line as written (with its indentation), if known. */
  readonly source: string | undefined;

  constructor(message: string, line?: number, source?: string, options?: ToonDBErrorOptions) {
    super('TOON_SYNTAX', message, { ...options, details: { ...options?.details, line, source } });
    this.line = line;
    this.source = source;
  }
}

/** Renders the line of `sql` containing `pos` with a caret under the column. */
export function caretExcerpt(sql: string, pos: SourcePosition): string {
  const lines = sql.split('\n');
  const text = lines[pos.line - 1] ?? '';
  const gutter = `${pos.line} | `;
  return `${gutter}${text}\n${' '.repeat(gutter.length + Math.max(0, pos.column - 1))}^`;
}

/** Computes line and column (1-based) of a 0-based offset in `text`. */
export function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/** A vector has a different number of components than its index's dimension. Nothing was written. */
export class DimensionMismatchError extends ToonDBError {
  constructor(message: string, options?: ToonDBErrorOptions) {
    super('DIMENSION_MISMATCH', message, options);
  }
}

/** A vector holds NaN or ±Infinity, or is the zero vector under the cosine metric. Nothing was written. */
export class InvalidVectorError extends ToonDBError {
  constructor(message: string, options?: ToonDBErrorOptions) {
    super('INVALID_VECTOR', message, options);
  }
}

/** A vector index configuration is invalid (dimension, metric, HNSW or quantization parameters). */
export class VectorConfigError extends ToonDBError {
  constructor(message: string, options?: ToonDBErrorOptions) {
    super('VECTOR_CONFIG', message, options);
  }
}

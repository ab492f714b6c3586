// The parser as a whole: generated CST types are current, every statement kind is reachable,
// the shared instance is reused, and parsing is fast enough.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cstTypesText } from '../../grammar/generate-cst-types.js';
import { parser, ToonQLParser } from '../../grammar/parser.js';
import type { StatementKind } from '../../src/compiler/ast.js';
import { parseStatement, parseStatements, strip } from './helpers.js';

describe('grammar artifacts', () => {
  it('grammar/cst.d.ts matches the grammar (regenerate with grammar/generate-cst-types.ts)', () => {
    const committed = readFileSync(new URL('../../grammar/cst.d.ts', import.meta.url), 'utf8');
    expect(committed).toBe(cstTypesText());
  });

  it('passes Chevrotain\'s grammar checks (the shared instance skips them for start-up time)', () => {
    expect(() => new ToonQLParser({ validate: true })).not.toThrow();
  });

  it('has no rule without a CST visitor method (validateVisitor ran at import)', () => {
    expect(Object.keys(parser.getGAstProductions()).length).toBeGreaterThan(80);
  });
});

// A Record over StatementKind: adding a statement kind without an example here fails to compile.
const EXAMPLES: Record<StatementKind, string> = {
  SelectStatement: 'SELECT 1',
  InsertStatement: 'INSERT INTO t VALUES (1)',
  UpdateStatement: 'UPDATE t SET a = 1',
  DeleteStatement: 'DELETE FROM t',
  CreateTableStatement: 'CREATE TABLE t (a INT)',
  DropTableStatement: 'DROP TABLE t',
  AlterTableStatement: 'ALTER TABLE t RENAME TO u',
  CreateIndexStatement: 'CREATE INDEX i ON t (a)',
  DropIndexStatement: 'DROP INDEX i',
  CreateViewStatement: 'CREATE VIEW v AS SELECT 1',
  DropViewStatement: 'DROP VIEW v',
  CreateNamespaceStatement: "CREATE NAMESPACE tenant WITH (display_name = 'Acme', labels = '{}')",
  AlterNamespaceStatement: "ALTER SCHEMA tenant SET (labels = '{}')",
  DropNamespaceStatement: 'DROP NAMESPACE IF EXISTS tenant CASCADE',
  CreateCollectionStatement: 'CREATE COLLECTION IF NOT EXISTS tenant.docs (dimension = 3, metric = cosine)',
  AlterCollectionStatement: 'ALTER COLLECTION docs SET (ef_search = 100)',
  DropCollectionStatement: 'DROP COLLECTION docs, other',
  KvPutStatement: "PUT 'user:1' = 'Alice', 'user:2' = 'Bob' IN NAMESPACE tenant WITH (ttl_seconds = 60)",
  KvGetStatement: "GET PATH 'users/alice/name'",
  KvDeleteStatement: "DELETE PREFIX 'session:'",
  KvScanStatement: "SCAN PREFIX 'logs/' AFTER 'logs/5' REVERSE LIMIT 100",
  KvListStatement: "LIST PATH 'users'",
  BeginStatement: 'BEGIN',
  CommitStatement: 'COMMIT',
  RollbackStatement: 'ROLLBACK',
  SavepointStatement: 'SAVEPOINT s',
  ReleaseStatement: 'RELEASE s',
  ExplainStatement: 'EXPLAIN SELECT 1',
  AnalyzeStatement: 'ANALYZE',
  SetStatement: 'SET a = 1',
  PragmaStatement: 'PRAGMA a',
  VacuumStatement: 'VACUUM',
  ReindexStatement: 'REINDEX t',
};

describe('statement kinds', () => {
  for (const [kind, sql] of Object.entries(EXAMPLES)) {
    it(`${kind}: ${sql}`, () => expect(parseStatement(sql).kind).toBe(kind));
  }
});

describe('the shared parser', () => {
  it('gives the same tree for the same text, before and after other parses and errors', () => {
    const sql = 'SELECT a, ? FROM t WHERE b IN (?, ?)';
    const first = strip(parseStatement(sql));
    parseStatements('INSERT INTO t VALUES (1); CREATE TABLE x (y)');
    expect(() => parseStatement('SELECT FROM WHERE')).toThrow();
    expect(strip(parseStatement(sql))).toEqual(first);
  });

  it('parses a one-row INSERT in tens of microseconds', () => {
    const sql = "INSERT INTO users (id, name, email, age) VALUES (?, 'alice', 'a@example.com', 42)";
    for (let i = 0; i < 2000; i++) parseStatement(sql);
    const runs = 5000;
    const started = performance.now();
    for (let i = 0; i < runs; i++) parseStatement(sql);
    const micros = ((performance.now() - started) / runs) * 1000;
    // Typically ~20µs; the bound leaves room for slow, shared CI machines.
    expect(micros).toBeLessThan(200);
  });
});

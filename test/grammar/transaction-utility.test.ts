// Transaction control and utility statements: BEGIN…, EXPLAIN, ANALYZE, SET, PRAGMA, VACUUM.
import { describe, expect, it } from 'vitest';
import { id, parseAs, parseStatements, show, strip } from './helpers.js';

describe('transactions', () => {
  it('parses BEGIN in all its forms', () => {
    const begin = (sql: string) => strip(parseAs(sql, 'BeginStatement'));
    expect(begin('BEGIN')).toEqual({ kind: 'BeginStatement' });
    expect(begin('BEGIN DEFERRED TRANSACTION')).toEqual({ kind: 'BeginStatement', mode: 'DEFERRED' });
    expect(begin('begin immediate')).toEqual({ kind: 'BeginStatement', mode: 'IMMEDIATE' });
    expect(begin('BEGIN EXCLUSIVE WORK')).toEqual({ kind: 'BeginStatement', mode: 'EXCLUSIVE' });
    expect(begin('BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE')).toEqual({ kind: 'BeginStatement', isolation: 'SERIALIZABLE' });
    expect(begin('BEGIN ISOLATION LEVEL SNAPSHOT')).toMatchObject({ isolation: 'SNAPSHOT' });
    expect(begin('BEGIN ISOLATION LEVEL REPEATABLE READ')).toMatchObject({ isolation: 'REPEATABLE READ' });
    expect(begin('BEGIN ISOLATION LEVEL READ COMMITTED')).toMatchObject({ isolation: 'READ COMMITTED' });
    expect(begin('START TRANSACTION ISOLATION LEVEL READ UNCOMMITTED, READ ONLY')).toEqual({ kind: 'BeginStatement', isolation: 'READ UNCOMMITTED', readOnly: true });
    expect(begin('START TRANSACTION READ WRITE')).toEqual({ kind: 'BeginStatement', readOnly: false });
  });

  it('parses COMMIT, END, ROLLBACK, SAVEPOINT, RELEASE', () => {
    for (const sql of ['COMMIT', 'COMMIT TRANSACTION', 'COMMIT WORK', 'END', 'END TRANSACTION']) parseAs(sql, 'CommitStatement');
    expect(parseAs('ROLLBACK', 'RollbackStatement').savepoint).toBeUndefined();
    expect(parseAs('ROLLBACK TRANSACTION TO SAVEPOINT sp1', 'RollbackStatement').savepoint).toMatchObject({ name: 'sp1' });
    expect(parseAs('ROLLBACK TO sp1', 'RollbackStatement').savepoint).toMatchObject({ name: 'sp1' });
    expect(strip(parseAs('SAVEPOINT sp1', 'SavepointStatement'))).toEqual({ kind: 'SavepointStatement', name: id('sp1') });
    expect(strip(parseAs('RELEASE SAVEPOINT sp1', 'ReleaseStatement'))).toEqual({ kind: 'ReleaseStatement', name: id('sp1') });
    expect(strip(parseAs('RELEASE sp1', 'ReleaseStatement'))).toEqual({ kind: 'ReleaseStatement', name: id('sp1') });
  });
});

describe('utility statements', () => {
  it('parses EXPLAIN variants', () => {
    expect(parseAs('EXPLAIN SELECT 1', 'ExplainStatement')).toMatchObject({ analyze: false, queryPlan: false, statement: { kind: 'SelectStatement' } });
    expect(parseAs('EXPLAIN ANALYZE SELECT 1', 'ExplainStatement')).toMatchObject({ analyze: true });
    expect(parseAs('EXPLAIN QUERY PLAN SELECT 1', 'ExplainStatement')).toMatchObject({ queryPlan: true });
    expect(parseAs('EXPLAIN ANALYZE', 'ExplainStatement').statement.kind).toBe('AnalyzeStatement');
    expect(parseAs('EXPLAIN ANALYZE t', 'ExplainStatement').statement).toMatchObject({ kind: 'AnalyzeStatement', target: { name: { name: 't' } } });
    expect(parseAs('EXPLAIN INSERT INTO t VALUES (1)', 'ExplainStatement').statement.kind).toBe('InsertStatement');
  });

  it('parses ANALYZE and VACUUM', () => {
    expect(parseAs('ANALYZE', 'AnalyzeStatement').target).toBeUndefined();
    expect(parseAs('ANALYZE main.t', 'AnalyzeStatement').target).toMatchObject({ schema: { name: 'main' } });
    expect(strip(parseAs('VACUUM', 'VacuumStatement'))).toEqual({ kind: 'VacuumStatement' });
    expect(strip(parseAs("VACUUM main INTO 'backup.db'", 'VacuumStatement'))).toEqual({ kind: 'VacuumStatement', schema: id('main'), into: 'backup.db' });
  });

  it('parses SET as a generic setting', () => {
    const set = (sql: string) => {
      const s = parseAs(sql, 'SetStatement');
      return [s.scope, s.name.map((n) => n.name).join('.'), s.values.map(show)];
    };
    expect(set("SET client_encoding = 'UTF8'")).toEqual([undefined, 'client_encoding', ["'UTF8'"]]);
    expect(set('SET standard_conforming_strings = on')).toEqual([undefined, 'standard_conforming_strings', ['on']]);
    expect(set('SET check_function_bodies = false')).toEqual([undefined, 'check_function_bodies', ['FALSE']]);
    expect(set('SET search_path TO public, "my schema"')).toEqual([undefined, 'search_path', ['public', '"my schema"']]);
    expect(set('SET LOCAL statement_timeout = 0')).toEqual(['LOCAL', 'statement_timeout', ['0']]);
    expect(set('SET SESSION a.b = DEFAULT')).toEqual(['SESSION', 'a.b', ['DEFAULT']]);
    expect(set('SET local = 1')).toEqual([undefined, 'local', ['1']]);
  });

  it('parses PRAGMA with = and () values', () => {
    const pragma = (sql: string) => {
      const s = parseAs(sql, 'PragmaStatement');
      return [s.name.schema?.name, s.name.name.name, s.value && show(s.value)];
    };
    expect(pragma('PRAGMA foreign_keys')).toEqual([undefined, 'foreign_keys', undefined]);
    expect(pragma('PRAGMA foreign_keys = ON')).toEqual([undefined, 'foreign_keys', 'ON']);
    expect(pragma('PRAGMA journal_mode = WAL')).toEqual([undefined, 'journal_mode', 'WAL']);
    expect(pragma('PRAGMA journal_mode = DELETE')).toEqual([undefined, 'journal_mode', 'DELETE']);
    expect(pragma('PRAGMA main.cache_size(-2000)')).toEqual(['main', 'cache_size', '-2000']);
    expect(pragma("PRAGMA table_info('t')")).toEqual([undefined, 'table_info', "'t'"]);
    expect(pragma('PRAGMA synchronous = FULL')).toEqual([undefined, 'synchronous', 'FULL']);
  });
});

describe('scripts', () => {
  it('splits on semicolons and skips empty statements', () => {
    const kinds = parseStatements(';; BEGIN; INSERT INTO t VALUES (1);; COMMIT ; ').map((s) => s.kind);
    expect(kinds).toEqual(['BeginStatement', 'InsertStatement', 'CommitStatement']);
    expect(parseStatements('')).toEqual([]);
    expect(parseStatements('  -- only a comment\n')).toEqual([]);
  });

  it('numbers anonymous parameters per statement', () => {
    const [a, b] = parseStatements('SELECT ?, ?; SELECT ?');
    const params = (s: typeof a) => JSON.stringify(s).match(/"index":\d+/g);
    expect(params(a)).toEqual(['"index":1', '"index":2']);
    expect(params(b)).toEqual(['"index":1']);
  });

  it('gives statement spans within the script', () => {
    const sql = 'SELECT 1; UPDATE t SET a = 2';
    const [, update] = parseStatements(sql);
    expect(sql.slice(update.span.start, update.span.end)).toBe('UPDATE t SET a = 2');
  });
});

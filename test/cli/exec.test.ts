// The toondb binary without a terminal: `toondb exec`, statements piped to stdin, formats and exit codes.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execArguments } from '../../src/cli/commands/exec.js';

const BIN = resolve('dist/src/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'toondb-cli-'));
const home = mkdtempSync(join(tmpdir(), 'toondb-cli-home-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

function toondb(args: string[], input = '', cwd = dir): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, HOME: home, NO_COLOR: '1' }, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first (npx tsc -p tsconfig.build.json)`);
  const r = toondb(['exec', 'db', "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('alice'), (NULL);"]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

describe('toondb exec', () => {
  it('prints a table with a row count', () => {
    const r = toondb(['exec', 'db', 'SELECT id, name FROM users ORDER BY id']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      ['┌────┬───────┐', '│ id │ name  │', '├────┼───────┤', '│  1 │ alice │', '│  2 │ NULL  │', '└────┴───────┘', '(2 rows)', ''].join('\n'),
    );
  });

  it('--format prints only the data', () => {
    const r = toondb(['exec', 'db', 'SELECT id, name FROM users ORDER BY id', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('[{"id":1,"name":"alice"},{"id":2,"name":null}]\n');
  });

  it('exits non-zero with the caret on stderr when a statement fails', () => {
    const r = toondb(['exec', 'db', 'SELECT * FRM users']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "Parse error: syntax error at line 1, column 10: unexpected 'FRM'; expected ';' or end of input\n1 | SELECT * FRM users\n             ^\nHint: Fix the statement at the caret.\n",
    );
  });

  it('rejects an unknown format as a usage error', () => {
    const r = toondb(['exec', 'db', 'SELECT 1', '--format', 'yaml']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown format yaml');
  });

  it('reads the statements from stdin when no SQL is given, meta-commands included', () => {
    const script = 'SELECT count(*) AS n FROM users;\n.tables\n.format markdown\nSELECT id, name FROM users ORDER BY id;\n.format toon\nSELECT id FROM users ORDER BY id;';
    const r = toondb(['exec', 'db', '--format', 'csv'], script);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('n\r\n2\nusers\n| id | name |\n| ---: | --- |\n| 1 | alice |\n| 2 | NULL |\nrows[2]{id}:\n  1\n  2\n');
  });
});

describe('toondb [path] with stdin piped', () => {
  it('runs a script of statements and meta-commands', () => {
    const r = toondb(['db'], "SELECT 'a;b' AS s; -- a comment;\n.format json\nSELECT name FROM users WHERE id = 1;\n");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(['┌─────┐', '│ s   │', '├─────┤', '│ a;b │', '└─────┘', '(1 row)', '[{"name":"alice"}]', ''].join('\n'));
  });

  it('opens ./toondb_data by default', () => {
    const r = toondb([], 'CREATE TABLE here (a INTEGER);\n.tables\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('(OK)\nhere\n');
    expect(existsSync(join(dir, 'toondb_data'))).toBe(true);
  });

  it('stops at the first error, exits 1, and reports the statement with a caret', () => {
    const r = toondb(['db'], 'SELECT 1 AS one;\nSELECT nope FROM users;\nSELECT 3;\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('│ one │');
    expect(r.stdout).not.toContain('3');
    expect(r.stderr).toContain('Binder error: no such column: nope');
    expect(r.stderr).toContain('1 | SELECT nope FROM users;\n           ^');
  });

});

describe('execArguments', () => {
  it('tells the path from the SQL', () => {
    expect(execArguments('db', 'SELECT 1')).toEqual({ path: 'db', sql: 'SELECT 1' });
    expect(execArguments('SELECT 1', undefined)).toEqual({ path: './toondb_data', sql: 'SELECT 1' });
    expect(execArguments('.tables', undefined)).toEqual({ path: './toondb_data', sql: '.tables' });
    expect(execArguments('./db', undefined)).toEqual({ path: './db', sql: undefined });
    expect(execArguments(undefined, undefined)).toEqual({ path: './toondb_data', sql: undefined });
  });
});

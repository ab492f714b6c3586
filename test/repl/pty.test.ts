// The interactive shell as a person uses it: the built binary in a tmux pseudo-terminal, keys in, screen out.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = resolve('dist/src/cli/main.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('test/repl/pty.test.ts skipped: tmux is not installed, so there is no pseudo-terminal to drive the shell in');

const SOCKET = `toondb-pty-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'toondb-pty-'));
const home = mkdtempSync(join(tmpdir(), 'toondb-pty-home-'));

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', env: { ...process.env, HOME: home } });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * Starts the shell on a database folder in a 120x40 terminal; the pane stays after the shell exits.
 * CI=true as on a CI server, where ink would draw no live prompt unless the shell prevents it.
 */
function start(session: string): void {
  const cmd = `cd ${dir} && HOME=${home} CI=true node ${BIN} db; echo "[exited $?]"; sleep 60`;
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', cmd);
}

/** The screen, with scrollback. */
function screen(session: string): string {
  return tmux('capture-pane', '-p', '-t', session, '-S', '-2000');
}

/** Waits until the screen matches (or the count of matches reaches `count`). */
async function waitFor(session: string, pattern: RegExp | string, count = 1, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const re = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`);
  for (;;) {
    const s = screen(session);
    if ((s.match(re)?.length ?? 0) >= count) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)} (x${count}); screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the bottom of the screen (the live prompt) reads `expected`, ignoring trailing blanks. */
async function waitForPrompt(session: string, expected: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = screen(session).trimEnd();
    if (s.endsWith(`\n${expected}`)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the prompt ${JSON.stringify(expected)}; screen ends:\n${s.split('\n').slice(-8).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Types text literally (a trailing ; is escaped, or tmux would take it as a command separator). */
function type(session: string, text: string): void {
  tmux('send-keys', '-t', session, '-l', text.replace(/;$/, '\\;'));
}

function keys(session: string, ...names: string[]): void {
  for (const k of names) tmux('send-keys', '-t', session, k);
}

// tmux trims trailing blanks, so an empty prompt reads `toondb>` and the cursor cell vanishes.

beforeAll(() => {
  if (hasTmux && !existsSync(BIN)) throw new Error(`${BIN} is missing: build first (npx tsc -p tsconfig.build.json)`);
});

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  rmSync(dir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)('toondb shell in a terminal', () => {
  const S = 'main';

  it('starts with a prompt, keeping what was typed while it started', async () => {
    start(S);
    // Typed at once, before the prompt: the keys wait in the terminal's queue, not lost.
    type(S, 'SELECT 40 + 2 AS answer;');
    keys(S, 'Enter');
    await waitFor(S, /│ answer │\n├────────┤\n│     42 │/);
    await waitFor(S, /^toondb>$/m);
  });

  it('runs statements and shows tables with borders, NULL, row count and time', async () => {
    type(S, 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);');
    keys(S, 'Enter');
    await waitFor(S, /\(OK, \d+\.\d ms\)/);
    type(S, "INSERT INTO users (name) VALUES ('alice'), (NULL);");
    keys(S, 'Enter');
    await waitFor(S, /\(2 rows affected, \d+\.\d ms\)/);
    // Multi-line: Enter before the ; continues with the continuation prompt.
    type(S, 'SELECT id, name');
    keys(S, 'Enter');
    await waitFor(S, /^ {3}\.\.\.>$/m);
    type(S, 'FROM users ORDER BY id;');
    keys(S, 'Enter');
    const s = await waitFor(S, /\(2 rows, \d+\.\d ms\)/);
    expect(s).toContain('toondb> SELECT id, name\n   ...> FROM users ORDER BY id;');
    expect(s).toMatch(/┌────┬───────┐\n│ id │ name  │\n├────┼───────┤\n│  1 │ alice │\n│  2 │ NULL  │\n└────┴───────┘/);
  });

  it('shows an error with a caret under the position and a hint, and keeps running', async () => {
    type(S, 'SELECT * FRM users;');
    keys(S, 'Enter');
    const s = await waitFor(S, 'Hint: Fix the statement at the caret.');
    expect(s).toContain("Parse error: syntax error at line 1, column 10: unexpected 'FRM'");
    expect(s).toContain('1 | SELECT * FRM users;\n             ^\n');
    await waitFor(S, /Hint: Fix the statement at the caret\.\ntoondb>$/m);
  });

  it('.tables and \\d list the catalog', async () => {
    type(S, '.tables');
    keys(S, 'Enter');
    await waitFor(S, /toondb> \.tables\nusers\n/);
    type(S, '\\d users');
    keys(S, 'Enter');
    await waitFor(S, /CREATE TABLE users \(\n {2}id INTEGER PRIMARY KEY,\n {2}name TEXT\n\);/);
  });

  it('highlights the statement while it is typed', async () => {
    type(S, "SELECT 'x', 42 FROM t -- note");
    await waitForPrompt(S, "toondb> SELECT 'x', 42 FROM t -- note");
    const line = tmux('capture-pane', '-e', '-p', '-t', S).split('\n').filter((l) => l.includes('-- note')).at(-1)!;
    const ESC = '\u001b';
    expect(line).toContain(`${ESC}[1m${ESC}[36mSELECT`); // keyword: bold cyan
    expect(line).toContain(`${ESC}[32m'x'`); // string: green
    expect(line).toContain(`${ESC}[33m42`); // number: yellow
    expect(line).toContain(`${ESC}[90m-- note`); // comment: grey
    expect(line).not.toMatch(/\[36mt\b/); // a table name is not a keyword
    keys(S, 'C-c');
    await waitForPrompt(S, 'toondb>');
  });

  it('Up recalls history; Ctrl-C clears the line', async () => {
    keys(S, 'Up');
    await waitForPrompt(S, 'toondb> \\d users');
    keys(S, 'Up', 'Up');
    await waitForPrompt(S, 'toondb> SELECT * FRM users;');
    keys(S, 'Up');
    // A multi-line entry comes back as it was typed.
    await waitForPrompt(S, 'toondb> SELECT id, name\n   ...> FROM users ORDER BY id;');
    keys(S, 'C-c');
    await waitForPrompt(S, 'Hint: Fix the statement at the caret.\ntoondb> .tables\nusers\ntoondb> \\d users\nCREATE TABLE users (\n  id INTEGER PRIMARY KEY,\n  name TEXT\n);\ntoondb>');
  });

  it('Ctrl-R searches the history backwards and Enter runs the match', async () => {
    keys(S, 'C-r');
    await waitForPrompt(S, "(reverse-i-search)'':");
    type(S, 'INSERT');
    await waitForPrompt(S, "(reverse-i-search)'INSERT': INSERT INTO users (name) VALUES ('alice'), (NULL);");
    keys(S, 'Enter');
    await waitFor(S, /\(2 rows affected, \d+\.\d ms\)/, 2);
  });

  it('Tab completes table names and keywords', async () => {
    // Text and Tab in one write, as fast typing (or tmux) delivers them.
    tmux('send-keys', '-t', S, '-l', 'sel', ';', 'send-keys', '-t', S, 'Tab');
    await waitForPrompt(S, 'toondb> select');
    type(S, '* FROM us');
    keys(S, 'Tab');
    await waitForPrompt(S, 'toondb> select * FROM users');
    type(S, ';');
    keys(S, 'Enter');
    await waitFor(S, /\(4 rows, /);
  });

  it('Ctrl-C cancels a running statement and the shell keeps going', async () => {
    type(S, 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;');
    keys(S, 'Enter');
    await waitFor(S, 'running… (Ctrl-C cancels)');
    keys(S, 'C-c');
    const s = await waitFor(S, /Cancelled\.\ntoondb>$/m);
    expect(s).not.toContain('10000000');
    type(S, 'SELECT 7 AS seven;');
    keys(S, 'Enter');
    await waitFor(S, /│ seven │\n├───────┤\n│     7 │/);
  });

  it('.read of a long script shows a progress bar, then a summary', async () => {
    const lines = Array.from({ length: 1500 }, (_, i) => `INSERT INTO users (name) VALUES ('user ${i}');`);
    writeFileSync(join(dir, 'big.sql'), `${lines.join('\n')}\n`);
    type(S, '.read big.sql');
    keys(S, 'Enter');
    const s = await waitFor(S, /big\.sql [█░]{30} \d+\/1500 statements \d+%/);
    expect(s).toContain('running… (Ctrl-C cancels)');
    await waitFor(S, /big\.sql: 1500 statements run\ntoondb>$/m);
    type(S, 'SELECT count(*) AS n FROM users;');
    keys(S, 'Enter');
    await waitFor(S, /│ 1504 │/);
  });

  it('Ctrl-D on an empty line exits', async () => {
    keys(S, 'C-d');
    await waitFor(S, '[exited 0]');
  });

  it('history persists in ~/.toondb_history for the next session', async () => {
    const file = readFileSync(join(home, '.toondb_history'), 'utf8');
    expect(file).toContain('SELECT id, name\\nFROM users ORDER BY id;\n');
    start('second');
    await waitFor('second', /^toondb>$/m);
    keys('second', 'Up');
    await waitForPrompt('second', 'toondb> SELECT count(*) AS n FROM users;');
    keys('second', 'C-c', 'C-d');
    await waitFor('second', '[exited 0]');
  });
});

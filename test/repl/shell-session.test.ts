// The shell's engine without a terminal: statements, meta-commands, errors with carets, .read with progress.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import { fitColumnWidth } from '../../src/repl/fit-table.js';
import { renderError } from '../../src/repl/render-error.js';
import { ShellSession, type Progress } from '../../src/repl/shell-session.js';
import { painter } from '../../src/repl/ansi.js';

const dir = mkdtempSync(join(tmpdir(), 'toondb-session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Captured {
  out: string[];
  err: string[];
  progress: (Progress | undefined)[];
}

function session(db: Database, options: ConstructorParameters<typeof ShellSession>[2] = {}): { s: ShellSession; c: Captured } {
  const c: Captured = { out: [], err: [], progress: [] };
  const s = new ShellSession(db, { out: (t) => c.out.push(t), err: (t) => c.err.push(t), progress: (p) => c.progress.push(p) }, { timer: false, ...options });
  return { s, c };
}

describe('ShellSession', () => {
  let db: Database;
  beforeEach(async () => {
    db = await Database.open(':memory:');
    await db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE); CREATE INDEX users_name ON users (name DESC); INSERT INTO users (name, email) VALUES ('alice', 'a@x'), ('bob', NULL)");
  });
  afterEach(async () => {
    await db.close();
  });

  it('prints a bordered table with NULL and a row count', async () => {
    const { s, c } = session(db);
    expect(await s.run('SELECT id, name, email FROM users ORDER BY id;')).toBe('ok');
    expect(c.out.join('\n')).toBe(
      ['┌────┬───────┬───────┐', '│ id │ name  │ email │', '├────┼───────┼───────┤', '│  1 │ alice │ a@x   │', '│  2 │ bob   │ NULL  │', '└────┴───────┴───────┘', '(2 rows)'].join('\n'),
    );
  });

  it('shows the time when the timer is on, and reports rows affected', async () => {
    const { s, c } = session(db, { timer: true });
    await s.run("INSERT INTO users (name) VALUES ('carol'), ('dave');");
    expect(c.out.at(-1)).toMatch(/^\(2 rows affected, \d+\.\d ms\)$/);
    await s.runSql("-- a note\n/* and a block */ DELETE FROM users WHERE name = 'dave';");
    expect(c.out.at(-1)).toMatch(/^\(1 row affected, /);
    await s.run('.timer off');
    await s.run('CREATE TABLE t (a INTEGER);');
    expect(c.out.at(-1)).toBe('(OK)');
  });

  it('.format switches the output format', async () => {
    const { s, c } = session(db);
    await s.run('.format csv\nSELECT name FROM users ORDER BY id;');
    expect(c.out[0]).toBe('name\r\nalice\r\nbob');
    await s.run('.format json\nSELECT id FROM users WHERE id = 1;');
    expect(c.out).toContain('[{"id":1}]');
    await s.run('.format');
    expect(c.out.at(-1)).toBe('format: json');
    expect(await s.run('.format yaml')).toBe('error');
    expect(c.err.at(-1)).toContain('unknown format yaml');
  });

  it('cuts long values so the table fits the terminal', async () => {
    const { s, c } = session(db, { width: () => 40 });
    await s.run(`SELECT '${'x'.repeat(100)}' AS long, 'short' AS s;`);
    const lines = c.out[0]!.split('\n');
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(40);
    expect(c.out[0]).toContain('…');
  });

  it('.tables, .schema and .indexes describe the catalog', async () => {
    const { s, c } = session(db);
    await s.run('.tables\n.schema users\n\\di users');
    expect(c.out[0]).toBe('users');
    expect(c.out[1]).toBe(
      'CREATE TABLE users (\n  id INTEGER PRIMARY KEY,\n  name TEXT NOT NULL,\n  email TEXT,\n  UNIQUE (email)\n);\nCREATE INDEX users_name ON users (name DESC);',
    );
    expect(c.out[2]).toContain('CREATE INDEX users_name ON users (name DESC);');
    expect(await s.run('.schema nope')).toBe('error');
    expect(c.err.at(-1)).toContain('no such table: nope');
  });

  it('a syntax error shows the statement, a caret under the position and a hint, and stops the run', async () => {
    const { s, c } = session(db);
    expect(await s.run('SELECT 1;\nSELECT * FRM users;\nSELECT 2;')).toBe('error');
    expect(c.out.filter((o) => o.includes('(1 row)'))).toHaveLength(1);
    expect(c.err[0]).toBe(
      [
        "Parse error: syntax error at line 1, column 10: unexpected 'FRM'; expected ';' or end of input",
        '1 | SELECT * FRM users;',
        '             ^',
        'Hint: Fix the statement at the caret.',
      ].join('\n'),
    );
  });

  it('a binder error shows its caret too', async () => {
    const { s, c } = session(db);
    await s.run('SELECT nmae FROM users;');
    expect(c.err[0]).toContain('Binder error: no such column: nmae');
    expect(c.err[0]).toContain('1 | SELECT nmae FROM users;\n           ^');
  });

  it('.read runs a file with progress, and names the line of a failing statement', async () => {
    const file = join(dir, 'seed.sql');
    writeFileSync(file, `${Array.from({ length: 5 }, (_, i) => `INSERT INTO users (name) VALUES ('u${i}');`).join('\n')}\n.tables\n`);
    const { s, c } = session(db);
    expect(await s.run(`.read ${file}`)).toBe('ok');
    expect(c.progress.filter(Boolean).map((p) => `${p!.done}/${p!.total}`)).toEqual(['1/5', '2/5', '3/5', '4/5', '5/5']);
    expect(c.progress.at(-1)).toBeUndefined();
    expect(c.out.at(-1)).toBe(`${file}: 5 statements run`);
    expect((await db.executeSql('SELECT count(*) FROM users')).rows).toEqual([[7]]);
    const bad = join(dir, 'bad.sql');
    writeFileSync(bad, 'SELECT 1;\n\nSELECT nope FROM users;\n');
    expect(await s.run(`\\i ${bad}`)).toBe('error');
    expect(c.err.at(-1)).toBe(`(in ${bad}, line 3)`);
    expect(await s.run(`.read ${join(dir, 'missing.sql')}`)).toBe('error');
    expect(c.err.at(-1)).toMatch(/^Error: ENOENT/);
  });

  it('scripts skip psql meta-commands the shell does not know, with a notice; typed ones are errors', async () => {
    const file = join(dir, 'dump.sql');
    writeFileSync(file, '\\connect shop\nSELECT 1 AS one;\n');
    const { s, c } = session(db, { interactive: true });
    expect(await s.run(`.read ${file}`)).toBe('ok');
    expect(c.err).toEqual(['skipped psql meta-command: \\connect shop']);
    expect(c.out.join('\n')).toContain('│ one │');
    expect(await s.run('\\connect shop')).toBe('error');
    const piped = session(db);
    expect(await piped.s.run('\\connect shop\nSELECT 2;')).toBe('ok');
  });

  it('an abort during .read stops between statements', async () => {
    const file = join(dir, 'long.sql');
    writeFileSync(file, Array.from({ length: 300 }, (_, i) => `INSERT INTO users (name) VALUES ('n${i}');`).join('\n'));
    const ac = new AbortController();
    const err: string[] = [];
    // Abort as the 10th statement finishes, as Ctrl-C would.
    const s = new ShellSession(db, { out: () => {}, err: (t) => err.push(t), progress: (p) => p?.done === 10 && ac.abort() }, { timer: false });
    expect(await s.run(`.read ${file}`, ac.signal)).toBe('cancelled');
    expect(err).toEqual(['Cancelled.']);
    expect((await db.executeSql('SELECT count(*) FROM users')).rows).toEqual([[12]]);
  });

  it('.explain and EXPLAIN draw the plan as a tree', async () => {
    const { s, c } = session(db);
    await s.run('.explain SELECT name FROM users WHERE id = 1;');
    expect(c.out[0]).toMatch(/^Project name .*\n└─ /);
    await s.run('EXPLAIN SELECT name FROM users WHERE id = 1;');
    expect(c.out[1]).toBe(c.out[0]);
  });

  it('.collections and .namespaces list what the database holds', async () => {
    const { s, c } = session(db);
    await s.run("CREATE NAMESPACE tenant; CREATE COLLECTION docs (dimension = 3); CREATE COLLECTION tenant.notes (dimension = 2);\n.collections\n.namespaces");
    expect(c.err).toEqual([]);
    expect(c.out.slice(-2)).toEqual(['docs\ntenant.notes', 'default\ntenant']);
    // Completion offers them after FROM (names refreshed after CREATE).
    expect(s.completionSource().collections()).toEqual(['docs', 'tenant.notes']);
    expect(s.completionSource().namespaces()).toEqual(['default', 'tenant']);
  });

  it('.collections and .namespaces say so when the Database API lacks them', async () => {
    const bare = Object.assign(Object.create(db) as Database, { listNamespaces: undefined, namespace: undefined, listCollections: undefined });
    const { s, c } = session(bare);
    await s.run('.collections\n.namespaces');
    expect(c.out).toEqual([
      'collections are not available: this build of ToonDB has no collections API.',
      'namespaces are not available: this build of ToonDB has no namespaces API.',
    ]);
    await s.refreshNames();
    expect(s.completionSource().collections()).toEqual([]);
  });

  it('a db.listCollections() method, where one exists, is used as is', async () => {
    const withApi = Object.assign(Object.create(db) as Database, { listCollections: async () => [{ name: 'docs' }, { name: 'faq' }] });
    const { s, c } = session(withApi);
    await s.run('.collections');
    expect(c.out).toEqual(['docs\nfaq']);
  });

  it('.quit ends the run; unknown commands are errors; .help lists the commands', async () => {
    const { s, c } = session(db);
    expect(await s.run('.quit\nSELECT 1;')).toBe('quit');
    expect(c.out).toEqual([]);
    expect(await s.run('.bogus')).toBe('error');
    await s.run('.help');
    for (const word of ['.tables', '.schema', '.read', '.explain', '.format', '.timer', '\\dt', 'Ctrl-R']) expect(c.out.at(-1)).toContain(word);
  });

  it('a signal aborted during a run reports Cancelled', async () => {
    const { s, c } = session(db);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    expect(await s.run('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;', ac.signal)).toBe('cancelled');
    expect(c.err).toEqual(['Cancelled.']);
  });

  it('completion names come from the catalog', async () => {
    const { s } = session(db);
    expect(s.completionSource().tables()).toEqual(['users']);
    expect(s.completionSource().columns('users')).toEqual(['id', 'name', 'email']);
    expect(s.completionSource().columns('nope')).toEqual([]);
  });
});

describe('fitColumnWidth', () => {
  it('is the widest column limit that fits, never below the minimum', () => {
    expect(fitColumnWidth(['a'], [['x'.repeat(50)]], 200)).toBe(50);
    // one column: 1 + (w + 3) <= 30  =>  w = 26
    expect(fitColumnWidth(['a'], [['x'.repeat(50)]], 30)).toBe(26);
    expect(fitColumnWidth(['a', 'b'], [['x'.repeat(50), 12345]], 10)).toBe(8);
  });
});

describe('renderError', () => {
  it('colours the title and caret when asked, and handles plain errors', () => {
    expect(renderError(new Error('boom'), painter(false))).toBe('Error: boom');
    expect(renderError(new Error('boom'), painter(true))).toBe('\u001b[31mError: boom\u001b[39m');
  });
});

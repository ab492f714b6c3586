// The import and dump commands, run through their exported functions and through commander.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { register as registerDump, runDump } from '../../src/cli/commands/dump.js';
import { progressReporter, register as registerImport, runImport, type CommandIo } from '../../src/cli/commands/import.js';
import { Database } from '../../src/index.js';

const temp = mkdtempSync(join(tmpdir(), 'toondb-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function capture(isTTY = false): CommandIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY },
    out: () => out,
    err: () => err,
  };
}

const SCRIPT = `PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, score REAL);
${Array.from({ length: 40 }, (_, i) => `INSERT INTO notes VALUES (${i + 1}, 'note ${i + 1}', ${i / 10});`).join('\n')}
CREATE VIEW good AS SELECT id FROM notes WHERE score > 2;
COMMIT;
`;

describe('toondb import / dump', () => {
  it('imports a script into a database folder, printing progress lines and a summary', async () => {
    const file = join(temp, 'notes.sql');
    writeFileSync(file, SCRIPT);
    const io = capture(false);
    const summary = await runImport(file, { db: join(temp, 'db1') }, io);
    expect(summary.rows).toEqual({ notes: 40 });
    const lines = io.err().trim().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.length).toBeLessThanOrEqual(11);
    expect(lines.every((l) => l.startsWith('import: '))).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/^import: 100% .*40 rows written/);
    expect(io.out()).toMatch(/^imported .*notes\.sql \(sqlite script\) in [\d.]+ s\n/);
    expect(io.out()).toContain('    notes: 40 rows');
    expect(io.out()).toContain('3 skipped:');
    expect(io.out()).toMatch(/line 1: PRAGMA foreign_keys=OFF -- SQLite pragma/);
  });

  it('dumps to stdout and to a file, and the dump imports into a fresh folder', async () => {
    const io = capture();
    const summary = await runDump(join(temp, 'db1'), {}, io);
    expect(summary).toEqual({ tables: 1, rows: 40, indexes: 0, views: 1 });
    expect(io.out()).toContain('CREATE TABLE "notes"');
    expect(io.out()).toContain("(40, 'note 40', 3.9)");
    const out = join(temp, 'dump.sql');
    const io2 = capture();
    await runDump(join(temp, 'db1'), { output: out }, io2);
    expect(readFileSync(out, 'utf8')).toBe(io.out());
    expect(io2.err()).toMatch(/^dumped 1 tables \(40 rows\), 0 indexes, 1 views to /);
    await runImport(out, { db: join(temp, 'db2') }, capture());
    const db = await Database.open(join(temp, 'db2'));
    expect((await db.executeSql('SELECT count(*), sum(score) FROM notes')).rows).toEqual([[40, 78]]);
    expect((await db.executeSql('SELECT count(*) FROM good')).rows).toEqual([[19]]);
    await db.close();
    await expect(runDump(join(temp, 'absent'), {}, capture())).rejects.toThrow(/no database at/);
  });

  it('redraws one bar in place on a terminal', () => {
    const io = capture(true);
    let t = 0;
    const bar = progressReporter(io.stderr, () => (t += 50));
    for (let done = 0; done <= 1000; done += 100) bar.update({ unit: 'bytes', done, total: 1000, rows: done, statements: 1 });
    bar.finish();
    const frames = io.err().split('\r').filter(Boolean);
    expect(frames.length).toBeGreaterThan(2);
    expect(frames.length).toBeLessThan(11); // throttled to one draw per 100 ms
    expect(frames[frames.length - 1]).toMatch(/^\[#{30}\] 100% .*1000 rows written\x1b\[K\n$/);
    expect(io.err()).not.toMatch(/\n(?!$)/);
  });

  it('registers both commands on a commander program', async () => {
    const program = new Command().exitOverride();
    registerImport(program);
    registerDump(program);
    expect(program.commands.map((c) => c.name())).toEqual(['import', 'dump']);
    const out = join(temp, 'via-commander.sql');
    await program.parseAsync(['dump', join(temp, 'db1'), '-o', out, '--schema-only'], { from: 'user' });
    expect(readFileSync(out, 'utf8')).toMatch(/CREATE TABLE "notes"[^]*CREATE VIEW "good"/);
    expect(readFileSync(out, 'utf8')).not.toContain('INSERT');
  });
});

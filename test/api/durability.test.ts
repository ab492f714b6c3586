// Crash safety: a writer killed with SIGKILL mid-commit leaves whole transactions only, and in
// syncMode 'full' every acknowledged commit survives. Also: one process at a time per folder.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import { cleanupTempDirs, tempDir, text } from '../helpers.js';

afterAll(cleanupTempDirs);

const writer = fileURLToPath(new URL('../fixtures/crash-writer.mjs', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../../dist/src/index.js', import.meta.url)));

/** Starts the writer, kills it with SIGKILL after `killAfter` acknowledged commits, returns the last acknowledged batch. */
function runAndKill(dir: string, syncMode: string, perBatch: number, killAfter: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, dir, syncMode, String(perBatch)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let last = -1;
    let buf = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) last = Number(l);
      if (last >= killAfter && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(last) : reject(new Error(`writer exited ${code}: ${err}`))));
  });
}

async function checkAtomic(dir: string, perBatch: number): Promise<number[]> {
  await using db = await Database.open(dir);
  const counts = new Map<string, number>();
  for await (const [k] of db.scanPrefix('batch/')) {
    const id = text(k)!.split('/')[1]!;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const done = new Set<string>();
  for await (const [k] of db.scanPrefix('done/')) done.add(text(k)!.split('/')[1]!);
  for (const [id, n] of counts) {
    expect(n, `batch ${id} is partial`).toBe(perBatch);
    expect(done.has(id), `batch ${id} lacks its marker`).toBe(true);
  }
  expect(done.size).toBe(counts.size);
  return [...done].map(Number).sort((a, b) => a - b);
}

describe('crash safety', () => {
  it('runs against the built package (npm test builds it first; else run npm run build)', () => {
    expect(built).toBe(true);
  });

  for (const [syncMode, killAfter] of [
    ['full', 15],
    ['normal', 40],
    ['off', 40],
  ] as const) {
    it(`a kill -9 mid-commit leaves whole transactions only (syncMode ${syncMode})`, async () => {
      const dir = tempDir(`crash-${syncMode}`);
      const perBatch = 50;
      const acknowledged = await runAndKill(dir, syncMode, perBatch, killAfter);
      expect(acknowledged).toBeGreaterThanOrEqual(killAfter);
      const present = await checkAtomic(dir, perBatch);
      // Batches are committed in order, so what survived is a prefix of them.
      expect(present).toEqual(present.map((_, i) => i));
      if (syncMode === 'full') expect(present.length).toBeGreaterThanOrEqual(acknowledged + 1);
      // The database reopens writable after the crash.
      await using db = await Database.open(dir);
      await db.put('after-crash', 'ok');
      expect(text(await db.get('after-crash'))).toBe('ok');
    });
  }
});

describe('one process per database folder', () => {
  it('a second process opening the same path gets DATABASE_LOCKED, not corruption', async () => {
    const dir = tempDir('locked');
    await using db = await Database.open(dir);
    await db.put('k', 'v');
    const index = new URL('../../dist/src/index.js', import.meta.url).href;
    const code = `import(${JSON.stringify(index)}).then((m) => m.Database.open(${JSON.stringify(dir)})).then(
      () => console.log('opened'), (e) => console.log(e.code + ': ' + e.message))`;
    const out = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
      let s = '';
      child.stdout.on('data', (d) => (s += d));
      child.on('exit', () => resolve(s.trim()));
    });
    expect(out).toMatch(/^DATABASE_LOCKED: .*locked by another process/);
    expect(text(await db.get('k'))).toBe('v');
    // In the same process a second open is refused the same way.
    await expect(Database.open(dir)).rejects.toMatchObject({ code: 'DATABASE_LOCKED' });
  });
});

// Every TypeScript example in the README runs as written (blocks in order, one module).

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tempDir, cleanupTempDirs } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
afterAll(() => {
  cleanupTempDirs();
});

describe('README', () => {
  it('runs its TypeScript examples', async () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const dir = tempDir('readme');
    // The package name resolves to the sources, and the example folder to a temporary one.
    const code = blocks
      .join('\n')
      .replace(/from 'toondb'/g, `from ${JSON.stringify(pathToFileURL(`${root}src/index.ts`).href)}`)
      .replace(/'\.\/my_database'/g, JSON.stringify(dir));
    const file = `${tempDir('readme-code')}/readme-examples.ts`;
    writeFileSync(file, `${code}\nexport const done = true;\n`);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { done: boolean };
      expect(mod.done).toBe(true);
    } finally {
      log.mockRestore();
    }
  });
});

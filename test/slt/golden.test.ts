// The golden feature files (test/slt/golden/*.slt, the harness's own smoke file aside) on ToonDB and, as the oracle, on SQLite.

import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adapterFactoryFor, type EngineName } from './adapter.js';
import { failureReport, runSltFile } from './runner.js';

const DIR = new URL('./golden/', import.meta.url).pathname;
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.slt') && f !== 'smoke.slt');

/** Per engine, the names its skipif/onlyif match: SQLite skips the records only ToonDB runs. */
const NAMES: Record<EngineName, readonly string[]> = { toondb: ['toondb', 'sqlite'], sqlite: ['sqlite'] };

describe('golden slt files', () => {
  for (const engine of ['toondb', 'sqlite'] as const) {
    for (const file of FILES) {
      it(`${file} on ${engine}`, async () => {
        const adapter = await adapterFactoryFor(engine)();
        try {
          const r = await runSltFile(`${DIR}${file}`, adapter, { engineNames: NAMES[engine] });
          expect(r.failed, failureReport(r)).toBe(0);
          expect(r.passed).toBeGreaterThan(10);
        } finally {
          await adapter.close();
        }
      });
    }
  }
});

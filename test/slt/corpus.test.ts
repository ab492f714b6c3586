// The sqllogictest corpus, unmodified, on the engine named by TOONDB_SLT_ENGINE (default toondb).

import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterFactoryFor, engineFromEnv } from './adapter.js';
import { corpusAvailable, corpusFiles, runCorpusFile, SLT_CORPUS_DIR } from './corpus.js';
import { failureReport, summaryLine } from './runner.js';

// Switching the engine under test is this one line (or TOONDB_SLT_ENGINE=toondb).
const engine = engineFromEnv('TOONDB_SLT_ENGINE', 'toondb');
const available = corpusAvailable();
if (!available) console.log(`sqllogictest corpus: skipped, ${SLT_CORPUS_DIR} is absent`);

describe.skipIf(!available)(`sqllogictest corpus on ${engine}`, () => {
  const factory = adapterFactoryFor(engine);
  for (const file of available ? corpusFiles() : []) {
    it(basename(file), { timeout: 600_000 }, async () => {
      const result = await runCorpusFile(file, factory);
      console.log(summaryLine(result));
      expect(result.failed, failureReport(result)).toBe(0);
      expect(result.passed).toBeGreaterThan(0);
    });
  }
});

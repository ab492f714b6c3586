// Runs the third-party sqllogictest corpus (select1-5 and evidence/), unmodified, on an engine.
import { fileURLToPath } from 'node:url';

import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { AdapterFactory } from './adapter.js';
import { runSltFile, type RunOptions, type SltFileResult } from './runner.js';

/** Where the shared corpus lives; it is read in place and never copied. */
export const SLT_CORPUS_DIR = process.env.TOONDB_SHARED ? join(process.env.TOONDB_SHARED, 'corpora/sqllogictest') : fileURLToPath(new URL('../../../shared/corpora/sqllogictest', import.meta.url));

/**
 * Corpus records whose expected result is an artefact of the reference harness, by file
 * and line, with the error that may stand in for it. slt_sqlite.c stops stepping a query
 * on a run-time error and reports the rows so far without failing, so a query that
 * raises "integer overflow" was recorded with an empty result.
 */
export const KNOWN_ERRORS: ReadonlyMap<string, ReadonlyMap<number, RegExp>> = new Map([
  ['slt_lang_aggfunc.test', new Map([[480, /integer overflow/i]])],
]);

/**
 * The documented skips: corpus records for features ToonDB does not have, with the reason.
 * Everything else in the corpus must pass.
 */
export const SKIPS: readonly { readonly files: RegExp; readonly sql: RegExp; readonly reason: string }[] = [
  {
    files: /^slt_lang_(create|drop)trigger\.test$/,
    sql: /\bTRIGGER\b/i,
    reason: 'triggers are not part of ToonQL (docs/toonql.md): statements that create or drop them are skipped',
  },
];

/** Whether the shared corpus is present on this machine. */
export function corpusAvailable(dir = SLT_CORPUS_DIR): boolean {
  return existsSync(join(dir, 'select1.test'));
}

/** The corpus files in run order: select1.test … select5.test, then evidence/*.test sorted. */
export function corpusFiles(dir = SLT_CORPUS_DIR): string[] {
  const selects = [1, 2, 3, 4, 5].map((n) => join(dir, `select${n}.test`)).filter((p) => existsSync(p));
  const evidenceDir = join(dir, 'evidence');
  const evidence = existsSync(evidenceDir)
    ? readdirSync(evidenceDir)
        .filter((f) => f.endsWith('.test'))
        .sort()
        .map((f) => join(evidenceDir, f))
    : [];
  return [...selects, ...evidence];
}

/** Runs one corpus file on a fresh adapter from `adapterFactory`, closing it afterwards. */
export async function runCorpusFile(
  path: string,
  adapterFactory: AdapterFactory,
  options: RunOptions = {},
): Promise<SltFileResult> {
  const adapter = await adapterFactory();
  try {
    const name = basename(path);
    const allowedErrors = options.allowedErrors ?? KNOWN_ERRORS.get(name);
    const skips = SKIPS.filter((s) => s.files.test(name));
    const skip = skips.length > 0 ? (sql: string) => skips.some((s) => s.sql.test(sql)) : options.skip;
    return await runSltFile(path, adapter, { ...options, allowedErrors, ...(skip ? { skip } : {}) });
  } finally {
    await adapter.close();
  }
}

/** Runs every corpus file, each on its own fresh database, and returns one result per file. */
export async function runCorpus(
  adapterFactory: AdapterFactory,
  options: RunOptions & { dir?: string } = {},
): Promise<SltFileResult[]> {
  const results: SltFileResult[] = [];
  for (const file of corpusFiles(options.dir)) results.push(await runCorpusFile(file, adapterFactory, options));
  return results;
}

// Completion mode (--complete): rewrites a .slt file with the results an engine actually gives.

import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { SqlEngineAdapter } from './adapter.js';
import { splitLines, parseSlt } from './parser.js';
import { runRecords, type RecordOutcome, type RunOptions, type SltFileResult } from './runner.js';

/** The completed text plus the run that produced it (its failures are what changed). */
export interface CompletionResult {
  text: string;
  run: SltFileResult;
  /** Records that could not be completed (a query that errored), as "line: message". */
  problems: string[];
}

/**
 * Completes sqllogictest text: every query that runs gets a fresh `----` section (values,
 * or "N values hashing to MD5" above the hash threshold); a statement whose outcome
 * disagrees has its `ok`/`error` flipped. Skipped records, comments and queries that
 * fail to run are copied unchanged.
 */
export async function completeText(
  text: string,
  adapter: SqlEngineAdapter,
  file = '<input>',
  options: Omit<RunOptions, 'onOutcome' | 'maxFailures'> = {},
): Promise<CompletionResult> {
  const lines = splitLines(text);
  const outcomes: RecordOutcome[] = [];
  const run = await runRecords(parseSlt(text, file), adapter, basename(file), {
    ...options,
    onOutcome: (o) => outcomes.push(o),
  });
  const problems: string[] = [];
  // Rewrite from the bottom up so earlier line indexes stay valid.
  for (const o of outcomes.reverse()) {
    const { span, line } = o.record;
    if (o.kind === 'statement') {
      const headIndex = line - 1;
      const verb = o.error === null ? 'ok' : 'error';
      lines[headIndex] = lines[headIndex]!.replace(/^(\s*statement\s+)(ok|error)\b/, `$1${verb}`);
      continue;
    }
    if (o.error !== null) {
      problems.push(`${line}: ${o.error}`);
      continue;
    }
    lines.splice(span.sqlEnd, span.end - span.sqlEnd, '----', ...o.lines);
  }
  return { text: `${lines.join('\n')}\n`, run, problems };
}

/** Completes the .slt file at `path` in place with `adapter`'s results; returns what happened. */
export async function completeFile(
  path: string,
  adapter: SqlEngineAdapter,
  options: Omit<RunOptions, 'onOutcome' | 'maxFailures'> = {},
): Promise<CompletionResult> {
  const done = await completeText(readFileSync(path, 'utf8'), adapter, path, options);
  writeFileSync(path, done.text);
  return done;
}

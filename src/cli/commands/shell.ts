// `toondb [path]`: the interactive shell on a terminal; with piped stdin, runs the script it reads.

import { InvalidArgumentError, type Command } from 'commander';
import type { OutputFormat } from '../../repl/meta-command.js';
import { ShellSession } from '../../repl/shell-session.js';
import { DEFAULT_DATABASE_PATH, openOrReport, parseFormat, readStdin, reportError } from '../run-support.js';

/** Parses --format for commander (a bad value is a usage error). */
export function formatOption(value: string): OutputFormat {
  try {
    return parseFormat(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** Runs a script from stdin: results on stdout, the first error on stderr (exit code 1). */
async function runPiped(path: string, format: OutputFormat): Promise<void> {
  const script = await readStdin();
  await using db = await openOrReport(path);
  if (!db) return;
  const session = new ShellSession(
    db,
    { out: (text) => process.stdout.write(`${text}\n`), err: (text) => process.stderr.write(`${text}\n`) },
    { format, color: false, timer: false },
  );
  const status = await session.run(script);
  if (status === 'error' || status === 'cancelled') process.exitCode = 1;
}

/**
 * Loads the interactive shell (ink and react load only for a terminal, so scripts and pipes start
 * faster). ink decides once, as it loads, whether it runs on a CI server (`CI` or
 * `CONTINUOUS_INTEGRATION` set), and there it never draws the live prompt. Here stdin and stdout
 * are a terminal, so someone is typing: the variables are hidden while ink loads, then restored.
 */
async function loadInteractiveShell(): Promise<typeof import('../../repl/start.js')> {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  try {
    return await import('../../repl/start.js');
  } finally {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  }
}

/** Registers the default action: the shell. */
export function register(program: Command): void {
  program
    .argument('[path]', 'database folder (created if missing)', DEFAULT_DATABASE_PATH)
    .option('-f, --format <format>', 'result format: table, toon, json, csv or markdown', formatOption, 'table')
    .action(async (path: string, opts: { format: OutputFormat }) => {
      if (!process.stdin.isTTY) return runPiped(path, opts.format);
      // Raw mode from the first moment: keys typed while the shell starts wait in the terminal's
      // input queue for the prompt, instead of being echoed and line-buffered by the terminal.
      process.stdin.setRawMode(true);
      const { runInteractiveShell } = await loadInteractiveShell();
      const db = await openOrReport(path);
      if (!db) {
        process.stdin.setRawMode(false);
        return;
      }
      try {
        await runInteractiveShell(db, { format: opts.format });
      } catch (err) {
        reportError(err);
      } finally {
        await db.close();
      }
    });
}

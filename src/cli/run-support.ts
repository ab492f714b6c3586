// What the commands share: opening a database with a readable error, reading stdin, exit codes.

import { Database } from '../api/database.js';
import { painter } from '../repl/ansi.js';
import { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from '../repl/meta-command.js';
import { renderError } from '../repl/render-error.js';

/** The database folder used when none is given. */
export const DEFAULT_DATABASE_PATH = './toondb_data';

/** Opens the database at `path`, or prints why not (on stderr) and returns undefined with exit code 1. */
export async function openOrReport(path: string): Promise<Database | undefined> {
  try {
    return await Database.open(path);
  } catch (err) {
    reportError(err);
    return undefined;
  }
}

/** Prints an error on stderr (coloured on a terminal) and sets a failing exit code. */
export function reportError(err: unknown): void {
  process.stderr.write(`${renderError(err, painter(process.stderr.isTTY === true))}\n`);
  process.exitCode = 1;
}

/** Reads all of stdin as UTF-8. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Validates a --format value. */
export function parseFormat(value: string): OutputFormat {
  const f = value.toLowerCase();
  if (!isOutputFormat(f)) throw new Error(`unknown format ${value}; use ${OUTPUT_FORMATS.join(', ')}`);
  return f;
}

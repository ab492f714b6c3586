// `toondb exec [path] "SQL"`: runs statements once and prints the results (stdin when no SQL is given).

import type { Command } from 'commander';
import type { OutputFormat } from '../../repl/meta-command.js';
import { ShellSession } from '../../repl/shell-session.js';
import { DEFAULT_DATABASE_PATH, openOrReport, readStdin } from '../run-support.js';
import { formatOption } from './shell.js';

/**
 * Which of one or two positional arguments is the path and which the SQL. With one, it is SQL when
 * it looks like a statement or meta-command (has a space or `;`, or starts with `.x` or `\`).
 */
export function execArguments(first: string | undefined, second: string | undefined): { path: string; sql: string | undefined } {
  if (second !== undefined) return { path: first ?? DEFAULT_DATABASE_PATH, sql: second };
  if (first === undefined) return { path: DEFAULT_DATABASE_PATH, sql: undefined };
  const looksLikeSql = /[\s;]/.test(first) || /^(\.[A-Za-z]|\\)/.test(first);
  return looksLikeSql ? { path: DEFAULT_DATABASE_PATH, sql: first } : { path: first, sql: undefined };
}

/** Registers `toondb exec`. */
export function register(program: Command): void {
  program
    .command('exec')
    .description('Run SQL (and meta-commands) once and print the results; reads stdin when no SQL is given')
    .argument('[path]', `database folder (default ${DEFAULT_DATABASE_PATH})`)
    .argument('[sql]', 'statements to run, separated by ;')
    .option('-f, --format <format>', 'result format: table, toon, json, csv or markdown', formatOption, 'table')
    .option('--timer', 'show the time of each statement', false)
    .action(async (first: string | undefined, second: string | undefined, opts: { format: OutputFormat; timer: boolean }) => {
      const args = execArguments(first, second);
      if (args.sql === undefined && process.stdin.isTTY) {
        process.stderr.write('toondb exec: give the SQL as an argument, or pipe it to stdin\n');
        process.exitCode = 2;
        return;
      }
      const sql = args.sql ?? (await readStdin());
      await using db = await openOrReport(args.path);
      if (!db) return;
      const session = new ShellSession(
        db,
        { out: (text) => process.stdout.write(`${text}\n`), err: (text) => process.stderr.write(`${text}\n`) },
        { format: opts.format, color: false, timer: opts.timer },
      );
      const status = await session.run(sql);
      if (status === 'error' || status === 'cancelled') process.exitCode = 1;
    });
}

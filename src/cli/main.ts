#!/usr/bin/env node
// The toondb command: `toondb [path]` opens the shell; subcommands (exec, …) register from src/cli/commands/.

import { Command } from 'commander';
import { createRequire } from 'node:module';
import { COMMANDS } from './commands/index.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** Builds the command-line program with every registered command. */
export function buildProgram(): Command {
  const program = new Command('toondb')
    .description('ToonDB: an AI-native embedded database. Opens an interactive SQL shell on a database folder.')
    .version(version)
    .showHelpAfterError()
    // Options before a subcommand belong to the program, after it to the subcommand (both have --format).
    .enablePositionalOptions();
  for (const command of COMMANDS) command.register(program);
  return program;
}

// `toondb dump | head`: a reader that stops early is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

await buildProgram().parseAsync(process.argv);

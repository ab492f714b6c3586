// `toondb dump [path] [-o file]`: writes a ToonQL script that recreates the database.

import { createWriteStream, existsSync } from 'node:fs';
import type { Command } from 'commander';
import { Database } from '../../api/database.js';
import { ValidationError } from '../../errors.js';
import { dumpDatabase, type DumpSummary } from '../../migrate/dump.js';
import type { CommandIo } from './import.js';

/** Options of the dump command. */
export interface DumpCommandOptions {
  /** Output file; stdout when absent or '-'. */
  readonly output?: string;
  readonly schemaOnly?: boolean;
}

/** Runs `toondb dump`: writes the script to the file or to stdout; a note on stderr when writing a file. */
export async function runDump(path: string, options: DumpCommandOptions, io: CommandIo): Promise<DumpSummary> {
  if (path !== ':memory:' && !existsSync(path)) throw new ValidationError(`no database at ${path}`);
  const db = await Database.open(path);
  try {
    if (!options.output || options.output === '-') return await dumpDatabase(db, (chunk) => void io.stdout.write(chunk), { schemaOnly: options.schemaOnly });
    const file = createWriteStream(options.output);
    const done = new Promise<void>((resolve, reject) => {
      file.on('finish', resolve);
      file.on('error', reject);
    });
    const summary = await dumpDatabase(db, file, { schemaOnly: options.schemaOnly });
    file.end();
    await done;
    io.stderr.write(`dumped ${summary.tables} tables (${summary.rows} rows), ${summary.indexes} indexes, ${summary.views} views to ${options.output}\n`);
    return summary;
  } finally {
    await db.close();
  }
}

/** Adds `dump [path] [-o file] [--schema-only]` to the program. */
export function register(program: Command): void {
  program
    .command('dump')
    .description('write a SQL script that recreates the database (tables, rows, indexes, views)')
    .argument('[path]', 'database folder', './toondb_data')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--schema-only', 'leave out the rows')
    .action(async (path: string, opts: DumpCommandOptions) => {
      await runDump(path, opts, { stdout: process.stdout, stderr: process.stderr });
    });
}

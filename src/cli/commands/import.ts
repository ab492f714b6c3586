// `toondb import <file> [--db path]`: loads a SQL dump or a SQLite database file, with a progress bar on stderr.

import type { Command } from 'commander';
import { Database } from '../../api/database.js';
import { importFile, type ImportProgress, type ImportSummary } from '../../migrate/import.js';
import type { Dialect } from '../../migrate/lexer.js';

/** Where a command writes: stdout for results, stderr for progress. */
export interface CommandIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown; readonly isTTY?: boolean };
}

/** Options of the import command. */
export interface ImportCommandOptions {
  readonly db?: string;
  readonly dialect?: Dialect | 'auto';
}

const BAR_WIDTH = 30;

/**
 * Progress on stderr: on a terminal, one bar redrawn in place (at most every 100 ms);
 * otherwise a plain line at each tenth of the way.
 */
export function progressReporter(stderr: CommandIo['stderr'], now: () => number = () => performance.now()): { update(p: ImportProgress): void; finish(): void } {
  let lastDraw = -Infinity;
  let lastTenth = -1;
  let drawn = false;
  const describe = (p: ImportProgress): string => {
    const pct = p.total > 0 ? Math.min(100, Math.floor((p.done / p.total) * 100)) : 100;
    const amount = p.unit === 'bytes' ? `${mb(p.done)}/${mb(p.total)} MB` : `${p.done}/${p.total} rows`;
    return `${pct}% ${amount}, ${p.rows} rows written${p.table ? ` (${p.table})` : ''}`;
  };
  return {
    update(p) {
      const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
      if (stderr.isTTY) {
        const t = now();
        if (t - lastDraw < 100 && fraction < 1) return;
        lastDraw = t;
        const filled = Math.round(fraction * BAR_WIDTH);
        stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${describe(p)}\x1b[K`);
        drawn = true;
      } else {
        const tenth = Math.floor(fraction * 10);
        if (tenth === lastTenth) return;
        lastTenth = tenth;
        stderr.write(`import: ${describe(p)}\n`);
      }
    },
    finish() {
      if (drawn) stderr.write('\n');
    },
  };
}

const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(1);

/** The summary as text lines. */
export function formatSummary(file: string, s: ImportSummary): string {
  const lines = [`imported ${file} (${s.source === 'sqlite' ? 'SQLite database file' : `${s.dialect} script`}) in ${(s.elapsedMs / 1000).toFixed(2)} s`];
  lines.push(`  ${s.statements} statements run, ${s.tables.length} tables, ${Object.values(s.rows).reduce((a, b) => a + b, 0)} rows`);
  for (const t of s.tables) lines.push(`    ${t}: ${s.rows[t] ?? 0} rows`);
  if (s.translated.length) {
    lines.push(`  ${s.translated.length} translated:`);
    for (const t of s.translated) lines.push(`    ${t.line ? `line ${t.line}: ` : ''}${t.note}`);
  }
  if (s.skipped.length) {
    lines.push(`  ${s.skipped.length} skipped:`);
    for (const k of s.skipped) lines.push(`    ${k.line ? `line ${k.line}: ` : ''}${k.statement.slice(0, 60)} -- ${k.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Runs `toondb import`: opens (or creates) the database, imports, prints the summary. */
export async function runImport(file: string, options: ImportCommandOptions, io: CommandIo): Promise<ImportSummary> {
  const path = options.db ?? './toondb_data';
  const db = await Database.open(path);
  const bar = progressReporter(io.stderr);
  try {
    const summary = await importFile(db, file, { onProgress: (p) => bar.update(p), dialect: options.dialect });
    bar.finish();
    io.stdout.write(formatSummary(file, summary));
    return summary;
  } catch (err) {
    bar.finish();
    throw err;
  } finally {
    await db.close();
  }
}

/** Adds `import <file> [--db path] [--dialect d]` to the program. */
export function register(program: Command): void {
  program
    .command('import')
    .description('import a SQL dump (sqlite3 .dump, pg_dump, mysqldump, ToonQL) or a SQLite database file')
    .argument('<file>', 'the script or SQLite database file')
    .option('--db <path>', 'database folder', './toondb_data')
    .option('--dialect <dialect>', 'sqlite, postgres, mysql, generic or auto', 'auto')
    .action(async (file: string, opts: ImportCommandOptions) => {
      await runImport(file, opts, { stdout: process.stdout, stderr: process.stderr });
    });
}

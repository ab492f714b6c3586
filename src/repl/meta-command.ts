// Meta-commands of the shell (`.tables`, `.schema t`, …) and their psql spellings (`\dt`, `\d t`, …), parsed.

import { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from '../format/index.js';

export { isOutputFormat, OUTPUT_FORMATS, type OutputFormat };

/** A parsed meta-command. */
export type MetaCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'tables' }
  | { readonly kind: 'schema'; readonly table?: string }
  | { readonly kind: 'indexes'; readonly table?: string }
  | { readonly kind: 'collections' }
  | { readonly kind: 'namespaces' }
  | { readonly kind: 'read'; readonly file: string }
  | { readonly kind: 'explain'; readonly sql: string }
  | { readonly kind: 'format'; readonly format?: string }
  | { readonly kind: 'timer'; readonly on?: boolean }
  | { readonly kind: 'quit' }
  | { readonly kind: 'invalid'; readonly message: string };

/** The kinds of meta-command. */
export type MetaCommandKind = MetaCommand['kind'];

/** One line of `.help`: the spelling, its psql alias, and what it does. */
export interface MetaCommandHelp {
  readonly usage: string;
  readonly psql?: string;
  readonly description: string;
}

/** Every meta-command, in the order `.help` lists them. */
export const META_COMMAND_HELP: readonly MetaCommandHelp[] = [
  { usage: '.help', psql: '\\?', description: 'Show this help' },
  { usage: '.tables', psql: '\\dt', description: 'List the tables' },
  { usage: '.schema [table]', psql: '\\d [table]', description: 'Show the CREATE TABLE of one table, or of all' },
  { usage: '.indexes [table]', psql: '\\di [table]', description: 'List the indexes of one table, or of all' },
  { usage: '.collections', description: 'List the vector collections' },
  { usage: '.namespaces', description: 'List the namespaces' },
  { usage: '.read FILE', psql: '\\i FILE', description: 'Run the statements of a SQL file (with a progress bar)' },
  { usage: '.explain QUERY', description: 'Show the plan of QUERY as a tree' },
  { usage: '.format table|toon|json|csv|markdown', description: 'Set how results are printed' },
  { usage: '.timer on|off', psql: '\\timing [on|off]', description: 'Show or hide the time of each statement' },
  { usage: '.quit', psql: '\\q', description: 'Leave the shell (also .exit, Ctrl-D)' },
];

/** The words a meta-command line can start with, for completion. */
export const META_COMMAND_WORDS: readonly string[] = [
  '.help', '.tables', '.schema', '.indexes', '.collections', '.namespaces', '.read', '.explain', '.format',
  '.timer', '.quit', '.exit', '\\?', '\\dt', '\\d', '\\di', '\\i', '\\timing', '\\q',
];

function onOff(arg: string, name: string): MetaCommand {
  if (arg === '') return { kind: 'timer' };
  const a = arg.toLowerCase();
  if (a === 'on') return { kind: 'timer', on: true };
  if (a === 'off') return { kind: 'timer', on: false };
  return { kind: 'invalid', message: `${name} takes on or off, not ${arg}` };
}

function unquote(s: string): string {
  const m = /^(['"])(.*)\1$/.exec(s);
  return m ? m[2]! : s;
}

function optionalName(arg: string): string | undefined {
  return arg === '' ? undefined : unquote(arg);
}

/**
 * Parses a meta-command line (starting with `.` or `\`). A trailing `;` is ignored, so
 * `.tables;` works as typed by habit.
 */
export function parseMetaCommand(line: string): MetaCommand {
  const trimmed = line.trim().replace(/;\s*$/, '').trim();
  const m = /^([.\\][^\s]*)\s*([\s\S]*)$/.exec(trimmed);
  if (!m) return { kind: 'invalid', message: `not a meta-command: ${line.trim()}` };
  const word = m[1]!;
  const arg = m[2]!.trim();
  const name = word.toLowerCase();
  switch (name) {
    case '.help':
    case '\\?':
    case '\\h':
    case '\\help':
      return { kind: 'help' };
    case '.tables':
    case '\\dt':
      return { kind: 'tables' };
    case '\\d':
      return arg === '' ? { kind: 'tables' } : { kind: 'schema', table: unquote(arg) };
    case '.schema':
      return { kind: 'schema', table: optionalName(arg) };
    case '.indexes':
    case '.indices':
    case '\\di':
      return { kind: 'indexes', table: optionalName(arg) };
    case '.collections':
      return { kind: 'collections' };
    case '.namespaces':
      return { kind: 'namespaces' };
    case '.read':
    case '\\i':
    case '\\include':
      return arg === '' ? { kind: 'invalid', message: `${word} needs a file name` } : { kind: 'read', file: unquote(arg) };
    case '.explain':
      return arg === '' ? { kind: 'invalid', message: '.explain needs a query' } : { kind: 'explain', sql: arg };
    case '.format':
    case '.mode':
      return { kind: 'format', format: optionalName(arg)?.toLowerCase() };
    case '.timer':
      return onOff(arg, '.timer');
    case '\\timing':
      return onOff(arg, '\\timing');
    case '.quit':
    case '.exit':
    case '\\q':
    case '\\quit':
      return { kind: 'quit' };
    default:
      return { kind: 'invalid', message: `unknown command ${word}; type .help for the list` };
  }
}

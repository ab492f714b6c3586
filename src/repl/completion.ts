// Tab completion: keywords, tables, columns (qualified or not), collections, namespaces and meta-commands.

import { k } from '../../grammar/lexer.js';
import { META_COMMAND_WORDS, OUTPUT_FORMATS } from './meta-command.js';

/** What completion may offer besides keywords; the shell backs it with the open database. */
export interface CompletionSource {
  tables(): readonly string[];
  columns(table: string): readonly string[];
  /** Vector collections ([] when the database has none or no such API). */
  collections(): readonly string[];
  /** Namespaces ([] when the database has none or no such API). */
  namespaces(): readonly string[];
}

/** Candidates for the word at the cursor: replacing buffer[start, end) with one of them completes it. */
export interface Completion {
  readonly start: number;
  readonly end: number;
  readonly candidates: readonly string[];
}

const KEYWORDS: readonly string[] = Object.keys(k).sort();

/** Words after which a table name is expected. */
const TABLE_CONTEXT = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'EXISTS', 'ANALYZE', 'REINDEX']);

const WORD_BEFORE = /[\w$."]*$/;

function matching(words: Iterable<string>, prefix: string): string[] {
  const p = prefix.toLowerCase();
  const out = new Set<string>();
  for (const w of words) if (w.toLowerCase().startsWith(p)) out.add(w);
  return [...out];
}

/** Table names by alias (and by their own name) for `FROM t a`, `JOIN t AS a`, `UPDATE t`, `INTO t`. */
export function tableAliases(sql: string, tables: readonly string[]): Map<string, string> {
  const known = new Map(tables.map((t) => [t.toLowerCase(), t] as const));
  const aliases = new Map<string, string>();
  const re = /\b(?:FROM|JOIN|UPDATE|INTO)\s+("?)(\w+)\1(?:\s+(?:AS\s+)?(\w+))?/gi;
  for (const m of sql.matchAll(re)) {
    const table = known.get(m[2]!.toLowerCase());
    if (!table) continue;
    aliases.set(table.toLowerCase(), table);
    const alias = m[3];
    if (alias && !(alias.toUpperCase() in k)) aliases.set(alias.toLowerCase(), table);
  }
  return aliases;
}

function metaCompletion(line: string, cursor: number, source: CompletionSource): Completion | undefined {
  const before = line.slice(0, cursor);
  const lead = /^\s*/.exec(before)![0].length;
  const m = /^\s*([.\\]\S*)(\s+)?(\S*)$/.exec(before);
  if (!m) return undefined;
  if (m[2] === undefined) return { start: lead, end: cursor, candidates: matching(META_COMMAND_WORDS, m[1]!) };
  const command = m[1]!.toLowerCase();
  const word = m[3]!;
  const start = cursor - word.length;
  let words: readonly string[] = [];
  if (['.schema', '.indexes', '\\d', '\\di'].includes(command)) words = source.tables();
  else if (command === '.format') words = OUTPUT_FORMATS;
  else if (command === '.timer' || command === '\\timing') words = ['on', 'off'];
  return { start, end: cursor, candidates: matching(words, word) };
}

/**
 * Completion candidates for the word ending at `cursor` in `buffer` (the whole statement typed so
 * far, over several lines). Keywords follow the case of what was typed.
 */
export function complete(buffer: string, cursor: number, source: CompletionSource): Completion {
  const lineStart = buffer.lastIndexOf('\n', cursor - 1) + 1;
  if (/^\s*[.\\]/.test(buffer) && lineStart === 0) {
    const meta = metaCompletion(buffer, cursor, source);
    if (meta) return meta;
  }
  const before = buffer.slice(0, cursor);
  const word = WORD_BEFORE.exec(before)![0];
  const start = cursor - word.length;
  const tables = source.tables();
  const dot = word.lastIndexOf('.');
  if (dot >= 0) {
    // t.col or alias.col: the columns of that table.
    const qualifier = word.slice(0, dot).replace(/"/g, '');
    const table = tableAliases(buffer, tables).get(qualifier.toLowerCase()) ?? tables.find((t) => t.toLowerCase() === qualifier.toLowerCase());
    if (table) return { start: start + dot + 1, end: cursor, candidates: matching(source.columns(table), word.slice(dot + 1)) };
    // Not a table: maybe a namespace, whose collections are named `ns.name`.
    return { start, end: cursor, candidates: matching(source.collections(), word) };
  }
  const previous = /(\w+)\s+[\w$"]*$/.exec(before)?.[1]?.toUpperCase();
  if (previous && TABLE_CONTEXT.has(previous)) {
    return { start, end: cursor, candidates: matching([...tables, ...source.collections(), ...source.namespaces()], word) };
  }
  if (word === '') return { start, end: cursor, candidates: [] };
  const mentioned = [...new Set(tableAliases(buffer, tables).values())];
  const columns = (mentioned.length > 0 ? mentioned : tables).flatMap((t) => source.columns(t));
  const lower = word === word.toLowerCase();
  const keywords = KEYWORDS.map((kw) => (lower ? kw.toLowerCase() : kw));
  return { start, end: cursor, candidates: matching([...columns, ...tables, ...keywords], word) };
}

/** The longest prefix all candidates share (case-insensitively; spelled as the first candidate). */
export function commonPrefix(candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  let n = candidates[0]!.length;
  for (const c of candidates) {
    let i = 0;
    while (i < n && i < c.length && c[i]!.toLowerCase() === candidates[0]![i]!.toLowerCase()) i++;
    n = i;
  }
  return candidates[0]!.slice(0, n);
}

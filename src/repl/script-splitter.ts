// Splits shell input into SQL statements (ending at `;`) and meta-command lines, respecting strings and comments.

import {
  BacktickIdentifier,
  BlockComment,
  Blob,
  BracketIdentifier,
  EscapeString,
  Identifier,
  LineComment,
  MalformedBlob,
  NationalString,
  QuotedIdentifier,
  QuotedString,
} from '../../grammar/lexer.js';
import type { TokenType } from 'chevrotain';

/** One unit of input: a SQL statement (with its `;`) or a meta-command line (`.tables`, `\dt`). */
export interface ScriptItem {
  readonly kind: 'sql' | 'meta';
  /** The text, trimmed; SQL keeps its terminating `;`. */
  readonly text: string;
  /** 1-based line of the item's first character in the input. */
  readonly line: number;
  /** 0-based offset of the item's first character in the input. */
  readonly offset: number;
}

/** The result of splitting: complete items, and what is left over (an unfinished statement). */
export interface SplitResult {
  readonly items: ScriptItem[];
  /** Text after the last complete item that is more than whitespace and comments ('' if none). */
  readonly rest: string;
  /** Offset of `rest` in the input. */
  readonly restOffset: number;
}

// The lexer's own patterns, used sticky, so a string or comment here is exactly one for the parser.
function sticky(type: TokenType): RegExp {
  const p = type.PATTERN;
  if (!(p instanceof RegExp)) throw new Error(`token ${type.name} has no regular expression`);
  return new RegExp(p.source, `${p.flags.replace('g', '')}y`);
}

const QUOTED_PREFIXED = [EscapeString, NationalString, Blob, MalformedBlob].map(sticky);
const QUOTED = [QuotedString, QuotedIdentifier, BacktickIdentifier, BracketIdentifier].map(sticky);
const LINE_COMMENT = sticky(LineComment);
const BLOCK_COMMENT = sticky(BlockComment);
const IDENTIFIER = sticky(Identifier);

function matchAt(re: RegExp, text: string, i: number): number {
  re.lastIndex = i;
  const m = re.exec(text);
  return m ? m[0].length : 0;
}

/**
 * Length of the string, quoted name or comment starting at `i` (0 if none starts there);
 * -1 if one starts there but does not end in `text`.
 */
function quotedLength(text: string, i: number): number {
  const c = text[i]!;
  if (c === '-' && text[i + 1] === '-') return matchAt(LINE_COMMENT, text, i);
  if (c === '/' && text[i + 1] === '*') return matchAt(BLOCK_COMMENT, text, i) || -1;
  if (/[eEnNxX]/.test(c) && text[i + 1] === "'") {
    for (const re of QUOTED_PREFIXED) {
      const n = matchAt(re, text, i);
      if (n > 0) return n;
    }
    return -1;
  }
  if (c === "'" || c === '"' || c === '`' || c === '[') {
    for (const re of QUOTED) {
      const n = matchAt(re, text, i);
      if (n > 0) return n;
    }
    return -1;
  }
  return 0;
}

/** Whether `text` from `from` on holds only whitespace and complete comments. */
function onlyTrivia(text: string, from: number): boolean {
  let i = from;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const n = quotedLength(text, i);
    if (n > 0 && (text[i] === '-' || text[i] === '/')) {
      i += n;
      continue;
    }
    return false;
  }
  return true;
}

/** Whether a meta-command can start at `i`: the first non-blank character of a line is `.` or `\`. */
function isMetaStart(text: string, i: number): boolean {
  const c = text[i];
  if (c !== '.' && c !== '\\') return false;
  // `.5;` is a number, not a meta-command.
  if (c === '.' && /[0-9]/.test(text[i + 1] ?? '')) return false;
  for (let j = i - 1; j >= 0 && text[j] !== '\n'; j--) if (!/\s/.test(text[j]!)) return false;
  return true;
}

/**
 * Splits input into statements and meta-command lines. A statement ends at a `;` outside strings,
 * quoted names and comments; a meta-command is a line whose first non-blank character is `.` or
 * `\`, where a statement could start.
 */
export function splitScript(text: string): SplitResult {
  const items: ScriptItem[] = [];
  let start = -1; // start of the current statement, -1 between statements
  let i = 0;
  let line = 1;
  let lineCountedTo = 0;
  // Items come in order, so lines are counted once, incrementally.
  const lineOf = (offset: number): number => {
    for (; lineCountedTo < offset; lineCountedTo++) if (text.charCodeAt(lineCountedTo) === 10) line++;
    return line;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (start < 0) {
      if (/\s/.test(c)) {
        i++;
        continue;
      }
      if (isMetaStart(text, i)) {
        let end = text.indexOf('\n', i);
        if (end < 0) end = text.length;
        items.push({ kind: 'meta', text: text.slice(i, end).trim(), line: lineOf(i), offset: i });
        i = end;
        continue;
      }
      const n = quotedLength(text, i);
      if (n > 0 && (c === '-' || c === '/')) {
        i += n; // a comment between statements belongs to no statement
        continue;
      }
      start = i;
    }
    if (c === ';') {
      items.push({ kind: 'sql', text: text.slice(start, i + 1).trim(), line: lineOf(start), offset: start });
      start = -1;
      i++;
      continue;
    }
    const n = quotedLength(text, i);
    if (n < 0) break; // an unterminated string or comment runs to the end
    if (n > 0) {
      i += n;
      continue;
    }
    const id = /[A-Za-z_\u0080-\uFFFF]/.test(c) ? matchAt(IDENTIFIER, text, i) : 0;
    i += Math.max(1, id);
  }
  if (start < 0 || onlyTrivia(text, start)) return { items, rest: '', restOffset: text.length };
  return { items, rest: text.slice(start), restOffset: start };
}

/** Whether the shell should run `buffer` on Enter: nothing is left unfinished (blank, comments, meta-commands, statements ending in `;`). */
export function isInputComplete(buffer: string): boolean {
  return splitScript(buffer).rest === '';
}

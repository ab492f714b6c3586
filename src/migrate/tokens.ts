// Token lists of one statement, and the small helpers the dialect rewrites share.

import { quoteString, type Token, type TokenKind } from './lexer.js';

/** A token with its text, ready to be rewritten. Comments are already turned into spaces. */
export interface Tok {
  readonly kind: TokenKind;
  readonly text: string;
  /** Upper-cased text for words, '' otherwise. */
  readonly up: string;
  /** A string's decoded value, or a quoted name's name. */
  readonly value?: string;
  readonly escaped?: boolean;
  /** A string's prefix letter (X, N, E, B). */
  readonly prefix?: string;
}

/** The statement's tokens with their text; comments become single spaces. */
export function toToks(text: string, tokens: readonly Token[]): Tok[] {
  return tokens.map((t) => {
    if (t.kind === 'comment') return { kind: 'space', text: ' ', up: '' };
    const s = text.slice(t.start, t.end);
    return { kind: t.kind, text: s, up: t.kind === 'word' ? s.toUpperCase() : '', value: t.value, escaped: t.escaped, prefix: t.prefix };
  });
}

/** Whether a token is neither whitespace nor comment. */
export const sig = (t: Tok): boolean => t.kind !== 'space' && t.kind !== 'comment';

/** The text of tokens, joined as written (whitespace runs collapsed to one space, trimmed). */
export function render(toks: readonly Tok[]): string {
  let out = '';
  for (const t of toks) out += t.kind === 'space' ? (t.text.includes('\n') ? '\n' : ' ') : t.text;
  return out.trim();
}

/** A token made from text (for rewrites). */
export function tok(kind: TokenKind, text: string): Tok {
  return { kind, text, up: kind === 'word' ? text.toUpperCase() : '' };
}

/** A name as written: a word, or the inside of a quoted name. */
export function nameOf(t: Tok | undefined): string | undefined {
  if (!t) return undefined;
  if (t.kind === 'word') return t.text;
  if (t.kind === 'quoted') return t.value;
  return undefined;
}

/** Whether the token is the punctuation `p`. */
export const isP = (t: Tok | undefined, p: string): boolean => t?.kind === 'punct' && t.text === p;

/** Index of the token closing the parenthesis opened at `open` (a '(' token), or -1. */
export function matchParen(toks: readonly Tok[], open: number): number {
  let depth = 0;
  for (let i = open; i < toks.length; i++) {
    if (isP(toks[i], '(')) depth++;
    else if (isP(toks[i], ')') && --depth === 0) return i;
  }
  return -1;
}

/** Splits tokens at top-level commas. */
export function splitTopLevel(toks: readonly Tok[]): Tok[][] {
  const parts: Tok[][] = [[]];
  let depth = 0;
  for (const t of toks) {
    if (isP(t, '(')) depth++;
    else if (isP(t, ')')) depth--;
    if (depth === 0 && isP(t, ',')) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts;
}

/** Significant tokens only. */
export const sigOnly = (toks: readonly Tok[]): Tok[] => toks.filter(sig);

/** Re-quotes a string written with backslash escapes as a plain ToonQL literal. */
export function plainString(t: Tok): Tok {
  return t.kind === 'string' && t.escaped && t.prefix !== 'E' ? tok('string', quoteString(t.value ?? '')) : t;
}

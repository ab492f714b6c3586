// Syntax highlighting of shell input, by the ToonQL lexer itself, so colours agree with the parser.

import { tokenMatcher, type IToken } from 'chevrotain';
import {
  Blob,
  INVALID_GROUP,
  Keyword,
  Literal,
  Name,
  NumberLiteral,
  Parameter,
  StringLiteral,
  toonqlLexer,
  UnterminatedComment,
  UnterminatedIdentifier,
  UnterminatedString,
} from '../../grammar/lexer.js';

/** What a span of input is, for colouring. */
export type HighlightKind =
  | 'keyword'
  | 'literal'
  | 'string'
  | 'number'
  | 'comment'
  | 'identifier'
  | 'parameter'
  | 'operator'
  | 'space'
  | 'error';

/** A span of the input and its kind; the spans of a text concatenate back to the text. */
export interface HighlightSpan {
  readonly text: string;
  readonly kind: HighlightKind;
}

function kindOf(token: IToken): HighlightKind {
  if (tokenMatcher(token, Literal) && tokenMatcher(token, Keyword)) return 'literal'; // NULL, TRUE, CURRENT_DATE
  if (tokenMatcher(token, Keyword)) return 'keyword';
  if (tokenMatcher(token, StringLiteral) || tokenMatcher(token, Blob)) return 'string';
  if (tokenMatcher(token, NumberLiteral)) return 'number';
  if (tokenMatcher(token, Parameter)) return 'parameter';
  if (tokenMatcher(token, Name)) return 'identifier';
  return 'operator';
}

/** Kinds of the tokens that open something never closed: it runs to the end of the input. */
function unterminatedKind(token: IToken): HighlightKind | undefined {
  if (token.tokenType === UnterminatedString) return 'string';
  if (token.tokenType === UnterminatedComment) return 'comment';
  if (token.tokenType === UnterminatedIdentifier) return 'identifier';
  return undefined;
}

/** Splits text the lexer skipped (whitespace, comments, characters it could not lex) into spans. */
function gapSpans(gap: string, out: HighlightSpan[]): void {
  const re = /(\s+)|(--[^\n]*)|(\/\*[\s\S]*?\*\/)|([^\s]+?(?=\s|--|\/\*|$))/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(gap)) !== null && m[0] !== '') {
    out.push({ text: m[0], kind: m[1] ? 'space' : m[2] || m[3] ? 'comment' : 'error' });
  }
}

/** Splits `text` into coloured spans, using the ToonQL lexer's tokens. */
export function highlight(text: string): HighlightSpan[] {
  const res = toonqlLexer.tokenize(text);
  const tokens = [...res.tokens, ...((res.groups[INVALID_GROUP] as IToken[] | undefined) ?? [])].sort((a, b) => a.startOffset - b.startOffset);
  const out: HighlightSpan[] = [];
  let pos = 0;
  for (const token of tokens) {
    if (token.startOffset < pos) continue;
    if (token.startOffset > pos) gapSpans(text.slice(pos, token.startOffset), out);
    const open = unterminatedKind(token);
    if (open) {
      out.push({ text: text.slice(token.startOffset), kind: open });
      return out;
    }
    out.push({ text: token.image, kind: token.tokenType.GROUP === INVALID_GROUP ? 'error' : kindOf(token) });
    pos = token.startOffset + token.image.length;
  }
  if (pos < text.length) gapSpans(text.slice(pos), out);
  return out;
}

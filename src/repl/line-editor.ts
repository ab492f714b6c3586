// The shell's input editor, without a terminal: a multi-line buffer with cursor, history, reverse search and completion.

import { commonPrefix, complete, type CompletionSource } from './completion.js';
import type { History } from './history.js';
import { isInputComplete } from './script-splitter.js';

/** A reverse history search in progress (Ctrl-R). */
export interface SearchState {
  readonly query: string;
  /** Index of the matching history entry, or -1 when nothing matches. */
  readonly match: number;
}

/** Editing state of the shell prompt. Methods change it; the view reads it. */
export class LineEditor {
  /** The text typed so far (several lines when a statement continues). */
  buffer = '';
  /** Cursor offset in buffer. */
  cursor = 0;
  /** Active reverse search, if any. */
  search: SearchState | undefined;
  /** Candidates shown after an ambiguous Tab (cleared by the next edit). */
  candidates: readonly string[] = [];
  private historyIndex = -1; // -1: editing a new entry
  private draft = '';

  constructor(
    private readonly history: History,
    private readonly source: CompletionSource,
  ) {}

  private set(buffer: string, cursor = buffer.length): void {
    this.buffer = buffer;
    this.cursor = Math.max(0, Math.min(cursor, buffer.length));
    this.candidates = [];
  }

  /** Inserts text at the cursor. */
  insert(text: string): void {
    this.set(this.buffer.slice(0, this.cursor) + text + this.buffer.slice(this.cursor), this.cursor + text.length);
  }

  /** Deletes the character before the cursor. */
  backspace(): void {
    if (this.cursor > 0) this.set(this.buffer.slice(0, this.cursor - 1) + this.buffer.slice(this.cursor), this.cursor - 1);
  }

  /** Deletes the character under the cursor. */
  deleteForward(): void {
    if (this.cursor < this.buffer.length) this.set(this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1), this.cursor);
  }

  /** Deletes from the start of the cursor's line to the cursor (Ctrl-U). */
  killToLineStart(): void {
    const start = this.buffer.lastIndexOf('\n', this.cursor - 1) + 1;
    this.set(this.buffer.slice(0, start) + this.buffer.slice(this.cursor), start);
  }

  /** Deletes the word before the cursor (Ctrl-W). */
  killWord(): void {
    const before = this.buffer.slice(0, this.cursor).replace(/\S*\s*$/, '');
    this.set(before + this.buffer.slice(this.cursor), before.length);
  }

  /** Moves the cursor by `delta` characters. */
  move(delta: number): void {
    this.cursor = Math.max(0, Math.min(this.buffer.length, this.cursor + delta));
    this.candidates = [];
  }

  /** Moves to the start (Ctrl-A, Home) or end (Ctrl-E, End) of the cursor's line. */
  lineEdge(end: boolean): void {
    if (end) {
      const nl = this.buffer.indexOf('\n', this.cursor);
      this.cursor = nl < 0 ? this.buffer.length : nl;
    } else {
      this.cursor = this.buffer.lastIndexOf('\n', this.cursor - 1) + 1;
    }
  }

  /** Clears the buffer (Ctrl-C at the prompt). */
  clear(): void {
    this.set('');
    this.historyIndex = -1;
    this.search = undefined;
  }

  /** Up: the previous history entry (the text being typed is kept as a draft). */
  historyUp(): void {
    const entries = this.history.entries;
    if (entries.length === 0) return;
    if (this.historyIndex === -1) {
      this.draft = this.buffer;
      this.historyIndex = entries.length;
    }
    if (this.historyIndex === 0) return;
    this.historyIndex--;
    this.set(entries[this.historyIndex]!);
  }

  /** Down: the next history entry, and finally the draft. */
  historyDown(): void {
    if (this.historyIndex === -1) return;
    const entries = this.history.entries;
    this.historyIndex++;
    if (this.historyIndex >= entries.length) {
      this.historyIndex = -1;
      this.set(this.draft);
    } else {
      this.set(entries[this.historyIndex]!);
    }
  }

  /** Ctrl-R: starts a reverse search, or finds the next older match. */
  searchBackward(): void {
    if (!this.search) {
      this.search = { query: '', match: -1 };
      return;
    }
    if (this.search.query === '') return;
    const from = this.search.match >= 0 ? this.search.match : this.history.entries.length;
    const next = this.history.searchBackward(this.search.query, from);
    if (next >= 0) this.search = { ...this.search, match: next };
  }

  /** Types into the search query (`backspace` removes its last character). */
  searchType(text: string | 'backspace'): void {
    if (!this.search) return;
    const query = text === 'backspace' ? this.search.query.slice(0, -1) : this.search.query + text;
    this.search = { query, match: query === '' ? -1 : this.history.searchBackward(query) };
  }

  /** The entry the search shows, if any. */
  get searchMatch(): string | undefined {
    return this.search && this.search.match >= 0 ? this.history.entries[this.search.match] : undefined;
  }

  /** Ends the search; `accept` puts the match in the buffer, otherwise the buffer is unchanged. */
  endSearch(accept: boolean): void {
    const match = this.searchMatch;
    this.search = undefined;
    if (accept && match !== undefined) this.set(match);
  }

  /**
   * Tab: completes the word at the cursor. One candidate is inserted; several insert their common
   * prefix and are listed in `candidates`.
   */
  tab(): void {
    const c = complete(this.buffer, this.cursor, this.source);
    if (c.candidates.length === 0) {
      this.candidates = [];
      return;
    }
    const typed = this.buffer.slice(c.start, c.end);
    // A single candidate is complete: a space follows, ready for the next word.
    const replacement = c.candidates.length === 1 ? `${c.candidates[0]!} ` : commonPrefix(c.candidates);
    const insert = replacement.length >= typed.length ? replacement : typed;
    this.set(this.buffer.slice(0, c.start) + insert + this.buffer.slice(c.end), c.start + insert.length);
    if (c.candidates.length > 1) this.candidates = c.candidates;
  }

  /**
   * Enter: returns the input to run when it is complete (blank, a meta-command, or ending with
   * `;`), else inserts a newline and returns undefined. A run input is added to the history.
   */
  enter(): string | undefined {
    if (this.search) this.endSearch(true);
    const lineStart = /^\s*[.\\]/.test(this.buffer);
    const cursorAtEnd = this.buffer.slice(this.cursor).trim() === '';
    if (lineStart || (cursorAtEnd && isInputComplete(this.buffer))) {
      const input = this.buffer;
      this.history.add(input);
      this.clear();
      return input;
    }
    this.insert('\n');
    return undefined;
  }
}

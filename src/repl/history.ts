// Command history: kept in a file (one entry a line, newlines escaped), recalled with Up/Down and Ctrl-R.

import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** How many entries the history file keeps. */
export const HISTORY_LIMIT = 1000;

/** The history file: $TOONDB_HISTORY, else ~/.toondb_history. */
export function defaultHistoryPath(): string {
  return process.env['TOONDB_HISTORY'] || join(process.env['HOME'] || homedir(), '.toondb_history');
}

/** Encodes an entry as one line: backslashes and newlines escaped. */
export function encodeEntry(entry: string): string {
  return entry.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Decodes a line written by encodeEntry. */
export function decodeEntry(line: string): string {
  return line.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

/** A list of past inputs, oldest first, optionally backed by a file. */
export class History {
  private readonly items: string[];

  private constructor(
    items: string[],
    /** The file entries are appended to (undefined: memory only). */
    readonly path: string | undefined,
  ) {
    this.items = items;
  }

  /** A history with no file. */
  static inMemory(items: readonly string[] = []): History {
    return new History([...items], undefined);
  }

  /** Loads the history file (missing or unreadable: empty) and appends to it from now on. */
  static load(path: string): History {
    let items: string[] = [];
    try {
      items = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map(decodeEntry);
    } catch {
      // No history yet.
    }
    const h = new History(items.slice(-HISTORY_LIMIT), path);
    // Rewrite an overlong file, so it stays bounded.
    if (items.length > HISTORY_LIMIT) h.rewrite();
    return h;
  }

  /** The entries, oldest first. */
  get entries(): readonly string[] {
    return this.items;
  }

  /** Adds an entry (blank ones and repeats of the last entry are not kept). */
  add(entry: string): void {
    const e = entry.trim();
    if (e === '' || this.items[this.items.length - 1] === e) return;
    this.items.push(e);
    if (this.items.length > HISTORY_LIMIT) this.items.splice(0, this.items.length - HISTORY_LIMIT);
    if (!this.path) return;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      appendFileSync(this.path, `${encodeEntry(e)}\n`);
    } catch {
      // A read-only home must not stop the shell; history then lasts for this session only.
    }
  }

  private rewrite(): void {
    if (!this.path) return;
    try {
      writeFileSync(this.path, this.items.map((e) => `${encodeEntry(e)}\n`).join(''));
    } catch {
      // See add().
    }
  }

  /**
   * Reverse search: the index of the newest entry before `before` that contains `query`
   * (case-insensitively), or -1.
   */
  searchBackward(query: string, before = this.items.length): number {
    const q = query.toLowerCase();
    for (let i = Math.min(before, this.items.length) - 1; i >= 0; i--) if (this.items[i]!.toLowerCase().includes(q)) return i;
    return -1;
  }
}

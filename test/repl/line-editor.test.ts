// The prompt's editing state: multi-line entry, history recall, reverse search, completion; and the history file.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CompletionSource } from '../../src/repl/completion.js';
import { decodeEntry, encodeEntry, History, HISTORY_LIMIT } from '../../src/repl/history.js';
import { LineEditor } from '../../src/repl/line-editor.js';

const dir = mkdtempSync(join(tmpdir(), 'toondb-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const source: CompletionSource = {
  tables: () => ['users', 'posts'],
  columns: (t) => (t === 'users' ? ['id', 'name'] : ['id', 'title']),
  collections: () => [],
  namespaces: () => [],
};

function typed(editor: LineEditor, text: string): void {
  editor.insert(text);
}

describe('LineEditor', () => {
  it('Enter continues an unfinished statement on a new line and runs it once it ends with ;', () => {
    const e = new LineEditor(History.inMemory(), source);
    typed(e, 'SELECT *');
    expect(e.enter()).toBeUndefined();
    expect(e.buffer).toBe('SELECT *\n');
    typed(e, 'FROM users;');
    expect(e.enter()).toBe('SELECT *\nFROM users;');
    expect(e.buffer).toBe('');
  });

  it('a meta-command runs on Enter without ;', () => {
    const e = new LineEditor(History.inMemory(), source);
    typed(e, '.tables');
    expect(e.enter()).toBe('.tables');
  });

  it('Enter with the cursor inside a statement inserts a newline there', () => {
    const e = new LineEditor(History.inMemory(), source);
    typed(e, 'SELECT 1;');
    e.move(-1);
    expect(e.enter()).toBeUndefined();
    expect(e.buffer).toBe('SELECT 1\n;');
  });

  it('Up and Down walk the history and come back to the draft', () => {
    const h = History.inMemory(['SELECT 1;', 'SELECT\n2;']);
    const e = new LineEditor(h, source);
    typed(e, 'draft');
    e.historyUp();
    expect(e.buffer).toBe('SELECT\n2;');
    e.historyUp();
    expect(e.buffer).toBe('SELECT 1;');
    e.historyUp();
    expect(e.buffer).toBe('SELECT 1;');
    e.historyDown();
    e.historyDown();
    expect(e.buffer).toBe('draft');
  });

  it('Ctrl-R searches backwards; again finds older matches; accepting puts the match in the buffer', () => {
    const h = History.inMemory(['SELECT a FROM users;', 'SELECT 1;', 'SELECT b FROM users;']);
    const e = new LineEditor(h, source);
    e.searchBackward();
    e.searchType('users');
    expect(e.searchMatch).toBe('SELECT b FROM users;');
    e.searchBackward();
    expect(e.searchMatch).toBe('SELECT a FROM users;');
    e.searchBackward(); // no older match: stays
    expect(e.searchMatch).toBe('SELECT a FROM users;');
    e.endSearch(true);
    expect(e.search).toBeUndefined();
    expect(e.buffer).toBe('SELECT a FROM users;');
  });

  it('a search that matches nothing, cancelled, leaves the buffer alone', () => {
    const e = new LineEditor(History.inMemory(['SELECT 1;']), source);
    typed(e, 'keep');
    e.searchBackward();
    e.searchType('zzz');
    expect(e.searchMatch).toBeUndefined();
    e.searchType('backspace');
    expect(e.search?.query).toBe('zz');
    e.endSearch(false);
    expect(e.buffer).toBe('keep');
  });

  it('Tab inserts a single candidate, or the common prefix and lists several', () => {
    const e = new LineEditor(History.inMemory(), source);
    typed(e, 'SELECT * FROM us');
    e.tab();
    expect(e.buffer).toBe('SELECT * FROM users ');
    expect(e.candidates).toEqual([]);
    const f = new LineEditor(History.inMemory(), source);
    typed(f, 'SELECT i');
    f.tab();
    expect(f.buffer).toBe('SELECT i');
    expect(f.candidates).toContain('id');
    expect(f.candidates).toContain('if');
  });

  it('editing keys: backspace, delete, kill line, kill word, line edges', () => {
    const e = new LineEditor(History.inMemory(), source);
    typed(e, 'SELECT abc');
    e.backspace();
    expect(e.buffer).toBe('SELECT ab');
    e.killWord();
    expect(e.buffer).toBe('SELECT ');
    e.lineEdge(false);
    e.deleteForward();
    expect(e.buffer).toBe('ELECT ');
    e.lineEdge(true);
    e.killToLineStart();
    expect(e.buffer).toBe('');
  });
});

describe('History', () => {
  it('round-trips multi-line entries and backslashes through one line each', () => {
    for (const s of ['SELECT 1;', 'SELECT\n  2;', "SELECT '\\n' AS x;", '\\dt']) {
      expect(encodeEntry(s)).not.toContain('\n');
      expect(decodeEntry(encodeEntry(s))).toBe(s);
    }
  });

  it('persists entries to the file and reloads them; skips blanks and repeats', () => {
    const path = join(dir, 'h1');
    const h = History.load(path);
    h.add('SELECT 1;');
    h.add('SELECT 1;');
    h.add('   ');
    h.add('SELECT\n2;');
    expect(History.load(path).entries).toEqual(['SELECT 1;', 'SELECT\n2;']);
  });

  it('keeps at most HISTORY_LIMIT entries', () => {
    const path = join(dir, 'h2');
    writeFileSync(path, Array.from({ length: HISTORY_LIMIT + 10 }, (_, i) => `SELECT ${i};\n`).join(''));
    const h = History.load(path);
    expect(h.entries).toHaveLength(HISTORY_LIMIT);
    expect(h.entries[0]).toBe('SELECT 10;');
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(HISTORY_LIMIT);
  });
});

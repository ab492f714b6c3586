// Pure parts of the ink view: the progress bar text and splitting a chunk of raw input into keys.

import { describe, expect, it } from 'vitest';
import { progressBar, splitKeys } from '../../src/repl/app.js';

describe('progressBar', () => {
  it('fills in proportion and counts statements', () => {
    expect(progressBar({ done: 0, total: 4, label: 'f' }, 8)).toBe('░░░░░░░░ 0/4 statements 0%');
    expect(progressBar({ done: 1, total: 4, label: 'f' }, 8)).toBe('██░░░░░░ 1/4 statements 25%');
    expect(progressBar({ done: 4, total: 4, label: 'f' }, 8)).toBe('████████ 4/4 statements 100%');
  });
});

describe('splitKeys', () => {
  it('separates text from control characters, which become Ctrl-keys, Enter, Tab and Backspace', () => {
    const keys = splitKeys('SELECT 1;\r\x03\x12ab\x7f\t');
    expect(keys.map((k) => [k.input, k.key.return ?? false, k.key.ctrl ?? false, k.key.tab ?? false, k.key.backspace ?? false])).toEqual([
      ['SELECT 1;', false, false, false, false],
      ['', true, false, false, false],
      ['c', false, true, false, false],
      ['r', false, true, false, false],
      ['ab', false, false, false, false],
      ['', false, false, false, true],
      ['', false, false, true, false],
    ]);
  });

  it('a Tab inside pasted text is indentation; a Tab at the end is the Tab key', () => {
    expect(splitKeys('SELECT\n\tx;').map((k) => k.input)).toEqual(['SELECT', '', '  ', 'x;']);
    expect(splitKeys('sel\t').map((k) => [k.input, k.key.tab])).toEqual([
      ['sel', false],
      ['', true],
    ]);
  });
});

// Fits the `table` format to the terminal: the widest column limit at which the whole table still fits.

import type { SqlValue } from '../executor/value.js';
import { cellText, isNumeric } from '../format/cells.js';
import { displayWidth } from '../format/index.js';

/** The narrowest column limit used even when the table cannot fit (it then wraps). */
export const MIN_COLUMN_WIDTH = 8;

/**
 * The largest per-column width limit (formatResult's `maxWidth` for tables) at which a table of
 * these columns and rows is at most `terminalWidth` columns wide. Numbers are never cut, so a
 * table of wide numbers may still not fit; the limit then bottoms out at MIN_COLUMN_WIDTH.
 */
export function fitColumnWidth(columns: readonly string[], rows: readonly (readonly SqlValue[])[], terminalWidth: number, nullText = 'NULL'): number {
  const stats = columns.map((c) => ({ header: displayWidth(c), text: 0, fixed: 0 }));
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) {
      const v = row[i] ?? null;
      const s = stats[i]!;
      const text = cellText(v);
      if (text === null) s.fixed = Math.max(s.fixed, displayWidth(nullText));
      else if (isNumeric(v)) s.fixed = Math.max(s.fixed, text.length);
      else s.text = Math.max(s.text, displayWidth(text));
    }
  }
  const total = (max: number) => stats.reduce((sum, s) => sum + Math.max(Math.min(s.header, max), Math.min(s.text, max), s.fixed) + 3, 1);
  const widest = Math.max(MIN_COLUMN_WIDTH, ...stats.map((s) => Math.max(s.header, s.text)));
  let max = widest;
  while (max > MIN_COLUMN_WIDTH && total(max) > terminalWidth) max--;
  return max;
}

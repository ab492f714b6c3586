// The `table` output format: an aligned text table with box-drawing borders, for people at a terminal.

import type { SqlValue } from '../executor/value.js';
import { cellText, isNumeric } from './cells.js';
import { padToWidth, displayWidth, truncateToWidth } from './text-width.js';

/** Options of the text table. */
export interface TextTableOptions {
  /** Widest a column may be, in terminal columns; longer values end in `…` (default 40). */
  maxWidth?: number;
  /** What a SQL NULL shows as (default `NULL`). */
  nullText?: string;
}

/** The default column width limit of the text table. */
export const DEFAULT_MAX_WIDTH = 40;

/**
 * Renders rows as a box-bordered table. Numbers are right-aligned and never cut; other values
 * are left-aligned and cut to `maxWidth` columns with `…`;
 * control characters are shown escaped (`\n`, `\t`, `\x1b`) so a value cannot break the grid
 * or drive the terminal. With no columns the result is the empty string.
 */
export function renderTextTable(
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
  options: TextTableOptions = {},
): string {
  if (columns.length === 0) return '';
  const max = Math.max(1, options.maxWidth ?? DEFAULT_MAX_WIDTH);
  const nullText = options.nullText ?? 'NULL';
  const header = columns.map((c) => truncateToWidth(visible(c), max));
  const body = rows.map((r) =>
    columns.map((_, i) => {
      const v = r[i] ?? null;
      const text = cellText(v);
      if (text === null) return nullText;
      // A cut number would read as a different number, so numbers are always shown whole.
      return isNumeric(v) ? text : truncateToWidth(visible(text), max);
    }),
  );
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...body.map((r) => displayWidth(r[i]!))));
  const rule = (l: string, m: string, r: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  const line = (cells: string[], align: (i: number) => 'left' | 'right') =>
    `│ ${cells.map((c, i) => padToWidth(c, widths[i]!, align(i))).join(' │ ')} │`;
  const out = [rule('┌', '┬', '┐'), line(header, () => 'left'), rule('├', '┼', '┤')];
  rows.forEach((r, n) => out.push(line(body[n]!, (i) => (isNumeric(r[i] ?? null) ? 'right' : 'left'))));
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}

const CONTROL_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Text with C0 controls and DEL written as escapes. */
function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => CONTROL_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

// Terminal column widths of text (East Asian wide characters and emoji take two columns) and truncation to a width.

import stringWidth from 'string-width';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Columns `text` takes in a monospace terminal: CJK and emoji count 2, combining marks 0. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/**
 * `text` cut to at most `max` columns, ending in `…` when cut. Cuts fall between grapheme
 * clusters, so an emoji sequence or a letter with its accents is never split.
 */
export function truncateToWidth(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  if (max <= 0) return '';
  let out = '';
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = displayWidth(segment);
    if (width + w > max - 1) break;
    out += segment;
    width += w;
  }
  return `${out}…`;
}

/** `text` padded with spaces to `width` columns, on the right (left-aligned) or on the left. */
export function padToWidth(text: string, width: number, align: 'left' | 'right'): string {
  const pad = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'left' ? text + pad : pad + text;
}

// Terminal colours for shell output; a palette with colour off returns text unchanged.

/** Styles the shell uses. */
export type Style = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray' | 'bold' | 'dim';

const CODES: Record<Style, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
  bold: [1, 22],
  dim: [2, 22],
};

/** Applies styles to text (or not). */
export type Paint = (text: string, ...styles: Style[]) => string;

/** A painter: ANSI escapes when `enabled`, plain text otherwise. */
export function painter(enabled: boolean): Paint {
  if (!enabled) return (text) => text;
  return (text, ...styles) => styles.reduce((s, st) => `\u001b[${CODES[st][0]}m${s}\u001b[${CODES[st][1]}m`, text);
}

// Error display: phase and message, the statement line with a caret under the error, and a hint.

import { caretExcerpt, QueryError, ToonDBError, type ErrorPhase } from '../errors.js';
import type { Paint } from './ansi.js';

const PHASE_TITLES: Record<ErrorPhase, string> = {
  parse: 'Parse error',
  bind: 'Binder error',
  plan: 'Planner error',
  execute: 'Execution error',
  storage: 'Storage error',
  transaction: 'Transaction error',
  api: 'Error',
};

/**
 * Renders an error for the terminal. A query error shows the statement line with a caret under
 * the position; every ToonDB error ends with its remediation hint.
 */
export function renderError(err: unknown, paint: Paint): string {
  if (!(err instanceof ToonDBError)) {
    const message = err instanceof Error ? err.message : String(err);
    return paint(`Error: ${message}`, 'red');
  }
  const out: string[] = [];
  let message = err.message;
  let excerpt: string | undefined;
  if (err instanceof QueryError && err.position && err.sql !== undefined) {
    excerpt = caretExcerpt(err.sql, err.position);
    // The message carries the same excerpt; show it once, with the caret coloured.
    if (message.endsWith(`\n${excerpt}`)) message = message.slice(0, -excerpt.length - 1);
  }
  out.push(`${paint(`${PHASE_TITLES[err.phase]}:`, 'red', 'bold')} ${message}`);
  if (excerpt) {
    const [line, caret] = excerpt.split('\n');
    out.push(line!, paint(caret!, 'red', 'bold'));
  }
  out.push(paint(`Hint: ${err.remediation}`, 'yellow'));
  return out.join('\n');
}

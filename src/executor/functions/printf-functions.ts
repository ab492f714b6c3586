// printf() and format() as registered scalar functions.

import { valueToText } from '../value-text.js';
import { sqlPrintf } from './printf.js';
import { scalar, type ScalarFunction } from './scalar-function.js';

/** printf(format, …) and its alias format(format, …); a NULL format gives NULL. */
export const PRINTF_FUNCTIONS: readonly ScalarFunction[] = ['printf', 'format'].map((name) =>
  scalar(name, 0, Infinity, 'text', (a, t) => {
    if (a.length === 0) return null;
    const fmt = valueToText(a[0]!, t[0]);
    return fmt === null ? null : sqlPrintf(fmt, a.slice(1), t.slice(1));
  }),
);

// Expiry times of key-value entries as ToonQL timestamps ('YYYY-MM-DD HH:MM:SS.SSS', UTC).

import { ValidationError } from '../../errors.js';
import { castToTimestamp } from '../functions/datetime-value.js';

/** Unix ms as a timestamp text. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** A time value (any form CAST(… AS TIMESTAMP) accepts) as Unix ms. */
export function parseTimestampMs(text: string): number {
  // The form formatTimestamp writes keeps its milliseconds (CAST drops fractions of a second).
  const exact = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)Z?$/.exec(text.trim());
  if (exact) return Date.parse(`${exact[1]}T${exact[2]}Z`);
  const ts = castToTimestamp(text);
  const ms = typeof ts === 'string' ? Date.parse(`${ts.replace(' ', 'T')}Z`) : NaN;
  if (!Number.isFinite(ms)) throw new ValidationError(`expires_at must be a time value, got ${text}`);
  return ms;
}

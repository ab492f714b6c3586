// Miscellaneous scalar functions: UUIDs. (last_insert_rowid() and changes() belong to the executor.)

import type { SqlValue } from '../value.js';
import { scalar, type ScalarFunction } from './scalar-function.js';

/** A random RFC 4122 version-4 UUID in canonical text form. */
export function randomUuid(): string {
  return globalThis.crypto.randomUUID();
}

/** A time-ordered RFC 9562 version-7 UUID: 48-bit unix milliseconds, then random bits. */
export function uuidV7(nowMs = Date.now()): string {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  let t = nowMs;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const uuid = (): SqlValue => randomUuid();

/** UUID generators; none is deterministic. */
export const MISC_FUNCTIONS: readonly ScalarFunction[] = [
  scalar('uuid', 0, 0, 'text', uuid, false),
  scalar('gen_random_uuid', 0, 0, 'text', uuid, false),
  scalar('uuid_v7', 0, 0, 'text', () => uuidV7(), false),
];

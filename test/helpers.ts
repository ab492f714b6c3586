// Shared test helpers: temporary folders, text decoding, and a reference cosine distance.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A fresh empty folder under the OS temp dir, removed by cleanupTempDirs(). */
export function tempDir(label = 'toondb'): string {
  const dir = mkdtempSync(join(tmpdir(), `${label}-`));
  made.push(dir);
  return dir;
}

/** Removes every folder made by tempDir(). */
export function cleanupTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

const dec = new TextDecoder();

/** Decodes bytes as UTF-8 (null stays null). */
export function text(bytes: Uint8Array | null | undefined): string | null {
  return bytes == null ? null : dec.decode(bytes);
}

/** Yields to the event loop `n` times (lets other async work interleave). */
export async function yieldTimes(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** Cosine distance computed plainly in doubles: the reference the search tests compare against. */
export function cosineDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return 1 - d / Math.sqrt(na * nb);
}

// Runs every encode and decode fixture of the TOON spec suite (../shared/corpora/toon), read in place and unmodified.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fromToon, toToon, type ToonDecodeOptions, type ToonEncodeOptions } from '../../src/format/toon.js';
import { ToonSyntaxError } from '../../src/errors.js';

/** Where the shared TOON corpus lives; its fixtures are read at test time and never copied. */
const TOON_DIR = process.env.TOONDB_SHARED
  ? join(process.env.TOONDB_SHARED, 'corpora/toon')
  : fileURLToPath(new URL('../../../shared/corpora/toon', import.meta.url));
const FIXTURES = join(TOON_DIR, 'tests/fixtures');
const available = existsSync(FIXTURES);

interface FixtureTest {
  name: string;
  input: unknown;
  expected: unknown;
  shouldError?: boolean;
  options?: ToonEncodeOptions & ToonDecodeOptions;
  minSpecVersion?: string;
}

interface FixtureFile {
  version: string;
  category: 'encode' | 'decode';
  tests: FixtureTest[];
}

function load(kind: 'encode' | 'decode'): [string, FixtureFile][] {
  if (!available) return [];
  const dir = join(FIXTURES, kind);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as FixtureFile]);
}

if (!available) console.warn(`TOON fixtures skipped: ${FIXTURES} not found (set TOONDB_SHARED to the shared folder).`);

/** Passes per fixture file, printed after the suite. */
const tally = new Map<string, { passed: number; total: number }>();
function record(file: string, total: number): () => void {
  const entry = tally.get(file) ?? { passed: 0, total };
  tally.set(file, entry);
  return () => void entry.passed++;
}

afterAll(() => {
  if (tally.size === 0) return;
  const lines = [...tally].map(([f, { passed, total }]) => `  ${f.padEnd(34)} ${passed}/${total}`);
  const passed = [...tally.values()].reduce((n, t) => n + t.passed, 0);
  const total = [...tally.values()].reduce((n, t) => n + t.total, 0);
  console.log(`TOON spec fixtures passed:\n${lines.join('\n')}\n  ${'total'.padEnd(34)} ${passed}/${total}`);
});

describe.skipIf(!available)('TOON spec fixtures', () => {
  for (const kind of ['encode', 'decode'] as const) {
    for (const [file, fixture] of load(kind)) {
      describe(`${kind}/${file}`, () => {
        it('is a v4 fixture file of the right category', () => {
          expect(fixture.category).toBe(kind);
          expect(fixture.version).toBe('4.0');
        });
        const pass = record(`${kind}/${file}`, fixture.tests.length);
        for (const t of fixture.tests) {
          it(t.name, () => {
            const options = t.options ?? {};
            if (t.shouldError) {
              const run = () => (kind === 'encode' ? toToon(t.input, options) : fromToon(t.input as string, options));
              expect(run).toThrow(ToonSyntaxError);
            } else if (kind === 'encode') {
              expect(toToon(t.input, options)).toBe(t.expected);
            } else {
              const got = fromToon(t.input as string, options);
              expect(got).toStrictEqual(t.expected);
              // toStrictEqual ignores key order; spec §2 makes order part of equality.
              expect(JSON.stringify(got)).toBe(JSON.stringify(t.expected));
            }
            pass();
          });
        }
      });
    }
  }
});

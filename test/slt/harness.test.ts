// Tests of the slt harness itself: parser, formatting, failure detection and --complete round trip.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adapterFactoryFor, engineFromEnv } from './adapter.js';
import { completeFile, completeText } from './complete.js';
import { formatReal15g, formatReal3, formatValue, hashValues } from './format.js';
import { parseSlt, splitLines } from './parser.js';
import { runRecords, runSltFile } from './runner.js';
import { createSqliteAdapter } from './sqlite-adapter.js';

const GOLDEN = new URL('./golden/smoke.slt', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'slt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Turns a full script back into a prototype: every query loses its `----` section. */
function prototypeOf(text: string): string {
  const lines = splitLines(text);
  const queries = parseSlt(text).filter((r) => r.kind === 'query');
  for (const q of queries.reverse()) lines.splice(q.span.sqlEnd, q.span.end - q.span.sqlEnd);
  return `${lines.join('\n')}\n`;
}

async function runText(text: string) {
  const adapter = await createSqliteAdapter();
  try {
    return await runRecords(parseSlt(text), adapter, 'inline');
  } finally {
    await adapter.close();
  }
}

describe('slt parser', () => {
  it('keeps line numbers, conditions, sort modes, labels and hashed results (LF or CRLF)', () => {
    const text = '# c\nskipif mysql # why\nquery IT rowsort lbl\nSELECT 1,\n# mid\n  2\n----\n3 values hashing to 0123456789abcdef0123456789abcdef\n\nhalt\n';
    for (const t of [text, text.replace(/\n/g, '\r\n')]) {
      const [q, h] = parseSlt(t);
      expect(q).toMatchObject({ kind: 'query', line: 3, types: 'IT', sortMode: 'rowsort', label: 'lbl', sql: 'SELECT 1,\n  2' });
      expect(q!.conditions).toEqual([{ kind: 'skipif', engine: 'mysql', line: 2 }]);
      expect(q!.kind === 'query' && q!.expected).toEqual({ kind: 'hash', count: 3, hash: '0123456789abcdef0123456789abcdef' });
      expect(h).toMatchObject({ kind: 'halt', line: 10 });
    }
  });

  it('reports the line of a malformed record', () => {
    expect(() => parseSlt('statement ok\nSELECT 1\n\nquery X\nSELECT 1\n', 'f.slt')).toThrow(/f\.slt:4: bad query type/);
    expect(() => parseSlt('frobnicate\n', 'f.slt')).toThrow(/f\.slt:1: unknown record/);
  });
});

describe('slt value formatting', () => {
  it('follows the reference rules for I, R and T', () => {
    expect(formatValue(null, 'I')).toBe('NULL');
    expect(formatValue(-7.9, 'I')).toBe('-7');
    expect(formatValue('12abc', 'I')).toBe('12');
    expect(formatValue(5n, 'R')).toBe('5.000');
    expect(formatValue('', 'T')).toBe('(empty)');
    expect(formatValue('a\tb\u00e9', 'T')).toBe('a@b@@');
    expect(formatValue(3, 'T', 'integer')).toBe('3');
    expect(formatValue(3, 'T')).toBe('3.0');
    expect(formatReal15g(1e20)).toBe('1.0e+20');
    expect(formatReal15g(0.1 + 0.2)).toBe('0.3');
    expect(formatReal15g(2.5e-7)).toBe('2.5e-07');
    expect(hashValues([])).toBe('0 values hashing to d41d8cd98f00b204e9800998ecf8427e');
  });

  it("renders R like SQLite's printf('%.3f') on random doubles", async () => {
    const adapter = await createSqliteAdapter();
    let seed = 42;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const values = Array.from({ length: 300 }, (_, i) => (rand() - 0.5) * 10 ** ((i % 24) - 6));
    values.push(0.0005, 1.0005, -0.0005, 2.0005, 99.9995, 1e20, -123456789012345678);
    for (const v of values) {
      const { rows } = await adapter.query(`SELECT printf('%.3f', ${v.toExponential(17)})`);
      expect(formatReal3(v), String(v)).toBe(rows[0]![0]);
    }
    await adapter.close();
  });
});

describe('slt runner', () => {
  const base = 'statement ok\nCREATE TABLE t(x INTEGER)\n\nstatement ok\nINSERT INTO t VALUES(1),(2),(3)\n\n';

  it('passes the golden smoke file on SQLite, skipping the records for other engines', async () => {
    const adapter = await createSqliteAdapter();
    const r = await runSltFile(GOLDEN, adapter);
    await adapter.close();
    expect(r.failures).toEqual([]);
    expect({ passed: r.passed, skipped: r.skipped }).toEqual({ passed: 10, skipped: 2 });
  });

  it('reports wrong values, wrong hashes, disagreeing labels and wrong statement outcomes', async () => {
    const r = await runText(
      `${base}query I rowsort\nSELECT x FROM t\n----\n1\n2\n4\n\n` +
        `query I nosort\nSELECT x FROM t ORDER BY x\n----\n3 values hashing to 00000000000000000000000000000000\n\n` +
        `query I rowsort L\nSELECT x FROM t\n----\n1\n2\n3\n\nquery I rowsort L\nSELECT x+1 FROM t\n----\n2\n3\n4\n\n` +
        `statement ok\nSELECT * FROM missing\n\nstatement error\nSELECT 1\n`,
    );
    expect(r.failures.map((f) => f.line)).toEqual([7, 14, 26, 33, 36]);
    expect(r.failures[2]!.actual).toMatch(/^label L:/);
    expect(r.passed).toBe(3);
  });

  it('stops a file after maxFailures when asked', async () => {
    const adapter = await createSqliteAdapter();
    const text = `${base}statement ok\nBOGUS\n\nstatement ok\nBOGUS\n\nstatement ok\nSELECT 1\n`;
    const r = await runRecords(parseSlt(text), adapter, 'inline', { maxFailures: 1 });
    await adapter.close();
    expect(r).toMatchObject({ failed: 1, skipped: 2, stopped: true });
  });
});

describe('slt --complete', () => {
  it('round-trips the golden file: completing its prototype gives the file back', async () => {
    const golden = readFileSync(GOLDEN, 'utf8');
    const path = join(tmp, 'smoke.slt');
    writeFileSync(path, prototypeOf(golden));
    expect(readFileSync(path, 'utf8')).not.toContain('----');
    const adapter = await createSqliteAdapter();
    const done = await completeFile(path, adapter);
    await adapter.close();
    expect(done.problems).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(golden);
  });

  it('flips a statement whose outcome disagrees and leaves a failing query alone', async () => {
    const adapter = await createSqliteAdapter();
    const text = 'statement error\nCREATE TABLE t(x)\n\nquery I nosort\nSELECT nope\n----\n1\n';
    const done = await completeText(text, adapter);
    await adapter.close();
    expect(done.text).toBe('statement ok\nCREATE TABLE t(x)\n\nquery I nosort\nSELECT nope\n----\n1\n');
    expect(done.problems).toEqual([expect.stringMatching(/^4: no such column/)]);
  });
});

// The --complete entry: TOONDB_SLT_COMPLETE=a.slt,b.slt npx vitest run test/slt/harness.test.ts
// rewrites those files with the results of TOONDB_SLT_ENGINE (default sqlite).
const toComplete = (process.env.TOONDB_SLT_COMPLETE ?? '').split(',').filter((p) => p.trim() !== '');
describe.skipIf(toComplete.length === 0)('slt --complete on request', () => {
  for (const path of toComplete) {
    it(`completes ${path}`, async () => {
      const adapter = await adapterFactoryFor(engineFromEnv('TOONDB_SLT_ENGINE'))();
      const done = await completeFile(path.trim(), adapter);
      await adapter.close();
      console.log(`${path}: completed; ${done.run.failed} records changed; problems: ${done.problems.join('; ') || 'none'}`);
    });
  }
});

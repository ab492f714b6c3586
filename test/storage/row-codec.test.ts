// Row encoding: every value round-trips, and decodeColumn agrees with decodeRow column by column.

import { describe, expect, it } from 'vitest';
import { decodeColumn, decodeRow, encodeRow } from '../../src/storage/row-codec.js';
import type { SqlValue } from '../../src/executor/value.js';

const rows: SqlValue[][] = [
  [],
  [null],
  [1, -128, 127, 128, -129, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 40, 1.5, -0.25, Number.MAX_SAFE_INTEGER],
  [2n ** 62n, -(2n ** 62n), 'ascii text', '', 'ünïcödé ✓ 𝄞', 'x'.repeat(300), `${'y'.repeat(200)}é`],
  [new Uint8Array([0, 1, 255]), new Uint8Array(0), Float32Array.from([1, -2.5, 3e-8, 0]), new Float32Array(0), null, 'after'],
  ['doc-1', Float32Array.from({ length: 128 }, (_, i) => Math.sin(i)), '{"a":1,"b":"ü"}', null],
];

describe('row codec', () => {
  it('round-trips every kind of value', () => {
    for (const row of rows) expect(decodeRow(encodeRow(row))).toEqual(row);
  });

  it('leaves `extra` trailing NULL slots for the caller', () => {
    for (const row of rows) expect(decodeRow(encodeRow(row), 2)).toEqual([...row, null, null]);
  });

  it('decodeColumn returns the same value as decodeRow for every column, and undefined past the end', () => {
    for (const row of rows) {
      const bytes = encodeRow(row);
      const all = decodeRow(bytes);
      for (let i = 0; i < row.length; i++) expect(decodeColumn(bytes, i)).toEqual(all[i]);
      expect(decodeColumn(bytes, row.length)).toBeUndefined();
    }
  });
});

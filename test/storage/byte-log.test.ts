// ByteLog keeps where byte strings lie instead of views of them; CommitWrites hands a commit's
// writes on, packed puts included.

import { describe, expect, it } from 'vitest';
import { allocBytes } from '../../src/storage/bytes.js';
import { ByteLog } from '../../src/storage/mvcc/byte-log.js';
import { CommitWrites } from '../../src/storage/mvcc/commit-writes.js';

const bytes = (...b: number[]) => {
  const out = allocBytes(b.length);
  out.set(b);
  return out;
};

describe('ByteLog', () => {
  it('returns each entry as pushed, across slabs, shared constants and growth', () => {
    const log = new ByteLog();
    const shared = Uint8Array.of(0);
    const expected: number[][] = [];
    for (let i = 0; i < 50_000; i++) {
      // Alternate slab entries with one shared constant, and now and then an array of its own.
      const e = i % 2 === 1 ? shared : i % 97 === 0 ? Uint8Array.of(i & 255, 1, 2) : bytes(i & 255, (i >> 8) & 255, 7);
      log.push(e);
      expected.push([...e]);
    }
    expect(log.length).toBe(50_000);
    for (let i = 0; i < expected.length; i += 499) expect([...log.get(i)]).toEqual(expected[i]);
    expect(log.bytesFrom(49_998)).toBe(expected[49_998]!.length + expected[49_999]!.length);
  });

  it('pops the last entry; entries before it and pushes after it stay right', () => {
    const log = new ByteLog();
    log.push(bytes(1));
    log.push(Uint8Array.of(2));
    log.push(bytes(3, 3));
    expect([...log.pop()]).toEqual([3, 3]);
    expect([...log.pop()]).toEqual([2]);
    log.push(bytes(4));
    expect(log.length).toBe(2);
    expect([...log.get(0)]).toEqual([1]);
    expect([...log.get(1)]).toEqual([4]);
  });
});

describe('CommitWrites', () => {
  it('yields operations, then packed puts, by forEach, iteration and byte count alike', () => {
    const keys = [bytes(9), bytes(8, 8)];
    const values = [bytes(1, 1, 1), bytes(2)];
    const w = new CommitWrites(
      [
        { type: 'put', key: bytes(1), value: bytes(5) },
        { type: 'del', key: bytes(2) },
      ],
      { length: 2, key: (i) => keys[i]!, value: (i) => values[i]!, bytes: () => 7 },
    );
    expect(w.size).toBe(4);
    const seen: string[] = [];
    w.forEach((k, v) => seen.push(`${[...k]}=${v ? [...v] : 'del'}`));
    expect(seen).toEqual(['1=5', '2=del', '9=1,1,1', '8,8=2']);
    expect([...w].map((op) => `${op.type}:${[...op.key]}`)).toEqual(['put:1', 'del:2', 'put:9', 'put:8,8']);
    expect(w.bytes()).toBe(2 + 1 + 7);
  });
});

// The write buffer against a plain Map model: writes, new-key appends, reads, savepoints, rollbacks.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyString } from '../../src/storage/bytes.js';
import type { PendingWrite } from '../../src/storage/mvcc/store.js';
import { WriteBuffer } from '../../src/storage/mvcc/write-buffer.js';

type Op =
  | { kind: 'set'; key: number; value: number }
  | { kind: 'append'; value: number }
  | { kind: 'get'; key: number }
  | { kind: 'savepoint' }
  | { kind: 'rollback' }
  | { kind: 'release' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 30 }), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('append' as const), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 60 }) }),
  fc.constant({ kind: 'savepoint' as const }),
  fc.constant({ kind: 'rollback' as const }),
  fc.constant({ kind: 'release' as const }),
);

const keyOf = (n: number) => Uint8Array.of(1, n);

describe('WriteBuffer', () => {
  it('reads, hands on for commit and rolls back exactly as a map of the same writes would', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const buf = new WriteBuffer();
        let model = new Map<string, number>();
        const marks: { mark: number; model: Map<string, number> }[] = [];
        // New keys come from 31 up, so they are never among the `set` keys (0–30) nor repeat.
        let nextNew = 31;
        const check = () => {
          expect(buf.size).toBe(model.size);
          const seen = new Map<string, number>();
          // What a commit would write: each key once, as the model holds it.
          const writes = buf.toCommitWrites();
          expect(writes.size).toBe(model.size);
          for (const w of writes) {
            const ks = keyString(w.key);
            expect(seen.has(ks)).toBe(false);
            seen.set(ks, w.type === 'put' ? w.value[0]! : -1);
          }
          expect(seen).toEqual(model);
        };
        for (const o of ops) {
          if (o.kind === 'set') {
            const w: PendingWrite = { key: keyOf(o.key), value: Uint8Array.of(o.value) };
            buf.set(keyString(w.key), w);
            model.set(keyString(w.key), o.value);
          } else if (o.kind === 'append') {
            const key = keyOf(nextNew++);
            buf.appendNew(key, Uint8Array.of(o.value));
            model.set(keyString(key), o.value);
          } else if (o.kind === 'get') {
            const ks = keyString(keyOf(o.key));
            expect(buf.get(ks)?.value?.[0]).toBe(model.get(ks));
          } else if (o.kind === 'savepoint') {
            marks.push({ mark: buf.savepoint(), model: new Map(model) });
          } else if (o.kind === 'rollback') {
            const m = marks.at(-1);
            if (!m) continue;
            buf.rollbackTo(m.mark);
            model = new Map(m.model);
          } else {
            if (!marks.pop()) continue;
            buf.release();
          }
          check();
        }
        expect(buf.asMap().size).toBe(model.size);
        expect(buf.builtMap()).toBe(buf.asMap());
      }),
      { numRuns: 300 },
    );
  });
});

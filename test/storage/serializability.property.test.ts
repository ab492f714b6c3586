// Property test: random interleavings of concurrent transactions; the committed ones must replay serially.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database, TransactionConflictError, type Transaction } from '../../src/index.js';
import { text, yieldTimes } from '../helpers.js';

type Op = { kind: 'read'; key: string } | { kind: 'write'; key: string } | { kind: 'scan' };
interface Program {
  ops: Op[];
  pauses: number[];
}
interface Outcome {
  index: number;
  committed: boolean;
  ts: number;
  startTs: number;
  observed: string[];
  wrote: boolean;
}

const KEYS = ['acc/k0', 'acc/k1', 'acc/k2', 'acc/k3'];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KEYS).map((key) => ({ kind: 'read' as const, key })) },
  { weight: 3, arbitrary: fc.constantFrom(...KEYS).map((key) => ({ kind: 'write' as const, key })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'scan' as const }) },
);
const programArb: fc.Arbitrary<Program> = fc
  .array(opArb, { minLength: 1, maxLength: 5 })
  .chain((ops) => fc.record({ ops: fc.constant(ops), pauses: fc.array(fc.nat(3), { minLength: ops.length + 1, maxLength: ops.length + 1 }) }));

/** The value a program writes: a function of everything it has read, so a stale read shows in the data. */
function valueFor(index: number, step: number, observed: readonly string[]): string {
  return `${index}.${step}[${observed.join(',')}]`;
}

/** One storage interface for the real run and the serial replay. */
interface Store {
  read(key: string): Promise<string>;
  write(key: string, value: string): Promise<void>;
  scan(): Promise<string>;
}

async function runProgram(p: Program, index: number, store: Store, pause: (n: number) => Promise<void>): Promise<string[]> {
  const observed: string[] = [];
  for (let step = 0; step < p.ops.length; step++) {
    await pause(p.pauses[step]!);
    const op = p.ops[step]!;
    if (op.kind === 'read') observed.push(await store.read(op.key));
    else if (op.kind === 'scan') observed.push(await store.scan());
    else await store.write(op.key, valueFor(index, step, observed));
  }
  await pause(p.pauses[p.ops.length]!);
  return observed;
}

function txnStore(t: Transaction): Store {
  return {
    read: async (k) => text(await t.get(k)) ?? '-',
    write: (k, v) => t.put(k, v),
    scan: async () => {
      const parts: string[] = [];
      for await (const [k, v] of t.scanPrefix('acc/')) parts.push(`${text(k)}=${text(v)}`);
      return parts.join(';');
    },
  };
}

function mapStore(m: Map<string, string>): Store {
  return {
    read: async (k) => m.get(k) ?? '-',
    write: async (k, v) => void m.set(k, v),
    scan: async () =>
      [...m.keys()]
        .sort()
        .map((k) => `${k}=${m.get(k)}`)
        .join(';'),
  };
}

/** Runs the programs concurrently and returns a description of the first violation of serializability, if any. */
async function check(programs: Program[], isolation: 'serializable' | 'snapshot'): Promise<string | undefined> {
  await using db = await Database.open(':memory:');
  await db.putBatch(KEYS.slice(0, 2).map((k) => [k, 'init'] as [string, string]));
  const initial = new Map(KEYS.slice(0, 2).map((k) => [k, 'init']));
  const outcomes = await Promise.all(
    programs.map(async (p, index): Promise<Outcome> => {
      const t = db.beginTransaction({ isolation });
      const observed = await runProgram(p, index, txnStore(t), yieldTimes);
      const wrote = p.ops.some((o) => o.kind === 'write');
      try {
        const ts = await t.commit();
        return { index, committed: true, ts, startTs: t.startTs, observed, wrote };
      } catch (err) {
        if (!(err instanceof TransactionConflictError)) throw err;
        return { index, committed: false, ts: 0, startTs: t.startTs, observed, wrote };
      }
    }),
  );
  // Writers serialize at their commit timestamps, read-only transactions at their start timestamps.
  const order = outcomes
    .filter((o) => o.committed)
    .map((o) => ({ o, at: o.wrote ? o.ts : o.startTs + 0.5 }))
    .sort((a, b) => a.at - b.at);
  const state = new Map(initial);
  for (const { o } of order) {
    const replayed = await runProgram(programs[o.index]!, o.index, mapStore(state), async () => {});
    if (JSON.stringify(replayed) !== JSON.stringify(o.observed)) {
      return `transaction ${o.index} observed ${JSON.stringify(o.observed)} but the serial replay observes ${JSON.stringify(replayed)}`;
    }
  }
  const finalState = new Map<string, string>();
  for await (const [k, v] of db.scanPrefix('acc/')) finalState.set(text(k)!, text(v)!);
  if (JSON.stringify([...finalState].sort()) !== JSON.stringify([...state].sort())) {
    return `final state ${JSON.stringify([...finalState])} differs from the replay ${JSON.stringify([...state])}`;
  }
  return undefined;
}

describe('serializability', () => {
  it('every committed set of random concurrent transactions replays serially (SERIALIZABLE)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(programArb, { minLength: 2, maxLength: 6 }), async (programs) => {
        expect(await check(programs, 'serializable')).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('the checker catches write skew under SNAPSHOT (so it can fail)', async () => {
    const skew = (readFirst: string, readSecond: string, write: string): Program => ({
      ops: [
        { kind: 'read', key: readFirst },
        { kind: 'read', key: readSecond },
        { kind: 'write', key: write },
      ],
      pauses: [0, 0, 1, 1],
    });
    const programs = [skew('acc/k0', 'acc/k1', 'acc/k0'), skew('acc/k0', 'acc/k1', 'acc/k1')];
    expect(await check(programs, 'snapshot')).toMatch(/serial replay/);
    expect(await check(programs, 'serializable')).toBeUndefined();
  });
});

describe('bank transfers', () => {
  it('the total never changes under concurrent random transfers, and every snapshot sees it whole', async () => {
    const dir = await import('../helpers.js').then((h) => h.tempDir('bank'));
    await using db = await Database.open(dir);
    const accounts = 8;
    await db.putBatch(Array.from({ length: accounts }, (_, i) => [`bank/${i}`, '100'] as [string, string]));
    const total = async (r: { scanPrefix(p: string): AsyncIterable<[Uint8Array, Uint8Array]> }) => {
      let sum = 0;
      for await (const [, v] of r.scanPrefix('bank/')) sum += Number(text(v));
      return sum;
    };
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const transfers = Array.from({ length: 200 }, () => ({ from: rand(accounts), to: rand(accounts), amount: rand(30) }));
    let audits = 0;
    const auditor = (async () => {
      for (let i = 0; i < 20; i++) {
        await using snap = db.snapshot();
        expect(await total(snap)).toBe(accounts * 100);
        audits++;
        await yieldTimes(1);
      }
    })();
    await Promise.all([
      auditor,
      ...transfers.map((tr) =>
        db.withTransaction(async (t) => {
          const a = Number(text(await t.get(`bank/${tr.from}`)));
          await yieldTimes(1);
          const b = Number(text(await t.get(`bank/${tr.to}`)));
          if (tr.from === tr.to || a < tr.amount) return;
          await t.put(`bank/${tr.from}`, String(a - tr.amount));
          await t.put(`bank/${tr.to}`, String(b + tr.amount));
        }, { maxRetries: 1000 }),
      ),
    ]);
    expect(audits).toBe(20);
    expect(await total(db)).toBe(accounts * 100);
    const stats = await db.stats();
    expect(stats.conflictRate).toBeGreaterThan(0);
  });
});

// npm run bench:kv — ToonDB's key-value API beside the raw classic-level binding, on the same data, in one run.

import { ClassicLevel } from 'classic-level';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../src/index.js';

const N = Number(process.env.BENCH_KEYS ?? 200_000);
const BATCH = 1000;
const SINGLE = 5_000;
const RMW = 5_000;

function key(i: number): Uint8Array {
  // 16-byte keys: "bench/" + 10 digits
  return new TextEncoder().encode(`bench/${String(i).padStart(10, '0')}`);
}
const keys = Array.from({ length: N }, (_, i) => key(i));
const value = new Uint8Array(100).fill(120);
const order = Array.from({ length: N }, (_, i) => i);
for (let i = N - 1; i > 0; i--) {
  const j = Math.floor(Math.random() * (i + 1));
  [order[i], order[j]] = [order[j]!, order[i]!];
}

async function time(fn: () => Promise<number>): Promise<number> {
  const t0 = performance.now();
  const ops = await fn();
  return ops / ((performance.now() - t0) / 1000);
}

interface Subject {
  singlePut(): Promise<number>;
  batchPut(): Promise<number>;
  pointGet(): Promise<number>;
  prefixScan(): Promise<number>;
  /** The same scan through the binding's per-row async iterator (ToonDB has one way to scan). */
  prefixScanRows(): Promise<number>;
  rmw(): Promise<number>;
  compact(): Promise<void>;
  close(): Promise<void>;
}

async function raw(dir: string): Promise<Subject> {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  return {
    singlePut: async () => {
      for (let i = 0; i < SINGLE; i++) await db.put(keys[i % N]!, value);
      return SINGLE;
    },
    batchPut: async () => {
      for (let i = 0; i < N; i += BATCH) {
        const ops = [];
        for (let j = i; j < Math.min(N, i + BATCH); j++) ops.push({ type: 'put' as const, key: keys[j]!, value });
        await db.batch(ops);
      }
      return N;
    },
    pointGet: async () => {
      let found = 0;
      for (const i of order) if (db.getSync(keys[i]!) !== undefined) found++;
      if (found !== N) throw new Error(`raw: found ${found}`);
      return N;
    },
    prefixScan: async () => {
      const it = db.iterator({ gte: new TextEncoder().encode('bench/'), lt: new TextEncoder().encode('bench0') });
      let n = 0;
      for (let b = await it.nextv(1000); b.length; b = await it.nextv(1000)) n += b.length;
      await it.close();
      if (n !== N) throw new Error(`raw: scanned ${n}`);
      return n;
    },
    prefixScanRows: async () => {
      let n = 0;
      for await (const _ of db.iterator({ gte: new TextEncoder().encode('bench/'), lt: new TextEncoder().encode('bench0') })) n++;
      if (n !== N) throw new Error(`raw: scanned ${n}`);
      return n;
    },
    rmw: async () => {
      const k = new TextEncoder().encode('counter/raw');
      await db.put(k, new TextEncoder().encode('0'));
      for (let i = 0; i < RMW; i++) {
        const v = Number(new TextDecoder().decode(db.getSync(k)!));
        await db.put(k, new TextEncoder().encode(String(v + 1)));
      }
      return RMW;
    },
    compact: () => db.compactRange(Uint8Array.of(0), Uint8Array.of(255, 255)),
    close: () => db.close(),
  };
}

async function toondb(dir: string): Promise<Subject> {
  const db = await Database.open(dir);
  return {
    singlePut: async () => {
      for (let i = 0; i < SINGLE; i++) await db.put(keys[i % N]!, value);
      return SINGLE;
    },
    batchPut: async () => {
      for (let i = 0; i < N; i += BATCH) {
        const pairs: [Uint8Array, Uint8Array][] = [];
        for (let j = i; j < Math.min(N, i + BATCH); j++) pairs.push([keys[j]!, value]);
        await db.putBatch(pairs);
      }
      return N;
    },
    pointGet: async () => {
      let found = 0;
      for (const i of order) if ((await db.get(keys[i]!)) !== null) found++;
      if (found !== N) throw new Error(`toondb: found ${found}`);
      return N;
    },
    prefixScan: async () => {
      let n = 0;
      for await (const _ of db.scanPrefix('bench/')) n++;
      if (n !== N) throw new Error(`toondb: scanned ${n}`);
      return n;
    },
    prefixScanRows: async () => {
      let n = 0;
      for await (const _ of db.scanPrefix('bench/')) n++;
      if (n !== N) throw new Error(`toondb: scanned ${n}`);
      return n;
    },
    rmw: async () => {
      await db.put('counter/toondb', '0');
      for (let i = 0; i < RMW; i++) {
        await db.transaction(async (t) => {
          const v = Number(new TextDecoder().decode((await t.get('counter/toondb'))!));
          await t.put('counter/toondb', String(v + 1));
        });
      }
      return RMW;
    },
    compact: () => db.compact(),
    close: () => db.close(),
  };
}

const REPS = Number(process.env.BENCH_REPS ?? 3);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'bench-kv-'));
  const rows: [string, number, number, string][] = [];
  try {
    // Loading is measured on fresh folders each repetition; the other operations then run on the
    // last loaded pair. Subjects alternate within a repetition so that drift hits both alike.
    const loads: [number[], number[]] = [[], []];
    let r!: Subject;
    let t!: Subject;
    for (let rep = 0; rep < REPS; rep++) {
      if (rep > 0) {
        await r.close();
        await t.close();
      }
      r = await raw(join(base, `raw${rep}`));
      t = await toondb(join(base, `toondb${rep}`));
      loads[0].push(await time(() => r.batchPut()));
      loads[1].push(await time(() => t.batchPut()));
    }
    rows.push(['batched put (1000/batch)', median(loads[1]), median(loads[0]), 'keys/s']);
    // Let both stores finish background compaction so that reads are not measured against it.
    await r.compact();
    await t.compact();
    const cases: [string, keyof Subject, string][] = [
      ['point get (random order)', 'pointGet', 'gets/s'],
      ['prefix scan (vs nextv)', 'prefixScan', 'rows/s'],
      ['prefix scan (vs iterator)', 'prefixScanRows', 'rows/s'],
      ['single put', 'singlePut', 'puts/s'],
      ['read-modify-write txn', 'rmw', 'txns/s'],
    ];
    for (const [name, m, unit] of cases) {
      const a: number[] = [];
      const b: number[] = [];
      for (let rep = 0; rep < REPS; rep++) {
        a.push(await time(r[m] as () => Promise<number>));
        b.push(await time(t[m] as () => Promise<number>));
      }
      rows.push([name, median(b), median(a), unit]);
    }
    await r.close();
    await t.close();
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  console.log(`bench:kv — ${N} keys (16-byte keys, 100-byte values), syncMode normal; median of ${REPS} alternating repetitions in one run`);
  console.log(`${'operation'.padEnd(28)}${'ToonDB'.padStart(14)}${'classic-level'.padStart(16)}${'ratio'.padStart(8)}  unit`);
  for (const [name, ours, theirs, unit] of rows) {
    const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
    console.log(`${name.padEnd(28)}${fmt(ours).padStart(14)}${fmt(theirs).padStart(16)}${(ours / theirs).toFixed(2).padStart(7)}×  ${unit}`);
  }
  console.log('raw baselines: db.batch, db.getSync, iterator.nextv(1000) counting batches, for await of db.iterator(), await db.put, getSync + await put');
  console.log('targets: ≥ 0.80× for batched put, point get and prefix scan');
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

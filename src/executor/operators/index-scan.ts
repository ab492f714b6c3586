// IndexScan: rows found through a secondary index (equal prefixes, optional range), fetched by row key.

import { hasExpressionItems } from '../../compiler/binder/bind-index.js';
import type { BoundExpr } from '../../compiler/bound.js';
import { compareBytes, keyString, prefixEnd } from '../../storage/bytes.js';
import { itemColumn } from '../../storage/catalog.js';
import { encodeKey, type KeyPart } from '../../storage/key-codec.js';
import { KeyTag, tagged } from '../../storage/keyspace.js';
import { indexEntryKey, indexEntryRowKey } from '../../storage/table-store.js';
import type { KeyBound, PhysicalPlan } from '../../planner/physical.js';
import { CompiledExprs } from '../compile-expr.js';
import type { Env, Row } from '../context.js';
import { indexItemValues } from '../index-items.js';
import type { SqlValue } from '../value.js';
import { fetchRow, keyParts } from './scan.js';

type IndexScanPlan = Extract<PhysicalPlan, { kind: 'IndexScan' }>;

/**
 * Key parts of values for the index items from position `from`: a column item converts its value
 * to the column's affinity (as the comparison would), an expression item keeps it (the planner
 * uses an expression item only where the comparison applies no affinity). Undefined for NULL.
 */
function itemParts(p: IndexScanPlan, from: number, vals: readonly SqlValue[]): KeyPart[] | undefined {
  const cols = p.index.columns.slice(from, from + vals.length).map((c) => itemColumn(c) ?? -1);
  return keyParts(p.table, cols, vals);
}

async function evalExprs(exprs: readonly BoundExpr[], env: Env): Promise<SqlValue[]> {
  const compiled = new CompiledExprs(exprs, (e) => env.ctx.planSubquery(e.plan));
  await compiled.prepare([[]], env);
  return compiled.fns.map((f) => f([], env));
}

/** Key parts of a bound on the item after the prefix: undefined without a bound, null when it is NULL (nothing matches). */
async function evalBound(p: IndexScanPlan, bound: KeyBound | undefined, env: Env): Promise<KeyPart[] | null | undefined> {
  if (!bound) return undefined;
  return itemParts(p, p.prefixes[0]?.length ?? 0, await evalExprs(bound.values, env)) ?? null;
}

/** The first position in sorted `keys` whose key is ≥ `bound`. */
function lowerBound(keys: readonly string[], bound: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The rows of an index range from the table cache (the cached rows sorted by the index's entry
 * keys), when the table is cached for this snapshot and not written by this transaction.
 * Expression items are computed from the cached rows as the writer computes them; partial and
 * collated indexes always go to storage. Records what the storage scan would have read.
 */
function cachedRange(p: IndexScanPlan, gte: Uint8Array, lt: Uint8Array, env: Env): Row[] | undefined {
  const cache = env.ctx.tableCache;
  const txn = env.ctx.txn;
  const ix = p.index;
  if (!cache || ix.whereSql || txn.touchedTables.has(p.table.id)) return undefined;
  if (ix.columns.some((c) => {
    const col = itemColumn(c);
    return col !== undefined && !!p.table.columns[col]!.collation;
  })) return undefined;
  const width = p.table.columns.length;
  const handle = hasExpressionItems(ix) ? { def: ix, itemValues: indexItemValues(ix, p.table, env) } : { def: ix };
  const sorted = cache.sortedIndex(p.table.id, txn.snapshotTs, ix.id, (row) => keyString(indexEntryKey(handle, row, row[width + 1] as Uint8Array)));
  if (!sorted) return undefined;
  const from = lowerBound(sorted.keys, keyString(gte));
  const to = lowerBound(sorted.keys, keyString(lt));
  const rows = sorted.rows.slice(from, Math.max(from, to)) as Row[];
  if (p.reverse) rows.reverse();
  txn.recordRange({ gte, lt });
  if (txn.recordsReads) for (const r of rows) txn.recordRead(r[width + 1] as Uint8Array);
  return rows;
}

/**
 * The key ranges to walk: one per distinct prefix (a NULL in a prefix matches nothing), in
 * index order (reversed for a reverse scan).
 */
async function keyRanges(p: IndexScanPlan, env: Env): Promise<{ gte: Uint8Array; lt: Uint8Array }[]> {
  const seen = new Set<string>();
  const out: { gte: Uint8Array; lt: Uint8Array }[] = [];
  const lowerParts = await evalBound(p, p.lower, env);
  const upperParts = await evalBound(p, p.upper, env);
  if (lowerParts === null || upperParts === null) return out;
  for (const tuple of p.prefixes) {
    const prefix = itemParts(p, 0, await evalExprs(tuple, env));
    if (!prefix) continue;
    const base = tagged(KeyTag.INDEX, encodeKey([p.index.id, ...prefix]));
    const bk = keyString(base);
    if (seen.has(bk)) continue;
    seen.add(bk);
    let gte = base;
    let lt = prefixEnd(base)!;
    if (lowerParts) {
      const k = tagged(KeyTag.INDEX, encodeKey([p.index.id, ...prefix, ...lowerParts]));
      gte = p.lower!.inclusive ? k : prefixEnd(k)!;
    } else if (upperParts) {
      // A range with only an upper bound must still skip NULLs, which sort first.
      gte = prefixEnd(tagged(KeyTag.INDEX, encodeKey([p.index.id, ...prefix, null])))!;
    }
    if (upperParts) {
      const k = tagged(KeyTag.INDEX, encodeKey([p.index.id, ...prefix, ...upperParts]));
      lt = p.upper!.inclusive ? prefixEnd(k)! : k;
    }
    out.push({ gte, lt });
  }
  out.sort((a, b) => compareBytes(a.gte, b.gte) * (p.reverse ? -1 : 1));
  return out;
}

/** IndexScan: walks index entries in order and looks up each row. */
export async function* indexScan(p: IndexScanPlan, env: Env, maxEntries = Infinity): AsyncGenerator<Row[]> {
  // `maxEntries`: a caller that gives up past that many rows reads no further entries of any range.
  let left = maxEntries;
  const ranges = await keyRanges(p, env);
  for (const { gte, lt } of ranges) {
    const cached = cachedRange(p, gte, lt, env);
    if (cached) {
      left -= cached.length;
      for (let i = 0; i < cached.length; i += 1024) {
        env.ctx.checkCancelled();
        yield cached.slice(i, i + 1024);
      }
      continue;
    }
    if (left <= 0) return;
    const cursor = env.ctx.txn.scan({ gte, lt, reverse: p.reverse, ...(left !== Infinity ? { limit: left } : {}) });
    try {
      for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
        env.ctx.checkCancelled();
        const out: Row[] = [];
        left -= b.keys.length;
        for (let i = 0; i < b.keys.length; i++) {
          const key = indexEntryRowKey(p.table, p.index, b.keys[i]!, b.payloads[i]!);
          const row = fetchRow(env, p.table, key);
          if (row) out.push(row);
        }
        if (out.length > 0) yield out;
      }
    } finally {
      await cursor.close();
    }
  }
}

// CollectionSearch: vector, BM25 and hybrid retrieval from a collection, filtered before ranking.

import { QueryExecutionError } from '../../errors.js';
import type { PhysicalPlan } from '../../planner/physical.js';
import { EXACT_SEARCH_ROWS, exactSearchRows } from '../../planner/search-strategy.js';
import { compareBytes, keyBytes, keyString, prefixEnd } from '../../storage/bytes.js';
import { collectionTextColumns, collectionVectorColumn, rowText, type CollectionMetric, type TableDef, type VectorColumn } from '../../storage/catalog.js';
import { rowKeyValues, tablePrefix } from '../../storage/table-store.js';
import type { Env, Row, SearchProvider } from '../context.js';
import type { SqlValue } from '../value.js';
import { isTruthy } from '../value-ops.js';
import { distanceFunction, toVectorOfDimension, type DistanceOperator } from '../vector-value.js';
import { compile, evalBatch, ownEnv } from './common.js';
import { fetchRow, seqScan, withHidden } from './scan.js';
import { indexedCandidates } from './search-candidates.js';

type SearchPlan = Extract<PhysicalPlan, { kind: 'CollectionSearch' }>;

/**
 * Rank the matches exactly when the sample says at most exactSearchRows(dimension) rows (the
 * planner's threshold) pass the filter, or at most this share of the collection (below it, the
 * graph walk would visit most of it).
 */
const EXACT_SHARE = 0.05;

/** Rows by key as this snapshot sees them, each read once per search (null: not visible). */
function rowReader(env: Env, table: TableDef): (key: string | Uint8Array) => Row | null {
  const seen = new Map<string, Row | null>();
  return (key) => {
    const ks = typeof key === 'string' ? key : keyString(key);
    let row = seen.get(ks);
    if (row === undefined) {
      row = fetchRow(env, table, typeof key === 'string' ? keyBytes(key) : key) ?? null;
      seen.set(ks, row);
    }
    return row;
  };
}

/** Every row of the collection as this snapshot sees it (from the table cache when it holds them). */
async function allRows(p: SearchPlan, env: Env): Promise<readonly Row[]> {
  const out: Row[] = [];
  for await (const batch of seqScan({ kind: 'SeqScan', table: p.search.table, alias: p.search.alias, schema: p.schema, est: p.est }, env)) {
    env.ctx.checkCancelled();
    for (const row of batch) out.push(row);
  }
  return out;
}

/** The rows that may pass the filter: those an index finds (search-candidates.ts), else every row. */
async function candidateRows(p: SearchPlan, env: Env): Promise<readonly Row[]> {
  return (await indexedCandidates(p, env, CANDIDATE_LIMIT)) ?? allRows(p, env);
}

/**
 * The most rows worth reading one by one through an index for a filtered search (each is a row
 * lookup, about 6 µs here): past it one pass over the (cached) rows costs less, and the rows read
 * so far are the price of having asked the index (measured: 4,096 made a 10%-selective field on
 * 100k documents 4× slower than no index).
 */
const CANDIDATE_LIMIT = EXACT_SEARCH_ROWS / 2;

/** The distance operator of each metric (pgvector's spelling). */
export const METRIC_OPERATOR: Record<CollectionMetric, DistanceOperator> = { cosine: '<=>', euclidean: '<->', dot: '<#>' };

/** Similarity from distance, higher is better: cosine 1 − d, dot −d, euclidean 1 / (1 + d). */
export function scoreOf(metric: CollectionMetric, distance: number): number {
  return metric === 'cosine' ? 1 - distance : metric === 'dot' ? -distance : 1 / (1 + distance);
}

/** A ranked document: its row (with hidden columns) and the values of the extra columns. */
interface Hit {
  readonly row: Row;
  readonly extra: SqlValue[];
}

/** Runs a CollectionSearch. */
export async function* collectionSearch(p: SearchPlan, outer: Env): AsyncGenerator<Row[]> {
  const env = ownEnv(outer);
  const s = p.search;
  const table = s.table;
  const opts = await evalOptions(p, env);
  const accept = await rowFilter(p, env);
  const k = positiveInt(opts.k ?? 10, 'k');
  const offset = opts.offset === undefined ? 0 : nonNegativeInt(opts.offset, 'OFFSET');
  // A serializable transaction's ranking depends on every document: record the whole table as read.
  const prefix = tablePrefix(table);
  env.ctx.txn.recordRange({ gte: prefix, lt: prefixEnd(prefix)! });
  let hits: Hit[];
  if (s.mode === 'vector') {
    hits = (await vectorHits(p, env, opts, accept, k + offset)).map((h) => ({ row: h.row, extra: [h.distance, scoreOf(vectorColumnOf(p).options.metric, h.distance)] }));
  } else if (s.mode === 'bm25') {
    hits = (await textHits(p, env, opts, accept, k + offset)).map((h) => ({ row: h.row, extra: [h.score] }));
  } else {
    hits = await hybridHits(p, env, opts, accept, k + offset);
  }
  const out = hits.slice(offset, offset + k).map((h) => [...h.row, ...h.extra]);
  if (out.length > 0) yield out;
}

/** The ANN-indexed column a search ranks by. */
function vectorColumnOf(p: SearchPlan): VectorColumn {
  return p.search.vectorColumn ?? collectionVectorColumn(p.search.table);
}

type Options = Record<string, SqlValue> & { offset?: SqlValue };

async function evalOptions(p: SearchPlan, env: Env): Promise<Options> {
  const s = p.search;
  const names = Object.keys(s.options);
  const exprs = [...names.map((n) => s.options[n]!), ...(s.vector ? [s.vector] : []), ...(s.text ? [s.text] : []), ...(s.offset ? [s.offset] : [])];
  const vals = (await evalBatch(compile(exprs, env), [[]], env))[0]!;
  const out: Options = {};
  names.forEach((n, i) => (out[n] = vals[i]!));
  let i = names.length;
  if (s.vector) out.__vector = vals[i++]!;
  if (s.text) out.__text = vals[i++]!;
  if (s.offset) out.offset = vals[i++]!;
  return out;
}

/** The pushed-down WHERE as a synchronous row predicate (uncorrelated subqueries computed first). */
async function rowFilter(p: SearchPlan, env: Env): Promise<(row: Row) => boolean> {
  if (!p.filter) return () => true;
  const ex = compile([p.filter], env);
  await ex.prepare([[]], env);
  const fn = ex.fns[0]!;
  return (row) => {
    env.rowIndex = 0;
    return isTruthy(fn(row, env)) === true;
  };
}

function positiveInt(v: SqlValue, what: string): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new QueryExecutionError(`${what} must be a positive integer, got ${String(v)}`);
  return n;
}

function nonNegativeInt(v: SqlValue, what: string): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new QueryExecutionError(`${what} must be a non-negative integer, got ${String(v)}`);
  return n;
}

function provider(env: Env): SearchProvider {
  const sp = env.ctx.search;
  if (!sp) throw new QueryExecutionError('collection search is not available in this context');
  return sp;
}

/** The k nearest documents that pass the filter, with exact distances from the rows themselves. */
async function vectorHits(p: SearchPlan, env: Env, opts: Options, accept: (row: Row) => boolean, k: number): Promise<{ row: Row; distance: number }[]> {
  const table = p.search.table;
  const vc = vectorColumnOf(p);
  const dim = vc.options.dimension;
  const q = toVectorOfDimension(opts.__vector ?? null, dim);
  if (q === null) throw new QueryExecutionError('the query vector is NULL');
  const dist = distanceFunction(METRIC_OPERATOR[vc.options.metric]);
  const ranked: { row: Row; distance: number }[] = [];
  const consider = (row: Row) => {
    const v = row[vc.column];
    if (!(v instanceof Float32Array) || !accept(row)) return;
    const d = dist(v, q);
    if (!Number.isNaN(d)) ranked.push({ row, distance: d });
  };
  // The ANN index holds committed vectors; a transaction that wrote this collection ranks exactly.
  const ownWrites = env.ctx.txn.touchedTables.has(table.id);
  let strategy = p.strategy;
  let rows: readonly Row[] | undefined;
  if (p.filter && !ownWrites) {
    // The planner's selectivity is a guess; a sample of the (cached) rows measures it. Few
    // matches: rank them exactly; many: walk the graph, checking candidates as it goes.
    rows = await candidateRows(p, env);
    const sample = Math.min(rows.length, 256);
    let hits = 0;
    for (let i = 0; i < sample; i++) if (accept(rows[Math.floor((i * rows.length) / sample)]!)) hits++;
    const estimate = rows.length === 0 ? 0 : (Math.max(hits, 0.5) / Math.max(sample, 1)) * rows.length;
    strategy = estimate <= Math.max(exactSearchRows(vc.options.dimension), rows.length * EXACT_SHARE) ? 'exact' : 'ann';
  }
  if (ownWrites) {
    for (const row of rows ?? (await candidateRows(p, env))) consider(row);
  } else if (strategy === 'exact') {
    // One pass of the filter over the rows, then the index ranks the matches natively.
    const keys: Uint8Array[] = [];
    const byKey = new Map<string, Row>();
    for (const row of rows ?? (await candidateRows(p, env))) {
      if (!(row[vc.column] instanceof Float32Array) || !accept(row)) continue;
      const key = row[table.columns.length + 1] as Uint8Array;
      keys.push(key);
      byKey.set(keyString(key), row);
    }
    // The index ranks by its vectors, which are this snapshot's only when it agrees with it.
    if (keys.length <= k * 4 || !provider(env).annAgrees(vc, env.ctx.txn.snapshotTs)) for (const row of byKey.values()) consider(row);
    else {
      for (const c of await provider(env).exactSearch(vc, q, k, keys)) {
        const row = byKey.get(keyString(c.key));
        if (row) consider(row);
      }
      // The index holds the newest committed vectors; a row this snapshot sees differently is
      // ranked from its own vector.
      if (ranked.length < Math.min(k, keys.length)) for (const row of byKey.values()) consider(row);
    }
  } else {
    const rowOf = rowReader(env, table);
    // ef_search => n for this query, else SET hnsw.ef_search for the session, else the collection's.
    const efArg = opts.ef_search ?? env.ctx.settings?.get('hnsw.ef_search');
    const efSearch = efArg === undefined ? undefined : positiveInt(efArg, 'ef_search');
    const usable = (row: Row | null): row is Row => row !== null && row[vc.column] instanceof Float32Array;
    // Without a filter the nearest candidates are almost always visible in this snapshot: take
    // them as they come and check after. With a filter (or when the check finds too few), each
    // candidate is checked against this snapshot's row and the filter while the graph is walked.
    let candidates = p.filter ? [] : await provider(env).annSearch(vc, q, k, efSearch !== undefined ? { efSearch } : {});
    const agrees = provider(env).annAgrees(vc, env.ctx.txn.snapshotTs);
    if (p.indexOnly && !p.filter && agrees) {
      // The index holds exactly this snapshot's documents and nothing above reads more than the
      // id: the hits need no row reads (the whole table is already recorded as read).
      for (const c of candidates) ranked.push({ row: indexOnlyRow(table, c.key), distance: c.distance });
      candidates = [];
    } else if (p.filter || candidates.filter((c) => usable(rowOf(c.key))).length < k) {
      candidates = await provider(env).annSearch(vc, q, k, {
        ...(efSearch !== undefined ? { efSearch } : {}),
        accept: (key) => {
          const row = rowOf(key);
          return usable(row) && accept(row);
        },
      });
    }
    const seen = new Set<string>();
    for (const c of candidates) {
      const row = rowOf(c.key);
      seen.add(c.key);
      if (row) consider(row);
    }
    if (!agrees) {
      // The index is at a newer commit than this snapshot: documents written since (deleted, or
      // with another vector now) are ranked exactly as this snapshot sees them.
      const prefix = tablePrefix(table);
      for (const key of env.ctx.txn.writtenSinceSnapshot(prefix, prefixEnd(prefix)!)) {
        const ks = keyString(key);
        if (seen.has(ks)) continue;
        seen.add(ks);
        const row = rowOf(ks);
        if (row) consider(row);
      }
    }
  }
  ranked.sort((a, b) => a.distance - b.distance || compareKeys(a.row, b.row));
  return ranked.slice(0, k);
}

/** A row as an index-only search returns it: the primary key from its row key, the other columns NULL. */
function indexOnlyRow(table: TableDef, ks: string): Row {
  const key = keyBytes(ks);
  // Room for the two hidden columns withHidden fills in.
  const values: SqlValue[] = new Array<SqlValue>(table.columns.length + 2).fill(null);
  const keyVals = rowKeyValues(key);
  table.primaryKey.forEach((c, i) => (values[c] = keyVals[i] as SqlValue));
  return withHidden(table, values, key);
}

/** Ties in rank go by row key (for a collection, the id's order). */
function compareKeys(a: Row, b: Row): number {
  // The row key is the last hidden column of a table's row.
  return compareBytes(a[a.length - 1] as Uint8Array, b[b.length - 1] as Uint8Array);
}

/** The k best documents by BM25 that pass the filter (and contain every term, in mode 'all'). */
async function textHits(p: SearchPlan, env: Env, opts: Options, accept: (row: Row) => boolean, k: number): Promise<{ row: Row; score: number }[]> {
  const table = p.search.table;
  if (table.collection && !table.collection.enableHybridSearch) {
    throw new QueryExecutionError(`collection ${table.name} has no BM25 index`, { remediation: 'Create the collection with enable_hybrid_search = true.' });
  }
  const source = p.search.textColumns ?? collectionTextColumns(table);
  const text = opts.__text;
  if (text === null || text === undefined) return [];
  const query = String(text);
  const sp = provider(env);
  const mode = opts.mode === undefined ? 'any' : String(opts.mode).toLowerCase();
  if (mode !== 'any' && mode !== 'all') throw new QueryExecutionError(`mode must be 'any' or 'all', got ${String(opts.mode)}`);
  const needed = mode === 'all' ? new Set(sp.terms(source, query)) : undefined;
  const rowOf = rowReader(env, table);
  // Postings are transactional, so without a filter every hit is a visible document.
  const hits = await sp.textSearch(env.ctx.txn, source, query, k, !p.filter && !needed ? {} : {
    accept: (key) => {
      const row = rowOf(key);
      if (row === null || !accept(row)) return false;
      if (!needed) return true;
      const have = new Set(sp.terms(source, rowText(row, source.columns) ?? ''));
      for (const t of needed) if (!have.has(t)) return false;
      return true;
    },
  });
  const out: { row: Row; score: number }[] = [];
  for (const h of hits) {
    const row = rowOf(h.key);
    if (row) out.push({ row, score: h.score });
  }
  return out;
}

/** Reciprocal-rank (or min-max linear) fusion of the vector and BM25 rankings. */
async function hybridHits(p: SearchPlan, env: Env, opts: Options, accept: (row: Row) => boolean, k: number): Promise<Hit[]> {
  const alpha = opts.alpha === undefined ? 0.5 : Number(opts.alpha);
  if (!(alpha >= 0 && alpha <= 1)) throw new QueryExecutionError(`alpha must be between 0 and 1, got ${String(opts.alpha)}`);
  const rrfK = opts.rrf_k === undefined ? 60 : Number(opts.rrf_k);
  if (!(rrfK >= 0)) throw new QueryExecutionError(`rrf_k must be a non-negative number, got ${String(opts.rrf_k)}`);
  const fusion = opts.fusion === undefined ? 'rrf' : String(opts.fusion).toLowerCase();
  if (fusion !== 'rrf' && fusion !== 'linear') throw new QueryExecutionError(`fusion must be 'rrf' or 'linear', got ${String(opts.fusion)}`);
  const candidates = opts.candidates === undefined ? 4 * k : positiveInt(opts.candidates, 'candidates');
  const m = vectorColumnOf(p).options.metric;
  const vec = opts.__vector === null || opts.__vector === undefined ? [] : await vectorHits(p, env, opts, accept, candidates);
  const txt = opts.__text === null || opts.__text === undefined ? [] : await textHits(p, env, opts, accept, candidates);
  interface Fused {
    row: Row;
    vRank: number | null;
    vDist: number | null;
    vScore: number | null;
    bRank: number | null;
    bScore: number | null;
  }
  const byId = new Map<string, Fused>();
  const entry = (row: Row): Fused => {
    const id = keyString(row[row.length - 1] as Uint8Array);
    let f = byId.get(id);
    if (!f) byId.set(id, (f = { row, vRank: null, vDist: null, vScore: null, bRank: null, bScore: null }));
    return f;
  };
  vec.forEach((h, i) => Object.assign(entry(h.row), { vRank: i + 1, vDist: h.distance, vScore: scoreOf(m, h.distance) }));
  txt.forEach((h, i) => Object.assign(entry(h.row), { bRank: i + 1, bScore: h.score }));
  const norm = (values: number[]) => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    return (x: number) => (hi > lo ? (x - lo) / (hi - lo) : 1);
  };
  const vNorm = norm(vec.map((h) => scoreOf(m, h.distance)));
  const bNorm = norm(txt.map((h) => h.score));
  const fused = [...byId.values()].map((f) => {
    const score =
      fusion === 'rrf'
        ? (f.vRank !== null ? alpha / (rrfK + f.vRank) : 0) + (f.bRank !== null ? (1 - alpha) / (rrfK + f.bRank) : 0)
        : (f.vScore !== null ? alpha * vNorm(f.vScore) : 0) + (f.bScore !== null ? (1 - alpha) * bNorm(f.bScore) : 0);
    return { f, score };
  });
  fused.sort((a, b) => b.score - a.score || compareKeys(a.f.row, b.f.row));
  return fused.slice(0, k).map(({ f, score }) => ({ row: f.row, extra: [score, f.vRank, f.vDist, f.bRank, f.bScore] }));
}

// Gathers the ANN searches of statements run together into batched native searches on every core.

import type { SearchProvider } from '../executor/context.js';
import type { VectorColumn } from '../storage/catalog.js';
import type { SQLQueryResult } from './sql-result.js';
import type { SqlParams } from './sql-session.js';

type Hit = { key: string; distance: number };

/** Statements run together, at most (their searches make one native batch). */
const SEARCH_GROUP = 256;

interface Request {
  readonly source: VectorColumn;
  readonly query: Float32Array;
  readonly k: number;
  readonly efSearch: number | undefined;
  readonly resolve: (hits: Hit[]) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * The ANN searches of `tasks` statements that run at the same time (a Chroma-style query with
 * many vectors). Each statement sees the database's search provider, except that its first
 * unfiltered ANN search waits until every other statement has asked for its own or finished;
 * then the waiting searches of one index go to the index as one batch, which usearch spreads
 * over all cores. Everything else a statement does (plans, filters, row reads, snapshots) is
 * unchanged, so its results are the same as when it runs alone.
 */
export class AnnGather {
  /** Statements that may still ask for a search. */
  private open: number;
  private pending: Request[] = [];

  constructor(
    private readonly provider: SearchProvider,
    tasks: number,
  ) {
    this.open = tasks;
  }

  /** The search provider of one statement, and the call to make when the statement ends. */
  task(): { provider: SearchProvider; finish: () => void } {
    let asked = false;
    const release = () => {
      if (asked) return;
      asked = true;
      this.open--;
      this.flushIfReady();
    };
    const real = this.provider;
    const annSearch: SearchProvider['annSearch'] = (source, query, k, options) => {
      // A filtered search checks rows as it walks the graph, and a second search of the same
      // statement would wait for nobody: both go straight to the index.
      if (asked || options.accept) return real.annSearch(source, query, k, options);
      return new Promise<Hit[]>((resolve, reject) => {
        this.pending.push({ source, query, k, efSearch: options.efSearch, resolve, reject });
        release();
      });
    };
    const provider = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'annSearch') return annSearch;
        const v: unknown = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    return { provider, finish: release };
  }

  private flushIfReady(): void {
    if (this.open > 0 || this.pending.length === 0) return;
    const requests = this.pending;
    this.pending = [];
    // One batch per index, ef and k.
    const groups = new Map<string, Request[]>();
    for (const r of requests) {
      const key = `${r.source.id}\u0000${r.efSearch ?? ''}\u0000${r.k}`;
      const g = groups.get(key);
      if (g) g.push(r);
      else groups.set(key, [r]);
    }
    for (const g of groups.values()) {
      const first = g[0]!;
      this.provider.annSearchBatch(first.source, g.map((r) => r.query), first.k, first.efSearch !== undefined ? { efSearch: first.efSearch } : {}).then(
        (hits) => g.forEach((r, i) => r.resolve(hits[i]!)),
        (err: unknown) => g.forEach((r) => r.reject(err)),
      );
    }
  }
}

/**
 * Runs `n` statements at once, `run(i, exec)` running the i-th through `exec`, their first ANN
 * searches gathered per group of SEARCH_GROUP (one native batch each, memory bounded for long
 * lists). `execWith(provider)` runs a statement with that search provider.
 */
export async function runGathered<T>(
  provider: SearchProvider,
  n: number,
  execWith: (provider: SearchProvider) => (sql: string, params?: SqlParams) => Promise<SQLQueryResult>,
  run: (i: number, exec: (sql: string, params?: SqlParams) => Promise<SQLQueryResult>) => Promise<T>,
): Promise<T[]> {
  const out: T[] = [];
  for (let from = 0; from < n; from += SEARCH_GROUP) {
    const size = Math.min(SEARCH_GROUP, n - from);
    const gather = new AnnGather(provider, size);
    const group = await Promise.all(
      Array.from({ length: size }, async (_, j) => {
        const task = gather.task();
        try {
          return await run(from + j, execWith(task.provider));
        } finally {
          task.finish();
        }
      }),
    );
    out.push(...group);
  }
  return out;
}

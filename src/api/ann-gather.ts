// Gathers the ANN searches of statements run together into batched native searches on every core.

import type { SearchProvider } from '../executor/context.js';
import type { VectorColumn } from '../storage/catalog.js';

type Hit = { key: string; distance: number };

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

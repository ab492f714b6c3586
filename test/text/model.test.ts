// Random concurrent transactions against a model: results and statistics always match BM25 over the model.

import { describe, expect, it } from 'vitest';
import { TransactionConflictError } from '../../src/errors.js';
import { StorageTransaction } from '../../src/storage/mvcc/transaction.js';
import { TextIndex } from '../../src/storage/text/index.js';
import { docId, docKey, openStore, referenceScores, rng } from './helpers.js';

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa'];

interface Open {
  txn: StorageTransaction;
  /** What this transaction sees: the committed documents at its start plus its own changes. */
  view: Map<number, string>;
  /** Its own changes since the start (undefined: deleted). */
  changes: Map<number, string | undefined>;
  /** Savepoint mark with the view and changes at that moment. */
  saved?: { mark: number; view: Map<number, string>; changes: Map<number, string | undefined> };
}

function expectScores(hits: { docKey: Uint8Array; score: number }[], ref: Map<number, number>) {
  expect(hits.map((h) => docId(h.docKey)).sort((a, b) => a - b)).toEqual([...ref.keys()].sort((a, b) => a - b));
  for (const h of hits) expect(Math.abs(h.score - ref.get(docId(h.docKey))!)).toBeLessThan(1e-9);
}

describe('TextIndex against a model', () => {
  it('agrees with BM25 over the modelled corpus through random concurrent transactions', async () => {
    const random = rng(2024);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const text = () => Array.from({ length: Math.floor(random() * 8) }, () => pick(WORDS)).join(' ');
    const store = await openStore();
    const index = new TextIndex(9, { bm25: { k1: 1.5, b: 0.6 } });
    await index.attach(store);
    const committed = new Map<number, string>();
    const open: Open[] = [];
    let nextId = 0;
    let conflicts = 0;
    let commits = 0;

    for (let step = 0; step < 600; step++) {
      const action = random();
      if (open.length < 3 && action < 0.25) {
        const txn = new StorageTransaction(store, random() < 0.7 ? 'serializable' : 'snapshot');
        open.push({ txn, view: new Map(committed), changes: new Map() });
        continue;
      }
      if (open.length === 0) continue;
      const o = pick(open);
      const r = random();
      if (r < 0.3) {
        const id = nextId++;
        const t = text();
        index.add(o.txn, docKey(id), t);
        o.view.set(id, t);
        o.changes.set(id, t);
      } else if (r < 0.45 && o.view.size > 0) {
        const id = pick([...o.view.keys()]);
        const t = text();
        index.remove(o.txn, docKey(id), o.view.get(id)!);
        index.add(o.txn, docKey(id), t);
        o.view.set(id, t);
        o.changes.set(id, t);
      } else if (r < 0.55 && o.view.size > 0) {
        const id = pick([...o.view.keys()]);
        index.remove(o.txn, docKey(id), o.view.get(id)!);
        o.view.delete(id);
        o.changes.set(id, undefined);
      } else if (r < 0.6) {
        if (o.saved === undefined) o.saved = { mark: o.txn.savepoint(), view: new Map(o.view), changes: new Map(o.changes) };
        else {
          o.txn.rollbackTo(o.saved.mark);
          o.view = new Map(o.saved.view);
          o.changes = new Map(o.saved.changes);
        }
      } else if (r < 0.75) {
        // Search inside the transaction: its own writes and its snapshot.
        const q = `${pick(WORDS)} ${pick(WORDS)}`;
        expectScores(await index.search(o.txn, q, 1000), referenceScores(index.analyzer, o.view, q, 1.5, 0.6));
      } else if (r < 0.95) {
        open.splice(open.indexOf(o), 1);
        try {
          await o.txn.commit();
          commits++;
          for (const [id, t] of o.changes) {
            if (t === undefined) committed.delete(id);
            else committed.set(id, t);
          }
        } catch (err) {
          expect(err).toBeInstanceOf(TransactionConflictError);
          conflicts++;
        }
        const terms = [...committed.values()].map((t) => index.analyzer.tokens(t)).filter((t) => t.length > 0);
        expect(index.stats()).toEqual({ documents: terms.length, totalLength: terms.reduce((a, t) => a + t.length, 0) });
        const reader = new StorageTransaction(store, 'serializable', true);
        const q = `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`;
        expectScores(await index.search(reader, q, 1000), referenceScores(index.analyzer, committed, q, 1.5, 0.6));
        reader.abort();
      } else {
        open.splice(open.indexOf(o), 1);
        o.txn.abort();
      }
    }
    // The run exercised both outcomes.
    expect(commits).toBeGreaterThan(20);
    expect(conflicts).toBeGreaterThan(0);
  });
});

// Random INSERT / UPDATE / DELETE / savepoint sequences on ToonDB and on SQLite must leave the same rows.
// They exercise the bulk-load paths: unused rowids written without a probe, the write buffer's
// new-key log (folded when read, undone by ROLLBACK TO), and allocated rowids beside explicit ones.

import Sqlite from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConstraintError, Database } from '../../src/index.js';

type Step =
  | { kind: 'insert'; ids: (number | null)[]; v: number }
  | { kind: 'update'; from: number; to: number }
  | { kind: 'delete'; id: number }
  | { kind: 'read'; v: number }
  | { kind: 'savepoint' }
  | { kind: 'rollbackTo' }
  | { kind: 'release' };

const explicitId = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 400 }));
const id = fc.oneof(fc.constant(null), explicitId);
/**
 * Steps of a run. With rowids left to the database (NULL), the run has no DELETE, UPDATE or
 * ROLLBACK TO: those free rowids, which SQLite hands out again and ToonDB, once its counter has
 * passed them, does not (so that concurrent inserts do not collide).
 */
const steps = (withNull: boolean): fc.Arbitrary<Step[]> => fc.array(withNull ? insertsAndSavepoints : step, { minLength: 1, maxLength: 40 });

const insertsAndSavepoints: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), ids: fc.array(id, { minLength: 1, maxLength: 6 }), v: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('read' as const), v: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'savepoint' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'release' as const }) },
);

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), ids: fc.array(explicitId, { minLength: 1, maxLength: 6 }), v: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('update' as const), from: fc.integer({ min: 1, max: 60 }), to: fc.integer({ min: 1, max: 500 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('read' as const), v: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'savepoint' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'rollbackTo' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'release' as const }) },
);

const SETUP = 'CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER); CREATE INDEX t_v ON t (v);';

/** The statement of a step, or undefined when it has nothing to do (no savepoint to leave). */
function sqlOf(s: Step, depth: number): string | undefined {
  switch (s.kind) {
    case 'insert':
      return `INSERT INTO t (id, v) VALUES ${s.ids.map((i) => `(${i ?? 'NULL'}, ${s.v})`).join(', ')}`;
    case 'update':
      return `UPDATE t SET id = ${s.to} WHERE id = ${s.from}`;
    case 'delete':
      return `DELETE FROM t WHERE id = ${s.id}`;
    case 'read':
      return `SELECT id FROM t WHERE v = ${s.v} ORDER BY id`;
    case 'savepoint':
      return `SAVEPOINT s${depth + 1}`;
    case 'rollbackTo':
      return depth > 0 ? `ROLLBACK TO s${depth}` : undefined;
    case 'release':
      return depth > 0 ? `RELEASE s${depth}` : undefined;
  }
}

describe('the write path against SQLite', () => {
  it('random statements in one transaction leave the same rows, and the index agrees with them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean().chain((withNull) => fc.tuple(fc.constant(withNull), steps(withNull), fc.boolean())), async ([withNull, steps, commit]) => {
        const oracle = new Sqlite(':memory:');
        const db = await Database.open(':memory:');
        try {
          oracle.exec(SETUP);
          await db.exec(SETUP);
          // Rows committed before the transaction, so that explicit rowids land below and above them.
          oracle.exec('INSERT INTO t VALUES (5, 0), (10, 1), (20, 2)');
          await db.exec('INSERT INTO t VALUES (5, 0), (10, 1), (20, 2)');
          oracle.exec('BEGIN');
          await db.executeSql('BEGIN');
          let depth = 0;
          for (const s of steps) {
            const sql = sqlOf(s, depth);
            if (sql === undefined) continue;
            let expected: unknown;
            try {
              expected = s.kind === 'read' ? oracle.prepare(sql).raw().all() : (oracle.exec(sql), 'ok');
            } catch (err) {
              expected = { error: (err as Error).message.startsWith('UNIQUE') ? 'unique' : (err as Error).message };
            }
            let got: unknown;
            try {
              const r = await db.executeSql(sql);
              got = s.kind === 'read' ? r.rows : 'ok';
            } catch (err) {
              got = { error: err instanceof ConstraintError && /UNIQUE/.test((err as Error).message) ? 'unique' : (err as Error).message };
            }
            expect(got, sql).toEqual(expected);
            // A failed statement is undone, freeing the rowids it took: with rowids left to the
            // database the run stops there (see steps).
            if (withNull && typeof got === 'object' && got !== null && 'error' in got) break;
            if (s.kind === 'savepoint') depth++;
            if (s.kind === 'release') depth--;
          }
          const end = commit ? 'COMMIT' : 'ROLLBACK';
          oracle.exec(end);
          await db.executeSql(end);
          const all = 'SELECT id, v FROM t ORDER BY id';
          expect((await db.executeSql(all)).rows).toEqual(oracle.prepare(all).raw().all());
          // Through the index, every value finds exactly its rows.
          for (let v = 0; v <= 4; v++) {
            const q = `SELECT id FROM t WHERE v = ${v} ORDER BY id`;
            expect((await db.executeSql(q)).rows, q).toEqual(oracle.prepare(q).raw().all());
          }
          // A row inserted without an id afterwards gets one no row has.
          await db.executeSql('INSERT INTO t (v) VALUES (9)');
          expect((await db.executeSql('SELECT count(*) FROM t WHERE v = 9')).rows).toEqual([[1]]);
        } finally {
          oracle.close();
          await db.close();
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});

// Property tests: any input either parses or fails with a QuerySyntaxError, quickly; spacing and
// keyword case never change the tree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Keyword, toonqlLexer } from '../../grammar/lexer.js';
import { tokenMatcher } from 'chevrotain';
import { QuerySyntaxError } from '../../src/errors.js';
import { parseStatements, strip } from './helpers.js';

const VALID = [
  'SELECT a, b AS c, t.* FROM t WHERE a > 1 AND b IS NOT NULL ORDER BY a DESC LIMIT 10 OFFSET 2',
  'SELECT count(*), sum(x) FILTER (WHERE x > 0) OVER (PARTITION BY g ORDER BY y ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t GROUP BY g HAVING count(*) > 1',
  "SELECT CASE WHEN a THEN 'x' ELSE 'y' END, CAST(b AS VARCHAR(10)), c::int, -d, e || f FROM t",
  'SELECT * FROM a LEFT JOIN b ON a.id = b.id JOIN c USING (k), d NATURAL JOIN e',
  'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r',
  'SELECT x FROM t WHERE y IN (SELECT y FROM u) AND z NOT BETWEEN 1 AND 9 AND w LIKE ? ESCAPE :e',
  'SELECT embedding <-> ?1 AS d FROM items ORDER BY embedding <=> $2 LIMIT 5',
  '(SELECT 1) UNION (SELECT 2) INTERSECT SELECT 3 EXCEPT VALUES (4)',
  "INSERT INTO t (a, b) VALUES (1, 'x'), (2, NULL) ON CONFLICT (a) DO UPDATE SET b = excluded.b WHERE t.a > 0 RETURNING *",
  'INSERT OR REPLACE INTO t SELECT * FROM u',
  'INSERT IGNORE INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = VALUES(a) + 1',
  'REPLACE INTO t DEFAULT VALUES',
  'UPDATE t AS x SET a = 1, (b, c) = (2, 3) FROM u WHERE x.id = u.id',
  'DELETE FROM t WHERE a = ? RETURNING a',
  "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(40) NOT NULL DEFAULT 'x', v VECTOR(3), CONSTRAINT u UNIQUE (name), FOREIGN KEY (id) REFERENCES p (id) ON DELETE CASCADE) WITHOUT ROWID",
  'CREATE UNIQUE INDEX i ON t USING hnsw (e vector_l2_ops) WITH (m = 16) WHERE a > 0',
  'CREATE VIEW v (a) AS SELECT 1',
  'ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES b (c) ON UPDATE NO ACTION',
  'ALTER TABLE t RENAME COLUMN a TO b',
  'DROP TABLE IF EXISTS a, b CASCADE',
  'BEGIN IMMEDIATE TRANSACTION; SAVEPOINT s; ROLLBACK TO SAVEPOINT s; RELEASE s; COMMIT',
  'START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY',
  "EXPLAIN QUERY PLAN SELECT 1; SET search_path TO public; PRAGMA journal_mode = WAL; VACUUM; ANALYZE t",
  "SELECT x'00ff', E'a\\n', N'b', 0x1F, 1.5e3, INTERVAL '1 day', CURRENT_TIMESTAMP, TRUE",
];

/** Token texts from the valid statements plus a few extra troublemakers. */
function lexemes(sql: string): string[] {
  return toonqlLexer.tokenize(sql).tokens.map((tok) => tok.image);
}
const VOCABULARY = [...new Set([
  ...VALID.flatMap(lexemes),
  '(', ')', ',', ';', '.', '*', "'", '"', '[', '`', '/*', '--', '::', '?', '$', ':', '@', '#', '\\', 'NOT', 'NULL',
  'CASE', 'END', 'WITH', 'SELECT', 'VALUES', 'EXPLAIN', 'INTERVAL', 'OVER', 'FILTER', 'UNBOUNDED', 'CURRENT', 'ROW',
])];

/** Parses or throws a well-formed QuerySyntaxError; anything else fails the property. */
function parsesOrFailsCleanly(sql: string): void {
  const started = performance.now();
  try {
    const statements = parseStatements(sql);
    checkSpans(statements, sql.length);
  } catch (error) {
    if (!(error instanceof QuerySyntaxError)) throw error;
    const position = error.position!;
    expect(position.offset).toBeGreaterThanOrEqual(0);
    expect(position.offset).toBeLessThanOrEqual(sql.length);
    expect(position.line).toBeGreaterThanOrEqual(1);
    expect(position.column).toBeGreaterThanOrEqual(1);
    expect(Number.isNaN(position.column)).toBe(false);
  }
  expect(performance.now() - started).toBeLessThan(1000);
}

function checkSpans(node: unknown, length: number): void {
  if (Array.isArray(node)) {
    for (const item of node) checkSpans(item, length);
  } else if (node !== null && typeof node === 'object' && !(node instanceof Uint8Array)) {
    const span = (node as { span?: { start: number; end: number } }).span;
    if (span !== undefined) {
      expect(span.start).toBeGreaterThanOrEqual(0);
      expect(span.end).toBeGreaterThanOrEqual(span.start);
      expect(span.end).toBeLessThanOrEqual(length);
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'span') checkSpans(value, length);
  }
}

describe('fuzzing', () => {
  it('keeps the corpus valid', () => {
    for (const sql of VALID) expect(() => parseStatements(sql), sql).not.toThrow();
  });

  it('random token sequences parse or fail with QuerySyntaxError', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 40 }), (words) => parsesOrFailsCleanly(words.join(' '))),
      { numRuns: 3000 },
    );
  });

  it('mutated valid statements parse or fail with QuerySyntaxError', () => {
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), word: fc.constantFrom(...VOCABULARY) }),
      fc.record({ op: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
      fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...VALID), fc.array(mutation, { minLength: 1, maxLength: 4 }), (sql, mutations) => {
        const words = lexemes(sql);
        for (const m of mutations) {
          const at = words.length === 0 ? 0 : m.at % words.length;
          if (m.op === 'delete') words.splice(at, 1);
          else if (m.op === 'insert') words.splice(at, 0, m.word);
          else if (m.op === 'duplicate') words.splice(at, 0, words[at] ?? ';');
          else if (words.length > 0) {
            const other = m.other % words.length;
            [words[at], words[other]] = [words[other], words[at]];
          }
        }
        parsesOrFailsCleanly(words.join(' '));
      }),
      { numRuns: 3000 },
    );
  });

  it('arbitrary text parses or fails with QuerySyntaxError', () => {
    const chars = [...`abcxyzE_N01239.,;:?$@'"\`[]()*+-/<>=!|&~%#\\ \n\t\u00e9\u{1F600}`];
    const sqlish = fc.string({ unit: fc.constantFrom(...chars), maxLength: 60 });
    const unicode = fc.string({ unit: 'grapheme', maxLength: 30 });
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 60 }), unicode, sqlish), parsesOrFailsCleanly), { numRuns: 3000 });
  });

  it('spacing, comments and keyword case do not change the tree', () => {
    const separator = fc.constantFrom(' ', '  ', '\n', '\t', ' /* c */ ', ' -- c\n');
    fc.assert(
      fc.property(fc.constantFrom(...VALID), fc.array(separator, { minLength: 200, maxLength: 200 }), fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }), (sql, separators, upper) => {
        const tokens = toonqlLexer.tokenize(sql).tokens;
        const rewritten = tokens
          .map((tok, i) => {
            const isKeyword = tokenMatcher(tok, Keyword);
            return isKeyword ? (upper[i % 200] ? tok.image.toUpperCase() : tok.image.toLowerCase()) : tok.image;
          })
          .map((image, i) => (i === 0 ? image : separators[i % 200] + image))
          .join('');
        expect(strip(parseStatements(rewritten), true)).toEqual(strip(parseStatements(sql), true));
      }),
      { numRuns: 300 },
    );
  });
});

// importFile on the unmodified Chinook scripts (SQLite and PostgreSQL flavours) and on a SQLite database file, checked against SQLite.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import { importFile, type ImportSummary } from '../../src/migrate/import.js';
import { CHINOOK_DIR, chinookAvailable, compareResults, readChinookScript } from '../chinook/harness.js';
import type { AdapterResult } from '../slt/adapter.js';

const available = chinookAvailable();
if (!available) console.log(`migrate/Chinook: skipped, ${CHINOOK_DIR} is absent (set TOONDB_SHARED)`);

const TABLES = ['Album', 'Artist', 'Customer', 'Employee', 'Genre', 'Invoice', 'InvoiceLine', 'MediaType', 'Playlist', 'PlaylistTrack', 'Track'];

// Written with SQLite's [PascalCase] names; the PostgreSQL scripts use snake_case (see snake()).
const QUERIES = [
  'SELECT [ArtistId] AS id, [Name] AS name FROM [Artist] ORDER BY [ArtistId]',
  'SELECT g.[Name] AS genre, count(*) AS n, sum(t.[Milliseconds]) AS ms FROM [Track] t JOIN [Genre] g ON g.[GenreId] = t.[GenreId] GROUP BY g.[Name] ORDER BY genre',
  'SELECT c.[Country] AS country, round(sum(i.[Total]), 2) AS total, count(*) AS n FROM [Invoice] i JOIN [Customer] c ON c.[CustomerId] = i.[CustomerId] GROUP BY c.[Country] ORDER BY country',
  'SELECT e.[LastName] AS name, m.[LastName] AS manager FROM [Employee] e LEFT JOIN [Employee] m ON m.[EmployeeId] = e.[ReportsTo] ORDER BY e.[EmployeeId]',
  'SELECT p.[PlaylistId] AS id, p.[Name] AS name, count(pt.[TrackId]) AS n FROM [Playlist] p LEFT JOIN [PlaylistTrack] pt ON pt.[PlaylistId] = p.[PlaylistId] GROUP BY p.[PlaylistId], p.[Name] ORDER BY id',
  'SELECT [InvoiceLineId] AS id, [InvoiceId] AS inv, [UnitPrice] AS price, [Quantity] AS q FROM [InvoiceLine] WHERE [InvoiceLineId] % 37 = 0 ORDER BY id',
  'SELECT [CustomerId] AS id, [FirstName] AS first, [LastName] AS last, [Company] AS company, [Fax] AS fax, [Email] AS email FROM [Customer] ORDER BY id',
  'SELECT t.[TrackId] AS id, t.[Name] AS name, a.[Title] AS album, t.[Composer] AS composer, t.[Bytes] AS bytes FROM [Track] t JOIN [Album] a ON a.[AlbumId] = t.[AlbumId] WHERE t.[TrackId] % 50 = 1 ORDER BY t.[TrackId]',
];

/** [InvoiceLine] → invoice_line, [UnitPrice] → unit_price. */
const snake = (sql: string): string => sql.replace(/\[(\w+)\]/g, (_, n: string) => n.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase());

let oracle: BetterSqlite.Database;
const reference = (sql: string): AdapterResult => {
  const stmt = oracle.prepare(sql);
  return { columns: stmt.columns().map((c) => c.name), rows: stmt.safeIntegers(true).raw(true).all() as unknown[][] };
};

async function toon(db: Database, sql: string): Promise<AdapterResult> {
  const r = await db.executeSql(sql);
  return { columns: [...r.columns], rows: r.rows };
}

/** Imports one file into a fresh in-memory database and checks counts and queries against SQLite. */
async function checkImport(path: string, names: (sql: string) => string): Promise<ImportSummary> {
  const db = await Database.open(':memory:');
  try {
    const summary = await importFile(db, path);
    for (const t of TABLES) {
      const expected = Number(oracle.prepare(`SELECT count(*) FROM [${t}]`).pluck().get());
      const actual = Object.entries(summary.rows).find(([k]) => k.toLowerCase() === names(`[${t}]`).replace(/[[\]]/g, '').toLowerCase())?.[1];
      expect(actual, `${path}: rows reported for ${t}`).toBe(expected);
      const counted = (await db.executeSql(`SELECT count(*) FROM ${names(`[${t}]`)}`)).rows[0]![0];
      expect(Number(counted), `${path}: count(*) of ${t}`).toBe(expected);
    }
    for (const q of QUERIES) {
      const expected = reference(q);
      expect(expected.rows.length).toBeGreaterThan(0);
      expect(compareResults(expected, await toon(db, names(q))), `${path}\n${names(q)}`).toEqual([]);
    }
    return summary;
  } finally {
    await db.close();
  }
}

describe.skipIf(!available)('importFile on Chinook', () => {
  let temp: string;

  beforeAll(() => {
    oracle = new BetterSqlite(':memory:');
    oracle.exec(readChinookScript('Chinook_Sqlite.sql'));
    oracle.exec('CREATE VIEW [AlbumCount] AS SELECT [ArtistId], count(*) AS [Albums] FROM [Album] GROUP BY [ArtistId]; CREATE VIEW [TopArtists] AS SELECT [ArtistId] FROM [AlbumCount] WHERE [Albums] > 5;');
    temp = mkdtempSync(join(tmpdir(), 'toondb-migrate-'));
  });

  afterAll(() => {
    oracle?.close();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  for (const file of ['Chinook_Sqlite.sql', 'Chinook_Sqlite_AutoIncrementPKs.sql']) {
    it(`imports ${file} unmodified`, async () => {
      const started = performance.now();
      const summary = await checkImport(join(CHINOOK_DIR, file), (s) => s);
      expect(summary.dialect).toBe('sqlite');
      expect(summary.skipped).toEqual([]);
      expect(summary.tables).toEqual([...TABLES].sort());
      console.log(`${file}: imported and checked in ${(performance.now() - started).toFixed(0)} ms (import ${summary.elapsedMs.toFixed(0)} ms)`);
    });
  }

  for (const file of ['Chinook_PostgreSql.sql', 'Chinook_PostgreSql_SerialPKs.sql', 'Chinook_PostgreSql_AutoIncrementPKs.sql']) {
    it(`imports ${file} unmodified`, async () => {
      const summary = await checkImport(join(CHINOOK_DIR, file), snake);
      expect(summary.dialect).toBe('postgres');
      expect(summary.skipped.map((s) => s.reason)).toEqual([
        expect.stringMatching(/^DROP DATABASE: a ToonDB database is its folder/),
        'a ToonDB database is its folder',
        'psql meta-command',
      ]);
      expect(summary.skipped[2]!.statement).toMatch(/^\\c chinook/);
    });
  }

  // The sqlite3 shell's own .dump output (single-row INSERTs, children before parents), when the shell is installed.
  const shell = (() => {
    try {
      execFileSync('sqlite3', ['-version'], { stdio: 'ignore' });
      return true;
    } catch {
      console.log('migrate/Chinook: sqlite3 shell not installed, .dump test skipped');
      return false;
    }
  })();
  it.skipIf(!shell)('imports the sqlite3 shell\'s .dump of Chinook', async () => {
    const db = join(temp, 'for-dump.sqlite');
    const src = new BetterSqlite(db);
    src.exec(readChinookScript('Chinook_Sqlite_AutoIncrementPKs.sql'));
    src.close();
    const dump = join(temp, 'chinook.dump.sql');
    writeFileSync(dump, execFileSync('sqlite3', [db, '.dump'], { maxBuffer: 64 * 1024 * 1024 }));
    const summary = await checkImport(dump, (s) => s);
    expect(summary.skipped.map((k) => k.reason.split(':')[0])).toEqual(
      expect.arrayContaining(['SQLite pragma (foreign keys are always enforced; rows are loaded parents first)', 'transaction control', 'sqlite_sequence']),
    );
  });

  it('imports a SQLite database file (tables, rows, indexes, a view; the trigger is skipped)', async () => {
    const file = join(temp, 'chinook.sqlite');
    const src = new BetterSqlite(file);
    src.exec(readChinookScript('Chinook_Sqlite.sql'));
    src.exec(`CREATE VIEW [AlbumCount] AS SELECT [ArtistId], count(*) AS [Albums] FROM [Album] GROUP BY [ArtistId];
              CREATE VIEW [TopArtists] AS SELECT [ArtistId] FROM [AlbumCount] WHERE [Albums] > 5;
              CREATE INDEX [IX_TrackName] ON [Track] ([Name]) WHERE [Composer] IS NOT NULL;
              CREATE TRIGGER [NoDelete] BEFORE DELETE ON [Genre] BEGIN SELECT RAISE(ABORT, 'no'); END;
              CREATE VIRTUAL TABLE [TrackSearch] USING fts5([Name]);
              INSERT INTO [TrackSearch] SELECT [Name] FROM [Track] WHERE [TrackId] IN (2, 3, 17);`);
    src.close();
    const db = await Database.open(':memory:');
    try {
      const progress: number[] = [];
      const summary = await importFile(db, file, { onProgress: (p) => progress.push(p.done) });
      expect(summary.source).toBe('sqlite');
      expect(summary.skipped.map((s) => s.reason)).toEqual([
        ...['data', 'idx', 'content', 'docsize', 'config'].map(() => 'shadow table of the virtual table TrackSearch'),
        expect.stringMatching(/^triggers are not supported/),
      ]);
      // The FTS5 table's rows come along as a plain table.
      expect(summary.tables).toEqual([...TABLES, 'TrackSearch'].sort());
      expect(summary.rows.TrackSearch).toBe(3);
      expect((await db.executeSql("SELECT Name FROM TrackSearch WHERE Name LIKE '%a%' ORDER BY Name")).rows).toEqual([['Balls to the Wall'], ['Fast As a Shark']]);
      expect(progress.length).toBeGreaterThan(1);
      expect(progress[progress.length - 1]).toBe(15_610);
      for (const t of TABLES) expect(summary.rows[t], t).toBe(Number(oracle.prepare(`SELECT count(*) FROM [${t}]`).pluck().get()));
      for (const q of QUERIES) expect(compareResults(reference(q), await toon(db, q)), q).toEqual([]);
      expect(compareResults(reference('SELECT [ArtistId] AS a FROM [TopArtists] ORDER BY 1'), await toon(db, 'SELECT [ArtistId] AS a FROM [TopArtists] ORDER BY 1'))).toEqual([]);
      expect(db.listIndexes('Track').map((i) => i.name)).toEqual(expect.arrayContaining(['IFK_TrackAlbumId', 'IX_TrackName']));
      expect(db.listIndexes('Track').find((i) => i.name === 'IX_TrackName')?.whereSql).toMatch(/Composer/);
    } finally {
      await db.close();
    }
  });
});

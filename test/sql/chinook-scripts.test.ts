// Every Chinook script (SQLite and Postgres, all key variants) loads unmodified through db.exec.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import { CHINOOK_DIR } from '../chinook/harness.js';

const scripts = ['Chinook_Sqlite.sql', 'Chinook_Sqlite_AutoIncrementPKs.sql', 'Chinook_PostgreSql.sql', 'Chinook_PostgreSql_AutoIncrementPKs.sql', 'Chinook_PostgreSql_SerialPKs.sql'];
const present = existsSync(join(CHINOOK_DIR, scripts[0]!));
if (!present) console.log(`Chinook scripts: skipped, ${CHINOOK_DIR} is absent`);

const EXPECTED: Record<string, number> = { album: 347, artist: 275, customer: 59, employee: 8, genre: 25, invoice: 412, invoiceline: 2240, mediatype: 5, playlist: 18, playlisttrack: 8715, track: 3503 };

describe.skipIf(!present)('Chinook scripts through db.exec', () => {
  for (const script of scripts) {
    it(`loads ${script} with every row`, async () => {
      await using db = await Database.open(':memory:');
      const r = await db.exec(readFileSync(join(CHINOOK_DIR, script), 'utf8'));
      if (script.includes('Postgre')) {
        expect(r.notices).toHaveLength(3);
        expect(r.notices[0]).toMatch(/^skipped psql meta-command: \\c \w+;$/);
        expect(r.notices[1]).toMatch(/^skipped DROP DATABASE IF EXISTS \w+;: a ToonDB database is its folder$/);
        expect(r.notices[2]).toMatch(/^skipped CREATE DATABASE \w+;: a ToonDB database is its folder$/);
      } else expect(r.notices).toEqual([]);
      const counts: Record<string, number> = {};
      for (const t of db.listTables()) counts[t.toLowerCase().replace(/_/g, '')] = Number((await db.executeSql(`SELECT count(*) FROM "${t}"`)).rows[0]![0]);
      expect(counts).toEqual(EXPECTED);
      // Foreign keys from the script are enforced afterwards.
      const track = db.listTables().find((t) => t.toLowerCase() === 'track')!;
      const fkCol = db.getTableSchema(track).columns.find((c) => /album_?id/i.test(c.name))!.name;
      await expect(db.executeSql(`UPDATE "${track}" SET "${fkCol}" = 999999 WHERE "${fkCol}" = 1`)).rejects.toThrow(/FOREIGN KEY/);
      // Deleting a parent checks its children through the foreign-key index.
      const artist = db.listTables().find((t) => t.toLowerCase() === 'artist')!;
      const album = db.listTables().find((t) => t.toLowerCase() === 'album')!;
      const artistId = db.getTableSchema(artist).columns[0]!.name;
      await expect(db.executeSql(`DELETE FROM "${artist}" WHERE "${artistId}" = 1`)).rejects.toThrow(/still references/);
      await db.executeSql(`DELETE FROM "${artist}" WHERE "${artistId}" NOT IN (SELECT "${artistId}" FROM "${album}")`);
      expect((await db.executeSql(`SELECT count(*) FROM "${artist}"`)).rows).toEqual([[204]]);
    });
  }
});

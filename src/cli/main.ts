#!/usr/bin/env node
// The toondb command. Until the shell lands, it runs a short demo over a database folder.

import { Database } from '../index.js';

async function main(): Promise<void> {
  const path = process.argv[2] ?? './toondb_data';
  await using db = await Database.open(path);
  const dec = new TextDecoder();
  console.log(`toondb: opened ${path}`);
  await db.putPath('users/alice/name', 'Alice Smith');
  await db.putPath('users/alice/email', 'alice@example.com');
  await db.putPath('users/bob/name', 'Bob Jones');
  console.log('put users/alice/name, users/alice/email, users/bob/name');
  console.log(`listPath('users') -> ${JSON.stringify(await db.listPath('users'))}`);
  await db.put('session:demo', 'expires soon', { ttlSeconds: 60 });
  console.log('put session:demo with a 60 s TTL');
  const visits = await db.withTransaction(async (txn) => {
    const n = Number(dec.decode((await txn.get('demo:visits')) ?? new Uint8Array())) || 0;
    await txn.put('demo:visits', String(n + 1));
    return n + 1;
  });
  console.log(`transaction: demo:visits is now ${visits}`);
  for await (const [k, v] of db.scanPrefix('users/')) console.log(`  ${dec.decode(k)} = ${dec.decode(v)}`);
  await db.exec(`
    CREATE TABLE IF NOT EXISTS visits (id INTEGER PRIMARY KEY, at TEXT DEFAULT CURRENT_TIMESTAMP, note TEXT);
    INSERT INTO visits (note) VALUES ('demo run');
  `);
  const r = await db.executeSql('SELECT count(*) AS visits, max(at) AS last FROM visits');
  console.log(`SQL: ${r.toToon('visits_summary').replace(/\n/g, ' | ')}`);
  const s = await db.stats();
  console.log(`stats: ${s.keyCount} keys, ${s.committedTransactions} commits, ${s.abortedTransactions} aborts`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});

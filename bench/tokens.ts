// npm run bench:tokens — tokens of TOON beside compact and pretty JSON for typical ToonDB result shapes (o200k_base, cl100k_base).

import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import type { SqlValue } from '../src/executor/value.js';
import { formatResult, toToon, type ResultSet } from '../src/format/index.js';
import { seededRandom } from '../src/util/random.js';

/** A seeded generator, so every run measures the same data. */
const rng = seededRandom;

const FIRST = ['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Niklaus', 'Radia', 'Tim'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Wirth', 'Perlman', 'Berners-Lee'];
const CITIES = ['Berlin', 'Oslo', 'Lisbon', 'Kyoto', 'Austin', 'Nairobi', 'Montréal', 'São Paulo'];
const STATUS = ['pending', 'paid', 'shipped', 'delivered', 'refunded'];
const WORDS = 'the index keeps vectors and text together so a query can rank by meaning filter by metadata and return the snippet an agent needs without another round trip to storage'.split(' ');

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function isoDate(r: () => number): string {
  return new Date(Date.UTC(2024, 0, 1) + Math.floor(r() * 365 * 86400) * 1000).toISOString().slice(0, 19) + 'Z';
}

function sentence(r: () => number, n: number): string {
  return Array.from({ length: n }, () => pick(r, WORDS)).join(' ');
}

function users(n: number): ResultSet {
  const r = rng(1);
  const rows: SqlValue[][] = [];
  for (let i = 1; i <= n; i++) {
    const first = pick(r, FIRST);
    const last = pick(r, LAST);
    rows.push([i, `${first} ${last}`, `${first.toLowerCase()}.${last.toLowerCase()}${i}@example.com`, 18 + Math.floor(r() * 60), pick(r, CITIES), r() < 0.8 ? 1 : 0, isoDate(r)]);
  }
  return { columns: ['id', 'name', 'email', 'age', 'city', 'active', 'created_at'], rows };
}

function orders(n: number): ResultSet {
  const r = rng(2);
  const rows: SqlValue[][] = [];
  for (let i = 1; i <= n; i++) {
    rows.push([10_000 + i, 1 + Math.floor(r() * 500), `SKU-${String(Math.floor(r() * 9000) + 1000)}`, 1 + Math.floor(r() * 5), Math.round(r() * 20_000) / 100, pick(r, STATUS), isoDate(r)]);
  }
  return { columns: ['order_id', 'user_id', 'sku', 'qty', 'price', 'status', 'ordered_at'], rows };
}

/** Customers with a nested address, a tag list and a varying number of recent orders. */
function nested(n: number): unknown {
  const r = rng(3);
  return {
    customers: Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      name: `${pick(r, FIRST)} ${pick(r, LAST)}`,
      address: { street: `${1 + Math.floor(r() * 200)} ${pick(r, LAST)} Street`, city: pick(r, CITIES), zip: String(10_000 + Math.floor(r() * 89_999)) },
      tags: Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(r, ['vip', 'beta', 'churn-risk', 'newsletter', 'b2b'])),
      recentOrders: Array.from({ length: Math.floor(r() * 3) }, () => ({ sku: `SKU-${1000 + Math.floor(r() * 9000)}`, qty: 1 + Math.floor(r() * 4), status: pick(r, STATUS) })),
    })),
  };
}

/** Search hits as a retrieval step returns them: id, score, a metadata object and a content snippet. */
function searchHits(n: number): unknown {
  const r = rng(4);
  let score = 0.95;
  return {
    results: Array.from({ length: n }, (_, i) => {
      score -= r() * 0.01;
      return {
        id: `doc-${String(1 + Math.floor(r() * 99_999)).padStart(5, '0')}#${i}`,
        score: Math.round(score * 10_000) / 10_000,
        metadata: { source: pick(r, ['docs', 'wiki', 'tickets', 'slack']), title: sentence(r, 4), author: pick(r, FIRST), updated_at: isoDate(r) },
        content: `${sentence(r, 14)}, ${sentence(r, 10)}.`,
      };
    }),
  };
}

interface Shape {
  name: string;
  json: string;
  toon: string;
}

function resultShape(name: string, result: ResultSet, table: string): Shape {
  return { name, json: formatResult(result, 'json'), toon: formatResult(result, 'toon', { name: table }) };
}

function valueShape(name: string, value: unknown): Shape {
  return { name, json: JSON.stringify(value), toon: toToon(value) };
}

const shapes: Shape[] = [
  resultShape('users table, 100 rows', users(100), 'users'),
  resultShape('users table, 1000 rows', users(1000), 'users'),
  resultShape('orders table, 1000 rows', orders(1000), 'orders'),
  valueShape('nested customers, 100', nested(100)),
  valueShape('search hits + metadata, 20', searchHits(20)),
  valueShape('search hits + metadata, 100', searchHits(100)),
];

const ENCODINGS = [
  ['o200k_base', countO200k],
  ['cl100k_base', countCl100k],
] as const;

function savings(base: number, toon: number): string {
  return `${(((base - toon) / base) * 100).toFixed(1)}%`;
}

const header = ['shape', 'encoding', 'JSON', 'pretty JSON', 'TOON', 'vs JSON', 'vs pretty'];
const table: string[][] = [];
for (const s of shapes) {
  const pretty = JSON.stringify(JSON.parse(s.json), null, 2);
  for (const [encoding, count] of ENCODINGS) {
    const json = count(s.json);
    const prettyTokens = count(pretty);
    const toon = count(s.toon);
    table.push([s.name, encoding, String(json), String(prettyTokens), String(toon), savings(json, toon), savings(prettyTokens, toon)]);
  }
}

const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
console.log('TOON token savings (positive: TOON is smaller)\n');
console.log(line(header));
console.log(`|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const r of table) console.log(line(r));

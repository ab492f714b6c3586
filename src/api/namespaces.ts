// Namespace management behind Database: names, options, the objects a namespace holds, its description.

import { NamespaceNotFoundError, ValidationError } from '../errors.js';
import { prefixEnd } from '../storage/bytes.js';
import { CatalogView, type Catalog, type TableDef } from '../storage/catalog.js';
import type { MvccStore } from '../storage/mvcc/store.js';
import { StorageTransaction } from '../storage/mvcc/transaction.js';
import { tablePrefix } from '../storage/table-store.js';
import { Namespace, type NamespaceHost } from './namespace.js';
import { quoteLiteral } from './sql-text.js';

/** Options of createNamespace and updateNamespace (seed 003 §10). */
export interface NamespaceOptions {
  readonly displayName?: string;
  readonly labels?: Record<string, string>;
}

/** What namespaceInfo reports. */
export interface NamespaceInfo {
  readonly name: string;
  readonly displayName: string | undefined;
  readonly labels: Record<string, string>;
  /** ISO time; undefined for 'default'. */
  readonly createdAt: string | undefined;
  /** Bytes of its keys, values and table rows as stored. */
  readonly sizeBytes: number;
  readonly keys: number;
  readonly collections: string[];
  readonly tables: string[];
}

/** Refuses a name that cannot be a namespace (empty, or with a dot: `ns.t` names objects). */
export function checkNamespaceName(name: string): void {
  if (typeof name !== 'string' || name === '' || name.includes('.')) throw new ValidationError(`invalid namespace name ${JSON.stringify(name)}: a non-empty string without dots`);
}

/** The WITH / SET options of CREATE and ALTER NAMESPACE. */
export function namespaceOptionsSql(options: NamespaceOptions): string[] {
  const opts: string[] = [];
  if (options.displayName !== undefined) opts.push(`display_name = ${quoteLiteral(String(options.displayName))}`);
  if (options.labels !== undefined) opts.push(`labels = ${quoteLiteral(JSON.stringify(options.labels))}`);
  return opts;
}

/** Whether a namespace exists ('default' always does). */
export function namespaceExists(catalog: Catalog, name: string): boolean {
  return name.toLowerCase() === 'default' || new CatalogView(catalog).namespace(name) !== undefined;
}

/** The tables (collections included) of a namespace, with their names inside it. */
export function tablesOf(catalog: Catalog, ns: string): { table: TableDef; localName: string }[] {
  const prefix = ns.toLowerCase() === 'default' ? '' : `${ns.toLowerCase()}.`;
  return catalog
    .all()
    .filter((o): o is TableDef => o.kind === 'table' && (prefix === '' ? !o.name.includes('.') : o.name.toLowerCase().startsWith(prefix)))
    .map((table) => ({ table, localName: table.name.slice(prefix.length) }));
}

/** A namespace's description: labels, creation time, and what it holds (keys and rows counted). */
export async function describeNamespace(store: MvccStore, catalog: Catalog, host: NamespaceHost, name: string): Promise<NamespaceInfo> {
  const def = name.toLowerCase() === 'default' ? undefined : new CatalogView(catalog).namespace(name);
  if (!def && name.toLowerCase() !== 'default') throw new NamespaceNotFoundError(name);
  let keys = 0;
  let sizeBytes = 0;
  for await (const [k, v] of new Namespace(host, name).scan()) {
    keys++;
    sizeBytes += k.length + v.length;
  }
  const tables = tablesOf(catalog, name);
  const txn = new StorageTransaction(store, 'snapshot', true);
  try {
    for (const { table } of tables) {
      const prefix = tablePrefix(table);
      const cursor = txn.scan({ gte: prefix, lt: prefixEnd(prefix)! });
      for (let b = await cursor.nextBatch(); b.keys.length > 0; b = await cursor.nextBatch()) {
        for (let i = 0; i < b.keys.length; i++) sizeBytes += b.keys[i]!.length + b.payloads[i]!.length;
      }
      await cursor.close();
    }
  } finally {
    txn.abort();
  }
  const names = (collections: boolean) => tables.filter((t) => (t.table.collection !== undefined) === collections).map((t) => t.localName).sort();
  return {
    name,
    displayName: def?.displayName,
    labels: { ...(def?.labels ?? {}) },
    createdAt: def ? new Date(def.createdAt).toISOString() : undefined,
    sizeBytes,
    keys,
    collections: names(true),
    tables: names(false),
  };
}

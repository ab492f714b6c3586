// Namespace: a tenant's own key-value space and collections (seed 003 section 10).

import { NamespaceNotFoundError } from '../errors.js';
import type { KeyRange } from '../storage/engine.js';
import type { ScanCursor } from '../storage/mvcc/merge-scan.js';
import type { WriteSink } from '../storage/mvcc/store.js';
import type { StoredValue } from '../storage/value-format.js';
import { namespaceKvPrefix } from '../executor/statements/collection.js';
import { KvReadWriter, type KvLimits } from './kv.js';
import type { CollectionHost } from './collection.js';
import { Collection, type CollectionConfig } from './collection.js';

/** What a namespace needs from its database: key-value primitives and the collection host. */
export interface NamespaceHost extends CollectionHost {
  readonly limits: KvLimits;
  kvGet(engineKey: Uint8Array): StoredValue | undefined;
  kvScan(range: KeyRange): ScanCursor;
  kvWrite(change: (sink: WriteSink) => void): Promise<void>;
  /** Whether the namespace still exists (a dropped namespace refuses further use). */
  namespaceExists(name: string): boolean;
}

/**
 * One namespace. Its keys live under their own prefix (tag NS_KV + the namespace's name), so no
 * call on one namespace can reach another's keys; its collections are the tables `ns.name`.
 * Get one with `db.namespace(name)` or `db.getOrCreateNamespace(name)`.
 */
export class Namespace extends KvReadWriter {
  protected readonly limits: KvLimits;
  protected override readonly keySpace: Uint8Array;

  constructor(
    private readonly host: NamespaceHost,
    /** The namespace's name. */
    readonly name: string,
  ) {
    super();
    this.limits = host.limits;
    this.keySpace = namespaceKvPrefix(name);
  }

  private check(): void {
    if (!this.host.namespaceExists(this.name)) throw new NamespaceNotFoundError(this.name, { remediation: 'The namespace was deleted; create it again to use it.' });
  }

  protected kvGet(engineKey: Uint8Array): StoredValue | undefined {
    this.check();
    return this.host.kvGet(engineKey);
  }

  protected kvScan(range: KeyRange): ScanCursor {
    this.check();
    return this.host.kvScan(range);
  }

  protected kvWrite(change: (sink: WriteSink) => void): Promise<void> {
    this.check();
    return this.host.kvWrite(change);
  }

  /** Iterates this namespace's keys under `prefix` (keys come back without the namespace prefix). */
  scan(prefix: string | Uint8Array = new Uint8Array(0)): AsyncIterableIterator<[Uint8Array, Uint8Array]> {
    return this.scanPrefixUnchecked(prefix);
  }

  /** Creates a collection (CREATE COLLECTION); CollectionExistsError if the name is taken. */
  async createCollection(config: CollectionConfig): Promise<Collection> {
    this.check();
    return Collection.create(this.host, this.name, config, false);
  }

  /** The collection, creating it with `config` if absent. */
  async getOrCreateCollection(config: CollectionConfig): Promise<Collection> {
    this.check();
    return Collection.create(this.host, this.name, config, true);
  }

  /** An existing collection, or CollectionNotFoundError. */
  collection(name: string): Collection {
    this.check();
    return Collection.open(this.host, this.name, name);
  }

  /** The same as collection(name). */
  getCollection(name: string): Collection {
    return this.collection(name);
  }

  /** Names of this namespace's collections, sorted. */
  listCollections(): string[] {
    this.check();
    return this.host.collectionNames(this.name);
  }

  /** Drops a collection and its documents (DROP COLLECTION). */
  async deleteCollection(name: string): Promise<void> {
    this.check();
    await Collection.drop(this.host, this.name, name);
  }
}

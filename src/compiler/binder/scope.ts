// Name resolution: the columns visible where an expression is bound, and the enclosing queries.

import { QueryBindError, positionAt } from '../../errors.js';
import { nearest, type CatalogView } from '../../storage/catalog.js';
import type { CommonTableExpression, Identifier, ObjectName, Span } from '../ast.js';
import type { ColumnInfo } from '../bound.js';
import type { WorkTableId } from '../../planner/logical.js';

/** A WITH-clause entry visible to the query: its definition and, while bound recursively, its work table. */
export interface CteBinding {
  readonly ast: CommonTableExpression;
  /** Where it was defined: its body binds in that scope's CTE environment. */
  readonly defined: CteEnv;
  /** Set while the recursive part of a recursive CTE is being bound. */
  workTable?: { readonly id: WorkTableId; readonly schema: readonly ColumnInfo[] };
}

/** The CTEs visible at a point, innermost WITH first. */
export class CteEnv {
  constructor(
    readonly parent: CteEnv | undefined,
    readonly ctes: ReadonlyMap<string, CteBinding> = new Map(),
  ) {}

  lookup(name: string): CteBinding | undefined {
    return this.ctes.get(name.toLowerCase()) ?? this.parent?.lookup(name);
  }
}

/** What the binder needs from the statement being compiled. */
export interface BindContext {
  readonly sql: string;
  readonly catalog: CatalogView;
  /** Parameter slots: named parameters map to the slot of their first occurrence. */
  readonly params: { count: number; readonly named: Map<string, number> };
  nextWorkTableId: number;
  /** Views being expanded (to reject a view that refers to itself). */
  readonly expanding: Set<string>;
}

/** The normalized name of an identifier: unquoted names fold to lower case. */
export function identName(id: Identifier): string {
  return id.quoted ? id.name : id.name.toLowerCase();
}

/** Schema names that mean the default namespace (SQLite's main and temp, Postgres' public). */
const DEFAULT_NAMESPACES: ReadonlySet<string> = new Set(['main', 'temp', 'public', 'default']);

/**
 * The catalog name of a possibly qualified object name: `t` for a default-namespace object and
 * `ns.t` for one in namespace ns (docs/toonql.md §8.1). `fold` lower-cases unquoted names as
 * lookups do; creation keeps the spelling as written.
 */
export function qualifiedName(o: ObjectName, fold = true): string {
  const base = fold ? identName(o.name) : o.name.name;
  if (o.schema === undefined) return base;
  const ns = o.schema.quoted ? o.schema.name : o.schema.name.toLowerCase();
  return DEFAULT_NAMESPACES.has(ns.toLowerCase()) ? base : `${ns}.${base}`;
}

/** The namespace part of a catalog name ('default' when unqualified). */
export function namespaceOf(catalogName: string): string {
  const dot = catalogName.indexOf('.');
  return dot < 0 ? 'default' : catalogName.slice(0, dot);
}

/** Case-insensitive comparison of names (SQLite compares names case-insensitively even when quoted). */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Throws a bind error pointing at `span`. */
export function bindError(ctx: BindContext, message: string, span?: Span): never {
  throw new QueryBindError(message, ctx.sql, span ? positionAt(ctx.sql, span.start) : undefined);
}

/** The result of resolving a column name. */
export type Resolved =
  | { readonly kind: 'local'; readonly index: number; readonly info: ColumnInfo; readonly field?: string }
  | { readonly kind: 'outer'; readonly depth: number; readonly index: number; readonly info: ColumnInfo; readonly field?: string };

/** The columns an expression can see, with the enclosing query's scope as parent. */
export class Scope {
  /** Set when a column of an outer scope was resolved from here (the subquery is correlated). */
  correlated = false;

  constructor(
    readonly columns: readonly ColumnInfo[],
    readonly parent: Scope | undefined,
    readonly ctes: CteEnv,
    /**
     * A transparent scope has no row of its own at run time: it only marks where a subquery
     * begins (so that resolving through it flags the subquery as correlated).
     */
    readonly transparent = false,
  ) {}

  /** Resolves `table.column` or `column`, looking outward through enclosing queries. */
  resolve(ctx: BindContext, table: string | undefined, column: string, span: Span): Resolved {
    let depth = 0;
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const hit = s.transparent ? undefined : s.find(ctx, table, column, span);
      if (hit !== undefined) {
        if (depth === 0) return { kind: 'local', index: hit, info: s.columns[hit]! };
        // Every scope between here and the one that had it is correlated.
        for (let t: Scope | undefined = this; t && t !== s; t = t.parent) t.correlated = true;
        return { kind: 'outer', depth, index: hit, info: s.columns[hit]! };
      }
      if (!s.transparent) depth++;
    }
    // No column of that name: a collection's metadata field (the nearest scope with exactly one
    // collection in it, or the one the qualifier names).
    depth = 0;
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (!s.transparent) {
        const holders = s.columns.map((c, i) => [c, i] as const).filter(([c]) => c.holdsFields && (table === undefined || (c.table !== undefined && sameName(c.table, table))));
        if (holders.length === 1) {
          const [info, index] = holders[0]!;
          if (depth === 0) return { kind: 'local', index, info, field: column };
          for (let t: Scope | undefined = this; t && t !== s; t = t.parent) t.correlated = true;
          return { kind: 'outer', depth, index, info, field: column };
        }
        if (holders.length > 1) bindError(ctx, `ambiguous field name: ${column} (qualify it with the collection's name or alias)`, span);
        depth++;
      }
    }
    const all = this.columns.filter((c) => !c.hidden).map((c) => c.name);
    const hint = nearest(column, all);
    const where = table ? `${table}.${column}` : column;
    return bindError(ctx, `no such column: ${where}${hint ? ` (did you mean "${hint}"?)` : ''}`, span);
  }

  /** The position of a column in this scope only; throws when ambiguous. */
  find(ctx: BindContext, table: string | undefined, column: string, span: Span): number | undefined {
    let found: number | undefined;
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i]!;
      if (!sameName(c.name, column)) continue;
      if (table !== undefined && (c.table === undefined || !sameName(c.table, table))) continue;
      if (table === undefined && (c as ColumnInfo & { usingDuplicate?: boolean }).usingDuplicate) continue;
      if (found !== undefined) {
        if (c.hidden) continue;
        if (this.columns[found]!.hidden) {
          found = i;
          continue;
        }
        bindError(ctx, `ambiguous column name: ${column}`, span);
      }
      found = i;
    }
    return found;
  }
}

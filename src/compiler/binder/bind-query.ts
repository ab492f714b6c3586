// Binds queries: WITH, compound selects, FROM and joins, WHERE, grouping, windows, ORDER BY, LIMIT.

import type { SqlType } from '../../executor/value.js';
import type { LogicalPlan } from '../../planner/logical.js';
import { COLLECTION_COLUMNS, type TableDef } from '../../storage/catalog.js';
import { parseStatement } from '../parse.js';
import {
  assertNever,
  type CommonTableExpression,
  type Expression,
  type FromItem,
  type FunctionCall,
  type OrderingTerm,
  type QueryBody,
  type SelectCore,
  type SelectStatement,
  type WindowSpec,
} from '../ast.js';
import { constant, type AggregateCall, type BoundExpr, type ColumnInfo, type SortKey, type WindowCall, type WindowFrameSpec } from '../bound.js';
import { bindExpr, type CallCollector, type ExprOptions } from './bind-expr.js';
import { rewriteOverAggregate, rewriteWindowMarkers } from './rewrite-aggregate.js';
import { bindSearchFunction, isSearchFunction } from './bind-search.js';
import { CteEnv, Scope, bindError, identName, qualifiedName, sameName, type BindContext, type CteBinding } from './scope.js';

const KV_COLUMNS: { name: string; type: SqlType }[] = [
  { name: 'key', type: 'text' },
  { name: 'value', type: 'any' },
  { name: 'expires_at', type: 'timestamp' },
];

/** Table-valued functions and their output columns. */
const TABLE_FUNCTIONS: Record<string, { name: string; type: SqlType }[]> = {
  generate_series: [{ name: 'value', type: 'integer' }],
  /** The key-value space (§10.3): key and value as text (blob when not UTF-8), and the expiry. */
  kv_scan: KV_COLUMNS,
  kv_range: KV_COLUMNS,
  kv_get: KV_COLUMNS,
};

/**
 * Arguments of the table functions: positional ones first, then named ones (name => value, in
 * any order), bound to positions after the positional ones; a missing argument is NULL.
 */
const TABLE_FUNCTION_ARGS: Record<string, { positional: readonly string[]; optional: number; named: readonly string[] }> = {
  generate_series: { positional: ['start', 'stop', 'step'], optional: 1, named: [] },
  kv_scan: { positional: ['prefix'], optional: 0, named: ['namespace', 'reverse'] },
  kv_range: { positional: ['start', 'stop'], optional: 0, named: ['namespace'] },
  kv_get: { positional: ['key', 'namespace'], optional: 1, named: [] },
};

/** Output columns of a table scan: the table's columns, then hidden rowid and row-key columns. */
export function scanSchema(table: TableDef, alias: string): ColumnInfo[] {
  const cols: ColumnInfo[] = table.columns.map((c) => ({ name: c.name, table: alias, type: c.type, ...(c.collation ? { collation: c.collation.toUpperCase() } : {}) }));
  if (table.collection) cols[COLLECTION_COLUMNS.metadata] = { ...cols[COLLECTION_COLUMNS.metadata]!, holdsFields: true };
  cols.push({ name: 'rowid', table: alias, type: 'integer', hidden: true });
  cols.push({ name: '__key', table: alias, type: 'blob', hidden: true });
  return cols;
}

/** Binds a query in an outer scope (undefined for a top-level query). */
export function bindQuery(q: SelectStatement, outer: Scope | undefined, ctes: CteEnv, ctx: BindContext): LogicalPlan {
  const env = q.with ? withEnv(q, ctes) : ctes;
  // ORDER BY and LIMIT of a compound or plain query.
  if (q.body.kind === 'SelectCore') return bindCore(q.body, q, outer, env, ctx);
  let plan = bindBody(q.body, outer, env, ctx);
  if (q.orderBy.length > 0) {
    const keys = q.orderBy.map((t) => sortKey(t, bindOutputRef(t.expr, plan.schema, outer, env, ctx)));
    plan = { kind: 'Sort', input: plan, keys, schema: plan.schema };
  }
  return limitOf(q, plan, outer, env, ctx);
}

function withEnv(q: SelectStatement, ctes: CteEnv): CteEnv {
  const map = new Map<string, CteBinding>();
  const env = new CteEnv(ctes, map);
  for (const cte of q.with!.ctes) map.set(identName(cte.name).toLowerCase(), { ast: cte, defined: q.with!.recursive ? env : new CteEnv(ctes, new Map(map)) });
  return env;
}

function bindBody(body: QueryBody, outer: Scope | undefined, ctes: CteEnv, ctx: BindContext): LogicalPlan {
  switch (body.kind) {
    case 'SelectStatement':
      return bindQuery(body, outer, ctes, ctx);
    case 'SelectCore':
      return bindCore(body, undefined, outer, ctes, ctx);
    case 'ValuesClause': {
      const scope = new Scope([], outer, ctes);
      const opts = exprOpts(ctx, ctes, 'VALUES');
      const rows = body.rows.map((r) => r.map((e) => bindExpr(e, scope, ctx, opts)));
      const width = rows[0]?.length ?? 0;
      if (rows.some((r) => r.length !== width)) bindError(ctx, 'all VALUES must have the same number of terms', body.span);
      const schema = Array.from({ length: width }, (_, i) => ({ name: `column${i + 1}`, table: undefined, type: rows[0]![i]!.type }));
      return { kind: 'Values', rows, schema };
    }
    case 'CompoundSelect': {
      const left = bindBody(body.left, outer, ctes, ctx);
      const right = bindBody(body.right, outer, ctes, ctx);
      if (left.schema.length !== right.schema.length) {
        bindError(ctx, `SELECTs to the left and right of ${body.op} do not have the same number of result columns`, body.span);
      }
      const [op, all] = body.op.split(' ') as ['UNION' | 'INTERSECT' | 'EXCEPT', string | undefined];
      return { kind: 'SetOp', op, all: all === 'ALL', left, right, schema: left.schema.map((c) => ({ ...c, hidden: false })) };
    }
    default:
      return assertNever(body);
  }
}

/** Expression options for a clause without aggregates. */
function exprOpts(ctx: BindContext, ctes: CteEnv, clause: string, calls?: CallCollector): ExprOptions {
  return {
    clause,
    calls,
    bindSubquery: (query, scope) => {
      const inner = new Scope([], scope, ctes, true);
      const plan = bindQuery(query, inner, ctes, ctx);
      return { plan, correlated: inner.correlated };
    },
  };
}

function limitOf(q: SelectStatement, plan: LogicalPlan, outer: Scope | undefined, ctes: CteEnv, ctx: BindContext): LogicalPlan {
  if (!q.limit && !q.offset) return plan;
  const scope = new Scope([], outer, ctes);
  const opts = exprOpts(ctx, ctes, 'LIMIT');
  const limit = q.limit ? bindExpr(q.limit, scope, ctx, opts) : undefined;
  const offset = q.offset ? bindExpr(q.offset, scope, ctx, opts) : undefined;
  return { kind: 'Limit', input: plan, limit, offset, schema: plan.schema };
}

function sortKey(t: OrderingTerm, expr: BoundExpr): SortKey {
  const desc = t.direction === 'DESC';
  const collation = expr.kind === 'Collate' ? expr.collation : expr.kind === 'Column' ? expr.collation : undefined;
  return { expr, desc, nullsFirst: t.nulls ? t.nulls === 'FIRST' : !desc, ...(collation ? { collation } : {}) };
}

/** ORDER BY of a compound query: an output column by position or name. */
function bindOutputRef(e: Expression, schema: readonly ColumnInfo[], outer: Scope | undefined, ctes: CteEnv, ctx: BindContext): BoundExpr {
  if (e.kind === 'IntegerLiteral') {
    const n = Number(e.value);
    if (n < 1 || n > schema.length) bindError(ctx, `ORDER BY term out of range - should be between 1 and ${schema.length}`, e.span);
    return { kind: 'Column', index: n - 1, type: schema[n - 1]!.type, name: schema[n - 1]!.name };
  }
  const scope = new Scope(schema.map((c) => ({ ...c, table: undefined })), outer, ctes);
  return bindExpr(e, scope, ctx, exprOpts(ctx, ctes, 'ORDER BY'));
}

// ------------------------------------------------------------------------------------------
// SELECT core
// ------------------------------------------------------------------------------------------

function bindCore(core: SelectCore, stmt: SelectStatement | undefined, outer: Scope | undefined, ctes: CteEnv, ctx: BindContext): LogicalPlan {
  let plan: LogicalPlan = core.from ? bindFrom(core.from, outer, ctes, ctx) : { kind: 'OneRow', schema: [] };
  const scope = new Scope(plan.schema, outer, ctes);
  if (core.where) {
    const predicate = bindExpr(core.where, scope, ctx, exprOpts(ctx, ctes, 'WHERE'));
    plan = { kind: 'Filter', input: plan, predicate, schema: plan.schema };
  }
  // Select list, HAVING and ORDER BY are bound over the FROM row; aggregate and window calls are
  // collected on the way and replaced by markers, rewritten once the Aggregate/Window nodes exist.
  const named = new Map(core.windows.map((w) => [identName(w.name).toLowerCase(), w.spec]));
  const calls = collector(named, ctx, ctes);
  const opts = exprOpts(ctx, ctes, 'the select list', calls);
  const items: { expr: BoundExpr; name: string; table: string | undefined }[] = [];
  const distance = distancePseudoColumn(stmt, plan.schema);
  for (const original of core.columns) {
    const item = distance && original.kind === 'SelectColumn' ? { ...original, expr: replaceDistance(original.expr, distance) } : original;
    if (item.kind === 'SelectStar') {
      const qual = item.qualifier.length > 0 ? identName(item.qualifier[item.qualifier.length - 1]!) : undefined;
      let any = false;
      plan.schema.forEach((c, i) => {
        if (c.hidden || (c as ColumnInfo & { usingDuplicate?: boolean }).usingDuplicate) return;
        if (qual !== undefined && (c.table === undefined || !sameName(c.table, qual))) return;
        any = true;
        items.push({ expr: { kind: 'Column', index: i, type: c.type, name: c.name }, name: c.name, table: c.table });
      });
      if (!any && qual !== undefined) bindError(ctx, `no such table: ${qual}`, item.span);
      if (!any && qual === undefined && core.from) bindError(ctx, 'no columns to select', item.span);
      continue;
    }
    const expr = bindExpr(item.expr, scope, ctx, opts);
    const name = item.alias ? item.alias.name : outputName(original.kind === 'SelectColumn' ? original.expr : item.expr, ctx.sql);
    items.push({ expr, name, table: expr.kind === 'Column' ? plan.schema[expr.index]?.table : undefined });
  }
  const groupOpts = exprOpts(ctx, ctes, 'GROUP BY');
  const groupBy = core.groupBy.map((g) => {
    // GROUP BY may name a select-list alias or position (SQLite, Postgres, MySQL all allow it).
    if (g.kind === 'IntegerLiteral' && Number(g.value) >= 1 && Number(g.value) <= items.length) return items[Number(g.value) - 1]!.expr;
    if (g.kind === 'ColumnRef' && !g.table) {
      const alias = core.columns.findIndex((c) => c.kind === 'SelectColumn' && c.alias && sameName(c.alias.name, g.column.name));
      if (alias >= 0 && scope.find(ctx, undefined, identName(g.column), g.span) === undefined) return items[alias]!.expr;
    }
    return bindExpr(g, scope, ctx, groupOpts);
  });
  const having = core.having ? bindExprOrAlias(core.having, scope, ctx, { ...opts, clause: 'HAVING' }, core) : undefined;
  // ORDER BY terms: positions and aliases name select items; anything else binds over the FROM row.
  const orderTerms = stmt?.orderBy ?? [];
  const order = orderTerms.map((t) => {
    const e = t.expr;
    if (e.kind === 'IntegerLiteral') {
      const n = Number(e.value);
      if (n < 1 || n > items.length) bindError(ctx, `ORDER BY term out of range - should be between 1 and ${items.length}`, e.span);
      return { term: t, item: n - 1, expr: undefined };
    }
    if (e.kind === 'ColumnRef' && !e.table) {
      const alias = items.findIndex((it, i) => {
        const c = core.columns[i];
        return c?.kind === 'SelectColumn' && c.alias !== undefined && sameName(it.name, e.column.name);
      });
      if (alias >= 0) return { term: t, item: alias, expr: undefined };
    }
    const bound = bindExprOrAlias(e, scope, ctx, { ...opts, clause: 'ORDER BY' }, core);
    return { term: t, item: -1, expr: bound };
  });

  const aggregating = groupBy.length > 0 || calls.aggregates.length > 0;
  let exprs = items.map((i) => i.expr);
  let havingExpr = having;
  let orderExprs = order.map((o) => o.expr);
  if (aggregating) {
    const winExprs = calls.windows.map(windowExprs);
    const agg = rewriteOverAggregate(plan, groupBy, calls.aggregates, [...exprs, ...(havingExpr ? [havingExpr] : []), ...orderExprs.filter((x): x is BoundExpr => !!x), ...winExprs.flat()]);
    plan = agg.plan;
    let k = 0;
    exprs = exprs.map(() => agg.exprs[k++]!);
    if (havingExpr) havingExpr = agg.exprs[k++]!;
    orderExprs = orderExprs.map((x) => (x ? agg.exprs[k++]! : undefined));
    calls.windows.forEach((w, i) => {
      calls.windows[i] = withWindowExprs(w, winExprs[i]!.map(() => agg.exprs[k++]!));
    });
    if (havingExpr) plan = { kind: 'Filter', input: plan, predicate: havingExpr, schema: plan.schema };
  } else if (having) {
    bindError(ctx, 'a GROUP BY clause is required before HAVING', core.having!.span);
  }
  if (calls.windows.length > 0) {
    const win = rewriteWindowMarkers(plan, calls.windows, [...exprs, ...orderExprs.filter((x): x is BoundExpr => !!x)]);
    plan = win.plan;
    let k = 0;
    exprs = exprs.map(() => win.exprs[k++]!);
    orderExprs = orderExprs.map((x) => (x ? win.exprs[k++]! : undefined));
  }
  // Project the select items plus any ORDER BY expressions that are not select items.
  const extra: BoundExpr[] = [];
  const keys: SortKey[] = order.map((o, i) => {
    if (o.item >= 0) return sortKey(o.term, { kind: 'Column', index: o.item, type: items[o.item]!.expr.type, name: items[o.item]!.name });
    const ex = orderExprs[i]!;
    const same = exprs.findIndex((x) => JSON.stringify(x) === JSON.stringify(ex));
    if (same >= 0) return sortKey(o.term, { kind: 'Column', index: same, type: ex.type, name: items[same]!.name });
    extra.push(ex);
    return sortKey(o.term, { kind: 'Column', index: items.length + extra.length - 1, type: ex.type, name: '' });
  });
  const schema: ColumnInfo[] = items.map((it) => ({ name: it.name, table: it.table, type: it.expr.type }));
  const projected: LogicalPlan = {
    kind: 'Project',
    input: plan,
    exprs: [...exprs, ...extra],
    schema: [...schema, ...extra.map((x, i) => ({ name: `__order${i}`, table: undefined, type: x.type, hidden: true }))],
  };
  plan = projected;
  if (core.distinct) {
    if (extra.length > 0) bindError(ctx, 'for SELECT DISTINCT, ORDER BY expressions must appear in the select list', orderTerms[0]!.span);
    plan = { kind: 'Distinct', input: plan, schema: plan.schema };
  }
  if (keys.length > 0) plan = { kind: 'Sort', input: plan, keys, schema: plan.schema };
  if (stmt) plan = limitOf(stmt, plan, outer, ctes, ctx);
  if (extra.length > 0) {
    plan = { kind: 'Project', input: plan, exprs: schema.map((c, i) => ({ kind: 'Column', index: i, type: c.type, name: c.name })), schema };
  }
  return plan;
}

/**
 * The `distance` pseudo-column (docs/toonql.md §11.3): in a query block whose first ORDER BY key
 * is a distance operator expression, `distance` names that expression, unless a FROM item has a
 * real column called distance.
 */
function distancePseudoColumn(stmt: SelectStatement | undefined, schema: readonly ColumnInfo[]): Expression | undefined {
  const first = stmt?.orderBy[0]?.expr;
  if (!first || first.kind !== 'BinaryExpression' || (first.op !== '<->' && first.op !== '<=>' && first.op !== '<#>')) return undefined;
  if (schema.some((c) => sameName(c.name, 'distance'))) return undefined;
  return first;
}

/** Replaces unqualified references to `distance` in a select item with the distance expression. */
function replaceDistance(e: Expression, distance: Expression): Expression {
  const visit = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object' || x instanceof Uint8Array) return x;
    if (Array.isArray(x)) return x.map(visit);
    const node = x as Record<string, unknown>;
    if (node.kind === 'ColumnRef') {
      const ref = node as unknown as Extract<Expression, { kind: 'ColumnRef' }>;
      if (!ref.table && sameName(identName(ref.column), 'distance')) return distance;
      return x;
    }
    // Subqueries are their own query blocks.
    if (node.kind === 'SubqueryExpression' || node.kind === 'ExistsExpression') return x;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === 'span' ? v : visit(v);
    return out;
  };
  return visit(e) as Expression;
}

/**
 * Binds an ORDER BY or HAVING expression. A bare name that is not a column of FROM but is a
 * select-list alias stands for the aliased expression (SQLite and MySQL allow this).
 */
function bindExprOrAlias(e: Expression, scope: Scope, ctx: BindContext, opts: ExprOptions, core: SelectCore): BoundExpr {
  const aliases = new Map<string, Expression>();
  core.columns.forEach((c) => {
    if (c.kind === 'SelectColumn' && c.alias) aliases.set(c.alias.name.toLowerCase(), c.expr);
  });
  const substitute = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object' || x instanceof Uint8Array) return x;
    if (Array.isArray(x)) return x.map(substitute);
    const node = x as Record<string, unknown>;
    if (node.kind === 'SelectStatement') return x; // names inside subqueries resolve there
    if (node.kind === 'ColumnRef' && !node.table) {
      const ref = x as Extract<Expression, { kind: 'ColumnRef' }>;
      const alias = aliases.get(ref.column.name.toLowerCase());
      if (alias && scope.find(ctx, undefined, identName(ref.column), ref.span) === undefined) return alias;
      return x;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === 'span' ? v : substitute(v);
    return out;
  };
  return bindExpr(aliases.size > 0 ? (substitute(e) as Expression) : e, scope, ctx, opts);
}

/** The output name of an unaliased select item: a column's name, else the expression's text. */
function outputName(e: Expression, sql: string): string {
  if (e.kind === 'ColumnRef') return e.column.name;
  return sql.slice(e.span.start, e.span.end);
}

function collector(named: Map<string, WindowSpec>, ctx: BindContext, ctes: CteEnv): CallCollector {
  const aggregates: AggregateCall[] = [];
  const windows: WindowCall[] = [];
  const self: CallCollector = {
    aggregates,
    windows,
    bindWindow: (call: FunctionCall, scope, bound) => {
      let spec: WindowSpec;
      if (call.over!.kind === 'Identifier') {
        const s = named.get(identName(call.over!).toLowerCase());
        if (!s) bindError(ctx, `no such window: ${call.over!.name}`, call.span);
        spec = s;
      } else spec = call.over!;
      if (spec.base) {
        const base = named.get(identName(spec.base).toLowerCase());
        if (!base) bindError(ctx, `no such window: ${spec.base.name}`, spec.span);
        spec = { ...spec, partitionBy: base.partitionBy, orderBy: spec.orderBy.length > 0 ? spec.orderBy : base.orderBy, frame: spec.frame ?? base.frame };
      }
      // Aggregates may appear inside a window definition (rank() OVER (ORDER BY sum(x))).
      const opts = exprOpts(ctx, ctes, 'a window definition', self);
      const partitionBy = spec.partitionBy.map((e) => bindExpr(e, scope, ctx, opts));
      const orderBy = spec.orderBy.map((t) => sortKey(t, bindExpr(t.expr, scope, ctx, opts)));
      return { ...bound, partitionBy, orderBy, frame: frameOf(spec, scope, ctx, opts, orderBy.length > 0) };
    },
  };
  return self;
}

/** Every expression inside a window call, in a fixed order (for rewriting them together). */
function windowExprs(w: WindowCall): BoundExpr[] {
  return [...w.args, ...w.partitionBy, ...w.orderBy.map((k) => k.expr), ...(w.filter ? [w.filter] : [])];
}

/** A window call with its expressions replaced, in windowExprs order. */
function withWindowExprs(w: WindowCall, xs: BoundExpr[]): WindowCall {
  let k = 0;
  const take = () => xs[k++]!;
  const args = w.args.map(take);
  const partitionBy = w.partitionBy.map(take);
  const orderBy = w.orderBy.map((o) => ({ ...o, expr: take() }));
  const filter = w.filter ? take() : undefined;
  return { ...w, args, partitionBy, orderBy, filter };
}

function frameOf(spec: WindowSpec, scope: Scope, ctx: BindContext, opts: ExprOptions, ordered: boolean): WindowFrameSpec {
  const f = spec.frame;
  if (!f) {
    return ordered
      ? { units: 'RANGE', start: { type: 'UNBOUNDED PRECEDING' }, end: { type: 'CURRENT ROW' }, implicit: true }
      : { units: 'ROWS', start: { type: 'UNBOUNDED PRECEDING' }, end: { type: 'UNBOUNDED FOLLOWING' }, implicit: true };
  }
  const edge = (b: NonNullable<typeof f.end>): WindowFrameSpec['start'] =>
    b.type === 'PRECEDING' || b.type === 'FOLLOWING' ? { type: b.type, offset: bindExpr(b.offset!, scope, ctx, opts) } : { type: b.type };
  return { units: f.units, start: edge(f.start), end: f.end ? edge(f.end) : { type: 'CURRENT ROW' }, implicit: false };
}

// ------------------------------------------------------------------------------------------
// FROM
// ------------------------------------------------------------------------------------------

function relabel(plan: LogicalPlan, alias: string | undefined, columnAliases: readonly string[]): LogicalPlan {
  if (alias === undefined && columnAliases.length === 0) return plan;
  const schema = plan.schema.map((c, i) => ({ ...c, table: alias ?? c.table, name: columnAliases[i] ?? c.name }));
  return { ...plan, schema } as LogicalPlan;
}

/** Binds a FROM item on its own (UPDATE … FROM). */
export function bindFromItem(item: FromItem, ctx: BindContext): LogicalPlan {
  return bindFrom(item, undefined, new CteEnv(undefined), ctx);
}

function bindFrom(item: FromItem, outer: Scope | undefined, ctes: CteEnv, ctx: BindContext): LogicalPlan {
  switch (item.kind) {
    case 'TableRef': {
      const name = qualifiedName(item.name);
      const alias = item.alias ? identName(item.alias) : item.name.name.name;
      const colAliases = item.columnAliases.map(identName);
      const cte = item.name.schema ? undefined : ctes.lookup(name);
      if (cte) return relabel(bindCte(cte, ctx), alias, colAliases);
      const obj = ctx.catalog.get(name);
      if (obj?.kind === 'view') {
        const key = name.toLowerCase();
        if (ctx.expanding.has(key)) bindError(ctx, `view ${name} refers to itself`, item.span);
        ctx.expanding.add(key);
        try {
          const stmt = parseStatement(obj.sql);
          if (stmt.kind !== 'SelectStatement') bindError(ctx, `view ${name} is not a query`, item.span);
          const inner: BindContext = { ...ctx, sql: obj.sql };
          const plan = bindQuery(stmt, undefined, new CteEnv(undefined), inner);
          return relabel(plan, alias, colAliases.length > 0 ? colAliases : (obj.columns ?? []));
        } finally {
          ctx.expanding.delete(key);
        }
      }
      const table = ctx.catalog.table(name);
      const plan: LogicalPlan = { kind: 'Scan', table, indexes: ctx.catalog.indexesOf(table.name), alias, schema: scanSchema(table, alias) };
      return colAliases.length > 0 ? relabel(plan, alias, colAliases) : plan;
    }
    case 'SubqueryRef': {
      const plan = bindQuery(item.query, undefined, ctes, ctx);
      const visible: LogicalPlan = plan.schema.some((c) => c.hidden) ? plan : plan;
      return relabel(visible, item.alias ? identName(item.alias) : undefined, item.columnAliases.map(identName));
    }
    case 'TableFunctionRef': {
      const name = item.call.name.name.name.toLowerCase();
      const scope = new Scope([], outer, ctes);
      if (isSearchFunction(name)) return bindSearchFunction(item, scope, ctx, exprOpts(ctx, ctes, 'a search function'));
      const columns = TABLE_FUNCTIONS[name];
      const sig = TABLE_FUNCTION_ARGS[name];
      if (!columns || !sig) bindError(ctx, `no such table function: ${name}`, item.span);
      const args = tableFunctionArgs(item.call, name, sig, ctx).map((a) => (a ? bindExpr(a, scope, ctx, exprOpts(ctx, ctes, 'a table function')) : constant(null, 'null')));
      const alias = item.alias ? identName(item.alias) : name;
      const schema = columns.map((c, i) => ({ name: item.columnAliases[i] ? identName(item.columnAliases[i]!) : c.name, table: alias, type: c.type }));
      return { kind: 'TableFunction', name, args, schema };
    }
    case 'JoinClause':
      return bindJoin(item, outer, ctes, ctx);
    default:
      return assertNever(item);
  }
}

/** A table function's arguments in signature order (named ones placed), undefined where omitted. */
function tableFunctionArgs(call: FunctionCall, name: string, sig: (typeof TABLE_FUNCTION_ARGS)[string], ctx: BindContext): (Expression | undefined)[] {
  const out: (Expression | undefined)[] = new Array(sig.positional.length + sig.named.length).fill(undefined);
  let positional = 0;
  call.args.forEach((a, i) => {
    const argName = call.argNames?.[i];
    if (argName === undefined) {
      if (positional >= sig.positional.length) bindError(ctx, `${name}() takes at most ${sig.positional.length} positional arguments`, a.span);
      out[positional++] = a;
      return;
    }
    const n = identName(argName).toLowerCase();
    const at = sig.named.indexOf(n);
    if (at < 0) bindError(ctx, `${name}() has no argument named ${n}${sig.named.length > 0 ? ` (it takes ${sig.named.join(', ')})` : ''}`, argName.span);
    if (out[sig.positional.length + at] !== undefined) bindError(ctx, `${name}(): ${n} is given twice`, argName.span);
    out[sig.positional.length + at] = a;
  });
  if (positional < sig.positional.length - sig.optional) bindError(ctx, `${name}() needs ${sig.positional.slice(0, sig.positional.length - sig.optional).join(', ')}`, call.span);
  while (out.length > 0 && out[out.length - 1] === undefined) out.pop();
  return out;
}

/**
 * FROM a JOIN LATERAL (subquery | function) b: b is bound in a scope that sees a's columns, and
 * runs once per row of a (docs/toonql.md §6.1).
 */
function bindLateralJoin(j: Extract<FromItem, { kind: 'JoinClause' }>, outer: Scope | undefined, ctes: CteEnv, ctx: BindContext): LogicalPlan {
  if (j.joinType !== 'INNER' && j.joinType !== 'LEFT' && j.joinType !== 'CROSS') bindError(ctx, `LATERAL works with INNER, LEFT or CROSS joins, not ${j.joinType}`, j.right.span);
  if (j.natural || j.using.length > 0) bindError(ctx, 'a LATERAL join takes ON, not NATURAL or USING', j.span);
  const left = bindFrom(j.left, outer, ctes, ctx);
  const leftScope = new Scope(left.schema, outer, ctes);
  const item = j.right as Extract<FromItem, { kind: 'SubqueryRef' | 'TableFunctionRef' }>;
  let right: LogicalPlan;
  if (item.kind === 'SubqueryRef') {
    const inner = new Scope([], leftScope, ctes, true);
    right = relabel(bindQuery(item.query, inner, ctes, ctx), item.alias ? identName(item.alias) : undefined, item.columnAliases.map(identName));
  } else {
    right = bindFrom(item, leftScope, ctes, ctx);
  }
  const schema = [...left.schema, ...right.schema];
  const condition = j.on ? bindExpr(j.on, new Scope(schema, outer, ctes), ctx, exprOpts(ctx, ctes, 'ON')) : undefined;
  return { kind: 'LateralJoin', joinType: j.joinType === 'LEFT' ? 'LEFT' : 'INNER', left, right, condition, schema };
}

function bindJoin(j: Extract<FromItem, { kind: 'JoinClause' }>, outer: Scope | undefined, ctes: CteEnv, ctx: BindContext): LogicalPlan {
  if ((j.right.kind === 'SubqueryRef' || j.right.kind === 'TableFunctionRef') && j.right.lateral) return bindLateralJoin(j, outer, ctes, ctx);
  const left = bindFrom(j.left, outer, ctes, ctx);
  const right = bindFrom(j.right, outer, ctes, ctx);
  const lw = left.schema.length;
  let schema: ColumnInfo[] = [...left.schema, ...right.schema];
  const scope = new Scope(schema, outer, ctes);
  let condition: BoundExpr | undefined;
  let usingCols: string[] = j.using.map((u) => u.name);
  if (j.natural) {
    usingCols = left.schema.filter((c) => !c.hidden && right.schema.some((r) => !r.hidden && sameName(r.name, c.name))).map((c) => c.name);
  }
  if (usingCols.length > 0) {
    const conds: BoundExpr[] = [];
    for (const name of usingCols) {
      const li = left.schema.findIndex((c) => !c.hidden && sameName(c.name, name));
      const ri = right.schema.findIndex((c) => !c.hidden && sameName(c.name, name));
      if (li < 0 || ri < 0) bindError(ctx, `cannot join using column ${name} - column not present in both tables`, j.span);
      conds.push({
        kind: 'Binary',
        op: '=',
        left: { kind: 'Column', index: li, type: left.schema[li]!.type, name },
        right: { kind: 'Column', index: lw + ri, type: right.schema[ri]!.type, name },
        type: 'boolean',
      });
      schema[lw + ri] = { ...schema[lw + ri]!, usingDuplicate: true } as ColumnInfo;
    }
    condition = conds.reduce((a, b) => ({ kind: 'Binary', op: 'AND', left: a, right: b, type: 'boolean' }));
  } else if (j.on) {
    condition = bindExpr(j.on, scope, ctx, exprOpts(ctx, ctes, 'ON'));
  }
  const joinType = j.joinType === 'CROSS' && condition ? 'INNER' : j.joinType;
  schema = [...schema];
  return { kind: 'Join', joinType, left, right, condition, schema };
}

/** Binds a reference to a CTE: its body inlined, or the recursion's work table. */
function bindCte(cte: CteBinding, ctx: BindContext): LogicalPlan {
  if (cte.workTable) return { kind: 'WorkTable', workTable: cte.workTable.id, schema: cte.workTable.schema };
  const ast = cte.ast;
  const names = ast.columns.map(identName);
  const body = ast.query.body;
  const selfRef = isRecursive(ast);
  if (selfRef && body.kind === 'CompoundSelect' && (body.op === 'UNION' || body.op === 'UNION ALL')) {
    const anchor = bindBody(body.left, undefined, cte.defined, ctx);
    const schema: ColumnInfo[] = anchor.schema.map((c, i) => ({ name: names[i] ?? c.name, table: undefined, type: c.type as SqlType }));
    const id = { id: ctx.nextWorkTableId++, name: ast.name.name };
    cte.workTable = { id, schema };
    try {
      const recursive = bindBody(body.right, undefined, cte.defined, ctx);
      return { kind: 'RecursiveCte', workTable: id, anchor, recursive, unionAll: body.op === 'UNION ALL', schema };
    } finally {
      cte.workTable = undefined;
    }
  }
  const plan = bindQuery(ast.query, undefined, cte.defined, ctx);
  return relabel(plan, undefined, names);
}

function isRecursive(cte: CommonTableExpression): boolean {
  const target = identName(cte.name).toLowerCase();
  let found = false;
  const visit = (x: unknown): void => {
    if (found || x === null || typeof x !== 'object') return;
    const node = x as { kind?: string; name?: { schema?: unknown; name?: { name: string; quoted: boolean } } };
    if (node.kind === 'TableRef' && node.name?.name && !node.name.schema && identName(node.name.name as never).toLowerCase() === target) {
      found = true;
      return;
    }
    for (const v of Object.values(x)) visit(v);
  };
  visit(cte.query.body);
  return found;
}

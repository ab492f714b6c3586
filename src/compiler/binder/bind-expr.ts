// Binds AST expressions: resolves names and functions, numbers parameters, and computes static types.

import { lookupAggregate } from '../../executor/aggregates/registry.js';
import { lookupScalar } from '../../executor/functions/registry.js';
import type { SqlType } from '../../executor/value.js';
import { arithResultType, castResultType } from '../../executor/value-ops.js';
import { assertNever, type Expression, type FunctionCall, type SelectStatement } from '../ast.js';
import type { AggregateCall, BoundBinaryOp, BoundExpr, SortKey, WindowCall } from '../bound.js';
import type { LogicalPlan } from '../../planner/logical.js';
import { KV_SCALAR_FUNCTIONS, kvCallExpression } from './kv-functions.js';
import { bindError, identName, type BindContext, type Scope } from './scope.js';

/** Collects aggregate and window calls met while binding a select list, HAVING or ORDER BY. */
export interface CallCollector {
  readonly aggregates: AggregateCall[];
  readonly windows: WindowCall[];
  /** Binds a window's OVER clause (provided by the query binder, which knows named windows). */
  bindWindow(call: FunctionCall, scope: Scope, bound: { name: string; args: BoundExpr[]; distinct: boolean; filter: BoundExpr | undefined; type: SqlType }): WindowCall;
}

/** Binds a query used inside an expression (provided by the query binder; avoids an import cycle). */
export type SubqueryBinder = (query: SelectStatement, scope: Scope) => { plan: LogicalPlan; correlated: boolean };

/** Options of bindExpr. */
export interface ExprOptions {
  /** Where aggregate and window calls are allowed, the collector that receives them. */
  readonly calls?: CallCollector;
  readonly bindSubquery: SubqueryBinder;
  /** Where the expression is (for messages like "aggregate functions are not allowed in WHERE"). */
  readonly clause: string;
}

/** A marker for the k-th collected aggregate (k-th window call), replaced once the plan has it. */
export function callMarker(kind: '$agg' | '$win', k: number, type: SqlType): BoundExpr {
  return { kind: 'Call', name: kind, args: [{ kind: 'Const', value: k, type: 'integer' }], type, deterministic: true };
}

const COMPARISON: Record<string, BoundBinaryOp> = { '=': '=', '<>': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=', IS: 'IS', 'IS NOT': 'IS NOT' };

/** Binds one expression in a scope. */
export function bindExpr(e: Expression, scope: Scope, ctx: BindContext, opts: ExprOptions): BoundExpr {
  const b = (x: Expression) => bindExpr(x, scope, ctx, opts);
  switch (e.kind) {
    case 'IntegerLiteral':
      return { kind: 'Const', value: e.value, type: 'integer' };
    case 'RealLiteral':
      return { kind: 'Const', value: e.value, type: 'real' };
    case 'StringLiteral':
      return { kind: 'Const', value: e.value, type: 'text' };
    case 'BlobLiteral':
      return { kind: 'Const', value: e.value, type: 'blob' };
    case 'NullLiteral':
      return { kind: 'Const', value: null, type: 'null' };
    case 'BooleanLiteral':
      return { kind: 'Const', value: e.value ? 1 : 0, type: 'boolean' };
    case 'CurrentTimeLiteral':
      return { kind: 'CurrentTime', which: e.which, type: 'text' };
    case 'IntervalLiteral':
      return { kind: 'Const', value: e.unit ? `${e.value} ${e.unit}` : e.value, type: 'text' };
    case 'Parameter':
      return { kind: 'Param', slot: paramSlot(e, ctx), type: 'any' };
    case 'ColumnRef': {
      const r = scope.resolve(ctx, e.table ? identName(e.table) : undefined, identName(e.column), e.span);
      if (r.field !== undefined) {
        // A metadata field: metadata ->> 'field'.
        const holder: BoundExpr = r.kind === 'local' ? { kind: 'Column', index: r.index, type: r.info.type, name: r.info.name } : { kind: 'OuterColumn', depth: r.depth, index: r.index, type: r.info.type, name: r.info.name };
        return { kind: 'Binary', op: '->>', left: holder, right: { kind: 'Const', value: r.field, type: 'text' }, type: 'any' };
      }
      if (r.kind === 'local') return { kind: 'Column', index: r.index, type: r.info.type, name: r.info.name, ...(r.info.collation ? { collation: r.info.collation } : {}) };
      return { kind: 'OuterColumn', depth: r.depth, index: r.index, type: r.info.type, name: r.info.name };
    }
    case 'UnaryExpression': {
      const operand = b(e.operand);
      if (e.op === 'NOT') return { kind: 'Unary', op: 'NOT', operand, type: 'boolean' };
      if (e.op === '~') return { kind: 'Unary', op: '~', operand, type: 'integer' };
      const type: SqlType = operand.type === 'integer' || operand.type === 'real' ? operand.type : operand.type === 'boolean' ? 'integer' : 'any';
      if (e.op === '-' && operand.kind === 'Const' && (typeof operand.value === 'number' || typeof operand.value === 'bigint')) {
        return { kind: 'Const', value: -operand.value as number, type: operand.type };
      }
      return { kind: 'Unary', op: e.op, operand, type };
    }
    case 'BinaryExpression': {
      // value ± INTERVAL '…' is date arithmetic, not addition of numbers.
      if ((e.op === '+' || e.op === '-') && e.right.kind === 'IntervalLiteral') {
        const text: BoundExpr = { kind: 'Const', value: e.right.unit ? `${e.right.value} ${e.right.unit}` : e.right.value, type: 'text' };
        const args = [b(e.left), text, { kind: 'Const', value: e.op === '-' ? -1 : 1, type: 'integer' } as BoundExpr];
        return { kind: 'Call', name: 'add_interval', args, type: args[0]!.type === 'date' ? 'date' : 'timestamp', deterministic: true };
      }
      if (e.op === '+' && e.left.kind === 'IntervalLiteral') return bindExpr({ ...e, left: e.right, right: e.left }, scope, ctx, opts);
      const left = b(e.left);
      const right = b(e.right);
      if (e.op === 'IS DISTINCT FROM' || e.op === 'IS NOT DISTINCT FROM') {
        return { kind: 'IsDistinct', negated: e.op === 'IS NOT DISTINCT FROM', left, right, type: 'boolean' };
      }
      const coll = collationOf(left) ?? collationOf(right);
      if (COMPARISON[e.op]) return { kind: 'Binary', op: COMPARISON[e.op]!, left, right, type: 'boolean', ...(coll ? { collation: coll } : {}) };
      return { kind: 'Binary', op: e.op as BoundBinaryOp, left, right, type: binaryType(e.op, left.type, right.type) };
    }
    case 'BetweenExpression':
      return { kind: 'Between', negated: e.negated, operand: b(e.operand), low: b(e.low), high: b(e.high), type: 'boolean' };
    case 'InExpression': {
      const operand = b(e.operand);
      // SQLite's `x IN t` means `x IN (SELECT * FROM t)` over a one-column table or view.
      const query: SelectStatement | undefined =
        e.query ??
        (e.table
          ? {
              kind: 'SelectStatement',
              span: e.span,
              with: undefined,
              orderBy: [],
              limit: undefined,
              offset: undefined,
              body: {
                kind: 'SelectCore',
                span: e.span,
                distinct: false,
                columns: [{ kind: 'SelectStar', span: e.span, qualifier: [] }],
                from: { kind: 'TableRef', span: e.span, name: e.table, alias: undefined, columnAliases: [] },
                where: undefined,
                groupBy: [],
                having: undefined,
                windows: [],
              },
            }
          : undefined);
      if (query) {
        const sub = opts.bindSubquery(query, scope);
        checkSingleColumn(sub.plan, ctx, e.span);
        return { kind: 'Subquery', mode: 'in', negated: e.negated, operand, plan: sub.plan, correlated: sub.correlated, type: 'boolean' };
      }
      return { kind: 'InList', negated: e.negated, operand, list: e.list.map(b), type: 'boolean' };
    }
    case 'LikeExpression':
      if (e.op === 'MATCH') bindError(ctx, 'MATCH is not supported; use bm25_search (docs/toonql.md)', e.span);
      return { kind: 'Like', op: e.op, negated: e.negated, operand: b(e.operand), pattern: b(e.pattern), escape: e.escape ? b(e.escape) : undefined, type: 'boolean' };
    case 'IsNullExpression':
      return { kind: 'IsNull', negated: e.negated, operand: b(e.operand), type: 'boolean' };
    case 'CastExpression': {
      const typeName = e.type.params.length > 0 ? `${e.type.name}(${e.type.params.join(',')})` : e.type.name;
      return { kind: 'Cast', operand: b(e.operand), typeName, type: castResultType(typeName) };
    }
    case 'CollateExpression': {
      const operand = b(e.operand);
      return { kind: 'Collate', operand, collation: e.collation.name.toUpperCase(), type: operand.type };
    }
    case 'FunctionCall':
      if (KV_SCALAR_FUNCTIONS.has(e.name.name.name.toLowerCase()) && e.name.schema === undefined && !e.over && !e.star) {
        const name = e.name.name.name.toLowerCase();
        if (e.argNames?.some((n) => n !== undefined)) bindError(ctx, `${name}() takes positional arguments: ${name}(key [, namespace])`, e.span);
        if (e.args.length < 1 || e.args.length > 2) bindError(ctx, `wrong number of arguments to function ${name}()`, e.span);
        return b(kvCallExpression(e, name, { kind: 'NullLiteral', span: e.span }));
      }
      if (e.argNames?.some((n) => n !== undefined)) {
        bindError(ctx, `${e.name.name.name}() takes no named arguments (name => value is for the search table functions)`, e.span);
      }
      return bindCall(e, scope, ctx, opts);
    case 'CaseExpression': {
      const whens = e.whens.map((w) => ({ when: b(w.when), then: b(w.then) }));
      const els = e.else ? b(e.else) : undefined;
      const types = new Set([...whens.map((w) => w.then.type), ...(els ? [els.type] : [])].filter((t) => t !== 'null'));
      return { kind: 'Case', operand: e.operand ? b(e.operand) : undefined, whens, else: els, type: types.size === 1 ? [...types][0]! : 'any' };
    }
    case 'ExistsExpression': {
      const sub = opts.bindSubquery(e.query, scope);
      return { kind: 'Subquery', mode: 'exists', negated: false, operand: undefined, plan: sub.plan, correlated: sub.correlated, type: 'boolean' };
    }
    case 'SubqueryExpression': {
      const sub = opts.bindSubquery(e.query, scope);
      checkSingleColumn(sub.plan, ctx, e.span);
      const type = sub.plan.schema[0]?.type ?? 'any';
      return { kind: 'Subquery', mode: 'scalar', negated: false, operand: undefined, plan: sub.plan, correlated: sub.correlated, type };
    }
    case 'RowExpression':
      return bindError(ctx, 'row values are supported only in IN lists of INSERT … VALUES', e.span);
    case 'DefaultExpression':
      return bindError(ctx, 'DEFAULT is allowed only in INSERT … VALUES and UPDATE … SET', e.span);
    default:
      return assertNever(e);
  }
}

function checkSingleColumn(plan: LogicalPlan, ctx: BindContext, span: Extract<Expression, { kind: 'ColumnRef' }>['span']): void {
  const n = plan.schema.filter((c) => !c.hidden).length;
  if (n !== 1) bindError(ctx, `sub-select returns ${n} columns - expected 1`, span);
}

function collationOf(e: BoundExpr): string | undefined {
  if (e.kind === 'Collate') return e.collation;
  if (e.kind === 'Column') return e.collation;
  return undefined;
}

function binaryType(op: string, l: SqlType, r: SqlType): SqlType {
  switch (op) {
    case 'AND':
    case 'OR':
      return 'boolean';
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return arithResultType(l, r);
    case '||':
      return 'text';
    case '->':
      return 'json';
    case '->>':
      return 'any';
    case '<->':
    case '<=>':
    case '<#>':
      return 'real';
    default:
      return 'integer';
  }
}

function paramSlot(e: Extract<Expression, { kind: 'Parameter' }>, ctx: BindContext): number {
  const p = ctx.params;
  // `?` is numbered in text order by the parser, so UPDATE … SET a = ? WHERE b = ? binds its
  // values in the order written even though WHERE is bound first.
  if (e.style === 'anonymous' || e.style === 'numbered') {
    const slot = e.index! - 1;
    if (slot >= p.count) p.count = slot + 1;
    return slot;
  }
  const existing = p.named.get(e.name!);
  if (existing !== undefined) return existing;
  const slot = p.count++;
  p.named.set(e.name!, slot);
  return slot;
}

/** True when a call (without OVER) is an aggregate: a known aggregate name, with min/max only for one argument. */
export function isAggregateCall(e: FunctionCall): boolean {
  const name = e.name.name.name.toLowerCase();
  if ((name === 'min' || name === 'max') && e.args.length !== 1) return false;
  return e.star || lookupAggregate(name) !== undefined;
}

function bindCall(e: FunctionCall, scope: Scope, ctx: BindContext, opts: ExprOptions): BoundExpr {
  const name = e.name.name.name.toLowerCase();
  const b = (x: Expression) => bindExpr(x, scope, ctx, opts);
  const args = e.args.map(b);
  const argTypes = args.map((a) => a.type);
  if (e.over) {
    if (!opts.calls) bindError(ctx, `window functions are not allowed in ${opts.clause}`, e.span);
    const agg = lookupAggregate(e.star ? 'count_star' : name);
    const type: SqlType = agg ? agg.returnType(argTypes) : windowType(name, argTypes);
    const filter = e.filter ? b(e.filter) : undefined;
    const call = opts.calls.bindWindow(e, scope, { name, args, distinct: e.distinct, filter, type });
    opts.calls.windows.push(call);
    return callMarker('$win', opts.calls.windows.length - 1, type);
  }
  if (isAggregateCall(e)) {
    if (!opts.calls) bindError(ctx, `aggregate functions are not allowed in ${opts.clause}`, e.span);
    const agg = lookupAggregate(e.star ? 'count_star' : name)!;
    if (e.distinct && args.length !== 1) bindError(ctx, 'DISTINCT aggregates must have exactly one argument', e.span);
    const orderBy: SortKey[] = e.orderBy.map((t) => {
      const desc = t.direction === 'DESC';
      return { expr: b(t.expr), desc, nullsFirst: t.nulls ? t.nulls === 'FIRST' : !desc };
    });
    const call: AggregateCall = {
      name: e.star ? 'count' : name,
      args: e.star ? [] : args,
      distinct: e.distinct,
      filter: e.filter ? b(e.filter) : undefined,
      orderBy,
      star: e.star || (name === 'count' && args.length === 0),
      type: agg.returnType(argTypes),
    };
    opts.calls.aggregates.push(call);
    return callMarker('$agg', opts.calls.aggregates.length - 1, call.type);
  }
  const fn = lookupScalar(name);
  if (!fn) bindError(ctx, `no such function: ${e.name.name.name}`, e.span);
  if (args.length < fn.minArgs || args.length > fn.maxArgs) {
    bindError(ctx, `wrong number of arguments to function ${name}()`, e.span);
  }
  if (e.distinct || e.filter) bindError(ctx, `${name}() is not an aggregate function`, e.span);
  return { kind: 'Call', name, args, type: fn.returnType(argTypes), deterministic: fn.deterministic };
}

function windowType(name: string, argTypes: readonly SqlType[]): SqlType {
  switch (name) {
    case 'row_number':
    case 'rank':
    case 'dense_rank':
    case 'ntile':
      return 'integer';
    case 'percent_rank':
    case 'cume_dist':
      return 'real';
    default:
      return argTypes[0] ?? 'any';
  }
}

// EXPLAIN: prints a physical plan as a stable, indented tree with estimates (and actuals when profiled).

import { assertNever } from '../compiler/ast.js';
import type { BoundExpr } from '../compiler/bound.js';
import type { PhysicalPlan } from './physical.js';
import { physicalChildren } from './physical.js';

/** Renders a bound expression compactly (column names, operators, constants). */
export function exprText(e: BoundExpr): string {
  switch (e.kind) {
    case 'Const':
      return e.value === null ? 'NULL' : typeof e.value === 'string' ? `'${e.value.replace(/'/g, "''")}'` : typeof e.value === 'number' || typeof e.value === 'bigint' ? String(e.value) : 'x\'…\'';
    case 'Param':
      return `$${e.slot + 1}`;
    case 'Column':
      return e.name || `#${e.index}`;
    case 'OuterColumn':
      return `outer.${e.name}`;
    case 'Unary':
      return e.op === 'NOT' ? `NOT ${exprText(e.operand)}` : `${e.op}${exprText(e.operand)}`;
    case 'Binary':
      return `(${exprText(e.left)} ${e.op} ${exprText(e.right)})`;
    case 'Between':
      return `${exprText(e.operand)} ${e.negated ? 'NOT ' : ''}BETWEEN ${exprText(e.low)} AND ${exprText(e.high)}`;
    case 'InList':
      return `${exprText(e.operand)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(exprText).join(', ')})`;
    case 'Like':
      return `${exprText(e.operand)} ${e.negated ? 'NOT ' : ''}${e.op} ${exprText(e.pattern)}`;
    case 'IsNull':
      return `${exprText(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'IsDistinct':
      return `${exprText(e.left)} IS ${e.negated ? 'NOT ' : ''}DISTINCT FROM ${exprText(e.right)}`;
    case 'Cast':
      return `CAST(${exprText(e.operand)} AS ${e.typeName})`;
    case 'Collate':
      return `${exprText(e.operand)} COLLATE ${e.collation}`;
    case 'Call':
      return `${e.name}(${e.args.map(exprText).join(', ')})`;
    case 'Case':
      return 'CASE … END';
    case 'CurrentTime':
      return e.which;
    case 'Subquery':
      return e.mode === 'exists' ? 'EXISTS(subquery)' : e.mode === 'in' ? `${exprText(e.operand!)} ${e.negated ? 'NOT ' : ''}IN (subquery)` : '(subquery)';
    default:
      return assertNever(e);
  }
}

function describe(p: PhysicalPlan): string {
  switch (p.kind) {
    case 'SeqScan':
      return `SeqScan ${p.table.name}${p.alias !== p.table.name ? ` AS ${p.alias}` : ''}`;
    case 'PkLookup':
      return `PkLookup ${p.table.name} (${p.keys.length} key${p.keys.length === 1 ? '' : 's'})`;
    case 'PkRangeScan':
      return `PkRangeScan ${p.table.name}${bounds(p.prefix, p.lower, p.upper)}${p.reverse ? ' REVERSE' : ''}`;
    case 'IndexScan':
      return `IndexScan ${p.table.name} USING ${p.index.name}${p.prefixes.length > 1 ? inBounds(p.prefixes, p.lower, p.upper) : bounds(p.prefixes[0] ?? [], p.lower, p.upper)}${p.reverse ? ' REVERSE' : ''}`;
    case 'Filter':
      return `Filter ${exprText(p.predicate)}`;
    case 'Project':
      return `Project ${p.schema.filter((c) => !c.hidden).map((c) => c.name).join(', ')}`;
    case 'HashJoin':
      return `HashJoin ${p.joinType} ON ${p.leftKeys.map((k, i) => `${exprText(k)} = ${exprText(p.rightKeys[i]!)}`).join(' AND ')}`;
    case 'MergeJoin':
      return `MergeJoin ${p.joinType} ON ${p.leftKeys.map((k, i) => `${exprText(k)} = ${exprText(p.rightKeys[i]!)}${p.desc[i] ? ' DESC' : ''}`).join(' AND ')}`;
    case 'LateralJoin':
      return `LateralJoin ${p.joinType}${p.condition ? ` ON ${exprText(p.condition)}` : ''}`;
    case 'NestedLoopJoin':
      return `NestedLoopJoin ${p.joinType}${p.condition ? ` ON ${exprText(p.condition)}` : ''}`;
    case 'IndexJoin':
      return `IndexJoin ${p.joinType} ${p.table.name} ${p.index ? `USING ${p.index.name}` : 'BY PRIMARY KEY'} = (${p.keys.map(exprText).join(', ')})`;
    case 'HashAggregate':
      return `HashAggregate${p.groupBy.length ? ` BY ${p.groupBy.map(exprText).join(', ')}` : ''} [${p.aggregates.map((a) => `${a.name}(${a.star ? '*' : a.args.map(exprText).join(', ')})`).join(', ')}]`;
    case 'StreamAggregate':
      return `StreamAggregate BY ${p.groupBy.map(exprText).join(', ')} [${p.aggregates.map((a) => `${a.name}(${a.star ? '*' : a.args.map(exprText).join(', ')})`).join(', ')}]`;
    case 'Window':
      return `Window [${p.calls.map((c) => c.name).join(', ')}]`;
    case 'Sort':
      return `Sort ${p.keys.map((k) => `${exprText(k.expr)}${k.desc ? ' DESC' : ''}`).join(', ')}`;
    case 'TopN':
      return `TopN ${exprText(p.limit)} BY ${p.keys.map((k) => `${exprText(k.expr)}${k.desc ? ' DESC' : ''}`).join(', ')}`;
    case 'Limit':
      return `Limit${p.limit ? ` ${exprText(p.limit)}` : ''}${p.offset ? ` OFFSET ${exprText(p.offset)}` : ''}`;
    case 'HashDistinct':
      return 'HashDistinct';
    case 'SetOp':
      return `${p.op}${p.all ? ' ALL' : ''}`;
    case 'Values':
      return `Values (${p.rows.length} row${p.rows.length === 1 ? '' : 's'})`;
    case 'OneRow':
      return 'OneRow';
    case 'RecursiveCte':
      return `RecursiveCte ${p.workTable.name}${p.unionAll ? ' UNION ALL' : ' UNION'}`;
    case 'WorkTable':
      return `WorkTable ${p.workTable.name}`;
    case 'TableFunction':
      return `TableFunction ${p.name}(${p.args.map(exprText).join(', ')})`;
    case 'CollectionSearch': {
      const s = p.search;
      const name = s.mode === 'vector' ? 'VectorSearch' : s.mode === 'bm25' ? 'BM25Search' : 'HybridSearch';
      const opts = Object.entries(s.options).map(([k, v]) => `${k}=${exprText(v)}`);
      const how = s.mode === 'bm25' ? 'postings' : p.strategy === 'ann' ? (p.indexOnly ? 'hnsw, index-only' : 'hnsw') : 'exact';
      const filter = p.filter ? `, filter: ${exprText(p.filter)} (est. selectivity ${formatShare(p.selectivity)})` : '';
      return `${name} ${s.table.name} (strategy: ${how}${opts.length > 0 ? `, ${opts.join(', ')}` : ''}${filter})`;
    }
    default:
      return assertNever(p);
  }
}

function bounds(prefix: readonly BoundExpr[], lower: { values: readonly BoundExpr[]; inclusive: boolean } | undefined, upper: typeof lower): string {
  const parts: string[] = [];
  if (prefix.length) parts.push(`= (${prefix.map(exprText).join(', ')})`);
  if (lower) parts.push(`${lower.inclusive ? '>=' : '>'} ${lower.values.map(exprText).join(', ')}`);
  if (upper) parts.push(`${upper.inclusive ? '<=' : '<'} ${upper.values.map(exprText).join(', ')}`);
  return parts.length ? ` WHERE key ${parts.join(' AND ')}` : '';
}

/** Bounds of a scan over several equal prefixes (an IN list on an index item). */
function inBounds(prefixes: readonly (readonly BoundExpr[])[], lower: { values: readonly BoundExpr[]; inclusive: boolean } | undefined, upper: typeof lower): string {
  const rest = bounds([], lower, upper).replace(/^ WHERE key /, ' AND key ');
  return ` WHERE key IN (${prefixes.map((t) => `(${t.map(exprText).join(', ')})`).join(', ')})${rest}`;
}

/** The plan as indented lines: `Operator (rows=… cost=…)` and, when profiled, `actual rows=… time=…ms`. */
export function explainLines(p: PhysicalPlan, profile?: Map<PhysicalPlan, { rows: number; ms: number }>, depth = 0): string[] {
  const est = `rows=${Math.round(p.est.rows)} cost=${p.est.cost.toFixed(1)}`;
  const act = profile?.get(p);
  const actual = profile ? ` actual rows=${act?.rows ?? 0} time=${(act?.ms ?? 0).toFixed(3)}ms` : '';
  const line = `${'  '.repeat(depth)}${depth > 0 ? '-> ' : ''}${describe(p)} (${est}${actual})`;
  return [line, ...physicalChildren(p).flatMap((c) => explainLines(c, profile, depth + 1))];
}

function formatShare(x: number): string {
  return x >= 0.1 ? `${Math.round(x * 100)}%` : `${(x * 100).toPrecision(2)}%`;
}

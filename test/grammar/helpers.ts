// Test helpers for the grammar tests: parse shortcuts, an expression printer, span stripping.
import { expect } from 'vitest';
import { assertNever, type Expression, type Identifier, type ObjectName, type SelectStatement, type Statement } from '../../src/compiler/ast.js';
import { parseStatement, parseStatements } from '../../src/compiler/parse.js';
import { QuerySyntaxError } from '../../src/errors.js';

export { parseStatement, parseStatements };

/** Parses one statement and checks its kind. */
export function parseAs<K extends Statement['kind']>(sql: string, kind: K): Extract<Statement, { kind: K }> {
  const statement = parseStatement(sql);
  expect(statement.kind).toBe(kind);
  return statement as Extract<Statement, { kind: K }>;
}

/** The first select-list expression of `SELECT <sql>`. */
export function parseExpr(sql: string): Expression {
  const select = parseAs(`SELECT ${sql}`, 'SelectStatement');
  if (select.body.kind !== 'SelectCore') throw new Error('not a simple select');
  const item = select.body.columns[0];
  if (item.kind !== 'SelectColumn') throw new Error('not an expression');
  return item.expr;
}

/** The expression printed fully parenthesized, e.g. `(a + (b * c))`. */
export function showExpr(sql: string): string {
  return show(parseExpr(sql));
}

function name(id: Identifier): string {
  return id.quoted ? `"${id.name}"` : id.name;
}

function objectName(n: ObjectName): string {
  return n.schema ? `${name(n.schema)}.${name(n.name)}` : name(n.name);
}

function query(q: SelectStatement): string {
  return `<${q.body.kind}>`;
}

/** Prints an expression with every operation parenthesized; handles every expression kind. */
export function show(e: Expression): string {
  switch (e.kind) {
    case 'IntegerLiteral':
      return typeof e.value === 'bigint' ? `${e.value}n` : String(e.value);
    case 'RealLiteral':
      return `${e.value}r`;
    case 'StringLiteral':
      return `'${e.value.replace(/'/g, "''")}'`;
    case 'BlobLiteral':
      return `x'${[...e.value].map((b) => b.toString(16).padStart(2, '0')).join('')}'`;
    case 'NullLiteral':
      return 'NULL';
    case 'BooleanLiteral':
      return e.value ? 'TRUE' : 'FALSE';
    case 'CurrentTimeLiteral':
      return e.which;
    case 'IntervalLiteral':
      return `INTERVAL '${e.value}'${e.unit ? ` ${e.unit}` : ''}`;
    case 'Parameter':
      return e.style === 'anonymous' ? `?#${e.index}` : e.style === 'numbered' ? `$#${e.index}` : `:${e.name}`;
    case 'ColumnRef':
      return [e.schema, e.table, e.column].filter((x): x is Identifier => x !== undefined).map(name).join('.');
    case 'UnaryExpression':
      return `(${e.op}${e.op === 'NOT' ? ' ' : ''}${show(e.operand)})`;
    case 'BinaryExpression':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'BetweenExpression':
      return `(${show(e.operand)} ${e.negated ? 'NOT ' : ''}BETWEEN ${show(e.low)} AND ${show(e.high)})`;
    case 'InExpression':
      if (e.table) return `(${show(e.operand)} ${e.negated ? 'NOT ' : ''}IN ${objectName(e.table)})`;
      return `(${show(e.operand)} ${e.negated ? 'NOT ' : ''}IN (${e.query ? query(e.query) : e.list.map(show).join(', ')}))`;
    case 'LikeExpression':
      return `(${show(e.operand)} ${e.negated ? 'NOT ' : ''}${e.op} ${show(e.pattern)}${e.escape ? ` ESCAPE ${show(e.escape)}` : ''})`;
    case 'IsNullExpression':
      return `(${show(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'CastExpression':
      return `CAST(${show(e.operand)} AS ${e.type.name}${e.type.params.length ? `(${e.type.params.join(',')})` : ''})`;
    case 'CollateExpression':
      return `(${show(e.operand)} COLLATE ${name(e.collation)})`;
    case 'FunctionCall': {
      const args = e.star ? '*' : `${e.distinct ? 'DISTINCT ' : ''}${e.args.map(show).join(', ')}`;
      const order = e.orderBy.length ? ` ORDER BY ${e.orderBy.map((o) => show(o.expr) + (o.direction ? ` ${o.direction}` : '')).join(', ')}` : '';
      const filter = e.filter ? ` FILTER (WHERE ${show(e.filter)})` : '';
      const over = e.over === undefined ? '' : e.over.kind === 'Identifier' ? ` OVER ${name(e.over)}` : ' OVER (…)';
      return `${objectName(e.name)}(${args}${order})${filter}${over}`;
    }
    case 'CaseExpression':
      return `CASE${e.operand ? ` ${show(e.operand)}` : ''}${e.whens.map((w) => ` WHEN ${show(w.when)} THEN ${show(w.then)}`).join('')}${e.else ? ` ELSE ${show(e.else)}` : ''} END`;
    case 'ExistsExpression':
      return `EXISTS(${query(e.query)})`;
    case 'SubqueryExpression':
      return `(${query(e.query)})`;
    case 'RowExpression':
      return `ROW(${e.items.map(show).join(', ')})`;
    case 'DefaultExpression':
      return 'DEFAULT';
    default:
      return assertNever(e);
  }
}

/**
 * A deep copy without spans (bigints and bytes made printable), for toEqual/toMatchObject.
 * With `foldNames`, unquoted identifiers are lower-cased, as name resolution will treat them.
 */
export function strip(value: unknown, foldNames = false): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return [...value];
  if (Array.isArray(value)) return value.map((item) => strip(item, foldNames));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) if (key !== 'span' && inner !== undefined) out[key] = strip(inner, foldNames);
    if (foldNames && out.kind === 'Identifier' && out.quoted === false) out.name = (out.name as string).toLowerCase();
    return out;
  }
  return value;
}

/** Shorthand for an unquoted identifier in expected trees. */
export function id(n: string, quoted = false): { kind: 'Identifier'; name: string; quoted: boolean } {
  return { kind: 'Identifier', name: n, quoted };
}

/** The QuerySyntaxError that parsing `sql` throws (fails the test if it parses). */
export function syntaxErrorOf(sql: string): QuerySyntaxError {
  try {
    parseStatements(sql);
  } catch (error) {
    expect(error).toBeInstanceOf(QuerySyntaxError);
    return error as QuerySyntaxError;
  }
  throw new Error(`expected a syntax error for: ${sql}`);
}

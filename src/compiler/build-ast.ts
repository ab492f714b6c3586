// Turns the ToonQL CST into the AST: a CST visitor (checked by validateVisitor) with one method per rule.
import type { CstNode, IToken } from 'chevrotain';
import { parser } from '../../grammar/parser.js';
import type * as C from '../../grammar/cst.js';
import { positionAt, QuerySyntaxError } from '../errors.js';
import * as A from './ast.js';
import type {
  AlterTableAction,
  BinaryOperator,
  ColumnConstraint,
  ColumnDefinition,
  CompoundOperator,
  ConflictResolution,
  DropBehavior,
  Expression,
  FromItem,
  Identifier,
  IsolationLevel,
  ObjectName,
  QueryBody,
  ReferentialAction,
  SelectItem,
  SelectStatement,
  Span,
  Statement,
  TableConstraint,
  WithClause,
} from './ast.js';

// Binding strength of the operators the grammar leaves flat (higher binds tighter). See the
// precedence note in grammar/rules/expression.ts.
const PRECEDENCE: Record<BinaryOperator, number> = {
  OR: 1, AND: 2,
  '=': 3, '<>': 3, IS: 3, 'IS NOT': 3, 'IS DISTINCT FROM': 3, 'IS NOT DISTINCT FROM': 3,
  '<': 4, '<=': 4, '>': 4, '>=': 4,
  '&': 5, '|': 5, '<<': 5, '>>': 5,
  '<->': 6, '<=>': 6, '<#>': 6,
  '+': 7, '-': 7,
  '*': 8, '/': 8, '%': 8,
  '||': 9, '->': 9, '->>': 9,
};

// Operator token images to AST operators; `==` and `!=` are normalized.
const OPERATOR: Record<string, BinaryOperator> = {
  '==': '=', '=': '=', '!=': '<>', '<>': '<>',
  '<': '<', '<=': '<=', '>': '>', '>=': '>=',
  '&': '&', '|': '|', '<<': '<<', '>>': '>>',
  '<->': '<->', '<=>': '<=>', '<#>': '<#>',
  '+': '+', '-': '-', '*': '*', '/': '/', '%': '%',
  '||': '||', '->': '->', '->>': '->>',
};

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '\\': '\\', "'": "'", '"': '"' };

function span(node: CstNode): Span {
  const loc = node.location!;
  return { start: loc.startOffset, end: loc.endOffset! + 1 };
}

function tokenSpan(token: IToken): Span {
  return { start: token.startOffset, end: token.endOffset! + 1 };
}

function join(first: { span: Span } | Span, last: { span: Span } | Span): Span {
  const a = 'span' in first ? first.span : first;
  const b = 'span' in last ? last.span : last;
  return { start: a.start, end: b.end };
}

/** An identifier from a Name token, with quotes removed and doubled quotes undone. */
function identifier(token: IToken): Identifier {
  const image = token.image;
  let name = image;
  let quoted = true;
  switch (token.tokenType.name) {
    case 'QuotedIdentifier':
      name = image.slice(1, -1).replace(/""/g, '"');
      break;
    case 'BacktickIdentifier':
      name = image.slice(1, -1).replace(/``/g, '`');
      break;
    case 'BracketIdentifier':
      name = image.slice(1, -1);
      break;
    default:
      quoted = false;
  }
  return A.Identifier.create({ name, quoted, span: tokenSpan(token) });
}

function integerValue(text: string, radix: 10 | 16): number | bigint {
  if (radix === 10 && text.length < 16) return Number(text);
  const big = BigInt(text);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

function unescapeBackslashes(body: string): string {
  return body.replace(/''|\\(x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{4}|[0-7]{1,3}|[\s\S])/g, (_match, esc: string | undefined) => {
    if (esc === undefined) return "'";
    if (esc.length > 1 && (esc[0] === 'x' || esc[0] === 'u')) return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (/^[0-7]+$/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    return ESCAPES[esc] ?? esc;
  });
}

/** The value of a string token ('..', E'..', N'..'). */
function stringValue(token: IToken): string {
  const image = token.image;
  switch (token.tokenType.name) {
    case 'EscapeString':
      return unescapeBackslashes(image.slice(2, -1));
    case 'NationalString':
      return image.slice(2, -1).replace(/''/g, "'");
    default:
      return image.slice(1, -1).replace(/''/g, "'");
  }
}

function literal(token: IToken): Expression {
  const s = tokenSpan(token);
  const text = token.image;
  switch (token.tokenType.name) {
    case 'Integer':
      return A.IntegerLiteral.create({ value: integerValue(text, 10), text, span: s });
    case 'HexInteger':
      return A.IntegerLiteral.create({ value: integerValue(text, 16), text, span: s });
    case 'Real':
      return A.RealLiteral.create({ value: Number(text), text, span: s });
    case 'Blob': {
      const hex = text.slice(2, -1);
      const value = new Uint8Array(hex.length / 2);
      for (let i = 0; i < value.length; i++) value[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
      return A.BlobLiteral.create({ value, span: s });
    }
    case 'NULL':
      return A.NullLiteral.create({ span: s });
    case 'TRUE':
    case 'FALSE':
      return A.BooleanLiteral.create({ value: token.tokenType.name === 'TRUE', span: s });
    case 'CURRENT_DATE':
    case 'CURRENT_TIME':
    case 'CURRENT_TIMESTAMP':
      return A.CurrentTimeLiteral.create({ which: token.tokenType.name, span: s });
    default:
      return A.StringLiteral.create({ value: stringValue(token), span: s });
  }
}

/** A numeric literal negated (the folded form of `-1`). */
function negate(lit: A.IntegerLiteral | A.RealLiteral, start: number): Expression {
  const text = lit.text.startsWith('-') ? lit.text.slice(1) : `-${lit.text}`;
  const s = { start, end: lit.span.end };
  if (lit.kind === 'RealLiteral') return A.RealLiteral.create({ value: -lit.value, text, span: s });
  let value: number | bigint;
  if (typeof lit.value === 'number') value = lit.value === 0 ? 0 : -lit.value;
  else value = -lit.value >= BigInt(Number.MIN_SAFE_INTEGER) && -lit.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(-lit.value) : -lit.value;
  return A.IntegerLiteral.create({ value, text, span: s });
}

/** Folds a flat operand/operator list by precedence, left-associatively (shunting-yard). */
function climb(operands: Expression[], ops: BinaryOperator[]): Expression {
  if (ops.length === 0) return operands[0];
  const out: Expression[] = [operands[0]];
  const pending: BinaryOperator[] = [];
  const reduce = (): void => {
    const right = out.pop()!;
    const left = out.pop()!;
    out.push(A.BinaryExpression.create({ op: pending.pop()!, left, right, span: join(left, right) }));
  };
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    while (pending.length > 0 && PRECEDENCE[pending[pending.length - 1]] >= PRECEDENCE[op]) reduce();
    pending.push(op);
    out.push(operands[i + 1]);
  }
  while (pending.length > 0) reduce();
  return out[0];
}

function first<T>(items: T[] | undefined): T | undefined {
  return items === undefined ? undefined : items[0];
}

const BaseVisitor = parser.getBaseCstVisitorConstructor();

/**
 * One method per grammar rule, each taking the node's children and the node itself. Methods
 * call each other directly (cheaper than `visit`); `validateVisitor()` checks none is missing.
 */
class AstBuilder extends BaseVisitor {
  private sql = '';
  private anonymousParameters = 0;

  constructor() {
    super();
    this.validateVisitor();
  }

  /** Builds the statements of a parsed script. */
  build(cst: CstNode, sql: string): Statement[] {
    this.sql = sql;
    try {
      return this.script(cst.children as C.ScriptCstChildren);
    } finally {
      this.sql = '';
    }
  }

  private fail(message: string, at: Span): never {
    throw new QuerySyntaxError(message, this.sql, positionAt(this.sql, at.start), {
      details: { token: this.sql.slice(at.start, at.end), expected: [] },
    });
  }

  // --- entry points ---------------------------------------------------------------------

  script(c: C.ScriptCstChildren): Statement[] {
    const out: Statement[] = [];
    for (const node of c.statement ?? []) {
      this.anonymousParameters = 0;
      out.push(this.statement(node.children));
    }
    return out;
  }

  statement(c: C.StatementCstChildren): Statement {
    for (const key in c) {
      const node = (c as Record<string, CstNode[]>)[key][0];
      return (this as unknown as Record<string, (c: unknown, n: CstNode) => Statement>)[key](node.children, node);
    }
    throw new Error('empty statement node');
  }

  // --- expressions ----------------------------------------------------------------------

  private expr(node: C.ExpressionCstNode): Expression {
    return this.expression(node.children);
  }

  expression(c: C.ExpressionCstChildren): Expression {
    const operands = c.predicate.map((p) => this.predicate(p.children, p));
    if (c.LogicalOp === undefined) return operands[0];
    return climb(operands, c.LogicalOp.map((op) => op.tokenType.name as 'AND' | 'OR'));
  }

  predicate(c: C.PredicateCstChildren, n: CstNode): Expression {
    const operands = c.unaryExpression.map((u) => this.unaryExpression(u.children, u));
    let result = c.BinaryOp === undefined ? operands[0] : climb(operands, c.BinaryOp.map((op) => OPERATOR[op.image]));
    for (const tail of c.predicateTail ?? []) result = this.predicateTail(tail.children, tail, result);
    const nots = c.NOT ?? [];
    for (let i = nots.length - 1; i >= 0; i--) {
      result = A.UnaryExpression.create({ op: 'NOT', operand: result, span: { start: nots[i].startOffset, end: span(n).end } });
    }
    return result;
  }

  predicateTail(c: C.PredicateTailCstChildren, n: CstNode, operand?: Expression): Expression {
    const left = operand!;
    const s = join(left, span(n));
    const negated = c.NOT !== undefined;
    if (c.EqualityOp !== undefined) {
      const right = this.binary(c.binaryExpression![0]);
      return A.BinaryExpression.create({ op: OPERATOR[c.EqualityOp[0].image], left, right, span: s });
    }
    if (c.IS !== undefined) {
      const right = this.binary(c.binaryExpression![0]);
      if (c.DISTINCT === undefined && right.kind === 'NullLiteral') {
        return A.IsNullExpression.create({ negated, operand: left, span: s });
      }
      const op = c.DISTINCT !== undefined ? (negated ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM') : negated ? 'IS NOT' : 'IS';
      return A.BinaryExpression.create({ op, left, right, span: s });
    }
    if (c.ISNULL !== undefined) return A.IsNullExpression.create({ negated: false, operand: left, span: s });
    if (c.NOTNULL !== undefined || c.NULL !== undefined) {
      return A.IsNullExpression.create({ negated: true, operand: left, span: s });
    }
    if (c.IN !== undefined) {
      if (c.objectName !== undefined) {
        return A.InExpression.create({ negated, operand: left, list: [], query: undefined, table: this.object(c.objectName[0]), span: s });
      }
      const list = c.inList![0].children;
      const query = list.query === undefined ? undefined : this.subquery(list.query[0]);
      const items = (list.expression ?? []).map((e) => this.expr(e));
      return A.InExpression.create({ negated, operand: left, list: items, query, span: s });
    }
    if (c.BETWEEN !== undefined) {
      const low = this.binary(c.low![0]);
      const high = this.binary(c.high![0]);
      return A.BetweenExpression.create({ negated, operand: left, low, high, span: s });
    }
    const op = c.LikeOp![0].tokenType.name as A.LikeOperator;
    const pattern = this.binary(c.pattern![0]);
    const escape = c.escape === undefined ? undefined : this.binary(c.escape[0]);
    return A.LikeExpression.create({ op, negated, operand: left, pattern, escape, span: s });
  }

  inList(): never {
    throw new Error('inList is built by predicateTail');
  }

  private binary(node: C.BinaryExpressionCstNode): Expression {
    return this.binaryExpression(node.children);
  }

  binaryExpression(c: C.BinaryExpressionCstChildren): Expression {
    const operands = c.unaryExpression.map((u) => this.unaryExpression(u.children, u));
    return c.BinaryOp === undefined ? operands[0] : climb(operands, c.BinaryOp.map((op) => OPERATOR[op.image]));
  }

  unaryExpression(c: C.UnaryExpressionCstChildren, n: CstNode): Expression {
    let result = this.primary(c);
    const start = result.span.start;
    const types = c.typeName ?? [];
    for (const type of types) {
      result = A.CastExpression.create({ operand: result, type: this.typeName(type.children, type), syntax: '::', span: { start, end: span(type).end } });
    }
    const prefixes = c.PrefixOp ?? [];
    for (let i = prefixes.length - 1; i >= 0; i--) {
      const op = prefixes[i].image as '-' | '+' | '~';
      const at = prefixes[i].startOffset;
      if (op === '-' && (result.kind === 'IntegerLiteral' || result.kind === 'RealLiteral')) result = negate(result, at);
      else result = A.UnaryExpression.create({ op, operand: result, span: { start: at, end: result.span.end } });
    }
    for (const collation of c.collation ?? []) {
      result = A.CollateExpression.create({ operand: result, collation: identifier(collation), span: { start: span(n).start, end: tokenSpan(collation).end } });
    }
    return result;
  }

  private primary(c: C.UnaryExpressionCstChildren): Expression {
    if (c.Literal !== undefined) return literal(c.Literal[0]);
    if (c.columnOrCall !== undefined) return this.columnOrCall(c.columnOrCall[0].children, c.columnOrCall[0]);
    if (c.Parameter !== undefined) return this.parameter(c.Parameter[0]);
    if (c.parenExpression !== undefined) return this.parenExpression(c.parenExpression[0].children, c.parenExpression[0]);
    if (c.DEFAULT !== undefined) return A.DefaultExpression.create({ span: tokenSpan(c.DEFAULT[0]) });
    if (c.caseExpression !== undefined) return this.caseExpression(c.caseExpression[0].children, c.caseExpression[0]);
    if (c.castExpression !== undefined) return this.castExpression(c.castExpression[0].children, c.castExpression[0]);
    if (c.existsExpression !== undefined) return this.existsExpression(c.existsExpression[0].children, c.existsExpression[0]);
    return this.keywordCall(c.keywordCall![0].children);
  }

  private parameter(token: IToken): Expression {
    const text = token.image;
    const s = tokenSpan(token);
    const rest = text.slice(1);
    if (text === '?') {
      return A.Parameter.create({ style: 'anonymous', index: ++this.anonymousParameters, name: undefined, text, span: s });
    }
    if ((text[0] === '?' || text[0] === '$') && /^\d+$/.test(rest)) {
      const index = Number(rest);
      if (index < 1 || !Number.isSafeInteger(index)) this.fail(`parameter number out of range: ${text}`, s);
      return A.Parameter.create({ style: 'numbered', index, name: undefined, text, span: s });
    }
    return A.Parameter.create({ style: 'named', index: undefined, name: rest, text, span: s });
  }

  parenExpression(c: C.ParenExpressionCstChildren, n: CstNode): Expression {
    const s = span(n);
    if (c.query !== undefined) return A.SubqueryExpression.create({ query: this.subquery(c.query[0]), span: s });
    const items = c.expression!.map((e) => this.expr(e));
    if (items.length === 1) return { ...items[0], span: s };
    return A.RowExpression.create({ items, span: s });
  }

  caseExpression(c: C.CaseExpressionCstChildren, n: CstNode): Expression {
    const whens = c.when.map((w, i) => ({ when: this.expr(w), then: this.expr(c.then[i]) }));
    return A.CaseExpression.create({
      operand: c.operand === undefined ? undefined : this.expr(c.operand[0]),
      whens,
      else: c.else === undefined ? undefined : this.expr(c.else[0]),
      span: span(n),
    });
  }

  castExpression(c: C.CastExpressionCstChildren, n: CstNode): Expression {
    const type = this.typeName(c.typeName[0].children, c.typeName[0]);
    return A.CastExpression.create({ operand: this.expr(c.expression[0]), type, syntax: 'CAST', span: span(n) });
  }

  existsExpression(c: C.ExistsExpressionCstChildren, n: CstNode): Expression {
    return A.ExistsExpression.create({ query: this.subquery(c.query[0]), span: span(n) });
  }

  intervalLiteral(c: C.IntervalLiteralCstChildren, n: CstNode, keyword?: IToken): Expression {
    const value = c.StringLiteral !== undefined ? stringValue(c.StringLiteral[0]) : c.NumberLiteral![0].image;
    const unit = c.unit === undefined ? undefined : c.unit[0].image.toUpperCase();
    return A.IntervalLiteral.create({ value, unit, span: join(tokenSpan(keyword!), span(n)) });
  }

  columnOrCall(c: C.ColumnOrCallCstChildren, n: CstNode): Expression {
    if (c.intervalLiteral !== undefined) {
      if (c.Dot !== undefined || c.functionTail !== undefined) this.fail('unexpected text after an INTERVAL literal', span(n));
      return this.intervalLiteral(c.intervalLiteral[0].children, c.intervalLiteral[0], c.Name[0]);
    }
    const parts = c.Name.map(identifier);
    if (c.functionTail !== undefined) {
      if (parts.length > 2) this.fail('a function name has at most two parts (schema.function)', parts[0].span);
      const name = this.nameOf(parts);
      return this.functionTail(c.functionTail[0].children, c.functionTail[0], name);
    }
    if (parts.length > 3) this.fail('a column reference has at most three parts (schema.table.column)', parts[3].span);
    const column = parts[parts.length - 1];
    const table = parts.length >= 2 ? parts[parts.length - 2] : undefined;
    const schema = parts.length === 3 ? parts[0] : undefined;
    return A.ColumnRef.create({ schema, table, column, span: span(n) });
  }

  private nameOf(parts: Identifier[]): ObjectName {
    const name = parts[parts.length - 1];
    const schema = parts.length > 1 ? parts[0] : undefined;
    return A.ObjectName.create({ schema, name, span: join(parts[0], name) });
  }

  keywordCall(c: C.KeywordCallCstChildren): Expression {
    const token = c.function![0];
    const id = A.Identifier.create({ name: token.image, quoted: false, span: tokenSpan(token) });
    const name = A.ObjectName.create({ schema: undefined, name: id, span: id.span });
    return this.functionTail(c.functionTail[0].children, c.functionTail[0], name);
  }

  functionTail(c: C.FunctionTailCstChildren, n: CstNode, name?: ObjectName): A.FunctionCall {
    const callee = name!;
    let over: A.WindowSpec | Identifier | undefined;
    if (c.windowName !== undefined) over = identifier(c.windowName[0]);
    else if (c.windowSpec !== undefined) over = this.windowSpec(c.windowSpec[0].children, c.windowSpec[0]);
    const exprs = c.expression ?? [];
    // Pair each `name =>` with the argument that follows it.
    const names = c.argName ?? [];
    const argNames = names.length === 0 ? undefined : exprs.map((e) => {
      const start = e.location?.startOffset ?? -1;
      const tok = names.find((nm) => nm.startOffset < start && !exprs.some((o) => (o.location?.startOffset ?? -1) > nm.startOffset && (o.location?.startOffset ?? -1) < start));
      return tok === undefined ? undefined : identifier(tok);
    });
    return A.FunctionCall.create({
      name: callee,
      args: exprs.map((e) => this.expr(e)),
      ...(argNames ? { argNames } : {}),
      star: c.Star !== undefined,
      distinct: c.DISTINCT !== undefined,
      orderBy: (c.orderingTerm ?? []).map((o) => this.orderingTerm(o.children, o)),
      filter: c.filter === undefined ? undefined : this.expr(c.filter[0]),
      over,
      span: join(callee, span(n)),
    });
  }

  windowSpec(c: C.WindowSpecCstChildren, n: CstNode): A.WindowSpec {
    return A.WindowSpec.create({
      base: c.baseWindow === undefined ? undefined : identifier(c.baseWindow[0]),
      partitionBy: (c.partitionBy ?? []).map((e) => this.expr(e)),
      orderBy: (c.orderingTerm ?? []).map((o) => this.orderingTerm(o.children, o)),
      frame: c.frameClause === undefined ? undefined : this.frameClause(c.frameClause[0].children, c.frameClause[0]),
      span: span(n),
    });
  }

  frameClause(c: C.FrameClauseCstChildren, n: CstNode): A.WindowFrame {
    const start = c.start![0];
    return A.WindowFrame.create({
      units: c.units![0].image.toUpperCase() as A.WindowFrame['units'],
      start: this.frameBound(start.children, start),
      end: c.end === undefined ? undefined : this.frameBound(c.end[0].children, c.end[0]),
      span: span(n),
    });
  }

  frameBound(c: C.FrameBoundCstChildren, n: CstNode): A.FrameBound {
    const direction = c.PRECEDING !== undefined ? 'PRECEDING' : 'FOLLOWING';
    const s = span(n);
    if (c.CURRENT !== undefined) return A.FrameBound.create({ type: 'CURRENT ROW', offset: undefined, span: s });
    if (c.UNBOUNDED !== undefined) return A.FrameBound.create({ type: `UNBOUNDED ${direction}`, offset: undefined, span: s });
    return A.FrameBound.create({ type: direction, offset: this.binary(c.offset![0]), span: s });
  }

  orderingTerm(c: C.OrderingTermCstChildren, n: CstNode): A.OrderingTerm {
    return A.OrderingTerm.create({
      expr: this.expr(c.expression[0]),
      direction: c.ASC !== undefined ? 'ASC' : c.DESC !== undefined ? 'DESC' : undefined,
      nulls: c.FIRST !== undefined ? 'FIRST' : c.LAST !== undefined ? 'LAST' : undefined,
      span: span(n),
    });
  }

  typeName(c: C.TypeNameCstChildren, n: CstNode): A.TypeName {
    const words = c.word.map((w) => identifier(w).name.toUpperCase());
    if (c.WITH !== undefined) words.push('WITH TIME ZONE');
    if (c.WITHOUT !== undefined) words.push('WITHOUT TIME ZONE');
    const params = (c.signedNumber ?? []).map((s) => {
      const lit = this.signedNumber(s.children, s);
      return Number((lit as A.IntegerLiteral | A.RealLiteral).value);
    });
    return A.TypeName.create({ name: words.join(' '), params, span: span(n) });
  }

  signedNumber(c: C.SignedNumberCstChildren, n: CstNode): Expression {
    const lit = literal(c.NumberLiteral[0]) as A.IntegerLiteral | A.RealLiteral;
    return c.Minus === undefined ? { ...lit, span: span(n) } : negate(lit, span(n).start);
  }

  objectName(c: C.ObjectNameCstChildren): ObjectName {
    return this.nameOf(c.Name.map(identifier));
  }

  private object(node: C.ObjectNameCstNode): ObjectName {
    return this.objectName(node.children);
  }

  // --- queries --------------------------------------------------------------------------

  private subquery(node: C.QueryCstNode): SelectStatement {
    return this.query(node.children, node);
  }

  withStatement(c: C.WithStatementCstChildren, n: CstNode): Statement {
    const withClause = this.withClause(c.withClause[0].children, c.withClause[0]);
    const s = span(n);
    if (c.selectStatement !== undefined) {
      return { ...this.selectStatement(c.selectStatement[0].children, c.selectStatement[0]), with: withClause, span: s };
    }
    if (c.insertStatement !== undefined) {
      return { ...this.insertStatement(c.insertStatement[0].children, c.insertStatement[0]), with: withClause, span: s };
    }
    if (c.updateStatement !== undefined) {
      return { ...this.updateStatement(c.updateStatement[0].children, c.updateStatement[0]), with: withClause, span: s };
    }
    return { ...this.deleteStatement(c.deleteStatement![0].children, c.deleteStatement![0]), with: withClause, span: s };
  }

  query(c: C.QueryCstChildren, n: CstNode): SelectStatement {
    const select = this.selectStatement(c.selectStatement[0].children, c.selectStatement[0]);
    if (c.withClause === undefined) return select;
    return { ...select, with: this.withClause(c.withClause[0].children, c.withClause[0]), span: span(n) };
  }

  withClause(c: C.WithClauseCstChildren, n: CstNode): WithClause {
    return A.WithClause.create({
      recursive: c.RECURSIVE !== undefined,
      ctes: c.commonTableExpression.map((cte) => this.commonTableExpression(cte.children, cte)),
      span: span(n),
    });
  }

  commonTableExpression(c: C.CommonTableExpressionCstChildren, n: CstNode): A.CommonTableExpression {
    return A.CommonTableExpression.create({
      name: identifier(c.Name[0]),
      columns: (c.column ?? []).map(identifier),
      materialized: c.MATERIALIZED === undefined ? undefined : c.NOT === undefined,
      query: this.subquery(c.query[0]),
      span: span(n),
    });
  }

  selectStatement(c: C.SelectStatementCstChildren, n: CstNode): SelectStatement {
    let body = this.queryTerm(c.queryTerm[0].children);
    const ops = c.compoundOperator ?? [];
    for (let i = 0; i < ops.length; i++) {
      const right = this.queryTerm(c.queryTerm[i + 1].children);
      body = A.CompoundSelect.create({ op: this.compoundOperator(ops[i].children), left: body, right, span: join(body, right) });
    }
    const order = first(c.orderByClause);
    const limits = c.limitClause === undefined ? undefined : this.limitClause(c.limitClause[0].children);
    // A lone parenthesized query: no need for a wrapper around it.
    if (body.kind === 'SelectStatement' && order === undefined && limits === undefined) return { ...body, span: span(n) };
    return A.SelectStatement.create({
      with: undefined,
      body,
      orderBy: order === undefined ? [] : this.orderByClause(order.children),
      limit: limits?.limit,
      offset: limits?.offset,
      span: span(n),
    });
  }

  compoundOperator(c: C.CompoundOperatorCstChildren): CompoundOperator {
    const op = c.UNION !== undefined ? 'UNION' : c.INTERSECT !== undefined ? 'INTERSECT' : 'EXCEPT';
    return c.ALL !== undefined ? `${op} ALL` : op;
  }

  queryTerm(c: C.QueryTermCstChildren): QueryBody {
    if (c.selectCore !== undefined) return this.selectCore(c.selectCore[0].children, c.selectCore[0]);
    if (c.valuesClause !== undefined) return this.valuesClause(c.valuesClause[0].children, c.valuesClause[0]);
    const inner = this.subquery(c.query![0]);
    // (SELECT …) without its own WITH/ORDER BY/LIMIT is just its body.
    const plain = inner.with === undefined && inner.orderBy.length === 0 && inner.limit === undefined && inner.offset === undefined;
    return plain ? inner.body : inner;
  }

  selectCore(c: C.SelectCoreCstChildren, n: CstNode): A.SelectCore {
    return A.SelectCore.create({
      distinct: c.DISTINCT !== undefined,
      columns: c.selectItem.map((item) => this.selectItem(item.children, item)),
      from: c.fromClause === undefined ? undefined : this.fromClause(c.fromClause[0].children),
      where: c.where === undefined ? undefined : this.expr(c.where[0]),
      groupBy: (c.groupBy ?? []).map((e) => this.expr(e)),
      having: c.having === undefined ? undefined : this.expr(c.having[0]),
      windows: (c.namedWindow ?? []).map((w) => this.namedWindow(w.children, w)),
      span: span(n),
    });
  }

  selectItem(c: C.SelectItemCstChildren, n: CstNode): SelectItem {
    if (c.Star !== undefined) {
      return A.SelectStar.create({ qualifier: (c.qualifier ?? []).map(identifier), span: span(n) });
    }
    return A.SelectColumn.create({
      expr: this.expr(c.expression![0]),
      alias: c.alias === undefined ? undefined : identifier(c.alias[0]),
      span: span(n),
    });
  }

  valuesClause(c: C.ValuesClauseCstChildren, n: CstNode): A.ValuesClause {
    return A.ValuesClause.create({ rows: c.valuesRow.map((row) => this.valuesRow(row.children)), span: span(n) });
  }

  valuesRow(c: C.ValuesRowCstChildren): Expression[] {
    return c.expression.map((e) => this.expr(e));
  }

  fromClause(c: C.FromClauseCstChildren): FromItem {
    let from = this.tableExpression(c.tableExpression[0].children);
    for (let i = 1; i < c.tableExpression.length; i++) {
      const right = this.tableExpression(c.tableExpression[i].children);
      from = A.JoinClause.create({
        joinType: 'CROSS', natural: false, left: from, right, on: undefined, using: [], span: join(from, right),
      });
    }
    return from;
  }

  tableExpression(c: C.TableExpressionCstChildren): FromItem {
    let from = this.tablePrimary(c.tablePrimary[0].children, c.tablePrimary[0]);
    for (const j of c.joinClause ?? []) from = this.joinClause(j.children, j, from);
    return from;
  }

  joinClause(c: C.JoinClauseCstChildren, n: CstNode, left?: FromItem): FromItem {
    const joinType = c.LEFT ? 'LEFT' : c.RIGHT ? 'RIGHT' : c.FULL ? 'FULL' : c.CROSS ? 'CROSS' : 'INNER';
    const right = this.tablePrimary(c.tablePrimary[0].children, c.tablePrimary[0]);
    return A.JoinClause.create({
      joinType,
      natural: c.NATURAL !== undefined,
      left: left!,
      right,
      on: c.expression === undefined ? undefined : this.expr(c.expression[0]),
      using: (c.using ?? []).map(identifier),
      span: join(left!, span(n)),
    });
  }

  tablePrimary(c: C.TablePrimaryCstChildren, n: CstNode): FromItem {
    const s = span(n);
    const alias = c.tableAlias === undefined ? undefined : this.tableAlias(c.tableAlias[0].children);
    const aliasFields = { alias: alias?.alias, columnAliases: alias?.columns ?? [] };
    const lateral = c.LATERAL !== undefined ? { lateral: true } : {};
    if (c.query !== undefined) return A.SubqueryRef.create({ query: this.subquery(c.query[0]), ...aliasFields, ...lateral, span: s });
    if (c.LATERAL !== undefined && c.functionTail === undefined) this.fail('LATERAL applies to a subquery or a table function', s);
    if (c.tableExpression !== undefined) return { ...this.tableExpression(c.tableExpression[0].children), span: s };
    const name = this.object(c.objectName![0]);
    if (c.functionTail !== undefined) {
      const call = this.functionTail(c.functionTail[0].children, c.functionTail[0], name);
      return A.TableFunctionRef.create({ call, ...aliasFields, ...lateral, span: s });
    }
    const ref = A.TableRef.create({ name, ...aliasFields, span: s });
    if (c.index !== undefined) return { ...ref, indexedBy: identifier(c.index[0]) };
    return c.INDEXED !== undefined ? { ...ref, notIndexed: true } : ref;
  }

  tableAlias(c: C.TableAliasCstChildren): { alias: Identifier; columns: Identifier[] } {
    return { alias: identifier(c.alias[0]), columns: (c.column ?? []).map(identifier) };
  }

  namedWindow(c: C.NamedWindowCstChildren, n: CstNode): A.NamedWindow {
    return A.NamedWindow.create({
      name: identifier(c.Name[0]),
      spec: this.windowSpec(c.windowSpec[0].children, c.windowSpec[0]),
      span: span(n),
    });
  }

  orderByClause(c: C.OrderByClauseCstChildren): A.OrderingTerm[] {
    return c.orderingTerm.map((o) => this.orderingTerm(o.children, o));
  }

  limitClause(c: C.LimitClauseCstChildren): { limit: Expression | undefined; offset: Expression | undefined } {
    if (c.count !== undefined) return { limit: this.expr(c.count[0]), offset: this.expr(c.limit![0]) };
    const fetch = c.fetchClause === undefined ? undefined : this.fetchClause(c.fetchClause[0].children, c.fetchClause[0]);
    return {
      limit: c.limit !== undefined ? this.expr(c.limit[0]) : fetch,
      offset: c.offset === undefined ? undefined : this.expr(c.offset[0]),
    };
  }

  fetchClause(c: C.FetchClauseCstChildren, n: CstNode): Expression {
    if (c.expression !== undefined) return this.expr(c.expression[0]);
    return A.IntegerLiteral.create({ value: 1, text: '1', span: span(n) });
  }

  // --- data-changing statements ---------------------------------------------------------

  insertStatement(c: C.InsertStatementCstChildren, n: CstNode): A.InsertStatement {
    let conflict: ConflictResolution | undefined;
    if (c.conflictResolution !== undefined) conflict = this.conflictResolution(c.conflictResolution[0].children);
    else if (c.IGNORE !== undefined) conflict = 'IGNORE';
    else if (c.REPLACE !== undefined || c.UPSERT !== undefined) conflict = 'REPLACE';
    const source = c.query !== undefined
      ? this.subquery(c.query[0])
      : A.DefaultValues.create({ span: join(tokenSpan(c.DEFAULT![0]), tokenSpan(c.VALUES![0])) });
    return A.InsertStatement.create({
      with: undefined,
      conflict,
      table: this.object(c.objectName[0]),
      alias: c.alias === undefined ? undefined : identifier(c.alias[0]),
      columns: (c.column ?? []).map(identifier),
      source,
      upsert: (c.upsertClause ?? []).map((u) => this.upsertClause(u.children, u)),
      returning: c.returningClause === undefined ? [] : this.returningClause(c.returningClause[0].children),
      span: span(n),
    });
  }

  conflictResolution(c: C.ConflictResolutionCstChildren): ConflictResolution {
    if (c.ROLLBACK !== undefined) return 'ROLLBACK';
    if (c.ABORT !== undefined) return 'ABORT';
    if (c.FAIL !== undefined) return 'FAIL';
    return c.IGNORE !== undefined ? 'IGNORE' : 'REPLACE';
  }

  upsertClause(c: C.UpsertClauseCstChildren, n: CstNode): A.UpsertClause {
    const target = c.conflictTarget === undefined ? undefined : this.conflictTarget(c.conflictTarget[0].children);
    return A.UpsertClause.create({
      syntax: c.DUPLICATE !== undefined ? 'ON DUPLICATE KEY' : 'ON CONFLICT',
      targetColumns: target?.columns ?? [],
      targetWhere: target?.where,
      targetConstraint: target?.constraint,
      action: c.NOTHING !== undefined ? 'NOTHING' : 'UPDATE',
      assignments: (c.assignment ?? []).map((a) => this.assignment(a.children, a)),
      where: c.where === undefined ? undefined : this.expr(c.where[0]),
      span: span(n),
    });
  }

  conflictTarget(c: C.ConflictTargetCstChildren): {
    columns: A.IndexedColumn[];
    where: Expression | undefined;
    constraint: Identifier | undefined;
  } {
    return {
      columns: (c.indexedColumn ?? []).map((col) => this.indexedColumn(col.children, col)),
      where: c.where === undefined ? undefined : this.expr(c.where[0]),
      constraint: c.constraint === undefined ? undefined : identifier(c.constraint[0]),
    };
  }

  assignment(c: C.AssignmentCstChildren, n: CstNode): A.Assignment {
    return A.Assignment.create({ columns: c.column!.map(identifier), value: this.expr(c.expression[0]), span: span(n) });
  }

  updateStatement(c: C.UpdateStatementCstChildren, n: CstNode): A.UpdateStatement {
    return A.UpdateStatement.create({
      with: undefined,
      conflict: c.conflictResolution === undefined ? undefined : this.conflictResolution(c.conflictResolution[0].children),
      table: this.object(c.objectName[0]),
      alias: c.alias === undefined ? undefined : identifier(c.alias[0]),
      assignments: c.assignment.map((a) => this.assignment(a.children, a)),
      from: c.fromClause === undefined ? undefined : this.fromClause(c.fromClause[0].children),
      where: c.where === undefined ? undefined : this.expr(c.where[0]),
      returning: c.returningClause === undefined ? [] : this.returningClause(c.returningClause[0].children),
      span: span(n),
    });
  }

  deleteStatement(c: C.DeleteStatementCstChildren, n: CstNode): A.DeleteStatement {
    return A.DeleteStatement.create({
      with: undefined,
      table: this.object(c.objectName[0]),
      alias: c.alias === undefined ? undefined : identifier(c.alias[0]),
      where: c.where === undefined ? undefined : this.expr(c.where[0]),
      returning: c.returningClause === undefined ? [] : this.returningClause(c.returningClause[0].children),
      span: span(n),
    });
  }

  returningClause(c: C.ReturningClauseCstChildren): SelectItem[] {
    return c.selectItem.map((item) => this.selectItem(item.children, item));
  }

  // --- schema statements ----------------------------------------------------------------

  createTableStatement(c: C.CreateTableStatementCstChildren, n: CstNode): A.CreateTableStatement {
    const columns: ColumnDefinition[] = [];
    const constraints: TableConstraint[] = [];
    for (const element of c.tableElement ?? []) {
      const built = this.tableElement(element.children);
      if (built.kind === 'ColumnDefinition') columns.push(built);
      else constraints.push(built);
    }
    const options = (c.tableOption ?? []).map((o) => this.tableOption(o.children));
    return A.CreateTableStatement.create({
      temporary: c.TEMP !== undefined || c.TEMPORARY !== undefined,
      ifNotExists: c.ifNotExists !== undefined,
      name: this.object(c.objectName[0]),
      columns,
      constraints,
      withoutRowid: options.includes('WITHOUT ROWID'),
      strict: options.includes('STRICT'),
      asQuery: c.query === undefined ? undefined : this.subquery(c.query[0]),
      span: span(n),
    });
  }

  tableElement(c: C.TableElementCstChildren): ColumnDefinition | TableConstraint {
    if (c.columnDefinition !== undefined) return this.columnDefinition(c.columnDefinition[0].children, c.columnDefinition[0]);
    return this.tableConstraint(c.tableConstraint![0].children, c.tableConstraint![0]);
  }

  columnDefinition(c: C.ColumnDefinitionCstChildren, n: CstNode): ColumnDefinition {
    return A.ColumnDefinition.create({
      name: identifier(c.Name[0]),
      type: c.typeName === undefined ? undefined : this.typeName(c.typeName[0].children, c.typeName[0]),
      constraints: (c.columnConstraint ?? []).map((cc) => this.columnConstraint(cc.children, cc)),
      span: span(n),
    });
  }

  columnConstraint(c: C.ColumnConstraintCstChildren, n: CstNode): ColumnConstraint {
    const name = c.constraintName === undefined ? undefined : identifier(c.constraintName[0]);
    const s = span(n);
    const onConflict = c.conflictClause === undefined ? undefined : this.conflictClause(c.conflictClause[0].children);
    if (c.PRIMARY !== undefined) {
      const direction = c.ASC !== undefined ? 'ASC' : c.DESC !== undefined ? 'DESC' : undefined;
      return A.PrimaryKeyConstraint.create({ name, direction, onConflict, autoincrement: c.AUTOINCREMENT !== undefined, span: s });
    }
    if (c.NOT !== undefined) return A.NotNullConstraint.create({ name, onConflict, span: s });
    if (c.NULL !== undefined) return A.NullConstraint.create({ name, span: s });
    if (c.UNIQUE !== undefined) return A.UniqueConstraint.create({ name, onConflict, span: s });
    if (c.check !== undefined) return A.CheckConstraint.create({ name, expr: this.expr(c.check[0]), span: s });
    if (c.default !== undefined) {
      const value = this.unaryExpression(c.default[0].children, c.default[0]);
      return A.DefaultConstraint.create({ name, value, span: s });
    }
    if (c.collation !== undefined) return A.CollateConstraint.create({ name, collation: identifier(c.collation[0]), span: s });
    if (c.foreignKeyClause !== undefined) {
      const foreignKey = this.foreignKeyClause(c.foreignKeyClause[0].children, c.foreignKeyClause[0]);
      return A.ReferencesConstraint.create({ name, foreignKey, span: s });
    }
    return A.GeneratedConstraint.create({
      name,
      always: c.byDefault === undefined,
      identity: c.IDENTITY !== undefined,
      expr: c.generated === undefined ? undefined : this.expr(c.generated[0]),
      storage: c.STORED !== undefined ? 'STORED' : c.VIRTUAL !== undefined ? 'VIRTUAL' : undefined,
      span: s,
    });
  }

  tableConstraint(c: C.TableConstraintCstChildren, n: CstNode): TableConstraint {
    const name = c.constraintName === undefined ? undefined : identifier(c.constraintName[0]);
    const s = span(n);
    if (c.check !== undefined) return A.CheckConstraint.create({ name, expr: this.expr(c.check[0]), span: s });
    if (c.FOREIGN !== undefined) {
      const foreignKey = this.foreignKeyClause(c.foreignKeyClause![0].children, c.foreignKeyClause![0]);
      return A.ForeignKeyTableConstraint.create({ name, columns: c.column!.map(identifier), foreignKey, span: s });
    }
    const columns = c.indexedColumn!.map((col) => this.indexedColumn(col.children, col));
    const onConflict = c.conflictClause === undefined ? undefined : this.conflictClause(c.conflictClause[0].children);
    if (c.PRIMARY !== undefined) return A.PrimaryKeyTableConstraint.create({ name, columns, onConflict, span: s });
    return A.UniqueTableConstraint.create({ name, columns, onConflict, span: s });
  }

  conflictClause(c: C.ConflictClauseCstChildren): ConflictResolution {
    return this.conflictResolution(c.conflictResolution[0].children);
  }

  foreignKeyClause(c: C.ForeignKeyClauseCstChildren, n: CstNode): A.ForeignKeyClause {
    // ON DELETE/ON UPDATE pair up with the referential actions in source order.
    const events = [...(c.onDelete ?? []), ...(c.onUpdate ?? [])].sort((a, b) => a.startOffset - b.startOffset);
    let onDelete: ReferentialAction | undefined;
    let onUpdate: ReferentialAction | undefined;
    (c.referentialAction ?? []).forEach((node, i) => {
      const action = this.referentialAction(node.children);
      if (events[i].tokenType.name === 'DELETE') onDelete = action;
      else onUpdate = action;
    });
    return A.ForeignKeyClause.create({
      table: this.object(c.objectName[0]),
      columns: (c.column ?? []).map(identifier),
      onDelete,
      onUpdate,
      match: c.match === undefined ? undefined : c.match[0].image.toUpperCase(),
      deferrable: c.DEFERRABLE === undefined ? undefined : c.NOT === undefined,
      initiallyDeferred: c.INITIALLY === undefined ? undefined : c.DEFERRED !== undefined,
      span: span(n),
    });
  }

  referentialAction(c: C.ReferentialActionCstChildren): ReferentialAction {
    if (c.SET !== undefined) return c.NULL !== undefined ? 'SET NULL' : 'SET DEFAULT';
    if (c.CASCADE !== undefined) return 'CASCADE';
    return c.RESTRICT !== undefined ? 'RESTRICT' : 'NO ACTION';
  }

  tableOption(c: C.TableOptionCstChildren): 'WITHOUT ROWID' | 'STRICT' {
    return c.STRICT !== undefined ? 'STRICT' : 'WITHOUT ROWID';
  }

  ifNotExists(): true {
    return true;
  }

  ifExists(): true {
    return true;
  }

  dropBehavior(c: C.DropBehaviorCstChildren): DropBehavior {
    return c.CASCADE !== undefined ? 'CASCADE' : 'RESTRICT';
  }

  private dropFields(c: C.DropTableStatementCstChildren | C.DropIndexStatementCstChildren | C.DropViewStatementCstChildren, n: CstNode) {
    return {
      ifExists: c.ifExists !== undefined,
      names: c.objectName.map((o) => this.object(o)),
      behavior: c.dropBehavior === undefined ? undefined : this.dropBehavior(c.dropBehavior[0].children),
      span: span(n),
    };
  }

  dropTableStatement(c: C.DropTableStatementCstChildren, n: CstNode): A.DropTableStatement {
    return A.DropTableStatement.create(this.dropFields(c, n));
  }

  dropIndexStatement(c: C.DropIndexStatementCstChildren, n: CstNode): A.DropIndexStatement {
    return A.DropIndexStatement.create(this.dropFields(c, n));
  }

  dropViewStatement(c: C.DropViewStatementCstChildren, n: CstNode): A.DropViewStatement {
    return A.DropViewStatement.create(this.dropFields(c, n));
  }

  // --- key-value statements -------------------------------------------------------------

  private unary(n: C.UnaryExpressionCstNode): Expression {
    return this.unaryExpression(n.children, n);
  }

  private ns(c: { inNamespace?: C.InNamespaceCstNode[] }): Identifier | undefined {
    return c.inNamespace === undefined ? undefined : identifier(c.inNamespace[0].children.Name[0]);
  }

  inNamespace(): never {
    throw new Error('inNamespace is read by its statement');
  }

  kvPair(): never {
    throw new Error('kvPair is read by PUT');
  }

  kvPutStatement(c: C.KvPutStatementCstChildren, n: CstNode): A.KvPutStatement {
    return A.KvPutStatement.create({
      path: c.PATH !== undefined,
      pairs: c.kvPair.map((p) => ({ key: this.unary(p.children.key[0]), value: this.binary(p.children.value[0]) })),
      namespace: this.ns(c),
      options: c.optionList === undefined ? [] : this.optionList(c.optionList[0].children),
      span: span(n),
    });
  }

  kvGetStatement(c: C.KvGetStatementCstChildren, n: CstNode): A.KvGetStatement {
    return A.KvGetStatement.create({ mode: 'get', path: c.PATH !== undefined, keys: c.key.map((k) => this.unary(k)), namespace: this.ns(c), span: span(n) });
  }

  kvExistsStatement(c: C.KvExistsStatementCstChildren, n: CstNode): A.KvGetStatement {
    return A.KvGetStatement.create({ mode: 'exists', path: false, keys: c.key.map((k) => this.unary(k)), namespace: this.ns(c), span: span(n) });
  }

  kvDeleteStatement(c: C.KvDeleteStatementCstChildren, n: CstNode): A.KvDeleteStatement {
    return A.KvDeleteStatement.create({
      path: c.PATH !== undefined,
      keys: (c.key ?? []).map((k) => this.unary(k)),
      prefix: c.prefix === undefined ? undefined : this.unary(c.prefix[0]),
      namespace: this.ns(c),
      span: span(n),
    });
  }

  kvScanStatement(c: C.KvScanStatementCstChildren, n: CstNode): A.KvScanStatement {
    const opt = (x: C.UnaryExpressionCstNode[] | undefined) => (x === undefined ? undefined : this.unary(x[0]));
    return A.KvScanStatement.create({
      prefix: opt(c.prefix),
      from: opt(c.from),
      to: opt(c.to),
      after: opt(c.after),
      reverse: c.REVERSE !== undefined,
      limit: opt(c.limit),
      namespace: this.ns(c),
      span: span(n),
    });
  }

  kvListStatement(c: C.KvListStatementCstChildren, n: CstNode): A.KvListStatement {
    return A.KvListStatement.create({ path: this.unary(c.path[0]), namespace: this.ns(c), span: span(n) });
  }

  // --- namespaces and collections -----------------------------------------------------

  optionList(c: C.OptionListCstChildren): A.IndexOption[] {
    return c.indexOption.map((o) => this.indexOption(o.children, o));
  }

  createNamespaceStatement(c: C.CreateNamespaceStatementCstChildren, n: CstNode): A.CreateNamespaceStatement {
    return A.CreateNamespaceStatement.create({
      ifNotExists: c.ifNotExists !== undefined,
      name: identifier(c.Name[0]),
      options: c.optionList === undefined ? [] : this.optionList(c.optionList[0].children),
      span: span(n),
    });
  }

  alterNamespaceStatement(c: C.AlterNamespaceStatementCstChildren, n: CstNode): A.AlterNamespaceStatement {
    return A.AlterNamespaceStatement.create({ name: identifier(c.Name[0]), options: this.optionList(c.optionList[0].children), span: span(n) });
  }

  dropNamespaceStatement(c: C.DropNamespaceStatementCstChildren, n: CstNode): A.DropNamespaceStatement {
    return A.DropNamespaceStatement.create({
      ifExists: c.ifExists !== undefined,
      name: identifier(c.Name[0]),
      behavior: c.dropBehavior === undefined ? undefined : this.dropBehavior(c.dropBehavior[0].children),
      span: span(n),
    });
  }

  createCollectionStatement(c: C.CreateCollectionStatementCstChildren, n: CstNode): A.CreateCollectionStatement {
    return A.CreateCollectionStatement.create({
      ifNotExists: c.ifNotExists !== undefined,
      name: this.object(c.objectName[0]),
      options: this.optionList(c.optionList[0].children),
      span: span(n),
    });
  }

  alterCollectionStatement(c: C.AlterCollectionStatementCstChildren, n: CstNode): A.AlterCollectionStatement {
    return A.AlterCollectionStatement.create({ name: this.object(c.objectName[0]), options: this.optionList(c.optionList[0].children), span: span(n) });
  }

  dropCollectionStatement(c: C.DropCollectionStatementCstChildren, n: CstNode): A.DropCollectionStatement {
    return A.DropCollectionStatement.create({ ifExists: c.ifExists !== undefined, names: c.objectName.map((o) => this.object(o)), span: span(n) });
  }

  alterTableStatement(c: C.AlterTableStatementCstChildren, n: CstNode): A.AlterTableStatement {
    return A.AlterTableStatement.create({
      ifExists: c.ifExists !== undefined,
      table: this.object(c.objectName[0]),
      actions: c.alterTableAction.map((a) => this.alterTableAction(a.children, a)),
      span: span(n),
    });
  }

  alterTableAction(c: C.AlterTableActionCstChildren, n: CstNode): AlterTableAction {
    const s = span(n);
    const behavior = c.dropBehavior === undefined ? undefined : this.dropBehavior(c.dropBehavior[0].children);
    if (c.tableConstraint !== undefined) {
      return A.AddConstraintAction.create({ constraint: this.tableConstraint(c.tableConstraint[0].children, c.tableConstraint[0]), span: s });
    }
    if (c.columnDefinition !== undefined) {
      const column = this.columnDefinition(c.columnDefinition[0].children, c.columnDefinition[0]);
      return A.AddColumnAction.create({ ifNotExists: c.ifNotExists !== undefined, column, span: s });
    }
    if (c.RENAME !== undefined) {
      const newName = identifier(c.newName![0]);
      if (c.column === undefined) return A.RenameTableAction.create({ newName, span: s });
      return A.RenameColumnAction.create({ column: identifier(c.column[0]), newName, span: s });
    }
    if (c.constraint !== undefined) {
      return A.DropConstraintAction.create({ ifExists: c.ifExists !== undefined, constraint: identifier(c.constraint[0]), behavior, span: s });
    }
    return A.DropColumnAction.create({ ifExists: c.ifExists !== undefined, column: identifier(c.column![0]), behavior, span: s });
  }

  createIndexStatement(c: C.CreateIndexStatementCstChildren, n: CstNode): A.CreateIndexStatement {
    return A.CreateIndexStatement.create({
      unique: c.UNIQUE !== undefined,
      ifNotExists: c.ifNotExists !== undefined,
      name: c.indexName === undefined ? undefined : this.object(c.indexName[0]),
      table: this.object(c.table[0]),
      method: c.method === undefined ? undefined : identifier(c.method[0]),
      columns: c.indexedColumn.map((col) => this.indexedColumn(col.children, col)),
      options: (c.indexOptions ?? []).flatMap((o) => this.indexOptions(o.children)),
      where: c.where === undefined ? undefined : this.expr(c.where[0]),
      span: span(n),
    });
  }

  indexedColumn(c: C.IndexedColumnCstChildren, n: CstNode): A.IndexedColumn {
    return A.IndexedColumn.create({
      expr: this.expr(c.expression[0]),
      opclass: c.opclass === undefined ? undefined : identifier(c.opclass[0]),
      direction: c.ASC !== undefined ? 'ASC' : c.DESC !== undefined ? 'DESC' : undefined,
      nulls: c.FIRST !== undefined ? 'FIRST' : c.LAST !== undefined ? 'LAST' : undefined,
      span: span(n),
    });
  }

  indexOptions(c: C.IndexOptionsCstChildren): A.IndexOption[] {
    return c.indexOption.map((o) => this.indexOption(o.children, o));
  }

  indexOption(c: C.IndexOptionCstChildren, n: CstNode): A.IndexOption {
    let value: Expression | undefined;
    if (c.signedNumber !== undefined) value = this.signedNumber(c.signedNumber[0].children, c.signedNumber[0]);
    else if (c.StringLiteral !== undefined) value = literal(c.StringLiteral[0]);
    else if (c.word !== undefined) value = this.word(c.word[0]);
    return A.IndexOption.create({ name: identifier(c.Name[0]), value, span: span(n) });
  }

  /** A bare word used as a value (SET, PRAGMA, index options): a one-part column reference. */
  private word(token: IToken): Expression {
    return A.ColumnRef.create({ schema: undefined, table: undefined, column: identifier(token), span: tokenSpan(token) });
  }

  createViewStatement(c: C.CreateViewStatementCstChildren, n: CstNode): A.CreateViewStatement {
    return A.CreateViewStatement.create({
      orReplace: c.REPLACE !== undefined,
      temporary: c.TEMP !== undefined || c.TEMPORARY !== undefined,
      ifNotExists: c.ifNotExists !== undefined,
      name: this.object(c.objectName[0]),
      columns: (c.column ?? []).map(identifier),
      query: this.subquery(c.query[0]),
      span: span(n),
    });
  }

  // --- transactions ---------------------------------------------------------------------

  beginStatement(c: C.BeginStatementCstChildren, n: CstNode): A.BeginStatement {
    let isolation: IsolationLevel | undefined;
    let readOnly: boolean | undefined;
    for (const mode of c.transactionMode ?? []) {
      const built = this.transactionMode(mode.children);
      if ('isolation' in built) isolation = built.isolation;
      else readOnly = built.readOnly;
    }
    const mode = c.mode === undefined ? undefined : (c.mode[0].image.toUpperCase() as A.BeginStatement['mode']);
    return A.BeginStatement.create({ mode, isolation, readOnly, span: span(n) });
  }

  transactionMode(c: C.TransactionModeCstChildren): { isolation: IsolationLevel } | { readOnly: boolean } {
    if (c.access !== undefined) return { readOnly: c.ONLY !== undefined };
    if (c.SERIALIZABLE !== undefined) return { isolation: 'SERIALIZABLE' };
    if (c.SNAPSHOT !== undefined) return { isolation: 'SNAPSHOT' };
    if (c.REPEATABLE !== undefined) return { isolation: 'REPEATABLE READ' };
    return { isolation: c.COMMITTED !== undefined ? 'READ COMMITTED' : 'READ UNCOMMITTED' };
  }

  commitStatement(_c: C.CommitStatementCstChildren, n: CstNode): A.CommitStatement {
    return A.CommitStatement.create({ span: span(n) });
  }

  rollbackStatement(c: C.RollbackStatementCstChildren, n: CstNode): A.RollbackStatement {
    return A.RollbackStatement.create({ savepoint: c.Name === undefined ? undefined : identifier(c.Name[0]), span: span(n) });
  }

  savepointStatement(c: C.SavepointStatementCstChildren, n: CstNode): A.SavepointStatement {
    return A.SavepointStatement.create({ name: identifier(c.Name[0]), span: span(n) });
  }

  releaseStatement(c: C.ReleaseStatementCstChildren, n: CstNode): A.ReleaseStatement {
    return A.ReleaseStatement.create({ name: identifier(c.Name[0]), span: span(n) });
  }

  // --- utility --------------------------------------------------------------------------

  explainStatement(c: C.ExplainStatementCstChildren, n: CstNode): A.ExplainStatement {
    return A.ExplainStatement.create({
      analyze: c.ANALYZE !== undefined,
      queryPlan: c.QUERY !== undefined,
      statement: this.statement(c.statement[0].children),
      span: span(n),
    });
  }

  analyzeStatement(c: C.AnalyzeStatementCstChildren, n: CstNode): A.AnalyzeStatement {
    return A.AnalyzeStatement.create({ target: c.objectName === undefined ? undefined : this.object(c.objectName[0]), span: span(n) });
  }

  setStatement(c: C.SetStatementCstChildren, n: CstNode): A.SetStatement {
    return A.SetStatement.create({
      scope: c.scope === undefined ? undefined : (c.scope[0].image.toUpperCase() as 'SESSION' | 'LOCAL'),
      name: c.Name.map(identifier),
      values: c.setValue.map((v) => this.setValue(v.children)),
      span: span(n),
    });
  }

  setValue(c: C.SetValueCstChildren): Expression {
    return c.ON !== undefined ? this.word(c.ON[0]) : this.expr(c.expression![0]);
  }

  pragmaStatement(c: C.PragmaStatementCstChildren, n: CstNode): A.PragmaStatement {
    const value = c.pragmaValue === undefined ? undefined : this.pragmaValue(c.pragmaValue[0].children);
    return A.PragmaStatement.create({ name: this.object(c.objectName[0]), value, span: span(n) });
  }

  pragmaValue(c: C.PragmaValueCstChildren): Expression {
    if (c.signedNumber !== undefined) return this.signedNumber(c.signedNumber[0].children, c.signedNumber[0]);
    if (c.StringLiteral !== undefined) return literal(c.StringLiteral[0]);
    return this.word(c.word![0]);
  }

  reindexStatement(c: C.ReindexStatementCstChildren, n: CstNode): A.ReindexStatement {
    return A.ReindexStatement.create({ target: c.objectName === undefined ? undefined : this.object(c.objectName[0]), span: span(n) });
  }

  vacuumStatement(c: C.VacuumStatementCstChildren, n: CstNode): A.VacuumStatement {
    return A.VacuumStatement.create({
      schema: c.Name === undefined ? undefined : identifier(c.Name[0]),
      into: c.StringLiteral === undefined ? undefined : stringValue(c.StringLiteral[0]),
      span: span(n),
    });
  }
}

const builder = new AstBuilder();

/** Builds the AST of a script parsed by the shared parser's `script` rule; `sql` is its text. */
export function buildStatements(cst: CstNode, sql: string): Statement[] {
  return builder.build(cst, sql);
}

// Structural identity of bound expressions: the text two expressions share when they compute the same thing.

import { mapExpr, someExpr, type BoundExpr } from '../compiler/bound.js';
import { foldExpr } from './rules/constant-folding.js';

/** Operators whose operands may be swapped without changing the result. */
const COMMUTATIVE: ReadonlySet<string> = new Set(['+', '*', '=', '<>', 'AND', 'OR', '&', '|']);

/** Puts the operands of commutative operators in a fixed order, so that `b * 2` and `2 * b` meet. */
function canonical(e: BoundExpr): BoundExpr {
  return mapExpr(e, (x) => {
    if (x.kind !== 'Binary' || !COMMUTATIVE.has(x.op)) return x;
    const l = text(x.left);
    const r = text(x.right);
    return l <= r ? x : { ...x, left: x.right, right: x.left };
  });
}

/**
 * JSON of an expression without what does not change its value: static types (derived from the
 * rest) and the display names of columns (positions decide). Function names stay.
 */
function text(e: BoundExpr): string {
  return JSON.stringify(e, function (this: { kind?: string }, k: string, v: unknown) {
    if (k === 'type') return undefined;
    if (k === 'name' && (this.kind === 'Column' || this.kind === 'OuterColumn')) return undefined;
    return typeof v === 'bigint' ? `${v}n` : v;
  });
}

/**
 * The shape of an expression: equal for expressions that are structurally the same after
 * constant folding and ordering the operands of commutative operators. Expressions with a
 * subquery have no shape (undefined): their plans are not compared.
 */
export function exprShape(e: BoundExpr): string | undefined {
  if (someExpr(e, (x) => x.kind === 'Subquery')) return undefined;
  return text(canonical(foldExpr(e)));
}

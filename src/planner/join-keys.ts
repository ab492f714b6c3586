// Join keys: the equi-join pairs of a join condition, which hash, merge and index joins look up by.

import { type BoundExpr, mapExpr, someExpr } from '../compiler/bound.js';
import { conjuncts } from './rules/predicate-pushdown.js';

/** A join condition split into equi-join key pairs (left[i] = right[i], right over the right input's columns) and the rest. */
export interface EquiKeys {
  readonly left: BoundExpr[];
  readonly right: BoundExpr[];
  readonly rest: BoundExpr[];
}

/** Splits join conjuncts into equi-join key pairs (left expr, right expr) and the rest. */
export function equiKeys(condition: BoundExpr | undefined, leftWidth: number): EquiKeys {
  const left: BoundExpr[] = [];
  const right: BoundExpr[] = [];
  const rest: BoundExpr[] = [];
  const side = (e: BoundExpr): 'L' | 'R' | 'both' | 'none' => {
    let l = false;
    let r = false;
    if (someExpr(e, (x) => x.kind === 'Subquery')) return 'both';
    someExpr(e, (x) => {
      if (x.kind === 'Column') {
        if (x.index < leftWidth) l = true;
        else r = true;
      }
      return false;
    });
    return l && r ? 'both' : l ? 'L' : r ? 'R' : 'none';
  };
  const comparable = (a: BoundExpr, b: BoundExpr) => {
    const num = (t: string) => t === 'integer' || t === 'real' || t === 'numeric' || t === 'boolean';
    return (num(a.type) && num(b.type)) || (a.type === b.type && a.type !== 'any');
  };
  for (const c of conjuncts(condition)) {
    if (c.kind === 'Binary' && c.op === '=' && !c.collation && comparable(c.left, c.right)) {
      const a = side(c.left);
      const b = side(c.right);
      if (a === 'L' && b === 'R') {
        left.push(c.left);
        right.push(shift(c.right, -leftWidth));
        continue;
      }
      if (a === 'R' && b === 'L') {
        left.push(c.right);
        right.push(shift(c.left, -leftWidth));
        continue;
      }
    }
    rest.push(c);
  }
  return { left, right, rest };
}

/** Moves an expression's column references by `by` (from one side's columns to the joined row's, or back). */
export function shift(e: BoundExpr, by: number): BoundExpr {
  return mapExpr(e, (x) => (x.kind === 'Column' ? { ...x, index: x.index + by } : x));
}

/** `l = r`, for key pairs a join checks as part of its residual. */
export function eqExpr(l: BoundExpr, r: BoundExpr): BoundExpr {
  return { kind: 'Binary', op: '=', left: l, right: r, type: 'boolean' };
}

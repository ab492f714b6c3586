// Where a column of a logical plan's rows comes from: a column of a scanned table, traced through
// the operators that pass columns on unchanged. The cost model reads that column's statistics.

import type { TableDef } from '../storage/catalog.js';
import type { LogicalPlan } from './logical.js';

/** A table column: `column` is its position in the table (the table's column count: the rowid). */
export interface ColumnOrigin {
  readonly table: TableDef;
  readonly column: number;
}

/** The table column behind column `index` of `p`'s rows, or undefined when it is computed or unknown. */
export function columnOrigin(p: LogicalPlan, index: number): ColumnOrigin | undefined {
  switch (p.kind) {
    case 'Scan':
      return index <= p.table.columns.length ? { table: p.table, column: index } : undefined;
    case 'Filter':
    case 'Sort':
    case 'Limit':
    case 'Distinct':
    case 'Window':
      // Window appends its calls after the input's columns.
      return index < p.input.schema.length ? columnOrigin(p.input, index) : undefined;
    case 'Project': {
      const e = p.exprs[index];
      return e?.kind === 'Column' ? columnOrigin(p.input, e.index) : undefined;
    }
    case 'Join': {
      const lw = p.left.schema.length;
      if (index < lw) return columnOrigin(p.left, index);
      return p.joinType === 'SEMI' || p.joinType === 'ANTI' ? undefined : columnOrigin(p.right, index - lw);
    }
    default:
      return undefined;
  }
}

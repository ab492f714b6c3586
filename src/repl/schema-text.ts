// CREATE TABLE / CREATE INDEX text of catalog definitions, for `.schema` and `.indexes`.

import type { IndexDef, TableDef } from '../storage/catalog.js';

/** Quotes a name when it is not a plain lower/upper-case identifier. */
export function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** The CREATE TABLE statement of a table, one column or constraint a line. */
export function tableDdl(t: TableDef): string {
  const lines: string[] = t.columns.map((c, i) => {
    let s = `  ${quoteName(c.name)}${c.declaredType ? ` ${c.declaredType}` : ''}`;
    if (t.primaryKey.length === 1 && t.primaryKey[0] === i) s += ' PRIMARY KEY';
    if (t.rowidColumn === i && t.autoincrement) s += ' AUTOINCREMENT';
    if (c.notNull) s += ' NOT NULL';
    if (c.defaultSql !== undefined) s += ` DEFAULT ${c.defaultSql}`;
    if (c.collation) s += ` COLLATE ${c.collation}`;
    return s;
  });
  const cols = (ix: readonly number[]) => ix.map((i) => quoteName(t.columns[i]!.name)).join(', ');
  if (t.primaryKey.length > 1) lines.push(`  PRIMARY KEY (${cols(t.primaryKey)})`);
  for (const u of t.uniques) lines.push(`  ${u.name ? `CONSTRAINT ${quoteName(u.name)} ` : ''}UNIQUE (${cols(u.columns)})`);
  for (const c of t.checks) lines.push(`  ${c.name ? `CONSTRAINT ${quoteName(c.name)} ` : ''}CHECK (${c.sql})`);
  for (const f of t.foreignKeys) {
    const ref = f.refColumns.length > 0 ? ` (${f.refColumns.map(quoteName).join(', ')})` : '';
    let s = `  FOREIGN KEY (${f.columns.map(quoteName).join(', ')}) REFERENCES ${quoteName(f.refTable)}${ref}`;
    if (f.onDelete !== 'NO ACTION') s += ` ON DELETE ${f.onDelete}`;
    if (f.onUpdate !== 'NO ACTION') s += ` ON UPDATE ${f.onUpdate}`;
    lines.push(s);
  }
  return `CREATE TABLE ${quoteName(t.name)} (\n${lines.join(',\n')}\n);`;
}

/** The CREATE INDEX statement of an index (a comment for one made by a constraint). */
export function indexDdl(ix: IndexDef, t: TableDef): string {
  const cols = ix.columns.map((c) => `${'column' in c ? quoteName(t.columns[c.column]?.name ?? `#${c.column}`) : `(${c.exprSql})`}${c.desc ? ' DESC' : ''}`).join(', ');
  const text = `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${quoteName(ix.name)} ON ${quoteName(t.name)} (${cols})${ix.whereSql ? ` WHERE ${ix.whereSql}` : ''};`;
  return ix.implicit ? `-- ${text.slice(0, -1)} (made by a constraint)` : text;
}

// Spelling values and names into ToonQL text, for the API methods that compile to statements.

/** A quoted identifier: "name", with embedded quotes doubled. Quoting keeps the spelling. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal: 'text', with embedded quotes doubled. */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The SQL name of an object of a namespace: `"t"` in the default namespace, `"ns"."t"` elsewhere. */
export function objectSql(namespace: string, name: string): string {
  return namespace.toLowerCase() === 'default' ? quoteIdent(name) : `${quoteIdent(namespace)}.${quoteIdent(name)}`;
}

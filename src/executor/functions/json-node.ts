// The JSON tree the JSON functions work on: node types, string escaping and the minifying writer.

/** A parsed JSON value. Numbers and strings keep canonical JSON text (strings without the quotes). */
export type JsonNode =
  | { readonly t: 'null' }
  | { readonly t: 'true' }
  | { readonly t: 'false' }
  | { readonly t: 'int'; readonly raw: string }
  | { readonly t: 'real'; readonly raw: string }
  | { readonly t: 'text'; readonly raw: string }
  | { readonly t: 'array'; readonly items: JsonNode[] }
  | { readonly t: 'object'; readonly keys: string[]; readonly vals: JsonNode[] };

/** The shared JSON null leaf. */
export const JSON_NULL: JsonNode = { t: 'null' };
/** The shared JSON true leaf. */
export const JSON_TRUE: JsonNode = { t: 'true' };
/** The shared JSON false leaf. */
export const JSON_FALSE: JsonNode = { t: 'false' };

const HEXDIGITS = '0123456789abcdef';

/** Escapes a string as JSON string content (no quotes), as SQLite's jsonAppendString does. */
export function escapeJsonString(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 34 && c !== 92) continue;
    out += s.slice(from, i);
    from = i + 1;
    if (c === 34 || c === 92) out += '\\' + s[i];
    else if (c === 8) out += '\\b';
    else if (c === 9) out += '\\t';
    else if (c === 10) out += '\\n';
    else if (c === 12) out += '\\f';
    else if (c === 13) out += '\\r';
    else out += '\\u00' + HEXDIGITS[c >> 4] + HEXDIGITS[c & 15];
  }
  return from === 0 ? s : out + s.slice(from);
}

/** Decodes JSON string content (escapes) into the SQL text it denotes. */
export function unescapeJsonString(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    switch (e[0]) {
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
        return String.fromCharCode(parseInt(e.slice(1), 16));
      default:
        return e;
    }
  });
}

/** Minified JSON text of a node. */
export function stringifyJson(n: JsonNode): string {
  switch (n.t) {
    case 'null':
    case 'true':
    case 'false':
      return n.t;
    case 'int':
    case 'real':
      return n.raw;
    case 'text':
      return '"' + n.raw + '"';
    case 'array':
      return '[' + n.items.map(stringifyJson).join(',') + ']';
    case 'object': {
      let out = '{';
      for (let i = 0; i < n.keys.length; i++) out += (i ? ',"' : '"') + n.keys[i] + '":' + stringifyJson(n.vals[i]!);
      return out + '}';
    }
  }
}


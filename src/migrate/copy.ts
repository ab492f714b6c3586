// Reads the rows of a PostgreSQL COPY … FROM stdin block in text format.

/** One decoded COPY row: text values, or null for `\N`. */
export type CopyRow = (string | null)[];

const SIMPLE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/**
 * Decodes one field of COPY text format: `\N` alone is NULL; backslash escapes are
 * \b \f \n \r \t \v \\, octal \NNN and hex \xHH; any other escaped character stands for itself.
 */
export function decodeCopyField(field: string): string | null {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  let out = '';
  for (let i = 0; i < field.length; i++) {
    const ch = field[i]!;
    if (ch !== '\\' || i + 1 >= field.length) {
      out += ch;
      continue;
    }
    const nx = field[++i]!;
    if (SIMPLE[nx] !== undefined) {
      out += SIMPLE[nx];
    } else if (nx >= '0' && nx <= '7') {
      const oct = /^[0-7]{1,3}/.exec(field.slice(i, i + 3))![0];
      out += String.fromCharCode(parseInt(oct, 8));
      i += oct.length - 1;
    } else if (nx === 'x' && /^[0-9A-Fa-f]/.test(field[i + 1] ?? '')) {
      const hex = /^[0-9A-Fa-f]{1,2}/.exec(field.slice(i + 1, i + 3))![0];
      out += String.fromCharCode(parseInt(hex, 16));
      i += hex.length;
    } else {
      out += nx;
    }
  }
  return out;
}

/** Splits a COPY data block into rows of decoded fields (tab-separated, one row per line). */
export function parseCopyRows(data: string): CopyRow[] {
  const rows: CopyRow[] = [];
  const lines = data.split('\n');
  // The block ends with a newline; a blank line before that is a row (one empty field).
  if (lines[lines.length - 1] === '') lines.pop();
  for (const rawLine of lines) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    rows.push(line.split('\t').map(decodeCopyField));
  }
  return rows;
}

/** Decodes bytea text output: `\x` hex format, or the older escape format (`\\`, `\NNN`). */
export function decodeBytea(text: string): Uint8Array {
  if (text.startsWith('\\x')) return Uint8Array.from(Buffer.from(text.slice(2), 'hex'));
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && text[i + 1] === '\\') {
      bytes.push(0x5c);
      i++;
    } else if (ch === '\\' && /^[0-7]{3}$/.test(text.slice(i + 1, i + 4))) {
      bytes.push(parseInt(text.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
    }
  }
  return Uint8Array.from(bytes);
}

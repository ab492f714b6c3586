// A JSON5-tolerant parser that keeps number and string text as written (SQLite's json() echoes
// '1.50' and '\u0041' unchanged) and rewrites JSON5 spellings into canonical JSON.

import { QueryExecutionError } from '../../errors.js';
import { JSON_FALSE, JSON_NULL, JSON_TRUE, escapeJsonString, type JsonNode } from './json-node.js';

/** Thrown by the parser on malformed input; callers turn it into SQLite's error or NULL. */
class JsonSyntax extends Error {}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 36 || c === 95 || c > 127;
}

/** Recursive-descent parser; `json5` accepts SQLite's JSON5 extensions and records whether any were used. */
class Parser {
  i = 0;
  usedJson5 = false;
  constructor(readonly s: string, readonly json5: boolean) {}

  ext(): void {
    if (!this.json5) throw new JsonSyntax();
    this.usedJson5 = true;
  }

  ws(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else if (c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029 || (c >= 0x2000 && c <= 0x200a) || c === 0x3000 || c === 0x1680 || c === 0x202f || c === 0x205f) {
        this.ext();
        this.i++;
      } else if (c === 47 && s[this.i + 1] === '/') {
        this.ext();
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else if (c === 47 && s[this.i + 1] === '*') {
        this.ext();
        const end = s.indexOf('*/', this.i + 2);
        if (end < 0) throw new JsonSyntax();
        this.i = end + 2;
      } else return;
    }
  }

  value(depth: number): JsonNode {
    if (depth > 1000) throw new JsonSyntax();
    this.ws();
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (c === 123) return this.object(depth);
    if (c === 91) return this.array(depth);
    if (c === 34 || c === 39) return { t: 'text', raw: this.string() };
    if (s.startsWith('true', this.i)) return this.word(4, JSON_TRUE);
    if (s.startsWith('false', this.i)) return this.word(5, JSON_FALSE);
    if (s.startsWith('null', this.i)) return this.word(4, JSON_NULL);
    return this.number();
  }

  word(n: number, node: JsonNode): JsonNode {
    this.i += n;
    if (isIdentStart(this.s.charCodeAt(this.i)) || (this.s.charCodeAt(this.i) >= 48 && this.s.charCodeAt(this.i) <= 57)) throw new JsonSyntax();
    return node;
  }

  array(depth: number): JsonNode {
    this.i++;
    const items: JsonNode[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return { t: 'array', items };
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return { t: 'array', items };
      if (c !== ',') throw new JsonSyntax();
      this.ws();
      if (this.s[this.i] === ']') {
        this.ext();
        this.i++;
        return { t: 'array', items };
      }
    }
  }

  object(depth: number): JsonNode {
    this.i++;
    const keys: string[] = [];
    const vals: JsonNode[] = [];
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return { t: 'object', keys, vals };
    }
    for (;;) {
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 34 || c === 39) keys.push(this.string());
      else if (isIdentStart(c)) {
        this.ext();
        const start = this.i;
        while (this.i < this.s.length) {
          const d = this.s.charCodeAt(this.i);
          if (!(isIdentStart(d) || (d >= 48 && d <= 57))) break;
          this.i++;
        }
        keys.push(this.s.slice(start, this.i));
      } else throw new JsonSyntax();
      this.ws();
      if (this.s[this.i++] !== ':') throw new JsonSyntax();
      vals.push(this.value(depth + 1));
      this.ws();
      const d = this.s[this.i++];
      if (d === '}') return { t: 'object', keys, vals };
      if (d !== ',') throw new JsonSyntax();
      this.ws();
      if (this.s[this.i] === '}') {
        this.ext();
        this.i++;
        return { t: 'object', keys, vals };
      }
    }
  }

  /** A string literal; returns its canonical JSON-escaped content. */
  string(): string {
    const s = this.s;
    const q = s[this.i]!;
    if (q === "'") this.ext();
    const start = ++this.i;
    let out: string | null = q === '"' ? null : '';
    let from = start;
    for (;;) {
      if (this.i >= s.length) throw new JsonSyntax();
      const c = s.charCodeAt(this.i);
      if (s[this.i] === q) break;
      if (c < 0x20) {
        // JSON5 (as SQLite reads it) allows raw control characters; canonical output escapes them.
        if (c === 0) throw new JsonSyntax();
        this.ext();
        out = (out ?? '') + s.slice(from, this.i) + escapeJsonString(s[this.i]!);
        from = ++this.i;
        continue;
      }
      if (c === 34 && q === "'") {
        out = (out ?? '') + s.slice(from, this.i) + '\\"';
        from = ++this.i;
        continue;
      }
      if (c !== 92) {
        this.i++;
        continue;
      }
      const e = s[this.i + 1];
      if (e === '"' || e === '\\' || e === '/' || e === 'b' || e === 'f' || e === 'n' || e === 'r' || e === 't') {
        this.i += 2;
      } else if (e === 'u' && [2, 3, 4, 5].every((k) => isHex(s.charCodeAt(this.i + k)))) {
        this.i += 6;
      } else {
        this.ext();
        out = (out ?? '') + s.slice(from, this.i);
        let rep: string;
        let len = 2;
        if (e === "'") rep = "'";
        else if (e === 'v') rep = '\\u000b';
        else if (e === '0' && !(s.charCodeAt(this.i + 2) >= 48 && s.charCodeAt(this.i + 2) <= 57)) rep = '\\u0000';
        else if (e === 'x' && isHex(s.charCodeAt(this.i + 2)) && isHex(s.charCodeAt(this.i + 3))) {
          rep = '\\u00' + s.slice(this.i + 2, this.i + 4).toLowerCase();
          len = 4;
        } else if (e === '\n' || e === '\u2028' || e === '\u2029') rep = '';
        else if (e === '\r') {
          rep = '';
          if (s[this.i + 2] === '\n') len = 3;
        } else throw new JsonSyntax();
        out += rep;
        this.i += len;
        from = this.i;
      }
    }
    const end = this.i++;
    return out === null ? s.slice(start, end) : out + s.slice(from, end);
  }

  number(): JsonNode {
    const s = this.s;
    const start = this.i;
    let sign = '';
    let fixed = false; // a JSON5 spelling that must be rewritten in canonical JSON
    if (s[this.i] === '+') {
      this.ext();
      fixed = true;
      this.i++;
    } else if (s[this.i] === '-') {
      sign = '-';
      this.i++;
    }
    const c0 = s.charCodeAt(this.i) | 0x20;
    const word = c0 === 105 || c0 === 110 || c0 === 113 || c0 === 115 ? /^(infinity|inf|nan|qnan|snan)(?![0-9a-z])/i.exec(s.slice(this.i, this.i + 9)) : null;
    if (word) {
      const isInf = word[1]!.toLowerCase().startsWith('inf');
      // SQLite accepts ±inf/±Infinity in any case, and NaN/QNaN/SNaN only without a sign.
      if (!isInf && this.i !== start) throw new JsonSyntax();
      this.ext();
      this.i += word[1]!.length;
      return isInf ? { t: 'real', raw: sign + '9e999' } : JSON_NULL;
    }
    if (s[this.i] === '0' && (s[this.i + 1] === 'x' || s[this.i + 1] === 'X') && isHex(s.charCodeAt(this.i + 2))) {
      this.ext();
      let j = this.i + 2;
      while (isHex(s.charCodeAt(j))) j++;
      const v = BigInt('0x' + s.slice(this.i + 2, j));
      this.i = j;
      return { t: 'int', raw: sign + v.toString() };
    }
    const digits = (): string => {
      const d = this.i;
      while (s.charCodeAt(this.i) >= 48 && s.charCodeAt(this.i) <= 57) this.i++;
      return s.slice(d, this.i);
    };
    let intDigits = digits();
    if (intDigits.length > 1 && intDigits[0] === '0') throw new JsonSyntax();
    let hasDot = false;
    let frac = '';
    if (s[this.i] === '.') {
      hasDot = true;
      this.i++;
      frac = digits();
      if (frac === '' && intDigits === '') throw new JsonSyntax();
      if (intDigits === '' || frac === '') {
        this.ext();
        fixed = true;
        if (intDigits === '') intDigits = '0';
        if (frac === '') frac = '0';
      }
    } else if (intDigits === '') throw new JsonSyntax();
    let exp = '';
    if (s[this.i] === 'e' || s[this.i] === 'E') {
      const e = this.i++;
      if (s[this.i] === '+' || s[this.i] === '-') this.i++;
      if (digits() === '') throw new JsonSyntax();
      exp = s.slice(e, this.i);
    }
    const raw = fixed ? sign + intDigits + (hasDot ? '.' + frac : '') + exp : s.slice(start, this.i);
    return { t: hasDot || exp ? 'real' : 'int', raw };
  }
}

/** Parses JSON text (JSON5 accepted when json5 is true); null when malformed. */
export function tryParseJson(text: string, json5 = true): JsonNode | null {
  const p = new Parser(text, json5);
  try {
    const v = p.value(0);
    p.ws();
    return p.i === text.length ? v : null;
  } catch (err) {
    if (err instanceof JsonSyntax) return null;
    throw err;
  }
}

/** Whether text is well-formed: flags bit 1 accepts RFC 8259 JSON, bit 2 JSON5 (json_valid semantics). */
export function isValidJson(text: string, flags = 1): boolean {
  if (flags & 1 && tryParseJson(text, false) !== null) return true;
  return (flags & 2) !== 0 && tryParseJson(text, true) !== null;
}

/** Parses JSON text or throws SQLite's "malformed JSON" error. */
export function parseJson(text: string): JsonNode {
  const v = tryParseJson(text, true);
  if (v === null) throw new QueryExecutionError('malformed JSON');
  return v;
}


/** Parsed documents by text, for read-only lookups (->, ->>): filters over the same rows re-read them. */
const parsedCache = new Map<string, JsonNode>();
const PARSED_CACHE_ENTRIES = 50_000;
const PARSED_CACHE_MAX_TEXT = 4096;

/**
 * parseJson for callers that never change the tree they get (the tree may be shared). Metadata
 * filters evaluate `metadata ->> 'field'` on every row a search considers; parsing each
 * document once instead of once per query is what keeps filtered search fast.
 */
export function parseJsonShared(text: string): JsonNode {
  if (text.length > PARSED_CACHE_MAX_TEXT) return parseJson(text);
  let node = parsedCache.get(text);
  if (node === undefined) {
    node = parseJson(text);
    if (parsedCache.size >= PARSED_CACHE_ENTRIES) parsedCache.clear();
    parsedCache.set(text, node);
  }
  return node;
}

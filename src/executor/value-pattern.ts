// LIKE, GLOB and REGEXP matching: a port of SQLite's patternCompare over cached, pre-decoded patterns.

import { QueryExecutionError } from '../errors.js';
import type { SqlValue } from './value.js';
import { valueToText } from './value-text.js';

const MATCH = 0;
const NOMATCH = 1;
const NOWILDCARDMATCH = 2;

/** How one flavour of pattern is read: wildcard code points, set syntax and case folding. */
interface PatternInfo {
  matchAll: number;
  matchOne: number;
  matchSet: boolean;
  noCase: boolean;
  /** The escape character (LIKE) or '[' (GLOB); 0 when there is none. */
  matchOther: number;
}

function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function upperAscii(c: number): number {
  return c >= 97 && c <= 122 ? c - 32 : c;
}

function cpAt(s: string, i: number): number {
  return s.codePointAt(i) as number;
}

function cpLen(c: number): number {
  return c > 0xffff ? 2 : 1;
}

/** Port of SQLite's patternCompare: pattern p (code points) from pi against s (UTF-16) from si. */
function patternCompare(p: Int32Array, piIn: number, s: string, siIn: number, info: PatternInfo): number {
  const pn = p.length;
  const sn = s.length;
  const { matchAll, matchOne, noCase, matchOther } = info;
  let pi = piIn;
  let si = siIn;
  let escaped = -1;
  for (;;) {
    if (pi >= pn) return si >= sn ? MATCH : NOMATCH;
    let c = p[pi++]!;
    if (c === matchAll) {
      for (;;) {
        c = pi < pn ? p[pi++]! : 0;
        if (c === matchAll) continue;
        if (c === matchOne && matchOne !== 0) {
          if (si >= sn) return NOWILDCARDMATCH;
          si += cpLen(cpAt(s, si));
          continue;
        }
        break;
      }
      if (c === 0) return MATCH;
      if (c === matchOther) {
        if (!info.matchSet) {
          c = pi < pn ? p[pi++]! : 0;
          if (c === 0) return NOWILDCARDMATCH;
        } else {
          // "[...]" right after "*": SQLite tries every position recursively, as here.
          while (si < sn) {
            const r = patternCompare(p, pi - 1, s, si, info);
            if (r !== NOMATCH) return r;
            si += cpLen(cpAt(s, si));
          }
          return NOWILDCARDMATCH;
        }
      }
      if (c < 0x80) {
        const c1 = noCase ? upperAscii(c) : c;
        const c2 = noCase ? lowerAscii(c) : c;
        while (si < sn) {
          const x = s.charCodeAt(si++);
          if (x !== c1 && x !== c2) continue;
          const r = patternCompare(p, pi, s, si, info);
          if (r !== NOMATCH) return r;
        }
      } else {
        while (si < sn) {
          const x = cpAt(s, si);
          si += cpLen(x);
          if (x !== c) continue;
          const r = patternCompare(p, pi, s, si, info);
          if (r !== NOMATCH) return r;
        }
      }
      return NOWILDCARDMATCH;
    }
    if (c === matchOther) {
      if (!info.matchSet) {
        c = pi < pn ? p[pi++]! : 0;
        if (c === 0) return NOMATCH;
        escaped = pi;
      } else {
        if (si >= sn) return NOMATCH;
        const ch = cpAt(s, si);
        si += cpLen(ch);
        let prior = 0;
        let seen = false;
        let invert = false;
        let c2 = pi < pn ? p[pi++]! : 0;
        if (c2 === 94) {
          invert = true;
          c2 = pi < pn ? p[pi++]! : 0;
        }
        if (c2 === 93) {
          if (ch === 93) seen = true;
          c2 = pi < pn ? p[pi++]! : 0;
        }
        while (c2 !== 0 && c2 !== 93) {
          if (c2 === 45 && pi < pn && p[pi] !== 93 && p[pi] !== 0 && prior > 0) {
            c2 = p[pi++]!;
            if (ch >= prior && ch <= c2) seen = true;
            prior = 0;
          } else {
            if (ch === c2) seen = true;
            prior = c2;
          }
          c2 = pi < pn ? p[pi++]! : 0;
        }
        if (c2 === 0 || seen === invert) return NOMATCH;
        continue;
      }
    }
    let c2 = 0;
    if (si < sn) {
      c2 = cpAt(s, si);
      si += cpLen(c2);
    }
    if (c === c2) continue;
    if (noCase && c < 0x80 && c2 < 0x80 && lowerAscii(c) === lowerAscii(c2)) continue;
    if (c === matchOne && pi !== escaped && c2 !== 0) continue;
    return NOMATCH;
  }
}

const patternCache = new Map<string, Int32Array>();

/** A pattern decoded to code points once; NUL ends a pattern as in C. */
function compiled(pattern: string): Int32Array {
  let p = patternCache.get(pattern);
  if (p) return p;
  const cps: number[] = [];
  for (const ch of pattern) {
    const c = ch.codePointAt(0) as number;
    if (c === 0) break;
    cps.push(c);
  }
  p = Int32Array.from(cps);
  if (patternCache.size >= 512) patternCache.clear();
  patternCache.set(pattern, p);
  return p;
}

const likeInfos = new Map<string, PatternInfo>();
const LIKE_NOCASE = likeInfoFor(0, true);
const LIKE_CASE = likeInfoFor(0, false);

function likeInfo(escape: number, noCase: boolean): PatternInfo {
  if (escape === 0) return noCase ? LIKE_NOCASE : LIKE_CASE;
  return likeInfoFor(escape, noCase);
}

function likeInfoFor(escape: number, noCase: boolean): PatternInfo {
  const key = `${escape}:${noCase ? 1 : 0}`;
  let info = likeInfos.get(key);
  if (!info) {
    info = {
      matchAll: escape === 37 ? 0 : 37,
      matchOne: escape === 95 ? 0 : 95,
      matchSet: false,
      noCase,
      matchOther: escape,
    };
    likeInfos.set(key, info);
  }
  return info;
}

const GLOB_INFO: PatternInfo = { matchAll: 42, matchOne: 63, matchSet: true, noCase: false, matchOther: 91 };

function asText(v: SqlValue): string {
  return typeof v === 'string' ? v : (valueToText(v) as string);
}

function isBlob(v: SqlValue): boolean {
  return v instanceof Uint8Array || v instanceof Float32Array;
}

/**
 * `text LIKE pattern [ESCAPE escape]`: % matches any run, _ one character. Case-insensitive for
 * ASCII letters only, as in SQLite (also used for ILIKE); pass caseInsensitive=false for the
 * Postgres-style case-sensitive LIKE. NULL operands give NULL; BLOB operands never match.
 */
export function likeMatch(pattern: SqlValue, text: SqlValue, escape?: SqlValue, caseInsensitive = true): boolean | null {
  if (pattern === null || text === null) return null;
  let esc = 0;
  if (escape !== undefined) {
    if (escape === null) return null;
    const e = asText(escape);
    const first = e.codePointAt(0);
    if (first === undefined || e.length !== cpLen(first)) {
      throw new QueryExecutionError('ESCAPE expression must be a single character');
    }
    esc = first;
  }
  if (isBlob(pattern) || isBlob(text)) return false;
  return patternCompare(compiled(asText(pattern)), 0, asText(text), 0, likeInfo(esc, caseInsensitive)) === MATCH;
}

/** `text GLOB pattern`: * any run, ? one character, [a-z] and [^...] sets; case-sensitive. */
export function globMatch(pattern: SqlValue, text: SqlValue): boolean | null {
  if (pattern === null || text === null) return null;
  if (isBlob(pattern) || isBlob(text)) return false;
  return patternCompare(compiled(asText(pattern)), 0, asText(text), 0, GLOB_INFO) === MATCH;
}

const regexCache = new Map<string, RegExp>();

/**
 * `text REGEXP pattern` / Postgres `~`: JavaScript regular expression search (unanchored).
 * flags 'i' gives `~*`. NULL operands give NULL; an invalid pattern is an execution error.
 */
export function regexpMatch(pattern: SqlValue, text: SqlValue, flags = ''): boolean | null {
  if (pattern === null || text === null) return null;
  const src = asText(pattern);
  const key = flags + '\u0000' + src;
  let re = regexCache.get(key);
  if (!re) {
    try {
      re = new RegExp(src, flags.includes('u') ? flags : flags + 'u');
    } catch (err) {
      throw new QueryExecutionError(`invalid regular expression: ${src}`, { cause: err });
    }
    if (regexCache.size >= 256) regexCache.clear();
    regexCache.set(key, re);
  }
  return re.test(asText(text));
}

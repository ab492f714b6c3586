// Text analysis for BM25: Unicode normalization, word segmentation, case folding, stop words, stemming.

import { stemmer } from 'stemmer';
import * as stopwordLists from 'stopword';
import { ValidationError } from '../../errors.js';

/** How an Analyzer turns text into terms. The options are part of an index's definition: keep them with it. */
export interface AnalyzerOptions {
  /** Reduce English words to their Porter stem (package `stemmer`). Only for language 'en'. Default false. */
  stemming?: boolean;
  /**
   * Drop stop words: true for the list of `language` from the package `stopword`, or an explicit
   * list (normalized like the text, so case and Unicode form do not matter). Default false.
   */
  stopwords?: boolean | readonly string[];
  /**
   * The text's language: a BCP 47 tag or ISO 639-1/639-3 code ('en', 'de', 'fra'…). Chooses the
   * stop-word list and is the segmenter's locale. Default 'en'.
   */
  language?: 'en' | string;
  /** Tokens shorter than this many code points are dropped (after folding, before stemming). Default 1. */
  minTokenLength?: number;
  /**
   * Also remove combining diacritical marks (U+0300–U+036F), so "café" and "cafe" are one term.
   * Marks of other scripts (Devanagari vowel signs, …) are kept. Default false.
   */
  foldAccents?: boolean;
}

/** ISO 639-1 codes of the stop-word lists shipped by the `stopword` package (which names them in ISO 639-3). */
const ISO_639_1_TO_3: Record<string, string> = {
  af: 'afr', ar: 'ara', bn: 'ben', br: 'bre', bg: 'bul', ca: 'cat', cs: 'ces', da: 'dan', de: 'deu',
  el: 'ell', en: 'eng', eo: 'epo', et: 'est', eu: 'eus', fa: 'fas', fi: 'fin', fr: 'fra', ga: 'gle',
  gl: 'glg', gu: 'guj', ha: 'hau', he: 'heb', hi: 'hin', hr: 'hrv', hu: 'hun', hy: 'hye', id: 'ind',
  it: 'ita', ja: 'jpn', ko: 'kor', ku: 'kur', la: 'lat', lv: 'lav', lt: 'lit', mr: 'mar', ms: 'msa',
  my: 'mya', nl: 'nld', nb: 'nob', no: 'nob', pl: 'pol', pt: 'por', ro: 'ron', ru: 'rus', sk: 'slk',
  sl: 'slv', so: 'som', st: 'sot', es: 'spa', sw: 'swa', sv: 'swe', tl: 'tgl', th: 'tha', tr: 'tur',
  uk: 'ukr', ur: 'urd', vi: 'vie', yo: 'yor', zh: 'zho', zu: 'zul',
};

/** The stop-word list of the `stopword` package for a language tag, or undefined when it has none. */
function stopwordList(language: string): readonly string[] | undefined {
  const primary = language.toLowerCase().split(/[-_]/)[0] ?? '';
  const code = ISO_639_1_TO_3[primary] ?? primary;
  const lists = stopwordLists as unknown as Record<string, unknown>;
  const list = lists[code];
  return Array.isArray(list) ? (list as string[]) : undefined;
}

/** Scripts written without spaces between words, segmented with a dictionary (Intl.Segmenter). */
const DICTIONARY_SCRIPTS = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Thai}\\p{sc=Lao}\\p{sc=Khmer}\\p{sc=Myanmar}\\u30fc\\u3005';
/** A word character of the other scripts: letters, marks, numbers, connector punctuation (_). */
const WORD_CHAR = `[[\\p{L}\\p{M}\\p{N}\\p{Pc}]--[${DICTIONARY_SCRIPTS}]]`;
/**
 * Group 1: a run of dictionary-script text. Group 0 otherwise: word characters, where a single
 * apostrophe or period between two of them stays inside the word ("don't", "3.14", "u.s.a") and
 * a comma between two digits too ("1,000") — the UAX #29 word rules for the common cases, at a
 * tenth of the cost of Intl.Segmenter. Built with RegExp for the v flag (set subtraction).
 */
const WORD = new RegExp(`([${DICTIONARY_SCRIPTS}]+)|(?:${WORD_CHAR}+(?:(?:['.]|(?<=\\p{N}),(?=\\p{N}))${WORD_CHAR}+)*)`, 'gv');
/** A segment of marks and connectors only ("_") holds no word. */
const ONLY_JOINERS = /^[\p{M}\p{Pc}]+$/u;
const COMBINING_DIACRITICS = /[\u0300-\u036f]/g;
const FINAL_SIGMA = /ς/g;
const RIGHT_SINGLE_QUOTE = /\u2019/g;
const ASCII_WORD = /^[a-z]+$/;

/** Entries of the per-analyzer cache from a raw segment to its term ('' when dropped). */
const CACHE_LIMIT = 50_000;

/**
 * Turns text into index terms. Steps, in order:
 *   1. NFKC normalization (ligatures, full-width forms and compatibility digits become plain ones;
 *      decomposed accents are composed, so "cafe\u0301" equals "café").
 *   2. Case folding, locale-independent: lowercase, uppercase, lowercase again, which folds ß and ẞ
 *      to "ss" like Unicode full case folding; final sigma ς becomes σ; ’ becomes '. Optionally
 *      accents are stripped.
 *   3. Word segmentation: runs of letters, marks, numbers and "_", joined across a single ' or .
 *      between word characters and a , between digits (the common cases of UAX #29: "don't",
 *      "3.14", "1,000"); text in Chinese, Japanese, Thai, Lao, Khmer and Myanmar script goes
 *      through Intl.Segmenter's dictionary segmentation. Punctuation, spaces, symbols and emoji
 *      are dropped; numbers are kept.
 *   4. Tokens shorter than minTokenLength are dropped, then stop words, then stemming (ASCII
 *      English words only: other tokens pass through unchanged).
 * Terms never contain U+0000 (the key layout relies on it; see docs/text-index.md).
 */
export class Analyzer {
  /** The options in effect, with defaults filled in. */
  readonly options: Readonly<Required<Omit<AnalyzerOptions, 'stopwords'>>> & { readonly stopwords: boolean | readonly string[] };
  private readonly segmenter: Intl.Segmenter;
  private readonly stop: ReadonlySet<string> | undefined;
  private readonly cache = new Map<string, string>();

  constructor(options: AnalyzerOptions = {}) {
    const language = options.language ?? 'en';
    const minTokenLength = options.minTokenLength ?? 1;
    if (typeof language !== 'string' || language.length === 0) throw new ValidationError('analyzer language must be a non-empty string');
    if (!Number.isInteger(minTokenLength) || minTokenLength < 1) {
      throw new ValidationError(`minTokenLength must be a positive integer, got ${String(minTokenLength)}`);
    }
    const stemming = options.stemming ?? false;
    if (stemming && !/^en(?:[-_]|$)/i.test(language)) {
      throw new ValidationError(`stemming is available for English only, not for language '${language}'`);
    }
    const stopwords = options.stopwords ?? false;
    this.options = { stemming, stopwords, language, minTokenLength, foldAccents: options.foldAccents ?? false };
    try {
      this.segmenter = new Intl.Segmenter(language, { granularity: 'word' });
    } catch (err) {
      throw new ValidationError(`'${language}' is not a valid language tag`, { cause: err });
    }
    if (stopwords !== false) {
      const list = stopwords === true ? stopwordList(language) : stopwords;
      if (list === undefined) throw new ValidationError(`no stop-word list for language '${language}'; pass the words explicitly`);
      if (!Array.isArray(list)) throw new ValidationError('stopwords must be a boolean or an array of strings');
      const set = new Set<string>();
      for (const w of list) {
        if (typeof w !== 'string') throw new ValidationError('stopwords must be a boolean or an array of strings');
        // A stop word is normalized like text, so it is compared with tokens in their final form.
        for (const token of this.segments(w)) set.add(token);
      }
      this.stop = set;
    }
  }

  /** The terms of `text`, in order of occurrence, repeated as often as they occur. */
  tokens(text: string): string[] {
    if (typeof text !== 'string') throw new ValidationError(`text to analyze must be a string, got ${typeof text}`);
    const out: string[] = [];
    for (const segment of this.segments(text)) {
      let term = this.cache.get(segment);
      if (term === undefined) {
        term = this.term(segment);
        if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
        this.cache.set(segment, term);
      }
      if (term !== '') out.push(term);
    }
    return out;
  }

  /** Normalized, folded word segments of `text` (steps 1–3). */
  private *segments(text: string): Generator<string> {
    // Lower, upper, lower: ẞ → ß → SS → ss; then final sigma, which lowercasing restores by context.
    let s = text.normalize('NFKC').toLowerCase().toUpperCase().toLowerCase().replace(FINAL_SIGMA, 'σ');
    if (this.options.foldAccents) s = s.normalize('NFD').replace(COMBINING_DIACRITICS, '').normalize('NFC');
    s = s.replace(RIGHT_SINGLE_QUOTE, "'");
    for (const m of s.matchAll(WORD)) {
      if (m[1] !== undefined) {
        // A run of a script written without spaces: ICU's dictionary segmentation finds the words.
        for (const seg of this.segmenter.segment(m[1])) if (seg.isWordLike) yield seg.segment;
      } else if (!ONLY_JOINERS.test(m[0])) yield m[0];
    }
  }

  /** Step 4 for one segment: the term, or '' when it is dropped. */
  private term(segment: string): string {
    if (segment.length < this.options.minTokenLength || codePoints(segment) < this.options.minTokenLength) return '';
    if (this.stop?.has(segment)) return '';
    if (this.options.stemming && ASCII_WORD.test(segment)) return stemmer(segment);
    return segment;
  }
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

// The analyzer: Unicode normalization, folding, segmentation, stop words and stemming.

import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { Analyzer } from '../../src/storage/text/index.js';

describe('Analyzer', () => {
  const plain = new Analyzer();

  it('lowercases, drops punctuation and keeps numbers', () => {
    expect(plain.tokens('Hello, WORLD! The year 2024: π ≈ 3.14; 42nd street.')).toEqual([
      'hello', 'world', 'the', 'year', '2024', 'π', '3.14', '42nd', 'street',
    ]);
    expect(plain.tokens('')).toEqual([]);
    expect(plain.tokens('  ... !!! --- ')).toEqual([]);
  });

  it('normalizes accents (composed and decomposed are one term) and keeps them unless folding is asked for', () => {
    expect(plain.tokens('Café cafe\u0301 CAFÉ')).toEqual(['café', 'café', 'café']);
    expect(plain.tokens('cafe')).toEqual(['cafe']);
    const folded = new Analyzer({ foldAccents: true });
    expect(folded.tokens('Café crème brûlée naïve')).toEqual(['cafe', 'creme', 'brulee', 'naive']);
    // Marks of other scripts are not diacritics: Devanagari vowel signs stay.
    expect(folded.tokens('हिन्दी')).toEqual(plain.tokens('हिन्दी'));
    expect(plain.tokens('हिन्दी')[0]).toBe('हिन्दी');
  });

  it('folds German ß and capital ẞ to ss, and final sigma', () => {
    expect(plain.tokens('Straße STRASSE straẞe')).toEqual(['strasse', 'strasse', 'strasse']);
    expect(plain.tokens('ΟΔΟΣ οδος οδοσ')).toEqual(['οδοσ', 'οδοσ', 'οδοσ']);
  });

  it('applies NFKC: ligatures, full-width letters and digits', () => {
    expect(plain.tokens('ﬁle ＡＢＣ １２３ ™ 𝒳')).toEqual(['file', 'abc', '123', 'tm', 'x']);
  });

  it('segments CJK text into words, and Korean on spaces', () => {
    expect(plain.tokens('我喜欢北京天安门')).toEqual(['我', '喜欢', '北京', '天安门']);
    const ja = plain.tokens('東京タワーに行きました');
    expect(ja.join('')).toBe('東京タワーに行きました');
    expect(ja.length).toBeGreaterThan(2);
    expect(ja[0]).toBe('東京タワー');
    expect(plain.tokens('한국어 텍스트 검색')).toEqual(['한국어', '텍스트', '검색']);
  });

  it('keeps apostrophes and periods inside words, commas inside numbers, like UAX #29', () => {
    expect(plain.tokens("rock'n'roll U.S.A. 1,000,000 a,b x_y _ __ 'quoted' end.Start 3.14.")).toEqual([
      "rock'n'roll", 'u.s.a', '1,000,000', 'a', 'b', 'x_y', 'quoted', 'end.start', '3.14',
    ]);
    expect(plain.tokens('abc北京def ภาษาไทยง่ายมาก')).toEqual(['abc', '北京', 'def', 'ภาษา', 'ไทย', 'ง่าย', 'มาก']);
  });

  it('agrees with Intl.Segmenter word segments on space- and punctuation-separated text of many scripts', () => {
    const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
    const words = ['hello', 'Wörld', 'naïve', "don't", '3.14', '2024', 'Ελληνικά', 'русский', 'עברית', 'العربية', 'हिन्दी', 'বাংলা', '한국어', 'Ǆemal', 'x_y', 'ﬁne', '北京', '東京タワー'];
    const separators = [' ', ', ', '. ', '! ', ' (', ') ', ' — ', '\n', ' "', '" ', ' 🙂 '];
    let seed = 1;
    const next = (n: number) => ((seed = (seed * 48271) % 2147483647) % n);
    for (let round = 0; round < 200; round++) {
      let text = '';
      for (let i = 0; i < 12; i++) text += words[next(words.length)]! + separators[next(separators.length)]!;
      const folded = text.normalize('NFKC').toLowerCase().toUpperCase().toLowerCase();
      const expected = [...segmenter.segment(folded)].filter((s) => s.isWordLike).map((s) => s.segment);
      expect(plain.tokens(text)).toEqual(expected);
    }
  });

  it('ignores emoji and symbols', () => {
    expect(plain.tokens('I ❤️ pizza 🍕🍕 👍🏽 — ★ © + = <> ☺')).toEqual(['i', 'pizza']);
  });

  it('treats curly and straight apostrophes alike', () => {
    expect(plain.tokens('Don’t don\'t')).toEqual(["don't", "don't"]);
  });

  it('drops English stop words from the stopword package, or an explicit list normalized like text', () => {
    const sw = new Analyzer({ stopwords: true });
    expect(sw.tokens('The quick brown fox and the lazy dog')).toEqual(['quick', 'brown', 'fox', 'lazy', 'dog']);
    const custom = new Analyzer({ stopwords: ['FOX', 'Straße'] });
    expect(custom.tokens('The fox on the strasse')).toEqual(['the', 'on', 'the']);
    const de = new Analyzer({ language: 'de', stopwords: true });
    expect(de.tokens('Der Hund und die Katze')).toEqual(['hund', 'katze']);
    expect(() => new Analyzer({ language: 'x-unknown', stopwords: true })).toThrow(ValidationError);
  });

  it('stems English words with Porter when asked, and only then', () => {
    const st = new Analyzer({ stemming: true });
    expect(st.tokens('Running runs runner connected connections studies')).toEqual([
      'run', 'run', 'runner', 'connect', 'connect', 'studi',
    ]);
    expect(plain.tokens('Running runs')).toEqual(['running', 'runs']);
    // Non-ASCII words and numbers pass through the stemmer untouched.
    expect(st.tokens('cafés 3.14 北京')).toEqual(['cafés', '3.14', '北京']);
    expect(() => new Analyzer({ stemming: true, language: 'de' })).toThrow(ValidationError);
  });

  it('removes stop words before stemming', () => {
    // "being" is a stop word; stemmed first it would be "be" (also a stop word) — either way gone;
    // "was" would stem to "wa", which is not a stop word, so the order shows.
    const a = new Analyzer({ stemming: true, stopwords: true });
    expect(a.tokens('it was being tested')).toEqual(['test']);
  });

  it('drops tokens shorter than minTokenLength, counting code points', () => {
    const a = new Analyzer({ minTokenLength: 2 });
    expect(a.tokens('a bc 𐌰 𐌰𐌱 我 北京')).toEqual(['bc', '𐌰𐌱', '北京']);
    expect(() => new Analyzer({ minTokenLength: 0 })).toThrow(ValidationError);
  });

  it('never yields U+0000 inside a term', () => {
    expect(plain.tokens('ab\u0000cd')).toEqual(['ab', 'cd']);
  });

  it('gives the same terms on repeated calls (the segment cache is transparent)', () => {
    const a = new Analyzer({ stemming: true, stopwords: true });
    const text = 'The connections were connected by connecting connectors';
    expect(a.tokens(text)).toEqual(a.tokens(text));
  });
});

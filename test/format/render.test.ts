// formatResult in every output format, compared as exact text; and SQLQueryResult's renderings.
import { describe, expect, it } from 'vitest';
import { formatResult, isOutputFormat, OUTPUT_FORMATS, type ResultSet } from '../../src/format/render.js';
import { displayWidth, truncateToWidth } from '../../src/format/text-width.js';
import { fromToon } from '../../src/format/toon.js';
import { SQLQueryResult } from '../../src/api/sql-result.js';
import { ValidationError } from '../../src/errors.js';

const users: ResultSet = {
  columns: ['id', 'name', 'email'],
  rows: [
    [1, 'Ada', 'ada@example.com'],
    [2, 'Bob', null],
  ],
};

const mixed: ResultSet = {
  columns: ['id', 'big', 'blob', 'note'],
  rows: [
    [1, 9007199254740993n, new Uint8Array([0, 15, 255]), 'say "hi", ok'],
    [2.5, 42n, null, 'two\nlines'],
    [-3, null, new Uint8Array([]), ''],
  ],
};

const empty: ResultSet = { columns: ['a', 'b c'], rows: [] };

describe('toon', () => {
  it('writes a TOON table with one indented row per line', () => {
    expect(formatResult(users, 'toon', { name: 'users' })).toBe('users[2]{id,name,email}:\n  1,Ada,ada@example.com\n  2,Bob,null');
  });

  it('quotes cells and field names per the spec, bigints beyond 2^53 as strings, blobs as hex', () => {
    expect(formatResult(mixed, 'toon')).toBe(
      [
        'rows[3]{id,big,blob,note}:',
        `  1,"9007199254740993",x'000fff',"say \\"hi\\", ok"`,
        '  2.5,42,null,"two\\nlines"',
        `  -3,null,x'',""`,
      ].join('\n'),
    );
  });

  it('decodes back to the rows it encodes', () => {
    expect(fromToon(formatResult(mixed, 'toon'))).toEqual({
      rows: [
        { id: 1, big: '9007199254740993', blob: "x'000fff'", note: 'say "hi", ok' },
        { id: 2.5, big: 42, blob: null, note: 'two\nlines' },
        { id: -3, big: null, blob: "x''", note: '' },
      ],
    });
  });

  it('keeps the header of an empty result, which decodes to an empty array', () => {
    const text = formatResult(empty, 'toon');
    expect(text).toBe('rows[0]{a,"b c"}:');
    expect(fromToon(text)).toEqual({ rows: [] });
  });

  it('uses the pipe and tab delimiters in header and rows', () => {
    expect(formatResult(users, 'toon', { delimiter: 'pipe' })).toBe('rows[2|]{id|name|email}:\n  1|Ada|ada@example.com\n  2|Bob|null');
    expect(formatResult(empty, 'toon', { delimiter: '\t' })).toBe('rows[0\t]{a\t"b c"}:');
  });

  it('keeps both values of a repeated column name', () => {
    expect(formatResult({ columns: ['a', 'a', 'a_2'], rows: [[1, 2, 3]] }, 'toon')).toBe('rows[1]{a,a_3,a_2}:\n  1,2,3');
  });

  it('writes vectors as number arrays (shortest float32 decimals), which takes the list form', () => {
    const r: ResultSet = { columns: ['id', 'v'], rows: [[1, new Float32Array([0.1, 2])]] };
    expect(formatResult(r, 'toon')).toBe('rows[1]:\n  - id: 1\n    v[2]: 0.1,2');
  });
});

describe('json', () => {
  it('is compact JSON, one object per row', () => {
    expect(formatResult(users, 'json')).toBe('[{"id":1,"name":"Ada","email":"ada@example.com"},{"id":2,"name":"Bob","email":null}]');
  });

  it('writes bigints beyond 2^53 as strings, smaller ones as numbers, blobs as hex', () => {
    expect(formatResult(mixed, 'json')).toBe(
      '[{"id":1,"big":"9007199254740993","blob":"x\'000fff\'","note":"say \\"hi\\", ok"},' +
        '{"id":2.5,"big":42,"blob":null,"note":"two\\nlines"},' +
        '{"id":-3,"big":null,"blob":"x\'\'","note":""}]',
    );
    expect(formatResult({ columns: ['n'], rows: [[-9007199254740991n], [-9007199254740992n]] }, 'json')).toBe(
      '[{"n":-9007199254740991},{"n":"-9007199254740992"}]',
    );
  });

  it('writes an empty result as []', () => {
    expect(formatResult(empty, 'json')).toBe('[]');
  });

  it('keeps a column named __proto__ as an ordinary key', () => {
    expect(formatResult({ columns: ['__proto__'], rows: [[1]] }, 'json')).toBe('[{"__proto__":1}]');
  });
});

describe('csv', () => {
  it('writes a header row and CRLF-separated records', () => {
    expect(formatResult(users, 'csv')).toBe('id,name,email\r\n1,Ada,ada@example.com\r\n2,Bob,');
  });

  it('quotes fields with commas, quotes and line breaks (RFC 4180); NULL is empty, the empty string ""', () => {
    expect(formatResult(mixed, 'csv', { newline: '\n' })).toBe(
      ['id,big,blob,note', `1,9007199254740993,x'000fff',"say ""hi"", ok"`, `2.5,42,,"two\nlines"`, `-3,,x'',""`].join('\n'),
    );
  });

  it('quotes header names that need it', () => {
    expect(formatResult({ columns: ['a,b', 'c"d', 'e'], rows: [] }, 'csv')).toBe('"a,b","c""d",e');
  });

  it('is empty when there are no columns', () => {
    expect(formatResult({ columns: [], rows: [] }, 'csv')).toBe('');
  });
});

describe('markdown', () => {
  it('writes a GFM table, numeric columns right-aligned, NULL shown', () => {
    expect(formatResult(users, 'markdown')).toBe(
      '| id | name | email |\n| ---: | --- | --- |\n| 1 | Ada | ada@example.com |\n| 2 | Bob | NULL |',
    );
  });

  it('escapes pipes and backslashes and turns line breaks into <br>', () => {
    const r: ResultSet = { columns: ['a|b'], rows: [['x|y'], ['c:\\dir'], ['one\r\ntwo']] };
    expect(formatResult(r, 'markdown')).toBe('| a\\|b |\n| --- |\n| x\\|y |\n| c:\\\\dir |\n| one<br>two |');
  });

  it('writes only the header for an empty result', () => {
    expect(formatResult(empty, 'markdown')).toBe('| a | b c |\n| --- | --- |');
  });
});

describe('table', () => {
  it('draws an aligned box table with NULL shown and numbers right-aligned', () => {
    expect(formatResult(users, 'table')).toBe(
      [
        '┌────┬──────┬─────────────────┐',
        '│ id │ name │ email           │',
        '├────┼──────┼─────────────────┤',
        '│  1 │ Ada  │ ada@example.com │',
        '│  2 │ Bob  │ NULL            │',
        '└────┴──────┴─────────────────┘',
      ].join('\n'),
    );
  });

  it('cuts long values at maxWidth with …, shows bigints in full and escapes control characters', () => {
    expect(formatResult(mixed, 'table', { maxWidth: 10 })).toBe(
      [
        '┌─────┬──────────────────┬───────────┬────────────┐',
        '│ id  │ big              │ blob      │ note       │',
        '├─────┼──────────────────┼───────────┼────────────┤',
        "│   1 │ 9007199254740993 │ x'000fff' │ say \"hi\",… │",
        '│ 2.5 │               42 │ NULL      │ two\\nlines │',
        "│  -3 │ NULL             │ x''       │            │",
        '└─────┴──────────────────┴───────────┴────────────┘',
      ].join('\n'),
    );
  });

  it('counts East Asian wide characters and emoji as two columns', () => {
    const r: ResultSet = { columns: ['name', 'n'], rows: [['李小龍', 1], ['Ada', 22], ['👩‍💻 dev', 3]] };
    expect(formatResult(r, 'table')).toBe(
      [
        '┌────────┬────┐',
        '│ name   │ n  │',
        '├────────┼────┤',
        '│ 李小龍 │  1 │',
        '│ Ada    │ 22 │',
        '│ 👩‍💻 dev │  3 │',
        '└────────┴────┘',
      ].join('\n'),
    );
  });

  it('truncates wide text by columns, never splitting a character', () => {
    const r: ResultSet = { columns: ['s'], rows: [['日本語のテキスト']] };
    expect(formatResult(r, 'table', { maxWidth: 6 })).toBe(['┌───────┐', '│ s     │', '├───────┤', '│ 日本… │', '└───────┘'].join('\n'));
  });

  it('draws only the header for an empty result, and nothing without columns', () => {
    expect(formatResult(empty, 'table')).toBe(['┌───┬─────┐', '│ a │ b c │', '├───┼─────┤', '└───┴─────┘'].join('\n'));
    expect(formatResult({ columns: [], rows: [] }, 'table')).toBe('');
  });

  it('takes another NULL text', () => {
    expect(formatResult({ columns: ['x'], rows: [[null]] }, 'table', { nullText: '∅' })).toBe('┌───┐\n│ x │\n├───┤\n│ ∅ │\n└───┘');
  });
});

describe('text width', () => {
  it('measures and truncates by terminal columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('中文')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(truncateToWidth('abcdef', 4)).toBe('abc…');
    expect(truncateToWidth('abcd', 4)).toBe('abcd');
    expect(truncateToWidth('中文字', 4)).toBe('中…');
  });
});

describe('formats', () => {
  it('lists the formats and rejects an unknown one with a ValidationError', () => {
    expect(OUTPUT_FORMATS).toEqual(['table', 'toon', 'json', 'csv', 'markdown']);
    expect(isOutputFormat('csv')).toBe(true);
    expect(isOutputFormat('yaml')).toBe(false);
    expect(() => formatResult(users, 'yaml' as never)).toThrow(ValidationError);
  });
});

describe('SQLQueryResult renderings', () => {
  const result = new SQLQueryResult(['id', 'who'], ['integer', 'text'], [[1n, 'Alice'], [2n, 'Bob, Jr.']], 0, null, 0.1);

  it('toToon goes through the shared encoder', () => {
    expect(result.toToon()).toBe('rows[2]{id,who}:\n  1,Alice\n  2,"Bob, Jr."');
    expect(result.toToon('people')).toBe(formatResult(result, 'toon', { name: 'people' }));
  });

  it('toCsv, toMarkdown and format(fmt) match formatResult', () => {
    expect(result.toCsv()).toBe('id,who\r\n1,Alice\r\n2,"Bob, Jr."');
    expect(result.toMarkdown()).toBe('| id | who |\n| ---: | --- |\n| 1 | Alice |\n| 2 | Bob, Jr. |');
    for (const f of OUTPUT_FORMATS) expect(result.format(f)).toBe(formatResult(result, f));
  });
});

// toToon / fromToon beyond the spec fixtures: host-type normalization, typed errors, non-strict fall-through, table helpers.
import { describe, expect, it } from 'vitest';
import { float32Shortest, fromToon, fromToonTable, toToon, toToonTable } from '../../src/format/toon.js';
import { ToonDBError, ToonSyntaxError } from '../../src/errors.js';

describe('toToon host values', () => {
  it('maps bigints, blobs, vectors, Maps, Sets, non-finite numbers and -0 to the JSON model', () => {
    const value = {
      small: 42n,
      big: 12345678901234567890n,
      blob: new Uint8Array([1, 171]),
      vec: new Float32Array([0.1, -2.5]),
      ints: new Int16Array([3, -4]),
      map: new Map<unknown, unknown>([[1, 'one']]),
      set: new Set(['a', 'b']),
      nan: NaN,
      inf: -Infinity,
      negZero: -0,
      date: new Date(Date.UTC(2024, 0, 2)),
    };
    expect(toToon(value)).toBe(
      [
        'small: 42',
        'big: "12345678901234567890"',
        "blob: x'01ab'",
        'vec[2]: 0.1,-2.5',
        'ints[2]: 3,-4',
        'map:',
        '  "1": one',
        'set[2]: a,b',
        'nan: null',
        'inf: null',
        'negZero: 0',
        'date: "2024-01-02T00:00:00.000Z"',
      ].join('\n'),
    );
  });

  it('keeps a __proto__ key as an ordinary key both ways', () => {
    const input = JSON.parse('{"__proto__":{"x":1},"a":2}') as unknown;
    const text = toToon(input);
    expect(text).toBe('__proto__:\n  x: 1\na: 2');
    const back = fromToon(text) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('accepts delimiters by name or character, and indentSize', () => {
    const v = { t: [{ a: 1, b: 'x' }] };
    expect(toToon(v, { delimiter: 'tab' })).toBe('t[1\t]{a\tb}:\n  1\tx');
    expect(toToon(v, { delimiter: '|' })).toBe('t[1|]{a|b}:\n  1|x');
    expect(toToon({ o: { p: 1 } }, { indentSize: 4 })).toBe('o:\n    p: 1');
  });

  it('writes the shortest decimal that reads back as the same float32', () => {
    expect(float32Shortest(Math.fround(0.1))).toBe(0.1);
    expect(float32Shortest(Math.fround(1 / 3))).toBe(0.33333334);
    expect(Math.fround(float32Shortest(Math.fround(1e-40)))).toBe(Math.fround(1e-40));
  });
});

describe('fromToon errors', () => {
  it('throws ToonSyntaxError with code TOON_SYNTAX, the line and its text', () => {
    let error: unknown;
    try {
      fromToon('a: 1\nb: "open\nc: 3');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ToonSyntaxError);
    expect(error).toBeInstanceOf(ToonDBError);
    const e = error as ToonSyntaxError;
    expect(e.code).toBe('TOON_SYNTAX');
    expect(e.phase).toBe('parse');
    expect(e.line).toBe(2);
    expect(e.source).toBe('b: "open');
    expect(e.details).toMatchObject({ line: 2, source: 'b: "open' });
  });

  it('reports strict count mismatches, which non-strict mode lets through', () => {
    expect(() => fromToon('tags[3]: a,b')).toThrow(ToonSyntaxError);
    expect(fromToon('tags[3]: a,b', { strict: false })).toEqual({ tags: ['a', 'b'] });
  });

  it('reads a malformed header as a literal key only when not strict, on any line and in list items', () => {
    const text = 'ok: 1\nlist[1]:\n  - foo[2]extra: a,b\nkey[]: 1,2\r\nlast: 2';
    expect(() => fromToon(text)).toThrow(ToonSyntaxError);
    expect(fromToon(text, { strict: false })).toEqual({ ok: 1, list: [{ 'foo[2]extra': 'a,b' }], 'key[]': '1,2', last: 2 });
  });

  it('still throws in non-strict mode when the line stays invalid, reporting the text as written', () => {
    let error: ToonSyntaxError | undefined;
    try {
      fromToon('x: 1\nkey[]: "open', { strict: false });
    } catch (e) {
      error = e as ToonSyntaxError;
    }
    expect(error).toBeInstanceOf(ToonSyntaxError);
    expect(error!.line).toBe(2);
    expect(error!.source).toBe('key[]: "open');
  });
});

describe('toToonTable / fromToonTable', () => {
  const records = [
    { id: 1, name: 'Alice', email: 'alice@example.com' },
    { id: 2, name: 'Bob', email: 'bob@example.com' },
  ];

  it('writes the chosen fields as a table and reads them back', () => {
    const text = toToonTable('users', records, ['name', 'email']);
    expect(text).toBe('users[2]{name,email}:\n  Alice,alice@example.com\n  Bob,bob@example.com');
    expect(fromToonTable(text)).toEqual({
      name: 'users',
      fields: ['name', 'email'],
      records: [
        { name: 'Alice', email: 'alice@example.com' },
        { name: 'Bob', email: 'bob@example.com' },
      ],
    });
  });

  it('defaults to the first record’s keys and fills missing fields with null', () => {
    expect(toToonTable('t', [{ a: 1, b: 2 }, { a: 3 }])).toBe('t[2]{a,b}:\n  1,2\n  3,null');
  });

  it('keeps the field names of an empty table', () => {
    const text = toToonTable('my table', [], ['id', 'full name'], { delimiter: 'pipe' });
    expect(text).toBe('"my table"[0|]{id|"full name"}:');
    expect(fromToonTable(text)).toEqual({ name: 'my table', fields: ['id', 'full name'], records: [] });
    expect(toToonTable('t', [])).toBe('t: []');
    expect(fromToonTable('t: []')).toEqual({ name: 't', fields: [], records: [] });
  });

  it('rejects documents that are not a single table', () => {
    expect(() => fromToonTable('a: 1')).toThrow(ToonSyntaxError);
    expect(() => fromToonTable('a[1]{x}:\n  1\nb: 2')).toThrow(ToonSyntaxError);
    expect(() => fromToonTable('a[2]: 1,2')).toThrow(ToonSyntaxError);
  });
});

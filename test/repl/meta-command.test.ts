// Parsing meta-commands and their psql spellings.

import { describe, expect, it } from 'vitest';
import { parseMetaCommand } from '../../src/repl/meta-command.js';

describe('parseMetaCommand', () => {
  it.each([
    ['.help', { kind: 'help' }],
    ['\\?', { kind: 'help' }],
    ['.tables', { kind: 'tables' }],
    ['.tables;', { kind: 'tables' }],
    ['\\dt', { kind: 'tables' }],
    ['\\d', { kind: 'tables' }],
    ['\\d users', { kind: 'schema', table: 'users' }],
    ['.schema', { kind: 'schema', table: undefined }],
    ['.schema "My Table"', { kind: 'schema', table: 'My Table' }],
    ['.indexes posts', { kind: 'indexes', table: 'posts' }],
    ['\\di', { kind: 'indexes', table: undefined }],
    ['.collections', { kind: 'collections' }],
    ['.namespaces', { kind: 'namespaces' }],
    ['.read setup.sql', { kind: 'read', file: 'setup.sql' }],
    ["\\i 'my file.sql'", { kind: 'read', file: 'my file.sql' }],
    ['.explain SELECT * FROM t WHERE a = 1;', { kind: 'explain', sql: 'SELECT * FROM t WHERE a = 1' }],
    ['.format JSON', { kind: 'format', format: 'json' }],
    ['.format', { kind: 'format', format: undefined }],
    ['.timer on', { kind: 'timer', on: true }],
    ['.timer OFF', { kind: 'timer', on: false }],
    ['\\timing', { kind: 'timer' }],
    ['.quit', { kind: 'quit' }],
    ['.exit', { kind: 'quit' }],
    ['\\q', { kind: 'quit' }],
  ])('%s', (line, expected) => {
    expect(parseMetaCommand(line)).toEqual(expected);
  });

  it('reports unknown commands and missing arguments', () => {
    expect(parseMetaCommand('.frobnicate')).toEqual({ kind: 'invalid', message: 'unknown command .frobnicate; type .help for the list' });
    expect(parseMetaCommand('.read')).toMatchObject({ kind: 'invalid', message: '.read needs a file name' });
    expect(parseMetaCommand('.explain')).toMatchObject({ kind: 'invalid' });
    expect(parseMetaCommand('.timer maybe')).toMatchObject({ kind: 'invalid', message: '.timer takes on or off, not maybe' });
  });
});

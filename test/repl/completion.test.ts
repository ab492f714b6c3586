// Tab completion candidates: keywords, tables, columns (qualified by table or alias), collections, meta-commands.

import { describe, expect, it } from 'vitest';
import { commonPrefix, complete, tableAliases, type CompletionSource } from '../../src/repl/completion.js';

const source: CompletionSource = {
  tables: () => ['users', 'posts', 'user_roles'],
  columns: (t) => ({ users: ['id', 'name', 'email'], posts: ['id', 'user_id', 'title'], user_roles: ['user_id', 'role'] })[t] ?? [],
  collections: () => ['docs'],
  namespaces: () => ['tenant_a'],
};

const at = (text: string) => complete(text, text.length, source);

describe('complete', () => {
  it('offers tables (and collections, namespaces) after FROM, JOIN, INTO, UPDATE', () => {
    expect(at('SELECT * FROM us').candidates).toEqual(['users', 'user_roles']);
    expect(at('SELECT * FROM users u JOIN p').candidates).toEqual(['posts']);
    expect(at('INSERT INTO ').candidates).toEqual(['users', 'posts', 'user_roles', 'docs', 'tenant_a']);
    expect(at('update d').candidates).toEqual(['docs']);
  });

  it('offers the columns of a table named before the dot, or of an alias', () => {
    expect(at('SELECT users.na').candidates).toEqual(['name']);
    expect(complete('SELECT p.t FROM posts p', 10, source).candidates).toEqual(['title']);
    const c = complete('SELECT p. FROM posts p', 9, source);
    expect(c.candidates).toEqual(['id', 'user_id', 'title']);
    expect(c.start).toBe(9);
    expect(at('SELECT x.').candidates).toEqual([]);
  });

  it('completes namespace-qualified collections', () => {
    const withNs: CompletionSource = { ...source, collections: () => ['docs', 'tenant_a.notes', 'tenant_a.news'] };
    const c = complete('SELECT * FROM tenant_a.no', 25, withNs);
    expect(c).toEqual({ start: 14, end: 25, candidates: ['tenant_a.notes'] });
  });

  it('offers columns of the tables in the statement, then tables and keywords', () => {
    expect(at('SELECT e FROM users WHERE em').candidates).toEqual(['email']);
    const c = at('SELECT na');
    expect(c.candidates[0]).toBe('name'); // columns first
    expect(c.candidates).toContain('natural');
    expect(c.candidates.every((w) => w.startsWith('na'))).toBe(true);
    expect(c.start).toBe(7);
  });

  it('keywords follow the case that was typed', () => {
    expect(at('sel').candidates).toEqual(['select']);
    expect(at('SEL').candidates).toEqual(['SELECT']);
    expect(at('SELECT * FROM users ORD').candidates).toEqual(['ORDER']);
  });

  it('completes meta-commands and their arguments', () => {
    expect(at('.ta').candidates).toEqual(['.tables']);
    expect(at('\\d').candidates).toEqual(['\\dt', '\\d', '\\di']);
    expect(at('.schema po').candidates).toEqual(['posts']);
    expect(at('.format js').candidates).toEqual(['json']);
    expect(at('.timer o').candidates).toEqual(['on', 'off']);
  });

  it('offers nothing for an empty word outside a table position', () => {
    expect(at('SELECT ').candidates).toEqual([]);
  });
});

describe('tableAliases', () => {
  it('maps aliases and table names to tables, skipping keywords', () => {
    const m = tableAliases('SELECT * FROM users AS u JOIN posts p ON p.user_id = u.id LEFT JOIN user_roles WHERE 1', source.tables());
    expect(Object.fromEntries(m)).toEqual({ users: 'users', u: 'users', posts: 'posts', p: 'posts', user_roles: 'user_roles' });
  });
});

describe('commonPrefix', () => {
  it('is the shared start, ignoring case', () => {
    expect(commonPrefix(['users', 'user_roles'])).toBe('user');
    expect(commonPrefix(['Name', 'natural'])).toBe('Na');
    expect(commonPrefix([])).toBe('');
  });
});

/** zod's wording replaced by plain words: what is wrong, what was found, and "did you mean". */

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { plainIssues } from '../../src/core/issue-text.ts';

const schema = z.strictObject({
  driver: z.enum(['sqlite', 'postgres']).optional(),
  timeout: z.union([z.string(), z.number()]).optional(),
  rows: z.number().int().max(100).optional(),
  name: z.string().min(1).optional(),
  url: z.string(),
});

function words(value: Record<string, unknown>): string[] {
  const r = schema.safeParse(value);
  return r.success
    ? []
    : plainIssues(r.error.issues, value, (p) => (p.length ? [] : Object.keys(schema.shape))).map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('plain-English schema issues', () => {
  it('says what was expected and what was found', () => {
    expect(words({ url: 'x', driver: 'postgress' })).toEqual(['driver: must be one of sqlite, postgres (got "postgress") (did you mean `postgres`?)']);
    expect(words({ url: 'x', timeout: [1] })).toEqual(['timeout: must be text or a number (got a list)']);
    expect(words({ url: 'x', rows: 500 })).toEqual(['rows: must be at most 100 (got number 500)']);
    expect(words({ url: 'x', name: '' })).toEqual(['name: must not be empty']);
    expect(words({ url: 42 })).toEqual(['url: must be text (got number 42)']);
    const link = z.object({ href: z.url(), path: z.string().startsWith('/') });
    const r = link.safeParse({ href: 'nope', path: 'x' });
    expect(plainIssues(r.error!.issues, { href: 'nope', path: 'x' }).map((i) => i.message)).toEqual([
      'must be a URL (got "nope")',
      'must start with "/" (got "x")',
    ]);
  });

  it('reports a typo once, at the typo, with the key it stands for', () => {
    expect(words({ urll: 'https://example.com' })).toEqual(['urll: is not a known key (did you mean `url`?)']);
    expect(words({ url: 'x', colour: 1 })).toEqual(['colour: is not a known key; known keys: driver, timeout, rows, name, url']);
    expect(words({})).toEqual(['url: is required but missing']);
  });
});

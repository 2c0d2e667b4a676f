/** Static pagination (src/site/paginate.ts): parts of a list, their URLs and the routes' params. */
import { expect, test } from 'vitest';
import { laterParts, notebookPartCount, PAGES_PER_PART, partCount, partHref, partOf } from '../../src/site/paginate.ts';

test('a list is cut into parts of `size`; an empty list still has part 1', () => {
  expect(partCount(0, 50)).toBe(1);
  expect(partCount(50, 50)).toBe(1);
  expect(partCount(51, 50)).toBe(2);
  expect(partCount(1200, 50)).toBe(24);
  const items = Array.from({ length: 120 }, (_, i) => i);
  expect(partOf(items, 1, 50)).toMatchObject({ n: 1, count: 3, from: 0, total: 120, items: items.slice(0, 50) });
  expect(partOf(items, 3, 50)).toMatchObject({ n: 3, from: 100, items: items.slice(100) });
  // Every item is in exactly one part.
  expect([1, 2, 3].flatMap((n) => partOf(items, n, 50).items)).toEqual(items);
});

test('part 1 is the view itself; later parts are numbered folders under it', () => {
  expect(partHref('/journal/pages/p/', 1)).toBe('/journal/pages/p/');
  expect(partHref('/journal/pages/p/', 2)).toBe('/journal/pages/p/2/');
  expect(partHref('/journal/pages/p/', 0)).toBe('/journal/pages/p/');
});

test('routes get params for parts 2… only; a notebook cuts its pages and runs rows in step', () => {
  const views = [
    { id: 'a', n: 120 },
    { id: 'b', n: 10 },
  ];
  expect(laterParts(views, (v) => partCount(v.n, 50)).map(({ id, part }) => `${id}/${part}`)).toEqual(['a/2', 'a/3']);
  expect(notebookPartCount(3, 1200)).toBe(24);
  expect(notebookPartCount(PAGES_PER_PART * 2 + 1, 0)).toBe(3);
});

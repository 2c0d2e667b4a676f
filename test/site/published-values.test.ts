/** What the site shows of values: CSV read back as written, private paths hidden, query rows as tables. */
import { expect, test } from 'vitest';
import { toCsv } from '../../src/runners/integrations/rows.ts';
import { asRecords, csvRows, publicText, publicValue } from '../../src/site/format.ts';

test('CSV the SQL integration writes reads back cell for cell, multi-line fields included', () => {
  const rows = [
    ['gh-a-01', 'line one\nline two', 'say "hi", twice', null, 3.5],
    ['gh-a-02', '', ' padded ', 7n, new Date('2026-10-05T00:00:00Z')],
  ];
  const text = toCsv(['sensor', 'note', 'quote', 'missing', 'value'], rows);
  expect(text.endsWith('\r\n')).toBe(true);
  expect(csvRows(text)).toEqual([
    ['sensor', 'note', 'quote', 'missing', 'value'],
    ['gh-a-01', 'line one\nline two', 'say "hi", twice', '', '3.5'],
    ['gh-a-02', '', ' padded ', '7', '2026-10-05T00:00:00.000Z'],
  ]);
});

test('published text: workspace paths relative, other absolute paths reduced to their name, URLs untouched', () => {
  const root = '/home/ada/journal';
  expect(publicText('python3 /home/ada/journal/scripts/run.py --db=/srv/data/lake.sqlite', root)).toBe('python3 scripts/run.py --db=…/lake.sqlite');
  expect(publicText('see https://example.org/a/b and C:\\Users\\ada\\x.csv', root)).toBe('see https://example.org/a/b and …/x.csv');
  expect(publicText('/srv/a/b', root, true)).toBe('/srv/a/b');
  expect(publicValue({ database: '/var/lib/pg/db', n: 3, list: ['/opt/x/y.txt'] }, root)).toEqual({ database: '…/db', n: 3, list: ['…/y.txt'] });
});

test('query rows are records; other arrays are not', () => {
  expect(asRecords([{ a: 1 }, { a: 2, b: 3 }])).toHaveLength(2);
  expect(asRecords([1, 2])).toBeNull();
  expect(asRecords([])).toBeNull();
});

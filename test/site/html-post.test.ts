/** Finishing touches on journal HTML, and executed notebooks rendered without anything active. */
import { expect, test } from 'vitest';
import { polishHtml } from '../../src/site/html-post.ts';
import { renderText } from '../../src/site/markdown.ts';
import { notebookHtml } from '../../src/site/notebook-html.ts';
import { formatSql } from '../../src/site/sql-text.ts';

test('GFM alignment becomes classes, tables scroll in a labelled region, code blocks take focus', () => {
  const html = polishHtml(renderText('| cfg | look |\n|---:|:---|\n| 4.5 | soft |\n\n```\nlong line\n```\n'), 'Table in observations');
  expect(html).not.toContain('align=');
  expect(html).toContain('<th class="align-right">cfg</th>');
  expect(html).toContain('<td class="align-left">soft</td>');
  expect(html).toMatch(/^<div class="table-wrap prose-table" role="region" aria-label="Table in observations" tabindex="0"><table>/);
  expect(html).toContain('</table></div>');
  expect(html).toContain('<pre tabindex="0"><code>');
});

test('headings with an id get a permalink', () => {
  expect(polishHtml('<h2 id="results">Results</h2><h3>No id</h3>')).toBe(
    '<h2 id="results">Results<a class="permalink" href="#results"><span class="visually-hidden">Link to this section</span><span aria-hidden="true">#</span></a></h2><h3>No id</h3>',
  );
});

const nb = (outputs: unknown[], extra: unknown[] = []) =>
  JSON.stringify({
    nbformat: 4,
    metadata: { language_info: { name: 'python' } },
    cells: [
      { cell_type: 'markdown', source: ['# Title\n', 'Some *text*'] },
      { cell_type: 'code', execution_count: 3, source: 'print(1 < 2)', outputs },
      ...extra,
    ],
  });

test('notebooks: markdown, code, streams, images, HTML tables and errors; nothing active survives', () => {
  const out = notebookHtml(
    nb([
      { output_type: 'stream', name: 'stdout', text: ['True\n'] },
      { output_type: 'display_data', data: { 'image/png': 'iVBORw0KGgo=', 'text/plain': '<Figure>' } },
      {
        output_type: 'execute_result',
        data: { 'text/html': '<table onclick="x()"><tr><td>1</td></tr></table><script>alert(1)</script><img src=x onerror=alert(1)>', 'text/plain': 'df' },
      },
      { output_type: 'error', ename: 'ValueError', evalue: 'bad <value>', traceback: ['\u001b[0;31mValueError\u001b[0m: bad'] },
      { output_type: 'display_data', data: { 'application/javascript': 'alert(1)' } },
    ]),
  )!;
  expect(out.cells).toBe(2);
  // Markdown cells go through the notes renderer: headings sit under the entry's own, with an anchor.
  expect(out.html).toMatch(/<h2 id="user-content-title">Title <a href="#user-content-title" class="heading-anchor"/);
  expect(out.html).toContain('print(1 &lt; 2)');
  expect(out.html).toContain('[3]');
  expect(out.html).toContain('<pre tabindex="0" class="nb-stream"><code>True\n</code></pre>');
  expect(out.html).toContain('src="data:image/png;base64,iVBORw0KGgo="');
  expect(out.html).toContain('<td>1</td>');
  expect(out.html).toContain('ValueError</strong>: bad &lt;value&gt;');
  expect(out.html).not.toContain('\u001b');
  expect(out.html).not.toMatch(/<script|onclick|onerror|alert\(1\)<\/script/);
  expect(out.html).toContain('application/javascript (not shown)');
});

test('not a notebook: null', () => {
  expect(notebookHtml('{"a": 1}')).toBeNull();
  expect(notebookHtml('not json')).toBeNull();
});

test('SQL: one-line queries are laid out, hand-formatted ones kept', () => {
  expect(formatSql('select a, count(*) as n from t where b = ? group by a order by n desc')).toBe(
    'SELECT\n  a,\n  count(*) AS n\nFROM\n  t\nWHERE\n  b = ?\nGROUP BY\n  a\nORDER BY\n  n DESC',
  );
  expect(formatSql('SELECT a\n  FROM t;\n')).toBe('SELECT a\n  FROM t;');
  expect(formatSql('this is not sql ((')).toBe('this is not sql ((');
});

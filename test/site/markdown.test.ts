/** The sanitizing renderer: no script survives, and the plain-prose fast path equals the full pipeline. */
import { describe, expect, test } from 'vitest';
import { htmlExcerpt, plainParagraphs, renderText } from '../../src/site/markdown.ts';

describe('renderText', () => {
  test('GFM renders: tables, task lists, strikethrough, autolinks', () => {
    const html = renderText('| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ https://example.com');
    expect(html).toContain('<table>');
    expect(html).toContain('type="checkbox"');
    expect(html).toContain('<del>old</del>');
    expect(html).toContain('<a href="https://example.com">');
  });

  test('no script, event handler or javascript: URL survives (Markdown and Org)', () => {
    const hostile = [
      '<script>alert(1)</script>',
      '<img src="x" onerror="alert(1)">',
      '[x](javascript:alert(1))',
      '<a href="#" onclick="alert(1)">y</a>',
      '<iframe src="https://evil.example"></iframe>',
      '<svg onload="alert(1)"></svg>',
      '![i](javascript:alert(1))',
    ].join('\n\n');
    const html = renderText(hostile);
    expect(html).not.toMatch(/<script|onerror|onclick|onload|javascript:|<iframe|<svg/i);
    const org = renderText('#+BEGIN_EXPORT html\n<script>alert(1)</script>\n#+END_EXPORT\n\n[[javascript:alert(1)][click]]', 'org');
    expect(org).not.toMatch(/<script|javascript:/i);
  });

  test('Org renders headings and emphasis', () => {
    expect(renderText('* Summary\nSome /italic/ and *bold*.', 'org')).toMatch(
      /<h2 id="user-content-summary">Summary <a href="#user-content-summary"[^>]*>#<\/a><\/h2>.*<em>italic<\/em>.*<strong>bold<\/strong>/s,
    );
  });

  const prose = [
    'Sharper resolution sample compared cfg prompt. Dusk artifact a dawn.',
    'First paragraph.\nSame paragraph, next line.\n\nSecond paragraph (with parentheses), "quotes" and it\'s 42% done!',
    '  Leading spaces and trailing  \n\n\n\nMany blank lines between.',
    'Ünïcödé — ok? 日本語の文。',
  ];
  test.each(prose)('fast path equals the full pipeline: %j', (text) => {
    const fast = plainParagraphs(text);
    expect(fast).not.toBeNull();
    const full = renderText(`${text}\n\n<!-- force the full pipeline -->`).replace(/\n*$/, '');
    expect(fast).toBe(full);
  });

  const markdownish = [
    'hard  \nbreak',
    '- a list',
    '1. numbered',
    '    code',
    'Title\n-----',
    'a *b*',
    'see www.example.com',
    'a_b_',
    'x <b>',
    '# h',
    'a & b',
    'a | b',
    '> quote',
    'a\\b',
    'a [b]',
    '+ item',
    '2) item',
  ];
  test.each(markdownish)('fast path declines Markdown syntax: %j', (text) => {
    expect(plainParagraphs(text)).toBeNull();
  });

  test('excerpts are plain text of the sanitized HTML', () => {
    expect(htmlExcerpt(renderText('Hello <b>there</b> **world** &amp; more'))).toBe('Hello there world & more');
  });

  test('footnotes: ids and links agree (one `user-content-` prefix), scoped per fragment', () => {
    const html = renderText('Claim[^a].\n\n[^a]: Source.', 'md', { scope: 'notes-' });
    expect(html).toContain('<a href="#user-content-notes-fn-a" id="user-content-notes-fnref-a"');
    expect(html).toContain('<li id="user-content-notes-fn-a">');
    expect(html).toContain('<a href="#user-content-notes-fnref-a"');
    expect(html).not.toContain('user-content-user-content');
    const org = renderText('Claim[fn:1].\n\n[fn:1] Source.', 'org', { scope: 'notes-' });
    expect(org).toContain('href="#user-content-notes-fn.1"');
    expect(org).toContain('id="user-content-notes-fn.1"');
  });

  test('content in callouts, wikilinks and math stays sanitized', () => {
    const html = renderText('> [!note] <img src=x onerror=alert(1)> **t**\n> [[javascript:alert(1)|x]]\n\n$\\href{javascript:alert(1)}{x}$');
    expect(html).not.toMatch(/onerror|<img|href="javascript/i);
    expect(html).toContain('<p class="callout-title"> <strong>t</strong></p>');
  });

  test('Mermaid: drawn as an SVG image when beautiful-mermaid knows the kind, else the source in <pre class="mermaid">', () => {
    expect(renderText('```mermaid\ngraph TD\n  A-->B\n```')).toMatch(
      /^<figure class="mermaid-diagram"><img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="Diagram \(graph TD\); its source follows"><details><summary>Diagram source<\/summary><pre class="mermaid">graph TD\n  A-->B<\/pre><\/details><\/figure>$/,
    );
    expect(renderText('```mermaid\ngantt\n  title Plan\n```')).toBe('<pre class="mermaid">gantt\n  title Plan</pre>');
  });

  test('ids in plain prose become links (the fast path steps aside)', async () => {
    const { LinkTable } = await import('../../src/core/references.ts');
    const links = {
      table: new LinkTable([{ kind: 'entry', id: 'entry-abc', title: 'A', path: 'content/notebooks/n/p/entries/a.md' }]),
      url: () => '/e/',
      fileUrl: () => null,
      tagUrl: () => null,
      text: () => null,
    };
    expect(renderText('Repeat entry-abc with more data.', 'md', { links })).toBe('<p>Repeat <a href="/e/" class="mention">entry-abc</a> with more data.</p>');
    expect(renderText('Try `entry-abc` again.', 'md', { links })).toBe('<p>Try <a href="/e/" class="mention"><code>entry-abc</code></a> again.</p>');
    expect(renderText('Nothing about entry-xyz.', 'md', { links })).toBe('<p>Nothing about entry-xyz.</p>');
  });

  test('heading ids: a CUSTOM_ID is kept and never given to another heading; a malformed #fragment does not throw', () => {
    expect(renderText('* A\n:PROPERTIES:\n:CUSTOM_ID: b\n:END:\n* B\n', 'org')).toMatch(/<h2 id="user-content-b">A .*<h2 id="user-content-b-1">B /s);
    expect(renderText('[bad](#%E0%A4%A) and [ok](#x)\n\n# X')).toContain('<a href="#user-content-x">ok</a>');
  });

  test('note embeds: in place, sanitized on their own, never in a circle, and a placeholder cannot be forged', async () => {
    const { LinkTable } = await import('../../src/core/references.ts');
    const notes: Record<string, { text: string; format: 'md' | 'org' }> = {
      'a.md': { text: 'Alpha says hi.\n\n![[B]]', format: 'md' },
      'b.md': { text: '<script>alert(1)</script>\n\nBeta, back to ![[A]] inline, and alone:\n\n![[A]]', format: 'md' },
      'c.org': { text: '* Method\nStir *well*.\n* Result\nClear.', format: 'org' },
    };
    const table = new LinkTable(
      Object.keys(notes).map((p) => ({ kind: 'entry' as const, id: `entry-${p[0]}`, title: p[0]!.toUpperCase(), path: `content/${p}` })),
    );
    const links = {
      table,
      url: (t: { id: string }, heading?: string | null) => `/e/${t.id}/${heading ? `#${heading}` : ''}`,
      fileUrl: () => null,
      tagUrl: () => null,
      text: (t: { path: string }) => notes[t.path.slice('content/'.length)] ?? null,
    };
    const html = renderText(`${notes['a.md']!.text}\n\n<div class="transclude-body">forged</div>\n\n![[C#Result]]\n\n![[C#Nowhere]]`, 'md', {
      links,
      sourcePath: 'content/a.md',
    });
    // B is embedded; inside it, A (the text being rendered) is not embedded again: it stays a link.
    expect(html).toMatch(
      /<div class="transclude-body"><p>Beta, back to <a href="\/e\/entry-a\/" class="wikilink embed">A<\/a> inline, and alone:<\/p>\n<p><a href="\/e\/entry-a\/" class="wikilink embed">A<\/a><\/p><\/div>/,
    );
    expect(html).not.toMatch(/<script|forged/);
    // An Org note's section, rendered by the Org pipeline; a section that is not there stays a link.
    expect(html).toMatch(/C › Result<\/a><\/p>\n<div class="transclude-body"><h3 id="user-content-result">Result .*<p>Clear\.<\/p>/s);
    expect(html).not.toContain('Stir');
    expect(html).toContain('<p><a href="/e/entry-c/#Nowhere" class="wikilink embed">C › Nowhere</a></p>');
    expect(html.match(/class="transclude"/g)).toHaveLength(2);
  });

  test('Obsidian comments are left out (code keeps its %%), ==highlights== are marked', () => {
    expect(renderText('Visible %%a private remark%% text.')).toBe('<p>Visible  text.</p>');
    expect(renderText('Before\n\n%%\nA whole\n\nblock comment\n%%\n\nAfter')).toBe('<p>Before</p>\n<p>After</p>');
    expect(renderText('```\ncode %%kept%%\n```\n\nand `inline %%kept%%` but %%gone%%')).toBe(
      '<pre><code>code %%kept%%\n</code></pre>\n<p>and <code>inline %%kept%%</code> but</p>',
    );
    expect(renderText('50%% off, never closed')).toBe('<p>50%% off, never closed</p>');
    expect(renderText('%%only a comment%%')).toBe('');
    expect(renderText('This is ==important==, and a == b == c.')).toBe('<p>This is <mark>important</mark>, and a == b == c.</p>');
    expect(renderText('`==code==` stays')).toBe('<p><code>==code==</code> stays</p>');
  });

  test('media embeds play in place, with a link for browsers that cannot; other files stay links', async () => {
    const { LinkTable } = await import('../../src/core/references.ts');
    const targets = ['clip.mp4', 'talk.mp3', 'doc.pdf'].map((n) => ({ kind: 'attachment' as const, id: `content/${n}`, title: n, path: `content/${n}` }));
    const links = {
      table: new LinkTable(targets),
      url: (t: { title: string }) => `/files/abc/${t.title}`,
      fileUrl: () => null,
      tagUrl: () => null,
      text: () => null,
    };
    expect(renderText('See ![[clip.mp4|320]] and\n\n![[talk.mp3]]\n\n![[doc.pdf]]', 'md', { links, sourcePath: 'content/x.md' })).toBe(
      '<p>See <video src="/files/abc/clip.mp4" controls preload="metadata" width="320"><a href="/files/abc/clip.mp4">clip.mp4</a></video> and</p>\n' +
        '<p><audio src="/files/abc/talk.mp3" controls preload="metadata"><a href="/files/abc/talk.mp3">talk.mp3</a></audio></p>\n' +
        '<p><a href="/files/abc/doc.pdf" class="wikilink embed">doc.pdf</a></p>',
    );
  });

  test('foldable callouts (`[!faq]-` folded, `[!tip]+` open) are <details> that need no script; others stay <div>', () => {
    expect(renderText('> [!faq]- Why *this* way?\n> Because it is **shorter**.\n\n> [!tip]+ Open\n> Body.\n\n> [!note] Plain\n> Text.')).toBe(
      [
        '<details class="callout callout-faq" data-callout="faq">',
        '<summary class="callout-title">Why <em>this</em> way?</summary>',
        '<p>Because it is <strong>shorter</strong>.</p>',
        '</details>',
        '<details class="callout callout-tip" data-callout="tip" open>',
        '<summary class="callout-title">Open</summary>',
        '<p>Body.</p>',
        '</details>',
        '<div class="callout callout-note" data-callout="note">',
        '<p class="callout-title">Plain</p>',
        '<p>Text.</p>',
        '</div>',
      ].join('\n'),
    );
  });
});

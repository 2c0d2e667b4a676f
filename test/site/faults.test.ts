/**
 * The site runs nothing from the journal (attack 12) and tells the truth about
 * runs (attack 13): a `javascript:` repository in lab.config.yaml never becomes
 * a link, HTML/SVG artifacts are published only as downloads (`.bin`, served as
 * application/octet-stream), and an entry stuck `running` is shown as stuck.
 * Builds a tiny journal with lab build and reads dist/ (no browser needed).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApi } from '../../src/site/api.ts';
import { isActiveBlob, publishedBlobPath, storeBlobPath } from '../../src/site/blobs.ts';
import { resolveSiteLocation } from '../../src/site/config.ts';

const repoDir = path.resolve(import.meta.dirname, '../..');
const HTML = '<html><body><script>window.__pwned = 1</script>hello</body></html>\n';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n';

function blob(root: string, data: string, ext: string): string {
  const hex = createHash('sha256').update(data).digest('hex');
  mkdirSync(path.join(root, 'content', 'blobs', hex.slice(0, 2)), { recursive: true });
  writeFileSync(path.join(root, 'content', 'blobs', hex.slice(0, 2), `${hex}.${ext}`), data);
  return hex;
}

function journal(): { root: string; html: string; svg: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'lab-site-faults-'));
  const w = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  w('lab.config.yaml', 'name: Hostile\nrepository: "javascript:alert(document.domain)//https://github.com/x/y"\n');
  w('content/notebooks/nb/README.md', '---\ntitle: NB\n---\n');
  w('content/notebooks/nb/p/README.md', '---\ntitle: P\n---\n');
  const html = blob(root, HTML, 'html');
  const svg = blob(root, SVG, 'svg');
  w(
    'content/notebooks/nb/p/entries/001-http.md',
    `---
id: entry-http-html
title: An HTML response
type: http
inputs: { url: "https://example.com/" }
status: completed
artifacts:
  - { name: response.html, hash: "sha256:${html}", type: text/html, size_bytes: ${HTML.length} }
  - { name: drawing.svg, hash: "sha256:${svg}", type: image/svg+xml, size_bytes: ${SVG.length} }
---
`,
  );
  w(
    'content/notebooks/nb/p/entries/002-stuck.md',
    `---
id: entry-stuck-run
title: A run whose runner died
type: manual
status: running
execution: { started_at: 2026-01-02T03:04:05Z, host: ${hostname()}, pid: 999999 }
---
`,
  );
  return { root, html, svg };
}

describe('only http(s) URLs and no active artifacts in the site origin (attack 12)', () => {
  it('configuration URLs other than http(s) are dropped; lab check reports them', () => {
    const { root } = journal();
    expect(resolveSiteLocation(root).repository).toBeUndefined();
    const r = spawnSync(process.execPath, [path.join(repoDir, 'src', 'cli', 'bin.ts'), 'check'], { cwd: root, encoding: 'utf8' });
    expect(r.stdout).toMatch(/lab\.config\.yaml:2:1: error: `repository` must be a URL like https:/);
    expect(r.stdout.match(/lab\.config\.yaml:2:1/g)).toHaveLength(1);
  });

  it('active blobs are published under a download-only name', () => {
    expect(publishedBlobPath('ab/abc.html')).toBe('ab/abc.html.bin');
    expect(publishedBlobPath('ab/abc.svg')).toBe('ab/abc.svg.bin');
    expect(publishedBlobPath('ab/abc.png')).toBe('ab/abc.png');
    expect(storeBlobPath('ab/abc.html.bin')).toBe('ab/abc.html');
    expect(isActiveBlob('x.XHTML')).toBe(true);
    const api = buildApi(
      {
        notebooks: [],
        pages: [],
        entries: [{ id: 'e', artifacts: [{ name: 'r.html', hash: `sha256:${'a'.repeat(64)}` }], lineage: {} } as never],
        tags: {},
        sessions: [],
      } as never,
      { nodes: [], edges: [] },
      { blobs: { ['a'.repeat(64)]: `aa/${'a'.repeat(64)}.html` }, thumbs: {} },
      '/',
    );
    const entry = JSON.parse(api.find((f) => f.path === 'entries/e.json')!.json);
    expect(entry.artifacts[0].url).toBe(`/blobs/aa/${'a'.repeat(64)}.html.bin`);
  });

  it('the built site: no javascript: link, HTML/SVG blobs only as .bin downloads, the stuck run shown', { timeout: 300_000 }, () => {
    const { root, html, svg } = journal();
    const built = spawnSync(process.execPath, [path.join(repoDir, 'src', 'cli', 'bin.ts'), '-C', root, 'build'], {
      cwd: repoDir,
      env: Object.fromEntries(
        Object.entries(process.env).filter(
          ([k]) => !/^(VITEST|VITE_|__VITEST)/.test(k) && !['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'TEST'].includes(k),
        ),
      ),
      encoding: 'utf8',
    });
    expect(built.status, built.stderr + built.stdout).toBe(0);
    const dist = path.join(root, 'dist');
    const pages: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else if (e.name.endsWith('.html')) pages.push(readFileSync(path.join(d, e.name), 'utf8'));
      }
    };
    walk(dist);
    expect(pages.length).toBeGreaterThan(3);
    for (const page of pages) expect(page).not.toMatch(/href="\s*javascript:/i);
    for (const hex of [html, svg]) {
      const dir = path.join(dist, 'blobs', hex.slice(0, 2));
      expect(readdirSync(dir).filter((n) => n.startsWith(hex))).toEqual([`${hex}.${hex === html ? 'html' : 'svg'}.bin`]);
    }
    const entryPage = readFileSync(path.join(dist, 'entries', 'entry-http-html', 'index.html'), 'utf8');
    expect(entryPage).toContain(`blobs/${html.slice(0, 2)}/${html}.html.bin`);
    expect(entryPage).not.toContain(`${html}.html"`);
    const stuck = readFileSync(path.join(dist, 'entries', 'entry-stuck-run', 'index.html'), 'utf8');
    expect(stuck).toMatch(/>stuck</);
    expect(stuck).toContain('no runner is running it');
    expect(existsSync(path.join(dist, 'blobs', html.slice(0, 2), `${html}.html`))).toBe(false);
  });
});

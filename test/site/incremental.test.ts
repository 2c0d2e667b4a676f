/**
 * Incremental site builds (Astro's `experimental.incrementalBuild` with the cache keys of
 * src/site/cache-keys.ts) on a small generated journal: a build with nothing changed stops before
 * Astro (src/site/build-stamp.ts), and one forced through Astro restores every journal page
 * instead of rendering it; after a parent entry's title changes, its children
 * are rendered again with the new title while unrelated entries are restored, and a deleted
 * entry's page leaves the kept output; and the incremental output is byte for byte the output of
 * a clean build of the same journal.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateJournal } from '../../scripts/generate-journal.ts';

const repoDir = path.resolve(import.meta.dirname, '../..');
let work: string;
let journal: string;

/** The environment without what vitest (a Vite app) sets, which would leak into Astro's build. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(VITEST|VITE_|__VITEST)/.test(key) || ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'TEST'].includes(key)) delete env[key];
  }
  return env;
}

interface BuildLog {
  /** Output files Astro rendered. */
  rendered: string[];
  /** Output files Astro restored from its incremental cache (or kept). */
  restored: string[];
  /** The build found nothing changed since the last one and left the output as it was (src/site/build-stamp.ts). */
  upToDate: boolean;
}

/** `lab build` into `out`; what Astro rendered and restored, read from its own per-file report. */
function build(out: string, flags: string[] = [], env: NodeJS.ProcessEnv = {}): BuildLog {
  const run = spawnSync(process.execPath, [path.join(repoDir, 'src', 'cli', 'bin.ts'), '-C', journal, 'build', '--out', out, ...flags], {
    cwd: repoDir,
    env: { ...cleanEnv(), LAB_ASTRO_LOG: 'info', LAB_BASE: '/lab/', LAB_SITE: 'https://example.org', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`lab build exited ${run.status}\n${run.stderr}\n${run.stdout}`);
  const text = run.stdout.replace(/\x1b\[[0-9;]*m/g, '');
  const log: BuildLog = { rendered: [], restored: [], upToDate: /nothing changed since the last build/.test(text) };
  for (const m of text.matchAll(/├─ (\/\S+?\.(?:html|xml|csv))( \((?:restored|cached)\))?/g)) (m[2] ? log.restored : log.rendered).push(m[1]!);
  return log;
}

/** Every file under `dir`, relative, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Every file under `dir` with a hash of its bytes: two equal snapshots are byte-for-byte equal trees. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    files(dir).map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(path.join(dir, f)))
        .digest('hex'),
    ]),
  );
}

/** The entry files of the journal, by id. */
function entryFiles(): Map<string, { file: string; text: string }> {
  const out = new Map<string, { file: string; text: string }>();
  for (const rel of files(path.join(journal, 'content'))) {
    if (!/\/entries\/.*\.md$/.test(rel)) continue;
    const file = path.join(journal, 'content', rel);
    const text = readFileSync(file, 'utf8');
    const id = /^id: (\S+)$/m.exec(text)?.[1];
    if (id) out.set(id, { file, text });
  }
  return out;
}

const entryPage = (out: string, id: string) => readFileSync(path.join(out, 'entries', id, 'index.html'), 'utf8');

describe('incremental site build', { timeout: 600_000 }, () => {
  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'lab-incremental-'));
    journal = path.join(work, 'journal');
    await generateJournal(journal, { entries: 24, pages: 3, notebooks: 2, images: 2 });
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  test('restores unchanged pages, re-renders the dependants of an edit, and matches a clean build byte for byte', () => {
    const out = path.join(work, 'dist');
    const first = build(out);
    expect(first.restored).toEqual([]);
    const journalPages = first.rendered.filter((f) => /^\/(entries|pages|notebooks|tags)\/[^/]+\/index\.html$|^\/runs\//.test(f));
    expect(journalPages.length).toBeGreaterThan(24);

    // Nothing changed: the build stops before Astro and leaves the output as it was.
    const before = snapshot(out);
    const skipped = build(out);
    expect(skipped).toEqual({ rendered: [], restored: [], upToDate: true });
    expect(snapshot(out)).toEqual(before);

    // Forced through Astro, every journal page comes from the cache; only the static routes
    // render; and the output is what it was, file for file.
    const again = build(out, ['--force']);
    expect(again.upToDate).toBe(false);
    expect(again.restored.sort()).toEqual([...journalPages].sort());
    expect(again.rendered.filter((f) => journalPages.includes(f))).toEqual([]);
    expect(snapshot(out)).toEqual(before);

    // Astro's log level is not part of the pages' code (src/site/integration.ts): after a build at
    // another level, the next build still restores every page.
    build(out, ['--force', '--quiet'], { LAB_ASTRO_LOG: '' });
    expect(build(out, ['--force']).restored.sort()).toEqual([...journalPages].sort());

    // A parent's new title reaches its child's page (breadcrumb of ancestors, lineage graph).
    const entries = entryFiles();
    const [childId, child] = [...entries].find(([, e]) => /^parent: /m.test(e.text))!;
    const parentId = /^parent: (\S+)$/m.exec(child.text)![1]!;
    const parent = entries.get(parentId)!;
    const unrelated = [...entries.keys()].find((id) => {
      const text = entries.get(id)!.text;
      return (
        id !== parentId &&
        id !== childId &&
        !text.includes(parentId) &&
        !parent.text.includes(id) &&
        path.dirname(entries.get(id)!.file) !== path.dirname(parent.file)
      );
    })!;
    writeFileSync(parent.file, parent.text.replace(/^title: .*$/m, 'title: "A renamed parent"'));
    // And an entry nobody derives from is deleted: its page must go from the kept output.
    const removed = [...entries.keys()].find(
      (id) => ![parentId, childId, unrelated].includes(id) && ![...entries].some(([other, e]) => other !== id && e.text.includes(`: ${id}`)),
    )!;
    rmSync(entries.get(removed)!.file);
    // The rendered notes go missing while Astro's store keeps the records that point to them (a CI
    // cache of one without the other): the child, rendered again, must still show its notes (the
    // clean build below compares every byte).
    rmSync(path.join(journal, '.lab', 'site', 'notes'), { recursive: true, force: true });
    const edited = build(out);
    expect(existsSync(path.join(out, 'entries', removed))).toBe(false);
    expect(edited.rendered).toContain(`/entries/${parentId}/index.html`);
    expect(edited.rendered).toContain(`/entries/${childId}/index.html`);
    expect(edited.restored).toContain(`/entries/${unrelated}/index.html`);
    expect(entryPage(out, childId)).toContain('A renamed parent');

    // The output is not as the last build left it (a page deleted by hand): the build runs again
    // and the page is back, restored from Astro's cache.
    rmSync(path.join(out, 'entries', unrelated, 'index.html'));
    // Meanwhile the newest entry of another page gets newer still, and nothing else changes (a
    // title edit would make every linking record again): the page's last activity, which the
    // loader derives from its entries, moves (the sitemap shows it; the clean build below compares).
    const created = (id: string) => /^created: (.*)$/m.exec(entries.get(id)!.text)?.[1] ?? '';
    const dated = [...entries.keys()].find(
      (id) =>
        ![parentId, childId, unrelated, removed].includes(id) &&
        path.dirname(entries.get(id)!.file) !== path.dirname(entries.get(unrelated)!.file) &&
        [...entries.keys()].every((other) => path.dirname(entries.get(other)!.file) !== path.dirname(entries.get(id)!.file) || created(other) <= created(id)),
    )!;
    const datedText = entries.get(dated)!.text;
    expect(datedText).toMatch(/^created: /m);
    writeFileSync(entries.get(dated)!.file, datedText.replace(/^created: .*$/m, 'created: 2031-01-01T00:00:00Z'));
    const repaired = build(out);
    expect(repaired.upToDate).toBe(false);
    expect(repaired.restored).toContain(`/entries/${unrelated}/index.html`);
    expect(build(out).upToDate).toBe(true);

    // Nothing is stale: the whole tree equals a clean build's.
    // Clean: without Astro's cache and without the site's kept records, notes and search bundles.
    rmSync(path.join(journal, '.lab', 'astro-cache'), { recursive: true, force: true });
    rmSync(path.join(journal, '.lab', 'site'), { recursive: true, force: true });
    const cleanOut = path.join(work, 'dist-clean');
    const clean = build(cleanOut);
    expect(clean.restored).toEqual([]);
    expect(snapshot(out)).toEqual(snapshot(cleanOut));
  });
});

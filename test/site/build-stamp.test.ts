/**
 * What the build stamp (src/site/build-stamp.ts) sees as a change of a build's inputs: the
 * journal's files and settings, but not the files builds derive (rewritten on every build); the
 * git history by content; and the output folder as the last build left it.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { CompileResult } from '../../src/core/model.ts';
import { clearStamp, inputsDigest, upToDate, writeStamp } from '../../src/site/build-stamp.ts';
import type { SiteLocation } from '../../src/site/config.ts';

let root: string;
let out: string;
const location = { site: 'https://example.org', base: '/', name: 'Lab' } as unknown as SiteLocation;
const result = { index: { entries: [] } } as unknown as CompileResult;
const digest = (over: Partial<{ location: SiteLocation; result: CompileResult }> = {}) => inputsDigest({ root, out, location, result, ...over });

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'lab-stamp-'));
  out = path.join(root, 'dist');
  write('content/notebooks/nb/README.md', '# Notebook\n');
  write('lab.config.yaml', 'name: Lab\n');
  write('.lab/history.json', '{"version":1}\n');
  write('dist/index.html', '<!doctype html>');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('build stamp', () => {
  test('journal files and settings change the inputs; derived files and an identical history rewrite do not', () => {
    const first = digest();
    expect(digest()).toBe(first);

    write('.lab/index.json', '{}');
    write('.lab/site/notes/ab.html', '<p>');
    write('dist/extra.html', 'output is not an input');
    write('.lab/history.json', '{"version":1}\n');
    expect(digest()).toBe(first);

    write('.lab/history.json', '{"version":1,"head":"abc"}\n');
    const withHistory = digest();
    expect(withHistory).not.toBe(first);

    write('content/notebooks/nb/README.md', '# Notebook, renamed\n');
    const edited = digest();
    expect(edited).not.toBe(withHistory);
    write('lab.config.yaml', 'name: Other\n');
    expect(digest()).not.toBe(edited);
    expect(digest({ location: { ...location, base: '/sub/' } })).not.toBe(digest());
    write('.lab/locks/entry.json', '{}');
    expect(digest()).not.toBe(edited);
  });

  test('a running entry counts by its live state, which no file records', () => {
    const running = {
      index: { entries: [{ id: 'e1', status: 'running', execution: { host: 'another-host' }, source: { path: 'content/x.md' } }] },
    } as unknown as CompileResult;
    expect(digest({ result: running })).not.toBe(digest());
  });

  test('the output must be as the last build left it', () => {
    const inputs = digest();
    expect(upToDate(root, out, inputs)).toBeNull();
    writeStamp(root, { out, inputs, pages: 3 });
    expect(upToDate(root, out, inputs)?.pages).toBe(3);
    expect(upToDate(root, out, 'other inputs')).toBeNull();
    expect(upToDate(root, path.join(root, 'elsewhere'), inputs)).toBeNull();

    utimesSync(path.join(out, 'index.html'), new Date(2000, 1, 1), new Date(2000, 1, 1));
    expect(upToDate(root, out, inputs)).toBeNull();
    writeStamp(root, { out, inputs, pages: 3 });
    write('dist/new.html', '');
    expect(upToDate(root, out, inputs)).toBeNull();
    writeStamp(root, { out, inputs, pages: 3 });
    clearStamp(root);
    expect(upToDate(root, out, inputs)).toBeNull();
  });
});

import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lab, tmpDir } from './helpers.ts';

/** A fresh workspace made with the CLI itself. */
async function workspace(): Promise<string> {
  const dir = tmpDir('lab-cli-');
  const r = await lab(['init', dir, '--name', 'Test Lab']);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

describe('lab CLI', () => {
  it('init creates the layout, config, .gitignore and a git repository', async () => {
    const dir = await workspace();
    for (const p of ['content/notebooks', 'content/blobs', 'lab/raw', 'lab.config.yaml', '.gitignore', '.git/HEAD']) {
      expect(existsSync(path.join(dir, p)), p).toBe(true);
    }
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toContain('.lab/');
    expect((await lab(['init', dir])).code).toBe(1);
  });

  it('creates a notebook, page, entry and variation that pass check, from a subfolder', async () => {
    const dir = await workspace();
    const title = 'Sunset: "golden" hour 🌅 夕焼け';
    expect((await lab(['-C', dir, 'new', 'notebook', title, '--tags', 'a,b', '--description', 'colons: and "quotes"'])).code).toBe(0);
    const page = await lab(['-C', dir, 'new', 'page', 'CFG sweep', '--notebook', title, '--date', '2024-11-27', '--goal', 'Find the best cfg.', '--json']);
    expect(page.code, page.stderr).toBe(0);
    const pageId = JSON.parse(page.stdout).id;
    const entry = await lab([
      '-C',
      dir,
      'new',
      'entry',
      'command',
      '--page',
      pageId,
      '--title',
      'Baseline: cfg 7',
      '--param',
      'cfg=7.5',
      '--param',
      'seed=42',
      '--param',
      'sampler.name=euler',
      '--param',
      'label=yes: no',
      '--input',
      'command=echo hi',
      '--input',
      'timeout=007',
      '--tags',
      'x',
      '--json',
    ]);
    expect(entry.code, entry.stderr).toBe(0);
    const e = JSON.parse(entry.stdout);
    // Parameters are typed as YAML scalars; other inputs stay text (`007` is not the number 7).
    expect(e.inputs).toEqual({ command: 'echo hi', timeout: '007', parameters: { cfg: 7.5, seed: 42, sampler: { name: 'euler' }, label: 'yes: no' } });
    const sub = path.join(dir, 'content/notebooks');
    const v = await lab(['variation', e.id, '--title', 'Higher cfg', '--override', 'cfg=11', '--json'], sub);
    expect(v.code, v.stderr).toBe(0);
    const variation = JSON.parse(v.stdout);
    expect(variation.inputs.parameters).toEqual({ cfg: 11, seed: 42, sampler: { name: 'euler' }, label: 'yes: no' });
    expect(variation.lineage).toMatchObject({ parent_id: e.id, variation_of: e.id });
    expect(variation.source.path).toMatch(/entries\/002-higher-cfg\.md$/);
    const nb = JSON.parse((await lab(['-C', dir, 'list', 'notebooks', '--json'])).stdout);
    expect(nb[0].title).toBe(title);
    expect(nb[0].description).toBe('colons: and "quotes"');
    const check = await lab(['check'], sub);
    expect(check.stdout).toContain('no problems found');
    expect(check.code).toBe(0);
    const lineage = await lab(['-C', dir, 'lineage', e.id]);
    expect(lineage.stdout).toContain(`${variation.id}  Higher cfg`);
  });

  it('reports every problem with path:line:col, as text and JSON, exit 1', async () => {
    const dir = await workspace();
    await lab(['-C', dir, 'new', 'notebook', 'NB']);
    await lab(['-C', dir, 'new', 'page', 'P', '--notebook', 'NB', '--date', '2024-01-01']);
    const entries = path.join(dir, 'content/notebooks/nb/p/entries');
    writeFileSync(path.join(entries, '001-bad.md'), '---\nid: entry-1\ntitle: Bad\nrating: 9\ntype: nope\n---\n');
    writeFileSync(path.join(entries, '002-worse.md'), '---\nid: entry-2\ntitle: [unclosed\n---\n');
    const text = await lab(['-C', dir, 'check']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('content/notebooks/nb/p/entries/001-bad.md:4:1: error: `rating` must be a whole number from 1 to 5 (got number 9)');
    expect(text.stdout).toContain('content/notebooks/nb/p/entries/001-bad.md:5:1: error: unknown entry type `nope`');
    expect(text.stdout).toMatch(/002-worse\.md:\d+:\d+: error: malformed YAML/);
    expect(text.stderr).not.toMatch(/at .*\.ts:\d+/);
    const json = await lab(['-C', dir, 'check', '--json']);
    const diags = JSON.parse(json.stdout);
    expect(diags.length).toBe(3);
    expect(Object.keys(diags[0]).sort()).toEqual(['column', 'file', 'line', 'message', 'rule', 'severity']);
  });

  it('check --fix assigns missing ids and touches nothing else', async () => {
    const dir = await workspace();
    await lab(['-C', dir, 'new', 'notebook', 'NB']);
    await lab(['-C', dir, 'new', 'page', 'P', '--notebook', 'NB']);
    const file = path.join(dir, 'content/notebooks/nb/p/entries/001-no-id.md');
    const original = '---\r\n# a comment\r\ntitle:   "Spacing  kept"   # trailing\r\ntype: manual\r\n---\r\n\r\nNotes — kept.\r\n';
    writeFileSync(file, original);
    expect((await lab(['-C', dir, 'check'])).code).toBe(1);
    const fixed = await lab(['-C', dir, 'check', '--fix']);
    expect(fixed.code, fixed.stdout).toBe(0);
    const after = readFileSync(file, 'utf8');
    expect(after).toMatch(/^---\r\nid: entry-[0-9a-f]{12}\r\n# a comment/);
    expect(after.replace(/id: entry-[0-9a-f]{12}\r\n/, '')).toBe(original);
  });

  it('exits 2 on usage errors and outside a workspace', async () => {
    expect((await lab(['frobnicate'])).code).toBe(2);
    expect((await lab(['list', 'things'])).code).toBe(2);
    expect((await lab(['check', '--bogus'])).code).toBe(2);
    expect((await lab(['-C', tmpDir(), 'check'])).code).toBe(2);
    const help = await lab(['new', 'entry', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--param');
  });

  it('refuses symlinks that point outside the workspace', async () => {
    const dir = await workspace();
    await lab(['-C', dir, 'new', 'notebook', 'NB']);
    await lab(['-C', dir, 'new', 'page', 'P', '--notebook', 'NB']);
    const outside = path.join(tmpDir(), 'secret.md');
    writeFileSync(outside, '---\nid: entry-x\ntitle: x\n---\n');
    symlinkSync(outside, path.join(dir, 'content/notebooks/nb/p/entries/001-link.md'));
    const r = await lab(['-C', dir, 'check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('content/notebooks/nb/p/entries/001-link.md:1:1: error: symlink points outside the workspace');
    expect(JSON.parse((await lab(['-C', dir, 'list', 'entries', '--json'])).stdout)).toEqual([]);
  });

  it('searches notes, parameters and tags with filters', async () => {
    const dir = await workspace();
    await lab(['-C', dir, 'new', 'notebook', 'NB']);
    await lab(['-C', dir, 'new', 'page', 'P', '--notebook', 'NB', '--date', '2024-03-01']);
    const a = JSON.parse(
      (await lab(['-C', dir, 'new', 'entry', 'manual', '--page', 'P', '--title', 'Lake at dusk', '--param', 'sampler=dpmpp', '--tags', 'lake', '--json']))
        .stdout,
    );
    await lab(['-C', dir, 'new', 'entry', 'command', '--page', 'P', '--title', 'Mountain', '--tags', 'peak', '--input', 'command=true']);
    writeFileSync(path.join(dir, a.source.path), readFileSync(path.join(dir, a.source.path), 'utf8') + '\nThe reflections were unusually crisp.\n');
    const hits = JSON.parse((await lab(['-C', dir, 'search', 'reflections', '--json'])).stdout);
    expect(hits[0]).toMatchObject({ kind: 'entry', id: a.id });
    expect(JSON.parse((await lab(['-C', dir, 'search', 'dpmpp', '--json'])).stdout)[0].id).toBe(a.id);
    expect(JSON.parse((await lab(['-C', dir, 'search', 'reflections', '--type', 'command', '--json'])).stdout)).toEqual([]);
    expect(JSON.parse((await lab(['-C', dir, 'search', 'lake', '--tag', 'lake', '--json'])).stdout)[0].id).toBe(a.id);
  });
});

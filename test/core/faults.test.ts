/**
 * Attacks from the adversarial review on the compiler and `lab check`: YAML
 * aliases, text that is not UTF-8, odd keys and numbers, odd file names,
 * symlink loops, declared outputs, deep lineage, run state. Each must be a
 * positioned problem for its own file (never `internal error`), and the rest of
 * the journal must still compile.
 */
import { promises as fs, symlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSources } from '../../src/core/compile-sources.ts';
import { formatDiagnostic } from '../../src/core/diagnostics.ts';
import { formatLineage, lineageTree } from '../../src/core/lineage-query.ts';
import { layout, pageGraph } from '../../src/site/lineage.ts';
import { lab, makeWorkspace, PAGE, read } from '../runners/helpers.ts';

const entry = (id: string, extra = '', body = 'notes\n') => `---\nid: ${id}\ntitle: Entry ${id}\ntype: manual\n${extra}---\n${body}`;
const BILLION_LAUGHS = [
  `id: entry-laughs00000\ntitle: lol\ntype: manual`,
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
].join('\n');

type Diag = { file: string; line: number; column: number; severity: string; rule: string; message: string };

async function check(root: string): Promise<Diag[]> {
  const r = await lab(['check', '--json'], root);
  expect(r.stderr).not.toMatch(/internal error/);
  return JSON.parse(r.stdout) as Diag[];
}

describe('YAML aliases never crash (attack 1)', () => {
  it('bad aliases are path:line:col problems of their own file; the rest compiles; heavy valid use works', async () => {
    const heavy = `id: entry-heavy0000000\ntitle: heavy\ntype: manual\ninputs:\n  base: &p { cfg: 7, seed: 42, steps: [1, 2, 3] }\n${Array.from({ length: 100 }, (_, i) => `  run${i}: *p`).join('\n')}`;
    const root = await makeWorkspace({
      [`${PAGE}/001-title.md`]: '---\nid: entry-title0000000\ntitle: *important*\ntype: manual\n---\n',
      [`${PAGE}/002-order.md`]: '---\nid: entry-order0000000\ntitle: t\ntype: manual\nparent: *a\nx: &a 1\n---\n',
      [`${PAGE}/003-tags.org`]: '#+TITLE: tags\n#+ID: entry-tags00000000\n#+TYPE: manual\n#+INPUTS: {note: *wip}\n',
      [`${PAGE}/004-laughs.md`]: `---\n${BILLION_LAUGHS}\n---\n`,
      [`${PAGE}/005-heavy.md`]: `---\n${heavy}\n---\n`,
      [`${PAGE}/006-good.md`]: entry('entry-good00000000'),
    });
    const diags = (await check(root)).filter((d) => d.severity === 'error');
    const at = (name: string) => diags.find((d) => d.file.endsWith(name));
    expect(at('001-title.md')).toMatchObject({ line: 3, column: 8, rule: 'yaml-syntax' });
    expect(at('001-title.md')!.message).toMatch(/alias `\*important\*` has no anchor/);
    expect(at('002-order.md')).toMatchObject({ line: 5, column: 9 });
    // `#+TAGS` is Org's tag declaration (not read); a keyword whose value is YAML is.
    expect(at('003-tags.org')).toMatchObject({ line: 4, column: 18 });
    expect(at('004-laughs.md')!.message).toMatch(/expand .* more than 100,000 values/);
    expect(at('005-heavy.md')).toBeUndefined();
    expect(diags).toHaveLength(4);
    // Every command that reads the journal still works, and sees the good entries.
    const list = await lab(['list', 'entries', '--json'], root);
    expect(list.stderr).not.toMatch(/internal error/);
    const ids = (JSON.parse(list.stdout) as { id: string }[]).map((e) => e.id).sort();
    expect(ids).toEqual(['entry-good00000000', 'entry-heavy0000000']);
    for (const args of [['compile'], ['search', 'Entry'], ['lineage', 'entry-good00000000'], ['run', '--all']]) {
      const r = await lab(args, root);
      expect(`${args.join(' ')}: ${r.stderr}`).not.toMatch(/internal error/);
    }
    const run = await lab(['run', `${PAGE}/001-title.md`], root);
    expect(run.stderr).toMatch(/001-title\.md:3:8: malformed YAML: alias/);
  });
});

describe('text that is not UTF-8 is refused, never rewritten (attack 5)', () => {
  it('Latin-1: check names the first bad byte; run and --fix leave the bytes alone; UTF-16 is called UTF-16', async () => {
    const latin1 = Buffer.from('---\ntitle: Caf\xe9 na\xefve\ntype: manual\n---\nR\xe9sum\xe9 of the run.\n', 'latin1');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('---\nid: entry-utf16000000\ntitle: x\ntype: manual\n---\n', 'utf16le')]);
    const root = await makeWorkspace({ [`${PAGE}/001-latin1.md`]: latin1, [`${PAGE}/002-utf16.md`]: utf16 });
    const diags = await check(root);
    expect(diags.find((d) => d.file.endsWith('001-latin1.md'))).toMatchObject({ line: 2, column: 11, severity: 'error', rule: 'encoding' });
    expect(diags.find((d) => d.file.endsWith('001-latin1.md'))!.message).toMatch(/not valid UTF-8/);
    const u16 = diags.find((d) => d.file.endsWith('002-utf16.md'))!;
    expect(u16.message).toMatch(/UTF-16/);
    expect(u16.message).not.toMatch(/frontmatter/);
    const run = await lab(['run', `${PAGE}/001-latin1.md`], root);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/001-latin1\.md:2:11: not valid UTF-8/);
    expect((await lab(['check', '--fix'], root)).stderr).not.toMatch(/internal error/);
    expect((await fs.readFile(path.join(root, PAGE, '001-latin1.md'))).equals(latin1)).toBe(true);
    expect((await fs.readFile(path.join(root, PAGE, '002-utf16.md'))).equals(utf16)).toBe(true);
  });
});

describe('small diagnostic faults (attack 15)', () => {
  it('`__proto__` keys are kept; integers beyond 2^53 are reported, not rounded', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/001-proto.md`]: entry('entry-proto0000000', 'inputs:\n  parameters:\n    __proto__: { polluted: true }\n    seed: 1\n'),
      [`${PAGE}/002-big.md`]: entry('entry-big000000000', 'inputs:\n  parameters:\n    seed: 12345678901234567890\n'),
    });
    const diags = await check(root);
    expect(diags.find((d) => d.file.endsWith('002-big.md'))).toMatchObject({ line: 7, column: 11, severity: 'error', rule: 'inexact-number' });
    const list = JSON.parse((await lab(['list', 'entries', '--json'], root)).stdout) as { id: string; inputs: { parameters: Record<string, unknown> } }[];
    const proto = list.find((e) => e.id === 'entry-proto0000000')!;
    expect(Object.keys(proto.inputs.parameters).sort()).toEqual(['__proto__', 'seed']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('file names with a newline or `:N:N:` are quoted; a symlink loop is called a loop', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/bad\nname.md`]: '---\ntitle: [unclosed\n---\n',
      [`${PAGE}/x:1:2:.md`]: '---\ntitle: [unclosed\n---\n',
    });
    symlinkSync('loop-b.json', path.join(root, PAGE, 'loop-a.json'));
    symlinkSync('loop-a.json', path.join(root, PAGE, 'loop-b.json'));
    const r = await lab(['check'], root);
    const lines = r.stdout.split('\n');
    // No printed line starts with the tail of a broken file name, and each problem names its file whole.
    expect(lines.filter((l) => l.startsWith('name.md'))).toEqual([]);
    expect(r.stdout).toContain(`${JSON.stringify(`${PAGE}/bad\nname.md`)}:3:1: error: malformed YAML`);
    expect(r.stdout).toContain(`${JSON.stringify(`${PAGE}/x:1:2:.md`)}:3:1: error: malformed YAML`);
    expect(r.stdout).toMatch(/loop-a\.json:1:1: error: symlink loop/);
    expect(r.stdout).not.toMatch(/loop-a\.json.*outside the workspace/);
    expect(formatDiagnostic({ file: 'a/plain.md', line: 3, column: 4, severity: 'error', rule: 'x', message: 'm' })).toBe('a/plain.md:3:4: error: m');
  });
});

describe('declared outputs are not inputs (attack 10)', () => {
  it('`outputs: ./res.txt` neither blocks the first run nor makes the entry stale after it', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/001-out.md`]: '---\nid: entry-outputs00000\ntitle: out\ntype: command\ninputs:\n  command: echo 42 > res.txt\n  outputs: ./res.txt\n---\n',
    });
    expect((await check(root)).filter((d) => d.file.endsWith('001-out.md'))).toEqual([]);
    const r = await lab(['run', `${PAGE}/001-out.md`], root);
    expect(r.code, r.stderr).toBe(0);
    const after = await check(root);
    expect(after.filter((d) => d.rule === 'stale' || /stale/.test(d.message))).toEqual([]);
    expect((await lab(['run', '--stale'], root)).stdout).not.toMatch(/entry-outputs00000/);
  });
});

describe('deep lineage works (attack 11)', () => {
  it('a 10,000-deep parent chain: lineage, its text, the tree layout', async () => {
    const N = 10_000;
    const files = [
      { path: 'content/notebooks/nb/README.md', text: '---\ntitle: nb\n---\n' },
      { path: 'content/notebooks/nb/p/README.md', text: '---\ntitle: p\n---\n' },
      ...Array.from({ length: N }, (_, i) => ({
        path: `content/notebooks/nb/p/entries/${String(i).padStart(5, '0')}.md`,
        text: `---\nid: e-${i}\ntitle: t${i}\ntype: manual\n${i ? `parent: e-${i - 1}\n` : ''}---\n`,
      })),
    ];
    const result = await compileSources(files);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const tree = lineageTree(result.index, 'e-5000');
    let depth = 0;
    for (let n = tree.ancestors; n.length; n = n[0]!.children) depth++;
    expect(depth).toBe(5000);
    expect(formatLineage(tree).split('\n').length).toBe(1 + 2 + 5000 + 4999);
    const byId = new Map(result.index.entries.map((e) => [e.id, e]));
    const g = pageGraph(result.index.entries as never, (id) => byId.get(id) as never, result.index.pages[0]!.id);
    expect(layout(g.nodes, g.edges, 'tree').nodes).toHaveLength(N);
  });
});

describe('honest state (attack 13)', () => {
  it('lab check warns about an entry stuck `running` and about result sidecars, with the command that resolves them', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/001-stuck.md`]: entry(
        'entry-stuck0000000',
        `status: running\nexecution: { started_at: 2026-01-02T03:04:05Z, host: ${hostname()}, pid: 999999 }\n`,
      ),
      [`${PAGE}/002-edited.md`]: entry('entry-edited000000'),
      [`${PAGE}/002-edited.md.result.yaml`]: 'status: completed\n',
      [`${PAGE}/003-gone.md.result.yaml`]: 'status: completed\n',
    });
    const r = await lab(['check'], root);
    expect(r.code).toBe(0); // warnings only
    expect(r.stdout).toContain(`${PAGE}/001-stuck.md:5:1: warning: stuck: marked running since 2026-01-02T03:04:05Z, but no runner is running it`);
    expect(r.stdout).toContain(`\`lab run ${PAGE}/001-stuck.md\``);
    expect(r.stdout).toMatch(/002-edited\.md\.result\.yaml:1:1: warning: a run's result is waiting here.*rm /);
    expect(r.stdout).toMatch(/003-gone\.md\.result\.yaml:1:1: warning: orphaned result sidecar.*rm /);
    // The stuck entry runs again (its recorded pid is not trusted: no live lock holds it).
    const run = await lab(['run', `${PAGE}/001-stuck.md`], root);
    expect(run.code, run.stderr).toBe(0);
    expect(await read(root, `${PAGE}/001-stuck.md`)).toMatch(/^status: completed/m);
  });
});

/**
 * Incremental rebuilds must give exactly the bytes of a rebuild from scratch.
 * Each edit is applied to two copies of a journal: one compiled in this process
 * (the warm path a dev server takes), one by the `lab` CLI (a fresh process,
 * reading the caches from disk); a third copy is compiled with no cache at all.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateJournal } from '../../scripts/generate-journal.ts';
import { computeInputsHash } from '../../src/core/inputs.ts';
import { compile } from '../../src/sdk/journal.ts';
import { lab, tmpDir } from './helpers.ts';

/** Every derived file under `.lab/` except the caches. */
function outputs(dir: string): Record<string, string> {
  const lab = path.join(dir, '.lab');
  const out: Record<string, string> = {};
  for (const f of ['index.json', 'lineage.json', 'diagnostics.json']) out[f] = readFileSync(path.join(lab, f), 'utf8');
  for (const f of readdirSync(path.join(lab, 'index')).sort()) out[`index/${f}`] = readFileSync(path.join(lab, 'index', f), 'utf8');
  return out;
}

function fromScratch(dir: string): Promise<unknown> {
  const copy = tmpDir('lab-scratch-');
  cpSync(path.join(dir, 'content'), path.join(copy, 'content'), { recursive: true });
  return compile(copy, { cache: false }).then(() => outputs(copy));
}

const PAGE = 'content/notebooks/notebook-001/page-0001';
const entryFile = (dir: string, n: number) =>
  path.join(
    dir,
    PAGE,
    'entries',
    readdirSync(path.join(dir, PAGE, 'entries'))
      .filter((f) => f.endsWith('.md'))
      .sort()[n]!,
  );
const rewrite = (file: string, edit: (text: string) => string) => writeFileSync(file, edit(readFileSync(file, 'utf8')));

/** Edits a user makes, in order; each is applied to every copy. */
const EDITS: [string, (dir: string) => void][] = [
  ['notes of one entry', (d) => rewrite(entryFile(d, 0), (t) => `${t}\nA new observation: 日本語, "quotes", emoji 🧪.\n`)],
  ['a tag written in the notes', (d) => rewrite(entryFile(d, 7), (t) => `${t}\nNow #tagged.\n`)],
  ['the tag taken out of the notes', (d) => rewrite(entryFile(d, 7), (t) => t.replace(' #tagged', ''))],
  ['notes of that entry again', (d) => rewrite(entryFile(d, 7), (t) => `${t}\nPlain notes.\n`)],
  [
    'notes of two entries in two notebooks',
    (d) => {
      rewrite(entryFile(d, 1), (t) => `${t}\nSecond look.\n`);
      const other = path.join(d, 'content/notebooks/notebook-002/page-0002/entries');
      rewrite(path.join(other, readdirSync(other).sort()[0]!), (t) => `${t}\nThird look.\n`);
    },
  ],
  [
    'notes of one entry and a new entry elsewhere (a full rebuild)',
    (d) => {
      rewrite(entryFile(d, 4), (t) => `${t}\nNoted during a bigger change.\n`);
      writeFileSync(path.join(d, 'content/notebooks/notebook-000/page-0000/entries/950-other.md'), '---\nid: entry-other\ntitle: Other\n---\n');
    },
  ],
  ['a title', (d) => rewrite(entryFile(d, 2), (t) => t.replace(/^title: .*$/m, 'title: "Renamed: with a colon"'))],
  [
    'the same title again, with notes',
    (d) => rewrite(entryFile(d, 2), (t) => `${t.replace(/^title: .*$/m, 'title: "Renamed twice \\"quoted\\""')}\nRenamed.\n`),
  ],
  ['a wikilink to that title', (d) => rewrite(entryFile(d, 5), (t) => `${t}\nSee [[renamed twice "quoted"]].\n`)],
  ['the linked title (the link now goes nowhere)', (d) => rewrite(entryFile(d, 2), (t) => t.replace(/^title: .*$/m, 'title: Renamed thrice'))],
  ['another entry takes the linked title', (d) => rewrite(entryFile(d, 6), (t) => t.replace(/^title: .*$/m, 'title: \'Renamed twice "quoted"\''))],
  ['a note embedded by its title', (d) => rewrite(entryFile(d, 8), (t) => `${t}\n![[Renamed thrice]]\n`)],
  ['the embedded title (the embed now goes nowhere)', (d) => rewrite(entryFile(d, 2), (t) => t.replace(/^title: .*$/m, 'title: Renamed four times'))],
  [
    'a heading in one note, linked from another',
    (d) => {
      rewrite(entryFile(d, 9), (t) => `${t}\n## Findings\n\nSome.\n`);
      rewrite(entryFile(d, 1), (t) => `${t}\nSee [[${path.basename(entryFile(d, 9), '.md')}#Findings]].\n`);
    },
  ],
  ['the linked heading renamed, in the notes only (the link now misses)', (d) => rewrite(entryFile(d, 9), (t) => t.replace('## Findings', '## Results'))],
  ['the linked heading back', (d) => rewrite(entryFile(d, 9), (t) => t.replace('## Results', '## Findings'))],
  [
    'a parent link',
    (d) =>
      rewrite(entryFile(d, 3), (t) =>
        t.replace(/^id: (.*)$/m, (line) => `${line}\nparent: entry-000000000000`).replace(/^parent: (?!entry-000000000000).*\n/m, ''),
      ),
  ],
  [
    'a new entry',
    (d) =>
      writeFileSync(
        path.join(d, PAGE, 'entries', '900-new.md'),
        '---\nid: entry-new-one\ntitle: New one\ntype: manual\nparent: entry-000000000000\n---\n\nFresh.\n',
      ),
  ],
  [
    'an input file for a completed entry',
    (d) => {
      writeFileSync(path.join(d, PAGE, 'entries', 'script.py'), 'print(1)\n');
      const inputs = { command: 'python3 script.py', script: './script.py' };
      const hash = computeInputsHash(inputs, { './script.py': 'sha256:' + '0'.repeat(64) });
      writeFileSync(
        path.join(d, PAGE, 'entries', '901-ran.md'),
        `---\nid: entry-ran\ntitle: Ran\ntype: command\ninputs:\n  command: ${inputs.command}\n  script: ${inputs.script}\nstatus: completed\nexecution:\n  inputs_hash: "${hash}"\n---\n`,
      );
    },
  ],
  ['the input file changes', (d) => writeFileSync(path.join(d, PAGE, 'entries', 'script.py'), 'print(2)\n')],
  ['broken YAML', (d) => rewrite(path.join(d, PAGE, 'entries', '900-new.md'), (t) => t.replace('title: New one', 'title: [unclosed'))],
  ['YAML fixed again', (d) => rewrite(path.join(d, PAGE, 'entries', '900-new.md'), (t) => t.replace('title: [unclosed', 'title: New one'))],
  ['an entry deleted', (d) => unlinkSync(path.join(d, PAGE, 'entries', '900-new.md'))],
  ['a page narrative', (d) => rewrite(path.join(d, PAGE, 'README.md'), (t) => t.replace('## Goals\n', '## Goals\n\nA sharper goal.\n'))],
  ['a notebook title', (d) => rewrite(path.join(d, 'content/notebooks/notebook-000/README.md'), (t) => t.replace(/^title: .*$/m, 'title: Renamed notebook'))],
  ['a touch without a change', (d) => utimesSync(entryFile(d, 0), new Date(), new Date(Date.now() + 5000))],
  ['a whole page removed', (d) => rmSync(path.join(d, 'content/notebooks/notebook-002/page-0002'), { recursive: true })],
];

/** A compiled 60-entry journal, and which of its outputs were written since (by mtime). */
async function compiledJournal(prefix: string): Promise<{ dir: string; moved: () => string[] }> {
  const dir = tmpDir(prefix);
  await generateJournal(dir, { entries: 60, pages: 6, notebooks: 3 });
  await compile(dir);
  const stamp = (f: string) => statSync(path.join(dir, '.lab', f)).mtimeMs;
  const before = Object.fromEntries(Object.keys(outputs(dir)).map((f) => [f, stamp(f)]));
  // Lets the clock move on, so that a rewritten output has another mtime.
  await new Promise((r) => setTimeout(r, 20));
  return { dir, moved: () => Object.keys(before).filter((f) => stamp(f) !== before[f]) };
}

describe('incremental rebuilds', () => {
  it('give the bytes of a rebuild from scratch after every kind of edit, warm and in a fresh process', async () => {
    const warm = tmpDir('lab-warm-');
    await generateJournal(warm, { entries: 60, pages: 6, notebooks: 3 });
    const cold = tmpDir('lab-cold-');
    cpSync(warm, cold, { recursive: true });
    await compile(warm);
    expect((await lab(['-C', cold, 'compile'])).code).toBeLessThan(2);
    for (const [name, edit] of EDITS) {
      edit(warm);
      edit(cold);
      await compile(warm);
      const cli = await lab(['-C', cold, 'compile', '--json']);
      expect(cli.code, `${name}: ${cli.stderr}`).toBeLessThan(2);
      const expected = await fromScratch(warm);
      expect(outputs(warm), `${name} (in process)`).toEqual(expected);
      expect(outputs(cold), `${name} (fresh process)`).toEqual(expected);
    }
  }, 240_000);

  it("rewrites only the edited entry's shard after a notes edit, and parses one file", async () => {
    const { dir, moved } = await compiledJournal('lab-quick-');
    rewrite(entryFile(dir, 0), (t) => `${t}\nEdited.\n`);
    const r = await compile(dir);
    expect(r.stats.parsed).toBe(1);
    expect(moved()).toEqual(['index/notebook-001.json']);
    expect(r.index.entries.find((e) => e.source.path === path.relative(dir, entryFile(dir, 0)))!.metadata.notes).toMatch(/Edited\.$/);
  });

  it("rewrites only the entry's shard and the lineage graph after a title edit, and parses one file", async () => {
    const { dir, moved } = await compiledJournal('lab-title-');
    rewrite(entryFile(dir, 0), (t) => t.replace(/^title: .*$/m, 'title: A new title'));
    // Only the edited page's cache is needed: without the others, a full rebuild would parse their files again.
    const keep = `${createHash('sha1').update(PAGE).digest('hex').slice(0, 16)}.json`;
    const states = path.join(dir, '.lab/cache/state');
    for (const f of readdirSync(states)) if (f !== keep) unlinkSync(path.join(states, f));
    const fresh = await lab(['-C', dir, 'compile', '--json']);
    expect(fresh.code).toBeLessThan(2);
    expect(JSON.parse(fresh.stdout).stats.parsed).toBe(1);
    expect(moved().sort()).toEqual(['index/notebook-001.json', 'lineage.json']);
    expect(outputs(dir)).toEqual(await fromScratch(dir));
  });

  it('rewrites a spliced shard when a later full rebuild brings its entry back to the bytes it had before', async () => {
    const dir = tmpDir('lab-revert-');
    await generateJournal(dir, { entries: 30, pages: 3, notebooks: 3 });
    await compile(dir);
    const file = entryFile(dir, 0);
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, `${original}\nEdited.\n`);
    expect((await lab(['-C', dir, 'compile'])).code).toBeLessThan(2);
    // The same bytes as at the first compile, plus a change elsewhere that takes the full way.
    writeFileSync(file, original);
    writeFileSync(path.join(dir, 'content/notebooks/notebook-000/page-0000/entries/950-other.md'), '---\nid: entry-other\ntitle: Other\n---\n');
    expect((await lab(['-C', dir, 'compile'])).code).toBeLessThan(2);
    expect(outputs(dir)).toEqual(await fromScratch(dir));
  });

  it('rebuilds in full when a shard was edited by hand', async () => {
    const dir = tmpDir('lab-hand-');
    await generateJournal(dir, { entries: 30, pages: 3, notebooks: 3 });
    await compile(dir);
    const shard = path.join(dir, '.lab/index/notebook-001.json');
    writeFileSync(shard, '{"version":2,"notebook_id":"nb-001","entries":[]}\n');
    rewrite(entryFile(dir, 0), (t) => `${t}\nEdited.\n`);
    const fresh = await lab(['-C', dir, 'compile']);
    expect(fresh.code).toBeLessThan(2);
    expect(outputs(dir)).toEqual(await fromScratch(dir));
    expect(existsSync(shard)).toBe(true);
  });
});

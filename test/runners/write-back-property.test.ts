/**
 * Property test: 2,000 randomly generated entry files (Markdown and Org, the
 * way people write them: comments, quoting styles, anchors, block scalars,
 * CRLF, mixed line endings, a BOM, runner keys already present with comments,
 * bodies with `---`) run through the real engine (`executeEntry`, a `manual`
 * run). Every byte of the user's part must survive: 0 bytes changed.
 * Seeded, so a failure names a file that can be reproduced.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeEntry } from '../../src/runners/engine.ts';
import { makeWorkspace, PAGE } from './helpers.ts';

const COUNT = Number(process.env.LAB_PROPERTY_FILES ?? 2000);

/** mulberry32: a small seeded PRNG. */
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RUNNER = /^(status|execution|outputs|metrics|artifacts|logs)$/i;

function generate(r: () => number, i: number): { name: string; text: string } {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const words = ['sunset', 'lake', 'café', 'naïve', '夕焼け', '🌅', 'a: b', '"quoted"', "it's", '# not a comment', '{x}', '[y]', '50%', '- dash', 'ok'];
  const scalar = () =>
    pick([
      () => pick(words).replace(/[:#{}\[\]"'%-]/g, '') || 'w',
      () => JSON.stringify(pick(words)),
      () => `'${pick(words).replace(/'/g, "''")}'`,
      () => String(Math.floor(r() * 1e6)),
      () => (r() * 100).toFixed(3),
      () => pick(['true', 'false', 'null', '~', '2024-11-27', '2024-11-27T10:30:00Z']),
    ])();
  const org = r() < 0.25;
  const eol = r() < 0.2 ? '\r\n' : '\n';
  const mixed = r() < 0.1;
  const line = (s: string) => s + (mixed && r() < 0.3 ? (eol === '\n' ? '\r\n' : '\n') : eol);
  const body = Array.from({ length: Math.floor(r() * 6) }, () =>
    pick(['Notes.', '---', '## Result', '- item', '```yaml\nstatus: fake\n```', '', 'status: not a key']),
  )
    .map(line)
    .join('');
  const existingStatus = r() < 0.4;
  if (org) {
    let head = line(`#+TITLE: Entry ${i} ${pick(words)}`) + line(`#+ID: entry-p${String(i).padStart(10, '0')}`) + line('#+TYPE: manual');
    if (r() < 0.5) head += line(`#+TAGS: [${pick(['a', 'b', 'c'])}, ${pick(['d', 'e'])}]`);
    if (r() < 0.3) head += line('#+OPTIONS: toc:nil');
    if (existingStatus) head += line(`#+STATUS: ${pick(['created', 'failed'])}`);
    if (r() < 0.3) head += line('# a comment line');
    return { name: `${String(i).padStart(4, '0')}.org`, text: head + line('') + body };
  }
  const keys: string[] = [];
  keys.push(`id: entry-p${String(i).padStart(10, '0')}${r() < 0.2 ? '  # assigned by lab new' : ''}`);
  keys.push(`title: ${scalar()}`);
  keys.push('type: manual');
  if (r() < 0.5) keys.push(`tags: [${pick(['x', 'y'])}, ${pick(['z', '"w w"'])}]`);
  if (r() < 0.3) keys.push(`rating: ${1 + Math.floor(r() * 5)}`);
  if (r() < 0.4)
    keys.push(`inputs:\n  prompt: ${scalar()}\n  seed: ${Math.floor(r() * 1000)}${r() < 0.5 ? '   # fixed seed' : ''}\n  nested: { a: 1, b: [1, 2] }`);
  if (r() < 0.2) keys.push('defaults: &d { cfg: 7 }\nsweep: *d');
  if (r() < 0.2) keys.push(`note: |\n  line one\n  line: two\n  # not a comment`);
  if (r() < 0.2) keys.push(`# a comment between keys`);
  if (existingStatus)
    keys.splice(1 + Math.floor(r() * keys.length), 0, `status: ${pick(['created', 'failed', 'interrupted'])}${r() < 0.5 ? '  # reviewed' : ''}`);
  if (r() < 0.2) keys.splice(1 + Math.floor(r() * keys.length), 0, 'metrics:\n  loss: 0.5  # old\n  acc: 0.9');
  if (r() < 0.15) keys.push('outputs: {}');
  const yaml = keys.join('\n').split('\n').map(line).join('');
  const bom = r() < 0.05 ? '\ufeff' : '';
  const text = `${bom}${line('---')}${yaml}${line('---')}${body}`;
  return { name: `${String(i).padStart(4, '0')}.md`, text: r() < 0.1 ? text.replace(/\r?\n$/, '') || text : text };
}

/** The user's part of an entry: every line except the runner's keys (and their indented continuation lines). */
function userPart(text: string, org: boolean): string {
  const lines = text.split(/(?<=\n)/);
  const out: string[] = [];
  let skipping = false;
  let inHeader = true;
  for (const l of lines) {
    if (org) {
      if (inHeader && /^#\+(STATUS|EXECUTION|OUTPUTS|METRICS|ARTIFACTS|LOGS):/i.test(l)) continue;
      if (!/^(#|\s*\r?\n?$)/.test(l)) inHeader = false;
      out.push(l);
      continue;
    }
    const key = /^([A-Za-z_]+):/.exec(l)?.[1];
    if (inHeader && key && RUNNER.test(key)) {
      skipping = true;
      continue;
    }
    if (skipping && /^[ \t]/.test(l)) continue;
    skipping = false;
    if (out.length && /^---\s*$/.test(l)) inHeader = false;
    out.push(l);
  }
  return out.join('');
}

describe('write-back property: user bytes survive a run', { timeout: 600_000 }, () => {
  it(`${COUNT} generated entry files run through the engine lose 0 user bytes`, async () => {
    const r = rng(20261130);
    const files = Array.from({ length: COUNT }, (_, i) => generate(r, i));
    const root = await makeWorkspace(Object.fromEntries(files.map((f) => [`${PAGE}/${f.name}`, f.text])));
    let changedBytes = 0;
    const failures: string[] = [];
    let completed = 0;
    for (const f of files) {
      const abs = path.join(root, PAGE, f.name);
      try {
        const result = await executeEntry(abs, { root, force: true });
        if (result.outcome === 'completed') completed++;
        else failures.push(`${f.name}: ${result.outcome} ${result.message ?? ''}`);
      } catch (e) {
        failures.push(`${f.name}: ${(e as Error).message}`);
      }
      const after = await fs.readFile(abs, 'utf8');
      const org = f.name.endsWith('.org');
      const a = userPart(f.text, org);
      const b = userPart(after, org);
      if (a !== b) {
        changedBytes += Math.abs(a.length - b.length) || 1;
        failures.push(`${f.name}: user bytes changed\n--- before\n${JSON.stringify(a)}\n--- after\n${JSON.stringify(b)}`);
      }
      if (!/^(#\+STATUS: completed|status: completed)/im.test(after)) failures.push(`${f.name}: no completed status written`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(changedBytes).toBe(0);
    expect(completed).toBe(COUNT);
  });
});

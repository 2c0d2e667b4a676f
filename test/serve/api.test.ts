/**
 * The REST API held to its OpenAPI document (every operation, its success and its documented
 * errors), reads equal to the static API files, writes equal to the CLI's file writes, and bad input
 * answered as documented: 404 JSON, 400 naming the field, 409 with the CLI's reason, 413, 428.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compile } from '../../src/core/compile.ts';
import { buildApi } from '../../src/site/api.ts';
import { planAssets } from '../../src/site/assets.ts';
import { Contract } from './contract.ts';
import { BASELINE, PAGE_ID, type Served, serveFixture, until } from './helpers.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..');
let s: Served;
let contract: Contract;

beforeAll(async () => {
  s = await serveFixture({ limits: { upload: 64 * 1024 } });
  contract = new Contract(await (await s.call('GET', '/api/openapi.json', { token: false })).json());
});
afterAll(async () => s?.stop());

const json = (res: Response) => res.json() as Promise<any>;
const file = (rel: string) => readFileSync(path.join(s.root, rel), 'utf8');

async function runToEnd(entryId: string, body: unknown = {}): Promise<any> {
  const started = await contract.check('executeEntry', await s.call('POST', `/api/entries/${entryId}/execute`, { body }));
  let run: any;
  await until(async () => {
    run = await contract.check('getRun', await s.call('GET', `/api/runs/${started.run_id}`));
    return run.run.status !== 'running';
  });
  return run;
}

describe('reads', () => {
  test('notebooks, pages, entries and lineage, as documented', async () => {
    await contract.check('getOpenApi', await s.call('GET', '/api/openapi.json', { token: false }));
    const list = await contract.check('listNotebooks', await s.call('GET', '/api/notebooks'));
    expect(list.notebooks.map((n: any) => n.id)).toEqual(['nb-training']);
    const nb = await contract.check('getNotebook', await s.call('GET', '/api/notebooks/nb-training'));
    expect(nb.pages[0].id).toBe(PAGE_ID);
    expect((await contract.check('listPages', await s.call('GET', '/api/notebooks/nb-training/pages'))).pages).toHaveLength(1);
    const page = await contract.check('getPage', await s.call('GET', `/api/pages/${PAGE_ID}`));
    expect(page.page.narrative.goals).toBe('Find a learning rate that converges in under 10 epochs.');
    expect((await contract.check('listEntries', await s.call('GET', `/api/pages/${PAGE_ID}/entries`))).entries.map((e: any) => e.id)).toEqual([
      'entry-lr-baseline',
      'entry-lr-whiteboard',
    ]);
    await contract.check('getLineage', await s.call('GET', '/api/entries/entry-lr-baseline/lineage?depth=1'));
    await contract.check('search', await s.call('POST', '/api/search', { body: { query: 'baseline' } }));
  });

  test('an entry is the same JSON as its static API file, with its file hash as ETag', async () => {
    const res = await s.call('GET', '/api/entries/entry-lr-baseline');
    const etag = res.headers.get('etag');
    const text = await res.clone().text();
    await contract.check('getEntry', res);
    const result = await compile(s.root);
    const files = buildApi(result.index, result.lineage, planAssets(s.root, result.index).assets, '/');
    expect(text).toBe(files.find((f) => f.path === 'entries/entry-lr-baseline.json')!.json);
    const lineage = await (await s.call('GET', '/api/entries/entry-lr-baseline/lineage')).text();
    expect(lineage).toBe(files.find((f) => f.path === 'entries/entry-lr-baseline/lineage.json')!.json);
    const { createHash } = await import('node:crypto');
    expect(etag).toBe(
      `"sha256:${createHash('sha256')
        .update(readFileSync(path.join(s.root, BASELINE)))
        .digest('hex')}"`,
    );
    const again = await s.call('GET', '/api/entries/entry-lr-baseline', { headers: { 'If-None-Match': etag! } });
    await contract.check('getEntry', again);
    expect(again.status).toBe(304);
    // The static file names work too.
    expect(await (await s.call('GET', '/api/entries/entry-lr-baseline.json')).text()).toBe(text);
  });

  test('unknown ids are 404 JSON; bad query values are 400 naming them', async () => {
    for (const [id, p] of [
      ['getNotebook', '/api/notebooks/nb-nope'],
      ['listPages', '/api/notebooks/nb-nope/pages'],
      ['getPage', '/api/pages/nope'],
      ['listEntries', '/api/pages/nope/entries'],
      ['getEntry', '/api/entries/entry-nope'],
      ['getLineage', '/api/entries/entry-nope/lineage'],
      ['getRun', '/api/runs/run-nope'],
      ['getArtifact', `/api/artifacts/sha256:${'0'.repeat(64)}`],
    ] as const) {
      const res = await s.call('GET', p);
      expect(res.status, p).toBe(404);
      expect((await contract.check(id, res)).error).toMatch(/no /);
    }
    const depth = await contract.check('getLineage', await s.call('GET', '/api/entries/entry-lr-baseline/lineage?depth=0'));
    expect(depth.field).toBe('depth');
    expect((await contract.check('getArtifact', await s.call('GET', '/api/artifacts/not-a-hash'))).field).toBe('hash');
    expect((await contract.check('getRun', await s.call('GET', '/api/runs/run-nope?since=-1'))).error).toBeTruthy();
    const noToken = await s.call('GET', '/api/notebooks', { token: false });
    expect(noToken.status).toBe(401);
    await contract.check('listNotebooks', noToken);
    expect((await s.call('DELETE', '/api/notebooks')).status).toBe(405);
    expect((await json(await s.call('GET', '/api/nothing-here'))).error).toMatch(/no endpoint/);
  });
});

describe('writes', () => {
  test('new notebook, page and entry are the files `lab new` writes', async () => {
    const nb = await contract.check('createNotebook', await s.call('POST', '/api/notebooks', { body: { title: 'Inference speed', tags: ['perf'] } }));
    expect(nb.notebook.id).toBe('nb-inference-speed');
    expect(file('content/notebooks/inference-speed/README.md')).toContain('title: Inference speed\nid: nb-inference-speed\n');
    const page = await contract.check(
      'createPage',
      await s.call('POST', '/api/notebooks/nb-inference-speed/pages', { body: { title: 'Batch sizes', date: '2026-03-05', goal: 'Find the knee.' } }),
    );
    expect(page.page.narrative.goals).toBe('Find the knee.');
    const entry = await contract.check(
      'createEntry',
      await s.call('POST', `/api/pages/${page.page.id}/entries`, {
        body: { type: 'command', title: 'Batch 32', inputs: { command: 'echo 32' }, parameters: { batch: 32 } },
      }),
    );
    expect(entry.inputs).toEqual({ command: 'echo 32', parameters: { batch: 32 } });
    expect(file(entry.source.path)).toMatch(/^---\nid: entry-[0-9a-f]{12}\ntitle: Batch 32\ntype: command\n/);
  });

  test('invalid bodies are 400 naming the field', async () => {
    const cases: [string, string, string, unknown, string][] = [
      ['createNotebook', 'POST', '/api/notebooks', {}, 'title'],
      ['createNotebook', 'POST', '/api/notebooks', { title: 'x', colour: 'red' }, 'colour'],
      ['createPage', 'POST', '/api/notebooks/nb-training/pages', { title: 'x', date: '5 March' }, 'date'],
      ['createEntry', 'POST', `/api/pages/${PAGE_ID}/entries`, { type: 'comfy', title: 'x' }, 'type'],
      ['createEntry', 'POST', `/api/pages/${PAGE_ID}/entries`, { type: 'command', title: 'x', parent: 'entry-nope' }, 'parent'],
      ['createVariation', 'POST', '/api/entries/entry-lr-baseline/variations', { input_overrides: { lr: 1 } }, 'title'],
      ['createVariation', 'POST', '/api/entries/entry-lr-baseline/variations', { title: 'x', input_overrides: [1] }, 'input_overrides'],
      ['executeEntry', 'POST', '/api/entries/entry-lr-baseline/execute', { force: 'yes' }, 'force'],
      ['search', 'POST', '/api/search', { q: 'x' }, 'query'],
    ];
    for (const [id, method, p, body, field] of cases) {
      const res = await s.call(method, p, { body });
      expect(res.status, `${p} ${JSON.stringify(body)}`).toBe(400);
      const error = await contract.check(id, res);
      expect(error.field, JSON.stringify(error)).toBe(field);
      expect(error.error).toContain(`\`${field}\``);
    }
    const notJson = await s.call('POST', '/api/notebooks', { raw: '{"title":', headers: { 'Content-Type': 'application/json' } });
    expect(notJson.status).toBe(400);
    await contract.check('createNotebook', notJson);
  });

  test('a narrative section is replaced only with the current ETag; 428 without, 409 when stale', async () => {
    const rel = 'content/notebooks/training/2026-03-02-learning-rate/README.md';
    const before = file(rel);
    const missing = await s.call('PATCH', `/api/pages/${PAGE_ID}/narrative`, { body: { field: 'observations', content: 'x' } });
    expect(missing.status).toBe(428);
    await contract.check('editNarrative', missing);
    const etag = (await s.call('GET', `/api/pages/${PAGE_ID}`)).headers.get('etag')!;
    const bad = await s.call('PATCH', `/api/pages/${PAGE_ID}/narrative`, { body: { field: 'results', content: 'x' }, headers: { 'If-Match': etag } });
    expect((await contract.check('editNarrative', bad)).field).toBe('field');
    const ok = await s.call('PATCH', `/api/pages/${PAGE_ID}/narrative`, {
      body: { field: 'observations', content: 'lr 1e-3 diverged after epoch 2.' },
      headers: { 'If-Match': etag },
    });
    const page = await contract.check('editNarrative', ok);
    expect(page.page.narrative.observations).toBe('lr 1e-3 diverged after epoch 2.');
    expect(file(rel)).toBe(before.replace('## Observations\n\n', '## Observations\n\nlr 1e-3 diverged after epoch 2.\n\n'));
    const stale = await s.call('PATCH', `/api/pages/${PAGE_ID}/narrative`, { body: { field: 'conclusions', content: 'y' }, headers: { 'If-Match': etag } });
    expect(stale.status).toBe(409);
    expect((await contract.check('editNarrative', stale)).reason).toMatch(/changed since you read it/);
    expect(file(rel)).not.toContain('y\n\n## Next Steps');
  });

  test('notes and rating change only the body and the rating line', async () => {
    const rel = 'content/notebooks/training/2026-03-02-learning-rate/entries/002-lab-notes.md';
    const before = file(rel);
    const etag = (await s.call('GET', '/api/entries/entry-lr-whiteboard')).headers.get('etag')!;
    const res = await s.call('PATCH', '/api/entries/entry-lr-whiteboard/notes', {
      body: { content: 'Curves **diverge** above 1e-3.', rating: 5 },
      headers: { 'If-Match': etag },
    });
    const entry = await contract.check('editNotes', res);
    expect(entry.metadata).toMatchObject({ notes: 'Curves **diverge** above 1e-3.', rating: 5 });
    expect(file(rel)).toBe(before.replace('rating: 3', 'rating: 5').replace('Photo of what we drew after the first runs.', 'Curves **diverge** above 1e-3.'));
    const stale = await s.call('PATCH', '/api/entries/entry-lr-whiteboard/notes', { body: { rating: 1 }, headers: { 'If-Match': etag } });
    expect(stale.status).toBe(409);
    await contract.check('editNotes', stale);
    expect(
      (
        await contract.check(
          'editNotes',
          await s.call('PATCH', '/api/entries/entry-lr-whiteboard/notes', { body: { rating: 9 }, headers: { 'If-Match': etag } }),
        )
      ).field,
    ).toBe('rating');
  });

  test('a variation deep-merges input_overrides as `lab variation` does', async () => {
    const v = await contract.check(
      'createVariation',
      await s.call('POST', '/api/entries/entry-lr-baseline/variations', { body: { title: 'lr 3e-4', input_overrides: { lr: 0.0003 } } }),
    );
    expect(v.inputs.parameters).toEqual({ lr: 0.0003, epochs: 3, epoch_seconds: 0 });
    expect(v.inputs.command).toContain('{{parameters.epochs}}');
    expect(v.lineage).toMatchObject({ parent_id: 'entry-lr-baseline', variation_of: 'entry-lr-baseline' });
    expect(file(v.source.path)).toContain('parent: entry-lr-baseline\nvariation_of: entry-lr-baseline\n');
    const missing = await s.call('POST', '/api/entries/entry-nope/variations', { body: { title: 'x' } });
    expect(missing.status).toBe(404);
    await contract.check('createVariation', missing);
  });

  test('uploads attach to manual entries; 413 over the limit, 400 for a bad name, 409 for other types', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3366cc' } })
      .png()
      .toBuffer();
    const res = await s.call('POST', '/api/entries/entry-lr-whiteboard/artifacts?name=curves.png', {
      raw: png,
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    const entry = await contract.check('uploadArtifact', res);
    const artifact = entry.artifacts.find((a: any) => a.name === 'curves.png');
    expect(artifact).toMatchObject({ type: 'image/png', width: 40, height: 30, size_bytes: png.length });
    const bytes = await s.call('GET', `/api/artifacts/${artifact.hash}`);
    expect(Buffer.from(await bytes.clone().arrayBuffer()).equals(png)).toBe(true);
    await contract.check('getArtifact', bytes);
    const thumb = await s.call('GET', `/api/artifacts/${artifact.hash}?thumbnail=1`);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    await contract.check('getArtifact', thumb);

    const big = await s.call('POST', '/api/entries/entry-lr-whiteboard/artifacts?name=big.bin', {
      raw: Buffer.alloc(65 * 1024),
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    expect(big.status).toBe(413);
    await contract.check('uploadArtifact', big);
    const evil = await s.call('POST', `/api/entries/entry-lr-whiteboard/artifacts?name=${encodeURIComponent('../../../escape.txt')}`, { raw: 'x' });
    expect((await contract.check('uploadArtifact', evil)).field).toBe('name');
    const wrongType = await s.call('POST', '/api/entries/entry-lr-baseline/artifacts?name=x.txt', { raw: 'x' });
    expect(wrongType.status).toBe(409);
    expect((await contract.check('uploadArtifact', wrongType)).reason).toMatch(/adds files to `manual` entries/);
    const html = await s.call('POST', '/api/entries/entry-lr-whiteboard/artifacts?name=report.html', { raw: '<script>alert(1)</script>' });
    const h = (await contract.check('uploadArtifact', html)).artifacts.find((a: any) => a.name === 'report.html');
    const served = await s.call('GET', `/api/artifacts/${h.hash}`);
    expect(served.headers.get('content-type')).toBe('application/octet-stream');
    expect(served.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(served.headers.get('content-security-policy')).toMatch(/sandbox/);
  });
});

describe('execute', () => {
  test('runs an entry, writes its results into the file, and refuses as the CLI does', async () => {
    const run = await runToEnd('entry-lr-baseline');
    expect(run.run.status).toBe('completed');
    expect(
      run.events
        .filter((e: any) => e.type === 'log')
        .map((e: any) => e.text)
        .join(''),
    ).toBe('lr=0.001\n\x1b[32mepoch 1\x1b[0m loss=100\n\x1b[32mepoch 2\x1b[0m loss=50\n\x1b[32mepoch 3\x1b[0m loss=33\n');
    expect(file(BASELINE)).toMatch(/\nstatus: completed\n/);
    expect((await contract.check('listRuns', await s.call('GET', '/api/runs?entry_id=entry-lr-baseline'))).runs[0].run_id).toBe(run.run.run_id);

    const again = await s.call('POST', '/api/entries/entry-lr-baseline/execute');
    expect(again.status).toBe(409);
    expect((await contract.check('executeEntry', again)).reason).toBe(`${BASELINE} is completed and up to date (use --force to run it again)`);

    // Stale: the inputs changed after it completed.
    writeFileSync(path.join(s.root, BASELINE), file(BASELINE).replace('epochs: 3', 'epochs: 4'));
    const stale = await s.call('POST', '/api/entries/entry-lr-baseline/execute');
    expect(stale.status).toBe(409);
    expect((await contract.check('executeEntry', stale)).reason).toBe(
      `${BASELINE} is completed but stale (its inputs changed); re-run with --force or --stale, or try the change with \`lab variation\``,
    );
    expect((await runToEnd('entry-lr-baseline', { stale: true })).run.status).toBe('completed');

    // Running: a second request while the first run goes on.
    const slow = await json(
      await s.call('POST', `/api/pages/${PAGE_ID}/entries`, { body: { type: 'command', title: 'Slow', inputs: { command: 'sleep 4; echo done' } } }),
    );
    const first = await s.call('POST', `/api/entries/${slow.id}/execute`);
    expect(first.status).toBe(202);
    const second = await s.call('POST', `/api/entries/${slow.id}/execute`);
    expect(second.status).toBe(409);
    const reason = (await contract.check('executeEntry', second)).reason;
    expect(reason).toMatch(new RegExp(`^${slow.source.path} is already running \\(pid ${process.pid}\\)`));
    // Word for word what `lab run` says in a terminal meanwhile.
    const cli = spawnSync(process.execPath, [path.join(REPO, 'src', 'cli', 'bin.ts'), 'run', slow.id], {
      cwd: s.root,
      encoding: 'utf8',
      env: { ...process.env, CI: '1' },
    });
    expect(cli.stdout + cli.stderr).toContain(reason);
    const etag = (await s.call('GET', `/api/entries/${slow.id}`)).headers.get('etag')!;
    const busy = await s.call('PATCH', `/api/entries/${slow.id}/notes`, { body: { content: 'x' }, headers: { 'If-Match': etag } });
    expect((await contract.check('editNotes', busy)).reason).toMatch(/is running/);
    const missing = await s.call('POST', '/api/entries/entry-nope/execute');
    expect(missing.status).toBe(404);
    await contract.check('executeEntry', missing);
  }, 30_000);
});

test('every operation of the document was exercised, and every route is documented', () => {
  const ok = contract.operationIds.filter((id) => [...(contract.seen.get(id) ?? [])].some((st) => st < 400));
  expect(ok.sort()).toEqual([...contract.operationIds].sort());
});

import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { splitMarkdown } from '../../src/core/source/frontmatter.ts';
import { BlobStore } from '../../src/runners/blobs.ts';
import { executeEntry } from '../../src/runners/engine.ts';
import { summaryTable } from '../../src/runners/terminal.ts';
import type { Progress } from '../../src/runners/types.ts';
import { FakeComfyUI } from './fake-comfyui/server.ts';
import { makeWorkspace, PAGE, read, userPart } from './helpers.ts';

const WORKFLOW = await fs.readFile(path.join(import.meta.dirname, 'fake-comfyui', 'workflow-api.json'), 'utf8');
const SHAPES = path.join(import.meta.dirname, 'fixtures', 'comfyui', 'api');
const shape = (name: string) => fs.readFile(path.join(SHAPES, `${name}.json`), 'utf8');
const front = (text: string) => splitMarkdown(text).data as Record<string, any>;
let fake: FakeComfyUI | null = null;
afterEach(async () => {
  await fake?.stop();
  fake = null;
});

async function setup(parameters: string, options: ConstructorParameters<typeof FakeComfyUI>[0] = {}, workflow = WORKFLOW, override?: string) {
  if (override) parameters = override;
  fake = new FakeComfyUI(options);
  const url = await fake.start();
  const root = await makeWorkspace({
    [`${PAGE}/001-gen.md`]: `---
id: c-gen
title: SDXL sunset
type: comfyui
inputs:
  workflow: ./workflow-v2.json
  server: ${url}
  parameters: ${parameters}
---
Notes.
`,
    [`${PAGE}/workflow-v2.json`]: workflow,
  });
  return { root, file: path.join(root, PAGE, '001-gen.md') };
}

describe('comfyui integration (against a protocol-faithful fake server)', { timeout: 30_000 }, () => {
  it('applies parameters, follows progress, stores every output image with its size', async () => {
    const { root, file } = await setup(
      '{prompt: "a serene lake at sunset", negative_prompt: "blurry", seed: 42, steps: 12, cfg: 7.5, width: 96, height: 64, "9.filename_prefix": lake}',
    );
    const before = await read(root, `${PAGE}/001-gen.md`);
    const progress: Progress[] = [];
    const result = await executeEntry(file, { reporter: { progress: (_id, p) => progress.push(p) } });
    expect(result.outcome).toBe('completed');
    // What the server received: the overrides landed on the right nodes.
    const sent = fake!.received[0]!;
    expect(sent.client_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.prompt['6']!.inputs.text).toBe('a serene lake at sunset');
    expect(sent.prompt['7']!.inputs.text).toBe('blurry');
    expect(sent.prompt['3']!.inputs).toMatchObject({ seed: 42, steps: 12, cfg: 7.5 });
    expect(sent.prompt['5']!.inputs).toMatchObject({ width: 96, height: 64 });
    expect(sent.prompt['9']!.inputs.filename_prefix).toBe('lake');
    // Progress: 12 sampler steps, shown with the node's class.
    const steps = progress.filter((p) => p.max === 12);
    expect(steps.map((p) => p.value)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(steps[0]!.message).toBe('KSampler (node 3)');
    const text = await read(root, `${PAGE}/001-gen.md`);
    expect(userPart(text)).toBe(before);
    const fm = front(text);
    expect(fm.outputs).toMatchObject({ images: 1, prompt_id: expect.any(String), executed_nodes: ['9'] });
    expect(fm.outputs.parameters_applied).toMatchObject({ '6.text': 'a serene lake at sunset', '3.seed': 42, '5.width': 96 });
    expect(fm.metrics.sampler_steps).toBe(12);
    expect(fm.artifacts).toEqual([
      { name: 'lake_00001_.png', hash: expect.stringMatching(/^sha256:/), type: 'image/png', size_bytes: expect.any(Number), width: 96, height: 64 },
    ]);
    const png = await new BlobStore(root).read(fm.artifacts[0].hash);
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 96, height: 64 });
    expect(fm.logs.events).toMatch(/^sha256:/);
  });

  it('reports node_errors from /prompt with the node id and class', async () => {
    // A server without /object_info: its own validation of the queued prompt is what reports the problems.
    const { root, file } = await setup('{ckpt_name: "missing-model.safetensors", steps: 0}', { noObjectInfo: true });
    const result = await executeEntry(file);
    expect(result.outcome).toBe('failed');
    const fm = front(await read(root, `${PAGE}/001-gen.md`));
    expect(fm.execution.error).toMatch(/^ComfyUI rejected the workflow: Prompt outputs failed validation — /);
    expect(fm.execution.error).toContain('node 3 (KSampler): Value 0 smaller than min of 1: steps');
    expect(fm.execution.error).toContain("node 4 (CheckpointLoaderSimple): Value not in list: ckpt_name: 'missing-model.safetensors' not in");
    expect(fm.outputs.node_errors['4']).toMatchObject({ class_type: 'CheckpointLoaderSimple', dependent_outputs: ['9'] });
  });

  it('an execution_error mid-run fails the entry naming the node', async () => {
    const { root, file } = await setup('{steps: 10}', { failAtStep: 4 });
    const result = await executeEntry(file);
    expect(result.outcome).toBe('failed');
    const fm = front(await read(root, `${PAGE}/001-gen.md`));
    expect(fm.execution.error).toBe(
      'ComfyUI failed in KSampler (node 3): torch.OutOfMemoryError: Allocation on device 0 would exceed allowed memory. (out of memory)',
    );
    expect(fm.outputs.failed_node).toBe('3');
    expect(fm.artifacts).toBeUndefined();
  });

  it('the server going away mid-run is a clear failure, with the events so far kept', async () => {
    const { root, file } = await setup('{steps: 10}', { dieAtStep: 5 });
    const result = await executeEntry(file);
    expect(result.outcome).toBe('failed');
    const fm = front(await read(root, `${PAGE}/001-gen.md`));
    expect(fm.execution.error).toBe('the ComfyUI server closed the connection mid-run (after 4 sampler steps)');
    const events = (await new BlobStore(root).read(fm.logs.events)).toString();
    expect(events).toContain('"type":"progress"');
  });

  it('an unreachable server is a one-line failure; a UI-format workflow and an unknown parameter are refused before anything runs', async () => {
    const down = await setup('{seed: 1}');
    await fake!.stop();
    await executeEntry(down.file);
    expect(front(await read(down.root, `${PAGE}/001-gen.md`)).execution.error).toMatch(
      /^cannot reach ComfyUI at http:\/\/127\.0\.0\.1:\d+: connection refused/,
    );
    // The static check (the same as `lab check`'s) refuses them at the offending key; the file is left alone.
    const ui = await setup('{seed: 1}', {}, JSON.stringify({ last_node_id: 9, last_link_id: 9, nodes: [], links: [] }));
    const uiBefore = await read(ui.root, `${PAGE}/001-gen.md`);
    await expect(executeEntry(ui.file)).rejects.toThrow(
      /001-gen\.md:\d+:\d+: `inputs\.workflow` cannot be used: .*UI format; export it with "Save \(API Format\)"/,
    );
    expect(await read(ui.root, `${PAGE}/001-gen.md`)).toBe(uiBefore);
    const unknown = await setup('{sharpness: 3}');
    await expect(executeEntry(unknown.file)).rejects.toThrow(/inputs\.parameters\.sharpness.*unknown parameter: use one of prompt, negative_prompt, seed/);
  });

  it('Ctrl-C interrupts the prompt on the server and marks the entry interrupted', async () => {
    const { root, file } = await setup('{steps: 200}', { stepDelayMs: 20 });
    const controller = new AbortController();
    const running = executeEntry(file, { signal: controller.signal, reporter: { progress: (_id, p) => p.value === 5 && controller.abort() } });
    const result = await running;
    expect(result.outcome).toBe('interrupted');
    const fm = front(await read(root, `${PAGE}/001-gen.md`));
    expect(fm.status).toBe('interrupted');
    expect(fm.execution.error).toBe('interrupted (Ctrl-C)');
    await new Promise((r) => setTimeout(r, 300));
    const item = [...fake!.history.values()][0]!;
    expect(item.status.messages.map((m) => m[0])).toContain('execution_interrupted');
  });

  it('runs every workflow shape end to end, with the parameters on the right nodes', async () => {
    const shapes = (await fs.readdir(SHAPES)).map((f) => f.replace(/\.json$/, '')).sort();
    for (const name of shapes) {
      const { root, file } = await setup(
        '{prompt: "a red fox", seed: 7, steps: 3}',
        {},
        await shape(name),
        name === 'string-prompts' ? '{"30.value": "a red fox", seed: 7, steps: 3}' : undefined,
      );
      const result = await executeEntry(file);
      expect(result.message, name).toBeUndefined();
      expect(result.outcome, name).toBe('completed');
      const fm = front(await read(root, `${PAGE}/001-gen.md`));
      expect(fm.artifacts?.length, name).toBeGreaterThan(0);
      expect(Object.values(fm.outputs.parameters_applied), name).toContain(7);
      const sent = fake!.received[0]!.prompt;
      for (const [key, value] of Object.entries(fm.outputs.parameters_applied)) {
        const [node, input] = key.split('.');
        expect(sent[node!]!.inputs[input!], `${name} ${key}`).toEqual(value);
      }
      await fake!.stop();
      fake = null;
    }
  });

  it('VHS video outputs (`gifs`) become video artifacts; audio and text outputs are kept', async () => {
    const { root, file } = await setup('{prompt: "a red fox", seed: 7, steps: 2}', {}, await shape('wan22-video'));
    expect((await executeEntry(file)).outcome).toBe('completed');
    const fm = front(await read(root, `${PAGE}/001-gen.md`));
    expect(fm.outputs).toMatchObject({ images: 0, videos: 1, executed_nodes: ['60'] });
    expect(fm.artifacts).toEqual([{ name: 'wan22/fox_00001.mp4', hash: expect.stringMatching(/^sha256:/), type: 'video/mp4', size_bytes: expect.any(Number) }]);
    const sent = fake!.received[0]!.prompt;
    expect([sent['57']!.inputs.steps, sent['58']!.inputs.steps, sent['58']!.inputs.noise_seed, sent['57']!.inputs.noise_seed]).toEqual([2, 2, 0, 7]);
    await fake!.stop();

    const audio = JSON.stringify({
      1: { class_type: 'LoadAudio', inputs: { audio: 'speech.wav' } },
      2: { class_type: 'SaveAudio', inputs: { audio: ['1', 0], filename_prefix: 'audio/take' } },
    });
    const a = await setup('{}', {}, audio);
    expect((await executeEntry(a.file)).message).toBeUndefined();
    const afm = front(await read(a.root, `${PAGE}/001-gen.md`));
    expect(afm.outputs).toMatchObject({ images: 0, audio: 1 });
    expect(afm.artifacts[0]).toMatchObject({ name: 'audio/take_00001_.flac', type: 'audio/flac' });
    await fake!.stop();

    const withText = JSON.parse(await shape('string-primitive'));
    withText['40'] = { class_type: 'PreviewAny', inputs: { source: ['34', 0] }, _meta: { title: 'Preview Any' } };
    const t = await setup('{prompt: "a quiet harbour"}', {}, JSON.stringify(withText));
    expect((await executeEntry(t.file)).outcome).toBe('completed');
    expect(front(await read(t.root, `${PAGE}/001-gen.md`)).outputs.text).toEqual({ 40: ['a quiet harbour'] });
  });

  it('a completed run whose output nodes produced no files says so', async () => {
    const { root, file } = await setup('{seed: 1}', { silentOutputs: true });
    expect((await executeEntry(file)).outcome).toBe('completed');
    const fm = front(await read(root, `${PAGE}/001-gen.md`));
    expect(fm.outputs.images).toBe(0);
    expect(fm.outputs.warnings).toEqual(['the run completed but its output nodes (9 SaveImage) produced no files']);
  });

  it('a re-run is served from the cache (execution_cached) and still records its outputs', async () => {
    const { root, file } = await setup('{seed: 5, steps: 4}');
    expect((await executeEntry(file)).outcome).toBe('completed');
    const progress: Progress[] = [];
    expect((await executeEntry(file, { force: true, reporter: { progress: (_id, p) => progress.push(p) } })).message).toBeUndefined();
    const fm = front(await read(root, `${PAGE}/001-gen.md`));
    expect(fm.outputs.cached_nodes).toEqual(['3', '4', '5', '6', '7', '8', '9']);
    expect(fm.outputs.executed_nodes).toEqual([]);
    expect(fm.outputs.images).toBe(1);
    expect(fm.metrics.sampler_steps).toBe(0);
    expect(progress.some((p) => p.message === '7 nodes cached from an earlier run')).toBe(true);
  });

  it("checks placement against the server's /object_info before queueing", async () => {
    const { root, file } = await setup('{sampler_name: "dpmpp_2m_karras"}');
    expect((await executeEntry(file)).outcome).toBe('failed');
    const fm = front(await read(root, `${PAGE}/001-gen.md`));
    expect(fm.execution.error).toBe(
      'parameter `sampler_name`: "dpmpp_2m_karras" is not one of the server\'s sampler_name values for node 3 (KSampler) — did you mean "dpmpp_2m"?',
    );
    expect(fake!.objectInfoRequests).toBe(1);
    expect(fake!.received).toEqual([]);
    await fake!.stop();
    // A server without /object_info still runs (its own validation answers instead).
    const old = await setup('{sampler_name: "euler"}', { noObjectInfo: true });
    expect((await executeEntry(old.file)).outcome).toBe('completed');
  });

  it('an ambiguous parameter is refused before anything is queued (the static check lab check runs too), naming the candidates', async () => {
    const { root, file } = await setup('{prompt: "x"}', {}, await shape('string-prompts'));
    const before = await read(root, `${PAGE}/001-gen.md`);
    await expect(executeEntry(file)).rejects.toThrow(
      '001-gen.md:8:16: `inputs.parameters.prompt` the positive text is assembled from several strings by node 32 (StringConcatenate); name the part to set; candidates: 30.value (PrimitiveStringMultiline "Subject"), 31.value (PrimitiveString "Style")',
    );
    expect(await read(root, `${PAGE}/001-gen.md`)).toBe(before);
    expect(fake!.received).toEqual([]);
  });

  it('survives a dropped socket: reconnects with the same clientId and finishes the run', async () => {
    const { root, file } = await setup('{steps: 12}', { stepDelayMs: 15 });
    let dropped = false;
    const result = await executeEntry(file, {
      reporter: {
        progress: (_id, p) => {
          if (p.value === 3 && p.max === 12 && !dropped) {
            dropped = true;
            fake!.dropClient(fake!.received[0]!.client_id!);
          }
        },
      },
    });
    expect(result.outcome).toBe('completed');
    const fm = front(await read(root, `${PAGE}/001-gen.md`));
    expect(fm.outputs.images).toBe(1);
    const events = (await new BlobStore(root).read(fm.logs.events)).toString();
    expect(events).toContain('reconnected to the server (attempt 1)');
  });

  it('the fake server interrupts only the named prompt, except when it plays a pre-2025 server', async () => {
    for (const legacyInterrupt of [false, true]) {
      fake = new FakeComfyUI({ stepDelayMs: 20, legacyInterrupt });
      const url = await fake.start();
      const wf = JSON.parse(WORKFLOW);
      const post = (p: string, body: unknown) => fetch(`${url}${p}`, { method: 'POST', body: JSON.stringify(body) });
      const { prompt_id } = (await (await post('/prompt', { prompt: wf })).json()) as { prompt_id: string };
      await new Promise((r) => setTimeout(r, 60));
      await post('/api/interrupt', { prompt_id: 'some-other-prompt' });
      for (let i = 0; i < 100 && !fake.history.has(prompt_id); i++) await new Promise((r) => setTimeout(r, 50));
      expect(fake.history.get(prompt_id)!.status.status_str).toBe(legacyInterrupt ? 'error' : 'success');
      await fake.stop();
    }
    fake = null;
  });

  it('--dry-run prints where each parameter lands, and refuses an ambiguous one at its line', async () => {
    const { file } = await setup('{prompt: "a red fox", seed: 7, steps: 30, ckpt_name: "sd_xl_base_1.0.safetensors"}', {}, await shape('sdxl-refiner'));
    const result = await executeEntry(file, { dryRun: true });
    expect(result.outcome).toBe('dry-run');
    expect(result.plan).toEqual([
      'prompt → 6.text (CLIPTextEncode "CLIP Text Encode (Prompt)")',
      'prompt → 15.text (CLIPTextEncode "CLIP Text Encode (Prompt)")',
      'seed → 10.noise_seed (KSamplerAdvanced "KSampler (Advanced) - BASE")',
      'steps → 10.steps (KSamplerAdvanced "KSampler (Advanced) - BASE")',
      'steps → 11.steps (KSamplerAdvanced "KSampler (Advanced) - REFINER")',
      'ckpt_name → 4.ckpt_name (CheckpointLoaderSimple "Load Checkpoint - BASE")',
    ]);
    expect(summaryTable([result])).toContain('\n    seed → 10.noise_seed (KSamplerAdvanced "KSampler (Advanced) - BASE")\n');
    expect(fake!.received).toEqual([]);
    const bad = await setup('{width: 1024}', {}, await shape('latent-upscale'));
    await expect(executeEntry(bad.file, { dryRun: true })).rejects.toThrow(
      /001-gen\.md:8:16: `inputs\.parameters\.width` the first sampler \(3\) gets its latent from LatentUpscale \(node 12\) ← VAEEncode \(node 11\).*candidates: 12\.width \(LatentUpscale "Upscale Latent"\)/,
    );
  });

  it("Ctrl-C while queued behind another client's prompt leaves that prompt alone, even on a pre-2025 server", async () => {
    const { root, file } = await setup('{steps: 5}', { stepDelayMs: 20, legacyInterrupt: true });
    const other = JSON.parse(WORKFLOW);
    other['3'].inputs.steps = 150;
    const res = await fetch(`${fake!.url}/prompt`, { method: 'POST', body: JSON.stringify({ prompt: other, client_id: 'someone-else' }) });
    const { prompt_id: theirs } = (await res.json()) as { prompt_id: string };
    const controller = new AbortController();
    const result = await executeEntry(file, {
      signal: controller.signal,
      reporter: { progress: (_id, p) => p.message?.startsWith('queued as') && controller.abort() },
    });
    expect(result.outcome).toBe('interrupted');
    expect(front(await read(root, `${PAGE}/001-gen.md`)).status).toBe('interrupted');
    for (let i = 0; i < 100 && !fake!.history.has(theirs); i++) await new Promise((r) => setTimeout(r, 50));
    expect(fake!.history.get(theirs)!.status.status_str).toBe('success');
    expect(fake!.interrupts, JSON.stringify(fake!.interrupts)).toEqual([]);
    expect(fake!.history.size).toBe(1);
  });
});

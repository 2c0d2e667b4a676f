import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { splitMarkdown } from '../../src/core/source/frontmatter.ts';
import { BlobStore } from '../../src/runners/blobs.ts';
import { executeEntry } from '../../src/runners/engine.ts';
import type { Progress } from '../../src/runners/types.ts';
import { FakeComfyUI } from './fake-comfyui/server.ts';
import { makeWorkspace, PAGE, read, userPart } from './helpers.ts';

const WORKFLOW = await fs.readFile(path.join(import.meta.dirname, 'fake-comfyui', 'workflow-api.json'), 'utf8');
const front = (text: string) => splitMarkdown(text).data as Record<string, any>;
let fake: FakeComfyUI | null = null;
afterEach(async () => {
  await fake?.stop();
  fake = null;
});

async function setup(parameters: string, options: ConstructorParameters<typeof FakeComfyUI>[0] = {}, workflow = WORKFLOW) {
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
    const { root, file } = await setup('{prompt: "a serene lake at sunset", negative_prompt: "blurry", seed: 42, steps: 12, cfg: 7.5, width: 96, height: 64, "9.filename_prefix": lake}');
    const before = await read(root, `${PAGE}/001-gen.md`);
    const progress: Progress[] = [];
    const result = await executeEntry(file, { reporter: { progress: (_id, p) => progress.push(p) } });
    expect(result.outcome).toBe('completed');
    // What the server received: the overrides landed on the right nodes.
    const sent = fake!.received[0];
    expect(sent.client_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.prompt['6'].inputs.text).toBe('a serene lake at sunset');
    expect(sent.prompt['7'].inputs.text).toBe('blurry');
    expect(sent.prompt['3'].inputs).toMatchObject({ seed: 42, steps: 12, cfg: 7.5 });
    expect(sent.prompt['5'].inputs).toMatchObject({ width: 96, height: 64 });
    expect(sent.prompt['9'].inputs.filename_prefix).toBe('lake');
    // Progress: 12 sampler steps, shown with the node's class.
    const steps = progress.filter((p) => p.max === 12);
    expect(steps.map((p) => p.value)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(steps[0].message).toBe('KSampler (node 3)');
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
    const { root, file } = await setup('{ckpt_name: "missing-model.safetensors", steps: 0}');
    const result = await executeEntry(file);
    expect(result.outcome).toBe('failed');
    const fm = front(await read(root, `${PAGE}/001-gen.md`));
    expect(fm.execution.error).toMatch(/^ComfyUI rejected the workflow: Prompt outputs failed validation — /);
    expect(fm.execution.error).toContain("node 3 (KSampler): Value 0 smaller than min of 1: steps");
    expect(fm.execution.error).toContain("node 4 (CheckpointLoaderSimple): Value not in list: ckpt_name: 'missing-model.safetensors' not in");
    expect(fm.outputs.node_errors['4']).toMatchObject({ class_type: 'CheckpointLoaderSimple', dependent_outputs: ['9'] });
  });

  it('an execution_error mid-run fails the entry naming the node', async () => {
    const { root, file } = await setup('{steps: 10}', { failAtStep: 4 });
    const result = await executeEntry(file);
    expect(result.outcome).toBe('failed');
    const fm = front(await read(root, `${PAGE}/001-gen.md`));
    expect(fm.execution.error).toBe('ComfyUI failed in KSampler (node 3): torch.OutOfMemoryError: Allocation on device 0 would exceed allowed memory. (out of memory)');
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
    expect(front(await read(down.root, `${PAGE}/001-gen.md`)).execution.error).toMatch(/^cannot reach ComfyUI at http:\/\/127\.0\.0\.1:\d+: connection refused/);
    // The static check (the same as `lab check`'s) refuses them at the offending key; the file is left alone.
    const ui = await setup('{seed: 1}', {}, JSON.stringify({ last_node_id: 9, last_link_id: 9, nodes: [], links: [] }));
    const uiBefore = await read(ui.root, `${PAGE}/001-gen.md`);
    await expect(executeEntry(ui.file)).rejects.toThrow(/001-gen\.md:\d+:\d+: `inputs\.workflow` cannot be used: .*UI format; export it with "Save \(API Format\)"/);
    expect(await read(ui.root, `${PAGE}/001-gen.md`)).toBe(uiBefore);
    const unknown = await setup('{sharpness: 3}');
    await expect(executeEntry(unknown.file)).rejects.toThrow(/`inputs\.parameters\.sharpness` is not a parameter ComfyUI entries know/);
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
    const item = [...fake!.history.values()][0];
    expect(item.status.messages.map((m) => m[0])).toContain('execution_interrupted');
  });
});

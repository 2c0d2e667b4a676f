import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiWorkflow, ObjectInfo } from '../../src/runners/integrations/comfyui-graph.ts';
import { describePlacement, describeProblem, placeParameters } from '../../src/runners/integrations/comfyui-placement.ts';
import { applyParameters, parseWorkflow } from '../../src/runners/integrations/comfyui-workflow.ts';
import { objectInfo } from './fake-comfyui/nodes.ts';

const DIR = path.join(import.meta.dirname, 'fixtures', 'comfyui');
const load = (name: string) => parseWorkflow(readFileSync(path.join(DIR, 'api', `${name}.json`), 'utf8'), `${name}.json`);
const SHAPES = readdirSync(path.join(DIR, 'api'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();
/** Every well-known parameter, with values the fake server's catalogue accepts. */
const ALL = {
  prompt: 'P',
  negative_prompt: 'N',
  seed: 1,
  steps: 2,
  cfg: 3,
  sampler_name: 'euler',
  scheduler: 'karras',
  denoise: 0.5,
  width: 640,
  height: 480,
  batch_size: 2,
  ckpt_name: 'sd_xl_base_1.0.safetensors',
};

/** Where each parameter lands per shape: `["<node>.<input>", …]`, or the error with its candidates. */
function table(wf: ApiWorkflow, info?: ObjectInfo): Record<string, string[] | { error: string }> {
  const { placements, problems } = placeParameters(wf, ALL, info);
  const row: Record<string, string[] | { error: string }> = {};
  for (const name of Object.keys(ALL)) {
    const problem = problems.find((p) => p.parameter === name);
    row[name] = problem ? { error: describeProblem(problem) } : placements.filter((p) => p.parameter === name).map((p) => `${p.node}.${p.input}`);
  }
  return row;
}

describe('ComfyUI parameter placement by graph semantics', () => {
  it('places every well-known parameter on the right node of each workflow shape, or names the candidates', () => {
    const file = path.join(DIR, 'expected-placements.json');
    const actual = Object.fromEntries(SHAPES.map((s) => [s, table(load(s))]));
    if (process.env.UPDATE || !existsSync(file)) writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    const expected = JSON.parse(readFileSync(file, 'utf8'));
    for (const shape of SHAPES) expect(actual[shape], shape).toEqual(expected[shape]);
    expect(SHAPES.length).toBeGreaterThanOrEqual(14);
  });

  it('prompts go only to the matching side through nodes that take both positive and negative', () => {
    for (const shape of ['controlnet', 'instantid', 'inpainting']) {
      const { placements } = placeParameters(load(shape), { prompt: 'P', negative_prompt: 'N' });
      const nodes = placements.map((p) => `${p.parameter}@${p.node}`);
      expect(new Set(nodes).size, shape).toBe(nodes.length);
      expect(placements.filter((p) => p.parameter === 'prompt')).toHaveLength(1);
    }
  });

  it('ckpt_name never touches the refiner or a preprocessor; seed skips stages that add no noise', () => {
    const refiner = placeParameters(load('sdxl-refiner'), { ckpt_name: 'x', seed: 5 }).placements.map(describePlacement);
    expect(refiner).toEqual([
      'ckpt_name → 4.ckpt_name (CheckpointLoaderSimple "Load Checkpoint - BASE")',
      'seed → 10.noise_seed (KSamplerAdvanced "KSampler (Advanced) - BASE")',
    ]);
    expect(placeParameters(load('controlnet'), { ckpt_name: 'x' }).placements.map((p) => p.node)).toEqual(['4']);
    expect(placeParameters(load('ksampler-advanced-primitive'), { seed: 5 }).placements.map(describePlacement)).toEqual([
      'seed → 20.value (PrimitiveInt "Seed")',
    ]);
  });

  it('two independent noisy samplers are ambiguous, and the error lists them with their titles', () => {
    const wf = load('img2img');
    wf['13'] = structuredClone(wf['3'])!;
    wf['13']!._meta = { title: 'Second pass' };
    wf['14'] = { class_type: 'VAEDecode', inputs: { samples: ['13', 0], vae: ['4', 2] } };
    wf['15'] = { class_type: 'SaveImage', inputs: { images: ['14', 0], filename_prefix: 'b' } };
    expect(() => applyParameters(wf, { seed: 1 })).toThrow(
      'parameter `seed`: 2 independent samplers add noise; name the one you mean; candidates: 3.seed (KSampler), 13.seed (KSampler "Second pass")',
    );
  });

  it('explicit keys are checked against the node, with a did-you-mean', () => {
    const wf = load('img2img');
    expect(applyParameters(wf, { '9.filename_prefix': 'run' }).applied).toEqual({ '9.filename_prefix': 'run' });
    expect(() => applyParameters(wf, { '3.sed': 5 })).toThrow('parameter `3.sed`: node 3 (KSampler) has no input `sed` — did you mean `3.seed`?');
    expect(() => applyParameters(wf, { '99.text': 'x' })).toThrow('parameter `99.text`: the workflow has no node 99');
    expect(() => applyParameters(wf, { strength: 1 })).toThrow(/parameter `strength`: unknown parameter/);
    // An optional input the node does not set yet is fine when the server's catalogue declares it.
    expect(applyParameters(load('controlnet'), { '13.vae': ['4', 2] }, objectInfo()).applied).toEqual({ '13.vae': ['4', 2] });
  });

  it('with /object_info, values are checked against the server before queueing', () => {
    const wf = load('lora');
    expect(() => applyParameters(wf, { sampler_name: 'euler_a', ckpt_name: 'v1-5-pruned-emaonly.safetensors' }, objectInfo())).toThrow(
      'parameter `sampler_name`: "euler_a" is not one of the server\'s sampler_name values for node 3 (KSampler) — did you mean "euler"?',
    );
    const custom = structuredClone(wf);
    custom['3']!.class_type = 'KSamplerEfficient';
    expect(placeParameters(custom, { '3.seed': 1 }, objectInfo()).problems.map(describeProblem)).toEqual([
      'parameter `3.seed`: node 3: the server has no node class KSamplerEfficient (a custom node that is not installed?)',
    ]);
  });

  it('leaves the original workflow untouched and rejects non-API files clearly', () => {
    const wf = load('sdxl-text-g-l');
    const { workflow } = applyParameters(wf, { prompt: 'p' });
    expect(workflow['6']!.inputs).toMatchObject({ text_g: 'p', text_l: 'p' });
    expect(wf['6']!.inputs.text_g).toBe('a lighthouse on a cliff, storm');
    const ui = readFileSync(path.join(DIR, 'ui-export.json'), 'utf8');
    expect(() => parseWorkflow(ui, 'ui-export.json')).toThrow(/UI format; export it with "Save \(API Format\)"/);
    expect(() => parseWorkflow('{"1": {"inputs": {}}}', 'bad.json')).toThrow(
      'workflow bad.json: node 1 needs a `class_type` and an `inputs` object (API format)',
    );
    expect(() => parseWorkflow('not json', 'x.json')).toThrow(/is not valid JSON/);
  });
});

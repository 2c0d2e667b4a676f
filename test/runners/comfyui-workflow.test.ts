import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyParameters, parseWorkflow } from '../../src/runners/integrations/comfyui-workflow.ts';

const workflow = parseWorkflow(await fs.readFile(path.join(import.meta.dirname, 'fake-comfyui', 'workflow-api.json'), 'utf8'), 'workflow-api.json');

describe('ComfyUI parameter placement', () => {
  it('finds positive/negative encoders through the sampler links and leaves the original untouched', () => {
    const { workflow: wf, applied } = applyParameters(workflow, { prompt: 'p', negative_prompt: 'n', ckpt_name: 'x.safetensors', sampler_name: 'dpmpp_2m', scheduler: 'karras', batch_size: 2 });
    expect(applied).toEqual({
      '6.text': 'p',
      '7.text': 'n',
      '4.ckpt_name': 'x.safetensors',
      '3.sampler_name': 'dpmpp_2m',
      '3.scheduler': 'karras',
      '5.batch_size': 2,
    });
    expect(wf['6'].inputs.clip).toEqual(['4', 1]);
    expect(workflow['6'].inputs.text).toMatch(/^beautiful scenery/);
  });

  it('explicit "<node>.<input>" keys win and must name an existing node', () => {
    expect(applyParameters(workflow, { '9.filename_prefix': 'run' }).applied).toEqual({ '9.filename_prefix': 'run' });
    expect(() => applyParameters(workflow, { '99.text': 'x' })).toThrow('parameter `99.text`: the workflow has no node 99');
  });

  it('a well-known name with no matching node, and an unknown name, are errors', () => {
    const noLatent = structuredClone(workflow);
    delete noLatent['5'];
    expect(() => applyParameters(noLatent, { width: 512 })).toThrow(/parameter `width` matches no node/);
    expect(() => applyParameters(workflow, { strength: 1 })).toThrow(/unknown parameter `strength`/);
  });

  it('rejects non-API workflows clearly', () => {
    expect(() => parseWorkflow('{"nodes": [], "links": []}', 'ui.json')).toThrow(/UI format/);
    expect(() => parseWorkflow('{"1": {"inputs": {}}}', 'bad.json')).toThrow('workflow bad.json: node 1 needs a `class_type` and an `inputs` object (API format)');
    expect(() => parseWorkflow('not json', 'x.json')).toThrow(/is not valid JSON/);
  });
});

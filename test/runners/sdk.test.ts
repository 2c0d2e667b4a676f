import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { splitMarkdown } from '../../src/core/source/frontmatter.ts';
import { BlobStore, executeEntry, knownIntegrationTypes, RunFailure, registerIntegration } from '../../src/runners/index.ts';
import { compile } from '../../src/sdk/journal.ts';
import { makeWorkspace, PAGE, read } from './helpers.ts';

describe('SDK: third-party integrations', { timeout: 30_000 }, () => {
  it('registerIntegration makes a new type runnable, validated by its own zod schema', async () => {
    registerIntegration({
      name: 'reverse',
      aliases: ['rev'],
      version: '2.0.0',
      inputsSchema: z.object({ text: z.string().min(1), times: z.number().int().positive().default(1) }),
      async execute(inputs, ctx) {
        ctx.progress({ value: 1, max: 1, message: 'reversing' });
        ctx.log('stdout', `reversing ${inputs.text}\n`);
        if (inputs.text === 'fail') throw new RunFailure('cannot reverse "fail"', { outputs: { tried: true } });
        const out = inputs.text.split('').reverse().join('').repeat(inputs.times);
        return { outputs: { reversed: out }, metrics: { length: out.length }, artifacts: [{ name: 'reversed.txt', data: out }] };
      },
    });
    expect(knownIntegrationTypes()).toContain('rev');
    const root = await makeWorkspace({
      [`${PAGE}/001-rev.md`]: '---\nid: sdk-rev\ntitle: Reverse\ntype: rev\ninputs: {text: stressed, times: 2}\n---\n',
      [`${PAGE}/002-bad.md`]: '---\nid: sdk-bad\ntitle: Reverse\ntype: reverse\ninputs: {text: 7}\n---\n',
      [`${PAGE}/003-fail.md`]: '---\nid: sdk-fail\ntitle: Reverse\ntype: reverse\ninputs: {text: fail}\n---\n',
    });
    const result = await executeEntry(path.join(root, PAGE, '001-rev.md'));
    expect(result.outcome).toBe('completed');
    const fm = splitMarkdown(await read(root, `${PAGE}/001-rev.md`)).data as Record<string, any>;
    expect(fm.outputs).toEqual({ reversed: 'desserts'.repeat(2) });
    expect(fm.execution.runner).toEqual({ name: 'lab', version: '2.0.0' });
    expect((await new BlobStore(root).read(fm.artifacts[0].hash)).toString()).toBe('dessertsdesserts');
    await expect(executeEntry(path.join(root, PAGE, '002-bad.md'))).rejects.toThrow(/002-bad\.md:5:\d+: `inputs\.text` must be text \(got number 7\)/);
    // lab check knows the registered type and its schema too, and says the same.
    const checked = (await compile(root, { write: false })).diagnostics.filter((d) => d.file.endsWith('002-bad.md'));
    expect(checked.map((d) => `${d.line}:${d.severity}: ${d.message}`)).toEqual(['5:error: `inputs.text` must be text (got number 7)']);
    await executeEntry(path.join(root, PAGE, '003-fail.md'));
    const failed = splitMarkdown(await read(root, `${PAGE}/003-fail.md`)).data as Record<string, any>;
    expect(failed.status).toBe('failed');
    expect(failed.execution.error).toBe('cannot reverse "fail"');
    expect(failed.outputs).toEqual({ tried: true });
  });

  it('refuses an integration without a schema or execute', () => {
    expect(() => registerIntegration({ name: 'x' } as never)).toThrow(/needs a `name`, an `inputsSchema`/);
  });
});

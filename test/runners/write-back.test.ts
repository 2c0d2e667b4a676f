import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyRunnerValues, formatOf, type RunnerValues } from '../../src/runners/write-back.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'write-back');

/** The result every fixture gets unless it has its own values.json (null there means "remove the key"). */
const DEFAULT_VALUES: RunnerValues = {
  status: 'completed',
  execution: {
    started_at: '2026-11-22T03:00:00Z',
    completed_at: '2026-11-22T03:00:02Z',
    duration_seconds: 2.5,
    exit_code: 0,
    inputs_hash: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
    git: { commit: 'abc123', dirty: false },
    runner: { name: 'lab', version: '0.1.0' },
    host: 'bench-01',
  },
  outputs: { row_count: 2, columns: ['a', 'b: c'], message: 'it\'s "quoted": yes' },
  metrics: { accuracy: 0.93 },
  artifacts: [
    {
      name: 'image-001.png',
      hash: 'sha256:2222222222222222222222222222222222222222222222222222222222222222',
      type: 'image/png',
      size_bytes: 2048,
      width: 64,
      height: 32,
    },
  ],
  logs: { stdout: 'sha256:3333333333333333333333333333333333333333333333333333333333333333', stderr: null },
};

describe('write-back fixtures (input → expected)', async () => {
  const cases = (await fs.readdir(FIXTURES)).sort();
  for (const name of cases) {
    it(name, async () => {
      const dir = path.join(FIXTURES, name);
      const files = await fs.readdir(dir);
      const input = files.find((f) => f.startsWith('input.'))!;
      const ext = path.extname(input);
      const text = await fs.readFile(path.join(dir, input), 'utf8');
      const raw = files.includes('values.json') ? JSON.parse(await fs.readFile(path.join(dir, 'values.json'), 'utf8')) : DEFAULT_VALUES;
      const values: RunnerValues = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === null ? undefined : v]));
      const out = applyRunnerValues(text, formatOf(input), values);
      const expectedFile = path.join(dir, `expected${ext}`);
      if (process.env.UPDATE) await fs.writeFile(expectedFile, out);
      expect(out).toBe(await fs.readFile(expectedFile, 'utf8'));
      // Writing the same values again changes nothing (idempotent re-runs give tiny diffs).
      expect(applyRunnerValues(out, formatOf(input), values)).toBe(out);
    });
  }
});

describe('write-back refuses what it cannot do safely', () => {
  it('a file without frontmatter', () => {
    expect(() => applyRunnerValues('# just markdown\n', 'md', { status: 'running' })).toThrow(/no frontmatter/);
  });
  it('a flow-mapping frontmatter', () => {
    expect(() => applyRunnerValues('---\n{id: a, title: b}\n---\n', 'md', { status: 'running' })).toThrow(/block mapping/);
  });
  it('an anchor in a runner key that a user key aliases', () => {
    const text = '---\nid: a\ntitle: b\noutputs: &o {x: 1}\nsaved: *o\n---\n';
    expect(() => applyRunnerValues(text, 'md', { status: 'completed', outputs: { y: 2 } })).toThrow(/left unchanged/);
  });
});

describe('runner keys', () => {
  it('the light copy matches the schema', async () => {
    const { RUNNER_KEYS: fromSchema } = await import('../../src/core/schema/entry.ts');
    const { RUNNER_KEYS: light } = await import('../../src/runners/runner-keys.ts');
    expect([...light]).toEqual([...fromSchema]);
  });
});

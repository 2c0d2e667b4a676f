import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSessions } from '../../src/lab/compile-sessions.ts';
import { lab, REPO, tmpWorkspace } from './helpers.ts';

const SAMPLE_ROLLOUTS = path.join(import.meta.dirname, 'fixtures', 'sample-rollouts');

describe("the repository's own lab/ (sample sessions)", () => {
  it('is exactly what import + summarize produce from test/lab/fixtures/sample-rollouts', async () => {
    const ws = await tmpWorkspace();
    expect((await lab(ws, 'sessions', 'import', '--force', SAMPLE_ROLLOUTS, '--capture', 'commands')).code).toBe(0);
    expect((await lab(ws, 'sessions', 'summarize', '--all', '--offline')).code).toBe(0);
    for (const dir of ['raw', 'stubs', 'doc-drafts']) {
      const names = readdirSync(path.join(ws, 'lab', dir)).sort();
      expect(readdirSync(path.join(REPO, 'lab', dir)).sort()).toEqual(names);
      for (const n of names) {
        // repo-root is the session's working directory (it does not exist here), so the bytes match anywhere.
        expect(readFileSync(path.join(REPO, 'lab', dir, n), 'utf8'), `lab/${dir}/${n}`).toBe(readFileSync(path.join(ws, 'lab', dir, n), 'utf8'));
      }
    }
    expect(readFileSync(path.join(REPO, 'lab/index.org'), 'utf8')).toBe(readFileSync(path.join(ws, 'lab/index.org'), 'utf8'));
  });

  it('compiles without problems and touches files of the journal', async () => {
    const { sessions, diagnostics } = await compileSessions(REPO);
    expect(diagnostics).toEqual([]);
    expect(sessions).toHaveLength(4);
    expect(sessions.every((s) => s.stub_path && s.doc_draft_path && s.commands_count !== null)).toBe(true);
    expect(sessions.flatMap((s) => s.files_touched)).toContain('content/notebooks/data-pipeline/sensor-b04-drift/entries/fit_drift.py');
  });
});

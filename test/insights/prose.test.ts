/** Optional model prose: used when every number and id in it comes from the analysis, dropped otherwise. */
import { describe, expect, it } from 'vitest';
import { analyzeEntries } from '../../src/insights/analyze.ts';
import { unsupportedTokens } from '../../src/insights/prose.ts';
import { completion, startOpenAiServer } from '../lab/support/openai-server.ts';
import { lab, makeWorkspace } from '../runners/helpers.ts';
import { plantedEntries, writePlanted } from './planted-journal.ts';

const scope = { kind: 'page' as const, id: 'page-planted', title: 'Planted' };

describe('model prose for the summary', { timeout: 60_000 }, () => {
  it('finds numbers and ids the sources do not contain', () => {
    const sources = 'cfg matters most for accuracy: rho = 0.8063 (95% 0.6218 to 0.906), n = 30; best entry-p7-017 (0.9578).';
    expect(unsupportedTokens('Raising cfg helped (rho 0.8063, n = 30); entry-p7-017 scored 0.9578, with 95% confidence.', sources)).toEqual([]);
    expect(unsupportedTokens('cfg explains 81% of it, see entry-p7-017', sources)).toEqual(['81']);
    expect(unsupportedTokens('rho 0.81 in entry-p7-099', sources)).toEqual(['entry-p7-099', '0.81']);
    expect(unsupportedTokens('rho +0.8063', sources)).toEqual([]);
    expect(unsupportedTokens('rho -0.8063', sources)).toEqual(['-0.8063']);
  });

  it('keeps faithful prose, rejects invented numbers or failures, and always keeps the deterministic summary', async () => {
    const entries = plantedEntries({ seed: 7 });
    let answer = '';
    const server = await startOpenAiServer(() =>
      answer === 'HTTP 500' ? { status: 500, body: '{"error":"boom"}' } : { status: 200, body: completion(answer) },
    );
    try {
      const model = { url: server.url, model: 'test-model', apiKey: 'sk-test', timeoutMs: 5000 };
      const plain = await analyzeEntries(scope, entries);
      const best = plain.best[0]!;
      const cfg = plain.effects[0]!;
      answer = `Across the page, cfg drove accuracy (rho ${cfg.statistic.value}, n = ${cfg.n}); the best run was ${best.entry} at ${best.value}.`;
      const good = await analyzeEntries(scope, entries, { model });
      expect(good.summary.prose).toBe(answer);
      expect(good.summary.source).toBe('model test-model');
      expect(good.summary.text).toBe(plain.summary.text);
      const sent = server.requests.at(-1)!;
      expect(sent.headers.authorization).toBe('Bearer sk-test');
      expect(sent.body.messages[1]!.content).toContain(best.entry);

      answer = `cfg drove accuracy by about 0.0421 per unit; the best run was ${best.entry}.`;
      const invented = await analyzeEntries(scope, entries, { model });
      expect(invented.summary.prose).toBeNull();
      expect(invented.summary.source).toBe('deterministic');
      expect(invented.summary.fallback).toMatch(/not in the analysis: 0\.0421/);

      answer = 'HTTP 500';
      const failed = await analyzeEntries(scope, entries, { model });
      expect(failed.summary.prose).toBeNull();
      expect(failed.summary.fallback).toMatch(/HTTP 500/);
      expect(JSON.stringify({ ...failed, summary: { ...failed.summary, fallback: null } })).toBe(JSON.stringify(plain));
    } finally {
      await server.stop();
    }
  });

  it('the CLI asks the configured endpoint, and not with --offline', async () => {
    const root = await makeWorkspace();
    await writePlanted(root, plantedEntries({ seed: 7, entries: 10 }));
    const server = await startOpenAiServer(() => ({ status: 200, body: completion('A short and faithful note.') }));
    try {
      const env = { LAB_SUMMARIZER_URL: server.url, LAB_SUMMARIZER_MODEL: 'local' };
      const r = await lab(['insights', 'page-one'], root, env);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('In prose (model local):\n  A short and faithful note.');
      expect(server.requests).toHaveLength(1);
      await lab(['insights', 'page-one', '--offline'], root, env);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });
});

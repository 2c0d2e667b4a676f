/** `lab insights`: which parameters mattered, the best entries, a summary and next steps. */
import { readConfig } from '../../core/config.ts';
import { LabError, UsageError } from '../../core/diagnostics.ts';
import type { Command } from '../command.ts';
import { str, strings, table, workspace } from '../util.ts';

export const command: Command = {
  summary: 'parameter effects, best entries, a summary and next steps for a page or notebook',
  help: `Usage: lab insights [<page>|<notebook>] [--metric M …] [--seed S] [--suggest N] [--offline] [--json]

For each metric (and the rating), each parameter's effect: a rank correlation across
entries (Spearman for numbers, Kruskal–Wallis for labels) with a seeded permutation test,
Holm-corrected, plus paired deltas along variation edges where only that parameter
changed — with n, an interval, p and significant, ranked by importance. Then the best
entry per metric, a summary whose every sentence cites entry ids, and suggestions
(untried values next to the best, parameters never varied, stale entries) that never
repeat an existing inputs hash. Which way is better comes from the notebook's
settings.metrics (higher/lower), else from the name (loss, error, *_seconds… are minimized). Stale, failed and interrupted entries are left out of
the statistics. The same journal gives the same output, byte for byte.

An OpenAI-compatible model can phrase the summary (LAB_SUMMARIZER_URL, _MODEL, _API_KEY,
as for lab sessions summarize); its prose is dropped if it has any number or id that the
analysis does not.

Options:
  --metric <M>     only this metric (repeatable)
  --seed <S>       seed of the permutation tests (default 0)
  --suggest <N>    create the first N suggested points as variations (a sweep per base entry)
  --offline        do not ask a configured model
  --json           { effects, best, summary, suggestions, … }`,
  options: { metric: { type: 'string', multiple: true }, seed: { type: 'string' }, suggest: { type: 'string' }, offline: { type: 'boolean' } },
  json: true,
  async run(args, global) {
    if (args.positionals.length > 1) throw new UsageError('name at most one page or notebook');
    const seed = str(args, 'seed') === undefined ? 0 : Number(str(args, 'seed'));
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed needs a whole number, got '${str(args, 'seed')}'`);
    const suggestN = str(args, 'suggest') === undefined ? undefined : Number(str(args, 'suggest'));
    if (suggestN !== undefined && (!Number.isInteger(suggestN) || suggestN < 1))
      throw new UsageError(`--suggest needs a whole number of at least 1, got '${str(args, 'suggest')}'`);
    const ws = await workspace(global);
    const index = await ws.index();
    const { findNotebook, findPage } = await import('../../core/resolve.ts');
    const ref = args.positionals[0];
    let scope: { kind: 'page' | 'notebook' | 'journal'; id: string | null; title: string } = { kind: 'journal', id: null, title: 'The journal' };
    let entries = index.entries;
    if (ref) {
      try {
        const page = findPage(index, ref);
        scope = { kind: 'page', id: page.id, title: page.title };
        entries = index.entries.filter((e) => e.page_id === page.id);
      } catch (pageError) {
        let notebook;
        try {
          notebook = findNotebook(index, ref);
        } catch {
          throw new LabError(`no page or notebook '${ref}' (${(pageError as Error).message})`);
        }
        scope = { kind: 'notebook', id: notebook.id, title: notebook.title };
        entries = index.entries.filter((e) => e.notebook_id === notebook.id);
      }
    }
    const [{ analyzeEntries }, { existingHashes, InputsHasher }, { modelSummarizerConfig }] = await Promise.all([
      import('../../insights/analyze.ts'),
      import('../../insights/inputs-hashes.ts'),
      import('../../lab/summarize/model.ts'),
    ]);
    const hasher = new InputsHasher(ws.root);
    const taken = await existingHashes(hasher, entries, index.entries);
    const model = args.values.offline ? null : modelSummarizerConfig(process.env, (await readConfig(ws.root)) as Record<string, unknown>);
    const { goalsOf } = await import('../../insights/features.ts');
    const notebookIds = new Set(entries.map((e) => e.notebook_id));
    const goals = goalsOf(index.notebooks.filter((n) => notebookIds.has(n.id)));
    const report = await analyzeEntries(scope, entries, {
      metrics: strings(args, 'metric'),
      seed,
      goals,
      hasher,
      taken,
      model,
      suggestions: Math.max(5, suggestN ?? 0),
    });

    let created: unknown[] | undefined;
    if (suggestN) {
      const { createSweep } = await import('../../insights/sweep.ts');
      const points = report.suggestions.filter((s) => s.set.length).slice(0, suggestN);
      created = [];
      for (const from of [...new Set(points.map((p) => p.from))]) {
        const mine = points.filter((p) => p.from === from).map((p) => p.set.map((s) => ({ key: s.parameter, path: s.path, value: s.value })));
        created.push(await createSweep({ root: ws.root, base: from, params: [], method: 'grid', points: mine }));
      }
    }
    return {
      data: created ? { ...report, created } : report,
      text: render(report, created as { sweep: string; created: number; existing: number }[] | undefined),
    };
  },
};

type Report = Awaited<ReturnType<typeof import('../../insights/analyze.ts')['analyzeEntries']>>;

function render(r: Report, created?: { sweep: string; created: number; existing: number }[]): string {
  const out: string[] = [`Insights: ${r.scope.title} — ${r.entries.total} entries, ${r.entries.analysed} analysed`];
  for (const metric of [...new Set(r.effects.map((e) => e.metric))]) {
    out.push('', `Effects on ${metric}:`);
    out.push(
      table([
        ['#', 'PARAMETER', 'IMPORTANCE', 'DIRECTION', 'N', 'STATISTIC', 'INTERVAL', 'SIZE', 'PAIRED', 'P(ADJ)', ''],
        ...r.effects
          .filter((e) => e.metric === metric)
          .map((e) => [
            String(e.rank),
            e.parameter,
            String(e.importance),
            e.direction,
            String(e.n),
            `${e.statistic.name === 'spearman' ? 'rho' : 'H'} ${e.statistic.value}${e.statistic.within !== null ? ` (within ${e.statistic.within})` : ''}`,
            e.interval ? `[${e.interval[0]}, ${e.interval[1]}]` : '',
            e.slope ? `${e.slope.value}/unit` : e.best_level ? `best ${e.best_level.value}` : '',
            e.paired ? `${e.paired.n}× ${e.paired.mean}${e.paired.per_unit ? '/unit' : ''}` : '',
            String(e.p_adjusted),
            e.significant ? 'significant' : '',
          ]),
      ])
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  }
  if (r.effects.some((e) => e.test === 'within strata'))
    out.push('', '(within: rho among entries that share every other parameter — the grid test used for p)');
  if (!r.effects.length) out.push('', 'No effects to estimate: no metric with a varied parameter in at least 4 usable entries.');
  out.push('', 'Summary:', ...r.summary.sentences.map((s) => `  - ${s.text}`));
  if (r.summary.prose) out.push('', `In prose (${r.summary.source}):`, `  ${r.summary.prose}`);
  if (r.summary.fallback) out.push('', `  (${r.summary.fallback})`);
  if (r.suggestions.length) {
    out.push('', 'Suggestions:');
    for (const s of r.suggestions)
      out.push(`  - ${s.set.length ? `${s.set.map((x) => `${x.parameter}=${x.value}`).join(' ')} on ${s.from}: ` : ''}${s.reason}`);
  }
  for (const c of created ?? []) out.push('', `${c.sweep}: ${c.created} variation(s) created, ${c.existing} already existed`);
  return out.join('\n');
}

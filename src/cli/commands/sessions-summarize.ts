import { readConfig } from '../../core/config.ts';
import { UsageError } from '../../core/diagnostics.ts';
import { writeSessionIndex } from '../../lab/org-index.ts';
import { findLabRoot } from '../../lab/paths.ts';
import { modelSummarizerConfig } from '../../lab/summarize/model.ts';
import { summarizeSessions } from '../../lab/summarize/run.ts';
import type { Command } from '../command.ts';

export const command: Command = {
  summary: 'write Org stubs and doc drafts for sessions',
  help: `Usage: lab sessions summarize <session-id …> | --all [--offline] [--force]

For each session writes lab/stubs/<id>.org (Context / Delta / Verification) and
lab/doc-drafts/<id>.json (doc/* keys, doc/status "draft"), sets lab/doc-draft-path in
the raw record, and regenerates lab/index.org.

The default summarizer is deterministic and offline. To phrase the sections with a model,
point it at an OpenAI-compatible endpoint:
  LAB_SUMMARIZER_URL      e.g. http://127.0.0.1:11434/v1 (or summarizer.url in lab.config.yaml)
  LAB_SUMMARIZER_MODEL    model name (or summarizer.model in lab.config.yaml)
  LAB_SUMMARIZER_API_KEY  sent as a bearer token (environment only)
Any failure of the model falls back to the deterministic summarizer.

Options:
  --all       every session in lab/raw
  --offline   ignore a configured model; use the deterministic summarizer
  --force     overwrite stubs and drafts that were edited by hand`,
  options: { all: { type: 'boolean' }, offline: { type: 'boolean' }, force: { type: 'boolean' } },
  json: true,
  async run(args, global) {
    const all = Boolean(args.values.all);
    if (!all && !args.positionals.length) throw new UsageError('name the sessions to summarize, or pass --all');
    if (all && args.positionals.length) throw new UsageError('pass either session ids or --all, not both');
    const root = findLabRoot(global.cwd);
    const model = args.values.offline ? null : modelSummarizerConfig(process.env, (await readConfig(root)) as Record<string, unknown>);
    const outcomes = await summarizeSessions({ root, ids: args.positionals, all, model, force: Boolean(args.values.force) });
    const index = await writeSessionIndex(root);
    const lines: string[] = [];
    for (const o of outcomes) {
      if (o.fallback) lines.push(`${o.id}: ${o.fallback}`);
      lines.push(`${o.stub.status.padEnd(11)} ${o.stub.path}`, `${o.draft.status.padEnd(11)} ${o.draft.path}`);
      for (const f of [o.stub, o.draft])
        if (f.status === 'kept-edited') lines.push(`  ${f.path} was edited by hand and was left as is (--force overwrites it)`);
    }
    lines.push(`${outcomes.length} session(s) summarized; ${index.changed ? 'wrote' : 'unchanged'} ${index.path}`);
    return { data: { sessions: outcomes, index }, text: lines.join('\n') };
  },
};

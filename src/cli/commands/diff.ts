import { readConfig } from '../../core/config.ts';
import { UsageError } from '../../core/diagnostics.ts';
import { findWorkspaceRoot } from '../../core/workspace-root.ts';
import { renderMarkdown } from '../../git/diff/render-markdown.ts';
import { renderStat, renderText } from '../../git/diff/render-text.ts';
import { diffJournal } from '../../git/diff/run.ts';
import type { Command } from '../command.ts';
import { str } from '../util.ts';

export const command: Command = {
  summary: 'what changed in the experiments between two commits',
  help: `Usage: lab diff [<base> | <base>..<head> | <base>...<head>] [--format text|md|json]

Compares the journal at two commits, read straight from git (no checkout):
entries added, removed, moved, run or re-run; parameters that changed; metrics
with deltas and better/worse (notebook settings.metrics: {name: higher|lower});
new images; page narrative changes per section.

  (nothing)        since this branch left the default branch → working tree
  <base>           since this branch left <base> (merge base) → working tree
  <base>..<head>   exactly <base> → <head>
  <base>...<head>  merge base of the two → <head> (what a pull request shows)

Options:
  --format F        text (default), md (a pull-request comment), json (stable data)
  --stat            text, one line per entry and page
  --image-base URL  prefix for image links in md, e.g.
                    https://github.com/<owner>/<repo>/raw/<sha>/ (default: from
                    lab.config.yaml \`repository\` when the head is a commit)
  --max-chars N     size budget of the md comment (default 60000; GitHub's limit is 65536)
  --json            same as --format json`,
  options: {
    format: { type: 'string' },
    'image-base': { type: 'string' },
    'max-chars': { type: 'string' },
    stat: { type: 'boolean' },
  },
  json: true,
  async run(args, global) {
    if (args.positionals.length > 1) throw new UsageError('expected at most one range, e.g. main or main..feature');
    const format = global.json ? 'json' : (str(args, 'format') ?? 'text');
    if (!['text', 'md', 'json'].includes(format)) throw new UsageError(`--format must be text, md or json (got '${format}')`);
    const maxChars = str(args, 'max-chars') === undefined ? undefined : Number(str(args, 'max-chars'));
    if (maxChars !== undefined && !(maxChars >= 1000)) throw new UsageError('--max-chars must be a number ≥ 1000');
    const root = findWorkspaceRoot(global.cwd);
    const { registryEntryTypes } = await import('../../runners/input-checks.ts');
    const { diff, plan } = await diffJournal(root, args.positionals[0], { entryTypes: registryEntryTypes() });
    if (format === 'json') return { data: diff, text: JSON.stringify(diff, null, 2) };
    if (format === 'text') return { data: diff, text: args.values.stat ? renderStat(diff) : renderText(diff) };
    const headSha = diff.head.commit;
    let imageBase = str(args, 'image-base');
    if (imageBase === undefined && headSha) {
      const repository = (await readConfig(root).catch(() => ({ repository: undefined }))).repository;
      if (repository && /^https:\/\/github\.com\//.test(repository)) imageBase = `${repository.replace(/\/+$/, '')}/raw/${headSha}/`;
    }
    const prefix = plan.repo.prefix;
    const imageUrl = imageBase ? (blobPath: string) => `${imageBase!.replace(/\/?$/, '/')}${prefix}${blobPath}` : undefined;
    const range = headSha ? `${diff.base.commit!.slice(0, 12)}..${headSha.slice(0, 12)}` : diff.base.commit!.slice(0, 12);
    return { data: diff, text: renderMarkdown(diff, { imageUrl, maxChars, footnote: `Reproduce locally: <code>lab diff ${range}</code>` }) };
  },
};

import { UsageError } from '../../core/diagnostics.ts';
import { findNotebook, findPage } from '../../core/resolve.ts';
import type { SearchKind } from '../../core/search.ts';
import type { Command } from '../command.ts';
import { str, workspace } from '../util.ts';

export const command: Command = {
  summary: 'full-text search over the journal',
  help: `Usage: lab search "<query>" [--type T] [--tag T] [--notebook N] [--page P] [--kind notebook|page|entry|session]
                   [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--limit N] [--json]

Ranked search (MiniSearch: prefix and fuzzy matching) over titles, notes, page narratives,
tags, parameters and imported Codex sessions.`,
  options: {
    type: { type: 'string' },
    tag: { type: 'string' },
    notebook: { type: 'string' },
    page: { type: 'string' },
    kind: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    limit: { type: 'string' },
  },
  json: true,
  async run(args, global) {
    const query = args.positionals.join(' ').trim();
    if (!query) throw new UsageError('expected a search query');
    for (const d of ['from', 'to']) if (str(args, d) && !/^\d{4}-\d{2}-\d{2}$/.test(str(args, d)!)) throw new UsageError(`--${d} must look like 2024-11-27`);
    const limit = str(args, 'limit') ? Number(str(args, 'limit')) : undefined;
    if (limit !== undefined && !(limit > 0)) throw new UsageError('--limit must be a positive number');
    const ws = await workspace(global);
    const index = await ws.index();
    const hits = await ws.search(query, {
      type: str(args, 'type'),
      tag: str(args, 'tag'),
      kind: str(args, 'kind') as SearchKind | undefined,
      notebook: str(args, 'notebook') ? findNotebook(index, str(args, 'notebook')!).id : undefined,
      page: str(args, 'page') ? findPage(index, str(args, 'page')!).id : undefined,
      from: str(args, 'from'),
      to: str(args, 'to'),
      limit,
    });
    const text = hits.length
      ? hits.map((h) => `${h.kind.padEnd(8)} ${h.id}  ${h.title}${h.date ? `  (${h.date})` : ''}\n         ${h.snippet}`).join('\n')
      : `no results for "${query}"`;
    return { data: hits, text };
  },
};

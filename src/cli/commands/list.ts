import { UsageError } from '../../core/diagnostics.ts';
import { findNotebook, findPage } from '../../core/resolve.ts';
import type { Command } from '../command.ts';
import { str, table, workspace } from '../util.ts';

export const command: Command = {
  summary: 'list notebooks, pages or entries',
  help: `Usage: lab list notebooks|pages|entries [--notebook <ref>] [--page <ref>] [--type <type>] [--tag <tag>] [--json]`,
  options: { notebook: { type: 'string' }, page: { type: 'string' }, type: { type: 'string' }, tag: { type: 'string' } },
  json: true,
  async run(args, global) {
    const what = args.positionals[0] ?? '';
    if (!['notebooks', 'pages', 'entries'].includes(what) || args.positionals.length !== 1) {
      throw new UsageError('expected one of: notebooks, pages, entries');
    }
    const ws = await workspace(global);
    const index = await ws.index();
    const nb = str(args, 'notebook') ? findNotebook(index, str(args, 'notebook')!) : undefined;
    const page = str(args, 'page') ? findPage(index, str(args, 'page')!, nb?.id) : undefined;
    const tag = str(args, 'tag');
    const type = str(args, 'type');
    if (what === 'notebooks') {
      const rows = index.notebooks.filter((n) => !tag || n.tags.includes(tag));
      return {
        data: rows,
        text: table([
          ['ID', 'TITLE', 'PAGES', 'ENTRIES', 'TAGS'],
          ...rows.map((n) => [n.id, n.title, String(n.stats.pages), String(n.stats.entries), n.tags.join(',')]),
        ]),
      };
    }
    if (what === 'pages') {
      const rows = index.pages.filter((p) => (!nb || p.notebook_id === nb.id) && (!tag || p.tags.includes(tag)));
      return {
        data: rows,
        text: table([['ID', 'DATE', 'STATUS', 'ENTRIES', 'TITLE'], ...rows.map((p) => [p.id, p.date ?? '', p.status, String(p.entry_ids.length), p.title])]),
      };
    }
    const rows = index.entries.filter(
      (e) => (!nb || e.notebook_id === nb.id) && (!page || e.page_id === page.id) && (!type || e.type === type) && (!tag || e.metadata.tags.includes(tag)),
    );
    return {
      data: rows,
      text: table([
        ['ID', 'TYPE', 'STATUS', 'RATING', 'TITLE'],
        ...rows.map((e) => [e.id, e.type, e.stale ? `${e.status} (stale)` : e.status, e.metadata.rating ? '★'.repeat(e.metadata.rating) : '', e.title]),
      ]),
    };
  },
};

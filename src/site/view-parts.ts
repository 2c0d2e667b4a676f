/**
 * What the paginated views list, in their order, and the URLs of their parts (src/site/paginate.ts
 * cuts the lists).
 */
import { byEntryDate, href, type Journal, type SiteEntry, type SiteNotebook, type SitePage } from './journal.ts';
import { partHref } from './paginate.ts';

/** URL of part `n` of a page or notebook by its kind and id. */
export function viewPartHref(kind: 'pages' | 'notebooks', id: string, n: number): string {
  return partHref(href(`${kind}/${encodeURIComponent(id)}/`), n);
}

/** The entries of a page in timeline order (oldest first), as every part of it lists them. */
export function pageEntries(journal: Journal, page: SitePage): SiteEntry[] {
  return page.entry_ids
    .map((id) => journal.entry.get(id))
    .filter((e) => !!e)
    .sort(byEntryDate);
}

/** The pages of a notebook as it lists them: dated ones first, by date, then by slug. */
export function notebookPages(journal: Journal, notebook: SiteNotebook): SitePage[] {
  return notebook.page_ids
    .map((id) => journal.page.get(id))
    .filter((p) => !!p)
    .sort((a, b) => {
      if (a.date && !b.date) return -1;
      if (!a.date && b.date) return 1;
      return (a.date ?? '') < (b.date ?? '') ? -1 : (a.date ?? '') > (b.date ?? '') ? 1 : a.slug < b.slug ? -1 : 1;
    });
}

/**
 * The HTML of each record's text as its page shows it: the notebook overview, the page
 * narrative (one fragment per section, sharing heading ids and footnotes) and entry notes.
 * The loader stores these; tests check them the same way.
 */
import GithubSlugger from 'github-slugger';
import type { Entry, Notebook, Page } from '../../core/model.ts';
import { renderText } from '../markdown.ts';
import type { SiteLinks } from './context.ts';
import { footnoteDefinitions, orgFootnoteDefinitions, withFootnotes } from './page-fragments.ts';

/** The overview sits under the notebook page's "Overview" heading (h2). */
export function notebookHtml(notebook: Notebook, links?: SiteLinks): string {
  return renderText(notebook.overview, notebook.source.format, {
    sourcePath: notebook.source.path,
    links,
    headingBase: 3,
    scope: 'overview-',
    title: notebook.title,
  });
}

/** Each narrative section sits under its own h2; the free text (`other`) directly under the page's h1. */
export function pageHtml(page: Page, links?: SiteLinks): Record<string, string> {
  const html: Record<string, string> = {};
  // One slugger for the page: heading ids stay unique across its sections.
  const slugger = new GithubSlugger();
  const texts = Object.entries(page.narrative);
  const format = page.source.format;
  const whole = texts.map(([, t]) => t ?? '').join('\n\n');
  const notes = format === 'md' ? footnoteDefinitions(whole) : orgFootnoteDefinitions(whole);
  for (const [key, text] of texts) {
    html[key] = renderText(text && withFootnotes(text, notes, format), format, {
      sourcePath: page.source.path,
      links,
      slugger,
      headingBase: key === 'other' ? 2 : 3,
      scope: `${key.replace(/_/g, '-')}-`,
      title: key === 'other' ? page.title : undefined,
    });
  }
  return html;
}

/** Notes sit under the entry page's "Notes" heading (h2). */
export function entryHtml(entry: Entry, links?: SiteLinks): string {
  return renderText(entry.metadata.notes, entry.source.format, { sourcePath: entry.source.path, links, headingBase: 3, scope: 'notes-', title: entry.title });
}

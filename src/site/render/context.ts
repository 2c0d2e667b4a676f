/**
 * What rendering a note needs to know about the rest of the journal: where each entry,
 * page, notebook and attached file is published, so wikilinks, Org `id:`/`file:` links,
 * relative images, entry ids and `#tags` mentioned in text become working links.
 */
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import type { JournalIndex, Page } from '../../core/model.ts';
import { LinkTable, type LinkTarget } from '../../core/references.ts';
import { NARRATIVE_SECTIONS as SECTION_TITLES, type NarrativeKey } from '../../core/schema/page.ts';
import type { DiscoveredFile } from '../../core/stages/discover.ts';
import type { NoteFiles } from '../note-files.ts';
import type { EmbedText } from './embeds.ts';
import { tagSlugMap } from '../tag-slugs.ts';

/** Resolves journal links to site URLs. */
export interface SiteLinks {
  table: LinkTable;
  /** Absolute URL (under the base) of a target, with an optional heading anchor. */
  url(target: LinkTarget, heading?: string | null): string | null;
  /** URL of a workspace-relative file: a record's page, or the published copy of an attachment. */
  fileUrl(rel: string): string | null;
  /** URL of a tag's page, or null for a tag no record carries. */
  tagUrl(tag: string): string | null;
  /** The text a record shows on its page (what `![[Note]]` embeds), or null for a file. */
  text(target: LinkTarget): EmbedText | null;
}

/** One rendering: where the text comes from and how its headings and ids fit into the page. */
export interface RenderContext {
  /** Workspace-relative path of the file the text comes from (relative links resolve from its folder). */
  sourcePath?: string;
  links?: SiteLinks;
  /** Level the fragment's top headings get (the page's own headings sit above it). Default 2. */
  headingBase?: number;
  /** Prefix for footnote ids, unique per fragment of a page (two notes may both have `[^1]`). */
  scope?: string;
  /** The record's title, shown by the page already: a first heading that repeats it is dropped. */
  title?: string;
  /** Shared by the fragments of one page, so heading ids are unique on the page. */
  slugger?: GithubSlugger;
  /** Source paths of the notes this text is embedded in, outermost first (embeds never go in a circle). */
  embedChain?: string[];
}

const NARRATIVE_SECTIONS = new Set(['goals', 'hypothesis', 'observations', 'conclusions', 'next-steps']);

/**
 * Heading anchor for a heading text, as the renderer assigns it (without a shared slugger).
 * On a page, the narrative sections are the template's own headings (`<h2 id="n-goals">`).
 */
function headingAnchor(text: string, onPage = false): string {
  const slug = new GithubSlugger().slug(text);
  return onPage && NARRATIVE_SECTIONS.has(slug) ? `n-${slug.replace(/-/g, '_')}` : `user-content-${slug}`;
}

/** Builds the link resolver of a compiled journal for a site under `base`. */
export function siteLinks(index: JournalIndex, files: DiscoveredFile[], noteFiles: NoteFiles, base: string): SiteLinks {
  const targets: LinkTarget[] = [];
  for (const n of index.notebooks) targets.push({ kind: 'notebook', id: n.id, title: n.title, path: n.source.path });
  for (const p of index.pages) targets.push({ kind: 'page', id: p.id, title: p.title, path: p.source.path });
  for (const e of index.entries) targets.push({ kind: 'entry', id: e.id, title: e.title, path: e.source.path });
  for (const f of files) {
    if (f.kind === 'attachment' || f.kind === 'input') targets.push({ kind: 'attachment', id: f.path, title: path.posix.basename(f.path), path: f.path });
  }
  const table = new LinkTable(targets);
  const texts = new Map<string, EmbedText>();
  for (const n of index.notebooks) texts.set(n.source.path, { text: n.overview, format: n.source.format });
  for (const p of index.pages) texts.set(p.source.path, { text: narrativeText(p), format: p.source.format });
  for (const e of index.entries) texts.set(e.source.path, { text: e.metadata.notes, format: e.source.format });
  const tagSlugs = tagSlugMap(Object.keys(index.tags));
  const url = (t: LinkTarget, heading?: string | null): string | null => {
    const anchor = heading ? `#${headingAnchor(heading, t.kind === 'page')}` : '';
    if (t.kind === 'attachment') {
      const site = noteFiles.get(t.path);
      return site ? `${base}${site}` : null;
    }
    const folder = t.kind === 'entry' ? 'entries' : t.kind === 'page' ? 'pages' : 'notebooks';
    return `${base}${folder}/${encodeURIComponent(t.id)}/${anchor}`;
  };
  return {
    table,
    url,
    fileUrl: (rel) => {
      const t = table.atPath(rel);
      if (t) return url(t);
      const site = noteFiles.get(rel);
      return site ? `${base}${site}` : null;
    },
    text: (t) => (t.kind === 'attachment' ? null : (texts.get(t.path) ?? null)),
    tagUrl: (tag) => {
      const slug = tagSlugs.get(tag);
      return slug ? `${base}tags/${encodeURIComponent(slug)}/` : null;
    },
  };
}

/** A page's narrative as one text: the free text, then each section under its heading. */
function narrativeText(page: Page): string {
  const parts = [page.narrative.other ?? ''];
  for (const [key, title] of Object.entries(SECTION_TITLES)) {
    const text = page.narrative[key as NarrativeKey];
    if (text?.trim()) parts.push(`${page.source.format === 'md' ? '##' : '*'} ${title}\n\n${text}`);
  }
  return parts.filter((p) => p.trim()).join('\n\n');
}

/**
 * The records the site's content-layer collection holds: the compiler's index records
 * plus what the site derives once at load time (sanitized HTML, artifact URLs, thumbnails,
 * previews, log text). URLs are relative to the site base (no leading slash).
 */
import type { Entry, JournalIndex, Notebook, Page } from '../core/model.ts';

export interface Thumb {
  /** Base-relative URL, e.g. `thumbs/<hex>-400.webp`. */
  src: string;
  width: number;
  height: number;
}

export interface SiteArtifact {
  name: string;
  hash: string;
  type: string;
  size_bytes: number | null;
  width: number | null;
  height: number | null;
  /** Base-relative URL of the full file (`blobs/aa/<hex>.<ext>`); null when the blob is not in the store (archived). */
  href: string | null;
  thumb: Thumb | null;
  /** How the page shows it: an image in the lightbox, SVG through `<img>`, a player, a rendered notebook, a preview, or a file link. */
  view: 'image' | 'svg' | 'audio' | 'video' | 'notebook' | 'csv' | 'json' | 'text' | 'file';
  /** An SVG as a `data:` URI for `<img>` (never served as a document of the site); null for other views. */
  svg_src: string | null;
  /** A short preview of JSON, CSV and text artifacts; the rendered (sanitized) HTML of a notebook. */
  preview:
    | { kind: 'json' | 'text'; text: string; truncated: boolean }
    | { kind: 'csv'; rows: string[][]; truncated: boolean }
    | { kind: 'notebook'; html: string; truncated: false }
    | null;
  /** Set when `lab archive` shrank the artifact: what stands in, and the original's size and hash. */
  archived: { strategy: string; original_hash: string; original_size_bytes: number } | null;
}

export interface SiteLog {
  stream: string;
  text: string | null;
  /** True when only the tail is shown. */
  truncated: boolean;
}

export interface SiteEntry extends Entry {
  /** The rendered notes' reference in `.lab/site/notes/` (src/site/notes-store.ts); null without notes. Read with `notesHtml()` from src/site/journal.ts. */
  notes_ref: string | null;
  excerpt: string;
  site_artifacts: SiteArtifact[];
  /** The first image's thumbnail, for cards and lineage nodes. */
  cover: Thumb | null;
  site_logs: SiteLog[];
  /**
   * Honest state at build time: `stuck` when the entry says `running` but no runner runs it
   * (killed, crashed, or committed mid-run), with a note saying how to resolve it; and the
   * path of a run result waiting in a `.result.yaml` sidecar. Null when neither applies.
   */
  run_note: { stuck: boolean; message: string } | null;
  /** The SQL query of a `sql` entry (inline or from its query file), formatted for reading. */
  site_query: string | null;
}

export interface SitePage extends Page {
  /** Sanitized HTML per narrative section (`goals`, …, `other`); empty string when absent. */
  narrative_html: Record<string, string>;
  /** Newest entry date on the page, ISO. */
  last_activity: string | null;
}

export interface SiteNotebook extends Notebook {
  overview_html: string;
}

/** `.lab/history.json`, written by src/git/history.ts. */
export interface HistoryIndex {
  version: 1;
  head: string | null;
  entries: Record<string, { commit: string; date: string; author: string; message: string; changes: string[] }[]>;
  pages: Record<string, { last_changed: string; commit: string }>;
  notebooks: Record<string, { last_changed: string; commit: string }>;
}

export interface SiteMeta {
  name: string;
  repository: string | null;
  tags: JournalIndex['tags'];
  history: HistoryIndex;
  /** `publish:` from lab.config.yaml: host names and absolute paths are hidden unless it asks. */
  publish: { host: boolean; absolute_paths: boolean };
  /** The workspace's absolute path, to turn paths inside it into relative ones (never shown). */
  root: string;
  /** The tool's version (package.json): part of every page's cache key (src/site/cache-keys.ts). */
  tool: string;
  /** Compiler problems, counted: shown in the home page's footer so a broken journal is visible. */
  problems: { errors: number; warnings: number };
}

/** One record of the `journal` collection, discriminated by `kind`. */
export type JournalRecord =
  | { kind: 'notebook'; notebook: SiteNotebook }
  | { kind: 'page'; page: SitePage }
  | { kind: 'entry'; entry: SiteEntry }
  | { kind: 'meta'; meta: SiteMeta };

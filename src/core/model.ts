/**
 * The shapes of the derived data in `.lab/index.json` and `.lab/lineage.json`.
 * Every consumer (site, diff, search, SDK) reads these, never the source files.
 */
import type { Diagnostic } from './diagnostics.ts';
import type { Artifact, EntryStatus, Execution } from './schema/entry.ts';
import type { NotebookSettings } from './schema/notebook.ts';
import type { NarrativeKey, PageStatus } from './schema/page.ts';

/** Where a record came from. */
export interface SourceRef {
  /** Workspace-relative path, forward slashes. */
  path: string;
  /** `md` or `org`. */
  format: 'md' | 'org';
  /** 1-based line where the frontmatter (or first keyword) starts. */
  line: number;
  /** 1-based line where the body starts. */
  body_line: number;
  /** 1-based line of each top-level frontmatter key. */
  key_lines: Record<string, number>;
}

export interface Notebook {
  id: string;
  slug: string;
  title: string;
  description: string | null;
  tags: string[];
  color: string | null;
  icon: string | null;
  settings: NotebookSettings;
  /** The README body (Markdown). */
  overview: string;
  page_ids: string[];
  stats: { pages: number; entries: number };
  /** Newest entry/page date seen in the notebook, ISO. */
  last_activity: string | null;
  source: SourceRef;
}

export type Narrative = Record<NarrativeKey, string | null> & {
  /** Any other sections and text before the first heading, kept verbatim. */
  other: string | null;
};

export interface Page {
  id: string;
  slug: string;
  notebook_id: string;
  title: string;
  date: string | null;
  tags: string[];
  status: PageStatus;
  narrative: Narrative;
  entry_ids: string[];
  source: SourceRef;
}

/**
 * What the compiler works out about an entry from the rest of the journal. In the
 * index these keys come first; the entry's own fields follow.
 */
export interface EntryDerived {
  id: string;
  page_id: string;
  notebook_id: string;
  /** The `type:` key, else the notebook's `settings.default_entry_type`, else `manual`. */
  type: string;
  /** True when completed and the inputs hash no longer matches. */
  stale: boolean;
  lineage: { parent_id: string | null; children_ids: string[]; variation_of: string | null; variation_ids: string[] };
}

/** An entry's fields as its own file states them. */
export interface EntryOwn {
  /** File name without extension, e.g. `003-sunset-cfg`. */
  slug: string;
  title: string;
  created: string | null;
  status: EntryStatus;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  metrics: Record<string, unknown>;
  artifacts: Artifact[];
  logs: Record<string, string | null>;
  execution: Execution | null;
  metadata: {
    tags: string[];
    notes: string;
    rating: number | null;
    archived: Record<string, unknown> | null /** The entry's `archive:` key, when set. */;
    archive?: string;
  };
  /** Workspace-relative paths of the input files the entry references. */
  input_files: string[];
  source: SourceRef;
}

export interface Entry extends EntryDerived, EntryOwn {}

export interface JournalIndex {
  /** 2 since entries moved into per-notebook shards (`.lab/index/<notebook>.json`). */
  version: 2;
  notebooks: Notebook[];
  pages: Page[];
  entries: Entry[];
  /** tag → ids of notebooks, pages and entries carrying it. */
  tags: Record<string, { notebooks: string[]; pages: string[]; entries: string[] }>;
  /** Imported Codex sessions (`lab/raw/*.json`), newest first. */
  sessions: SessionSummary[];
}

/** One session as the index, search and the site see it. */
export interface SessionSummary {
  /** `lab/session-id`. */
  id: string;
  /** Start and end (UTC ISO), null when unknown. */
  start: string | null;
  end: string | null;
  /** The first thing the user asked, null for a session without prompts. */
  first_prompt: string | null;
  /** Every user prompt, in order (indexed by `lab search`). */
  prompts: string[];
  replies_count: number;
  files_touched: string[];
  /** Null when commands were not captured. */
  commands_count: number | null;
  /** Null when errors were not captured. */
  errors_count: number | null;
  /** `lab/stubs/<id>.org` when it exists. */
  stub_path: string | null;
  doc_draft_path: string | null;
  repo_root: string | null;
  /** Workspace-relative path of the raw record. */
  source: { path: string };
}

export type LineageEdgeKind = 'derives_from' | 'variation_of';

export interface LineageGraph {
  nodes: { id: string; title: string; page_id: string; notebook_id: string; type: string; status: EntryStatus }[];
  /** `from` is the parent (or original), `to` the derived entry. */
  edges: { from: string; to: string; kind: LineageEdgeKind }[];
}

export interface CompileResult {
  index: JournalIndex;
  lineage: LineageGraph;
  diagnostics: Diagnostic[];
  stats: CompileStats;
}

export interface CompileStats {
  /** Files under content/. */
  files: number;
  /** Source files parsed in this run, and reused from the cache. */
  parsed: number;
  reused: number;
  /** True when nothing changed and no work was done. */
  skipped: boolean;
  counts: { notebooks: number; pages: number; entries: number; sessions: number };
}

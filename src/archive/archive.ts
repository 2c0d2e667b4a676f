/**
 * `lab archive`: plan (pure, see plan.ts) over the compiled journal, then apply
 * (see apply.ts). Running it twice changes nothing the second time: archived
 * artifacts are never archived again.
 */
import { compile } from '../core/compile.ts';
import { readConfig } from '../core/config.ts';
import { findNotebook } from '../core/resolve.ts';
import type { NotebookSettings } from '../core/schema/notebook.ts';
import { type ArchivedArtifact, applyPlan } from './apply.ts';
import { openHead } from './git-copies.ts';
import { planArchive, planEntryOf, type Skip } from './plan.ts';
import { type ArchiveStrategy, DEFAULT_EXEMPTIONS } from './policy.ts';
import { textReferences } from './references.ts';
import { type Freed, type HistoryRewrite, historyRewrite } from './savings.ts';

export interface ArchiveOptions {
  /** `--older-than`, in days. */
  olderThanDays?: number;
  strategy?: ArchiveStrategy;
  /** Notebook id or slug. */
  notebook?: string;
  dryRun?: boolean;
  /** The clock (tests pin it). */
  now?: Date;
}

export interface ArchiveReport {
  dry_run: boolean;
  /** The commit whose tree holds the originals (recorded as `archived.commit`). */
  head: string | null;
  archived: ArchivedArtifact[];
  skipped: Skip[];
  freed: Freed;
  history: HistoryRewrite;
}

export async function archiveJournal(root: string, options: ArchiveOptions = {}): Promise<ArchiveReport> {
  const now = options.now ?? new Date();
  const config = await readConfig(root);
  const { index } = await compile(root);
  const notebook = options.notebook ? findNotebook(index, options.notebook).id : undefined;
  const settings = new Map<string, NotebookSettings>(index.notebooks.map((n) => [n.id, n.settings]));
  const plan = planArchive({
    entries: index.entries.map((e) => planEntryOf(e, e.metadata.archive)),
    settings,
    now,
    notebook,
    olderThanDays: options.olderThanDays,
    strategy: options.strategy,
    exemptions: {
      keepRating: config.archive?.keep_rating ?? DEFAULT_EXEMPTIONS.keepRating,
      keepAncestorsOfRecent: config.archive?.keep_ancestors_of_recent ?? DEFAULT_EXEMPTIONS.keepAncestorsOfRecent,
    },
    textReferences: textReferences(index),
  });
  const git = await openHead(root);
  const applied = await applyPlan(plan.actions, {
    root,
    dryRun: Boolean(options.dryRun),
    at: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    git,
    entryFiles: new Map(index.entries.map((e) => [e.id, e.source.path])),
    thumbnailSize: config.archive?.thumbnail_size,
  });
  if (!options.dryRun && applied.archived.length) await compile(root);
  const prefix = git?.repo.prefix ?? '';
  return {
    dry_run: Boolean(options.dryRun),
    head: git?.head ?? null,
    archived: applied.archived,
    skipped: [...plan.skipped, ...applied.skipped],
    freed: applied.freed,
    history: historyRewrite(applied.removed_paths.map((p) => prefix + p)),
  };
}

/**
 * What an import will create, independent of where it came from: the mapping
 * modules (our own crates, other ELNs' crates) fill it in; import-write.ts makes
 * the files. Ids are decided here, from the crate's identity, so importing the
 * same file twice finds everything already there.
 */
import type { ZipItem } from './zip-reader.ts';

export interface PlannedFile {
  /** The zip entry holding the bytes. */
  item: ZipItem;
  name: string;
  type: string;
  /** Hex sha256 the crate states, checked while storing; null when it gives none. */
  sha256: string | null;
  /** What the file is to the entry. */
  role: 'artifact' | 'log' | 'input';
  /** For logs: the stream name. */
  stream?: string;
  /** For input files: the reference as the entry writes it (`./workflow.json`). */
  ref?: string;
}

export interface PlannedEntry {
  id: string;
  /** File name without the number prefix. */
  slug: string;
  /** The entry's frontmatter, in the order it is written (the importer adds `artifacts` and `logs`). */
  fields: Record<string, unknown>;
  notes: string;
  files: PlannedFile[];
}

export interface PlannedPage {
  id: string;
  folder: string;
  fields: Record<string, unknown>;
  body: string;
  entries: PlannedEntry[];
}

interface PlannedNotebook {
  id: string;
  folder: string;
  fields: Record<string, unknown>;
  body: string;
}

export interface Skipped {
  what: string;
  reason: string;
}

export interface ImportPlan {
  /** How the crate identifies itself (root `identifier`, else its name). */
  crate: string;
  /** Who made it (`sdPublisher`), for the report. */
  publisher: string | null;
  notebook: PlannedNotebook;
  pages: PlannedPage[];
  skipped: Skipped[];
}

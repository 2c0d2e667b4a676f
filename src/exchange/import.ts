/**
 * `lab import FILE [--notebook N]`: a zip from `lab export --format zip` is
 * restored file by file; anything else is read as an `.eln` crate — ours mapped
 * back exactly, other ELNs' mapped by what their Datasets contain.
 */
import path from 'node:path';
import { compile } from '../core/compile.ts';
import { openCrate } from './eln-read.ts';
import type { Skipped } from './import-plan.ts';
import { writePlan } from './import-write.ts';
import { findManifest, importJournalZip } from './import-zip.ts';
import { mapForeignCrate } from './map-foreign.ts';
import { isOwnCrate, mapOwnCrate } from './map-own.ts';
import { ZipReader } from './zip-reader.ts';

export interface ImportReport {
  file: string;
  format: 'eln' | 'zip';
  /** Who wrote the crate and how it names itself. */
  source: { crate: string | null; publisher: string | null };
  notebook: { id: string; created: boolean } | null;
  pages: { id: string; path: string; created: boolean }[];
  entries: { id: string; path: string; files: number }[];
  /** Files restored from a zip (and ones already there, unchanged). */
  files: { written: string[]; unchanged: string[] };
  /** Archive entries refused as unsafe (zip-slip, symlinks). */
  refused: Skipped[];
  skipped: Skipped[];
  failed: Skipped[];
}

export async function importFile(root: string, file: string, options: { notebook?: string } = {}): Promise<ImportReport> {
  const probe = await ZipReader.open(file);
  const ours = findManifest(probe);
  const refused = probe.refused.map((r) => ({ what: r.name, reason: `refused: ${r.reason}` }));
  const { index } = await compile(root);
  if (ours) {
    try {
      const r = await importJournalZip(root, index, probe, options);
      await compile(root);
      return {
        file,
        format: 'zip',
        source: { crate: null, publisher: 'Codex lab journal' },
        notebook: null,
        pages: [],
        entries: [],
        files: { written: r.written, unchanged: r.unchanged },
        refused,
        skipped: r.skipped,
        failed: [],
      };
    } finally {
      probe.close();
    }
  }
  probe.close();
  const crate = await openCrate(file);
  try {
    const plan = isOwnCrate(crate) ? mapOwnCrate(crate) : mapForeignCrate(crate, path.basename(file).replace(/\.[^.]+$/, ''));
    const w = await writePlan(root, index, plan, crate.zip, options);
    await compile(root);
    return {
      file,
      format: 'eln',
      source: { crate: plan.crate, publisher: plan.publisher },
      notebook: w.notebook,
      pages: w.pages,
      entries: w.entries,
      files: { written: [], unchanged: [] },
      refused,
      skipped: w.skipped,
      failed: w.failed,
    };
  } finally {
    crate.zip.close();
  }
}

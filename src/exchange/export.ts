/** `lab export notebook|page|entry <id> --format eln|zip -o FILE`. */
import path from 'node:path';
import { compile } from '../core/compile.ts';
import { readConfig } from '../core/config.ts';
import { type ExportResult, exportEln } from './export-eln.ts';
import { exportZip } from './export-zip.ts';
import { type ExportKind, selectScope } from './scope.ts';

export interface ExportOptions {
  kind: ExportKind;
  ref: string;
  format: 'eln' | 'zip';
  out: string;
  /** Where relative entry paths are resolved from. */
  cwd?: string;
}

export async function exportJournal(root: string, options: ExportOptions): Promise<ExportResult> {
  const { index } = await compile(root);
  const scope = selectScope(index, options.kind, options.ref, root, options.cwd ?? root);
  const out = path.resolve(options.cwd ?? root, options.out);
  if (options.format === 'zip') return exportZip(root, scope, out);
  const config = await readConfig(root);
  return exportEln(root, scope, out, config.license ?? null);
}

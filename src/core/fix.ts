/** `lab check --fix`: assigns missing entry ids, touching nothing else in the file. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { newEntryId } from './authoring.ts';
import type { Diagnostic } from './diagnostics.ts';
import { replaceFileIfUnchanged } from './fs/atomic.ts';
import { decodeUtf8 } from './source/encoding.ts';
import { findFrontmatter } from './source/frontmatter.ts';

/** Inserts `id:` as the first frontmatter key (or `#+ID:` first in an Org header). */
export function insertId(text: string, isOrg: boolean, id: string): string | null {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (isOrg) return `#+ID: ${id}${eol}${text}`;
  const block = findFrontmatter(text);
  if (!block) return null;
  return `${text.slice(0, block.yamlStart)}id: ${id}${eol}${text.slice(block.yamlStart)}`;
}

/** Fixes what can be fixed among the diagnostics; returns the files changed. */
export async function fixDiagnostics(root: string, diagnostics: Diagnostic[]): Promise<{ fixed: { file: string; id: string }[] }> {
  const fixed: { file: string; id: string }[] = [];
  const files = [...new Set(diagnostics.filter((d) => d.rule === 'missing-id' && /\/entries\/[^/]+\.(md|org)$/i.test(d.file)).map((d) => d.file))];
  for (const file of files) {
    const abs = path.join(root, file);
    const decoded = decodeUtf8(await fs.readFile(abs));
    if (!decoded.ok) continue; // never rewrite a file that is not UTF-8 (check reports it)
    const text = decoded.text;
    const id = newEntryId();
    const next = insertId(text, file.toLowerCase().endsWith('.org'), id);
    if (next && (await replaceFileIfUnchanged(abs, text, next))) fixed.push({ file, id });
  }
  return { fixed };
}

/** `lab check --fix`: assigns missing entry ids, touching nothing else in the file. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { newEntryId } from './authoring.ts';
import type { Diagnostic } from './diagnostics.ts';
import { replaceFileIfUnchanged } from './fs/atomic.ts';
import { decodeUtf8 } from './source/encoding.ts';
import { findFrontmatter } from './source/frontmatter.ts';
import { MODE_LINE } from './source/org.ts';

/**
 * Inserts `id:` as the first frontmatter key. In Org the id goes where org-id puts a
 * file's id: `:ID:` first in the top `:PROPERTIES:` drawer, which is created when
 * missing — below a `-*- mode: org -*-` line, which Emacs requires to stay first.
 */
export function insertId(text: string, isOrg: boolean, id: string): string | null {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (isOrg) return insertOrgId(text, id, eol);
  const block = findFrontmatter(text);
  // An Obsidian note has no frontmatter at all: it gets one holding the id.
  if (!block) return `---${eol}id: ${id}${eol}---${eol}${text}`;
  return `${text.slice(0, block.yamlStart)}id: ${id}${eol}${text.slice(block.yamlStart)}`;
}

function insertOrgId(text: string, id: string, eol: string): string {
  const lines = text.split('\n');
  let top = 0;
  if (lines.length && MODE_LINE.test(lines[0]!)) top = 1;
  // An existing file-level drawer: before the first headline, among keywords, comments and blank lines.
  for (let i = top; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^[ \t]*:PROPERTIES:[ \t]*\r?$/i.test(line)) {
      lines.splice(i + 1, 0, `:ID:       ${id}${eol === '\r\n' ? '\r' : ''}`);
      return lines.join('\n');
    }
    if (/^[ \t]*(#\+\S*:|#( |$)|\r?$)/.test(line)) continue;
    break;
  }
  const drawer = `:PROPERTIES:${eol}:ID:       ${id}${eol}:END:${eol}`;
  const at = top ? lines[0]!.length + 1 : 0;
  if (top && lines.length === 1) return `${text}${eol}${drawer}`;
  return `${text.slice(0, at)}${drawer}${text.slice(at)}`;
}

/** Fixes what can be fixed among the diagnostics; returns the files changed. */
export async function fixDiagnostics(root: string, diagnostics: Diagnostic[]): Promise<{ fixed: { file: string; id: string }[] }> {
  const fixed: { file: string; id: string }[] = [];
  const files = [
    ...new Set(
      diagnostics
        .filter((d) => (d.rule === 'missing-id' || d.rule === 'missing-frontmatter') && /\/entries\/[^/]+\.(md|org)$/i.test(d.file))
        .map((d) => d.file),
    ),
  ];
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

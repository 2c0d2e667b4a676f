/**
 * Stage 4b — references: resolve the links written in bodies (wikilinks, embeds,
 * Org `id:` and `file:` links) against the linked journal. A link that goes
 * nowhere, or that several notes answer to, is a warning at its line and column:
 * the page still builds, the link renders as plain text or to the nearest match.
 */
import path from 'node:path';
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import { LinkTable, type LinkTarget } from '../references.ts';
import { hasAnchor } from '../source/anchors.ts';
import type { DiscoveredFile } from './discover.ts';
import type { Linked } from './link.ts';
import type { SourceRecord } from './summarize.ts';

/** Every link target of a linked journal: its records and the files notes may embed. */
function linkTargets(
  linked: Pick<Linked, 'notebooks' | 'pages' | 'entries'>,
  files: Iterable<{ path: string; kind: string }>,
  entryTitle: (id: string) => string,
): LinkTarget[] {
  const targets: LinkTarget[] = [];
  for (const n of linked.notebooks) targets.push({ kind: 'notebook', id: n.id, title: n.title, path: n.source.path });
  for (const p of linked.pages) targets.push({ kind: 'page', id: p.id, title: p.title, path: p.source.path });
  for (const e of linked.entries) targets.push({ kind: 'entry', id: e.id, title: entryTitle(e.id), path: e.record.path });
  for (const f of files) {
    if (f.kind === 'attachment' || f.kind === 'input') targets.push({ kind: 'attachment', id: f.path, title: path.posix.basename(f.path), path: f.path });
  }
  return targets;
}

export function checkReferences(records: SourceRecord[], linked: Linked, files: DiscoveredFile[]): Diagnostic[] {
  const withRefs = records.filter((r) => r.refs?.length);
  if (!withRefs.length) return [];
  const titles = new Map(linked.entries.map((e) => [e.id, e.facts.title]));
  const targets = linkTargets(linked, files, (id) => titles.get(id) ?? id);
  // A file that failed to load is still there: links to it are not a second problem.
  for (const r of records) {
    if (!r.notebook && !r.page && !r.entry) targets.push({ kind: r.kind, id: r.claimedId ?? r.path, title: path.posix.basename(r.path), path: r.path });
  }
  const table = new LinkTable(targets);
  const orgIds = new Set<string>();
  for (const r of records) for (const id of r.org_ids ?? []) orgIds.add(id);
  const existing = new Set(files.map((f) => f.path));
  const byPath = new Map(records.map((r) => [r.path, r]));
  const diagnostics: Diagnostic[] = [];
  for (const r of withRefs) {
    for (const ref of r.refs!) {
      const at = { line: ref.line, column: ref.column };
      if (ref.kind === 'org-id') {
        if (!table.id(ref.target) && !orgIds.has(ref.target)) {
          diagnostics.push(diagnostic(r.path, at, 'warning', 'unresolved-link', `\`id:${ref.target}\` matches no entry, page, notebook or Org heading :ID:`));
        }
        continue;
      }
      if (ref.kind === 'org-file' || ref.kind === 'md-file') {
        let rel: string;
        try {
          rel = path.posix.normalize(path.posix.join(path.posix.dirname(r.path), decodeURI(ref.target)));
        } catch {
          rel = ref.target;
        }
        if (!existing.has(rel) && !table.atPath(rel)) {
          const written = ref.kind === 'org-file' ? `file:${ref.target}` : ref.target;
          diagnostics.push(diagnostic(r.path, at, 'warning', 'unresolved-link', `\`${written}\` does not exist (looked for ${rel})`));
        }
        continue;
      }
      const written = `${ref.kind === 'embed' ? '!' : ''}[[${ref.target}${ref.anchor ? `#${ref.anchor}` : ''}]]`;
      if (!ref.target) {
        // `[[#Heading]]`: a heading of this very note.
        const missing = ref.anchor && missingAnchor(r, ref.anchor);
        if (missing) diagnostics.push(diagnostic(r.path, at, 'warning', 'unresolved-link', `${written}: this note has ${missing}`));
        continue;
      }
      const found = table.resolve(ref.target, r.path, ref.kind === 'embed');
      if (!found.target) {
        diagnostics.push(
          diagnostic(
            r.path,
            at,
            'warning',
            'unresolved-link',
            `${written} matches no ${ref.kind === 'embed' ? 'file or note' : 'entry, page, notebook or file'} (by file name, title or id)`,
          ),
        );
      } else if (ref.anchor && found.target.kind !== 'attachment' && byPath.has(found.target.path)) {
        const missing = missingAnchor(byPath.get(found.target.path)!, ref.anchor);
        if (missing) diagnostics.push(diagnostic(r.path, at, 'warning', 'unresolved-link', `${written}: ${found.target.path} has ${missing}`));
      }
      if (found.target && found.ambiguous) {
        const names = found.candidates
          .slice(0, 4)
          .map((c) => c.path)
          .join(', ');
        diagnostics.push(
          diagnostic(
            r.path,
            at,
            'warning',
            'ambiguous-link',
            `${written} matches ${found.candidates.length} notes (${names}); it links to ${found.target.path} — write a path to choose`,
          ),
        );
      }
    }
  }
  return diagnostics;
}

/**
 * What a Markdown note lacks for `#anchor` to land ("no heading “X” (its headings: …)"), or null
 * when it has it. Org notes are not checked: their headline ids come from the renderer.
 */
function missingAnchor(target: SourceRecord, anchor: string): string | null {
  // A note that failed to load is one problem already; its headings are not known.
  if (!(target.notebook || target.page || target.entry)) return null;
  if (!target.path.toLowerCase().endsWith('.md') || hasAnchor(target.anchors ?? [], anchor)) return null;
  if (anchor.startsWith('^')) return `no block ${anchor} (a paragraph ending in \` ${anchor}\`)`;
  const headings = (target.anchors ?? []).filter((a) => !a.startsWith('^'));
  const listed = headings.length ? ` (its headings: ${headings.slice(0, 6).join(', ')}${headings.length > 6 ? ', …' : ''})` : ' (it has no headings)';
  return `no heading “${anchor}”${listed}`;
}

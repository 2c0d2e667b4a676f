/**
 * The prose of another ELN's Dataset as Markdown: its text (HTML converted) or
 * description, eLabFTW's steps as a task list, and comments with author and date.
 */
import { type CrateNode, hasType, refIds, text } from './crate.ts';
import { nameOf } from './crate-values.ts';
import type { Crate } from './eln-read.ts';
import { htmlToMarkdown, looksLikeHtml } from './html-markdown.ts';

/** Text of a Dataset: `text` (HTML converted), else `description` (inline, or a referenced TextObject). */
export function bodyOf(n: CrateNode, crate: Crate): string {
  const parts: string[] = [];
  const desc =
    text(n.description) ??
    refIds(n.description)
      .map((id) => text(crate.byId.get(id)?.text) ?? text(crate.byId.get(id)?.description))
      .find(Boolean) ??
    null;
  const body = text(n.text);
  for (const t of [desc, body]) {
    if (!t?.trim()) continue;
    const md = looksLikeHtml(t, t === body ? text(n.encodingFormat) : null) ? htmlToMarkdown(t) : t.trim();
    if (md && !parts.includes(md)) parts.push(md);
  }
  return parts.join('\n\n');
}

/** eLabFTW's `step`s (HowToStep → HowToDirection) as a task list. */
export function stepsOf(n: CrateNode, byId: Map<string, CrateNode>): string {
  const steps = refIds(n.step)
    .map((id) => byId.get(id))
    .filter((s): s is CrateNode => !!s)
    .sort((a, b) => Number(text(a.position) ?? 0) - Number(text(b.position) ?? 0));
  if (!steps.length) return '';
  const lines = steps.map((s) => {
    const direction =
      refIds(s.itemListElement)
        .map((id) => text(byId.get(id)?.text))
        .find(Boolean) ??
      text(s.text) ??
      text(s.name) ??
      '';
    return `- [${/^(finished|done|completed)$/i.test(text(s.creativeWorkStatus) ?? '') ? 'x' : ' '}] ${direction.replace(/\s+/g, ' ').trim()}`;
  });
  return `## Steps\n\n${lines.join('\n')}`;
}

/** Comments (referenced from the Dataset, or pointing at it with `parentItem`), kept with author and date. */
export function commentsOf(n: CrateNode, crate: Crate): string {
  const ids = new Set(refIds(n.comment));
  for (const c of crate.graph) if (hasType(c, 'Comment') && refIds(c.parentItem).includes(n['@id'])) ids.add(c['@id']);
  const comments = [...ids].map((id) => crate.byId.get(id)).filter((c): c is CrateNode => !!c && !!text(c.text));
  if (!comments.length) return '';
  const blocks = comments.map((c) => {
    const who = nameOf(refIds(c.author)[0], crate.byId) ?? 'someone';
    const when = text(c.dateCreated);
    const body = text(c.text)!;
    const md = looksLikeHtml(body) ? htmlToMarkdown(body) : body.trim();
    return `> **${who}**${when ? ` (${when})` : ''}:\n>\n${md
      .split('\n')
      .map((l) => (l ? `> ${l}` : '>'))
      .join('\n')}`;
  });
  return `## Comments\n\n${blocks.join('\n\n')}`;
}

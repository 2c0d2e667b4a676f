/**
 * Obsidian and Quartz Markdown on the mdast: wikilinks `[[Note]]`, `[[Note|alias]]`,
 * `[[Note#Heading]]`, embeds `![[image.png]]`, `![[clip.mp4]]`, `![[talk.mp3]]` and `![[Note]]`
 * (embeds.ts), callouts `> [!note] Title`,
 * `#tags`, block ids `^id` and `==highlights==` (`%%comments%%` are gone before the parse: markdown.ts).
 * Links resolve through the journal's link table; one that resolves nowhere stays visible as
 * text (`lab check` reports it). A `#tag` links to its tag page.
 */
import type { Blockquote, Paragraph, PhrasingContent, Root, Text } from 'mdast';
import { findAndReplace } from 'mdast-util-find-and-replace';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { parseWikiTarget } from '../../core/references.ts';
import { HASHTAG } from '../../core/source/body-tags.ts';
import type { RenderContext } from './context.ts';
import { type RenderNested, transclusions } from './embeds.ts';

const WIKILINK = /(!?)\[\[([^[\]\n]+?)\]\]/g;
/** `==highlighted==` (Obsidian): not empty, no `=` or blank right inside the marks. */
const HIGHLIGHT = /==([^=\s](?:[^=\n]*[^=\s])?)==/g;
const IMAGE = /\.(png|jpe?g|gif|webp|avif|svg|bmp)$/i;
/** What Obsidian embeds as a player (its list, less the formats browsers do not play). */
const AUDIO = /\.(mp3|wav|m4a|ogg|oga|opus|flac|webm)$/i;
const VIDEO = /\.(mp4|webm|ogv|mov|m4v)$/i;

/** `render` turns on note embeds (`![[Note]]` on a line of its own shows the note). */
export function remarkObsidian(options: { render?: RenderNested } = {}) {
  return (tree: Root, file: VFile) => {
    const ctx = (file.data.render ?? {}) as RenderContext;
    if (options.render && ctx.links) transclusions(tree, ctx, options.render, file);
    callouts(tree);
    dollarAmounts(tree);
    blockMarkers(tree);
    findAndReplace(
      tree,
      [
        [WIKILINK, (_: string, bang: string, inner: string) => wikilink(bang === '!', inner, ctx)],
        [HASHTAG, (_: string, before: string, raw: string) => hashtag(before, raw, ctx)],
        [
          HIGHLIGHT,
          (_: string, inner: string) => ({ type: 'emphasis', children: [{ type: 'text', value: inner }], data: { hName: 'mark' } }) as PhrasingContent,
        ],
      ],
      { ignore: ['link', 'linkReference', 'inlineCode', 'code'] },
    );
  };
}

function wikilink(embed: boolean, inner: string, ctx: RenderContext): PhrasingContent {
  const { name, heading, alias } = parseWikiTarget(inner);
  const label = alias || (name ? (heading ? `${name} › ${heading}` : name) : (heading ?? inner));
  if (!name && heading) {
    return { type: 'link', url: `#${heading}`, children: [{ type: 'text', value: label }], data: { hProperties: { className: ['wikilink'] } } };
  }
  const links = ctx.links;
  const found = links?.table.resolve(name, ctx.sourcePath ?? '', embed);
  const url = found?.target ? links!.url(found.target, heading) : null;
  if (!url) {
    return {
      type: 'emphasis',
      children: [{ type: 'text', value: embed ? `![[${inner}]]` : label }],
      data: { hName: 'span', hProperties: { className: ['wikilink', 'wikilink-missing'], title: `no note or file named “${name}”` } },
    };
  }
  if (embed && found!.target!.kind === 'attachment' && IMAGE.test(found!.target!.path)) {
    // `![[image.png|300]]` sets a width in Obsidian; any other alias is the alt text.
    const width = alias && /^\d+(x\d+)?$/.test(alias) ? alias.split('x')[0] : undefined;
    return { type: 'image', url, alt: width || !alias ? name : alias, data: width ? { hProperties: { width } } : undefined };
  }
  if (embed && found!.target!.kind === 'attachment') {
    // A `.webm` plays as video when it has pictures; Obsidian decides by extension, as here (video first).
    const player = VIDEO.test(found!.target!.path) ? 'video' : AUDIO.test(found!.target!.path) ? 'audio' : null;
    if (player) {
      const width = alias && /^\d+$/.test(alias) ? alias : undefined;
      // The link inside is what a browser that cannot play the file shows.
      return {
        type: 'emphasis',
        children: [{ type: 'link', url, children: [{ type: 'text', value: name }] }],
        data: { hName: player, hProperties: { src: url, controls: true, preload: 'metadata', ...(width && player === 'video' ? { width } : {}) } },
      };
    }
  }
  return { type: 'link', url, children: [{ type: 'text', value: label }], data: { hProperties: { className: embed ? ['wikilink', 'embed'] : ['wikilink'] } } };
}

/** `#tag` as the compiler indexed it (body-tags.ts), linked to the tag's page; unknown tags stay text. */
function hashtag(before: string, raw: string, ctx: RenderContext): PhrasingContent[] | false {
  const tag = raw.replace(/\/+$/, '');
  const url = tag ? ctx.links?.tagUrl(tag) : null;
  if (!url) return false;
  const out: PhrasingContent[] = [];
  if (before) out.push({ type: 'text', value: before });
  out.push({ type: 'link', url, children: [{ type: 'text', value: `#${tag}` }], data: { hProperties: { className: ['tag'] } } });
  if (raw.length > tag.length) out.push({ type: 'text', value: raw.slice(tag.length) });
  return out;
}

const CALLOUT = /^\[!([\w-]+)\]([+-]?)[ \t]*(.*)$/;

/** `> [!type] Title` blockquotes become `<div class="callout callout-type">` with a title line; foldable ones a `<details>`. */
function callouts(tree: Root): void {
  visit(tree, 'blockquote', (node: Blockquote) => {
    const first = node.children[0];
    if (first?.type !== 'paragraph') return;
    const lead = first.children[0];
    if (lead?.type !== 'text') return;
    const newline = lead.value.indexOf('\n');
    const head = newline >= 0 ? lead.value.slice(0, newline) : lead.value;
    const m = CALLOUT.exec(head);
    if (!m) return;
    const type = m[1]!.toLowerCase();
    const rest = newline >= 0 ? lead.value.slice(newline + 1) : '';
    // The title is the rest of the first line, inline markup included (up to the first line break).
    const titleChildren: PhrasingContent[] = [];
    const bodyChildren: PhrasingContent[] = [];
    if (m[3]) titleChildren.push({ type: 'text', value: m[3] });
    let inTitle = newline < 0;
    if (rest) bodyChildren.push({ type: 'text', value: rest });
    for (const child of first.children.slice(1)) {
      if (inTitle && child.type === 'text' && child.value.includes('\n')) {
        const i = child.value.indexOf('\n');
        titleChildren.push({ type: 'text', value: child.value.slice(0, i) });
        const after = child.value.slice(i + 1);
        if (after) bodyChildren.push({ type: 'text', value: after });
        inTitle = false;
      } else if (inTitle && child.type !== 'break') titleChildren.push(child);
      else if (child.type === 'break' && inTitle) inTitle = false;
      else bodyChildren.push(child);
    }
    if (!titleChildren.length) titleChildren.push({ type: 'text', value: type.charAt(0).toUpperCase() + type.slice(1) });
    // `> [!note]-` starts folded and `> [!note]+` unfolded: a <details> the reader opens, no script needed.
    const fold = m[2];
    const title: Paragraph = {
      type: 'paragraph',
      children: titleChildren,
      data: { hName: fold ? 'summary' : 'p', hProperties: { className: ['callout-title'] } },
    };
    const body: Paragraph | null = bodyChildren.length ? { type: 'paragraph', children: bodyChildren } : null;
    node.children.splice(0, 1, title, ...(body ? [body] : []));
    node.data = {
      hName: fold ? 'details' : 'div',
      hProperties: { className: ['callout', `callout-${type}`], dataCallout: type, ...(fold === '+' ? { open: true } : {}) },
    };
  });
}

/** Obsidian's block ids (` ^key-idea` ending a paragraph) name the block for links and embeds; reading shows no marker. */
function blockMarkers(tree: Root): void {
  visit(tree, 'paragraph', (node: Paragraph) => {
    const last = node.children[node.children.length - 1];
    if (last?.type === 'text' && last.value.includes('^')) last.value = last.value.replace(/[ \t]+\^[\w-]+[ \t]*$/, '');
  });
}

/**
 * `$5 and $10` is money, not math: inline math whose text starts or ends with a blank
 * (Pandoc's and Obsidian's rule) goes back to being text.
 */
function dollarAmounts(tree: Root): void {
  visit(tree, 'inlineMath', (node, index, parent) => {
    const value = (node as { value: string }).value;
    if (parent && index !== undefined && /^\s|\s$/.test(value)) {
      parent.children[index] = { type: 'text', value: `$${value}$` } as Text;
    }
  });
}

/**
 * What `[[Note#Heading]]` and `[[Note#^block]]` can land on in a Markdown note: its headings, as
 * their text reads (markup taken out), and its Obsidian block ids (`^id`). The site gives each
 * heading an id made from that text with GitHub's slug rule, so a link whose slug matches none of
 * them goes nowhere, and `lab check` says so. The site's `![[Note#Heading]]` embeds find their
 * section with the same scan, so what `lab check` accepts is what an embed shows.
 */
import { slug } from 'github-slugger';

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** ` ^id` ending a line: Obsidian's block id. */
export const BLOCK_ID = /[ \t]\^([\w-]+)[ \t]*$/;

/** A heading of a Markdown body: the line its text is on (0-based), its level and its plain text. */
export interface Heading {
  line: number;
  level: number;
  text: string;
}

/** The headings and block ids of a Markdown body, in order, outside fenced code. */
export function scanMarkdown(body: string): { headings: Heading[]; blocks: { line: number; id: string }[] } {
  const headings: Heading[] = [];
  const blocks: { line: number; id: string }[] = [];
  if (!body.includes('#') && !body.includes('^') && !/\n {0,3}(=+|-+)[ \t]*(\n|$)/.test(body)) return { headings, blocks };
  let fence: string | null = null;
  let previous = '';
  body.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const f = FENCE.exec(line);
    if (f) {
      if (!fence) fence = f[1]![0]!.repeat(f[1]!.length);
      else if (line.trim().startsWith(fence)) fence = null;
      previous = '';
      return;
    }
    if (fence) return;
    const atx = line.includes('#') ? ATX.exec(line) : null;
    if (atx) headings.push({ line: i, level: atx[1]!.length, text: plainText(atx[2] ?? '') });
    else if (previous.trim() && SETEXT.test(line) && !/^ {0,3}([-*+]|\d+[.)])[ \t]|^ {0,3}>|^( {4}|\t)/.test(previous)) {
      headings.push({ line: i - 1, level: line.trim()[0] === '=' ? 1 : 2, text: plainText(previous) });
    } else {
      const block = line.includes('^') ? BLOCK_ID.exec(line) : null;
      if (block) blocks.push({ line: i, id: block[1]! });
    }
    previous = atx ? '' : line;
  });
  return { headings, blocks };
}

/** A heading's text as a reader sees it: links by their labels, no emphasis, code or HTML marks. */
function plainText(text: string): string {
  return text
    .replace(/!?\[\[([^[\]|]*?)(?:\|([^[\]]*))?\]\]/g, (_, name: string, alias?: string) => alias ?? name)
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]*>/g, '')
    .replace(/(\*\*|__|\*|~~|==|`)/g, '')
    .replace(/(^|[\s(])_+|_+(?=[\s).,;:!?]|$)/g, '$1')
    .trim();
}

/** Whether a heading's text and a link's `#Heading` name the same heading (the slug of their plain text). */
export function sameHeading(text: string, anchor: string): boolean {
  return slug(plainText(text)) === slug(plainText(anchor));
}

/** The headings (plain text) and block ids (`^id`) of a Markdown body, in order: what a record keeps for `lab check`. */
export function findAnchors(body: string): string[] {
  const { headings, blocks } = scanMarkdown(body);
  return [...headings.map((h) => ({ line: h.line, anchor: h.text })), ...blocks.map((b) => ({ line: b.line, anchor: `^${b.id}` }))]
    .sort((a, b) => a.line - b.line)
    .map((a) => a.anchor);
}

/** Whether `anchor` (a heading as a link writes it, or `^id`) is one of `anchors`. */
export function hasAnchor(anchors: readonly string[], anchor: string): boolean {
  if (anchor.startsWith('^')) return anchors.includes(anchor);
  return anchors.some((a) => !a.startsWith('^') && sameHeading(a, anchor));
}

/**
 * What `[[Note#Heading]]` and `[[Note#^block]]` can land on in a Markdown note: its headings, as
 * their text reads (markup taken out), and its Obsidian block ids (`^id`). The site gives each
 * heading an id made from that text with GitHub's slug rule, so a link whose slug matches none of
 * them goes nowhere, and `lab check` says so.
 */
import { slug } from 'github-slugger';

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const BLOCK_ID = /[ \t]\^([\w-]+)[ \t]*$/;

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

/** The slug a heading's text gets on the site (and that a link's `#Heading` must match). */
function anchorSlug(text: string): string {
  return slug(plainText(text));
}

/** The headings (plain text) and block ids (`^id`) of a Markdown body, in order. */
export function findAnchors(body: string): string[] {
  if (!body.includes('#') && !body.includes('^') && !/\n {0,3}(=+|-+)[ \t]*(\n|$)/.test(body)) return [];
  const out: string[] = [];
  let fence: string | null = null;
  let previous = '';
  for (const raw of body.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const f = FENCE.exec(line);
    if (f) {
      if (!fence) fence = f[1]![0]!.repeat(f[1]!.length);
      else if (line.trim().startsWith(fence)) fence = null;
      previous = '';
      continue;
    }
    if (fence) continue;
    const atx = line.includes('#') ? ATX.exec(line) : null;
    if (atx) out.push(plainText(atx[2] ?? ''));
    else if (previous.trim() && SETEXT.test(line) && !/^ {0,3}([-*+]|\d+[.)])[ \t]|^ {0,3}>|^( {4}|\t)/.test(previous)) out.push(plainText(previous));
    else {
      const block = line.includes('^') ? BLOCK_ID.exec(line) : null;
      if (block) out.push(`^${block[1]}`);
    }
    previous = atx ? '' : line;
  }
  return out;
}

/** Whether `anchor` (a heading as a link writes it, or `^id`) is one of `anchors`. */
export function hasAnchor(anchors: readonly string[], anchor: string): boolean {
  if (anchor.startsWith('^')) return anchors.includes(anchor);
  const want = anchorSlug(anchor);
  return anchors.some((a) => !a.startsWith('^') && anchorSlug(a) === want);
}

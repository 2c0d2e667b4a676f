/**
 * A page's narrative: its `## Goals` … `## Next Steps` sections, read with remark.
 * Its own module because remark is the heaviest parser: it loads only when a
 * page is parsed.
 */
import type { Heading, Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Narrative } from '../model.ts';
import { NARRATIVE_SECTIONS, type NarrativeKey } from '../schema/page.ts';

const SECTION_BY_TITLE = new Map<string, NarrativeKey>(Object.entries(NARRATIVE_SECTIONS).map(([key, title]) => [title.toLowerCase(), key as NarrativeKey]));

/**
 * Splits a page body into its `## Goals` … `## Next Steps` sections with remark,
 * so headings inside code blocks or setext headings are handled like GitHub does.
 * Other sections, and text before the first heading, are kept verbatim in `other`.
 */
export function extractNarrative(text: string): Narrative {
  const tree = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).parse(text) as Root;
  const narrative: Narrative = { goals: null, hypothesis: null, observations: null, conclusions: null, next_steps: null, other: null };
  const bodyStart = tree.children[0]?.type === 'yaml' ? tree.children[0].position!.end.offset! : 0;
  const headings = tree.children.filter((n): n is Heading => n.type === 'heading' && n.depth <= 2);
  const other: string[] = [];
  const firstStart = headings[0]?.position?.start.offset ?? text.length;
  const preamble = text.slice(bodyStart, firstStart).trim();
  if (preamble) other.push(preamble);
  headings.forEach((h, i) => {
    const start = h.position!.start.offset!;
    const contentStart = h.position!.end.offset!;
    const end = headings[i + 1]?.position?.start.offset ?? text.length;
    const title = text
      .slice(start, contentStart)
      .replace(/^#+\s*|\s*#*\s*$/g, '')
      .replace(/\n[=-]+$/, '')
      .trim();
    const key = h.depth === 2 ? SECTION_BY_TITLE.get(title.toLowerCase().replace(/[:.]$/, '')) : undefined;
    const content = text.slice(contentStart, end).replace(/\r\n/g, '\n').trim();
    if (key) narrative[key] = narrative[key] ? `${narrative[key]}\n\n${content}` : content;
    else other.push(text.slice(start, end).trim());
  });
  narrative.other = other.length ? other.join('\n\n') : null;
  return narrative;
}

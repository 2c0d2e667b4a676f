/**
 * A title for a file that does not give one, as Obsidian and Quartz find it:
 * the first level-1 heading of the body (`# Title`, or an Org `* Title`), else
 * the file name (a README's folder name).
 */
import { headlineTitle } from '../source/org.ts';
import { todoKeywords } from '../source/org-values.ts';
import type { ParsedSource } from './parse.ts';

export function fallbackTitle(source: Pick<ParsedSource, 'path' | 'format' | 'body'>): { title: string; from: string } {
  const heading = source.format === 'org' ? firstOrgHeadline(source.body) : firstMarkdownHeading(source.body);
  if (heading) return { title: heading, from: 'the first heading' };
  const parts = source.path.split('/');
  const file = parts.at(-1)!.replace(/\.(md|org)$/i, '');
  return /^readme$/i.test(file) ? { title: parts.at(-2)!, from: 'the folder name' } : { title: file, from: 'the file name' };
}

/** The first ATX `# heading` outside fenced code. */
function firstMarkdownHeading(body: string): string | null {
  let fence: string | null = null;
  for (const line of body.split('\n')) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (!fence) fence = f[1]![0]!;
      else if (f[1]![0] === fence) fence = null;
      continue;
    }
    if (fence) continue;
    const m = /^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*\r?$/.exec(line);
    if (m && m[1]!.trim()) return m[1]!.trim();
  }
  return null;
}

/** The first top-level Org headline, as a title (see headlineTitle). */
function firstOrgHeadline(body: string): string | null {
  const keywords = todoKeywords(body).all;
  for (const line of body.split('\n')) {
    if (!/^\*[ \t]/.test(line)) continue;
    const text = headlineTitle(line, keywords);
    if (text) return text;
  }
  return null;
}

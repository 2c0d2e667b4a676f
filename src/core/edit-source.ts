/**
 * Small edits to a source file's text for `lab serve`: a page's narrative section, an entry's
 * notes (its body) and its rating. Each returns the new text and changes nothing else — the
 * header's other keys, comments and line endings stay byte for byte.
 */
import type { Heading, Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { LabError } from './diagnostics.ts';
import { NARRATIVE_SECTIONS, type NarrativeKey } from './schema/page.ts';
import { findFrontmatter } from './source/frontmatter.ts';
import { splitOrg } from './source/org.ts';

function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

function withEol(text: string, eol: string): string {
  return eol === '\n' ? text : text.replace(/\r?\n/g, eol);
}

/**
 * Replaces the content of a page's `## <Section>` (the heading stays); a missing section is added at the
 * end. Headings inside code blocks are not sections (remark decides, as the compiler does).
 */
export function replaceNarrativeSection(text: string, field: NarrativeKey, content: string): string {
  const title = NARRATIVE_SECTIONS[field];
  const eol = eolOf(text);
  const tree = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).parse(text) as Root;
  const headings = tree.children.filter((n): n is Heading => n.type === 'heading' && n.depth <= 2);
  const body = content.replace(/\r\n/g, '\n').trim();
  const at = headings.findIndex((h) => {
    if (h.depth !== 2) return false;
    const raw = text.slice(h.position!.start.offset!, h.position!.end.offset!);
    return (
      raw
        .replace(/^#+\s*|\s*#*\s*$/g, '')
        .replace(/\n[=-]+$/, '')
        .trim()
        .toLowerCase()
        .replace(/[:.]$/, '') === title.toLowerCase()
    );
  });
  if (at < 0) {
    const trimmed = text.replace(/\s+$/, '');
    return `${trimmed}${withEol(`\n\n## ${title}\n\n${body ? `${body}\n` : ''}`, eol)}`;
  }
  const start = headings[at]!.position!.end.offset!;
  const next = headings[at + 1]?.position?.start.offset;
  const section = withEol(body ? `\n\n${body}\n${next === undefined ? '' : '\n'}` : next === undefined ? '\n' : '\n\n', eol);
  return text.slice(0, start) + section + (next === undefined ? '' : text.slice(next));
}

/** Replaces an entry's body (its free notes), keeping the header. */
export function replaceBody(text: string, format: 'md' | 'org', content: string): string {
  const eol = eolOf(text);
  const body = content.replace(/\r\n/g, '\n').trim();
  if (format === 'md') {
    const block = findFrontmatter(text);
    if (!block) throw new LabError('the entry has no frontmatter');
    return text.slice(0, block.bodyStart) + (body ? withEol(`\n${body}\n`, eol) : '');
  }
  const split = splitOrg(text);
  const lines = text.split('\n');
  const header = lines
    .slice(0, split.bodyLine - 1)
    .join('\n')
    .replace(/\s+$/, '');
  return header + withEol(`\n${body ? `\n${body}\n` : ''}`, eol);
}

/** Sets (or with null removes) an entry's `rating`, touching only that line of the header. */
export function setRating(text: string, format: 'md' | 'org', rating: number | null): string {
  const eol = eolOf(text);
  if (format === 'org') {
    const lines = text.split('\n');
    const split = splitOrg(text);
    const headerEnd = split.bodyLine - 1;
    const at = lines.findIndex((l, i) => i < headerEnd && /^[ \t]*#\+rating:/i.test(l));
    const cr = eol === '\r\n' ? '\r' : '';
    if (at >= 0) {
      if (rating === null) lines.splice(at, 1);
      else lines[at] = lines[at]!.replace(/^([ \t]*#\+rating:).*$/i, `$1 ${rating}${cr}`);
    } else if (rating !== null) {
      let last = -1;
      for (let i = 0; i < headerEnd; i++) if (/^[ \t]*#\+[A-Za-z_][\w-]*:/.test(lines[i]!)) last = i;
      lines.splice(last + 1, 0, `#+RATING: ${rating}${cr}`);
    }
    return lines.join('\n');
  }
  const block = findFrontmatter(text);
  if (!block) throw new LabError('the entry has no frontmatter');
  const yaml = text.slice(block.yamlStart, block.yamlEnd);
  const line = /^rating[ \t]*:[^\n]*\n?/m.exec(yaml);
  let next: string;
  if (line) {
    const following = yaml.slice(line.index + line[0].length);
    if (/^[ \t]+\S/.test(following)) throw new LabError('`rating` spans several lines; edit it in the file');
    next =
      yaml.slice(0, line.index) +
      (rating === null ? '' : `rating: ${rating}${line[0].endsWith('\n') ? (line[0].endsWith('\r\n') ? '\r\n' : '\n') : ''}`) +
      following;
  } else if (rating === null) next = yaml;
  else {
    // Before the runner's keys, which by convention close the header.
    const runner = /^(status|execution|outputs|metrics|artifacts|logs|archived)[ \t]*:/m.exec(yaml);
    const insert = `rating: ${rating}${eol}`;
    if (runner) next = yaml.slice(0, runner.index) + insert + yaml.slice(runner.index);
    else next = yaml + (yaml === '' || yaml.endsWith('\n') ? '' : eol) + insert;
  }
  return text.slice(0, block.yamlStart) + next + text.slice(block.yamlEnd);
}

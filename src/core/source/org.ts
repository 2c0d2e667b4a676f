import { parseYamlValue, type SourceProblem, type SplitSource } from './frontmatter.ts';
import { isJournalKey, orgDate, orgTags, todoKeywords } from './org-values.ts';
import type { KeyPositions } from './positions.ts';

/** Keys whose Org values are taken verbatim as text (a title may contain `: `). */
const TEXT_KEYS = new Set(['title', 'id', 'type', 'created', 'parent', 'variation_of', 'date', 'description', 'status', 'color', 'icon']);

/** Keys whose values are Org timestamps or ISO dates. */
const DATE_KEYS = new Set(['date', 'created']);

/** In-buffer settings that change how the body renders; they stay in the body for the renderer. */
const RENDER_SETTINGS = /^(todo|seq_todo|typ_todo|macro|link|startup)$/;

const KEYWORD = /^[ \t]*#\+([A-Za-z_][\w-]*):(?:[ \t]+(.*?))?[ \t]*\r?$/;
/** `:NAME: value`, `:NAME+: value` and `:header-args:python: value` (the name runs to the last `:` before a blank). */
const PROPERTY = /^[ \t]*:(\S+?)(\+)?:(?:[ \t]+(.*?))?[ \t]*\r?$/;
const HEADLINE = /^\*+[ \t]/;
/** Emacs' file-variables line, which Emacs requires to be the first line. */
export const MODE_LINE = /^(#[ \t]*)?.*-\*-.*-\*-/;

/**
 * Reads the header of an Org file — `#+KEY: value` keywords and a file-level
 * `:PROPERTIES:` drawer before the first headline — as the same keys Markdown
 * frontmatter carries. Non-text values are YAML flow (`[a, b]`, `{seed: 42}`, `4`).
 *
 * Files are read as Emacs users write them: a `-*- mode: org -*-` first line is
 * skipped; keywords that are Org's own (`#+OPTIONS`, `#+HTML_HEAD`, `#+MACRO`,
 * `#+TAGS` declarations, `:header-args:` …) are kept in the file and never
 * interpreted, so they may repeat; `#+FILETAGS` and `:TAGS:` (`:a:b:` or `a b`)
 * are the tags; Org timestamps are dates; `#+DATE` is the date. A file that starts
 * with a headline and has no `#+TITLE` takes its title from that headline.
 */
export function splitOrg(text: string): SplitSource {
  const lines = text.split('\n');
  const data: Record<string, unknown> = {};
  const positions: KeyPositions = {};
  const problems: SourceProblem[] = [];
  const settings: string[] = [];
  let inDrawer = false;
  let drawerStart = 0;
  let sawHeader = false;
  let firstLine = 0;
  let bodyIndex = 0;

  const put = (rawKey: string, raw: string, lineNo: number, keyCol: number, valueCol: number, keyword: boolean) => {
    let key = rawKey.toLowerCase().replace(/-/g, '_');
    // `#+TAGS:` declares the tags a file may use (with fast-selection keys); `#+FILETAGS:` and `:TAGS:` are its tags.
    if (keyword && key === 'tags') return;
    if (key === 'filetags') key = 'tags';
    if (!isJournalKey(key)) return;
    let value: unknown = raw;
    if (key === 'tags' && !/^\s*\[/.test(raw)) {
      value = orgTags(raw);
    } else if (DATE_KEYS.has(key)) {
      value = orgDate(raw);
    } else if (!TEXT_KEYS.has(key)) {
      const parsed = parseYamlValue(raw, lineNo - 1);
      for (const p of parsed.problems) problems.push({ ...p, column: p.column + valueCol - 1 });
      if (parsed.problems.length) return;
      value = parsed.value;
      for (const [k, [l, c]] of Object.entries(parsed.positions)) positions[`${key}.${k}`] = [l, c + valueCol - 1];
    }
    if (key in data) {
      // Org itself accumulates repeated FILETAGS and joins repeated TITLE lines.
      if (key === 'tags' && Array.isArray(data.tags) && Array.isArray(value)) {
        data.tags = [...new Set([...(data.tags as unknown[]), ...value])];
        return;
      }
      if (key === 'title' && typeof data.title === 'string') {
        data.title = `${data.title} ${raw}`.trim();
        return;
      }
      problems.push({ line: lineNo, column: keyCol, message: `duplicate key \`${key}\``, rule: 'yaml-syntax' });
      return;
    }
    data[key] = value;
    positions[key] = [lineNo, keyCol];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    if (inDrawer) {
      if (/^[ \t]*:END:[ \t]*\r?$/i.test(line)) {
        inDrawer = false;
        bodyIndex = i + 1;
        continue;
      }
      const m = PROPERTY.exec(line);
      if (m) put(m[1]!, m[3] ?? '', lineNo, line.indexOf(':') + 2, valueColumn(line, m[3] ?? '', line.indexOf(':') + m[1]!.length + 2), false);
      else if (line.trim()) problems.push({ line: lineNo, column: 1, message: 'expected `:KEY: value` inside the properties drawer', rule: 'yaml-syntax' });
      continue;
    }
    if (i === 0 && MODE_LINE.test(line)) {
      bodyIndex = 1;
      continue;
    }
    if (/^[ \t]*:PROPERTIES:[ \t]*\r?$/i.test(line)) {
      inDrawer = true;
      drawerStart = lineNo;
      if (!sawHeader) firstLine = lineNo;
      sawHeader = true;
      continue;
    }
    const k = KEYWORD.exec(line);
    if (k) {
      if (!sawHeader) firstLine = lineNo;
      sawHeader = true;
      const value = k[2] ?? '';
      if (RENDER_SETTINGS.test(k[1]!.toLowerCase())) settings.push(line.replace(/\r$/, ''));
      put(k[1]!, value, lineNo, line.indexOf('#+') + 3, valueColumn(line, value, line.indexOf(':', line.indexOf('#+') + 2) + 2), true);
      bodyIndex = i + 1;
      continue;
    }
    if (/^[ \t]*(#( |$)|\r?$)/.test(line)) continue; // blank lines and comments between header lines
    break;
  }
  if (inDrawer) problems.push({ line: drawerStart || 1, column: 1, message: 'the `:PROPERTIES:` drawer is never closed with `:END:`', rule: 'yaml-syntax' });
  // A headline file (no #+TITLE): the first headline names it, as org-roam and Org export do.
  const rest = lines.slice(bodyIndex);
  if (!('title' in data) && !problems.length) {
    const first = rest.findIndex((l) => l.trim() !== '');
    if (first >= 0 && HEADLINE.test(rest[first]!)) {
      const title = headlineTitle(rest[first]!, todoKeywords(text).all);
      if (title) {
        data.title = title;
        sawHeader = true;
        firstLine ||= bodyIndex + first + 1;
      }
    }
  }
  const bodyLine = bodyIndex + 1;
  // In-buffer settings (#+TODO, #+MACRO …) apply to the whole file: the renderer needs them.
  const body = [...settings, ...rest].join('\n');
  return { data: sawHeader && !problems.length ? data : null, positions, line: firstLine || 1, body, bodyLine, problems };
}

/**
 * A headline's text without stars, TODO keyword (one of `keywords`: the file's own, from
 * `todoKeywords`), priority, statistics cookie and tags.
 */
export function headlineTitle(line: string, keywords: readonly string[]): string {
  const text = line.replace(/^\*+[ \t]+/, '').replace(/[ \t]+:[\w@#%:]+:[ \t]*\r?$/, '');
  const keyword = /^(\S+)[ \t]+/.exec(text);
  return (keyword && keywords.includes(keyword[1]!) ? text.slice(keyword[0].length) : text)
    .replace(/^\[#[A-Z0-9]\][ \t]+/, '')
    .replace(/[ \t]*\[\d*(%|\/\d*)\]/g, '')
    .trim();
}

/** 1-based column where a keyword's value text starts (after `KEY:` and spaces). */
function valueColumn(line: string, value: string, after: number): number {
  return value ? line.indexOf(value, after - 1) + 1 : after;
}

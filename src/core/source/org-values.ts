/**
 * Org's own spellings of the values the journal reads: tags (`:a:b:` or `a b`),
 * timestamps (`[2024-07-16 Tue 10:30]`, `<2024-07-16 Tue>`), and which header
 * keywords are the journal's rather than Org's.
 */

import { editDistance } from '../entry-types.ts';
import { ENTRY_KEYS } from '../schema/entry.ts';
import { NOTEBOOK_KEYS } from '../schema/notebook.ts';
import { PAGE_KEYS } from '../schema/page.ts';

const JOURNAL_KEYS: ReadonlySet<string> = new Set<string>([...NOTEBOOK_KEYS, ...PAGE_KEYS, ...ENTRY_KEYS, 'description']);

/**
 * Keywords and properties Org, its exporters and common packages (org-roam, babel)
 * define. They are kept in the file and never read as journal keys, so they may
 * repeat (`#+HTML_HEAD`) and hold any text (CSS, LaTeX).
 */
const ORG_OWN = new Set([
  'author',
  'email',
  'creator',
  'options',
  'macro',
  'todo',
  'seq_todo',
  'typ_todo',
  'tags',
  'startup',
  'setupfile',
  'include',
  'language',
  'keywords',
  'subtitle',
  'category',
  'archive',
  'columns',
  'link',
  'priorities',
  'property',
  'bibliography',
  'cite_export',
  'print_bibliography',
  'select_tags',
  'exclude_tags',
  'infojs_opt',
  'export_file_name',
  'name',
  'results',
  'caption',
  'header',
  'call',
  'plot',
  'constants',
  'drawers',
  'logging',
  'visibility',
  'ordered',
  'effort',
  'custom_id',
  'roam_aliases',
  'roam_refs',
  'roam_exclude',
  'archive_time',
  'archive_file',
  'archive_olpath',
  'archive_category',
  'archive_todo',
  'last_repeat',
  'style',
  'header_args',
  'noexport',
  'cookie_data',
  'clock_into_drawer',
  'filetags_inherit',
  'dir',
  'attach_dir',
  'attach_dir_inherit',
  'unnumbered',
  'noblocking',
  'repeat_to_state',
  'coding',
  'mode',
  'doi',
  'url',
  'source',
  'summary',
  'lastmod',
  'modified',
  'updated',
  'index',
  'setupdir',
  'export_title',
  'hugo_base_dir',
  'hugo_section',
]);

/** Prefixes of exporter and babel keywords (`HTML_HEAD`, `LATEX_HEADER`, `ATTR_HTML`, `header-args:python`). */
const ORG_OWN_PREFIX = /^(html|latex|beamer|odt|texinfo|man|icalendar|md|ox|export|attr|header_args|babel|org|roam)(_|:|$)/;

/**
 * Whether an Org header key (lower-cased, `-` → `_`) is read as a journal key.
 * Org's own keywords are not; any other key is (so a typo such as `#+TITEL`
 * still gets an "unknown key, did you mean" warning).
 */
export function isJournalKey(key: string): boolean {
  if (JOURNAL_KEYS.has(key)) return true;
  if (ORG_OWN.has(key) || ORG_OWN_PREFIX.test(key) || key.includes(':')) return false;
  return nearJournalKey(key);
}

/** Unknown keys are reported only when they look like a misspelt journal key; other properties are the user's own. */
function nearJournalKey(key: string): boolean {
  for (const k of JOURNAL_KEYS) if (Math.abs(k.length - key.length) <= 2 && editDistance(k, key) <= 2) return true;
  return false;
}

/** Org tags: `:a:b:` (FILETAGS, headline style) or `a b` / `a, b` (space or comma separated). */
export function orgTags(raw: string): string[] {
  const text = raw.trim();
  const parts = text.includes(':') && !/\s/.test(text) ? text.split(':') : text.split(/[\s,]+/);
  return [...new Set(parts.map((t) => t.trim()).filter(Boolean))];
}

const ORG_TIMESTAMP =
  /^[[<](\d{4}-\d{2}-\d{2})(?:[ \t]+[^\]>\d\s]+\.?)?(?:[ \t]+(\d{1,2}):(\d{2})(?:-\d{1,2}:\d{2})?)?(?:[ \t]+[.+-]{1,2}\d+[hdwmy](?:\/\d+[hdwmy])?)*[ \t]*[\]>]/;

/**
 * An Org timestamp as an ISO date (`2024-07-16`) or local date-time
 * (`2024-07-16T10:30`); the range end, day name and repeaters are dropped.
 * Any other text is returned as written (the schema then says what it expects).
 */
export function orgDate(raw: string): string {
  const text = raw.trim();
  const m = ORG_TIMESTAMP.exec(text);
  if (!m) return text;
  return m[2] ? `${m[1]}T${m[2].padStart(2, '0')}:${m[3]}` : m[1]!;
}

/**
 * The file's TODO keywords from `#+TODO:` / `#+SEQ_TODO:` / `#+TYP_TODO:` lines: every keyword in
 * order, and the done states (after `|`, else the last word). Org's default is TODO, DONE.
 */
export function todoKeywords(text: string): { all: string[]; done: Set<string> } {
  const all: string[] = [];
  const done = new Set<string>();
  for (const m of text.matchAll(/^[ \t]*#\+(?:SEQ_|TYP_)?TODO:[ \t]*(.*)$/gim)) {
    const words = m[1]!
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => w.replace(/\(.*\)$/, ''));
    const bar = words.indexOf('|');
    const active = bar >= 0 ? words.slice(0, bar) : words.slice(0, -1);
    const finished = bar >= 0 ? words.slice(bar + 1) : words.slice(-1);
    for (const w of [...active, ...finished]) if (w && w !== '|' && !all.includes(w)) all.push(w);
    for (const w of finished) done.add(w);
  }
  if (!all.length) return { all: ['TODO', 'DONE'], done: new Set(['DONE']) };
  return { all, done };
}

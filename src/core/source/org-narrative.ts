/**
 * An Org page's narrative: its top-level `* Goals` … `* Next Steps` headlines, the same
 * sections a Markdown page writes as `## Goals`. A section keeps its subtree without its
 * own headline (the page shows the section title) and that headline's property drawer. The file's in-buffer settings
 * (`#+TODO` …) are repeated in every section, so each renders as the file would.
 */
import type { Narrative } from '../model.ts';
import { NARRATIVE_SECTIONS, type NarrativeKey } from '../schema/page.ts';
import { todoKeywords } from './org-values.ts';

const SECTION_BY_TITLE = new Map<string, NarrativeKey>(Object.entries(NARRATIVE_SECTIONS).map(([key, title]) => [title.toLowerCase(), key as NarrativeKey]));

export function extractOrgNarrative(body: string): Narrative {
  const narrative: Narrative = { goals: null, hypothesis: null, observations: null, conclusions: null, next_steps: null, other: null };
  const lines = body.replace(/\r\n/g, '\n').split('\n');
  const settings = lines.filter((l) => /^#\+(SEQ_|TYP_)?TODO:|^#\+(MACRO|LINK|STARTUP):/i.test(l));
  const keywords = todoKeywords(settings.join('\n')).all;
  const other: string[] = [];
  let key: NarrativeKey | null = null;
  let current: string[] = [];
  let inBlock = false;
  /** After a section headline: its planning line and property drawer are skipped. */
  let meta: 'none' | 'headline' | 'drawer' = 'none';
  const flush = () => {
    const text = current.join('\n').trim();
    if (key) {
      if (text) narrative[key] = [narrative[key], text].filter(Boolean).join('\n\n');
    } else if (text) other.push(text);
    current = [];
  };
  for (const line of lines) {
    if (/^\s*#\+begin_/i.test(line)) inBlock = true;
    else if (/^\s*#\+end_/i.test(line)) inBlock = false;
    const top = !inBlock && /^\*[ \t]/.test(line);
    if (top) {
      const title = line
        .replace(/^\*[ \t]+/, '')
        .replace(/[ \t]+:[\w@#%:]+:[ \t]*$/, '')
        .trim();
      const words = title.split(/\s+/);
      const bare = (keywords.includes(words[0]!) ? words.slice(1) : words).join(' ').replace(/^\[#[A-Z0-9]\]\s*/, '');
      const next = SECTION_BY_TITLE.get(bare.toLowerCase().replace(/[:.]$/, '')) ?? null;
      flush();
      key = next;
      meta = next ? 'headline' : 'none';
      // Org's footnote section holds only definitions: its headline is not shown (as in Org's export).
      if (!next && bare.toLowerCase() !== 'footnotes') current.push(line);
      continue;
    }
    if (meta === 'drawer') {
      if (/^\s*:END:\s*$/i.test(line)) meta = 'none';
      continue;
    }
    if (meta === 'headline') {
      // The planning line stays (as text: it no longer follows a headline); the drawer goes.
      if (/^\s*(SCHEDULED|DEADLINE|CLOSED):/.test(line)) {
        current.push(line.trim());
        continue;
      }
      if (/^\s*:PROPERTIES:\s*$/i.test(line)) {
        meta = 'drawer';
        continue;
      }
      meta = 'none';
    }
    if (key === null && current.length === 0 && settings.includes(line)) continue;
    current.push(line);
  }
  flush();
  const prefix = settings.length ? `${settings.join('\n')}\n` : '';
  for (const k of Object.keys(NARRATIVE_SECTIONS) as NarrativeKey[]) if (narrative[k] && prefix) narrative[k] = prefix + narrative[k];
  narrative.other = other.length ? prefix + other.join('\n\n') : null;
  return narrative;
}

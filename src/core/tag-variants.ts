/**
 * Tags that are spelled more than one way across the journal — `Benchmark`, `benchmark`,
 * `benchmarks` — split what belongs together on the tag pages and in search filters. This finds
 * them: tags are grouped by a folded form (Unicode-normalised, lower case, a simple English plural
 * taken off), and each group with two or more spellings names the most used one as the spelling
 * to keep. Pure: `derive` reports the groups as warnings.
 */

/** The form two spellings of one tag share. */
export function foldTag(tag: string): string {
  let t = tag
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  // English plurals only, and conservatively: `analysis`, `status`, `glass` stay as they are.
  if (/[^aeiou]ies$/.test(t)) t = `${t.slice(0, -3)}y`;
  else if (/(ches|shes|xes|zes|sses)$/.test(t)) t = t.slice(0, -2);
  else if (/[^isu]s$/.test(t) && t.length > 3) t = t.slice(0, -1);
  return t;
}

export interface TagVariantGroup {
  /** The spelling to keep: the most used; on a tie the shortest, then the first alphabetically. */
  keep: string;
  /** The other spellings, each with how many items use it. */
  variants: { tag: string; uses: number }[];
}

/** Groups of spellings of the same tag; `uses` counts the items (notebooks, pages, entries) per tag. */
export function tagVariants(uses: Record<string, number>): TagVariantGroup[] {
  const groups = new Map<string, string[]>();
  for (const tag of Object.keys(uses).sort()) {
    const key = foldTag(tag);
    groups.set(key, [...(groups.get(key) ?? []), tag]);
  }
  const out: TagVariantGroup[] = [];
  for (const tags of groups.values()) {
    if (tags.length < 2) continue;
    const ranked = [...tags].sort((a, b) => uses[b]! - uses[a]! || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    out.push({ keep: ranked[0]!, variants: ranked.slice(1).map((tag) => ({ tag, uses: uses[tag]! })) });
  }
  return out;
}

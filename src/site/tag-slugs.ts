/**
 * Where each tag's page is: one slug per tag, made from the whole set of tags (two tags that
 * slug alike get `-2`, `-3` in sorted order), so the tag pages and links in notes agree.
 */

/** URL-safe, unique slugs for free-text tags (quotes, colons, emoji, any script). */
export function tagSlugMap(tags: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const tag of [...tags].sort()) {
    const base =
      tag
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 60) || 'tag';
    let slug = base;
    for (let i = 2; used.has(slug); i++) slug = `${base}-${i}`;
    used.add(slug);
    out.set(tag, slug);
  }
  return out;
}

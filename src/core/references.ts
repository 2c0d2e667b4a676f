/**
 * Links between notes as other tools write them: Obsidian/Quartz wikilinks
 * (`[[Note]]`, `[[Note|alias]]`, `[[Note#Heading]]`, embeds `![[image.png]]`) and
 * Org links (`[[id:…]]`, `[[file:…]]`). Finding them in a body is per file (cached
 * with the parse); resolving them needs the whole journal, so `lab check` and the
 * site share one table and one rule.
 */
import path from 'node:path';

/** A link written in a body, at its 1-based position in the file. */
export interface Reference {
  kind: 'wikilink' | 'embed' | 'org-id' | 'org-file' | 'md-file';
  /** The target as written: note name, path or id (no `#heading`, no `|alias`); empty for `[[#Heading]]`, a heading of this note. */
  target: string;
  /** The `#Heading` or `#^block` part of a wikilink or embed, when it has one (without the `#`). */
  anchor?: string;
  line: number;
  column: number;
}

/** Something a link can point at. */
export interface LinkTarget {
  kind: 'notebook' | 'page' | 'entry' | 'attachment';
  /** Record id; for attachments the workspace-relative path. */
  id: string;
  title: string;
  /** Workspace-relative path of the source file (README for notebooks and pages) or of the attachment. */
  path: string;
}

export interface Resolution {
  /** The chosen target (the nearest one when several match), or null. */
  target: LinkTarget | null;
  /** Every target that matched by the same rule. */
  candidates: LinkTarget[];
  /** True when several candidates are equally near the linking file: the choice is a guess. */
  ambiguous: boolean;
}

/** Splits `Note#Heading|alias` into its parts. */
export function parseWikiTarget(inner: string): { name: string; heading: string | null; alias: string | null } {
  const bar = inner.indexOf('|');
  const alias = bar >= 0 ? inner.slice(bar + 1).trim() : null;
  const ref = bar >= 0 ? inner.slice(0, bar) : inner;
  const hash = ref.indexOf('#');
  // `#^block` is an Obsidian block reference: there is no anchor for it on the site, so the link goes to the note.
  const heading = hash >= 0 && ref[hash + 1] !== '^' ? ref.slice(hash + 1).trim() || null : null;
  return { name: (hash >= 0 ? ref.slice(0, hash) : ref).trim(), heading, alias };
}

/** `[[…]]` and `![[…]]` in Markdown; fenced and inline code are skipped. */
const WIKILINK = /(!?)\[\[([^\[\]\n]+?)\]\]/g;
/** Markdown links and images with a relative target (`./fig.png`, `../002-run.md`, `data.csv`). */
const MD_RELATIVE = /!?\[[^\]\n]*\]\(<?((?![a-z][a-z0-9+.-]*:|\/|#)[^)\s>]+)>?(?:\s+"[^"]*")?\)/gi;
/** Org bracket links of the kinds that point into the journal. */
const ORG_LINK = /\[\[(id|file):([^\]\n]+?)\](?:\[[^\]\n]*\])?\]/g;

/** Finds the links in a body; `firstLine` is the body's line in the file. */
export function findReferences(body: string, format: 'md' | 'org', firstLine: number): Reference[] {
  // Most notes link nowhere: one scan says so without splitting lines.
  if (format === 'md' ? !body.includes('[[') && !body.includes('](') : !body.includes('[[id:') && !body.includes('[[file:')) return [];
  const refs: Reference[] = [];
  const lines = body.split('\n');
  let fence: string | null = null;
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (format === 'md') {
      const f = line.includes('``') || line.includes('~~') ? /^\s{0,3}(`{3,}|~{3,})/.exec(line) : null;
      if (f) {
        if (!fence) fence = f[1]![0]!.repeat(f[1]!.length);
        else if (line.trim().startsWith(fence)) fence = null;
        return;
      }
      if (fence || !line.includes('[')) return;
      const text = line.includes('`') ? line.replace(/`[^`]*`/g, (m) => ' '.repeat(m.length)) : line;
      if (text.includes('[['))
        for (const m of text.matchAll(WIKILINK)) {
          const { name, heading } = parseWikiTarget(m[2]!);
          const block = /#\^([\w-]+)/.exec(m[2]!.split('|')[0]!)?.[1];
          const anchor = heading ?? (block ? `^${block}` : undefined);
          if (!name && !anchor) continue;
          const ref: Reference = { kind: m[1] ? 'embed' : 'wikilink', target: name, line: firstLine + i, column: m.index + 1 };
          if (anchor) ref.anchor = anchor;
          refs.push(ref);
        }
      if (text.includes(']('))
        for (const m of text.matchAll(MD_RELATIVE)) {
          const target = m[1]!.split('#')[0];
          if (target) refs.push({ kind: 'md-file', target, line: firstLine + i, column: m.index + 1 });
        }
    } else {
      if (line.includes('#+')) {
        if (/^\s*#\+begin_/i.test(line)) fence = 'block';
        else if (/^\s*#\+end_/i.test(line)) fence = null;
      }
      if (fence || !line.includes('[[')) return;
      for (const m of line.matchAll(ORG_LINK)) {
        const target = m[2]!.replace(/::.*$/, '').trim();
        if (target) refs.push({ kind: m[1] === 'id' ? 'org-id' : 'org-file', target, line: firstLine + i, column: m.index + 1 });
      }
    }
  });
  return refs;
}

/** Every `:ID:` property in an Org file (the file's and its headlines'): `[[id:…]]` links may point at any. */
export function findOrgIds(text: string): string[] {
  return [...text.matchAll(/^[ \t]*:ID:[ \t]+(\S+)[ \t]*\r?$/gim)].map((m) => m[1]!);
}

const SOURCE_EXT = /\.(md|org)$/i;

/** The name Obsidian matches a note by: its file name, or the folder of a README. */
function noteName(t: LinkTarget): string {
  const base = path.posix.basename(t.path);
  if (t.kind !== 'attachment' && /^README\.(md|org)$/i.test(base)) return path.posix.basename(path.posix.dirname(t.path));
  return t.kind === 'attachment' ? base : base.replace(SOURCE_EXT, '');
}

/** The key a title is looked up by: wikilink names and titles compare trimmed and lower-cased. */
export function titleKey(text: string): string {
  return text.trim().toLowerCase();
}

/** Every target of the journal, indexed the ways links name them. */
export class LinkTable {
  private readonly byId = new Map<string, LinkTarget>();
  private readonly byPath = new Map<string, LinkTarget>();
  private readonly byName = new Map<string, LinkTarget[]>();
  private readonly byTitle = new Map<string, LinkTarget[]>();

  constructor(targets: Iterable<LinkTarget>) {
    const add = (map: Map<string, LinkTarget[]>, key: string, t: LinkTarget) => {
      const list = map.get(key);
      if (list) list.push(t);
      else map.set(key, [t]);
    };
    for (const t of targets) {
      if (t.kind !== 'attachment') this.byId.set(t.id, t);
      this.byPath.set(t.path, t);
      add(this.byName, noteName(t).toLowerCase(), t);
      if (t.kind !== 'attachment') add(this.byTitle, titleKey(t.title), t);
    }
  }

  /** The record with this id. */
  id(id: string): LinkTarget | null {
    return this.byId.get(id) ?? null;
  }

  /** The target at a workspace-relative path (a README's folder also names its notebook or page). */
  atPath(rel: string): LinkTarget | null {
    const clean = rel.replace(/\/+$/, '');
    return this.byPath.get(clean) ?? this.byPath.get(`${clean}/README.md`) ?? this.byPath.get(`${clean}/README.org`) ?? null;
  }

  /**
   * Resolves a wikilink name as Obsidian does: a path (relative to the note, or
   * from the journal's root), else the file name, else (our addition) a title or
   * an id. Several equal matches: the one nearest the linking file wins, and the
   * link is ambiguous.
   */
  resolve(name: string, fromPath: string, embed = false): Resolution {
    const dir = path.posix.dirname(fromPath);
    const lower = name.toLowerCase();
    if (name.includes('/')) {
      for (const rel of [path.posix.join(dir, name), path.posix.join('content/notebooks', name), path.posix.join('content', name)]) {
        const t = this.atPath(rel) ?? (SOURCE_EXT.test(rel) ? null : (this.atPath(`${rel}.md`) ?? this.atPath(`${rel}.org`)));
        if (t) return { target: t, candidates: [t], ambiguous: false };
      }
      const suffix = [...this.byPath.values()].filter(
        (t) => t.path.toLowerCase().endsWith(`/${lower}`) || t.path.toLowerCase().replace(SOURCE_EXT, '').endsWith(`/${lower}`),
      );
      if (suffix.length) return pick(suffix, dir);
    }
    const base = path.posix.basename(lower);
    const byName = (this.byName.get(base) ?? this.byName.get(base.replace(SOURCE_EXT, '')) ?? []).filter(
      (t) => embed || t.kind !== 'attachment' || path.posix.extname(base),
    );
    if (byName.length) return pick(byName, dir);
    // A note embedded by its title or id (`![[Transformer paper notes]]`) is found as a link is.
    const byTitle = this.byTitle.get(titleKey(name));
    if (byTitle?.length) return pick(byTitle, dir);
    const t = this.byId.get(name);
    if (t) return { target: t, candidates: [t], ambiguous: false };
    return { target: null, candidates: [], ambiguous: false };
  }
}

/** The candidate sharing the longest folder prefix with the linking file (then the first by path). */
function pick(candidates: LinkTarget[], dir: string): Resolution {
  const sorted = [...candidates].sort((a, b) => (a.path < b.path ? -1 : 1));
  let best = sorted[0];
  let bestShared = -1;
  let ties = 0;
  for (const t of sorted) {
    const shared = sharedPrefix(path.posix.dirname(t.path), dir);
    if (shared > bestShared) [best, bestShared, ties] = [t, shared, 1];
    else if (shared === bestShared) ties++;
  }
  return { target: best!, candidates: sorted, ambiguous: ties > 1 };
}

function sharedPrefix(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/**
 * Ranked full-text search over the journal with MiniSearch: titles, notes,
 * narratives, tags and parameters. Filters narrow the ranked hits.
 */
import MiniSearch from 'minisearch';
import type { JournalIndex } from './model.ts';

export type SearchKind = 'notebook' | 'page' | 'entry' | 'session';

export interface SearchFilters {
  type?: string;
  tag?: string;
  notebook?: string;
  page?: string;
  kind?: SearchKind;
  /** Inclusive date bounds, `YYYY-MM-DD`. */
  from?: string;
  to?: string;
  limit?: number;
}

export interface SearchHit {
  kind: SearchKind;
  id: string;
  title: string;
  score: number;
  notebook_id: string | null;
  page_id: string | null;
  type: string | null;
  date: string | null;
  tags: string[];
  /** Which fields matched which terms. */
  match: Record<string, string[]>;
  snippet: string;
}

interface Doc {
  key: string;
  kind: SearchKind;
  id: string;
  title: string;
  text: string;
  tags: string;
  params: string;
  type: string;
  notebook_id: string | null;
  page_id: string | null;
  date: string | null;
  tagList: string[];
}

/** Flattens parameters into searchable "key value" text. */
function flatten(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return value === undefined || value === null ? [] : [`${prefix} ${String(value)}`];
}

export interface SessionDoc {
  id: string;
  start: string | null;
  first_prompt: string | null;
  prompts: string[];
  files_touched: string[];
}

function documents(index: JournalIndex, sessions: SessionDoc[]): Doc[] {
  const docs: Doc[] = [];
  for (const n of index.notebooks) {
    docs.push({
      key: `notebook:${n.id}`,
      kind: 'notebook',
      id: n.id,
      title: n.title,
      text: `${n.description ?? ''}\n${n.overview}`,
      tags: n.tags.join(' '),
      params: '',
      type: '',
      notebook_id: n.id,
      page_id: null,
      date: n.last_activity?.slice(0, 10) ?? null,
      tagList: n.tags,
    });
  }
  for (const p of index.pages) {
    docs.push({
      key: `page:${p.id}`,
      kind: 'page',
      id: p.id,
      title: p.title,
      text: Object.values(p.narrative).filter(Boolean).join('\n'),
      tags: p.tags.join(' '),
      params: '',
      type: '',
      notebook_id: p.notebook_id,
      page_id: p.id,
      date: p.date,
      tagList: p.tags,
    });
  }
  for (const e of index.entries) {
    docs.push({
      key: `entry:${e.id}`,
      kind: 'entry',
      id: e.id,
      title: e.title,
      text: e.metadata.notes,
      tags: e.metadata.tags.join(' '),
      params: flatten(e.inputs).join('\n'),
      type: e.type,
      notebook_id: e.notebook_id,
      page_id: e.page_id,
      date: (e.created ?? e.execution?.started_at ?? null)?.slice(0, 10) ?? null,
      tagList: e.metadata.tags,
    });
  }
  for (const s of sessions) {
    docs.push({
      key: `session:${s.id}`,
      kind: 'session',
      id: s.id,
      title: s.first_prompt?.slice(0, 120) ?? s.id,
      text: s.prompts.join('\n'),
      tags: '',
      params: s.files_touched.join('\n'),
      type: 'session',
      notebook_id: null,
      page_id: null,
      date: s.start?.slice(0, 10) ?? null,
      tagList: [],
    });
  }
  return docs;
}

/** Searches the index. Deterministic: equal scores are ordered by kind and id. */
export function searchIndex(index: JournalIndex, query: string, filters: SearchFilters = {}, sessions: SessionDoc[] = []): SearchHit[] {
  const docs = documents(index, sessions);
  const mini = new MiniSearch<Doc>({
    idField: 'key',
    fields: ['title', 'text', 'tags', 'params', 'type'],
    storeFields: [],
    searchOptions: { boost: { title: 3, tags: 2, params: 1.5 }, prefix: (t) => t.length > 2, fuzzy: (t) => (t.length > 4 ? 0.2 : false), combineWith: 'AND' },
  });
  mini.addAll(docs);
  const byKey = new Map(docs.map((d) => [d.key, d]));
  let hits = mini.search(query);
  if (!hits.length) hits = mini.search(query, { combineWith: 'OR' });
  const out: SearchHit[] = [];
  for (const h of hits) {
    const d = byKey.get(h.id as string)!;
    if (filters.kind && d.kind !== filters.kind) continue;
    if (filters.type && d.type !== filters.type) continue;
    if (filters.tag && !d.tagList.includes(filters.tag)) continue;
    if (filters.notebook && d.notebook_id !== filters.notebook) continue;
    if (filters.page && d.page_id !== filters.page) continue;
    if (filters.from && (!d.date || d.date < filters.from)) continue;
    if (filters.to && (!d.date || d.date > filters.to)) continue;
    out.push({
      kind: d.kind,
      id: d.id,
      title: d.title,
      score: Math.round(h.score * 1000) / 1000,
      notebook_id: d.notebook_id,
      page_id: d.page_id,
      type: d.type || null,
      date: d.date,
      tags: d.tagList,
      match: h.match,
      snippet: snippet(d, h.terms),
    });
  }
  out.sort((a, b) => b.score - a.score || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.id < b.id ? -1 : 1));
  return out.slice(0, filters.limit ?? 20);
}

/** ~120 characters of the text around the first matched term. */
function snippet(d: Doc, terms: string[]): string {
  const text = `${d.text}\n${d.params}`.replace(/\s+/g, ' ');
  const lower = text.toLowerCase();
  const at = Math.min(...terms.map((t) => lower.indexOf(t.toLowerCase())).filter((i) => i >= 0), Number.MAX_SAFE_INTEGER);
  if (at === Number.MAX_SAFE_INTEGER) return text.slice(0, 120);
  const start = Math.max(0, at - 40);
  return `${start ? '…' : ''}${text.slice(start, start + 120)}${start + 120 < text.length ? '…' : ''}`;
}

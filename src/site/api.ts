/**
 * The static JSON API: the original design's REST endpoints as files under `<base>api/`.
 *   api/notebooks.json                 all notebooks
 *   api/notebooks/<id>.json            one notebook with its pages
 *   api/pages/<id>.json                one page with its entries
 *   api/entries/<id>.json              one entry (artifacts carry `url` and `thumbnail_url`)
 *   api/entries/<id>/lineage.json      ancestors, descendants and the edges between them
 *   api/tags.json                      tag → ids of notebooks, pages and entries
 * URLs inside are absolute paths under the site base. Output is deterministic (sorted keys).
 */
import { sortKeysDeep } from '../core/hash.ts';
import type { Entry, JournalIndex, LineageGraph } from '../core/model.ts';
import { blobHex, publishedBlobPath } from './blobs.ts';
import type { SiteAssets } from './assets.ts';

export interface ApiFile {
  /** Path under `api/`, e.g. `entries/x.json`. */
  path: string;
  json: string;
}

export function buildApi(index: JournalIndex, lineage: LineageGraph, assets: SiteAssets, base: string): ApiFile[] {
  const files: ApiFile[] = [];
  const put = (p: string, value: unknown) => files.push({ path: p, json: JSON.stringify(sortKeysDeep(value), null, 1) + '\n' });
  const pagesOf = new Map<string, JournalIndex['pages']>();
  for (const page of index.pages) {
    const list = pagesOf.get(page.notebook_id) ?? [];
    list.push(page);
    pagesOf.set(page.notebook_id, list);
  }
  const entriesById = new Map(index.entries.map((e) => [e.id, e]));
  const summary = (e: Entry) => ({
    id: e.id, title: e.title, type: e.type, status: e.status, created: e.created, tags: e.metadata.tags,
    rating: e.metadata.rating, url: `${base}entries/${e.id}/`, api: `${base}api/entries/${e.id}.json`,
  });

  put('notebooks.json', {
    notebooks: index.notebooks.map(({ overview: _overview, source: _source, ...n }) => ({ ...n, url: `${base}notebooks/${n.id}/` })),
  });
  for (const notebook of index.notebooks) {
    const pages = (pagesOf.get(notebook.id) ?? []).map(({ narrative: _n, source: _s, ...p }) => ({
      ...p, url: `${base}pages/${p.id}/`, api: `${base}api/pages/${p.id}.json`,
    }));
    put(`notebooks/${notebook.id}.json`, { notebook: { ...notebook, url: `${base}notebooks/${notebook.id}/` }, pages });
  }
  for (const page of index.pages) {
    const entries = page.entry_ids.map((id) => entriesById.get(id)).filter((e): e is Entry => !!e).map(summary);
    put(`pages/${page.id}.json`, { page: { ...page, url: `${base}pages/${page.id}/` }, entries });
  }
  const withUrls = (e: Entry) => ({
    ...e,
    url: `${base}entries/${e.id}/`,
    artifacts: e.artifacts.map((a) => {
      const hex = blobHex(a.hash) ?? '';
      return {
        ...a,
        url: assets.blobs[hex] ? `${base}blobs/${publishedBlobPath(assets.blobs[hex])}` : null,
        thumbnail_url: assets.thumbs[hex] ? `${base}thumbs/${assets.thumbs[hex]}` : null,
      };
    }),
  });
  const parents = new Map<string, { from: string; kind: string }[]>();
  const children = new Map<string, { to: string; kind: string }[]>();
  for (const edge of lineage.edges) {
    parents.set(edge.to, [...(parents.get(edge.to) ?? []), { from: edge.from, kind: edge.kind }]);
    children.set(edge.from, [...(children.get(edge.from) ?? []), { to: edge.to, kind: edge.kind }]);
  }
  for (const entry of index.entries) {
    put(`entries/${entry.id}.json`, withUrls(entry));
    put(`entries/${entry.id}/lineage.json`, entryLineage(entry.id, parents, children, entriesById));
  }
  put('tags.json', { tags: index.tags });
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Most ancestors (and descendants) one entry's lineage.json lists; nearest first. */
const LINEAGE_API_MAX = 25;

function entryLineage(
  id: string,
  parents: Map<string, { from: string; kind: string }[]>,
  children: Map<string, { to: string; kind: string }[]>,
  entries: Map<string, Entry>,
) {
  const edges = new Map<string, { from: string; to: string; kind: string }>();
  const truncated = { ancestors: false, descendants: false };
  // Breadth-first, nearest first, and capped: over a 10,000-deep chain every entry's file
  // listing all of its lineage would make the API quadratic in size and time.
  const walk = (start: string, up: boolean): string[] => {
    const seen = new Set<string>([start]);
    const queue = [start];
    for (let qi = 0; qi < queue.length; qi++) {
      if (seen.size > LINEAGE_API_MAX) {
        truncated[up ? 'ancestors' : 'descendants'] = true;
        break;
      }
      const at = queue[qi];
      const next = up
        ? (parents.get(at) ?? []).map((p) => ({ other: p.from, edge: { from: p.from, to: at, kind: p.kind } }))
        : (children.get(at) ?? []).map((c) => ({ other: c.to, edge: { from: at, to: c.to, kind: c.kind } }));
      for (const { other, edge } of next) {
        edges.set(`${edge.from}>${edge.to}>${edge.kind}`, edge);
        if (!seen.has(other)) {
          seen.add(other);
          queue.push(other);
        }
      }
    }
    seen.delete(start);
    return [...seen];
  };
  const list = (ids: string[]) =>
    ids.map((i) => entries.get(i)).filter((e): e is Entry => !!e).map((e) => ({ id: e.id, title: e.title, type: e.type, status: e.status }));
  return {
    entry_id: id,
    ancestors: list(walk(id, true)),
    descendants: list(walk(id, false)),
    edges: [...edges.values()].sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1)),
    ...(truncated.ancestors || truncated.descendants ? { truncated } : {}),
  };
}

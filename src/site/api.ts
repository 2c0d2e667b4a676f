/**
 * The JSON API's one serializer: the original design's REST shapes, written as files under
 * `<base>api/` by the static build and returned by `lab serve`'s REST API (the same bytes for the
 * same record).
 *   api/notebooks.json                 all notebooks
 *   api/notebooks/<id>.json            one notebook with its pages
 *   api/pages/<id>.json                one page with its entries
 *   api/entries/<id>.json              one entry (artifacts carry `url` and `thumbnail_url`)
 *   api/entries/<id>/lineage.json      ancestors, descendants and the edges between them
 *   api/tags.json                      tag → ids of notebooks, pages and entries
 * URLs inside are absolute paths under the site base. Output is deterministic (sorted keys).
 */
import { sortKeysDeep } from '../core/hash.ts';
import type { Entry, JournalIndex, LineageGraph, Notebook, Page } from '../core/model.ts';
import type { SiteAssets } from './assets.ts';
import { blobHex, publishedBlobPath } from './blobs.ts';

export interface ApiFile {
  /** Path under `api/`, e.g. `entries/x.json`. */
  path: string;
  json: string;
}

/** The API's JSON text for a value: sorted keys, one-space indent, trailing newline. */
export function apiJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value), null, 1) + '\n';
}

/** Most ancestors (and descendants) one entry's lineage lists; nearest first. */
const LINEAGE_API_MAX = 25;

/** Every record of the index in its API shape; a view is built once per index and answers any number of lookups. */
export class ApiView {
  readonly index: JournalIndex;
  readonly #assets: SiteAssets;
  readonly #base: string;
  readonly #pagesOf = new Map<string, Page[]>();
  readonly #entries: Map<string, Entry>;
  readonly #notebooks: Map<string, Notebook>;
  readonly #pages: Map<string, Page>;
  readonly #parents = new Map<string, { from: string; kind: string }[]>();
  readonly #children = new Map<string, { to: string; kind: string }[]>();

  constructor(index: JournalIndex, lineage: LineageGraph, assets: SiteAssets, base: string) {
    this.index = index;
    this.#assets = assets;
    this.#base = base;
    for (const page of index.pages) {
      const list = this.#pagesOf.get(page.notebook_id) ?? [];
      list.push(page);
      this.#pagesOf.set(page.notebook_id, list);
    }
    this.#entries = new Map(index.entries.map((e) => [e.id, e]));
    this.#notebooks = new Map(index.notebooks.map((n) => [n.id, n]));
    this.#pages = new Map(index.pages.map((p) => [p.id, p]));
    for (const edge of lineage.edges) {
      this.#parents.set(edge.to, [...(this.#parents.get(edge.to) ?? []), { from: edge.from, kind: edge.kind }]);
      this.#children.set(edge.from, [...(this.#children.get(edge.from) ?? []), { to: edge.to, kind: edge.kind }]);
    }
  }

  /** `api/notebooks.json`. */
  notebooks() {
    const base = this.#base;
    return { notebooks: this.index.notebooks.map(({ overview: _overview, source: _source, ...n }) => ({ ...n, url: `${base}notebooks/${n.id}/` })) };
  }

  /** `api/notebooks/<id>.json`, or null for an unknown id. */
  notebook(id: string) {
    const notebook = this.#notebooks.get(id);
    if (!notebook) return null;
    const base = this.#base;
    const pages = (this.#pagesOf.get(notebook.id) ?? []).map(({ narrative: _n, source: _s, ...p }) => ({
      ...p,
      url: `${base}pages/${p.id}/`,
      api: `${base}api/pages/${p.id}.json`,
    }));
    return { notebook: { ...notebook, url: `${base}notebooks/${notebook.id}/` }, pages };
  }

  /** `api/pages/<id>.json`, or null for an unknown id. */
  page(id: string) {
    const page = this.#pages.get(id);
    if (!page) return null;
    const base = this.#base;
    const entries = page.entry_ids
      .map((e) => this.#entries.get(e))
      .filter((e): e is Entry => !!e)
      .map((e) => ({
        id: e.id,
        title: e.title,
        type: e.type,
        status: e.status,
        created: e.created,
        tags: e.metadata.tags,
        rating: e.metadata.rating,
        url: `${base}entries/${e.id}/`,
        api: `${base}api/entries/${e.id}.json`,
      }));
    return { page: { ...page, url: `${base}pages/${page.id}/` }, entries };
  }

  /** `api/entries/<id>.json`, or null for an unknown id. */
  entry(id: string) {
    const e = this.#entries.get(id);
    if (!e) return null;
    const base = this.#base;
    return {
      ...e,
      url: `${base}entries/${e.id}/`,
      artifacts: e.artifacts.map((a) => {
        const hex = blobHex(a.hash) ?? '';
        return {
          ...a,
          url: this.#assets.blobs[hex] ? `${base}blobs/${publishedBlobPath(this.#assets.blobs[hex])}` : null,
          thumbnail_url: this.#assets.thumbs[hex] ? `${base}thumbs/${this.#assets.thumbs[hex]}` : null,
        };
      }),
    };
  }

  /**
   * `api/entries/<id>/lineage.json` (nearest first, at most LINEAGE_API_MAX each way, `depth` generations
   * each way when given), or null for an unknown id.
   */
  lineage(id: string, depth = Infinity) {
    if (!this.#entries.has(id)) return null;
    const edges = new Map<string, { from: string; to: string; kind: string }>();
    const truncated = { ancestors: false, descendants: false };
    // Breadth-first, nearest first, and capped: over a 10,000-deep chain every entry's file
    // listing all of its lineage would make the API quadratic in size and time.
    const walk = (start: string, up: boolean): string[] => {
      const seen = new Set<string>([start]);
      const queue: [string, number][] = [[start, 0]];
      for (let qi = 0; qi < queue.length; qi++) {
        if (seen.size > LINEAGE_API_MAX) {
          truncated[up ? 'ancestors' : 'descendants'] = true;
          break;
        }
        const [at, level] = queue[qi]!;
        if (level >= depth) continue;
        const next = up
          ? (this.#parents.get(at) ?? []).map((p) => ({ other: p.from, edge: { from: p.from, to: at, kind: p.kind } }))
          : (this.#children.get(at) ?? []).map((c) => ({ other: c.to, edge: { from: at, to: c.to, kind: c.kind } }));
        for (const { other, edge } of next) {
          edges.set(`${edge.from}>${edge.to}>${edge.kind}`, edge);
          if (!seen.has(other)) {
            seen.add(other);
            queue.push([other, level + 1]);
          }
        }
      }
      seen.delete(start);
      return [...seen];
    };
    const list = (ids: string[]) =>
      ids
        .map((i) => this.#entries.get(i))
        .filter((e): e is Entry => !!e)
        .map((e) => ({ id: e.id, title: e.title, type: e.type, status: e.status }));
    return {
      entry_id: id,
      ancestors: list(walk(id, true)),
      descendants: list(walk(id, false)),
      edges: [...edges.values()].sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1)),
      ...(truncated.ancestors || truncated.descendants ? { truncated } : {}),
    };
  }

  /** Where an artifact's or log's blob lies under `content/blobs/` (hex digest → relative path), or null when no entry links it. */
  blobFile(hex: string): string | null {
    return this.#assets.blobs[hex] ?? null;
  }

  /** `api/tags.json`. */
  tags() {
    return { tags: this.index.tags };
  }
}

/** Every API file of the static build, sorted by path. */
export function buildApi(index: JournalIndex, lineage: LineageGraph, assets: SiteAssets, base: string): ApiFile[] {
  return [...apiFiles(index, lineage, assets, base)].sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Every API file of the static build, one at a time: a writer holds one file's text, not all of them. */
export function* apiFiles(index: JournalIndex, lineage: LineageGraph, assets: SiteAssets, base: string): Generator<ApiFile> {
  const view = new ApiView(index, lineage, assets, base);
  const file = (p: string, value: unknown): ApiFile => ({ path: p, json: apiJson(value) });
  yield file('notebooks.json', view.notebooks());
  for (const notebook of index.notebooks) yield file(`notebooks/${notebook.id}.json`, view.notebook(notebook.id));
  for (const page of index.pages) yield file(`pages/${page.id}.json`, view.page(page.id));
  for (const entry of index.entries) {
    yield file(`entries/${entry.id}.json`, view.entry(entry.id));
    yield file(`entries/${entry.id}/lineage.json`, view.lineage(entry.id));
  }
  yield file('tags.json', view.tags());
}

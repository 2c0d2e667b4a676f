/**
 * The SDK: a journal workspace as a typed library. The CLI is a thin layer over
 * this; everything the CLI does can be done from code.
 */
import path from 'node:path';
import type { NewNotebook, NewPage } from '../core/authoring.ts';
import { type CompileOptions, compile } from '../core/compile.ts';
import type { LabConfig } from '../core/config.ts';
import { type Diagnostic, hasErrors, LabError, sortDiagnostics, UsageError } from '../core/diagnostics.ts';
import { didYouMean } from '../core/entry-types.ts';
import type { LineageTree } from '../core/lineage-query.ts';
import type { CompileResult, Entry, JournalIndex, Notebook, Page } from '../core/model.ts';
import { findEntry, findNotebook, findPage } from '../core/resolve.ts';
import type { ExecuteOptions, RunResult } from '../core/run-types.ts';
import type { SearchFilters, SearchHit } from '../core/search.ts';
import type { EntryTypeInfo, WorkspaceServices } from '../core/services.ts';

// Heavier modules (yaml, zod, MiniSearch, isomorphic-git) load on first use, so
// short commands start fast.
const authoring = () => import('../core/authoring.ts');

export { findWorkspaceRoot } from '../core/workspace-root.ts';

export class Workspace {
  readonly root: string;
  /** What the layers above core give this workspace (see WorkspaceServices). */
  readonly services: WorkspaceServices;
  #result: CompileResult | null = null;

  constructor(root: string, services: WorkspaceServices = {}) {
    this.root = root;
    this.services = services;
  }

  /** Builds the journal's site into `out` (default `dist/`): compile, Astro, thumbnails, JSON API, search. */
  async build(options: { out?: string; allowErrors?: boolean; quiet?: boolean; force?: boolean } = {}): Promise<import('../site/build.ts').BuildTimings> {
    return (await import('../site/build.ts')).buildSite({ root: this.root, ...options });
  }

  /**
   * `lab serve`: the live site, the REST API (`/api/openapi.json`), run events over WebSocket and the
   * lab app, on 127.0.0.1. Every write it makes is the file write the CLI makes.
   */
  async serve(options: Omit<import('../serve/server.ts').ServeOptions, 'root'> = {}): Promise<import('../serve/server.ts').LabServer> {
    return (await import('../serve/server.ts')).startServer({ root: this.root, ...options });
  }

  /** Starts Astro's dev server on the journal (live reload on edits under content/ and lab/). */
  async dev(options: { port?: number; host?: string } = {}): Promise<import('../site/serve-site.ts').RunningSite> {
    return (await import('../site/serve-site.ts')).devSite({ root: this.root, ...options });
  }

  /** Serves the built site as it will be published. */
  async preview(options: { port?: number; host?: string; out?: string } = {}): Promise<import('../site/serve-site.ts').RunningSite> {
    return (await import('../site/serve-site.ts')).previewSite({ root: this.root, ...options });
  }

  async config(): Promise<LabConfig> {
    return (await import('../core/config.ts')).readConfig(this.root);
  }

  /** Compiles content/ into .lab/ (incremental) and remembers the result. */
  async compile(options: CompileOptions = {}): Promise<CompileResult> {
    this.#result = await compile(this.root, { entryTypes: this.services.entryTypes?.(), sessions: this.services.sessions, ...options });
    return this.#result;
  }

  /** The compiled index (compiling if this handle has not yet). */
  async index(): Promise<JournalIndex> {
    return (this.#result ?? (await this.compile())).index;
  }

  /** Every problem in the journal and in lab.config.yaml; `fix` first assigns missing entry ids. */
  async check(options: { fix?: boolean } = {}): Promise<{ diagnostics: Diagnostic[]; ok: boolean; fixed: { file: string; id: string }[] }> {
    let result = await this.compile();
    let fixed: { file: string; id: string }[] = [];
    if (options.fix) {
      fixed = (await (await import('../core/fix.ts')).fixDiagnostics(this.root, result.diagnostics)).fixed;
      if (fixed.length) result = await this.compile();
    }
    const { configDiagnostics } = await import('../core/config.ts');
    const diagnostics = sortDiagnostics([...(await configDiagnostics(this.root)), ...result.diagnostics]);
    return { diagnostics, ok: !hasErrors(diagnostics), fixed };
  }

  async notebooks(): Promise<NotebookHandle[]> {
    return (await this.index()).notebooks.map((n) => new NotebookHandle(this, n));
  }

  async notebook(ref: string): Promise<NotebookHandle> {
    return new NotebookHandle(this, findNotebook(await this.index(), ref));
  }

  async page(ref: string, notebookRef?: string): Promise<PageHandle> {
    return new PageHandle(this, findPage(await this.index(), ref, notebookRef));
  }

  /** An entry by id or path (relative to `cwd`, default the workspace root). */
  async entry(ref: string, cwd: string = this.root): Promise<EntryHandle> {
    return new EntryHandle(this, findEntry(await this.index(), ref, this.root, cwd));
  }

  async createNotebook(title: string, options: Omit<NewNotebook, 'title'> = {}): Promise<NotebookHandle> {
    const file = await (await authoring()).createNotebookFile(this.root, await this.index(), { title, ...options });
    return this._created(file, (i) => i.notebooks, NotebookHandle);
  }

  /** Ranked full-text search (MiniSearch) with filters. */
  async search(query: string, filters: SearchFilters = {}): Promise<SearchHit[]> {
    const index = await this.index();
    return (await import('../core/search.ts')).searchIndex(index, query, filters, index.sessions ?? []);
  }

  /**
   * What the workspace knows about an entry type (null when it was opened
   * without entry types). An unknown type is a usage error with a "did you mean".
   */
  async entryType(type: string): Promise<EntryTypeInfo | null> {
    const names = this.services.entryTypes?.().names;
    if (names && !names.has(type)) {
      throw new UsageError(`unknown entry type \`${type}\`${didYouMean(type, names)}; known types: ${[...names].sort().join(', ')}`);
    }
    return (await this.services.describeType?.(type)) ?? null;
  }

  /** @internal Recompiles and returns the handle of a file just created. */
  async _created<R extends { source: { path: string } }, H>(
    file: string,
    pickList: (i: JournalIndex) => R[],
    Handle: new (ws: Workspace, r: R) => H,
  ): Promise<H> {
    await this.compile();
    const rel = path.relative(this.root, file).split(path.sep).join('/');
    const record = pickList(await this.index()).find((r) => r.source.path === rel);
    if (!record) {
      const problems = (this.#result?.diagnostics ?? []).filter((d) => d.file === rel);
      throw new LabError(`created ${rel} but it does not compile`, { diagnostics: problems });
    }
    return new Handle(this, record);
  }
}

/** What every handle holds: its workspace and the compiled record it stands for. */
class RecordHandle<R> {
  readonly workspace: Workspace;
  readonly record: R;
  constructor(workspace: Workspace, record: R) {
    this.workspace = workspace;
    this.record = record;
  }
}

export class NotebookHandle extends RecordHandle<Notebook> {
  async createPage(title: string, options: Omit<NewPage, 'title'> = {}): Promise<PageHandle> {
    const file = await (await authoring()).createPageFile(this.workspace.root, await this.workspace.index(), this.record, { title, ...options });
    return this.workspace._created(file, (i) => i.pages, PageHandle);
  }
}

export interface CreateEntryOptions {
  title: string;
  /** `key=value` strings or an object, applied to `inputs.parameters`. */
  params?: string[] | Record<string, unknown>;
  /** Other inputs: `name=value` strings or an object. */
  inputs?: string[] | Record<string, unknown>;
  parent?: string;
  tags?: string[];
  notes?: string;
}

export class PageHandle extends RecordHandle<Page> {
  /**
   * A new entry of `type` (refused when the workspace knows its types and this
   * is not one). With no inputs given, the type's commented inputs template is
   * written for the user to fill in.
   */
  async createEntry(type: string, options: CreateEntryOptions): Promise<EntryHandle> {
    const { createEntryFile, parseAssignment, setPath } = await authoring();
    const info = await this.workspace.entryType(type);
    const inputs: Record<string, unknown> = {};
    for (const [target, spec] of [
      [[], options.inputs],
      [['parameters'], options.params],
    ] as const) {
      if (Array.isArray(spec)) {
        for (const a of spec) {
          const { path: p, value } = parseAssignment(a, target.length > 0, target.length > 0 && info?.flatParameterKeys);
          setPath(inputs, [...target, ...p], value);
        }
      } else if (spec) for (const [k, v] of Object.entries(spec)) setPath(inputs, [...target, k], v);
    }
    const { file } = await createEntryFile(this.workspace.root, await this.workspace.index(), this.record, {
      type,
      title: options.title,
      inputs,
      parent: options.parent,
      tags: options.tags,
      notes: options.notes,
      inputsTemplate: Object.keys(inputs).length ? undefined : info?.inputsTemplate,
    });
    return this.workspace._created(file, (i) => i.entries, EntryHandle);
  }
}

export class EntryHandle extends RecordHandle<Entry> {
  get absPath(): string {
    return path.join(this.workspace.root, this.record.source.path);
  }

  /**
   * A new entry in the same page: inputs deep-merged with `key=value` overrides (and `inputOverrides`, an
   * object merged the same way); `parent` and `variation_of` set.
   */
  async createVariation(options: { title: string; overrides?: string[]; inputOverrides?: Record<string, unknown>; tags?: string[] }): Promise<EntryHandle> {
    const info = await this.workspace.entryType(this.record.type).catch(() => null);
    const { file } = await (await authoring()).createVariationFile(this.workspace.root, await this.workspace.index(), this.record, {
      title: options.title,
      overrides: options.overrides ?? [],
      tags: options.tags,
      flatParameterKeys: info?.flatParameterKeys,
      inputKeys: info?.inputKeys,
      // Each top-level override is one assignment: an object value deep-merges into the original's.
      assignments: Object.entries(options.inputOverrides ?? {}).map(([key, value]) => ({ path: [key], value })),
    });
    return this.workspace._created(file, (i) => i.entries, EntryHandle);
  }

  /**
   * Runs the entry and writes its results back into the file — the same as
   * `lab run <entry>`. Recompiles the workspace afterwards.
   */
  async execute(options: Omit<ExecuteOptions, 'root'> = {}): Promise<RunResult> {
    const execute = this.workspace.services.execute;
    if (!execute) throw new LabError("this workspace was opened without a runner; open it with the SDK's openWorkspace to run entries");
    const result = await execute(this.absPath, { ...options, root: this.workspace.root });
    await this.workspace.compile();
    return result;
  }

  /** Ancestors and descendants up to `depth` levels. */
  async lineage(depth = Infinity): Promise<LineageTree> {
    return (await import('../core/lineage-query.ts')).lineageTree(await this.workspace.index(), this.record.id, depth);
  }
}

/**
 * The journal as the server sees it: one SDK workspace, recompiled (incrementally) when a file under
 * content/ changes — whoever changed it — and the API view of the last compile.
 */
import { type FSWatcher, promises as fs, watch } from 'node:fs';
import path from 'node:path';
import { sha256 } from '../core/hash.ts';
import type { CompileResult } from '../core/model.ts';
import { journalServices } from '../sdk/journal.ts';
import { Workspace } from '../sdk/workspace.ts';
import { ApiView } from '../site/api.ts';
import { planAssets } from '../site/assets.ts';
import { resolveSiteLocation } from '../site/config.ts';

export class JournalState {
  readonly workspace: Workspace;
  readonly root: string;
  /** The site's base path; URLs inside API responses start with it, as in the static API files. */
  readonly base: string;
  #generation = 0;
  #compiled = -1;
  #view: ApiView | null = null;
  #result: CompileResult | null = null;
  #compiling: Promise<void> | null = null;
  #watcher: FSWatcher | null = null;
  #compileStarted = 0;
  /** When the compile that produced the current result began (a later compile may have begun since). */
  #resultStarted = 0;
  #lock: Promise<unknown> = Promise.resolve();
  readonly #listeners = new Set<(file: string) => void>();

  constructor(root: string) {
    this.root = root;
    this.workspace = new Workspace(root, journalServices); // the SDK's wiring: entry types, sessions, the runner
    this.base = resolveSiteLocation(root, { base: '/' }).base;
  }

  /** Starts watching content/ so edits made anywhere (an editor, `lab run`, git) are seen. */
  watch(): void {
    try {
      this.#watcher = watch(path.join(this.root, 'content'), { recursive: true }, (_event, name) => {
        this.invalidate();
        if (name) for (const l of this.#listeners) l(`content/${String(name).split(path.sep).join('/')}`);
      });
      this.#watcher.on('error', () => this.#watcher?.close());
    } catch {
      /* no watcher: every write still invalidates */
    }
  }

  /** Calls `listener` with the workspace-relative path of each changed file. */
  onChange(listener: (file: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#watcher?.close();
  }

  /** The next read recompiles. */
  invalidate(): void {
    this.#generation++;
  }

  /** The compiled journal (recompiling first when something changed). */
  async result(): Promise<CompileResult> {
    while (this.#compiled !== this.#generation) {
      if (!this.#compiling) {
        const target = this.#generation;
        this.#compiling = (async () => {
          try {
            const started = Date.now();
            this.#compileStarted = started;
            this.#result = await this.exclusive(() => this.workspace.compile());
            this.#resultStarted = started;
            this.#view = null;
            this.#compiled = target;
          } finally {
            this.#compiling = null;
          }
        })();
      }
      await this.#compiling;
    }
    return this.#result!;
  }

  /** The API view of the compiled journal (the static API's serializer). */
  async view(): Promise<ApiView> {
    const result = await this.result();
    if (!this.#view) this.#view = new ApiView(result.index, result.lineage, planAssets(this.root, result.index).assets, this.base);
    return this.#view;
  }

  /**
   * Runs `fn` alone: writes (and the compiles they trigger) never interleave, so two clients creating
   * entries in one page get two numbers, not a collision.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#lock.then(fn, fn);
    this.#lock = next.catch(() => {});
    return next;
  }

  /**
   * The view together with the hash of `relPath` as that view read it: recompiles until the file has not
   * changed since the compile began, so an ETag never vouches for bytes the body does not show.
   */
  async viewWithHash(relPath: string): Promise<{ view: ApiView; hash: string | null }> {
    for (let attempt = 0; ; attempt++) {
      const view = await this.view();
      // Read in the same tick as the view: the start of the compile that made this view, not of a later one.
      const started = this.#resultStarted;
      const hash = await this.fileHash(relPath);
      const stat = await fs.stat(this.abs(relPath)).catch(() => null);
      // mtime before the compile began: the compile read exactly the bytes just hashed.
      if (!stat || stat.mtimeMs < started - 2) return { view, hash };
      // A file saved again and again faster than it compiles: an ETag that matches no file, so a write
      // based on this body is refused (409) and the client reads again, rather than vouching for bytes
      // the body may not show.
      if (attempt >= 5) return { view, hash: hash && `${hash}-unsettled` };
      this.invalidate();
    }
  }

  /** Recompiles on the next read if `relPath` changed after the last compile began (the watcher may lag). */
  async refreshIfChanged(relPath: string): Promise<void> {
    const stat = await fs.stat(this.abs(relPath)).catch(() => null);
    if (!stat || stat.mtimeMs >= this.#compileStarted - 2) this.invalidate();
  }

  /** `sha256:…` of a source file's bytes (its ETag), or null when it is gone. */
  async fileHash(relPath: string): Promise<string | null> {
    return fs.readFile(this.abs(relPath)).then(sha256, () => null);
  }

  abs(relPath: string): string {
    return path.join(this.root, ...relPath.split('/'));
  }
}

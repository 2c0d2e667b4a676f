/**
 * Where the site lives: `site` (origin) and `base` (sub-path) for GitHub Pages project sites.
 * Precedence: `LAB_SITE` / `LAB_BASE` environment, then `site` / `base` in `lab.config.yaml`,
 * then the defaults passed by astro.config.mjs. Also resolves which workspace the site shows.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface SiteLocation {
  /** Origin, e.g. `https://me.github.io`; undefined when unknown. */
  site: string | undefined;
  /** Sub-path with leading and trailing slash, e.g. `/my-journal/`. */
  base: string;
  /** Journal name from `lab.config.yaml` (`name`), shown in the header. */
  name: string;
  /** Web URL of the repository (`repository`), for "view source" links. */
  repository: string | undefined;
  /** `publish:` in lab.config.yaml: what the site may show about the machines entries ran on. */
  publish: { host: boolean; absolute_paths: boolean };
}

/** The workspace the site is built from: `LAB_ROOT` or the current directory. */
export function workspaceRoot(): string {
  return path.resolve(process.env.LAB_ROOT || process.cwd());
}

/** Reads `lab.config.yaml` leniently: the site must build even when it is missing. */
function readLabConfig(root: string): Record<string, unknown> {
  const file = path.join(root, 'lab.config.yaml');
  if (!existsSync(file)) return {};
  try {
    const value = parse(readFileSync(file, 'utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** `/x` → `/x/`, `` → `/`. */
export function normalizeBase(base: string | undefined): string {
  let b = (base ?? '/').trim();
  if (!b.startsWith('/')) b = '/' + b;
  if (!b.endsWith('/')) b += '/';
  return b.replace(/\/{2,}/g, '/');
}

export function resolveSiteLocation(root: string, defaults: { site?: string; base?: string } = {}): SiteLocation {
  const config = readLabConfig(root);
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  return {
    site: str(process.env.LAB_SITE) ?? httpUrl(str(config.site)) ?? defaults.site,
    base: normalizeBase(str(process.env.LAB_BASE) ?? str(config.base) ?? defaults.base),
    name: str(config.name) ?? 'Lab journal',
    repository: httpUrl(str(config.repository)),
    publish: {
      host: (config.publish as { host?: unknown } | undefined)?.host === true,
      absolute_paths: (config.publish as { absolute_paths?: unknown } | undefined)?.absolute_paths === true,
    },
  };
}

/**
 * The URL if it is http(s), else undefined: values from the journal become
 * links on every page, and a `javascript:` one would run script when clicked.
 */
function httpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
}

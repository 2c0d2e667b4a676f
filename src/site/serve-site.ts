/**
 * `lab dev` and `lab preview`: Astro's dev server (live reload on edits under content/, lab/ and
 * lab.config.yaml — the content loader watches them) and its static preview of `dist/`, for the
 * journal at `root`. Each picks a free port from the one asked for, so two journals can be
 * served at once.
 */
import { createServer } from 'node:net';
import path from 'node:path';
import { assertSiteToolchain, astroConfig } from './astro-config.ts';
import { resolveSiteLocation } from './config.ts';

/** Options of {@link devSite} and {@link previewSite}. */
export interface ServeSiteOptions {
  /** The journal workspace. */
  root: string;
  /** First port to try (default 4321); the next free one is taken when it is busy. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** For preview: the built site (default `<root>/dist`). */
  out?: string;
}

/** A running server: its URL and how to stop it. */
export interface RunningSite {
  url: string;
  stop(): Promise<void>;
}

/** The first port from `start` on which `host` accepts a listener. */
export async function freePort(start: number, host: string): Promise<number> {
  for (let port = start; port < start + 100; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, host, () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port between ${start} and ${start + 99} on ${host}`);
}

function settings(options: ServeSiteOptions) {
  const root = path.resolve(options.root);
  process.env.LAB_ROOT = root;
  assertSiteToolchain(root);
  const location = resolveSiteLocation(root);
  const out = path.resolve(options.out ?? path.join(root, 'dist'));
  return { root, location, out, host: options.host ?? '127.0.0.1' };
}

function urlOf(host: string, port: number, base: string): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}${base}`;
}

/** Starts Astro's dev server on the journal. */
export async function devSite(options: ServeSiteOptions): Promise<RunningSite> {
  const { root, location, out, host } = settings(options);
  const port = await freePort(options.port ?? 4321, host);
  const { dev } = await import('astro');
  const server = await dev({ ...astroConfig({ root, out, location }), server: { port, host }, logLevel: 'warn' });
  return { url: urlOf(host, server.address.port, location.base), stop: () => server.stop() };
}

/** Serves the built site (`lab build` first) as it will be published. */
export async function previewSite(options: ServeSiteOptions): Promise<RunningSite> {
  const { root, location, out, host } = settings(options);
  const port = await freePort(options.port ?? 4321, host);
  const { preview } = await import('astro');
  const server = await preview({ ...astroConfig({ root, out, location }), server: { port, host }, logLevel: 'warn' });
  return { url: urlOf(host, server.port, location.base), stop: () => server.stop() };
}

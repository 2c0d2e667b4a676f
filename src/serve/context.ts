/** What every request handler gets, and the route table's types. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JournalState } from './journal-state.ts';
import type { RunRegistry } from './run-registry.ts';

export interface Limits {
  /** Largest JSON request body, bytes. */
  json: number;
  /** Largest artifact upload, bytes. */
  upload: number;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Path parameters, e.g. `{ id: 'entry-…' }` for `/api/entries/{id}`. */
  params: Record<string, string>;
  state: JournalState;
  runs: RunRegistry;
  limits: Limits;
}

type Handler = (ctx: RequestContext) => Promise<void>;

/** One endpoint: method, OpenAPI-style path template, handler. */
export interface Route {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  handler: Handler;
}

/** Finds the route for a request; `null` when none matches, `'method'` when the path exists with another method. */
export function matchRoute(routes: Route[], method: string, pathname: string): { route: Route; params: Record<string, string> } | 'method' | null {
  let pathOnly = false;
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (!params) continue;
    if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params };
    pathOnly = true;
  }
  return pathOnly ? 'method' : null;
}

function matchPath(template: string, pathname: string): Record<string, string> | null {
  const want = template.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const m = /^\{(\w+)\}$/.exec(want[i]!);
    if (m) {
      if (!got[i]) return null;
      try {
        params[m[1]!] = decodeURIComponent(got[i]!);
      } catch {
        return null;
      }
    } else if (want[i] !== got[i]) return null;
  }
  return params;
}

/**
 * The part of Astro's virtual `astro:content` module the site uses, declared so that
 * `tsc` (which does not know Astro's virtual modules) can check src/site/*.ts.
 */
declare module 'astro:content' {
  export function getCollection(collection: string): Promise<{ id: string; data: Record<string, unknown> }[]>;
}

/** Vite's `import.meta.env`, as far as src/site uses it. */
interface ImportMeta {
  readonly env?: { readonly BASE_URL?: string; readonly DEV?: boolean; readonly [key: string]: unknown };
}

/**
 * Relative links and images in a note (`./figure.png`, `../002-run.md`, `[[file:data.csv]]`
 * already resolved) point at what they name on the site: another note's page, or the
 * published, content-addressed copy of the file. Runs before sanitizing; a target that
 * does not exist keeps its link as written.
 */
import path from 'node:path';
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { RenderContext } from './context.ts';

const RELATIVE = /^(?![a-z][a-z0-9+.-]*:|\/|#)/i;

export function rehypeRelativeLinks() {
  return (tree: Root, file: VFile) => {
    const ctx = (file.data.render ?? {}) as RenderContext;
    if (!ctx.links || !ctx.sourcePath) return;
    const dir = path.posix.dirname(ctx.sourcePath);
    visit(tree, 'element', (node: Element) => {
      const key = node.tagName === 'a' ? 'href' : node.tagName === 'img' ? 'src' : null;
      const value = key && node.properties[key];
      if (typeof value !== 'string' || !value || !RELATIVE.test(value)) return;
      const [target, hash] = value.split('#');
      let rel: string;
      try {
        rel = path.posix.normalize(path.posix.join(dir, decodeURI(target!)));
      } catch {
        return;
      }
      const url = ctx.links!.fileUrl(rel);
      if (url) node.properties[key!] = hash ? `${url}#user-content-${hash}` : url;
    });
  };
}

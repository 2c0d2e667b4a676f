/**
 * Mermaid diagrams drawn at build time by beautiful-mermaid (pure JavaScript, no
 * browser): flowcharts, state, sequence, class and ER diagrams become an SVG image.
 * Kinds it does not draw (gantt, pie, mindmap …) stay as `<pre class="mermaid">` with
 * the source, which a page may hand to Mermaid's own script if it chooses to load it.
 */

import { renderMermaidSVG } from 'beautiful-mermaid';
import type { Element } from 'hast';

export function renderMermaid(source: string): Element {
  const text = source.replace(/\s+$/, '');
  let svg: string | null = null;
  try {
    svg = renderMermaidSVG(text);
  } catch {
    svg = null;
  }
  const sourceBlock: Element = { type: 'element', tagName: 'pre', properties: { className: ['mermaid'] }, children: [{ type: 'text', value: text }] };
  if (!svg) return sourceBlock;
  // As an <img>, the SVG cannot run script or fetch anything, whatever the diagram's text says.
  const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  const first = text.split('\n')[0]!.trim();
  return {
    type: 'element',
    tagName: 'figure',
    properties: { className: ['mermaid-diagram'] },
    children: [
      { type: 'element', tagName: 'img', properties: { src, alt: `Diagram (${first}); its source follows` }, children: [] },
      {
        type: 'element',
        tagName: 'details',
        properties: {},
        children: [{ type: 'element', tagName: 'summary', properties: {}, children: [{ type: 'text', value: 'Diagram source' }] }, sourceBlock],
      },
    ],
  };
}

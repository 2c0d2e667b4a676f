/**
 * Draws a laid-out lineage graph as an inline SVG string (a `<figure>`): nodes are links to
 * entries with an optional thumbnail, `variation_of` edges dashed, `derives_from` solid, the
 * current entry highlighted, entries on other pages with a dashed border. Built as a string
 * rather than an Astro component because a 10,000-entry journal draws 10,000 of them.
 */
import { NODE_HEIGHT, NODE_WIDTH, type LaidOutGraph } from './lineage.ts';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);
const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

export interface LineageLinks {
  /** URL of an entry page. */
  entry(id: string): string;
  /** URL of a base-relative asset (thumbnail). */
  asset(rel: string): string;
}

export function lineageSvg(graph: LaidOutGraph, label: string, links: LineageLinks): string {
  let h = 7;
  for (const c of label) h = (h * 31 + c.charCodeAt(0)) | 0;
  const uid = `lg${Math.abs(h)}`;
  const out: string[] = [];
  out.push(
    `<figure class="lineage" data-pagefind-ignore><svg width="${graph.width}" height="${graph.height}" viewBox="0 0 ${graph.width} ${graph.height}" role="group" aria-label="${esc(label)}">`,
    `<defs><marker id="${uid}-a" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="var(--muted)"/></marker>`,
    `<marker id="${uid}-v" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="var(--accent)"/></marker></defs>`,
  );
  for (const e of graph.edges) {
    const v = e.kind === 'variation_of';
    out.push(`<path class="edge ${e.kind}" d="${e.d}" marker-end="url(#${uid}-${v ? 'v' : 'a'})"><title>${v ? 'variation of' : 'derives from'}</title></path>`);
  }
  for (const n of graph.nodes) {
    const x = n.x - NODE_WIDTH / 2;
    const y = n.y - NODE_HEIGHT / 2;
    const tx = n.thumb ? x + 60 : x + 12;
    const chars = n.thumb ? 20 : 26;
    const name = `${n.title} (${n.type}, ${n.status})${n.current ? ', this entry' : ''}`;
    out.push(
      `<a href="${esc(links.entry(n.id))}" aria-label="${esc(name)}"${n.current ? ' aria-current="page"' : ''}>`,
      `<g class="node${n.current ? ' current' : ''}${n.external ? ' external' : ''}"><title>${esc(n.title)}</title>`,
      `<rect class="box" x="${x}" y="${y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="10"/>`,
      n.thumb ? `<image href="${esc(links.asset(n.thumb.src))}" x="${x + 6}" y="${y + 6}" width="48" height="48" preserveAspectRatio="xMidYMid slice"/>` : '',
      `<text x="${tx}" y="${y + 25}">${esc(clip(n.title, chars))}</text>`,
      `<circle class="dot-${esc(n.status)}" cx="${tx + 4}" cy="${y + 41}" r="4"/>`,
      `<text class="sub" x="${tx + 13}" y="${y + 45}">${esc(clip(`${n.type} · ${n.status}`, chars))}</text></g></a>`,
    );
  }
  out.push(
    '</svg><figcaption class="legend">',
    '<span><svg width="34" height="8" aria-hidden="true"><line x1="0" y1="4" x2="34" y2="4" stroke="var(--muted)" stroke-width="2"/></svg> derives from</span>',
    '<span><svg width="34" height="8" aria-hidden="true"><line x1="0" y1="4" x2="34" y2="4" stroke="var(--accent)" stroke-width="2" stroke-dasharray="6 4"/></svg> variation of</span>',
    '<span>Dashed box: on another page</span></figcaption></figure>',
  );
  return out.join('');
}

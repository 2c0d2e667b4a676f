/**
 * Draws a laid-out lineage graph as an inline SVG string (a `<figure>`): nodes are links to
 * entries with an optional thumbnail, `variation_of` edges dashed, `derives_from` solid, the
 * current entry highlighted, entries on other pages with a dashed border. Built as a string
 * rather than an Astro component because a 10,000-entry journal draws 10,000 of them.
 */
import { type LaidOutGraph, NODE_HEIGHT, NODE_WIDTH } from './lineage.ts';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

export interface LineageLinks {
  /** URL of an entry page. */
  entry(id: string): string;
  /** URL of a base-relative asset (thumbnail). */
  asset(rel: string): string;
  /** Where a folded node of unrelated entries leads (the page's timeline); without it, nowhere. */
  more?: string;
}

/**
 * The title on up to two lines, broken at a space; whatever does not fit stays in the second line,
 * clipped by the box, so the text (and the link's name) is always the whole title.
 */
function titleText(title: string, x: number, y: number, perLine: number, clip: string): string {
  if (title.length <= perLine) return `<text x="${x}" y="${y + 24}" clip-path="url(#${clip})">${esc(title)}</text>`;
  let cut = title.lastIndexOf(' ', perLine);
  if (cut < perLine / 2) cut = perLine;
  const first = title.slice(0, cut).trimEnd();
  const rest = title.slice(cut).trimStart();
  return `<text x="${x}" y="${y + 18}" clip-path="url(#${clip})"><tspan x="${x}">${esc(first)}</tspan> <tspan x="${x}" dy="14">${esc(rest)}</tspan></text>`;
}

export function lineageSvg(graph: LaidOutGraph, label: string, links: LineageLinks): string {
  let h = 7;
  for (const c of label) h = (h * 31 + c.charCodeAt(0)) | 0;
  const uid = `lg${Math.abs(h)}`;
  const out: string[] = [];
  out.push(
    `<figure class="lineage" data-pagefind-ignore data-lineage>`,
    `<div class="lineage-tools" hidden><button type="button" data-zoom="in" aria-label="Zoom in">+</button><button type="button" data-zoom="out" aria-label="Zoom out">−</button><button type="button" data-zoom="fit">Fit</button>${graph.nodes.some((n) => n.current) ? '<button type="button" data-zoom="current">This entry</button>' : ''}</div>`,
    `<div class="lineage-view"><svg width="${graph.width}" height="${graph.height}" viewBox="0 0 ${graph.width} ${graph.height}" role="group" aria-label="${esc(label)}" data-w="${graph.width}" data-h="${graph.height}">`,
    `<defs><marker id="${uid}-a" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="var(--muted)"/></marker>`,
    `<marker id="${uid}-v" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="var(--accent)"/></marker></defs>`,
  );
  for (const e of graph.edges) {
    const v = e.kind === 'variation_of';
    out.push(`<path class="edge ${e.kind}" d="${e.d}" marker-end="url(#${uid}-${v ? 'v' : 'a'})"><title>${v ? 'variation of' : 'derives from'}</title></path>`);
  }
  graph.nodes.forEach((n, i) => {
    const x = n.x - NODE_WIDTH / 2;
    const y = n.y - NODE_HEIGHT / 2;
    const tx = n.thumb ? x + 60 : x + 12;
    const sub = !n.cluster ? `${n.type} · ${n.status}` : n.cluster.of ? 'folded: open the parent to see them' : 'folded: listed in the timeline';
    const target = !n.cluster ? links.entry(n.id) : n.cluster.of ? `${links.entry(n.cluster.of)}#h-lineage` : (links.more ?? '#view-timeline');
    // Full titles, clipped to the box by a clip path rather than cut in the text: the link's
    // accessible name is then the whole title, the same words a sighted reader sees.
    const clip = `${uid}-c${i}`;
    out.push(
      `<a href="${esc(target)}"${n.current ? ' aria-current="page"' : ''}>`,
      `<title>${esc(n.title)} ${esc(sub)}</title>`,
      `<clipPath id="${clip}"><rect x="${tx}" y="${y}" width="${x + NODE_WIDTH - 8 - tx}" height="${NODE_HEIGHT}"/></clipPath>`,
      `<g class="node${n.current ? ' current' : ''}${n.external ? ' external' : ''}${n.cluster ? ' cluster' : ''}">`,
      `<rect class="box" x="${x}" y="${y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="10"/>`,
      n.thumb ? `<image href="${esc(links.asset(n.thumb.src))}" x="${x + 6}" y="${y + 6}" width="48" height="48" preserveAspectRatio="xMidYMid slice"/>` : '',
      titleText(n.title, tx, y, n.thumb ? 20 : 27, clip),
      `<circle class="dot-${esc(n.status)}" cx="${tx + 4}" cy="${y + 47}" r="4"/>`,
      `<text class="sub" x="${tx + 13}" y="${y + 51}" clip-path="url(#${clip})">${esc(sub)}</text></g></a>`,
    );
  });
  out.push(
    '</svg></div><figcaption class="legend">',
    '<span><svg width="34" height="8" aria-hidden="true"><line x1="0" y1="4" x2="34" y2="4" stroke="var(--muted)" stroke-width="2"/></svg> derives from</span>',
    '<span><svg width="34" height="8" aria-hidden="true"><line x1="0" y1="4" x2="34" y2="4" stroke="var(--accent)" stroke-width="2" stroke-dasharray="6 4"/></svg> variation of</span>',
    '<span>Dashed box: on another page</span></figcaption></figure>',
  );
  return out.join('');
}

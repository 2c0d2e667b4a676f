/**
 * An executed Jupyter notebook (`.ipynb`, nbformat 4) as sanitized HTML for the entry page:
 * Markdown cells rendered like notes, code cells with their outputs — streams, plain text, HTML
 * (through hast-util-sanitize, GitHub's schema: no script, no handler, no style), PNG/JPEG/GIF
 * images as data URLs, and errors with their traceback (terminal colour codes removed).
 * Nothing from the notebook runs: the only markup is what this module writes or the sanitizer keeps.
 */
import { fromHtml } from 'hast-util-from-html';
import { sanitize } from 'hast-util-sanitize';
import { toHtml } from 'hast-util-to-html';
import { renderText } from './markdown.ts';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);
/** Terminal colour and cursor codes in tracebacks. */
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const IMAGE_MAX_BASE64 = 700_000;
const TEXT_MAX = 20_000;

type Multiline = string | string[];
interface Output {
  output_type: 'stream' | 'execute_result' | 'display_data' | 'error' | string;
  name?: string;
  text?: Multiline;
  data?: Record<string, Multiline>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}
interface Cell {
  cell_type: 'markdown' | 'code' | 'raw' | string;
  source?: Multiline;
  execution_count?: number | null;
  outputs?: Output[];
}

const joined = (m: Multiline | undefined) => (Array.isArray(m) ? m.join('') : (m ?? ''));
const clipText = (s: string) => (s.length > TEXT_MAX ? `${s.slice(0, TEXT_MAX)}\n… (${s.length - TEXT_MAX} more characters)` : s);

/** Sanitized HTML of an HTML fragment from a notebook output (a pandas table, a widget's fallback). */
function safeHtml(fragment: string): string {
  return toHtml(sanitize(fromHtml(fragment, { fragment: true })));
}

function output(o: Output): string {
  if (o.output_type === 'stream') {
    return `<pre tabindex="0" class="nb-stream${o.name === 'stderr' ? ' nb-stderr' : ''}"><code>${esc(clipText(joined(o.text).replace(ANSI, '')))}</code></pre>`;
  }
  if (o.output_type === 'error') {
    const trace = (o.traceback ?? []).join('\n').replace(ANSI, '');
    return `<div class="nb-error" role="note"><strong>${esc(o.ename ?? 'Error')}</strong>: ${esc(o.evalue ?? '')}${trace ? `<pre tabindex="0"><code>${esc(clipText(trace))}</code></pre>` : ''}</div>`;
  }
  const data = o.data ?? {};
  for (const type of ['image/png', 'image/jpeg', 'image/gif']) {
    const b64 = joined(data[type]).replace(/\s+/g, '');
    if (b64 && /^[A-Za-z0-9+/=]+$/.test(b64)) {
      if (b64.length > IMAGE_MAX_BASE64) return '<p class="empty">An image too large to show inline (open the notebook file).</p>';
      const alt = joined(data['text/plain']).slice(0, 200) || 'Notebook output image';
      return `<img class="nb-image" src="data:${type};base64,${b64}" alt="${esc(alt)}" loading="lazy" decoding="async">`;
    }
  }
  if (data['text/html']) return `<div class="nb-html">${safeHtml(joined(data['text/html']))}</div>`;
  if (data['text/markdown']) return `<div class="nb-md prose">${renderText(joined(data['text/markdown']))}</div>`;
  if (data['text/plain']) return `<pre tabindex="0" class="nb-text"><code>${esc(clipText(joined(data['text/plain'])))}</code></pre>`;
  // SVG, JavaScript, widgets: shown only as what they are, never as active content.
  const types = Object.keys(data);
  return types.length ? `<p class="small muted">Output of type ${esc(types.join(', '))} (not shown).</p>` : '';
}

/** Renders notebook JSON text; null when it is not a notebook. */
export function notebookHtml(json: string): { html: string; cells: number; language: string | null } | null {
  let nb: { cells?: Cell[]; metadata?: { language_info?: { name?: string }; kernelspec?: { language?: string } } };
  try {
    nb = JSON.parse(json);
  } catch {
    return null;
  }
  if (!nb || !Array.isArray(nb.cells)) return null;
  const language = nb.metadata?.language_info?.name ?? nb.metadata?.kernelspec?.language ?? null;
  const out: string[] = ['<div class="nb">'];
  for (const cell of nb.cells) {
    const source = joined(cell.source);
    if (cell.cell_type === 'markdown') {
      out.push(`<div class="nb-cell nb-markdown prose">${renderText(source)}</div>`);
    } else if (cell.cell_type === 'code') {
      const n = cell.execution_count;
      out.push(
        '<div class="nb-cell nb-code">',
        `<div class="nb-prompt" aria-hidden="true">[${n ?? ' '}]</div>`,
        `<pre tabindex="0" class="nb-source"><code${language ? ` class="language-${esc(language)}"` : ''}>${esc(clipText(source))}</code></pre>`,
        (cell.outputs ?? []).map(output).join(''),
        '</div>',
      );
    } else if (source.trim()) {
      out.push(`<pre tabindex="0" class="nb-cell nb-raw"><code>${esc(clipText(source))}</code></pre>`);
    }
  }
  out.push('</div>');
  return { html: out.join(''), cells: nb.cells.length, language };
}

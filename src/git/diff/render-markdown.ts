/**
 * `lab diff --format md`: a pull-request comment. A hidden marker (so a workflow
 * can find and update its one comment), a one-line summary, a narrow summary
 * table (entry · what changed · result), then a collapsible block per entry and
 * per page. Never silently cut: when the comment would pass GitHub's size
 * limit, details are dropped from the end and the comment says so.
 */
import { archivedPhrase, arrow, deltaPhrase, type Row, valueRows, verdictMark } from '../describe.ts';
import { formatValue, truncate } from '../values.ts';
import { result, whatChanged } from './headline.ts';
import type { DiffArtifact, EntryDiff, JournalDiff, PageDiff } from './model.ts';
import { sideLabel, summaryLine } from './render-text.ts';

/** The hidden marker the PR workflow looks for. */
export const COMMENT_MARKER = '<!-- lab-diff -->';

/** GitHub refuses comments over 65,536 characters; keep a margin for the workflow's footer. */
const DEFAULT_MAX_CHARS = 60_000;

export interface MarkdownOptions {
  /** URL of a blob for `<img>` (workspace-relative path in, URL out); null → name only. */
  imageUrl?: (blobPath: string) => string | null;
  /** Character budget for the whole comment. */
  maxChars?: number;
  /** Shown under the title, e.g. the command that reproduces the diff. */
  footnote?: string;
  /** Images shown per entry (the rest are listed by name). */
  maxImages?: number;
}

export function renderMarkdown(d: JournalDiff, options: MarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const head: string[] = [COMMENT_MARKER, `### 🧪 Experiments: ${code(sideLabel(d.base))} → ${code(sideLabel(d.head))}`, '', `**${summaryLine(d)}**`];
  if (options.footnote) head.push('', `<sub>${options.footnote}</sub>`);
  if (d.notes.length) head.push('', '> [!NOTE]', ...d.notes.map((n) => `> ${esc(n)}`));
  if (d.problems.length) head.push('', ...problemBlock(d));
  const changed = d.entries;
  if (!changed.length && !d.pages.length && !d.notebooks.length) {
    head.push('', 'No changes to notebooks, pages or entries.');
    return `${head.join('\n')}\n`;
  }
  if (changed.length) head.push('', ...summaryTable(changed));
  if (d.notebooks.length) head.push('', ...notebookList(d));

  const details = [...changed.map((e) => entryDetails(e, options)), ...d.pages.map((p) => pageDetails(p))];
  const fixed = head.join('\n');
  const kept: string[] = [];
  let size = fixed.length + 200;
  let dropped = 0;
  for (const block of details) {
    if (size + block.length + 2 > maxChars) {
      dropped++;
      continue;
    }
    kept.push(block);
    size += block.length + 2;
  }
  const parts = [fixed, ...kept];
  if (dropped) {
    parts.push(
      `> [!NOTE]\n> Details of ${dropped} more item${dropped > 1 ? 's are' : ' is'} not shown: the comment would pass GitHub's size limit. Run \`lab diff\` locally or see the workflow's job summary for everything.`,
    );
  }
  return `${parts.join('\n\n')}\n`;
}

function problemBlock(d: JournalDiff): string[] {
  const out = ['> [!WARNING]', '> Some files could not be read; the rest of the diff is complete.'];
  for (const p of d.problems.slice(0, 15)) {
    const side = p.side === 'base' ? sideLabel(d.base) : sideLabel(d.head);
    out.push(`> - ${esc(side)}: \`${p.file}:${p.line}:${p.column}\` ${esc(truncate(p.message, 160))}`);
  }
  if (d.problems.length > 15) out.push(`> - … and ${d.problems.length - 15} more`);
  return out;
}

const KIND_ICON: Record<string, string> = { added: '🆕', removed: '🗑️', changed: '✏️', unreadable: '⚠️' };

function summaryTable(entries: EntryDiff[]): string[] {
  const out = ['| | Entry | What changed | Result |', '|---|---|---|---|'];
  for (const e of entries) {
    const sub = e.baseline
      ? `<br><sub>${e.baseline.relation === 'variation_of' ? 'variation of' : 'from'} ${esc(e.baseline.title)}</sub>`
      : e.move
        ? `<br><sub>${e.move}</sub>`
        : '';
    out.push(`| ${KIND_ICON[e.change]} | **${esc(e.title)}**${sub} | ${cell(whatChanged(e, 'md'))} | ${cell(result(e, 'md'))} |`);
  }
  return out;
}

function entryDetails(e: EntryDiff, options: MarkdownOptions): string {
  const c = e.comparison;
  const summaryBits = [`${KIND_ICON[e.change]} <b>${esc(e.title)}</b>`, ...whatChanged(e, 'md').slice(0, 2).map(esc)];
  const body: string[] = [`<code>${esc(e.id)}</code> · <code>${esc(e.path)}</code>`];
  if (e.move && e.old_path) body.push('', `${e.move} from <code>${esc(e.old_path)}</code>`);
  if (e.problem)
    body.push(
      '',
      `⚠️ could not be read at ${e.problem.side}: <code>${esc(`${e.problem.file}:${e.problem.line}:${e.problem.column}`)}</code> ${esc(e.problem.message)}`,
    );
  if (e.baseline) {
    const b = e.baseline;
    const vs = valueRows(b.comparison);
    const who = `${b.relation === 'variation_of' ? 'the entry it varies' : 'its parent'}, **${esc(b.title)}** (<code>${esc(b.id)}</code>)${b.changed ? '' : ', which did not change in this diff'}`;
    if (vs.length) body.push('', `Compared with ${who}:`, '', ...valueTable(vs, b.title, 'this'));
    else body.push('', `Derived from ${who}; no parameters or metrics to compare.`);
  } else if (c) {
    const r = valueRows(c);
    if (r.length) body.push('', ...valueTable(r, e.change === 'added' ? '' : 'base', e.change === 'added' ? 'value' : 'head'));
  }
  if (e.input_files.length) body.push('', `Input files: ${e.input_files.map((f) => `<code>${esc(f.path)}</code> ${f.change}`).join(', ')}`);
  if (c?.outputs_other.length) body.push('', `Other outputs changed: ${c.outputs_other.map((k) => `<code>${esc(k)}</code>`).join(', ')}`);
  if (c && (c.tags.added.length || c.tags.removed.length)) {
    body.push('', `Tags: ${[...c.tags.added.map((t) => `+${esc(t)}`), ...c.tags.removed.map((t) => `−${esc(t)}`)].join(' ')}`);
  }
  if (c?.notes_changed) body.push('', 'Notes edited.');
  if (e.artifacts.added.length || e.artifacts.removed.length) body.push('', ...artifactBlock(e.artifacts.added, e.artifacts.removed, options));
  if (e.artifacts.archived.length)
    body.push('', `Archived artifacts: ${e.artifacts.archived.map((a) => `<code>${esc(a.name)}</code> (${esc(archivedPhrase(a))})`).join(', ')}`);
  if (e.artifacts.restored.length) body.push('', `Restored artifacts: ${e.artifacts.restored.map((a) => `<code>${esc(a.name)}</code>`).join(', ')}`);
  return `<details><summary>${summaryBits.join(' · ')}</summary>\n\n${body.join('\n')}\n\n</details>`;
}

function valueTable(list: Row[], left: string, right: string): string[] {
  const single = !left;
  const out = single ? ['| | value |', '|---|---|'] : [`| | ${esc(truncate(left, 30))} | ${esc(right)} | Δ |`, '|---|---|---|---|'];
  for (const r of list) {
    const c = r.change;
    if (single) {
      out.push(`| \`${r.label}\` | ${cellValue(c.new)} |`);
      continue;
    }
    const delta = r.number ? [deltaPhrase(r.number), verdictMark(r.number, 'md')].filter(Boolean).join(' ') : '';
    out.push(`| \`${r.label}\` | ${'old' in c ? cellValue(c.old) : '—'} | ${'new' in c ? cellValue(c.new) : '—'} | ${delta} |`);
  }
  return out;
}

function artifactBlock(added: DiffArtifact[], removed: DiffArtifact[], options: MarkdownOptions): string[] {
  const out: string[] = [];
  const maxImages = options.maxImages ?? 8;
  const images = added.filter((a) => a.image && a.blob_path && options.imageUrl?.(a.blob_path));
  const shown = images.slice(0, maxImages);
  if (shown.length) {
    out.push('New images:', '');
    out.push(
      shown
        .map((a) => {
          const url = options.imageUrl!(a.blob_path!)!;
          return `<a href="${attr(url)}"><img src="${attr(url)}" width="160" alt="${attr(a.name)}" title="${attr(imageTitle(a))}"></a>`;
        })
        .join(' '),
    );
  }
  const listed = added.filter((a) => !shown.includes(a));
  if (listed.length && out.length) out.push('');
  if (listed.length)
    out.push(`New artifacts: ${listed.map((a) => `<code>${esc(a.name)}</code>${a.width && a.height ? ` ${a.width}×${a.height}` : ''}`).join(', ')}`);
  if (removed.length) out.push(`Removed artifacts: ${removed.map((a) => `<code>${esc(a.name)}</code>`).join(', ')}`);
  return out;
}

function imageTitle(a: DiffArtifact): string {
  return a.width && a.height ? `${a.name} (${a.width}×${a.height})` : a.name;
}

function notebookList(d: JournalDiff): string[] {
  return [
    '**Notebooks**',
    '',
    ...d.notebooks.map((n) => {
      const what =
        n.change === 'changed' ? [n.old_path ? 'moved' : '', ...n.fields.map((f) => `${f.key} ${arrow(f, 30)}`)].filter(Boolean).join('; ') : n.change;
      return `- ${KIND_ICON[n.change]} **${esc(n.title)}** — ${esc(what)}`;
    }),
  ];
}

function pageDetails(p: PageDiff): string {
  const sections = p.narrative.map((s) => s.heading);
  const bits = [`📄 <b>${esc(p.title)}</b>`, p.change === 'changed' ? '' : p.change, sections.length ? esc(sections.join(', ')) : ''].filter(Boolean);
  const body: string[] = [`<code>${esc(p.path)}</code>${p.old_path ? ` (moved from <code>${esc(p.old_path)}</code>)` : ''}`];
  for (const f of p.fields) body.push('', `\`${f.key}\`: ${esc(arrow(f, 60))}`);
  for (const s of p.narrative) {
    body.push(
      '',
      `**${esc(s.heading)}**${s.change === 'changed' ? '' : ` (${s.change})`}`,
      '',
      fence([...s.removed.map((l) => `- ${l}`), ...s.added.map((l) => `+ ${l}`)], 'diff'),
    );
  }
  return `<details><summary>${bits.join(' · ')}</summary>\n\n${body.join('\n')}\n\n</details>`;
}

/** A fenced block whose fence is longer than any backtick run inside. */
function fence(lines: string[], lang: string): string {
  const text = lines.join('\n');
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text}\n${f}`;
}

function cell(bits: string[]): string {
  return bits.map(esc).join('<br>') || '—';
}

function cellValue(v: unknown): string {
  return `<code>${esc(formatValue(v, 60))}</code>`;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** Escapes text for Markdown table cells and inline HTML. */
function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/([\\*_[\]`~])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

function attr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

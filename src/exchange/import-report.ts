/** The import summary as people read it: what was imported, what was skipped and why. */
import type { ImportReport } from './import.ts';

export function renderImportReport(r: ImportReport): string {
  const lines: string[] = [];
  if (r.format === 'zip') {
    lines.push(`imported ${r.file} (journal zip): ${r.files.written.length} file(s) written, ${r.files.unchanged.length} already there`);
  } else {
    const from = [r.source.publisher, r.source.crate].filter(Boolean).join(' · ');
    const newPages = r.pages.filter((p) => p.created).length;
    lines.push(
      `imported ${r.file}${from ? ` (${from})` : ''}: ${r.entries.length} entr${r.entries.length === 1 ? 'y' : 'ies'}, ${newPages} new page(s) into notebook ${r.notebook?.id}${r.notebook?.created ? ' (new)' : ''}`,
    );
    for (const e of r.entries) lines.push(`  + ${e.id}  ${e.path}${e.files ? `  (${e.files} file${e.files === 1 ? '' : 's'})` : ''}`);
  }
  const groups: [string, ImportReport['skipped']][] = [
    ['Refused', r.refused],
    ['Skipped', r.skipped],
    ['Failed', r.failed],
  ];
  for (const [title, items] of groups) {
    if (!items.length) continue;
    lines.push('', `${title}:`);
    for (const s of items) lines.push(`  ${s.what}: ${s.reason}`);
  }
  if (r.format === 'eln' && !r.entries.length && r.skipped.some((s) => s.reason.startsWith('already imported')))
    lines.push('', 'Nothing new: this file was imported before.');
  return lines.join('\n');
}

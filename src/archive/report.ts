/** The archive report as people read it in a terminal. */
import type { ArchiveReport } from './archive.ts';
import { formatBytes } from './savings.ts';

export function renderArchiveReport(r: ArchiveReport): string {
  const would = r.dry_run ? 'would be ' : '';
  const entries = new Set(r.archived.map((a) => a.entry));
  const lines = [
    `lab archive${r.dry_run ? ' (dry run)' : ''}: ${r.archived.length} artifact(s) in ${entries.size} entr${entries.size === 1 ? 'y' : 'ies'} ${would}archived`,
  ];
  for (const a of r.archived) {
    const after = a.new_hash ? `${formatBytes(a.new_size_bytes)} (${a.strategy})` : 'dropped';
    lines.push(`  ${a.entry}  ${a.artifact}  ${formatBytes(a.original_size_bytes)} → ${after}`);
  }
  if (r.skipped.length) {
    lines.push('', 'Left alone:');
    for (const s of r.skipped) lines.push(`  ${s.entry}${s.artifact ? ` ${s.artifact}` : ''}: ${s.reason}`);
  }
  lines.push('', r.dry_run ? 'Would free:' : 'Freed:');
  lines.push(`  working tree   ${formatBytes(r.freed.working_tree)}`);
  lines.push(`  site           ${formatBytes(r.freed.site)}`);
  lines.push(`  shallow clone  ${formatBytes(r.freed.shallow_clone)} (estimated from git's compression)`);
  lines.push('  full clone     0 B (history keeps every committed blob; only rewriting history frees it)');
  if (r.history.commands.length) {
    lines.push('  to shrink full clones too (new commit ids: everyone must re-clone):');
    for (const c of r.history.commands) lines.push(`    ${c}`);
  }
  if (!r.dry_run && r.archived.length) lines.push('', 'Commit the change; `lab archive --restore <entry>` brings any of it back.');
  return lines.join('\n');
}

/** Small pieces of the record a run leaves in the entry: `execution`, timestamps, the conflict sidecar. */
import type { LoadedEntry } from './entry-file.ts';
import type { RunnerValues } from './write-back.ts';

/** `execution` with a fixed key order and no empty members. */
export function execution(fields: Record<string, unknown>): Record<string, unknown> {
  const order = ['started_at', 'completed_at', 'duration_seconds', 'exit_code', 'error', 'inputs_hash', 'git', 'runner', 'host', 'pid', 'log_bytes'];
  const out: Record<string, unknown> = {};
  for (const key of order) {
    const value = fields[key];
    if (value === undefined || (value === null && key !== 'exit_code')) continue;
    out[key] = value;
  }
  return out;
}

export async function sidecarText(entry: LoadedEntry, values: RunnerValues): Promise<string> {
  const { Document } = await import('yaml');
  const header =
    `# Result of \`lab run\` for ${entry.relPath} (${entry.id}).\n` +
    `# The entry file was edited while it ran, so it was not overwritten. Copy these keys\n` +
    `# into its frontmatter if the edit did not change its inputs, or re-run it.\n`;
  const clean = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  return header + new Document(clean).toString({ lineWidth: 0 });
}

export function nonEmpty<T extends Record<string, unknown> | undefined>(value: T): T | undefined {
  return value && Object.keys(value).length ? value : undefined;
}

export function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function oneLine(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .slice(0, 2000);
}

/**
 * The query of a `sql` entry as the entry page shows it: the inline `query`, or the text of its
 * `query_file` (a file next to the entry), laid out by sql-formatter in the entry's dialect.
 * A query the formatter cannot parse is shown as written.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'sql-formatter';
import type { Entry } from '../core/model.ts';

const MAX_QUERY_CHARS = 50_000;

export function entryQuery(root: string, entry: Entry): string | null {
  if (entry.type !== 'sql' && entry.type !== 'database_query') return null;
  const inputs = entry.inputs as { query?: unknown; query_file?: unknown; driver?: unknown };
  let text: string | null = typeof inputs.query === 'string' ? inputs.query : null;
  if (text === null && typeof inputs.query_file === 'string') {
    const file = path.resolve(root, path.dirname(entry.source.path), inputs.query_file);
    // Only files inside the workspace: a query path must not make the site read anything else.
    if (!file.startsWith(path.resolve(root) + path.sep)) return null;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  }
  if (!text || text.length > MAX_QUERY_CHARS) return text;
  return formatSql(text, inputs.driver === 'postgres' ? 'postgresql' : 'sqlite');
}

/** Formats SQL; a query that already spans several lines is kept as its author laid it out. */
export function formatSql(text: string, language: 'postgresql' | 'sqlite' = 'sqlite'): string {
  if (text.trim().includes('\n')) return text.trim();
  try {
    return format(text, { language, keywordCase: 'upper', tabWidth: 2, paramTypes: { positional: true, numbered: ['$'], named: [':'] } });
  } catch {
    return text.trim();
  }
}

/**
 * `lab sessions summarize`: raw record → Org stub (`lab/stubs/<id>.org`) and
 * doc draft (`lab/doc-drafts/<id>.json`), then points the record at the draft.
 * Stubs and drafts carry a hash of what was generated: one edited by hand is
 * left alone (reported) unless `force` is set.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../core/diagnostics.ts';
import { replaceFileIfUnchanged, writeFileAtomic } from '../../core/fs/atomic.ts';
import { canonicalJson, sha256 } from '../../core/hash.ts';
import { parseRawSessionText } from '../compile-sessions.ts';
import { docDraftPath, LAB_DIRS, rawPath, stubPath } from '../paths.ts';
import { serializeRecord } from '../record.ts';
import type { RawSession } from '../schema.ts';
import { digestSession, type SessionDigest } from './deterministic.ts';
import { type ModelSummarizerConfig, refineWithModel } from './model.ts';
import { isUntouchedStub, renderStub } from './org.ts';

type WriteStatus = 'created' | 'updated' | 'unchanged' | 'kept-edited';

export interface SummarizeOutcome {
  id: string;
  stub: { path: string; status: WriteStatus };
  draft: { path: string; status: WriteStatus };
  summarizer: string;
  /** Why the model summarizer was not used, when one was configured. */
  fallback: string | null;
}

export interface SummarizeOptions {
  root: string;
  /** Session ids; empty with `all` = every record in lab/raw. */
  ids: string[];
  all: boolean;
  model: ModelSummarizerConfig | null;
  force: boolean;
}

export async function summarizeSessions(opts: SummarizeOptions): Promise<SummarizeOutcome[]> {
  const ids = opts.all ? await listSessionIds(opts.root) : opts.ids;
  const outcomes: SummarizeOutcome[] = [];
  for (const id of ids) outcomes.push(await summarizeOne(opts, id));
  return outcomes;
}

/** Ids of every record in `lab/raw`, sorted. */
async function listSessionIds(root: string): Promise<string[]> {
  const names = await fs.readdir(path.join(root, LAB_DIRS.raw)).catch(() => [] as string[]);
  return names
    .filter((n) => n.endsWith('.json'))
    .map((n) => n.slice(0, -'.json'.length))
    .sort();
}

async function summarizeOne(opts: SummarizeOptions, id: string): Promise<SummarizeOutcome> {
  const rawFile = path.join(opts.root, rawPath(id));
  const rawText = await fs.readFile(rawFile, 'utf8').catch(() => null);
  if (rawText === null) throw new LabError(`no session ${id}: ${rawPath(id)} does not exist (run 'lab sessions import' first)`);
  const parsed = parseRawSessionText(rawPath(id), rawText);
  if (!parsed.record || parsed.diagnostics.some((d) => d.severity === 'error')) {
    throw new LabError(`${rawPath(id)} is not a valid session record`, { diagnostics: parsed.diagnostics });
  }
  const record = parsed.record;
  let digest: SessionDigest = digestSession(record);
  let fallback: string | null = null;
  if (opts.model) {
    try {
      digest = await refineWithModel(record, digest, opts.model);
    } catch (e) {
      fallback = `model summarizer failed, used the deterministic one: ${(e as Error).message}`;
    }
  }
  const stubRel = stubPath(id);
  const stubStatus = await writeGenerated(path.join(opts.root, stubRel), renderStub(digest, record['lab/trace-path'] ?? null), isUntouchedStub, opts.force);

  const draftRel = docDraftPath(id);
  const draftStatus = await writeGenerated(path.join(opts.root, draftRel), renderDocDraft(digest, stubRel), isUntouchedDraft, opts.force);

  if (record['lab/doc-draft-path'] !== draftRel) {
    const updated: RawSession = { ...record, 'lab/doc-draft-path': draftRel };
    if (!(await replaceFileIfUnchanged(rawFile, rawText, serializeRecord(updated)))) {
      throw new LabError(`${rawPath(id)} changed while it was being summarized; run the command again`);
    }
  }
  return { id, stub: { path: stubRel, status: stubStatus }, draft: { path: draftRel, status: draftStatus }, summarizer: digest.summarizer, fallback };
}

/** Writes a generated file unless the one on disk was edited by hand. */
async function writeGenerated(file: string, text: string, untouched: (existing: string) => boolean, force: boolean): Promise<WriteStatus> {
  const existing = await fs.readFile(file, 'utf8').catch(() => null);
  if (existing === text) return 'unchanged';
  if (existing !== null && !force && !untouched(existing)) return 'kept-edited';
  await writeFileAtomic(file, text);
  return existing === null ? 'created' : 'updated';
}

/** The doc draft: `doc/*` keys, `doc/status: "draft"`, plus a hash of itself for edit detection. */
function renderDocDraft(d: SessionDigest, stubRel: string): string {
  const draft: Record<string, unknown> = {
    'doc/id': `doc-${d.id}`,
    'doc/session-id': d.id,
    'doc/title': d.title,
    'doc/status': 'draft',
    'doc/date': d.start,
    'doc/context': [d.context.ask, d.context.narrative].filter(Boolean).join('\n\n') || null,
    'doc/changes': d.delta.map((f) => ({ file: f.file, summary: f.detail ? `${f.summary}: ${f.detail}` : f.summary })),
    'doc/verification': [
      ...(d.verification.checks ?? []).map((c) => `${c.command} — ${c.outcome}`),
      ...d.verification.errors.map((e) => `error: ${e}`),
      ...d.verification.notes,
    ],
    'doc/stub-path': stubRel,
    'doc/source-path': rawPath(d.id),
    'doc/summarizer': d.summarizer,
  };
  draft['doc/generated-hash'] = sha256(canonicalJson(draft));
  return `${canonicalJson(draft, 2)}\n`;
}

function isUntouchedDraft(text: string): boolean {
  try {
    const draft = JSON.parse(text) as Record<string, unknown>;
    const hash = draft['doc/generated-hash'];
    delete draft['doc/generated-hash'];
    return typeof hash === 'string' && sha256(canonicalJson(draft)) === hash;
  } catch {
    return false;
  }
}

/**
 * The runner engine: one entry, start to finish.
 *
 *   read + validate (nothing written on bad input)
 *   → write `status: running` with pid and host (a crash leaves evidence)
 *   → execute the integration (progress, live logs, abort on Ctrl-C / timeout)
 *   → store artifacts and logs as blobs
 *   → rewrite only the runner's keys, atomically, unless the file changed
 *     meanwhile (then the result goes to a sidecar and the conflict is reported).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { LabError } from '../core/diagnostics.ts';
import { storageError } from '../core/fs/storage-error.ts';
import type { ExecuteOptions, RunResult } from '../core/run-types.ts';
import type { Artifact } from '../core/schema/entry.ts';
import { VERSION } from '../version.ts';
import { BlobStore } from './blobs.ts';
import { formatDuration } from './duration.ts';
import { at, checkInputFiles, diagnosticAt, findRoot, formatAt, type LoadedEntry, loadEntry, refusal, resolveInputFile } from './entry-file.ts';
import { acquireLock, EntryLock, lockFile } from './entry-lock.ts';
import { checkInputs, toInputIssues } from './input-checks.ts';
import { isInside } from './paths.ts';
import { processTracker } from './process-identity.ts';
import { gitProvenance } from './provenance.ts';
import { loadIntegration } from './registry.ts';
import { newRunId, RunEventLog, reportingEvents } from './run-events.ts';
import { logLimitFromEnv, RunLogs } from './run-logs.ts';
import { execution, iso, nonEmpty, oneLine } from './run-record.ts';
import { saveResult } from './save-result.ts';
import { MissingEnvError, type ResolvedSecrets, redactDeep, resolveEnvPlaceholders } from './secrets.ts';
import { validateStandard } from './standard-schema.ts';
import { storeArtifacts, storeLogs } from './store-results.ts';
import { swapFileIfUnchanged } from './swap.ts';
import { type InputIssue, type Integration, type IntegrationResult, type RunContext, RunFailure } from './types.ts';
import { applyRunnerValues, type RunnerValues } from './write-back.ts';

export type { ExecuteOptions } from '../core/run-types.ts';

/** Thrown into the integration's signal when `--timeout` fires. */
export class RunTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${formatDuration(ms)}`);
    this.name = 'RunTimeout';
  }
}

/** Why a run was interrupted by the user. */
export class RunInterrupted extends Error {
  constructor(message = 'interrupted (Ctrl-C)') {
    super(message);
    this.name = 'RunInterrupted';
  }
}

/**
 * Runs one entry file and writes its results back. Bad input (unknown type,
 * invalid inputs, a missing input file) throws a LabError before anything is
 * written; a failure while running is recorded in the entry and returned.
 */
export async function executeEntry(file: string, options: ExecuteOptions = {}): Promise<RunResult> {
  const absPath = path.resolve(file);
  const root = options.root ? path.resolve(options.root) : findRoot(path.dirname(absPath));
  const entry = await loadEntry(absPath, root);
  const base = { id: entry.id, path: entry.relPath, type: entry.type };

  const integration = await loadIntegration(entry.type);
  if (!integration) throw new LabError(at(entry, ['type'], `unknown entry type \`${entry.type}\``));
  const blocked = refusal(entry, options);
  if (blocked) {
    const result: RunResult = { ...base, outcome: blocked.skip ? 'skipped' : 'refused', message: `${entry.relPath} ${blocked.reason}` };
    options.reporter?.end?.(result);
    return result;
  }
  checkInputFiles(entry);
  // What `lab check` reports, in the same words: the schema on the inputs as written, then the static checks.
  refuseInputIssues(
    entry,
    checkInputs(integration, entry.inputs, (ref) => readInputText(entry, ref)),
  );
  let secrets: ReturnType<typeof resolveEnvPlaceholders<Record<string, unknown>>>;
  try {
    secrets = resolveEnvPlaceholders(entry.inputs, options.env ?? process.env);
  } catch (e) {
    if (e instanceof MissingEnvError) throw new LabError(at(entry, e.missing[0]!.key.split('.'), e.message));
    throw e;
  }
  const checked = await validateStandard(integration.inputsSchema, secrets.value);
  // Issues found only with the placeholders resolved may quote a secret: redacted like every other output.
  if (checked.issues)
    refuseInputIssues(
      entry,
      toInputIssues(checked.rawIssues, secrets.value, integration).map((i) => ({ ...i, message: secrets.redact(i.message) })),
    );
  if (options.dryRun) {
    let plan: string[] | undefined;
    if (integration.plan) {
      try {
        plan = await integration.plan(checked.value, {
          root: entry.root,
          entryDir: path.dirname(absPath),
          resolveInputFile: (ref, key) => resolveInputFile(entry, ref, key),
        });
      } catch (e) {
        if (!(e instanceof RunFailure)) throw e;
        throw new LabError(formatAt(diagnosticAt(entry, ['inputs', 'parameters'], e.message)));
      }
    }
    return {
      ...base,
      outcome: 'dry-run',
      inputs_hash: entry.inputsHash,
      message: `would run ${entry.relPath} (${entry.type})`,
      ...(plan?.length ? { plan } : {}),
    };
  }

  if (options.signal?.aborted) return { ...base, outcome: 'interrupted', message: `${entry.relPath}: not started (interrupted)` };
  const lock = await acquireLock(root, entry.relPath, { force: options.force }).catch((e) => {
    throw storageError(e, lockFile(root, entry.relPath), root);
  });
  if (!(lock instanceof EntryLock)) {
    const result: RunResult = { ...base, outcome: 'refused', message: `${entry.relPath} ${lock.reason}` };
    options.reporter?.end?.(result);
    return result;
  }
  try {
    return await runLocked(entry, integration, checked.value, secrets, lock, options);
  } finally {
    await lock.release().catch(() => {});
  }
}

/** The run itself, with the entry's lock held. */
async function runLocked(
  entry: LoadedEntry,
  integration: Integration<unknown>,
  inputs: unknown,
  secrets: ResolvedSecrets<Record<string, unknown>>,
  lock: EntryLock,
  options: ExecuteOptions,
): Promise<RunResult> {
  const { root, absPath } = entry;
  const base = { id: entry.id, path: entry.relPath, type: entry.type };
  const git = await gitProvenance(
    absPath,
    entry.inputFiles.map((f) => f.abs),
  ).catch(() => null);
  const started = new Date();
  const runningText = applyRunnerValues(entry.text, entry.format, {
    status: 'running',
    execution: execution({
      started_at: iso(started),
      inputs_hash: entry.inputsHash,
      git,
      runner: { name: 'lab', version: integration.version ?? VERSION },
      host: hostname(),
      pid: process.pid,
    }),
    ...(integration.keepsResults ? {} : { outputs: undefined, metrics: undefined, artifacts: undefined }),
    logs: undefined,
  });
  let swapped: boolean;
  try {
    swapped = await swapFileIfUnchanged(absPath, entry.text, runningText, { durable: false });
  } catch (e) {
    throw storageError(e, absPath, root); // nothing ran: the entry is as it was
  }
  if (!swapped) throw new LabError(`${entry.relPath} changed on disk while the run was being prepared; nothing was run`);
  // Every run leaves an event log, whoever started it: `lab serve` follows runs of `lab run` through it.
  const events = new RunEventLog(root, options.runId ?? newRunId(started), options.onEvent);
  events.emit('started', {
    run_id: events.runId,
    entry_id: entry.id,
    path: entry.relPath,
    entry_type: entry.type,
    pid: process.pid,
    host: hostname(),
    time: iso(started),
  });
  options = { ...options, reporter: reportingEvents(options.reporter, events) };
  options.reporter?.start?.(base);

  const logs = new RunLogs(secrets, options.logLimitBytes ?? logLimitFromEnv());
  const controller = new AbortController();
  const onOuterAbort = () => {
    const reason = options.signal?.reason;
    controller.abort(reason instanceof RunInterrupted || reason instanceof RunTimeout ? reason : new RunInterrupted());
  };
  if (options.signal?.aborted) onOuterAbort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const timer = options.timeoutMs ? setTimeout(() => controller.abort(new RunTimeout(options.timeoutMs!)), options.timeoutMs) : null;
  const context: RunContext = {
    root,
    entryPath: absPath,
    entryDir: path.dirname(absPath),
    entryId: entry.id,
    signal: controller.signal,
    // Progress lines reach the terminal and CI logs: a command line may carry a resolved secret.
    progress: (p) => options.reporter?.progress?.(entry.id, p.message === undefined ? p : { ...p, message: secrets.redact(p.message) }),
    log: (stream, chunk) => {
      const shown = logs.write(stream, chunk);
      if (shown) options.reporter?.log?.(entry.id, stream, shown);
    },
    resolveInputFile: (ref, key) => resolveInputFile(entry, ref, key),
    redact: secrets.redact,
  };

  let result: IntegrationResult = {};
  let error: string | null = null;
  let status: 'completed' | 'failed' | 'interrupted' = 'completed';
  const pending: Promise<void>[] = [];
  try {
    // Every process group the integration starts is written into the lock at once (see entry-lock.ts).
    result =
      (await processTracker.run(
        (pgid) => void pending.push(lock.addGroup(pgid)),
        () => integration.execute(inputs, context),
      )) ?? {};
    if (result.status === 'failed') {
      status = 'failed';
      error = result.error ?? 'failed';
    }
    if (controller.signal.aborted) throw controller.signal.reason;
  } catch (e) {
    const reason = controller.signal.aborted ? controller.signal.reason : e;
    status = reason instanceof RunInterrupted ? 'interrupted' : 'failed';
    error = oneLine((reason as Error)?.message ?? String(reason));
    if (e instanceof RunFailure) result = { ...result, outputs: e.outputs ?? result.outputs, exitCode: e.exitCode ?? result.exitCode };
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
    await Promise.all(pending);
  }
  const ended = new Date();
  const finished = logs.finish();
  for (const [stream, rest] of finished.rest) options.reporter?.log?.(entry.id, stream, rest);

  // Storage faults (a full disk, a read-only store) fail the run with the path named; they never lose the record.
  const blobs = new BlobStore(root);
  let artifacts: Artifact[] = [];
  try {
    artifacts = await storeArtifacts(blobs, result.artifacts ?? [], secrets.redact);
    for (const artifact of artifacts) events.emit('artifact', { artifact });
  } catch (e) {
    status = status === 'completed' ? 'failed' : status;
    error ??= oneLine((e as Error).message);
  }
  let storedLogs: Record<string, string | null> = {};
  try {
    storedLogs = await storeLogs(blobs, finished.logs, integration.name === 'command' ? ['stdout', 'stderr'] : []);
  } catch (e) {
    status = status === 'completed' ? 'failed' : status;
    error ??= oneLine((e as Error).message);
  }
  const truncated = Object.fromEntries([...finished.logs].filter(([, l]) => l.truncated).map(([name, l]) => [name, l.total]));
  const durationSeconds = Math.round((ended.getTime() - started.getTime()) / 10) / 100;
  const values: RunnerValues = {
    status,
    execution: execution({
      started_at: iso(started),
      completed_at: iso(ended),
      duration_seconds: durationSeconds,
      exit_code: result.exitCode,
      error: error === null ? undefined : secrets.redact(error),
      inputs_hash: entry.inputsHash,
      git,
      runner: { name: 'lab', version: integration.version ?? VERSION },
      host: hostname(),
      log_bytes: Object.keys(truncated).length ? truncated : undefined,
    }),
    ...(integration.keepsResults
      ? {}
      : {
          outputs: nonEmpty(redactDeep(result.outputs, secrets.redact)),
          metrics: nonEmpty(redactDeep(result.metrics, secrets.redact)),
          artifacts: artifacts.length ? artifacts : undefined,
        }),
    logs: Object.keys(storedLogs).length ? storedLogs : undefined,
  };
  const outcome: RunResult = {
    ...base,
    outcome: status,
    message: error ? `${entry.relPath}: ${secrets.redact(error)}` : undefined,
    duration_seconds: durationSeconds,
    artifacts: artifacts.length,
    inputs_hash: entry.inputsHash,
  };
  await saveResult(entry, runningText, values, outcome, secrets.redact);
  options.reporter?.end?.(outcome);
  return outcome;
}

/** Throws (nothing is written) when any issue is an error; warnings are `lab check`'s to show. */
function refuseInputIssues(entry: LoadedEntry, issues: InputIssue[]): void {
  const problems = issues
    .filter((i) => (i.severity ?? 'error') === 'error')
    .map((i) => {
      const key = ['inputs', ...i.path.map(String)];
      return { ...diagnosticAt(entry, key, `\`${key.join('.')}\` ${i.message}`), rule: i.rule ?? 'invalid-input' };
    })
    .sort((x, y) => x.line - y.line || x.column - y.column);
  if (!problems.length) return;
  if (problems.length === 1) throw new LabError(formatAt(problems[0]!));
  throw new LabError(`${entry.relPath}: ${problems.length} problems in \`inputs\``, { diagnostics: problems });
}

/** An input file's text for a static check; null when missing or outside the workspace. */
function readInputText(entry: LoadedEntry, ref: string): string | null {
  const abs = ref.startsWith('./') || ref.startsWith('../') ? path.resolve(path.dirname(entry.absPath), ref) : path.resolve(entry.root, ref);
  try {
    // Symlinks are resolved first: a check must not quote a file from outside the workspace in its message.
    if (!isInside(realpathSync(entry.root), realpathSync(abs))) return null;
    return readFileSync(abs, 'utf8');
  } catch {
    return null;
  }
}

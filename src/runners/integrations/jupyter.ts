/**
 * `jupyter`: executes a notebook with nbclient (Python), papermill-style
 * parameters injected after the cell tagged `parameters`. Saved outputs are
 * cleared first, so the executed notebook, its images, the per-cell output
 * log and the counts hold only what this run produced.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ownFile } from '../../package-files.ts';
import { parseDuration } from '../duration.ts';
import { spawnTree } from '../process-tree.ts';
import { type ArtifactInput, type Integration, RunFailure } from '../types.ts';

/** Inputs of a `jupyter` entry. */
export const jupyterInputsSchema = z.strictObject({
  /** Path of the `.ipynb` to execute, e.g. `./analysis.ipynb`. */
  notebook: z.string().refine((p) => p.toLowerCase().endsWith('.ipynb'), { error: 'must be an .ipynb file' }),
  /** Kernel name (default: the notebook's kernelspec, else python3). */
  kernel: z.string().optional(),
  /** Values injected as a cell of assignments after the cell tagged `parameters`. */
  parameters: z.record(z.string(), z.unknown()).optional(),
  /** Per-cell timeout: `30s`, `10m`, or seconds (default: none). */
  cell_timeout: z.union([z.string(), z.number()]).optional(),
  /** Whole-run timeout. */
  timeout: z.union([z.string(), z.number()]).optional(),
  /** Data files the notebook reads (`./data.csv`): their bytes join the inputs hash, so editing one makes the entry stale. */
  files: z.array(z.string().refine((p) => /^\.\.?\//.test(p), { error: 'must start with ./ or ../ (relative to the entry)' })).optional(),
});

export type JupyterInputs = z.infer<typeof jupyterInputsSchema>;

const IMAGE_TYPES: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/svg+xml': 'svg', 'image/gif': 'gif' };

export const jupyter: Integration<JupyterInputs> = {
  name: 'jupyter',
  inputsSchema: jupyterInputsSchema,
  inputsTemplate: [
    '  notebook: ./analysis.ipynb',
    '  # kernel: python3',
    '  parameters:   # injected after the cell tagged `parameters`',
    '    alpha: 0.5',
    '  # timeout: 10m',
  ].join('\n'),
  async execute(inputs, ctx) {
    const notebook = ctx.resolveInputFile(inputs.notebook, 'notebook');
    const python = findPython();
    const output = path.join(tmpdir(), `lab-nb-${randomBytes(6).toString('hex')}.ipynb`);
    const args = {
      notebook,
      output,
      cwd: ctx.entryDir,
      kernel: inputs.kernel,
      parameters: inputs.parameters ?? {},
      cell_timeout: inputs.cell_timeout === undefined ? undefined : Math.ceil(parseDuration(inputs.cell_timeout, 'inputs.cell_timeout') / 1000),
    };
    for (const [i, f] of (inputs.files ?? []).entries()) ctx.resolveInputFile(f, `files.${i}`);
    let error: KernelError | null = null;
    let pending = '';
    let missing: string | null = null;
    const onStdout = (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const m = /^\x1eLAB (\w+) (.*)$/.exec(line);
        if (!m) ctx.log('stdout', `${line}\n`);
        else if (m[1] === 'progress') {
          const p = JSON.parse(m[2]!);
          ctx.progress({ value: p.value, max: p.max, message: `cell ${p.cell}` });
        } else if (m[1] === 'error') error = JSON.parse(m[2]!);
        else if (m[1] === 'missing') missing = JSON.parse(m[2]!);
      }
    };
    const stderr = new DebuggerNoiseFilter((text) => ctx.log('stderr', text));
    try {
      const exit = await spawnTree([python, ownFile('runners/integrations/jupyter-run.py'), JSON.stringify(args)], {
        cwd: ctx.entryDir,
        // debugpy's frozen-modules warning comes with every kernel start and says nothing about the notebook.
        env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
        signal: ctx.signal,
        timeoutMs: inputs.timeout === undefined ? undefined : parseDuration(inputs.timeout, 'inputs.timeout'),
        onStdout,
        onStderr: (c) => stderr.write(c),
      });
      stderr.flush();
      if (exit.spawnError) throw new RunFailure(`cannot start ${python}: ${exit.spawnError}`);
      if (missing) throw new RunFailure(`jupyter needs nbclient: ${missing} (apt-get install python3-nbclient python3-ipykernel)`);
      if (exit.timedOut) throw new RunFailure(`the notebook timed out after ${inputs.timeout} and its kernel was stopped`);
      const executed = await fs.readFile(output, 'utf8').catch(() => null);
      if (!executed) throw new RunFailure(`${inputs.notebook} did not run (exit code ${exit.code}); see the stderr log`, { exitCode: exit.code });
      const nb = JSON.parse(executed) as ExecutedNotebook;
      const { artifacts, log, executedCells, codeCells, displayError } = collectRun(nb, path.basename(notebook), executed);
      if (log) ctx.log('cells', log);
      const outputs = { cells: codeCells, executed_cells: executedCells, images: artifacts.length - 1 };
      const err = (error as KernelError | null) ?? displayError;
      if (err || exit.code !== 0) {
        return {
          status: 'failed',
          error: `${inputs.notebook} failed${err ? describeKernelError(err) : `: exit code ${exit.code}`}`,
          outputs,
          artifacts,
          exitCode: exit.code,
        };
      }
      return { outputs, artifacts, exitCode: 0 };
    } finally {
      await fs.rm(output, { force: true });
    }
  },
};

/** An error reported by jupyter-run.py: a cell's exception, or the kernel's (with the kernels there are). */
interface KernelError {
  ename: string;
  evalue: string;
  /** 1-based position of the failing cell in the source notebook. */
  cell?: number | null;
  source?: string;
  kernel?: string;
  kernels?: string[];
}

interface ExecutedNotebook {
  cells: { cell_type: string; source?: string | string[]; execution_count?: number | null; outputs?: NotebookOutput[]; metadata?: { tags?: string[] } }[];
}

interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}

const joined = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('') : (v ?? ''));

/** `: ZeroDivisionError: division by zero (cell 2: `1 / 0`)`, or the kernel hint. */
function describeKernelError(err: KernelError): string {
  if (err.ename === 'NoSuchKernel') {
    const there = err.kernels?.length ? err.kernels.join(', ') : 'none';
    return `: no Jupyter kernel named \`${err.kernel ?? '?'}\` (kernels here: ${there}); set \`inputs.kernel\` to one of them, or install the kernel (python -m ipykernel install --user --name ${err.kernel ?? '<name>'})`;
  }
  const excerpt = err.source ? firstSourceLine(err.source) : '';
  const where = err.cell ? ` at cell ${err.cell}${excerpt ? ` (\`${excerpt}\`)` : ''}` : '';
  return `${where}: ${err.ename}: ${err.evalue}`;
}

function firstSourceLine(source: string): string {
  const line =
    source
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l && !l.startsWith('#')) ?? '';
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/**
 * What this run produced: images of executed cells, a per-cell log of their
 * stream output, counts, and the first error output of a cell that otherwise
 * succeeded (an exception in a display formatter is reported that way).
 */
function collectRun(nb: ExecutedNotebook, name: string, executed: string) {
  const artifacts: ArtifactInput[] = [{ name, data: executed, type: 'application/x-ipynb+json' }];
  const log: string[] = [];
  let displayError: KernelError | null = null;
  let position = 0;
  let executedCells = 0;
  let codeCells = 0;
  nb.cells.forEach((cell, ci) => {
    const injected = cell.metadata?.tags?.includes('injected-parameters');
    if (!injected) position++;
    if (cell.cell_type !== 'code') return;
    codeCells++;
    if (cell.execution_count == null) return;
    executedCells++;
    const label = injected ? 'injected parameters' : `cell ${position}`;
    const streams = (cell.outputs ?? [])
      .filter((o) => o.output_type === 'stream')
      .map((o) => joined(o.text))
      .join('');
    if (streams) log.push(`--- ${label} ---\n${streams.endsWith('\n') ? streams : `${streams}\n`}`);
    (cell.outputs ?? []).forEach((out, oi) => {
      if (out.output_type === 'error' && !displayError) {
        displayError = { ename: out.ename ?? 'Error', evalue: out.evalue ?? '', cell: injected ? null : position, source: joined(cell.source) };
      }
      for (const [type, ext] of Object.entries(IMAGE_TYPES)) {
        const data = out.data?.[type];
        if (data === undefined) continue;
        const text = Array.isArray(data) ? data.join('') : String(data);
        const bytes = ext === 'svg' ? Buffer.from(text, 'utf8') : Buffer.from(text, 'base64');
        artifacts.push({ name: `cell-${String(ci).padStart(3, '0')}-${oi}.${ext}`, data: bytes, type });
        break;
      }
    });
  });
  return { artifacts, log: log.join(''), executedCells, codeCells, displayError: displayError as KernelError | null };
}

/** Drops debugpy's "frozen modules" warning block (lines starting `0.00s - `) from kernel stderr, line by line. */
class DebuggerNoiseFilter {
  #pending = '';
  #emit: (text: string) => void;
  constructor(emit: (text: string) => void) {
    this.#emit = emit;
  }
  write(chunk: Buffer | string): void {
    this.#pending += chunk.toString();
    const cut = this.#pending.lastIndexOf('\n');
    if (cut < 0) return;
    const lines = this.#pending.slice(0, cut + 1);
    this.#pending = this.#pending.slice(cut + 1);
    const kept = lines
      .split(/(?<=\n)/)
      .filter((l) => !/^\d+\.\d+s - /.test(l))
      .join('');
    if (kept) this.#emit(kept);
  }
  flush(): void {
    if (this.#pending && !/^\d+\.\d+s - /.test(this.#pending)) this.#emit(this.#pending);
    this.#pending = '';
  }
}

let cachedPython: string | null = null;

/** `$LAB_PYTHON`, else the first python3 on the PATH (or /usr/bin/python3) that can import nbclient. */
function findPython(): string {
  if (cachedPython) return cachedPython;
  const candidates = [process.env.LAB_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean) as string[];
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import nbclient, nbformat'], { stdio: 'ignore' });
    if (probe.status === 0) return (cachedPython = candidate);
  }
  throw new RunFailure(
    'jupyter entries need Python 3 with nbclient and ipykernel (apt-get install python3-nbclient python3-ipykernel), or LAB_PYTHON pointing at such a python',
  );
}

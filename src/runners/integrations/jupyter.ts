/**
 * `jupyter`: executes a notebook with nbclient (Python), papermill-style
 * parameters injected after the cell tagged `parameters`. The executed
 * notebook and every image it displayed are kept as artifacts.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { parseDuration } from '../duration.ts';
import { spawnTree } from '../process-tree.ts';
import { RunFailure, type ArtifactInput, type Integration } from '../types.ts';

/** Inputs of a `jupyter` entry. */
export const jupyterInputsSchema = z
  .strictObject({
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
    let error: { ename: string; evalue: string; cell?: number } | null = null;
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
          const p = JSON.parse(m[2]);
          ctx.progress({ value: p.value, max: p.max, message: `cell ${p.cell}` });
        } else if (m[1] === 'error') error = JSON.parse(m[2]);
        else if (m[1] === 'missing') missing = JSON.parse(m[2]);
      }
    };
    try {
      const exit = await spawnTree([python, path.join(import.meta.dirname, 'jupyter-run.py'), JSON.stringify(args)], {
        cwd: ctx.entryDir,
        env: process.env,
        signal: ctx.signal,
        timeoutMs: inputs.timeout === undefined ? undefined : parseDuration(inputs.timeout, 'inputs.timeout'),
        onStdout,
        onStderr: (c) => ctx.log('stderr', c),
      });
      if (exit.spawnError) throw new RunFailure(`cannot start ${python}: ${exit.spawnError}`);
      if (missing) throw new RunFailure(`jupyter needs nbclient: ${missing} (apt-get install python3-nbclient python3-ipykernel)`);
      if (exit.timedOut) throw new RunFailure(`the notebook timed out after ${inputs.timeout} and its kernel was stopped`);
      const executed = await fs.readFile(output, 'utf8').catch(() => null);
      if (!executed) throw new RunFailure(`${inputs.notebook} did not run (exit code ${exit.code}); see the stderr log`, { exitCode: exit.code });
      const nb = JSON.parse(executed) as { cells: { cell_type: string; execution_count?: number | null; outputs?: { output_type: string; data?: Record<string, unknown> }[] }[] };
      const artifacts: ArtifactInput[] = [{ name: path.basename(notebook), data: executed, type: 'application/x-ipynb+json' }];
      nb.cells.forEach((cell, ci) => {
        (cell.outputs ?? []).forEach((out, oi) => {
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
      const codeCells = nb.cells.filter((c) => c.cell_type === 'code');
      const outputs = {
        cells: codeCells.length,
        executed_cells: codeCells.filter((c) => c.execution_count != null).length,
        images: artifacts.length - 1,
      };
      const err = error as { ename: string; evalue: string; cell?: number } | null;
      if (err || exit.code !== 0) {
        const why = err ? `${err.ename}: ${err.evalue}` : `exit code ${exit.code}`;
        return { status: 'failed', error: `${inputs.notebook} failed: ${why}`, outputs, artifacts, exitCode: exit.code };
      }
      return { outputs, artifacts, exitCode: 0 };
    } finally {
      await fs.rm(output, { force: true });
    }
  },
};

let cachedPython: string | null = null;

/** `$LAB_PYTHON`, else the first python3 on the PATH (or /usr/bin/python3) that can import nbclient. */
function findPython(): string {
  if (cachedPython) return cachedPython;
  const candidates = [process.env.LAB_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean) as string[];
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import nbclient, nbformat'], { stdio: 'ignore' });
    if (probe.status === 0) return (cachedPython = candidate);
  }
  throw new RunFailure('jupyter entries need Python 3 with nbclient and ipykernel (apt-get install python3-nbclient python3-ipykernel), or LAB_PYTHON pointing at such a python');
}

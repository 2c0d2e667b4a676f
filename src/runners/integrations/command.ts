/**
 * `command`: runs a command in the entry's folder. Parameters arrive as
 * `LAB_PARAM_<NAME>` environment variables and `{{parameters.name}}`
 * substitutions; stdout/stderr stream live and are kept as logs; declared
 * output globs are collected as artifacts; the command may write metrics as
 * JSON to `$LAB_METRICS_FILE`.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { parseDuration } from '../duration.ts';
import { collectOutputs } from '../output-globs.ts';
import { spawnTree } from '../process-tree.ts';
import { parameterText as paramText, placeholdersDefined, substituteParameters } from '../templating.ts';
import { type Integration, RunFailure } from '../types.ts';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Inputs of a `command` entry. */
export const commandInputsSchema = z
  .strictObject({
    /** A string run by `/bin/sh -c`, or an argv list run without a shell. */
    command: z.union([z.string().min(1, 'must not be empty'), z.array(z.string()).min(1, 'must not be empty')], {
      error: 'must be a command string (run by the shell) or an argv list of strings',
    }),
    /** Named values: `LAB_PARAM_<NAME>` in the environment and `{{parameters.name}}` in the command. */
    parameters: z.record(z.string(), z.unknown()).optional(),
    /** Extra environment variables. */
    env: z.record(z.string(), scalar).optional(),
    /** Globs relative to the entry folder whose files become artifacts. */
    outputs: z.union([z.string(), z.array(z.string())]).optional(),
    /** Kill the command (and its children) after this long: `30s`, `10m`, or seconds. */
    timeout: z.union([z.string(), z.number()]).optional(),
  })
  .refine((inputs) => placeholdersDefined(inputs.command, inputs.parameters), {
    error: 'uses a {{parameters.…}} placeholder for a parameter that `parameters` does not define',
    path: ['command'],
  });

export type CommandInputs = z.infer<typeof commandInputsSchema>;

export const command: Integration<CommandInputs> = {
  name: 'command',
  inputsSchema: commandInputsSchema,
  inputsTemplate: [
    '  # Run by /bin/sh in the entry folder (or an argv list: [python3, train.py]); {{parameters.name}} is substituted.',
    '  command: python3 ./train.py --lr {{parameters.lr}}',
    '  parameters:',
    '    lr: 0.001   # also in the environment as LAB_PARAM_LR',
    '  # env: { CUDA_VISIBLE_DEVICES: "0" }',
    '  # outputs: [out/*.png]   # globs relative to the entry folder, kept as artifacts',
    '  # timeout: 10m',
  ].join('\n'),
  async execute(inputs, ctx) {
    const params = inputs.parameters ?? {};
    const substitute = (s: string) => substituteParameters(s, params);
    const argv = typeof inputs.command === 'string' ? ['/bin/sh', '-c', substitute(inputs.command)] : inputs.command.map(substitute);
    const shown = typeof inputs.command === 'string' ? substitute(inputs.command) : argv.join(' ');
    const metricsFile = path.join(tmpdir(), `lab-metrics-${randomBytes(8).toString('hex')}.json`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...Object.fromEntries(Object.entries(inputs.env ?? {}).map(([k, v]) => [k, String(v)])),
      ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`LAB_PARAM_${k.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`, paramText(v)])),
      LAB_METRICS_FILE: metricsFile,
      LAB_ENTRY_ID: ctx.entryId,
      LAB_ENTRY_DIR: ctx.entryDir,
      LAB_WORKSPACE: ctx.root,
    };
    const timeoutMs = inputs.timeout === undefined ? undefined : parseDuration(inputs.timeout, 'inputs.timeout');
    ctx.progress({ message: shown.length > 60 ? `${shown.slice(0, 57)}…` : shown });
    const stderrTail: string[] = [];
    try {
      const exit = await spawnTree(argv, {
        cwd: ctx.entryDir,
        env,
        signal: ctx.signal,
        timeoutMs,
        onStdout: (chunk) => ctx.log('stdout', chunk),
        onStderr: (chunk) => {
          ctx.log('stderr', chunk);
          stderrTail.push(chunk.toString('utf8'));
          if (stderrTail.length > 50) stderrTail.shift();
        },
      });
      const metrics = await readMetrics(metricsFile);
      const { artifacts, unmatched } = await collectOutputs(ctx.entryDir, inputs.outputs);
      const outputs: Record<string, unknown> = { exit_code: exit.code };
      if (exit.signal) outputs.signal = exit.signal;
      if (unmatched.length) outputs.unmatched_outputs = unmatched;
      if (exit.spawnError) {
        throw new RunFailure(`command \`${argv[0]}\` could not be started: ${exit.spawnError}`, { exitCode: null });
      }
      if (exit.timedOut) {
        return {
          status: 'failed',
          error: `command \`${shown}\` timed out after ${inputs.timeout} and was killed`,
          exitCode: exit.code,
          outputs,
          metrics,
          artifacts,
        };
      }
      if (exit.code !== 0) {
        const why = exit.signal ? `was killed by ${exit.signal}` : `failed with exit code ${exit.code}`;
        const tail = errorLine(stderrTail.join(''));
        return { status: 'failed', error: `command \`${shown}\` ${why}${tail ? `: ${tail}` : ''}`, exitCode: exit.code, outputs, metrics, artifacts };
      }
      return { exitCode: 0, outputs, metrics, artifacts };
    } finally {
      await fs.rm(metricsFile, { force: true });
    }
  },
};

async function readMetrics(file: string): Promise<Record<string, unknown> | undefined> {
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  if (text === null || !text.trim()) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RunFailure(`the metrics file ($LAB_METRICS_FILE) is not valid JSON: ${(e as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new RunFailure('the metrics file ($LAB_METRICS_FILE) must hold a JSON object, e.g. {"accuracy": 0.93}');
  }
  return value as Record<string, unknown>;
}

/**
 * The most telling stderr line: the last one that names an error (Python's
 * final traceback line, Node's `Error [CODE]: …`), else the last line.
 */
function errorLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^at\s/.test(l) && !/^Node\.js v\d/.test(l) && !/^[{}\]]/.test(l));
  const telling = [...lines].reverse().find((l) => /error|exception|fatal|not found|denied|no such file/i.test(l));
  const line = telling ?? lines.at(-1) ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

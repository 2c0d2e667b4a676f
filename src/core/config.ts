/** `lab.config.yaml` at the workspace root: workspace-wide settings. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type Diagnostic, diagnostic, LabError } from './diagnostics.ts';
import { didYouMean } from './entry-types.ts';
import { plainIssues } from './issue-text.ts';
import { commentedValues } from './source/comment-values.ts';
import { parseYamlWithPositions } from './source/frontmatter.ts';
import { positionOf } from './source/positions.ts';

export const CONFIG_FILE = 'lab.config.yaml';

/** Schema of `lab.config.yaml`. */
export const configSchema = z.looseObject({
  /** The laboratory's name, shown in the site header. */
  name: z.string({ error: 'must be text' }).min(1, { error: 'must not be empty' }).optional(),
  /** Web URL of the repository (e.g. https://github.com/me/journal), for "view file" links. */
  repository: z.url({ protocol: /^https?$/, error: 'must be a URL like https://github.com/me/journal' }).optional(),
  /** Default branch used by `lab diff` when no base is given. */
  default_branch: z.string({ error: 'must be a branch name, e.g. main' }).optional(),
  /** Site origin for the static site, e.g. https://me.github.io (overridden by LAB_SITE). */
  site: z.url({ protocol: /^https?$/, error: 'must be the site origin, e.g. https://me.github.io' }).optional(),
  /** Site base path, e.g. `/my-journal/` (overridden by LAB_BASE). */
  base: z.string({ error: 'must be a path, e.g. /my-journal/' }).optional(),
  /** The journal's license (an SPDX id or a URL), written into `.eln` exports (RO-Crate requires one). */
  license: z.string().min(1).optional(),
  /** How `lab archive` chooses and shrinks artifacts. */
  archive: z
    .looseObject({
      /** Entries rated at least this are never archived (default 4; 0 turns the exemption off). */
      keep_rating: z.number().int().min(0).max(5).optional(),
      /** Keep entries that an entry newer than the cut-off names as `parent` or `variation_of` (default true). */
      keep_ancestors_of_recent: z.boolean().optional(),
      /** Longest side of the WebP that `thumbnail` keeps, in pixels (default 512). */
      thumbnail_size: z.number().int().min(16).max(4096).optional(),
    })
    .optional(),
  /** `lab sessions summarize`: an OpenAI-compatible endpoint (overridden by LAB_SUMMARIZER_URL / _MODEL). */
  summarizer: z
    .looseObject(
      {
        /** Base URL of the chat-completions API, e.g. http://127.0.0.1:8000/v1. */
        url: z.url({ protocol: /^https?$/, error: 'must be a URL like http://127.0.0.1:8000/v1' }).optional(),
        /** Model name. */
        model: z.string({ error: 'must be a model name' }).optional(),
      },
      { error: 'must be a mapping with `url` and `model`' },
    )
    .optional(),
  /** What the published site may show about the machines entries ran on; both hidden by default. */
  publish: z
    .strictObject({
      /** Show the host name an entry ran on (`execution.host`). */
      host: z.boolean().optional(),
      /** Show absolute paths outside the workspace as written (otherwise only their file name). */
      absolute_paths: z.boolean().optional(),
    })
    .optional(),
});
export type LabConfig = z.infer<typeof configSchema>;

const CONFIG_KEYS = Object.keys(configSchema.shape);

/** Every problem in the config text, as positioned diagnostics (unknown keys are warnings). */
export function checkConfigText(text: string): { config: LabConfig | null; diagnostics: Diagnostic[] } {
  const { data, problems, positions } = parseYamlWithPositions(text, 0);
  const diagnostics = problems.map((p) => diagnostic(CONFIG_FILE, p, 'error', p.rule, p.message));
  if (problems.length) return { config: null, diagnostics };
  const value = data ?? {};
  const at = (keyPath: (string | number)[]) => {
    const p = positionOf(positions, keyPath);
    return p && { line: p[0], column: p[1] };
  };
  const commented = commentedValues(text, value, positions);
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of plainIssues(parsed.error.issues, value)) {
      const key = issue.path.join('.');
      const message = commented[key]
        ? `\`${key}\` is empty: \`#\` starts a YAML comment, so \`${commented[key]}\` was not read as its value; quote it`
        : `\`${key}\` ${issue.message}`;
      diagnostics.push(diagnostic(CONFIG_FILE, at(issue.path), 'error', 'invalid-value', message));
    }
  }
  for (const key of Object.keys(value)) {
    if (!CONFIG_KEYS.includes(key)) {
      diagnostics.push(
        diagnostic(
          CONFIG_FILE,
          at([key]),
          'warning',
          'unknown-key',
          `unknown setting \`${key}\`${didYouMean(key, CONFIG_KEYS)}; known settings: ${CONFIG_KEYS.join(', ')}`,
        ),
      );
    }
  }
  return { config: parsed.success ? parsed.data : null, diagnostics };
}

/** The config's problems (none when the file is absent). */
export async function configDiagnostics(root: string): Promise<Diagnostic[]> {
  const text = await fs.readFile(path.join(root, CONFIG_FILE), 'utf8').catch(() => null);
  return text === null ? [] : checkConfigText(text).diagnostics;
}

/** Reads the config; an absent file is an empty config, a broken one a positioned error. */
export async function readConfig(root: string): Promise<LabConfig> {
  const text = await fs.readFile(path.join(root, CONFIG_FILE), 'utf8').catch(() => null);
  if (text === null) return {};
  const { config, diagnostics } = checkConfigText(text);
  if (!config || diagnostics.some((d) => d.severity === 'error')) throw new LabError(`${CONFIG_FILE} is invalid`, { diagnostics });
  return config;
}

/** `lab.config.yaml` at the workspace root: workspace-wide settings. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseYamlWithPositions } from './source/frontmatter.ts';
import { LabError, diagnostic } from './diagnostics.ts';

export const CONFIG_FILE = 'lab.config.yaml';

/** Schema of `lab.config.yaml`. */
export const configSchema = z.looseObject({
  /** The laboratory's name, shown in the site header. */
  name: z.string().min(1).optional(),
  /** Web URL of the repository (e.g. https://github.com/me/journal), for "view file" links. */
  repository: z.string().url({ error: 'must be a URL like https://github.com/me/journal' }).optional(),
  /** Default branch used by `lab diff` when no base is given. */
  default_branch: z.string().optional(),
  /** Site origin for the static site (overridden by LAB_SITE). */
  site: z.string().optional(),
  /** Site base path, e.g. `/my-journal/` (overridden by LAB_BASE). */
  base: z.string().optional(),
  /** What the published site may show about the machines entries ran on; both hidden by default. */
  publish: z
    .object({
      /** Show the host name an entry ran on (`execution.host`). */
      host: z.boolean().optional(),
      /** Show absolute paths outside the workspace as written (otherwise only their file name). */
      absolute_paths: z.boolean().optional(),
    })
    .optional(),
});
export type LabConfig = z.infer<typeof configSchema>;

/** Reads the config; an absent file is an empty config, a broken one a positioned error. */
export async function readConfig(root: string): Promise<LabConfig> {
  const text = await fs.readFile(path.join(root, CONFIG_FILE), 'utf8').catch(() => null);
  if (text === null) return {};
  const { data, problems, positions } = parseYamlWithPositions(text, 0);
  const diags = problems.map((p) => diagnostic(CONFIG_FILE, p, 'error', p.rule, p.message));
  const parsed = configSchema.safeParse(data ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const pos = positions[issue.path.map(String).join('.')];
      diags.push(diagnostic(CONFIG_FILE, pos && { line: pos[0], column: pos[1] }, 'error', 'invalid-value', `\`${issue.path.join('.')}\` ${issue.message}`));
    }
  }
  if (diags.length) throw new LabError(`${CONFIG_FILE} is invalid`, { diagnostics: diags });
  return parsed.data!;
}

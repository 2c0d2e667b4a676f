/**
 * The integrations' input checks as the compiler receives them (core's
 * `EntryTypes`), and as the engine runs them before every run: one code path,
 * so `lab check` reports exactly what `lab run` would refuse, in the same words.
 */
import type { EntryTypes, InputChecks, InputIssue, ReadInputFile } from '../core/entry-types.ts';
import { plainIssues, type SchemaIssue } from '../core/issue-text.ts';
import { VERSION } from '../version.ts';
import { knownIntegrationTypes, loadIntegration, registeredKey } from './registry.ts';
import type { Integration } from './types.ts';

/** The entry types of the registry, for the compiler: names now, checks when entries are parsed. */
export function registryEntryTypes(): EntryTypes {
  const names = knownIntegrationTypes();
  return {
    names,
    // The lab version too: a new release may check differently, and cached results must not outlive it.
    key: `${[...names].sort().join(',')}|${registeredKey()}|${VERSION}`,
    async load() {
      const byName = new Map<string, Integration<any>>();
      for (const name of names) {
        const integration = await loadIntegration(name);
        if (integration) byName.set(name, integration);
      }
      return checksOf(byName);
    },
  };
}

function checksOf(byName: Map<string, Integration<any>>): InputChecks {
  return {
    validate: (type, inputs) => {
      const integration = byName.get(type);
      return integration ? schemaIssues(integration, inputs) : [];
    },
    inspects: (type) => typeof byName.get(type)?.check === 'function',
    inspect: (type, inputs, read) => {
      const integration = byName.get(type);
      return integration?.check ? integration.check(inputs, { read }) : [];
    },
  };
}

/**
 * Validates inputs as written with the integration's schema, synchronously (an
 * asynchronous Standard Schema is checked at run time only). Values holding
 * `${env:…}` placeholders are known only at run time: issues about them are left
 * to the run.
 */
function schemaIssues(integration: Integration<any>, inputs: Record<string, unknown>): InputIssue[] {
  const result = integration.inputsSchema['~standard'].validate(inputs);
  if (result instanceof Promise) {
    result.catch(() => {}); // checked again, and reported, when the entry runs
    return [];
  }
  if (!result.issues) return [];
  return toInputIssues(result.issues as readonly SchemaIssue[], inputs, integration).filter((i) => !holdsPlaceholder(inputs, i.path));
}

/** Schema issues in plain words, with "did you mean" from the schema's own keys. */
export function toInputIssues(issues: readonly SchemaIssue[], inputs: unknown, integration: Integration<any>): InputIssue[] {
  return plainIssues(issues, inputs, (path) => schemaKeysAt(integration.inputsSchema, path)).map((i) => ({
    path: i.path,
    message: i.kind === 'unknown-key' ? i.message.replace('is not a known key', `is not an input of \`${integration.name}\` entries`) : i.message,
    rule: i.kind === 'unknown-key' ? 'unknown-input' : 'invalid-input',
  }));
}

/** Everything `lab check` and a run check before running: the schema, then the integration's static checks. */
export function checkInputs(integration: Integration<any>, inputs: Record<string, unknown>, read: ReadInputFile): InputIssue[] {
  const issues = schemaIssues(integration, inputs);
  if (issues.some((i) => (i.severity ?? 'error') === 'error') || !integration.check) return issues;
  return [...issues, ...integration.check(inputs, { read })];
}

/** Keys a zod 4 object schema knows at a path (through optional, nullable, default and pipe wrappers). */
export function schemaKeysAt(schema: unknown, path: (string | number)[]): string[] {
  let node = unwrap(schema);
  for (const key of path) {
    const shape = shapeOf(node);
    if (!shape || !(key in shape)) return [];
    node = unwrap(shape[key]);
  }
  return Object.keys(shapeOf(node) ?? {});
}

type ZodLike = { _zod?: { def?: { type?: string; shape?: Record<string, unknown>; innerType?: unknown; in?: unknown } } };

function unwrap(schema: unknown): ZodLike | undefined {
  let s = schema as ZodLike | undefined;
  for (let i = 0; i < 10 && s?._zod?.def; i++) {
    const def = s._zod.def;
    const next = def.type === 'pipe' ? def.in : def.innerType;
    if (!next) break;
    s = next as ZodLike;
  }
  return s;
}

function shapeOf(schema: ZodLike | undefined): Record<string, unknown> | undefined {
  return schema?._zod?.def?.type === 'object' ? schema._zod.def.shape : undefined;
}

function holdsPlaceholder(inputs: unknown, path: (string | number)[]): boolean {
  let node = inputs;
  for (const k of path) {
    if (!node || typeof node !== 'object') return false;
    node = (node as Record<string | number, unknown>)[k];
  }
  return typeof node === 'string' && node.includes('${env:');
}

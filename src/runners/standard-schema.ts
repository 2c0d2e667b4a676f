/**
 * The Standard Schema interface (https://standardschema.dev), which zod 4 and
 * other validators implement, so third-party integrations can bring their own.
 */

export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

type StandardSchemaResult<Output> = { readonly value: Output; readonly issues?: undefined } | { readonly issues: ReadonlyArray<StandardSchemaIssue> };

export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** Validates with any Standard Schema; issues come back with plain key paths. */
export async function validateStandard<Output>(
  schema: StandardSchemaV1<unknown, Output>,
  value: unknown,
): Promise<
  | { value: Output; issues: null; rawIssues: [] }
  | { value: null; issues: { path: PropertyKey[]; message: string }[]; rawIssues: readonly StandardSchemaIssue[] }
> {
  const result = await schema['~standard'].validate(value);
  if (!result.issues) return { value: result.value, issues: null, rawIssues: [] };
  return {
    value: null,
    rawIssues: result.issues,
    issues: result.issues.map((issue) => {
      const path = (issue.path ?? []).map((p) => (typeof p === 'object' && p !== null && 'key' in p ? p.key : p));
      // zod reports unknown keys on the parent object; point at the first offending key instead.
      const keys = (issue as { keys?: unknown }).keys;
      if (Array.isArray(keys) && typeof keys[0] === 'string') path.push(keys[0]);
      return { message: issue.message, path };
    }),
  };
}

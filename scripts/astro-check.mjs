/**
 * `astro check` for the page templates (src/site/**\/*.astro), run by `npm run typecheck` after tsc.
 * `@astrojs/check` refuses TypeScript 7 (its native compiler has no programmatic API yet) and the
 * project's `typescript` is 7, so this drives `@astrojs/language-server`'s checker — the one
 * `astro check` runs — with TypeScript 6 installed under the `typescript6` npm alias. Volar
 * (`@volar/kit`) requires `typescript` by name, so within this process every `typescript` import is
 * resolved to `typescript6` (npm cannot nest a second `typescript` for it: it is a peer dependency).
 * Prints `path:line:col: severity: message` per problem; exits 1 on any error or warning.
 */
import { createRequire, registerHooks } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

registerHooks({
  resolve(specifier, context, nextResolve) {
    const redirected = specifier === 'typescript' || specifier.startsWith('typescript/') ? `typescript6${specifier.slice('typescript'.length)}` : specifier;
    return nextResolve(redirected, context);
  },
});
const { AstroCheck, DiagnosticSeverity } = await import('@astrojs/language-server');

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const require = createRequire(import.meta.url);
const checker = new AstroCheck(root, require.resolve('typescript6'), path.join(root, 'tsconfig.astro.json'));
const result = await checker.lint({ logErrors: undefined });
let problems = 0;
for (const file of result.fileResult) {
  for (const d of [...file.errors].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)) {
    if (d.severity !== DiagnosticSeverity.Error && d.severity !== DiagnosticSeverity.Warning) continue;
    problems++;
    const where = `${path.relative(root, fileURLToPath(file.fileUrl))}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
    const severity = d.severity === DiagnosticSeverity.Error ? 'error' : 'warning';
    console.error(`${where}: ${severity}: ${String(d.message).replaceAll('\n', '\n  ')} (ts${d.code ?? ''})`);
  }
}
console.log(`astro check: ${result.fileChecked} files, ${result.errors} errors, ${result.warnings} warnings`);
process.exitCode = problems > 0 ? 1 : 0;

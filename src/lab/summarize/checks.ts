/**
 * Which commands of a session verified something: tests, builds, type checks,
 * linters and experiment runs. Judged by the program each step of a command
 * line runs (after `cd`, env assignments and wrappers like `npx` or `timeout`),
 * never by words that merely appear in it — `sed -n 1,80p test/x.test.ts` and
 * `rg check` are inspections, and an `apply_patch` heredoc is a patch.
 */
import { isPatchCommand } from '../rollout/tools.ts';

export type CheckKind = 'test' | 'build' | 'typecheck' | 'lint' | 'experiment';

/** Wrappers that run the next word as the program. */
const WRAPPERS = new Set(['npx', 'pnpx', 'bunx', 'env', 'time', 'timeout', 'nice', 'nohup', 'exec', 'sudo', 'xvfb-run', 'dotenv', 'command']);
/** Package-manager scripts, by name. */
const SCRIPT_KINDS: [RegExp, CheckKind][] = [
  [/^(test|tests|test:.*|e2e|spec|coverage|vitest|jest)$/, 'test'],
  [/^(typecheck|type-check|types|tsc|check-types|check:types)$/, 'typecheck'],
  [/^(lint|lint:.*|eslint|format:check|fmt:check|prettier:check|check)$/, 'lint'],
  [/^(build|build:.*|compile|bundle|dist|package)$/, 'build'],
];
/** Programs (and `program subcommand`) and what they check. */
const PROGRAMS: [RegExp, CheckKind][] = [
  [
    /^(pytest|py\.test|vitest|jest|mocha|ava|tap|karma|playwright test|cypress run|rspec|phpunit|ctest|tox|nox|bats|cargo (test|nextest)|go test|deno test|bun test|node --test|swift test|dotnet test|mvn (test|verify)|gradle(w)? (test|check)|\.\/gradlew (test|check)|mix test|python3? -m (pytest|unittest)|uv run pytest|poetry run pytest)\b/,
    'test',
  ],
  [/^(tsc|vue-tsc|mypy|pyright|pytype|cargo check|deno check|python3? -m mypy|flow check)\b/, 'typecheck'],
  [
    /^(eslint|ruff|flake8|pylint|black --check|isort --check|prettier (--check|-c)|stylelint|shellcheck|hadolint|golangci-lint|go vet|cargo (clippy|fmt --check)|clippy|biome (check|lint|ci)|oxlint|rubocop|lab(\.mjs)? check)\b/,
    'lint',
  ],
  [
    /^(make|cmake --build|ninja|cargo build|go build|mvn (package|install)|gradle(w)? build|\.\/gradlew build|dotnet build|swift build|vite build|astro build|next build|webpack|rollup|esbuild|tsup|docker build|lab(\.mjs)? compile)\b/,
    'build',
  ],
];

/** The kind of check a command line is, or null when it only inspects, edits or sets up. */
export function classifyCheck(command: string): CheckKind | null {
  if (isPatchCommand(command) || /(^|[\s;&|(])apply_patch\b/.test(command)) return null;
  // A heredoc's body is data, not commands: only the line that opens it counts.
  const first = command.split('\n')[0]!;
  const script = /<<-?\s*['"]?\w+/.test(first) ? first : command;
  for (const segment of script!.split(/\n|&&|\|\||;|\|/)) {
    const kind = classifySegment(segment.trim());
    if (kind) return kind;
  }
  return null;
}

function classifySegment(segment: string): CheckKind | null {
  let words = segment.split(/\s+/).filter(Boolean);
  // Leading `VAR=value`, wrappers and their numeric/flag arguments (`timeout 60`, `env -i`).
  while (words.length) {
    const w = words[0]!;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) words = words.slice(1);
    else if (WRAPPERS.has(w.replace(/^.*\//, ''))) {
      words = words.slice(1);
      while (words.length && (/^-/.test(words[0]!) || /^\d+[smh]?$/.test(words[0]!))) words = words.slice(1);
    } else break;
  }
  if (!words.length || words[0] === 'cd' || words[0] === 'echo') return null;
  // `node bin/lab.mjs check`, `./bin/lab.mjs run …`: the script is the program.
  if (/^(node|tsx|ts-node|deno run|bun)$/.test(words[0]!) && words[1] && /\.(m?[jt]s|cjs)$/.test(words[1])) words = words.slice(1);
  const program = words[0]!.replace(/^(\.\/)?node_modules\/\.bin\//, '').replace(/^(\.\/)?bin\/(lab)\.mjs$/, '$2');
  // npm/pnpm/yarn/bun scripts: `npm test`, `npm run build`, `pnpm -r lint`, `yarn typecheck`.
  if (/^(npm|pnpm|yarn|bun)$/.test(program)) {
    const rest = words.slice(1).filter((w) => !w.startsWith('-'));
    const script = rest[0] === 'run' || rest[0] === 'run-script' ? rest[1] : rest[0];
    if (!script) return null;
    for (const [re, kind] of SCRIPT_KINDS) if (re.test(script)) return kind;
    if (/^(run-entry|lab)$/.test(script)) return 'experiment';
    return null;
  }
  if (program === 'make') {
    const target = words.slice(1).find((w) => !w.startsWith('-') && !w.includes('='));
    if (!target) return 'build';
    for (const [re, kind] of SCRIPT_KINDS) if (re.test(target)) return kind;
    return /^(all|install|release)$/.test(target) ? 'build' : null;
  }
  const line = [program, ...words.slice(1)].join(' ');
  if (/^lab\s+run\b/.test(line)) return 'experiment';
  for (const [re, kind] of PROGRAMS) if (re.test(line)) return kind;
  return null;
}

/** An issue in an entry's `inputs` as a diagnostic at the offending key (or the nearest key above it). */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { InputIssue } from '../entry-types.ts';
import { type KeyPositions, positionOf } from '../source/positions.ts';

export function inputDiagnostic(file: string, positions: KeyPositions, headerLine: number, issue: InputIssue): Diagnostic {
  const path = ['inputs', ...issue.path.map(String)];
  const p = positionOf(positions, path);
  return diagnostic(
    file,
    p ? { line: p[0], column: p[1] } : { line: headerLine, column: 1 },
    issue.severity ?? 'error',
    issue.rule ?? 'invalid-input',
    `\`${path.join('.')}\` ${issue.message}`,
  );
}

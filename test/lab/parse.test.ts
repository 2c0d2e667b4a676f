import { describe, expect, it } from 'vitest';
import { buildRawSession, displayPath } from '../../src/lab/record.ts';
import { parseRollout } from '../../src/lab/rollout/parse.ts';
import { splitRolloutText } from '../../src/lab/rollout/read.ts';
import { commandFromArgv, interpretToolOutput, patchStats } from '../../src/lab/rollout/tools.ts';

const lines = (...objs: unknown[]) => splitRolloutText(Buffer.from(objs.map((o) => JSON.stringify(o)).join('\n') + '\n')).lines;
const L = (timestamp: string, type: string, payload: unknown) => ({ timestamp, type, payload });

describe('rollout details across versions', () => {
  it('skips injected context sent as user_message events (kind != plain)', () => {
    const r = parseRollout(
      lines(
        L('2025-09-01T10:00:00Z', 'session_meta', { id: 's1', timestamp: '2025-09-01T10:00:00Z', cwd: '/r' }),
        L('2025-09-01T10:00:01Z', 'event_msg', {
          type: 'user_message',
          message: '<user_instructions>\nbe brief\n</user_instructions>',
          kind: 'user_instructions',
        }),
        L('2025-09-01T10:00:01Z', 'event_msg', {
          type: 'user_message',
          message: '<environment_context>\n<cwd>/r</cwd>\n</environment_context>',
          kind: 'environment_context',
        }),
        L('2025-09-01T10:00:02Z', 'event_msg', { type: 'user_message', message: 'fix the bug', kind: 'plain' }),
        L('2025-09-01T10:00:03Z', 'response_item', { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'sandbox rules' }] }),
      ),
    );
    expect(r.ok && r.session.userMessages.map((m) => m.text)).toEqual(['fix the bug']);
  });

  it('normalises timestamps with offsets to UTC', () => {
    const r = parseRollout(lines(L('2025-09-01T12:00:00+02:00', 'session_meta', { id: 's2', timestamp: '2025-09-01T12:00:00.5+02:00', cwd: '/r' })));
    expect(r.ok && [r.session.start, r.session.end]).toEqual(['2025-09-01T10:00:00.500Z', '2025-09-01T10:00:00.000Z']);
  });

  it('makes Windows paths repo-relative too', () => {
    expect(displayPath('src\\a.ts', 'C:\\work\\repo', 'C:\\work\\repo')).toBe('src/a.ts');
    expect(displayPath('C:\\work\\repo\\b.ts', 'C:\\work\\repo\\sub', 'C:\\work\\repo')).toBe('b.ts');
    expect(displayPath('/etc/hosts', '/r', '/r')).toBe('/etc/hosts');
  });

  it('reads shell argv, exit codes in every output shape, and patch statistics', () => {
    expect(commandFromArgv(['bash', '-lc', 'ls -la'])).toBe('ls -la');
    expect(commandFromArgv(['/bin/zsh', '-c', 'pwd'])).toBe('pwd');
    expect(commandFromArgv(['git', 'commit', '-m', "it's done"])).toBe("git commit -m 'it'\\''s done'");
    expect(interpretToolOutput('{"output":"x","metadata":{"exit_code":3,"duration_seconds":1.5}}')).toEqual({ text: 'x', exitCode: 3, duration: 1.5 });
    expect(interpretToolOutput('Exit code: 0\nWall time: 0.2 seconds\nOutput:\nok\n')).toEqual({ text: 'ok\n', exitCode: 0, duration: 0.2 });
    expect(interpretToolOutput('Chunk ID: a\nWall time: 1.0 seconds\nProcess exited with code 2\nOutput:\nboom')).toEqual({
      text: 'boom',
      exitCode: 2,
      duration: 1,
    });
    expect(interpretToolOutput('plain')).toEqual({ text: 'plain', exitCode: null, duration: null });
    expect(
      patchStats('*** Begin Patch\n*** Add File: a.ts\n+x\n+y\n*** Update File: b.ts\n*** Move to: c.ts\n@@\n-old\n+new\n*** Delete File: d.ts\n*** End Patch'),
    ).toEqual([
      { path: 'a.ts', op: 'add', added: 2, removed: 0, movedTo: null },
      { path: 'b.ts', op: 'update', added: 1, removed: 1, movedTo: 'c.ts' },
      { path: 'd.ts', op: 'delete', added: 0, removed: 0, movedTo: null },
    ]);
  });

  it('an unknown tool and an output without its call do not break the session', () => {
    const r = parseRollout(
      lines(
        L('2026-01-01T00:00:00Z', 'session_meta', { id: 's3', timestamp: '2026-01-01T00:00:00Z', cwd: '/r' }),
        L('2026-01-01T00:00:01Z', 'response_item', { type: 'function_call', name: 'view_image', arguments: '{"path":"a.png"}', call_id: 'v1' }),
        L('2026-01-01T00:00:02Z', 'response_item', { type: 'function_call_output', call_id: 'ghost', output: 'Exit code: 1\nOutput:\n' }),
        L('2026-01-01T00:00:03Z', 'response_item', { type: 'web_search_call', action: { query: 'x' } }),
      ),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { record } = buildRawSession(r.session, { capture: 'commands', repoRoot: '/r' });
    expect(record['lab/commands']).toEqual([]);
    expect(record['lab/errors']).toEqual([]);
  });

  it('a patch whose only sign of failure is its output does not count as touching files', () => {
    const r = parseRollout(
      lines(
        L('2026-01-01T00:00:00.000Z', 'session_meta', { id: 's4', timestamp: '2026-01-01T00:00:00.000Z', cwd: '/r' }),
        L('2026-01-01T00:00:01.000Z', 'response_item', {
          type: 'custom_tool_call',
          name: 'apply_patch',
          call_id: 'p1',
          input: '*** Begin Patch\n*** Update File: a.ts\n@@\n-x\n+y\n*** End Patch',
        }),
        L('2026-01-01T00:00:02.000Z', 'response_item', {
          type: 'custom_tool_call_output',
          call_id: 'p1',
          output: 'apply_patch verification failed: Failed to find expected lines in a.ts',
        }),
        L('2026-01-01T00:00:03.000Z', 'response_item', {
          type: 'custom_tool_call',
          name: 'apply_patch',
          call_id: 'p2',
          input: '*** Begin Patch\n*** Add File: b.ts\n+z\n*** End Patch',
        }),
        L('2026-01-01T00:00:04.000Z', 'response_item', {
          type: 'custom_tool_call_output',
          call_id: 'p2',
          output: 'Success. Updated the following files:\nA b.ts',
        }),
      ),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { record } = buildRawSession(r.session, { capture: 'commands', repoRoot: '/r' });
    expect(record['lab/files-touched']).toEqual(['b.ts']);
    expect(record['lab/errors']).toEqual(['apply_patch failed: apply_patch verification failed: Failed to find expected lines in a.ts']);
  });
});

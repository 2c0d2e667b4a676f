import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/lab/redact.ts';

describe('redactSecrets', () => {
  it.each([
    ['curl -H "Authorization: Bearer abcdefghijklmnop123" https://x', 'curl -H "Authorization: Bearer [REDACTED]" https://x'],
    ['OPENAI_API_KEY=sk-abcdefghijklmnopqrstuvwx npm test', 'OPENAI_API_KEY=[REDACTED] npm test'],
    ['psql postgres://bob:hunter2@db:5432/x', 'psql postgres://bob:[REDACTED]@db:5432/x'],
    ['export GITHUB_TOKEN=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'export GITHUB_TOKEN=[REDACTED]'],
    ['git push https://ghp_abcdefghijklmnopqrstuvwxyz0123@github.com/o/r', 'git push https://[REDACTED]@github.com/o/r'],
    ['mytool --password s3cret --token=abc123', 'mytool --password [REDACTED] --token=[REDACTED]'],
    ['{"password": "abc", "api_key": "k-123"}', '{"password": [REDACTED], "api_key": [REDACTED]}'],
    ['curl -u admin:pw123 http://x', 'curl -u admin:[REDACTED] http://x'],
    ['aws s3 ls # AKIAABCDEFGHIJKLMNOP', 'aws s3 ls # [REDACTED]'],
    ['echo eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV', 'echo [REDACTED]'],
  ])('redacts %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it.each([
    'npm test -- --max-tokens=100 max_tokens=100',
    'Tokens: these are the words the model reads',
    'echo $TOKEN',
    'DB_PASSWORD=${DB_PASSWORD} ./run.sh',
    'git log --oneline -n 5',
  ])('leaves %s alone', (input) => {
    expect(redactSecrets(input)).toBe(input);
  });
});

/**
 * Removes secrets from text before it reaches a file: tokens, API keys,
 * passwords in assignments, flags, headers and URLs. Errs on the side of
 * redacting: a lost token in a command line is cheap, a leaked one is not.
 */

const REDACTED = '[REDACTED]';

const SECRET_NAME = String.raw`[A-Za-z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|PASS|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|AUTH|CREDENTIALS?|PWD)[A-Za-z0-9_]*`;

const RULES: [RegExp, string | ((...m: string[]) => string)][] = [
  // Well-known token shapes, wherever they appear.
  [/\b(sk-(?:proj-|ant-)?[A-Za-z0-9_-]{16,})/g, REDACTED],
  [/\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, REDACTED],
  [/\b(xox[abposr]-[A-Za-z0-9-]{10,})/g, REDACTED],
  [/\b((?:AKIA|ASIA)[0-9A-Z]{16})\b/g, REDACTED],
  [/\b(glpat-[A-Za-z0-9_-]{20,})/g, REDACTED],
  [/\b(AIza[0-9A-Za-z_-]{35})/g, REDACTED],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, REDACTED], // JWTs
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  // Authorization headers and bearer tokens.
  [
    /\b(Authorization|Proxy-Authorization)(["']?\s*[:=]\s*["']?)(?:(Bearer|Basic|Token)\s+)?[^\s"',}]+/gi,
    (_m, h, sep, scheme) => `${h}${sep}${scheme ? `${scheme} ` : ''}${REDACTED}`,
  ],
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`],
  [/\b(X-Api-Key|Api-Key|X-Auth-Token)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, `$1$2${REDACTED}`],
  // Credentials inside URLs: scheme://user:password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, `$1${REDACTED}@`],
  // NAME=value and NAME: value where the name says it is a secret.
  [
    new RegExp(String.raw`\b(${SECRET_NAME})(\s*=\s*|["']?\s*:\s*)("[^"]*"|'[^']*'|[^\s"',;&|)}]+)`, 'gi'),
    (m, name, sep, value) => (keepValue(sep, value) ? m : `${name}${sep}${REDACTED}`),
  ],
  // --password VALUE, --token=VALUE, --api-key VALUE …
  [/(--?(?:[a-z0-9-]*-)?(?:password|passwd|token|secret|api-key|apikey|access-key|auth))(=|\s+)("[^"]*"|'[^']*'|[^\s"']+)/gi, `$1$2${REDACTED}`],
  // mysql -pSECRET / curl -u user:pass
  [/(\s-u\s+["']?[^\s:"']+:)[^\s"']+/g, `$1${REDACTED}`],
];

/** Returns `text` with every secret-looking value replaced by `[REDACTED]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [re, replacement] of RULES) {
    out = typeof replacement === 'string' ? out.replace(re, replacement) : out.replace(re, replacement as (...m: string[]) => string);
  }
  return out;
}

/** Small numbers (`max_tokens=100`) and prose after a colon (`Tokens: these are…`) are not secrets. */
function keepValue(separator: string, value: string): boolean {
  if (/^\d{1,7}$/.test(value) || value === REDACTED || /^["']?\$\{?\w+\}?["']?$/.test(value)) return true;
  const quoted = /^["']/.test(value);
  return separator.includes(':') && !separator.includes('"') && !quoted && !/[\d_\-+/=]/.test(value);
}

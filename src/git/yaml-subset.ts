/**
 * A small, exact subset of YAML for the history walk's hot path: blocks of
 * `key: scalar` lines, nested block mappings and one-line flow collections of
 * simple scalars — the shape of what the runner writes — resolved with the
 * YAML 1.2 core schema exactly as `yaml` does. Anything outside the subset
 * returns null and goes to the real parser (test/git/entry-versions.test.ts
 * checks the two agree).
 */

const KEY_VALUE = /^( *)([A-Za-z_][\w-]*):(?:[ \t]+(.*?))?[ \t]*$/;
const PLAIN = /^[A-Za-z0-9_.+\-/()][^#:{}[\],&*!|>'"%@`]*$/;
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * Parses a block made only of `key: scalar` lines and nested `key:` mappings
 * (the shape the runner writes for execution, outputs and metrics), resolving
 * scalars with the YAML 1.2 core schema as `yaml` does. Returns null for
 * anything else — flow collections, sequences, block scalars, escapes,
 * tabs, odd indentation — which then goes to the real parser.
 */
export function simpleBlock(block: string): { value: unknown } | null {
  const lines = block.split('\n');
  const first = KEY_VALUE.exec(lines[0]);
  if (!first || first[1] !== '') return null;
  if (first[3] !== undefined) return lines.length === 1 ? scalar(first[3]) : null;
  const root: Record<string, unknown> = {};
  // Open mappings: their indentation (fixed by their first child) and the object.
  const stack: { indent: number; obj: Record<string, unknown> }[] = [{ indent: -1, obj: root }];
  let pending: { key: string; parent: Record<string, unknown> } | null = null;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim() || /^ *#/.test(line)) continue;
    const m = KEY_VALUE.exec(line);
    if (!m) return null;
    const indent = m[1].length;
    if (indent === 0) return null;
    if (pending) {
      // The first line after `key:` opens its mapping, deeper than the parent.
      if (indent <= stack[stack.length - 1].indent) return null;
      const obj: Record<string, unknown> = {};
      pending.parent[pending.key] = obj;
      stack.push({ indent, obj });
      pending = null;
    } else {
      while (stack.length > 1 && indent < stack[stack.length - 1].indent) stack.pop();
      const top = stack[stack.length - 1];
      if (top.indent === -1 && !Object.keys(root).length) stack[0].indent = indent;
      if (indent !== stack[stack.length - 1].indent) return null;
    }
    const target = stack[stack.length - 1].obj;
    if (m[2] in target) return null;
    if (m[3] === undefined) {
      target[m[2]] = null;
      pending = { key: m[2], parent: target };
      continue;
    }
    const v = scalar(m[3]);
    if (!v) return null;
    target[m[2]] = v.value;
  }
  return { value: Object.keys(root).length ? root : null };
}

/** One value: a flow collection of simple scalars, or a scalar. */
function scalar(raw: string): { value: unknown } | null {
  if (raw[0] === '{' || raw[0] === '[') {
    const r = flow(raw, 0);
    return r && raw.slice(r.end).trim() === '' ? { value: r.value } : null;
  }
  return plainOrQuoted(raw, true);
}

/** A scalar: plain (core schema), or quoted without escapes. */
function plainOrQuoted(raw: string, inBlock = false): { value: unknown } | null {
  if (/^'[^']*'$/.test(raw) || /^"[^"\\]*"$/.test(raw)) return { value: raw.slice(1, -1) };
  // In block context a plain scalar may hold `:` (timestamps, URLs) unless followed by a space.
  if (raw !== '' && !PLAIN.test(inBlock ? raw.replace(/:(?=\S)/g, '') : raw)) return null;
  if (raw === '' || raw === '~' || raw === 'null' || raw === 'Null' || raw === 'NULL') return { value: null };
  if (/^(true|True|TRUE)$/.test(raw)) return { value: true };
  if (/^(false|False|FALSE)$/.test(raw)) return { value: false };
  if (INT.test(raw)) {
    const n = Number(raw);
    return Number.isSafeInteger(n) ? { value: n } : null;
  }
  if (FLOAT.test(raw)) return { value: Number(raw) };
  // Hex/octal ints, infinities and NaN: leave them to the real parser.
  if (/^0[ox]/.test(raw) || /^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$/.test(raw)) return null;
  return { value: raw };
}

/**
 * A one-line flow collection (`{ seed: 42, sampler: { name: euler } }`,
 * `[a, b]`) whose keys are simple and whose scalars are plain without `:` or
 * `#`, or quoted without escapes. Null for anything else.
 */
function flow(s: string, start: number): { value: unknown; end: number } | null {
  let i = start;
  const ws = () => {
    while (s[i] === ' ') i++;
  };
  const item = (): { value: unknown } | null => {
    ws();
    if (s[i] === '{' || s[i] === '[') {
      const r = flow(s, i);
      if (!r) return null;
      i = r.end;
      return { value: r.value };
    }
    const q = s[i];
    if (q === '"' || q === "'") {
      const close = s.indexOf(q, i + 1);
      if (close < 0) return null;
      const text = s.slice(i, close + 1);
      if (s[close + 1] === q) return null;
      i = close + 1;
      return plainOrQuoted(text);
    }
    let j = i;
    while (j < s.length && !',[]{}:#'.includes(s[j])) j++;
    const text = s.slice(i, j).trim();
    if (!text || s[j] === '#') return null;
    i = j;
    return plainOrQuoted(text);
  };
  const open = s[i++];
  const close = open === '{' ? '}' : ']';
  const out: Record<string, unknown> | unknown[] = open === '{' ? {} : [];
  ws();
  if (s[i] === close) return { value: out, end: i + 1 };
  for (;;) {
    if (open === '{') {
      ws();
      const key = /^[A-Za-z0-9_][\w.-]*/.exec(s.slice(i));
      if (!key) return null;
      i += key[0].length;
      if (s[i] !== ':' || (s[i + 1] !== ' ' && s[i + 1] !== '{' && s[i + 1] !== '[')) return null;
      i++;
      const obj = out as Record<string, unknown>;
      if (key[0] in obj) return null;
      const v = item();
      if (!v) return null;
      obj[key[0]] = v.value;
    } else {
      const v = item();
      if (!v) return null;
      (out as unknown[]).push(v.value);
    }
    ws();
    if (s[i] === ',') {
      i++;
      ws();
      if (s[i] === close) return null; // trailing comma: leave it to the real parser
      continue;
    }
    if (s[i] === close) return { value: out, end: i + 1 };
    return null;
  }
}

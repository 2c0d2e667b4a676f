#!/usr/bin/env node
// Round-trip check for frontmatter write-back: the runner may change only its own
// keys (status, execution, outputs, metrics, artifacts, logs); every other byte of
// the file — key order, comments, quoting, line endings, the body — must survive.
//
// Runs two strategies over a corpus of awkward-but-valid entry files:
//   regex   the first attempt: line-based substitution on the whole file
//   yaml    the adopted one: yaml's Document API on the frontmatter only
// and counts the cases each one breaks. Needs the `yaml` package (resolved from the
// repository's node_modules). Metrics go to $LAB_METRICS_FILE.
import { writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';

const RUNNER_KEYS = new Set(['status', 'execution', 'outputs', 'metrics', 'artifacts', 'logs']);
const RESULT = { status: 'completed', outputs: { row_count: 3 }, metrics: { duration_seconds: 0.42 } };

const CORPUS = {
  plain: '---\nid: entry-000000000001\ntitle: Plain\ntype: sql\n---\n\nBody.\n',
  comments: '---\n# who ran this and why\nid: entry-000000000002\ntitle: Comments # trailing comment\n\n# inputs below\ninputs:\n  query: SELECT 1 # the simplest query\n---\nBody.\n',
  quoting: "---\nid: entry-000000000003\ntitle: \"Render: 'golden hour' 🌅 夕焼け\"\ntags: ['a: b', \"c\"]\n---\n",
  flow_and_block: '---\nid: entry-000000000004\ntitle: Flow\ntags: [x, y]\ninputs: {seed: 42, cfg: 7.5}\nlist:\n  - one\n  - two\n---\n',
  existing_status: '---\nid: entry-000000000005\ntitle: Rerun\nstatus: created\ntags: [a]\n---\n',
  crlf: '---\r\nid: entry-000000000006\r\ntitle: Windows\r\ntags: [w]\r\n---\r\nBody with CRLF.\r\n',
  block_scalar: '---\nid: entry-000000000007\ntitle: Block\ninputs:\n  query: |\n    SELECT status\n    FROM runs\n    WHERE status = \'failed\'\n---\n',
  body_lookalike: '---\nid: entry-000000000008\ntitle: Body lookalike\n---\n\nNotes:\n\nstatus: this line is prose, not frontmatter\n\n---\n\nmetrics: also prose\n',
  status_first: '---\nstatus: created\nid: entry-000000000009\ntitle: Status first\n---\n',
  long_line: `---\nid: entry-000000000010\ntitle: ${'A very long title that goes on '.repeat(4).trim()}\n---\n`,
};

/** The naive first attempt: regex over the whole file. */
function regexStrategy(text) {
  let out = text;
  for (const [key, value] of Object.entries(RESULT)) {
    const line = `${key}: ${JSON.stringify(value)}`;
    const re = new RegExp(`^${key}:.*$`, 'm');
    out = re.test(out) ? out.replace(re, line) : out.replace(/\n---\n/, `\n${line}\n---\n`);
  }
  return out;
}

/** The adopted approach: Document API on the frontmatter only, line endings restored. */
function yamlStrategy(text) {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lf = text.replace(/\r\n/g, '\n');
  const m = /^---\n([\s\S]*?\n)?---(\n|$)/.exec(lf);
  if (!m) throw new Error('no frontmatter');
  const doc = parseDocument(m[1] ?? '');
  for (const [key, value] of Object.entries(RESULT)) doc.set(key, value);
  const yamlText = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return (`---\n${yamlText}---${m[2]}` + lf.slice(m[0].length)).replace(/\n/g, eol);
}

/** The file with runner-owned top-level keys (and their continuation lines) removed. */
function userPart(text) {
  const lf = text.replace(/\r\n/g, '\n');
  const m = /^---\n([\s\S]*?\n)?---(\n|$)/.exec(lf);
  if (!m) return null;
  const kept = [];
  let skipping = false;
  for (const line of (m[1] ?? '').split('\n')) {
    const top = /^([A-Za-z_][\w-]*):/.exec(line);
    if (top) skipping = RUNNER_KEYS.has(top[1]);
    else if (line && !/^[ \t]/.test(line)) skipping = false;
    if (!skipping) kept.push(line);
  }
  return { front: kept.join('\n').replace(/\n+$/, ''), body: lf.slice(m[0].length) };
}

function verify(before, after) {
  const problems = [];
  const a = userPart(before);
  const b = userPart(after);
  if (!b) return ['frontmatter lost'];
  if (a.front !== b.front) problems.push('user frontmatter changed');
  if (a.body !== b.body) problems.push('body changed');
  if (before.includes('\r\n') && /[^\r]\n/.test(after)) problems.push('mixed line endings');
  const fm = /^---\r?\n([\s\S]*?)\r?\n---/.exec(after);
  const doc = parseDocument((fm?.[1] ?? '').replace(/\r\n/g, '\n'));
  if (doc.errors.length) problems.push(`invalid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  else if (doc.get('status') !== 'completed') problems.push('status not written');
  return problems;
}

const failures = { regex: 0, yaml: 0 };
for (const [name, text] of Object.entries(CORPUS)) {
  for (const [strategy, fn] of [['regex', regexStrategy], ['yaml', yamlStrategy]]) {
    let problems;
    try {
      problems = verify(text, fn(text));
    } catch (e) {
      problems = [`threw: ${e.message}`];
    }
    if (problems.length) failures[strategy]++;
    console.log(`${problems.length ? 'FAIL' : 'ok  '} ${strategy.padEnd(5)} ${name.padEnd(16)} ${problems.join('; ')}`);
  }
}
const cases = Object.keys(CORPUS).length;
console.log(`\n${cases} cases: regex broke ${failures.regex}, yaml broke ${failures.yaml}`);
if (process.env.LAB_METRICS_FILE) {
  writeFileSync(process.env.LAB_METRICS_FILE, JSON.stringify({ cases, regex_failures: failures.regex, roundtrip_failures: failures.yaml }, null, 2) + '\n');
}
process.exitCode = failures.yaml ? 1 : 0;

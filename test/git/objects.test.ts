import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommit, parseTree } from '../../src/git/object-format.ts';
import { ObjectStore } from '../../src/git/objects.ts';
import { openRepo } from '../../src/git/repo.ts';
import { mergeBase } from '../../src/git/revisions.ts';
import { diffTrees } from '../../src/git/tree-diff.ts';
import { removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

/** Every object of a repository as git itself reads it (`git cat-file --batch`). */
function allObjects(dir: string): Map<string, { type: string; data: Buffer }> {
  const list = execFileSync('git', ['-C', dir, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname)'], { encoding: 'utf8' }).trim().split('\n');
  const raw = execFileSync('git', ['-C', dir, 'cat-file', '--batch'], { input: `${list.join('\n')}\n`, maxBuffer: 1 << 28 });
  const out = new Map<string, { type: string; data: Buffer }>();
  let pos = 0;
  while (pos < raw.length) {
    const nl = raw.indexOf(10, pos);
    const [oid, type, size] = raw.subarray(pos, nl).toString().split(' ');
    const start = nl + 1;
    out.set(oid!, { type: type!, data: raw.subarray(start, start + Number(size)) });
    pos = start + Number(size) + 1;
  }
  return out;
}

function makeHistory(): string {
  const dir = tempDir('lab-objects-');
  const g = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], {
      env: { ...process.env, GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@x', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@x' },
    });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  let text = Array.from({ length: 400 }, (_, i) => `line ${i}: the quick brown fox ${i * 7}`).join('\n');
  for (let c = 0; c < 25; c++) {
    // Small edits to big files: git gc stores most versions as deltas.
    text = text.replace(`line ${c * 3}:`, `line ${c * 3} (edited ${c}):`);
    fs.mkdirSync(path.join(dir, 'content', `d${c % 3}`), { recursive: true });
    fs.writeFileSync(path.join(dir, 'content', `d${c % 3}`, 'notes.md'), `${text}\n${c}\n`);
    fs.writeFileSync(path.join(dir, 'big.txt'), text.repeat(3));
    g('add', '-A');
    g('commit', '-q', '-m', `commit ${c}\n\nbody line`);
  }
  g('gc', '-q', '--aggressive');
  // One more commit stays loose.
  fs.writeFileSync(path.join(dir, 'loose.txt'), 'loose object\n');
  g('add', '-A');
  g('commit', '-q', '-m', 'loose');
  return dir;
}

describe('ObjectStore (fast pack reader)', () => {
  it('reads every packed, deltified and loose object exactly as git does', () => {
    const dir = makeHistory();
    const expected = allObjects(dir);
    expect(fs.readdirSync(path.join(dir, '.git', 'objects', 'pack')).some((n) => n.endsWith('.pack'))).toBe(true);
    const verify = execFileSync(
      'git',
      [
        '-C',
        dir,
        'verify-pack',
        '-v',
        ...fs
          .readdirSync(path.join(dir, '.git', 'objects', 'pack'))
          .filter((n) => n.endsWith('.idx'))
          .map((n) => path.join(dir, '.git', 'objects', 'pack', n)),
      ],
      { encoding: 'utf8' },
    );
    expect(verify).toMatch(/chain length = [1-9]/); // the pack really has deltas
    const store = new ObjectStore(path.join(dir, '.git'));
    try {
      for (const [oid, obj] of expected) {
        const got = store.read(oid);
        expect(got, oid).not.toBeNull();
        expect(got!.type).toBe(obj.type);
        expect(got!.data.equals(obj.data), `${oid} ${obj.type}`).toBe(true);
      }
      expect(store.read('0'.repeat(40))).toBeNull();
    } finally {
      store.close();
    }
  });

  it('reads a repository with a multi-pack-index and several packs exactly as git does', () => {
    const dir = makeHistory();
    const g = (...args: string[]) =>
      execFileSync('git', ['-C', dir, ...args], {
        env: { ...process.env, GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@x', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@x' },
      });
    fs.writeFileSync(path.join(dir, 'second.txt'), 'a second pack\n');
    g('add', '-A');
    g('commit', '-q', '-m', 'second pack');
    g('repack', '-q', '-d'); // the new objects in a pack of their own, beside the first
    g('multi-pack-index', 'write');
    const packDir = path.join(dir, '.git', 'objects', 'pack');
    expect(fs.existsSync(path.join(packDir, 'multi-pack-index'))).toBe(true);
    expect(fs.readdirSync(packDir).filter((n) => n.endsWith('.pack')).length).toBeGreaterThan(1);
    const store = new ObjectStore(path.join(dir, '.git'));
    try {
      for (const [oid, obj] of allObjects(dir)) expect(store.read(oid)?.data.equals(obj.data), oid).toBe(true);
    } finally {
      store.close();
    }
  });

  it('refuses a SHA-256 repository with a clear message instead of misreading it', () => {
    const dir = tempDir('lab-sha256-');
    execFileSync('git', ['init', '-q', '--object-format=sha256', '-b', 'main', dir]);
    fs.mkdirSync(path.join(dir, 'content'));
    expect(() => openRepo(path.join(dir, 'content'))).toThrow(
      /names its objects with SHA256 \(extensions\.objectFormat\); lab history and lab diff read SHA-1 repositories only/,
    );
  });

  it('parses trees and commits', () => {
    const dir = makeHistory();
    const store = new ObjectStore(path.join(dir, '.git'));
    const head = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD~1'], { encoding: 'utf8' }).trim();
    const commit = parseCommit(store.read(head)!.data);
    expect(commit.parents).toHaveLength(1);
    expect(commit.author.name).toBe('A');
    expect(commit.message).toBe('commit 24\n\nbody line\n');
    const tree = parseTree(store.read(commit.tree)!.data);
    const lsTree = execFileSync('git', ['-C', dir, 'ls-tree', commit.tree], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => {
        const [meta, name] = l.split('\t');
        const [mode, , oid] = meta!.split(' ');
        return { mode: mode!.replace(/^0/, ''), name, oid };
      });
    expect(tree).toEqual(lsTree);
    store.close();
  });
});

describe('diffTrees', () => {
  it('finds the same changed files as git diff-tree, file↔folder swaps included', async () => {
    const dir = tempDir('lab-treediff-');
    const env = { ...process.env, GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@x', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@x' };
    const g = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { env, encoding: 'utf8' });
    execFileSync('git', ['init', '-q', '-b', 'main', dir]);
    const write = (p: string, t: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), t);
    };
    const steps: (() => void)[] = [
      () => {
        write('a/x.md', '1');
        write('a/y.md', '1');
        write('a-b.md', '1');
        write('b/c/d.md', '1');
        write('z', '1');
      },
      () => {
        write('a/x.md', '2');
        fs.rmSync(path.join(dir, 'a-b.md'));
        write('b/c/e.md', '1');
      },
      () => {
        fs.rmSync(path.join(dir, 'z'));
        write('z/inner.md', 'now a folder');
        write('a.md', 'sorts between a/ and a-b');
      },
      () => {
        fs.rmSync(path.join(dir, 'z'), { recursive: true });
        write('z', 'a file again');
        fs.rmSync(path.join(dir, 'b'), { recursive: true });
      },
      () => {
        fs.chmodSync(path.join(dir, 'a/y.md'), 0o755);
        write('ünïcode/名前.md', 'x');
      },
    ];
    const commits: string[] = [];
    for (const step of steps) {
      step();
      g('add', '-A');
      g('commit', '-q', '--allow-empty', '-m', 'step');
      commits.push(g('rev-parse', 'HEAD').trim());
    }
    g('gc', '-q');
    const repo = openRepo(dir)!;
    const treeOf = (c: string) => g('rev-parse', `${c}^{tree}`).trim();
    for (let i = 0; i < commits.length; i++) {
      const from = i ? treeOf(commits[i - 1]!) : null;
      const ours = (await diffTrees(repo, from, treeOf(commits[i]!)))
        .filter((c) => c.old !== c.new)
        .map((c) => c.path)
        .sort();
      const theirs = (
        i
          ? g('-c', 'core.quotepath=false', 'diff-tree', '-r', '--no-renames', '--name-only', commits[i - 1]!, commits[i]!)
          : g('-c', 'core.quotepath=false', 'ls-tree', '-r', '--name-only', commits[i]!)
      )
        .trim()
        .split('\n')
        .filter(Boolean)
        .sort();
      // A mode-only change (chmod) keeps the blob: git lists it, the journal has nothing to compare.
      expect(ours, `step ${i}`).toEqual(theirs.filter((p) => !(i === 4 && p === 'a/y.md')));
    }
    repo.store.close();
  });
});

describe('mergeBase', () => {
  it('agrees with git merge-base across branches and merges', async () => {
    const dir = tempDir('lab-mergebase-');
    const env = { ...process.env, GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@x', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@x' };
    const g = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { env, encoding: 'utf8' }).trim();
    execFileSync('git', ['init', '-q', '-b', 'main', dir]);
    let n = 0;
    const commit = () => {
      fs.writeFileSync(path.join(dir, `f${n++}.txt`), String(n));
      g('add', '-A');
      g('commit', '-q', '-m', `c${n}`);
      return g('rev-parse', 'HEAD');
    };
    commit();
    commit();
    g('checkout', '-q', '-b', 'feature');
    commit();
    g('checkout', '-q', 'main');
    commit();
    g('merge', '-q', '--no-edit', 'feature');
    g('checkout', '-q', 'feature');
    commit();
    g('checkout', '-q', '-b', 'side', 'main~1');
    commit();
    g('checkout', '-q', '--orphan', 'alone');
    commit();
    g('gc', '-q');
    const repo = openRepo(dir)!;
    const refs = ['main', 'feature', 'side', 'main~1', 'feature~1'];
    for (const x of refs) {
      for (const y of refs) {
        const [a, b] = [g('rev-parse', x), g('rev-parse', y)];
        expect(await mergeBase(repo, a, b), `${x} ${y}`).toBe(g('merge-base', a, b));
      }
    }
    expect(await mergeBase(repo, g('rev-parse', 'main'), g('rev-parse', 'alone'))).toBeNull();
  });
});

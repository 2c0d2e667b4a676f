/**
 * The benchmark's measures: memory summed over a process tree (scripts/bench/process-tree-rss.ts)
 * and a built site's size against GitHub Pages' limits (scripts/bench/hosting-limits.ts).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { describeHosting, measureSite } from '../../scripts/bench/hosting-limits.ts';
import { sampleProcessTree } from '../../scripts/bench/process-tree-rss.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'lab-bench-measures-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(process.platform !== 'linux')('process tree memory', () => {
  test('counts the children and grandchildren, each with its own peak', async () => {
    // A child holding 150 MB runs a grandchild holding 100 MB to its end (so the grandchild stays in
    // the tree however slowly a loaded machine starts it), and both are alive together meanwhile.
    const hold = (mb: number, then: string) => `const b=Buffer.alloc(${mb}*1024*1024,1);${then}setTimeout(()=>{b.length},1500);`;
    const grandchild = hold(100, '');
    const child = hold(150, `require('node:child_process').spawnSync(process.execPath,['-e',${JSON.stringify(grandchild)}],{stdio:'inherit'});`);
    const proc = spawn(process.execPath, ['-e', child], { stdio: 'inherit' });
    const sampler = sampleProcessTree(proc.pid!, 50);
    await new Promise((resolve) => proc.on('close', resolve));
    const m = sampler.stop();
    const nodes = m.processes.filter((p) => p.name === 'node');
    expect(nodes.length).toBe(2);
    expect(nodes[0]!.peakMb).toBeGreaterThan(150);
    expect(nodes[1]!.peakMb).toBeGreaterThan(100);
    expect(nodes[1]!.peakMb).toBeLessThan(150);
    // The sum counts both at once: more than either alone.
    expect(m.peakTotalMb).toBeGreaterThan(250);
    expect(m.samples).toBeGreaterThan(5);
  });
});

describe('hosting limits', () => {
  test('sizes, file count, the largest file and the tar upload-pages-artifact would make', () => {
    const dist = path.join(work, 'dist');
    mkdirSync(path.join(dist, 'pagefind', 'index'), { recursive: true });
    writeFileSync(path.join(dist, 'index.html'), 'x'.repeat(100));
    writeFileSync(path.join(dist, 'pagefind', 'pagefind.js'), 'y'.repeat(1000));
    writeFileSync(path.join(dist, 'pagefind', 'index', 'a.pf_index'), 'z'.repeat(513));
    const s = measureSite(dist);
    expect(s).toMatchObject({ bytes: 1613, files: 3, directories: 2, largest: { path: path.join('pagefind', 'pagefind.js'), bytes: 1000 } });
    // Headers: 3 files + 2 folders; contents padded to 512: 512 + 1024 + 1024; 1 KB end.
    expect(s.tarBytes).toBe(5 * 512 + 512 + 1024 + 1024 + 1024);
    expect(s.byFolder).toEqual([
      { folder: 'pagefind', files: 2, bytes: 1513 },
      { folder: '(root)', files: 1, bytes: 100 },
    ]);
    const lines = describeHosting(s, 10);
    expect(lines.join('\n')).toContain('GitHub Pages: site 0.0 MB of 1 GB (0.0 %)');
    expect(lines.join('\n')).not.toContain('over');
    expect(describeHosting({ ...s, bytes: 2e9, tarBytes: 2.1e9 }, 10).join('\n')).toContain('← over the limit');
  });
});

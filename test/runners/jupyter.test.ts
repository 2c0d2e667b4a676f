import { spawnSync } from 'node:child_process';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { splitMarkdown } from '../../src/core/source/frontmatter.ts';
import { BlobStore } from '../../src/runners/blobs.ts';
import { executeEntry } from '../../src/runners/engine.ts';
import { makeWorkspace, PAGE, read } from './helpers.ts';

const hasNbclient = ['python3', '/usr/bin/python3'].some((py) => spawnSync(py, ['-c', 'import nbclient, ipykernel'], { stdio: 'ignore' }).status === 0);

const cell = (source: string, tags: string[] = []) => ({ cell_type: 'code', metadata: { tags }, execution_count: null, outputs: [], source });
const notebook = (cells: object[]) =>
  JSON.stringify({ cells, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, nbformat: 4, nbformat_minor: 5 });

// Jupyter (nbclient + ipykernel) is a real dependency; in CI its absence fails the suite instead of skipping.
describe.skipIf(!hasNbclient && !process.env.CI)('jupyter integration', () => {
  it('executes a notebook with injected parameters and keeps its outputs and images', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/001-nb.md`]: '---\nid: j-nb\ntitle: Notebook run\ntype: jupyter\ninputs:\n  notebook: ./analysis.ipynb\n  parameters: {scale: 3, label: "lake"}\n---\n',
      [`${PAGE}/analysis.ipynb`]: notebook([
        cell('scale = 1\nlabel = "default"', ['parameters']),
        cell('print(f"{label}: {scale * 14}")'),
        cell('from IPython.display import Image, display\ndisplay(Image(filename="dot.png"))'),
      ]),
    });
    await sharp({ create: { width: 12, height: 9, channels: 3, background: '#aa3300' } }).png().toFile(path.join(root, PAGE, 'dot.png'));
    const result = await executeEntry(path.join(root, PAGE, '001-nb.md'));
    expect(result.message).toBeUndefined();
    expect(result.outcome).toBe('completed');
    const fm = splitMarkdown(await read(root, `${PAGE}/001-nb.md`)).data as Record<string, any>;
    expect(fm.outputs).toEqual({ cells: 4, executed_cells: 4, images: 1 });
    const names = fm.artifacts.map((a: { name: string }) => a.name);
    expect(names).toEqual(['analysis.ipynb', 'cell-003-0.png']);
    expect(fm.artifacts[1]).toMatchObject({ type: 'image/png', width: 12, height: 9 });
    const executed = JSON.parse((await new BlobStore(root).read(fm.artifacts[0].hash)).toString());
    const printed = executed.cells[2].outputs[0].text.join?.('') ?? executed.cells[2].outputs[0].text;
    expect(printed).toBe('lake: 42\n');
    expect(executed.cells[1].metadata.tags).toEqual(['injected-parameters']);
  }, 60_000);

  it('a failing cell fails the run with the exception, keeping the partial notebook', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/002-err.md`]: '---\nid: j-err\ntitle: Broken\ntype: jupyter\ninputs: {notebook: ./broken.ipynb}\n---\n',
      [`${PAGE}/broken.ipynb`]: notebook([cell('x = 1'), cell('1 / 0'), cell('print("never")')]),
    });
    const result = await executeEntry(path.join(root, PAGE, '002-err.md'));
    expect(result.outcome).toBe('failed');
    const fm = splitMarkdown(await read(root, `${PAGE}/002-err.md`)).data as Record<string, any>;
    expect(fm.execution.error).toBe('./broken.ipynb failed: ZeroDivisionError: division by zero');
    expect(fm.outputs.executed_cells).toBe(2);
    expect(fm.artifacts[0].name).toBe('broken.ipynb');
  }, 60_000);
});

import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { splitMarkdown } from '../../src/core/source/frontmatter.ts';
import { BlobStore } from '../../src/runners/blobs.ts';
import { executeEntry } from '../../src/runners/engine.ts';
import { makeWorkspace, PAGE, read } from './helpers.ts';

const hasNbclient = ['python3', '/usr/bin/python3'].some((py) => spawnSync(py, ['-c', 'import nbclient, ipykernel'], { stdio: 'ignore' }).status === 0);

const cell = (source: string, tags: string[] = []) => ({ cell_type: 'code', metadata: { tags }, execution_count: null, outputs: [], source });
const notebook = (cells: object[], kernel = 'python3') =>
  JSON.stringify({ cells, metadata: { kernelspec: { name: kernel, display_name: 'Python 3', language: 'python' } }, nbformat: 4, nbformat_minor: 5 });
/** A 2×2 PNG, as a notebook saves a plot. */
const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAwMDAwMAAAA0CAQFfKkCVAAAAAElFTkSuQmCC';
/** A code cell as the author saved it: executed, with a plot and printed text in its outputs. */
const saved = (source: string, n: number) => ({
  cell_type: 'code',
  metadata: {},
  execution_count: n,
  source,
  outputs: [
    { output_type: 'stream', name: 'stdout', text: ['old run\n'] },
    { output_type: 'display_data', metadata: {}, data: { 'image/png': PNG_B64, 'text/plain': ['<Figure size 640x480 with 1 Axes>'] } },
  ],
});
const fmOf = async (root: string, name: string) => splitMarkdown(await read(root, `${PAGE}/${name}`)).data as Record<string, any>;

// Jupyter (nbclient + ipykernel) is a real dependency; in CI its absence fails the suite instead of skipping.
describe.skipIf(!hasNbclient && !process.env.CI)('jupyter integration', () => {
  it('executes a notebook with injected parameters and keeps its outputs and images', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/001-nb.md`]:
        '---\nid: j-nb\ntitle: Notebook run\ntype: jupyter\ninputs:\n  notebook: ./analysis.ipynb\n  parameters: {scale: 3, label: "lake"}\n---\n',
      [`${PAGE}/analysis.ipynb`]: notebook([
        cell('scale = 1\nlabel = "default"', ['parameters']),
        cell('print(f"{label}: {scale * 14}")'),
        cell('from IPython.display import Image, display\ndisplay(Image(filename="dot.png"))'),
      ]),
    });
    await sharp({ create: { width: 12, height: 9, channels: 3, background: '#aa3300' } })
      .png()
      .toFile(path.join(root, PAGE, 'dot.png'));
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
    expect(fm.execution.error).toBe('./broken.ipynb failed at cell 2 (`1 / 0`): ZeroDivisionError: division by zero');
    expect(fm.outputs.executed_cells).toBe(2);
    expect(fm.artifacts[0].name).toBe('broken.ipynb');
  }, 60_000);

  it("a missing kernel stores none of the notebook's saved outputs and names the kernels there are", async () => {
    const root = await makeWorkspace({
      [`${PAGE}/003-conda.md`]: '---\nid: j-conda\ntitle: Plot tutorial\ntype: jupyter\ninputs: {notebook: ./tutorial.ipynb}\n---\n',
      [`${PAGE}/tutorial.ipynb`]: notebook(
        [saved('import matplotlib.pyplot as plt', 1), saved('plt.plot([1, 2, 3])', 2), saved('plt.hist([1, 1, 2])', 3)],
        'conda-env-plots-py',
      ),
    });
    const result = await executeEntry(path.join(root, PAGE, '003-conda.md'));
    expect(result.outcome).toBe('failed');
    const fm = await fmOf(root, '003-conda.md');
    expect(fm.execution.error).toMatch(
      /^\.\/tutorial\.ipynb failed: no Jupyter kernel named `conda-env-plots-py` \(kernels here: [^)]*python3[^)]*\); set `inputs\.kernel` to one of them/,
    );
    expect(fm.outputs).toEqual({ cells: 3, executed_cells: 0, images: 0 });
    expect(fm.artifacts.map((a: { name: string }) => a.name)).toEqual(['tutorial.ipynb']);
    const stored = JSON.parse((await new BlobStore(root).read(fm.artifacts[0].hash)).toString());
    expect(stored.cells.map((c: { outputs: unknown[] }) => c.outputs)).toEqual([[], [], []]);
  }, 60_000);

  it('a run failing midway keeps only what it produced; stdout per cell is a log; the inputs kernel is used', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/004-mid.md`]: '---\nid: j-mid\ntitle: Midway\ntype: jupyter\ninputs: {notebook: ./mid.ipynb, kernel: python3, files: [./data.csv]}\n---\n',
      [`${PAGE}/mid.ipynb`]: notebook(
        [
          cell('rows = open("data.csv").read().splitlines()\nprint(len(rows), "rows")'),
          saved(
            'from IPython.display import Image, display\ndisplay(Image(data=bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082")))',
            7,
          ),
          saved('raise ValueError(f"bad row count {len(rows)}")', 8),
          saved('print("after")', 9),
          saved('plt.show()', 10),
        ],
        'conda-env-old-py',
      ),
      [`${PAGE}/data.csv`]: 'a,b\n1,2\n3,4\n',
    });
    const file = path.join(root, PAGE, '004-mid.md');
    const result = await executeEntry(file);
    expect(result.outcome).toBe('failed');
    const fm = await fmOf(root, '004-mid.md');
    expect(fm.execution.error).toBe('./mid.ipynb failed at cell 3 (`raise ValueError(f"bad row count {len(rows)}")`): ValueError: bad row count 3');
    expect(fm.outputs).toEqual({ cells: 5, executed_cells: 3, images: 1 });
    expect(fm.artifacts.map((a: { name: string }) => a.name)).toEqual(['cell-001-0.png', 'mid.ipynb']);
    expect(fm.artifacts[0]).toMatchObject({ width: 1, height: 1 });
    const cells = (await new BlobStore(root).read(fm.logs.cells)).toString();
    expect(cells).toBe('--- cell 1 ---\n3 rows\n');
    if (fm.logs.stderr) expect((await new BlobStore(root).read(fm.logs.stderr)).toString()).not.toMatch(/Debugger warning|frozen modules/);
    // The data file is part of the inputs hash: editing it changes what a run would record.
    const before = (await executeEntry(file, { dryRun: true, force: true })).inputs_hash;
    await fs.writeFile(path.join(root, PAGE, 'data.csv'), 'a,b\n1,2\n');
    expect((await executeEntry(file, { dryRun: true, force: true })).inputs_hash).not.toBe(before);
  }, 60_000);

  it('an exception raised in a display formatter fails the run', async () => {
    const root = await makeWorkspace({
      [`${PAGE}/005-repr.md`]: '---\nid: j-repr\ntitle: Repr\ntype: jupyter\ninputs: {notebook: ./repr.ipynb}\n---\n',
      [`${PAGE}/repr.ipynb`]: notebook([cell('class Table:\n    def _repr_html_(self):\n        raise KeyError("column")\nTable()'), cell('print("next")')]),
    });
    const result = await executeEntry(path.join(root, PAGE, '005-repr.md'));
    expect(result.outcome).toBe('failed');
    const fm = await fmOf(root, '005-repr.md');
    expect(fm.execution.error).toBe("./repr.ipynb failed at cell 1 (`class Table:`): KeyError: 'column'");
  }, 60_000);
});

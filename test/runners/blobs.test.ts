import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlobStore } from '../../src/runners/blobs.ts';
import { makeWorkspace } from './helpers.ts';

describe('blob store', () => {
  it('stores by sha256 under <aa>/, deduplicates, and leaves no temp files', async () => {
    const root = await makeWorkspace();
    const store = new BlobStore(root);
    const a = await store.putBytes('hello', 'txt');
    expect(a.hash).toBe('sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(path.relative(root, a.path)).toBe('content/blobs/2c/2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824.txt');
    expect(a.created).toBe(true);
    const again = await store.putBytes(Buffer.from('hello'), 'log');
    expect(again).toMatchObject({ hash: a.hash, path: a.path, created: false });
    const file = path.join(root, 'big.bin');
    await fs.writeFile(file, Buffer.alloc(3 * 1024 * 1024, 7));
    const big = await store.putFile(file, 'bin');
    expect(big.size).toBe(3 * 1024 * 1024);
    expect((await store.putFile(file, 'bin')).created).toBe(false);
    const all = await fs.readdir(store.dir, { recursive: true });
    expect(all.filter((f) => String(f).endsWith('.tmp'))).toEqual([]);
  });

  it('verifies the hash on read and refuses corrupt or missing blobs', async () => {
    const root = await makeWorkspace();
    const store = new BlobStore(root);
    const a = await store.putBytes('original bytes', 'txt');
    expect((await store.read(a.hash)).toString()).toBe('original bytes');
    await fs.writeFile(a.path, 'tampered bytes');
    await expect(store.read(a.hash)).rejects.toThrow(/is corrupt: its bytes hash to sha256:/);
    await expect(store.read(`sha256:${'0'.repeat(64)}`)).rejects.toThrow(/is missing/);
    await expect(store.read('md5:abc')).rejects.toThrow(/not a blob hash/);
  });

  it('sanitizes extensions', async () => {
    const store = new BlobStore(await makeWorkspace());
    expect(path.basename((await store.putBytes('x', '../../evil')).path)).toMatch(/^[0-9a-f]{64}\.bin$/);
  });
});

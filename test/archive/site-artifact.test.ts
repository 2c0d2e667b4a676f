/** The site's view of an archived artifact: what stands in, plus the original's size and hash for the badge. */
import { describe, expect, it } from 'vitest';
import { siteArtifact } from '../../src/site/artifacts.ts';

const ORIGINAL = `sha256:${'a'.repeat(64)}`;
const THUMB = `sha256:${'b'.repeat(64)}`;

describe('siteArtifact and archived artifacts', () => {
  it('shows the stand-in thumbnail and carries the original size and hash', () => {
    const a = siteArtifact(
      '/nowhere',
      {
        name: 'render.png',
        hash: THUMB,
        type: 'image/webp',
        size_bytes: 9000,
        width: 512,
        height: 512,
        archived: {
          strategy: 'thumbnail',
          at: '2025-06-01T00:00:00Z',
          original_hash: ORIGINAL,
          original_size_bytes: 2_048_576,
          type: 'image/png',
          width: 2048,
          height: 2048,
        },
      },
      new Map([['b'.repeat(64), `bb/${'b'.repeat(64)}.webp`]]),
      new Map(),
    );
    expect(a.href).toBe(`blobs/bb/${'b'.repeat(64)}.webp`);
    expect(a.archived).toEqual({ strategy: 'thumbnail', original_hash: ORIGINAL, original_size_bytes: 2_048_576 });
  });

  it('a dropped artifact has no file, and no preview is attempted', () => {
    const a = siteArtifact(
      '/nowhere',
      {
        name: 'rows.csv',
        hash: ORIGINAL,
        type: 'text/csv',
        size_bytes: 120,
        archived: { strategy: 'drop', at: '2025-06-01T00:00:00Z', original_hash: ORIGINAL, original_size_bytes: 120 },
      },
      new Map(),
      new Map(),
    );
    expect(a.href).toBeNull();
    expect(a.preview).toBeNull();
    expect(a.archived?.strategy).toBe('drop');
  });

  it('an ordinary artifact is not archived', () => {
    expect(siteArtifact('/nowhere', { name: 'x.png', hash: THUMB }, new Map(), new Map()).archived).toBeNull();
  });
});

/**
 * The notes-only rebuild must give exactly what parsing the file gives, and must
 * step aside whenever the edit could change more than the notes.
 */
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/core/hash.ts';
import { notesEdit } from '../../src/core/notes-edit.ts';
import { loadSummarizer } from '../../src/core/pipeline.ts';

const PATH = 'content/notebooks/nb/page/entries/001-run.md';
const HEADER = '---\nid: entry-run\ntitle: "A run: with a colon"\ntype: manual\ntags: [a, b]\ninputs:\n  metadata:\n    notes: not the notes\n---\n';
const utf8 = (text: string) => new TextEncoder().encode(text);

async function summarize(text: string) {
  const summarizer = await loadSummarizer(undefined, false);
  return summarizer(PATH, 'entry', utf8(text), sha256(text));
}

/** What notesEdit makes of `after`, given the full summary of `before`. */
async function viaNotes(before: string, after: string) {
  const old = await summarize(before);
  return notesEdit(old.record, old.ownJson, utf8(after), sha256(after));
}

describe('notes-only rebuild', () => {
  it.each([
    ['a line of notes added', `${HEADER}\nFirst.\n`, `${HEADER}\nFirst.\n\nSecond: 日本語, "quotes", emoji 🧪, a \\ backslash.\n`],
    ['notes emptied', `${HEADER}\nFirst.\n`, HEADER],
    ['notes written into an empty body', HEADER, `${HEADER}\n  Indented start.\n\n`],
    ['a BOM and CRLF line ends', `\uFEFF${HEADER.replaceAll('\n', '\r\n')}\r\nOld.\r\n`, `\uFEFF${HEADER.replaceAll('\n', '\r\n')}\r\nNew.\r\n`],
    ['text under a heading that stays', `${HEADER}\n## Findings\n\nOld.\n`, `${HEADER}\n## Findings\n\nNew, and more.\n`],
    ['a link and a tag inside an Obsidian comment', `${HEADER}\nOld.\n`, `${HEADER}\nNew. %%see [[Other note]] #later%%\n\n%%\n[x](./data.csv)\n%%\n`],
  ])('gives what parsing gives: %s', async (_name, before, after) => {
    const quick = await viaNotes(before, after);
    expect(quick).not.toBeNull();
    const full = await summarize(after);
    expect(quick!.record).toEqual(full.record);
    expect(quick!.ownJson).toBe(full.ownJson);
  });

  it.each([
    ['the header changed', `${HEADER}\nOld.\n`, `${HEADER.replace('type: manual', 'type: command')}\nOld.\n`],
    ['a tag written in the body', `${HEADER}\nOld.\n`, `${HEADER}\nOld. #newtag\n`],
    ['a wikilink written in the body', `${HEADER}\nOld.\n`, `${HEADER}\nSee [[Other note]].\n`],
    ['a Markdown link written in the body', `${HEADER}\nOld.\n`, `${HEADER}\nSee [the data](./data.csv).\n`],
    ['the body had a tag before', `${HEADER}\nOld #tag.\n`, `${HEADER}\nNew.\n`],
    ['a heading renamed (links to it may now miss)', `${HEADER}\n## Findings\n\nOld.\n`, `${HEADER}\n## Results\n\nOld.\n`],
    ['a block id written', `${HEADER}\nOld.\n`, `${HEADER}\nOld. ^key\n`],
    ['the title comes from the body', `${HEADER.replace(/^title: .*\n/m, '')}\n# Heading\n`, `${HEADER.replace(/^title: .*\n/m, '')}\n# Another heading\n`],
    ['the frontmatter is gone', `${HEADER}\nOld.\n`, 'Old.\n'],
  ])('steps aside when %s', async (_name, before, after) => {
    expect(await viaNotes(before, after)).toBeNull();
  });

  it('steps aside for bytes that are not UTF-8', async () => {
    const old = await summarize(`${HEADER}\nOld.\n`);
    const bytes = new Uint8Array([...utf8(HEADER), 0x0a, 0xe9, 0x0a]);
    expect(notesEdit(old.record, old.ownJson, bytes, 'sha256:x')).toBeNull();
  });
});

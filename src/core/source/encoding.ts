/**
 * Source files are UTF-8, decoded strictly: a Latin-1 or UTF-16 file is
 * refused with the position of its first bad byte, never read with U+FFFD in
 * place of its accented letters (a run would then write those back for good).
 */
import type { SourceProblem } from './frontmatter.ts';

// ignoreBOM keeps a BOM in the text, as Buffer#toString does: the parsers skip it themselves.
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of a source file, or the problem that makes it unreadable as UTF-8. */
export type Decoded = { ok: true; text: string } | { ok: false; problem: SourceProblem };

/** Decodes bytes as UTF-8; reports UTF-16 as such. */
export function decodeUtf8(bytes: Uint8Array): Decoded {
  const utf16 = utf16Kind(bytes);
  if (utf16) {
    return {
      ok: false,
      problem: { line: 1, column: 1, rule: 'encoding', message: `the file is ${utf16}, not UTF-8; save it as UTF-8 (without changing its content) to use it` },
    };
  }
  try {
    return { ok: true, text: strict.decode(bytes) };
  } catch {
    const at = firstInvalid(bytes);
    const head = Buffer.from(bytes.subarray(0, at)).toString('utf8');
    const lines = head.split('\n');
    const column = [...lines[lines.length - 1]!].length + 1;
    const byte = bytes[at]!.toString(16).toUpperCase().padStart(2, '0');
    return {
      ok: false,
      problem: {
        line: lines.length,
        column,
        rule: 'encoding',
        message: `not valid UTF-8 (byte 0x${byte}); the file is probably Latin-1 or Windows-1252 — save it as UTF-8; it is not read or rewritten until then`,
      },
    };
  }
}

/** `UTF-16 LE`/`UTF-16 BE` when the bytes look like UTF-16 (a BOM, or NULs in every other byte of ASCII text). */
function utf16Kind(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16 LE';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16 BE';
  if (bytes.length >= 4) {
    if (bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0) return 'UTF-16 LE';
    if (bytes[0] === 0 && bytes[2] === 0 && bytes[1] !== 0) return 'UTF-16 BE';
  }
  return null;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalid(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      // Overlong forms and surrogates (E0 80–9F, ED A0–BF, F0 80–8F, F4 90–) are invalid too.
      if (k === 1 && ((c === 0xe0 && cc < 0xa0) || (c === 0xed && cc > 0x9f) || (c === 0xf0 && cc < 0x90) || (c === 0xf4 && cc > 0x8f))) return i;
    }
    i += n + 1;
  }
  return Math.max(0, b.length - 1);
}

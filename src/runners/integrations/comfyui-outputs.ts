/**
 * What a ComfyUI run produced, from the UI outputs of its output nodes (in
 * `executed` messages and `/history`): files under any key (`images`, `gifs`
 * from VHS_VideoCombine, `audio`, `video`, `3d`), `animated` flags, and
 * `text` from text-display nodes. Files become artifacts with MIME types.
 */
import { extensionOf, mimeTypeOf } from '../../core/mime.ts';
import type { HistoryImage, NodeOutput } from './comfyui-client.ts';
import { compareIds } from './comfyui-graph.ts';

/** A file an output node wrote, with the key it was listed under. */
export interface OutputFile extends HistoryImage {
  node: string;
  /** `images`, `gifs`, `audio`, … */
  kind: string;
  animated: boolean;
}

export interface CollectedOutputs {
  files: OutputFile[];
  /** Text shown by output nodes, by node id. */
  text: Record<string, string[]>;
}

/** Files and texts of every output node, nodes in id order. */
export function collectOutputs(outputs: Record<string, NodeOutput>): CollectedOutputs {
  const files: OutputFile[] = [];
  const text: Record<string, string[]> = {};
  for (const node of Object.keys(outputs).sort(compareIds)) {
    const ui = outputs[node] ?? {};
    const animated = Array.isArray(ui.animated) && ui.animated.some(Boolean);
    for (const [kind, list] of Object.entries(ui)) {
      if (!Array.isArray(list)) continue;
      if (kind === 'text') {
        const strings = list.filter((x): x is string => typeof x === 'string');
        if (strings.length) text[node] = strings;
        continue;
      }
      for (const item of list) {
        if (item && typeof item === 'object' && typeof (item as HistoryImage).filename === 'string') {
          const f = item as HistoryImage;
          files.push({
            node,
            kind,
            animated,
            filename: f.filename,
            subfolder: f.subfolder,
            type: f.type,
            ...(typeof f.format === 'string' ? { format: f.format } : {}),
          });
        }
      }
    }
  }
  return { files, text };
}

/** Merges the outputs seen on the socket with the history's (the history wins per node). */
export function mergeOutputs(fromSocket: Record<string, NodeOutput>, fromHistory: Record<string, NodeOutput> | null): Record<string, NodeOutput> {
  return { ...fromSocket, ...(fromHistory ?? {}) };
}

/** The MIME type of an output file: the server's, else VHS's `format`, else by extension. */
export function outputType(file: OutputFile, served: string): string {
  if (served && served !== 'application/octet-stream') return served;
  const fmt = file.format?.toLowerCase();
  if (fmt) {
    if (/^video\/(h26[45]|av1|nvenc)/.test(fmt)) return 'video/mp4';
    if (/^(image|video|audio)\/[\w.+-]+$/.test(fmt) && mimeTypeOf(`x.${fmt.split('/')[1]}`) === fmt) return fmt;
  }
  return mimeTypeOf(file.filename);
}

/** `<subfolder>/<filename>` (previews under `temp/`), safe as an artifact name. */
export function artifactName(file: HistoryImage): string {
  const clean = (s: string) =>
    s
      .split(/[\\/]+/)
      .filter((p) => p && p !== '.' && p !== '..')
      .join('/');
  const name = [file.type === 'temp' ? 'temp' : '', clean(file.subfolder ?? ''), clean(file.filename)].filter(Boolean).join('/');
  return name || `output.${extensionOf(file.filename) || 'bin'}`;
}

/** Counts by what the files are: images, videos (VHS `gifs` included, whatever the container), audio, other. */
export function countByMedia(files: { type: string; kind: string }[]): Record<string, number> {
  const counts: Record<string, number> = { images: 0, videos: 0, audio: 0 };
  for (const f of files) {
    const media = f.kind === 'gifs' || f.kind === 'video' ? 'video' : f.type.split('/')[0];
    if (media === 'image') counts.images!++;
    else if (media === 'video') counts.videos!++;
    else if (media === 'audio') counts.audio!++;
    else counts.other = (counts.other ?? 0) + 1;
  }
  return counts;
}

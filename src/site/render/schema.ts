/**
 * What sanitized journal HTML may contain: GitHub's schema, plus the few classes and
 * elements our own Markdown and Org constructs produce (callouts, math, TODO keywords,
 * planning lines, underline, media embeds). Nothing that runs, loads or styles arbitrarily.
 */

import type { Options } from 'rehype-sanitize';
import { defaultSchema } from 'rehype-sanitize';

const OURS =
  /^(callout|callout-[\w-]+|callout-title|language-[\w+#.-]+|math|math-inline|math-display|todo-keyword|todo|done|priority|tags|tag|timestamp|planning|planning-keyword|wikilink|wikilink-missing|embed|transclude|transclude-title|transclude-body|checkbox-partial|statistics-cookie|src-block|example|fixed-width|verse|center|footnote-definition|footnum|footref|footdef|footnotes|task-list-item|contains-task-list|data-footnote-backref|sr-only|inline-code|inline-verbatim)$/;

const withClasses = (tag: string) => [
  ...(defaultSchema.attributes?.[tag] ?? []).filter((a) => !(Array.isArray(a) && a[0] === 'className')),
  ['className', OURS],
];

export const sanitizeSchema: Options = {
  ...defaultSchema,
  // `audio` and `video` come from Obsidian's media embeds: they play only what their `src` names.
  tagNames: [...(defaultSchema.tagNames ?? []), 'u', 'time', 'figure', 'figcaption', 'mark', 'audio', 'video'],
  attributes: {
    ...defaultSchema.attributes,
    a: withClasses('a'),
    audio: ['src', 'controls', 'preload'],
    video: ['src', 'controls', 'preload', 'width'],
    code: withClasses('code'),
    div: [...withClasses('div'), 'dataCallout'],
    details: [...withClasses('details'), 'dataCallout'],
    summary: withClasses('summary'),
    h2: withClasses('h2'),
    li: withClasses('li'),
    ol: withClasses('ol'),
    p: withClasses('p'),
    pre: withClasses('pre'),
    section: [...withClasses('section'), 'dataFootnotes'],
    span: withClasses('span'),
    sup: withClasses('sup'),
    time: ['dateTime', ['className', OURS]],
    ul: withClasses('ul'),
  },
} as Options;

// Text to HTML for the lab app: run logs with ANSI colours, and a Markdown preview. Everything is
// escaped first; only tags made here reach the page, so nothing in a log or a note can run.

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

const COLORS = ['#4b5563', '#f87171', '#4ade80', '#facc15', '#60a5fa', '#e879f9', '#22d3ee', '#e5e7eb'];
const BRIGHT = ['#9ca3af', '#fca5a5', '#86efac', '#fde047', '#93c5fd', '#f0abfc', '#67e8f9', '#ffffff'];

/** SGR colour codes (30–37, 90–97, 40–47, bold, reset) as spans; other escape sequences are dropped. */
export function ansiToHtml(text) {
  let out = '';
  let style = {};
  let open = false;
  const parts = String(text).split(/(\x1b\[[0-9;]*[A-Za-z])/);
  for (const part of parts) {
    const m = /^\x1b\[([0-9;]*)([A-Za-z])$/.exec(part);
    if (!m) {
      if (part) out += escapeHtml(part.replace(/\r(?!\n)/g, ''));
      continue;
    }
    if (m[2] !== 'm') continue;
    const codes = m[1] === '' ? [0] : m[1].split(';').map(Number);
    for (const c of codes) {
      if (c === 0) style = {};
      else if (c === 1) style.bold = true;
      else if (c === 22) delete style.bold;
      else if (c >= 30 && c <= 37) style.color = COLORS[c - 30];
      else if (c >= 90 && c <= 97) style.color = BRIGHT[c - 90];
      else if (c === 39) delete style.color;
      else if (c >= 40 && c <= 47) style.background = COLORS[c - 40];
      else if (c === 49) delete style.background;
    }
    if (open) out += '</span>';
    const css = [style.color && `color:${style.color}`, style.background && `background:${style.background}`, style.bold && 'font-weight:bold'].filter(Boolean).join(';');
    open = Boolean(css);
    if (open) out += `<span style="${css}">`;
  }
  if (open) out += '</span>';
  return out;
}

function inline(text) {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\*([^*]+)\*/g, '$1<em>$2</em>')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+|\/[^)\s]*|#[^)\s]*)\)/g, '<a href="$2" rel="noopener">$1</a>');
}

/** A small Markdown subset for the preview: headings, lists, code blocks, quotes, emphasis, links. */
export function markdownToHtml(markdown) {
  const lines = String(markdown).replace(/\r\n/g, '\n').split('\n');
  const out = [];
  let list = null;
  let para = [];
  const flush = () => {
    if (para.length) out.push(`<p>${inline(para.join(' '))}</p>`);
    para = [];
    if (list) out.push(`</${list}>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^```/.test(line)) {
      flush();
      const code = [];
      while (++i < lines.length && !/^```/.test(lines[i])) code.push(lines[i]);
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^\s*([-*+]|\d+\.)\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      out.push(`<h${heading[1].length}>${inline(heading[2])}</h${heading[1].length}>`);
    } else if (item) {
      if (para.length) {
        out.push(`<p>${inline(para.join(' '))}</p>`);
        para = [];
      }
      const kind = /\d/.test(item[1]) ? 'ol' : 'ul';
      if (list !== kind) {
        if (list) out.push(`</${list}>`);
        out.push(`<${kind}>`);
        list = kind;
      }
      out.push(`<li>${inline(item[2])}</li>`);
    } else if (/^>\s?/.test(line)) {
      flush();
      out.push(`<blockquote>${inline(line.replace(/^>\s?/, ''))}</blockquote>`);
    } else if (!line.trim()) flush();
    else {
      if (list) {
        out.push(`</${list}>`);
        list = null;
      }
      para.push(line.trim());
    }
  }
  flush();
  return out.join('\n');
}

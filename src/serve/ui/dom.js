// DOM helpers of the lab app: element builder, banner, breadcrumbs, the Markdown editor and the
// watcher that notices when a record's file changed on disk.
import { api } from './api.js';
import { markdownToHtml } from './render.js';

const app = document.getElementById('app');
const crumbs = document.getElementById('lab-crumbs');
const banner = document.getElementById('lab-banner');
let cleanup = [];

/** Runs `fn` when the view is left (timers, sockets). */
export function onLeave(fn) {
  cleanup.push(fn);
}

/** Leaves the current view. */
export function leave() {
  for (const f of cleanup) f();
  cleanup = [];
}

export { app };

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'html') el.innerHTML = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

export function statusBadge(status) {
  return h('span', { class: `status ${status}`, 'data-status': status }, status);
}

export function showError(where, e) {
  where.replaceChildren(h('p', { class: 'error', role: 'alert' }, e.message + (e.body?.field ? ` (field: ${e.body.field})` : '')));
}

export function setCrumbs(items) {
  crumbs.replaceChildren(...items.flatMap((it, i) => [i ? ' / ' : '', it.href ? h('a', { href: it.href }, it.text) : it.text]));
}

export function showBanner(text, actionText, action) {
  banner.hidden = false;
  banner.replaceChildren(text, actionText ? h('button', { type: 'button', onclick: action }, actionText) : '');
}

export function hideBanner() {
  banner.hidden = true;
}

/** A Markdown editor with a live preview; `onSave(text)` persists it; `showSaved(text)` shows a newer saved text. */
export function markdownEditor(label, initial, onSave) {
  const area = h('textarea', { 'aria-label': label });
  area.value = initial ?? '';
  const preview = h('div', { class: 'preview', 'aria-label': `${label} preview` });
  const status = h('span', { class: 'muted' });
  const render = () => (preview.innerHTML = markdownToHtml(area.value));
  area.addEventListener('input', () => {
    render();
    box.dataset.dirty = '1';
  });
  render();
  const save = h('button', { type: 'button', onclick: async () => {
    save.disabled = true;
    status.textContent = 'Saving…';
    const text = area.value;
    try {
      await onSave(text);
      // Typing goes on while a save is on its way: what was typed since is still unsaved.
      const newer = area.value !== text;
      if (!newer) delete box.dataset.dirty;
      status.textContent = newer ? 'Saved; later changes are not saved yet.' : 'Saved.';
    } catch (e) {
      status.textContent = e.message;
      status.className = 'error';
    } finally {
      save.disabled = false;
    }
  } }, 'Save');
  const box = h('div', { class: 'md-editor' }, h('div', { class: 'editor' }, area, preview), h('div', { class: 'row' }, save, status));
  /** Shows `text` written elsewhere, unless the person has unsaved changes here. */
  box.showSaved = (text) => {
    if (box.dataset.dirty || area.value === (text ?? '')) return;
    area.value = text ?? '';
    render();
  };
  return box;
}

/** Polls a record's ETag; calls `onChange` when its file changed on disk (an editor, git, a run). */
export function watchRecord(path, etag, onChange) {
  let current = etag;
  let writing = 0;
  const check = async () => {
    // Our own write's change is not news: its answer brings the new ETag.
    if (writing) return;
    try {
      const r = await api('GET', path, undefined, current ? { 'If-None-Match': current } : {});
      if (writing) return; // a write of ours began meanwhile: this answer may already show it
      if (!r.notModified && r.etag !== current) {
        current = r.etag;
        onChange(r);
      }
    } catch {
      /* the server may be restarting */
    }
  };
  const timer = setInterval(check, 1500);
  onLeave(() => clearInterval(timer));
  /**
   * Runs our own write to the record (`fn` returns the API's answer), with no check in between to
   * mistake it for someone else's; the answer's ETag becomes the current one.
   */
  const write = async (fn) => {
    writing++;
    try {
      const r = await fn();
      if (r.etag) current = r.etag;
      return r;
    } finally {
      writing--;
    }
  };
  return { get: () => current, check, write };
}

let rerender = () => {};
/** Re-renders the current view (the router registers itself). */
export function route() {
  return rerender();
}
export function setRoute(fn) {
  rerender = fn;
}

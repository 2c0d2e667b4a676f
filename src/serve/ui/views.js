// The lab app's notebook list, notebook and page views.
import { api } from './api.js';
import { app, h, markdownEditor, route, setCrumbs, showBanner, showError, statusBadge, watchRecord } from './dom.js';

export async function notebooksView() {
  setCrumbs([{ text: 'Notebooks' }]);
  const { data } = await api('GET', '/api/notebooks');
  const form = h('form', { class: 'inline', 'aria-label': 'New notebook' },
    h('label', {}, 'Title', h('input', { name: 'title', required: true })),
    h('label', {}, 'Description', h('input', { name: 'description' })),
    h('button', { type: 'submit' }, 'New notebook'));
  const msg = h('div');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    try {
      const { data: nb } = await api('POST', '/api/notebooks', { title: f.get('title'), description: f.get('description') || undefined });
      location.hash = `#/notebooks/${nb.notebook.id}`;
    } catch (e) {
      showError(msg, e);
    }
  });
  app.replaceChildren(
    h('h1', {}, 'Notebooks'),
    h('ul', { class: 'cards' }, data.notebooks.map((n) => h('li', {}, h('a', { href: `#/notebooks/${n.id}` }, `${n.icon ?? ''} ${n.title}`), h('div', { class: 'muted' }, n.description ?? '')))),
    h('h2', {}, 'New notebook'), form, msg,
  );
}

export async function notebookView(id) {
  const { data } = await api('GET', `/api/notebooks/${encodeURIComponent(id)}`);
  setCrumbs([{ text: 'Notebooks', href: '#/' }, { text: data.notebook.title }]);
  const form = h('form', { class: 'inline', 'aria-label': 'New page' },
    h('label', {}, 'Title', h('input', { name: 'title', required: true })),
    h('label', {}, 'Goal', h('input', { name: 'goal' })),
    h('button', { type: 'submit' }, 'New page'));
  const msg = h('div');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    try {
      const { data: p } = await api('POST', `/api/notebooks/${encodeURIComponent(id)}/pages`, { title: f.get('title'), goal: f.get('goal') || undefined });
      location.hash = `#/pages/${p.page.id}`;
    } catch (e) {
      showError(msg, e);
    }
  });
  app.replaceChildren(
    h('h1', {}, data.notebook.title),
    h('p', { class: 'muted' }, data.notebook.description ?? ''),
    h('ul', { class: 'cards' }, data.pages.map((p) => h('li', {}, h('a', { href: `#/pages/${p.id}` }, p.title), h('div', { class: 'muted' }, `${p.date ?? ''} · ${p.status}`)))),
    h('h2', {}, 'New page'), form, msg,
  );
}

const SECTIONS = { goals: 'Goals', hypothesis: 'Hypothesis', observations: 'Observations', conclusions: 'Conclusions', next_steps: 'Next Steps' };

export async function pageView(id) {
  const path = `/api/pages/${encodeURIComponent(id)}`;
  const { data, etag } = await api('GET', path);
  const tag = watchRecord(path, etag, () => {
    if (app.querySelector('[data-dirty]')) showBanner('This page changed on disk.', 'Reload', () => route());
    else route();
  });
  setCrumbs([{ text: 'Notebooks', href: '#/' }, { text: data.page.notebook_id, href: `#/notebooks/${data.page.notebook_id}` }, { text: data.page.title }]);
  const sections = Object.entries(SECTIONS).map(([key, title]) => h('details', { open: key === 'goals' || key === 'observations' },
    h('summary', {}, title),
    markdownEditor(title, data.page.narrative[key] ?? '', async (text) => {
      const r = await tag.write(() => api('PATCH', `${path}/narrative`, { field: key, content: text }, { 'If-Match': tag.get() }));
      // The file may have changed again right after the save (an editor): the answer shows it.
      if ((r.data.page.narrative[key] ?? '').trim() !== text.trim()) showBanner('This page changed on disk just after your save.', 'Reload', () => route());
    })));
  const types = ['command', 'http', 'sql', 'comfyui', 'jupyter', 'manual'];
  const form = h('form', { 'aria-label': 'New entry' },
    h('div', { class: 'row' },
      h('label', {}, 'Title', h('input', { name: 'title', required: true })),
      h('label', {}, 'Type', h('select', { name: 'type' }, types.map((t) => h('option', { value: t }, t))))),
    h('label', {}, 'Inputs (JSON)', h('textarea', { name: 'inputs', rows: 4, placeholder: '{"command": "echo hello"}' })),
    h('button', { type: 'submit' }, 'New entry'));
  const msg = h('div');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    try {
      const raw = String(f.get('inputs') || '').trim();
      const inputs = raw ? JSON.parse(raw) : undefined;
      const { data: e } = await api('POST', `${path}/entries`, { title: f.get('title'), type: f.get('type'), inputs });
      location.hash = `#/entries/${e.id}`;
    } catch (e) {
      showError(msg, e);
    }
  });
  app.replaceChildren(
    h('h1', {}, data.page.title), h('p', { class: 'muted' }, `${data.page.date ?? ''} · ${data.page.status}`),
    h('h2', {}, 'Narrative'), ...sections,
    h('h2', {}, 'Entries'),
    h('ul', { class: 'cards' }, data.entries.map((e) => h('li', {}, h('a', { href: `#/entries/${e.id}` }, e.title), ' ', statusBadge(e.status), h('div', { class: 'muted' }, e.type)))),
    h('h2', {}, 'New entry'), form, msg,
  );
}

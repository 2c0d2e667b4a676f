// The lab app's entry view: Execute with a live log, progress, artifacts as they arrive, variation
// form prefilled from the inputs, notes, rating and drag-and-drop attach.
import { api } from './api.js';
import { app, h, hideBanner, markdownEditor, onLeave, route, setCrumbs, showBanner, showError, statusBadge, watchRecord } from './dom.js';
import { ansiToHtml } from './render.js';

/** Flattens `inputs.parameters` (or the inputs) into editable leaves for the variation form. */
function leaves(value, prefix = []) {
  if (value && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value).flatMap(([k, v]) => leaves(v, [...prefix, k]));
  return [{ path: prefix, value }];
}

function parseValue(text, original) {
  if (typeof original === 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function setIn(obj, path, value) {
  let node = obj;
  for (const k of path.slice(0, -1)) node = node[k] ??= {};
  node[path[path.length - 1]] = value;
}

export async function entryView(id) {
  const path = `/api/entries/${encodeURIComponent(id)}`;
  const { data: entry, etag } = await api('GET', path);
  setCrumbs([{ text: 'Notebooks', href: '#/' }, { text: entry.notebook_id, href: `#/notebooks/${entry.notebook_id}` }, { text: entry.page_id, href: `#/pages/${entry.page_id}` }, { text: entry.title }]);
  const badge = h('span', { id: 'entry-status' }, statusBadge(entry.status));
  const outputs = h('pre', { class: 'kv', id: 'outputs' }, JSON.stringify({ outputs: entry.outputs, metrics: entry.metrics }, null, 2));
  const tag = watchRecord(path, etag, (r) => {
    badge.replaceChildren(statusBadge(r.data.status));
    renderArtifacts(r.data.artifacts);
    outputs.textContent = JSON.stringify({ outputs: r.data.outputs, metrics: r.data.metrics }, null, 2);
    notesEditor.showSaved(r.data.metadata.notes);
    drawStars(r.data.metadata.rating);
    if (app.querySelector('[data-dirty]')) showBanner('This entry changed on disk (an editor, git or a run wrote it).', 'Reload', () => route());
    // A run shown here writes its results into the file: that change is expected, not news.
    else if (Date.now() - lastRunActivity > 3000) showBanner('This entry changed on disk; the page shows the new version.', 'Dismiss', hideBanner);
  });

  // Execute + live log
  const log = h('pre', { class: 'log', 'aria-label': 'Run log', tabindex: 0 });
  const bar = h('progress', { max: 1, value: 0 });
  const barText = h('span', { class: 'muted' });
  const runState = h('span', { id: 'run-state', class: 'muted' });
  const follow = h('input', { type: 'checkbox', checked: true });
  const force = h('input', { type: 'checkbox' });
  const execMsg = h('div');
  const exec = h('button', { type: 'button', id: 'execute', onclick: async () => {
    execMsg.replaceChildren();
    exec.disabled = true;
    try {
      const { data } = await api('POST', `${path}/execute`, { force: force.checked || undefined });
      followRun(data.run_id);
    } catch (e) {
      showError(execMsg, e);
      exec.disabled = false;
    }
  } }, '▶ Execute');

  let socket = null;
  let lastRunActivity = 0;
  function followRun(runId) {
    socket?.close();
    log.replaceChildren();
    let lastSeq = 0;
    let ended = false;
    runState.textContent = `run ${runId}: connecting…`;
    const connect = () => {
      const proto = location.protocol === 'https:' ? 'wss' : 'ws';
      const ws = new WebSocket(`${proto}://${location.host}/ws/runs/${runId}?since=${lastSeq}`);
      socket = ws;
      ws.onmessage = (m) => {
        const ev = JSON.parse(m.data);
        if (ev.seq <= lastSeq) return;
        lastSeq = ev.seq;
        onEvent(ev);
        if (['completed', 'failed', 'interrupted'].includes(ev.type)) ended = true;
      };
      ws.onclose = () => {
        if (socket !== ws) return;
        if (!ended) setTimeout(connect, 500); // resume where it stopped: nothing lost, nothing twice
        else exec.disabled = false;
      };
    };
    connect();
    onLeave(() => {
      ended = true;
      socket?.close();
    });
  }

  function onEvent(ev) {
    lastRunActivity = Date.now();
    if (ev.type === 'started') runState.textContent = `running (run ${ev.run_id})`;
    else if (ev.type === 'log') {
      const span = h('span', { class: ev.stream, html: ansiToHtml(ev.text) });
      log.append(span);
      if (follow.checked) log.scrollTop = log.scrollHeight;
    } else if (ev.type === 'progress') {
      if (ev.max) {
        bar.max = ev.max;
        bar.value = ev.value ?? 0;
      }
      barText.textContent = [ev.max ? `${ev.value ?? 0}/${ev.max}` : '', ev.message ?? ''].filter(Boolean).join(' · ');
    } else if (ev.type === 'artifact') addArtifact(ev.artifact, true);
    else {
      runState.textContent = `${ev.type}${ev.duration_seconds !== undefined ? ` in ${ev.duration_seconds}s` : ''}${ev.message ? ` — ${ev.message}` : ''}`;
      runState.dataset.final = ev.type;
      if (ev.type === 'completed' && bar.max) bar.value = bar.max;
      tag.check(); // the run has written its results into the file: show them now
    }
  }

  // Artifacts
  const gallery = h('ul', { class: 'gallery', id: 'artifacts' });
  const shown = new Set();
  function addArtifact(a, fresh) {
    if (shown.has(a.hash + a.name)) return;
    shown.add(a.hash + a.name);
    const src = `/api/artifacts/${a.hash}`;
    const isImage = /^image\/(png|jpe?g|gif|webp|avif)/.test(a.type ?? '');
    gallery.append(h('li', { class: fresh ? 'new' : '' },
      isImage ? h('img', { src: `${src}?thumbnail=1`, alt: a.name, loading: 'lazy' }) : '',
      h('a', { href: src, target: '_blank', rel: 'noopener' }, a.name), h('div', { class: 'muted' }, `${a.type} · ${a.size_bytes ?? '?'} bytes`)));
  }
  function renderArtifacts(list) {
    for (const a of list ?? []) addArtifact(a, false);
  }
  renderArtifacts(entry.artifacts);

  // Drop zone (manual entries take attachments)
  const drop = h('div', { class: 'drop', id: 'drop', tabindex: 0 }, entry.type === 'manual' ? 'Drop files here to attach them' : 'Attachments go to manual entries; this one gets artifacts by running.');
  const dropMsg = h('div');
  drop.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (ev) => {
    ev.preventDefault();
    drop.classList.remove('over');
    for (const file of ev.dataTransfer.files) {
      try {
        const r = await tag.write(() => api('POST', `${path}/artifacts?name=${encodeURIComponent(file.name)}`, file, { 'Content-Type': 'application/octet-stream', 'If-Match': tag.get() }));
        renderArtifacts(r.data.artifacts);
        dropMsg.replaceChildren(h('p', { class: 'ok' }, `Attached ${file.name}.`));
      } catch (e) {
        showError(dropMsg, e);
      }
    }
  });

  // Rating
  const stars = h('span', { class: 'stars', role: 'group', 'aria-label': 'Rating' });
  const drawStars = (rating) => stars.replaceChildren(...[1, 2, 3, 4, 5].map((n) => h('button', {
    type: 'button', 'aria-label': `Rate ${n}`, 'aria-pressed': String(rating === n),
    onclick: async () => {
      try {
        const r = await tag.write(() => api('PATCH', `${path}/notes`, { rating: rating === n ? null : n }, { 'If-Match': tag.get() }));
        drawStars(r.data.metadata.rating);
      } catch (e) {
        showError(execMsg, e);
      }
    },
  }, rating && n <= rating ? '★' : '☆')));
  drawStars(entry.metadata.rating);

  // Variation form, prefilled from the inputs
  const base = entry.inputs.parameters && typeof entry.inputs.parameters === 'object' ? entry.inputs.parameters : entry.inputs;
  const prefix = base === entry.inputs ? [] : ['parameters'];
  const fields = leaves(base).map((leaf) => {
    const input = h('input', { name: leaf.path.join('.'), 'data-path': JSON.stringify([...prefix, ...leaf.path]) });
    input.value = typeof leaf.value === 'string' ? leaf.value : JSON.stringify(leaf.value);
    input.dataset.original = input.value;
    return { leaf, input };
  });
  const varForm = h('form', { id: 'variation-form', 'aria-label': 'Create variation' },
    h('label', {}, 'Title', h('input', { name: 'title', required: true, value: `${entry.title} (variation)` })),
    h('div', { class: 'row' }, fields.map(({ leaf, input }) => h('label', {}, [...prefix, ...leaf.path].join('.'), input))),
    h('button', { type: 'submit' }, 'Create variation'));
  const varMsg = h('div');
  varForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const overrides = {};
    for (const { leaf, input } of fields) {
      if (input.value === input.dataset.original) continue;
      setIn(overrides, [...prefix, ...leaf.path], parseValue(input.value, leaf.value));
    }
    try {
      const { data: v } = await api('POST', `${path}/variations`, { title: varForm.elements.title.value, input_overrides: overrides });
      location.hash = `#/entries/${v.id}`;
    } catch (e) {
      showError(varMsg, e);
    }
  });

  const notesEditor = markdownEditor('Notes', entry.metadata.notes, async (text) => {
    const r = await tag.write(() => api('PATCH', `${path}/notes`, { content: text }, { 'If-Match': tag.get() }));
    // The file may have changed again right after the save (an editor): the answer shows it.
    if (r.data.metadata.notes.trim() !== text.trim()) showBanner('This entry changed on disk just after your save.', 'Reload', () => route());
  });

  app.replaceChildren(
    h('h1', {}, entry.title, ' ', badge),
    h('p', { class: 'muted' }, `${entry.type} · ${entry.id} · ${entry.source.path}`), stars,
    h('h2', {}, 'Inputs'), h('pre', { class: 'kv' }, JSON.stringify(entry.inputs, null, 2)),
    h('h2', {}, 'Run'),
    h('div', { class: 'row' }, exec, h('label', {}, h('span', {}, 'Force'), force), h('label', {}, h('span', {}, 'Follow log'), follow), runState),
    execMsg,
    h('div', { class: 'progress' }, bar, barText),
    log,
    h('h2', {}, 'Artifacts'), gallery, drop, dropMsg,
    h('h2', {}, 'Outputs'), outputs,
    h('h2', {}, 'Create variation'), varForm, varMsg,
    h('h2', {}, 'Notes'),
    notesEditor,
  );

  // Show the latest run of this entry, wherever it was started (here, another tab, `lab run`).
  const { data: runs } = await api('GET', `/api/runs?entry_id=${encodeURIComponent(id)}`);
  if (runs.runs[0]) {
    followRun(runs.runs[0].run_id);
    if (runs.runs[0].status === 'running') exec.disabled = true;
  }
  const poll = setInterval(async () => {
    if (socket && socket.readyState <= 1) return;
    const { data } = await api('GET', `/api/runs?entry_id=${encodeURIComponent(id)}`).catch(() => ({ data: { runs: [] } }));
    const latest = data.runs[0];
    if (latest && latest.status === 'running' && !runState.textContent.includes(latest.run_id)) followRun(latest.run_id);
  }, 2000);
  onLeave(() => clearInterval(poll));
}

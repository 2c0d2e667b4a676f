// The lab app served by `lab serve` at /_lab/ (never part of the static build): plain browser
// JavaScript over the REST API and the run WebSocket; the journal's files stay the source of truth.
import { app, h, hideBanner, leave, setRoute, showError } from './dom.js';
import { entryView } from './entry-view.js';
import { notebooksView, notebookView, pageView } from './views.js';

async function route() {
  leave();
  hideBanner();
  const m = /^#\/(notebooks|pages|entries)\/(.+)$/.exec(location.hash);
  try {
    if (!m) await notebooksView();
    else if (m[1] === 'notebooks') await notebookView(decodeURIComponent(m[2]));
    else if (m[1] === 'pages') await pageView(decodeURIComponent(m[2]));
    else await entryView(decodeURIComponent(m[2]));
  } catch (e) {
    if (e.status === 401) app.replaceChildren(h('p', { class: 'error' }, 'Not signed in: open the URL that `lab serve` printed (it carries the token).'));
    else showError(app, e);
  }
}

setRoute(route);
window.addEventListener('hashchange', route);
document.getElementById('lab-site-link').hidden = document.documentElement.dataset.site !== '1';
route();

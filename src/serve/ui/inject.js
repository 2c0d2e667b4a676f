// Added by `lab serve` to every page of the live site (never to the static build): a bar that opens
// what is shown in the lab app, where it can be edited and run.
const here = location.pathname;
const match = /\/(entries|pages|notebooks)\/([^/]+)\/?$/.exec(here);
const bar = document.createElement('nav');
bar.className = 'lab-serve-bar';
bar.setAttribute('aria-label', 'lab serve');
const link = (href, text) => {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  bar.append(a);
};
if (match) link(`/_lab/#/${match[1]}/${match[2]}`, match[1] === 'entries' ? 'Edit / Execute' : 'Edit');
link('/_lab/#/', 'Lab app');
document.body.append(bar);

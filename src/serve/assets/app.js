/* jianghua serve: the browser front-end. Plain ES2020, no framework, no build.
 *
 * Structure
 *   1. DOM helpers: el(), svgEl(), $(), qs() (query strings), api() (fetch + errors).
 *   2. Text helpers: queryPhrases() (the words of a search query), splitPhrases()
 *      (the mentions box), markedText() (text with <mark>s at code-point offsets).
 *   3. Routing: parseRoute() reads location.hash, go() navigates, render() runs
 *      on every hashchange and calls one view; a token drops stale answers.
 *   4. Views: search (+ stats summary), mentions (totals, SVG chart, per-site
 *      table, KWIC), speech (outline, passages with marks, sources).
 *   5. Wiring: form submits, paging buttons, start.
 *
 * THE RULE: everything the API returns is untrusted text written by strangers.
 * Elements are built with document.createElement / createElementNS, and text is
 * put in with textContent or createTextNode ONLY. Never innerHTML, outerHTML,
 * insertAdjacentHTML or document.write. API data reaches an href only through
 * encodeURIComponent (qs(), routeHash()) into our own "#/..." routes or "/api/..."
 * CSV links. No inline script or style attributes (the CSP forbids them).
 */
'use strict';

const PAGE = 10;          // search results per page
const KWIC_PAGE = 50;     // occurrences per "more"
const MAX_OFFSET = 10000; // the server's search offset limit

/* ---------- 1. DOM helpers ---------- */

const $ = (sel, root = document) => root.querySelector(sel);

/** Our own routes and API links only: no javascript:, no other host. */
const SAFE_HREF = /^(#\/|\/api\/)/;

function setAttrs(e, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else if (k.startsWith('on')) { if (typeof v === 'function') e.addEventListener(k.slice(2), v); }
    else if (k === 'href' && !SAFE_HREF.test(v)) throw new Error('refused href ' + JSON.stringify(v));
    else e.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(e, kids) {
  for (const k of kids.flat(Infinity)) {
    if (k == null || k === false) continue;
    e.appendChild(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

/** An HTML element; strings among the children become text nodes. */
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  setAttrs(e, attrs);
  return append(e, kids);
}

const SVG_NS = 'http://www.w3.org/2000/svg';
function svgEl(tag, attrs, ...kids) {
  const e = document.createElementNS(SVG_NS, tag);
  setAttrs(e, attrs);
  return append(e, kids);
}

function show(node, on) { node.hidden = !on; }

/** "a=1&b=2" from [[name, value], …]; empty values are left out. */
function qs(pairs) {
  return pairs
    .filter(([, v]) => v != null && v !== '')
    .map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(String(v)))
    .join('&');
}

/** One of our own routes: "#/view?…". */
function routeHash(path, pairs) {
  const q = qs(pairs || []);
  return '#/' + path + (q ? '?' + q : '');
}

const speechHash = (id, phrases, at) =>
  routeHash('speech/' + encodeURIComponent(id), [...phrases.map((p) => ['phrase', p]), ['at', at]]);

const apiUrl = (path, pairs) => '/api/' + path + (pairs.length ? '?' + qs(pairs) : '');

/** GET a JSON answer; a non-2xx answer throws the server's one sentence. */
async function api(path, pairs) {
  let resp;
  try {
    resp = await fetch(apiUrl(path, pairs), { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new Error('Cannot reach the jianghua server. Is `jianghua serve` still running?');
  }
  let body = null;
  try { body = await resp.json(); } catch (e) { /* not JSON */ }
  if (!resp.ok) {
    throw new Error((body && typeof body.error === 'string') ? body.error
      : 'The server answered ' + resp.status + '.');
  }
  if (body == null) throw new Error('The server sent an answer that is not JSON.');
  return body;
}

function showError(message) {
  const box = $('#error');
  box.replaceChildren(el('strong', { text: 'Error: ' }), String(message));
  show(box, true);
}
function hideError() { show($('#error'), false); $('#error').replaceChildren(); }

const plural = (n, one, many) => n + ' ' + (n === 1 ? one : many);
const joinMeta = (parts) => parts.filter((x) => x != null && x !== '').join(' · ');

/* ---------- 2. Text helpers ---------- */

const SPACE = /[\s\u3000]/u;
const OPENERS = new Set(['"', '＂', '“']);
const closes = (open, c) => (open === '“' ? c === '”' : c === '"' || c === '＂');

/** The positive words and phrases of a search query (no -x, no OR, no site:). */
function queryPhrases(q) {
  const ch = Array.from(q || '');
  const out = [];
  let i = 0;
  while (i < ch.length) {
    if (SPACE.test(ch[i])) { i++; continue; }
    let neg = false, field = null;
    if ((ch[i] === '-' || ch[i] === '－') && i + 1 < ch.length && !SPACE.test(ch[i + 1])) { neg = true; i++; }
    const m = ch.slice(i, i + 6).join('').match(/^(title|site|ｔｉｔｌｅ|ｓｉｔｅ)[:：]/iu);
    if (m) { field = m[1].toLowerCase(); i += Array.from(m[0]).length; }
    let text = '';
    if (OPENERS.has(ch[i])) {
      const open = ch[i++];
      while (i < ch.length && !closes(open, ch[i])) text += ch[i++];
      i++;
    } else {
      while (i < ch.length && !SPACE.test(ch[i]) && !OPENERS.has(ch[i]) && ch[i] !== '”') text += ch[i++];
      if (!text) { i++; continue; }
    }
    text = text.trim();
    const isOr = !neg && !field && (text === 'OR' || text === 'ＯＲ');
    const isSite = field === 'site' || field === 'ｓｉｔｅ';
    if (text && !neg && !isOr && !isSite) out.push(text);
  }
  return [...new Set(out)];
}

/** The phrases typed in the mentions box: spaces or commas between, quotes keep spaces. */
function splitPhrases(s) {
  const out = [];
  const re = /"([^"]+)"|“([^”]+)”|([^\s\u3000,，、;；"“”]+)/gu;
  let m;
  while ((m = re.exec(s || ''))) {
    const p = (m[1] || m[2] || m[3] || '').trim();
    if (p) out.push(p);
  }
  return [...new Set(out)];
}

/** The phrases for a mentions box, quoted where they hold a space or a comma. */
const phrasesText = (ps) => ps.map((p) => (/[\s\u3000,，、;；]/u.test(p) ? '“' + p + '”' : p)).join(' ');

/** A fragment of `text` with <mark>s at [start, end) code-point ranges. */
function markedText(text, ranges, markClass) {
  const ch = Array.from(text || '');
  const rs = (ranges || [])
    .map(([s, e]) => [Math.max(0, s | 0), Math.min(ch.length, e | 0)])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged = [];
  for (const r of rs) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push(r.slice());
  }
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const [s, e] of merged) {
    if (s > at) frag.appendChild(document.createTextNode(ch.slice(at, s).join('')));
    frag.appendChild(el('mark', { class: markClass || null }, ch.slice(s, e).join('')));
    at = e;
  }
  if (at < ch.length) frag.appendChild(document.createTextNode(ch.slice(at).join('')));
  return frag;
}

const intParam = (v, dflt) => {
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) && n >= 0 ? n : dflt;
};

/** The date and site filters of a route, as query-string pairs. */
const filterPairs = (p) => ['since', 'until', 'site'].map((k) => [k, (p.get(k) || '').trim()]);

/* ---------- 3. Routing ---------- */

function parseRoute() {
  const raw = location.hash.replace(/^#\/?/, '');
  const qi = raw.indexOf('?');
  const path = qi < 0 ? raw : raw.slice(0, qi);
  const params = new URLSearchParams(qi < 0 ? '' : raw.slice(qi + 1));
  const parts = path.split('/');
  if (parts[0] === 'mentions') return { view: 'mentions', params };
  if (parts[0] === 'speech' && parts[1]) {
    let id = parts.slice(1).join('/');
    try { id = decodeURIComponent(id); } catch (e) { /* keep it raw */ }
    return { view: 'speech', id, params };
  }
  return { view: 'search', params };
}

/** Navigate to a hash route (re-render even when it is the current one). */
function go(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

let renderToken = 0;
const VIEWS = { search: renderSearch, mentions: renderMentions, speech: renderSpeech };

async function render() {
  const token = ++renderToken;
  const live = () => token === renderToken;
  const route = parseRoute();
  hideError();
  for (const v of Object.keys(VIEWS)) show($('#view-' + v), v === route.view);
  $('#nav-search').classList.toggle('active', route.view === 'search');
  $('#nav-mentions').classList.toggle('active', route.view === 'mentions');
  window.scrollTo(0, 0);
  try {
    await VIEWS[route.view](route, live);
  } catch (e) {
    if (live()) { showError(e.message); clearLoading(); }
  }
}

function clearLoading() {
  for (const n of document.querySelectorAll('.loading')) n.remove();
  if ($('#total').textContent.endsWith('…')) $('#total').textContent = '';
}

/* ---------- Shared: stats and site options ---------- */

let statsPromise = null;
function getStats() {
  if (!statsPromise) statsPromise = api('stats', []).catch((e) => { statsPromise = null; throw e; });
  return statsPromise;
}

/** Fills a site <select> from the stats (once) and selects `value`. */
async function fillSites(select, value) {
  if (!select.dataset.filled) {
    try {
      const stats = await getStats();
      for (const s of stats.by_site || []) {
        if (s.site == null) continue;
        const o = el('option', {}, s.site + ' (' + s.speeches + ')');
        o.value = s.site;
        select.appendChild(o);
      }
      select.dataset.filled = '1';
    } catch (e) { showError(e.message); }
  }
  if (value && ![...select.options].some((o) => o.value === value)) {
    const o = el('option', {}, value);
    o.value = value;
    select.appendChild(o);
  }
  select.value = value || '';
}

/* ---------- 4a. Search view ---------- */

function searchPairs(p, extra) {
  return [['q', (p.get('q') || '').trim()], ...filterPairs(p), ['sort', p.get('sort') === 'date' ? 'date' : ''], ...extra];
}

async function renderSearch(route, live) {
  const p = route.params;
  const q = (p.get('q') || '').trim();
  $('#q').value = q;
  $('#since').value = p.get('since') || '';
  $('#until').value = p.get('until') || '';
  $('#sort').value = p.get('sort') === 'date' ? 'date' : 'relevance';
  const sites = fillSites($('#site'), p.get('site') || '');
  show($('#stats-summary'), !q);
  show($('#search-out'), !!q);
  if (!q) {
    document.title = '讲话 jianghua';
    await sites;
    return renderStatsSummary(live);
  }
  document.title = q + ' · 讲话 jianghua';
  const offset = Math.min(intParam(p.get('offset'), 0), MAX_OFFSET);
  $('#total').textContent = 'searching…';
  $('#results').replaceChildren();
  show($('#search-empty'), false);
  setSearchTools(q, p);
  const data = await api('search', searchPairs(p, [['limit', PAGE], ['offset', offset]]))
    .catch((e) => { if (live()) show($('#search-out'), false); throw e; });
  if (!live()) return;
  await sites;
  $('#total').textContent = plural(data.total, 'matching passage', 'matching passages');
  show($('#search-empty'), data.results.length === 0);
  $('#search-empty').textContent = data.total === 0 ? 'no passage matches' : 'no more passages on this page';
  const words = queryPhrases(q);
  $('#results').replaceChildren(...data.results.map((r) => resultItem(r, words)));
  setPager(data.total, offset);
}

function setSearchTools(q, p) {
  const words = queryPhrases(q);
  const link = $('.to-mentions');
  show(link, words.length > 0);
  link.textContent = 'count mentions of ' + words.join(' ');
  link.setAttribute('href', routeHash('mentions', [...words.slice(0, 10).map((w) => ['phrase', w]), ...filterPairs(p)]));
  $('#csv-search').setAttribute('href', apiUrl('search', searchPairs(p, [['limit', 100], ['offset', 0], ['format', 'csv']])));
  $('#csv-search').textContent = 'CSV (first 100)';
}

function resultItem(r, words) {
  const link = el('a', { class: 'result-speech' + (r.title ? '' : ' untitled'), href: speechHash(r.doc_id, words, r.passage) },
    r.title || '(no title)');
  return el('li', { class: 'result' },
    el('div', { class: 'result-meta' }, link,
      (r.date || r.site) ? el('span', { class: 'muted' }, ' · ' + joinMeta([r.date, r.site])) : null),
    r.section ? el('div', { class: 'result-section' }, r.section) : null,
    resultText(r.text, r.highlights || []),
    el('div', { class: 'result-foot' },
      el('span', { class: 'result-source', title: 'source file' }, r.source || ''),
      el('span', { class: 'result-no' }, '¶' + r.passage)));
}

/** p.result-text: a long passage shows a window around its first highlight;
 *  the rest is in the DOM (hidden) and one click away. */
function resultText(text, hl) {
  const ch = Array.from(text || '');
  const p = el('p', { class: 'result-text' });
  const CLIP = 300;
  if (ch.length <= CLIP + 100) return append(p, [markedText(text, hl)]);
  const inside = (x) => hl.find(([a, b]) => a < x && x < b);
  const first = hl.length ? Math.min(...hl.map((h) => h[0])) : 0;
  let s = first < 100 ? 0 : first - 60;
  if (inside(s)) s = inside(s)[0];
  let e = Math.min(ch.length, s + CLIP);
  if (ch.length - e < 60) e = ch.length;
  if (inside(e)) e = inside(e)[1];
  const part = (a, b) => markedText(ch.slice(a, b).join(''), hl.map(([x, y]) => [x - a, y - a]));
  const hidden = [];
  const clip = (a, b) => {
    if (a >= b) return null;
    const c = el('span', { class: 'clip', hidden: true }, part(a, b));
    const dots = el('span', { class: 'ell' }, '…');
    hidden.push([c, dots]);
    return a === 0 ? [c, dots] : [dots, c];
  };
  const more = el('button', { type: 'button', class: 'link more-text' }, 'whole passage');
  more.addEventListener('click', () => {
    for (const [c, dots] of hidden) { c.hidden = false; dots.remove(); }
    more.remove();
  });
  return append(p, [clip(0, s), part(s, e), clip(e, ch.length), ' ', more]);
}

function setPager(total, offset) {
  const pages = Math.ceil(total / PAGE);
  const page = Math.floor(offset / PAGE) + 1;
  show($('.pager'), total > PAGE || offset > 0);
  $('#prev').disabled = offset <= 0;
  $('#next').disabled = offset + PAGE >= total || offset + PAGE > MAX_OFFSET;
  $('#page-info').textContent = total ? 'page ' + page + ' of ' + Math.max(pages, page) : '';
}

function pageBy(delta) {
  const route = parseRoute();
  const p = route.params;
  const offset = Math.max(0, intParam(p.get('offset'), 0) + delta * PAGE);
  go(routeHash('search', [...searchPairs(p, []), ['offset', offset || '']]));
}

async function renderStatsSummary(live) {
  const box = $('#stats-summary');
  box.replaceChildren(el('p', { class: 'loading' }, 'loading…'));
  const s = await getStats();
  if (!live()) return;
  const examples = ['招商引资 营商环境', '“百日会战”', '双过半 -2022', 'title:讲话 营商环境'];
  const sites = (s.by_site || []).filter((x) => x.site != null);
  const unknown = (s.by_site || []).find((x) => x.site == null);
  box.replaceChildren(
    el('h2', {}, plural(s.speeches, 'speech', 'speeches') + ', ' + plural(s.passages, 'passage', 'passages')),
    el('p', {}, 'from ' + plural(s.sources, 'source file', 'source files') +
      (s.first_date ? ', dated ' + s.first_date + ' to ' + s.last_date : '') +
      ', on ' + plural(s.sites, 'site', 'sites') + '.'),
    sites.length ? el('ul', { class: 'chips' }, sites.map((x) =>
      el('li', {}, el('span', {}, x.site), el('span', { class: 'count' }, String(x.speeches))))) : null,
    unknown ? el('p', { class: 'muted' }, plural(unknown.speeches, 'speech has', 'speeches have') + ' no known site.') : null,
    el('p', { class: 'examples' }, 'Try: ', examples.map((q, i) =>
      [i ? ' ' : '', el('a', { href: routeHash('search', [['q', q]]) }, q)])));
}

/* ---------- 4b. Mentions view ---------- */

const kw = { gen: 0, phrase: '', offset: 0, total: 0, filters: [], live: () => false, busy: false };

async function renderMentions(route, live) {
  const p = route.params;
  const phrases = [...new Set(p.getAll('phrase').map((x) => x.trim()).filter(Boolean))];
  $('#phrases').value = phrasesText(phrases);
  $('#m-since').value = p.get('since') || '';
  $('#m-until').value = p.get('until') || '';
  const sites = fillSites($('#m-site'), p.get('site') || '');
  show($('#mentions-intro'), phrases.length === 0);
  show($('#mentions-out'), phrases.length > 0);
  if (!phrases.length) { document.title = 'mentions · 讲话 jianghua'; return sites; }
  document.title = phrases.join(' ') + ' · mentions · 讲话 jianghua';
  const filters = filterPairs(p);
  const ph = phrases.map((x) => ['phrase', x]);
  $('#totals').replaceChildren(el('p', { class: 'loading' }, 'counting…'));
  for (const id of ['#legend', '#chart-box', '#by-site', '#kwic']) $(id).replaceChildren();
  show($('#undated'), false);
  $('#csv-month').setAttribute('href', apiUrl('mentions', [...ph, ['by', 'month'], ...filters, ['format', 'csv']]));
  $('#csv-site').setAttribute('href', apiUrl('mentions', [...ph, ['by', 'site'], ...filters, ['format', 'csv']]));
  $('#csv-kwic').setAttribute('href', apiUrl('mentions', [...ph, ['limit', 1000], ['context', 20], ...filters, ['format', 'csv']]));
  const chosen = phrases.includes(p.get('kwic')) ? p.get('kwic') : phrases[0];
  setupKwic(phrases, chosen, filters, live);
  const [byMonth, bySite] = await Promise.all([
    api('mentions', [...ph, ['by', 'month'], ...filters]),
    api('mentions', [...ph, ['by', 'site'], ...filters]),
    sites,
  ]).catch((e) => { if (live()) show($('#mentions-out'), false); throw e; });
  if (!live()) return;
  renderTotals(byMonth.phrases);
  renderLegend(byMonth.phrases);
  renderChart(byMonth.phrases);
  renderUndated(byMonth.phrases);
  renderBySite(bySite.phrases, p);
}

function renderTotals(list) {
  $('#totals').replaceChildren(...list.map((r, i) => {
    const c = r.count;
    return el('div', { class: 'total-card' },
      el('div', { class: 'total-phrase' }, el('span', { class: 'sw s' + (i % 10) }), c.phrase),
      el('div', { class: 'total-num' },
        el('span', { class: 'phrase-total', 'data-phrase': c.phrase }, String(c.occurrences)),
        el('span', { class: 'muted' }, c.occurrences === 1 ? ' occurrence' : ' occurrences')),
      el('div', { class: 'muted small' }, 'in ' + plural(c.passages, 'passage', 'passages') +
        ' of ' + plural(c.speeches, 'speech', 'speeches')));
  }));
}

function renderLegend(list) {
  $('#legend').replaceChildren(...list.map((r, i) =>
    el('span', { class: 'legend-item' }, el('span', { class: 'sw s' + (i % 10) }), r.count.phrase)));
}

/** Every "YYYY-MM" from the first to the last of `keys`. */
function monthSpan(keys) {
  const sorted = [...keys].filter((k) => /^\d{4}-\d{2}$/.test(k)).sort();
  if (!sorted.length) return [];
  let [y, m] = sorted[0].split('-').map(Number);
  const [ly, lm] = sorted[sorted.length - 1].split('-').map(Number);
  const out = [];
  while ((y < ly || (y === ly && m <= lm)) && out.length < 2400) {
    out.push(y + '-' + String(m).padStart(2, '0'));
    if (++m > 12) { m = 1; y++; }
  }
  return out;
}

/** A round tick step so that about `n` ticks cover `max`. */
function tickStep(max, n) {
  const raw = Math.max(1, max / n);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * pow).find((s) => s >= raw);
  return Math.max(1, Math.round(step));
}

/** Which months get a label, and what it says, for a group width in px. */
function monthLabel(month, groupW) {
  const mm = Number(month.slice(5));
  const k = Math.ceil(56 / groupW);
  if (k <= 1) return month;
  if (k <= 6) {
    const step = [2, 3, 4, 6].find((s) => s >= k);
    return (mm - 1) % step === 0 ? month : null;
  }
  const ys = [1, 2, 5, 10, 20].find((s) => s * 12 * groupW >= 40) || 50;
  return mm === 1 && Number(month.slice(0, 4)) % ys === 0 ? month.slice(0, 4) : null;
}

function renderChart(list) {
  const box = $('#chart-box');
  const counts = list.map((r) => new Map((r.groups || []).filter((g) => g.group != null).map((g) => [g.group, g.occurrences])));
  const months = monthSpan(counts.flatMap((m) => [...m.keys()]));
  const max = Math.max(0, ...counts.flatMap((m) => [...m.values()]));
  if (!months.length || max === 0) {
    box.replaceChildren(el('p', { class: 'empty' }, 'no dated occurrence to chart'));
    return;
  }
  const n = list.length;
  const H = 260, mt = 12, mb = 30, axisW = 44, lp = 18, rp = 24;
  const avail = Math.max(280, (box.clientWidth || 900) - axisW - lp - rp);
  const groupW = Math.max(avail / months.length, n * 2 + 2);
  const W = Math.ceil(lp + rp + groupW * months.length);
  const plotH = H - mt - mb;
  const step = tickStep(max, 4);
  const top = Math.ceil(max / step) * step;
  const barW = Math.min(28, (groupW * (groupW > 8 ? 0.78 : 1)) / n);
  const y = (v) => mt + plotH - (v / top) * plotH;
  // The y axis stays put in its own svg; svg#chart (grid, bars, months) scrolls.
  const axis = svgEl('svg', { class: 'y-axis', width: axisW, height: H, 'aria-hidden': 'true' });
  const svg = svgEl('svg', { id: 'chart', width: W, height: H, viewBox: '0 0 ' + W + ' ' + H,
    role: 'img', 'aria-label': 'occurrences per month' });
  for (let v = 0; v <= top; v += step) {
    svg.appendChild(svgEl('line', { class: v ? 'grid' : 'axis', x1: 0, x2: W, y1: y(v), y2: y(v) }));
    axis.appendChild(svgEl('text', { class: 'tick', x: axisW - 8, y: y(v) + 4, 'text-anchor': 'end' }, String(v)));
  }
  months.forEach((month, mi) => {
    const gx = lp + mi * groupW;
    const x0 = gx + (groupW - barW * n) / 2;
    list.forEach((r, pi) => {
      const c = counts[pi].get(month) || 0;
      const h = (c / top) * plotH;
      const x = x0 + pi * barW;
      const w = Math.max(1, barW - (n > 1 && barW > 3 ? 1 : 0));
      svg.appendChild(svgEl('rect', {
        class: 'bar s' + (pi % 10), x: x.toFixed(2), y: (mt + plotH - h).toFixed(2),
        width: w.toFixed(2), height: h.toFixed(2),
        'data-phrase': r.count.phrase, 'data-period': month, 'data-count': c,
      }, svgEl('title', {}, r.count.phrase + ' ' + month + ': ' + c)));
      // a tick under the axis so that a bar too small to see is still found
      if (c > 0) svg.appendChild(svgEl('rect', { class: 'nz s' + (pi % 10), x: x.toFixed(2), y: mt + plotH + 1, width: w.toFixed(2), height: 2 }));
    });
    const label = monthLabel(month, groupW);
    if (label) {
      svg.appendChild(svgEl('line', { class: 'axis', x1: gx + groupW / 2, x2: gx + groupW / 2, y1: mt + plotH + 3, y2: mt + plotH + 7 }));
      svg.appendChild(svgEl('text', { class: 'month', x: gx + groupW / 2, y: H - 8, 'text-anchor': 'middle' }, label));
    }
  });
  const scroll = el('div', { class: 'chart-scroll' }, svg);
  box.replaceChildren(axis, scroll);
  scroll.scrollLeft = scroll.scrollWidth; // a long span opens on its latest months
}

function renderUndated(list) {
  const parts = list.map((r) => {
    const g = (r.groups || []).find((x) => x.group == null);
    return g && g.occurrences ? { phrase: r.count.phrase, n: g.occurrences } : null;
  }).filter(Boolean);
  const note = $('#undated');
  show(note, parts.length > 0);
  if (!parts.length) return;
  const text = list.length === 1
    ? plural(parts[0].n, 'occurrence', 'occurrences') + ' in undated speeches'
    : parts.map((x) => plural(x.n, 'occurrence', 'occurrences') + ' of ' + x.phrase).join(', ') + ' in undated speeches';
  note.textContent = text + ' (not charted).';
}

function renderBySite(list, p) {
  const rows = new Map();
  list.forEach((r, pi) => {
    for (const g of r.groups || []) {
      const key = g.group == null ? '' : g.group;
      if (!rows.has(key)) rows.set(key, new Array(list.length).fill(0));
      rows.get(key)[pi] += g.occurrences;
    }
  });
  const sum = (a) => a.reduce((x, y) => x + y, 0);
  const keys = [...rows.keys()].filter((k) => sum(rows.get(k)) > 0)
    .sort((a, b) => (a === '') - (b === '') || sum(rows.get(b)) - sum(rows.get(a)) || a.localeCompare(b));
  const table = $('#by-site');
  const head = el('tr', {}, el('th', { scope: 'col' }, 'site'),
    list.map((r, i) => el('th', { scope: 'col', class: 'num' }, el('span', { class: 'sw s' + (i % 10) }), r.count.phrase)));
  const phrases = list.map((r) => ['phrase', r.count.phrase]);
  const body = keys.map((k) => el('tr', { 'data-site': k },
    el('th', { scope: 'row' }, k === '' ? el('span', { class: 'muted' }, 'unknown site')
      : el('a', { href: routeHash('mentions', [...phrases, ['since', p.get('since')], ['until', p.get('until')], ['site', k]]) }, k)),
    rows.get(k).map((n) => el('td', { class: 'num' + (n ? '' : ' zero') }, String(n)))));
  table.replaceChildren(el('thead', {}, head), el('tbody', {}, body.length ? body
    : el('tr', {}, el('td', { colspan: list.length + 1, class: 'empty' }, 'no occurrence'))));
}

/* KWIC: one phrase at a time, 50 per page, grouped by speech. */

function setupKwic(phrases, chosen, filters, live) {
  const sel = $('#kwic-phrase');
  sel.replaceChildren(...phrases.map((x) => { const o = el('option', {}, x); o.value = x; return o; }));
  sel.value = chosen;
  show($('#kwic-choose'), phrases.length > 1);
  Object.assign(kw, { gen: kw.gen + 1, phrase: chosen, offset: 0, total: 0, filters, live, busy: false });
  $('#kwic').replaceChildren();
  loadKwic().catch((e) => { if (live()) { showError(e.message); $('#kwic-info').textContent = ''; } });
}

async function loadKwic() {
  if (kw.busy) return;
  kw.busy = true;
  const { live, phrase, gen } = kw;
  const more = $('#kwic-more');
  more.disabled = true;
  $('#kwic-info').textContent = 'loading occurrences…';
  try {
    const data = await api('mentions', [['phrase', phrase], ['limit', KWIC_PAGE], ['offset', kw.offset], ['context', 20], ...kw.filters]);
    if (!live() || gen !== kw.gen) return;
    const r = data.phrases[0];
    kw.total = r.count.occurrences;
    appendKwic(r.occurrences, phrase);
    kw.offset += r.occurrences.length;
    $('#kwic-info').textContent = kw.total === 0 ? 'no occurrence of ' + phrase
      : 'showing ' + kw.offset + ' of ' + plural(kw.total, 'occurrence', 'occurrences') + ' of ' + phrase;
    show(more, kw.offset < kw.total && r.occurrences.length > 0);
  } finally {
    if (gen === kw.gen) { kw.busy = false; more.disabled = false; }
  }
}

function appendKwic(occs, phrase) {
  const box = $('#kwic');
  for (const o of occs) {
    let group = box.lastElementChild;
    if (!group || group.dataset.doc !== o.doc_id) {
      group = el('section', { class: 'speech-group', 'data-doc': o.doc_id },
        el('h3', {}, el('a', { href: speechHash(o.doc_id, [phrase]), class: o.title ? null : 'untitled' }, o.title || '(no title)'),
          el('span', { class: 'group-meta' }, joinMeta([o.date || 'undated', o.site]))));
      box.appendChild(group);
    }
    const where = o.passage == null ? 'title' : '¶' + o.passage;
    group.appendChild(el('div', { class: 'kwic-line' + (o.passage == null ? ' in-title' : '') },
      el('span', { class: 'left' }, el('span', {}, o.left || '')),
      el('mark', { class: 'match' }, o.match),
      el('span', { class: 'right' }, o.right || ''),
      el('a', { class: 'kwic-at', href: speechHash(o.doc_id, [phrase], o.passage), title: 'open at this passage' }, where)));
  }
}

function chooseKwic() {
  const route = parseRoute();
  const p = route.params;
  p.set('kwic', $('#kwic-phrase').value);
  const pairs = [...p.entries()];
  history.replaceState(null, '', routeHash('mentions', pairs));
  setupKwic(p.getAll('phrase'), $('#kwic-phrase').value, kw.filters, kw.live);
}

/* ---------- 4c. Speech view ---------- */

/** The occurrences of `phrase` in one speech: {title: [[s,e]], passages: Map(no → [[s,e]])}. */
async function speechOccurrences(phrase, sp, live) {
  const found = { phrase, n: 0, title: [], passages: new Map() };
  let offset = 0;
  for (let page = 0; page < 100 && live(); page++) {
    const data = await api('mentions', [['phrase', phrase], ['speech', sp.doc_id], ['limit', 1000], ['offset', offset], ['context', 0]]);
    const occs = data.phrases[0].occurrences;
    for (const o of occs) {
      found.n++;
      if (o.passage == null) found.title.push([o.start, o.end]);
      else {
        if (!found.passages.has(o.passage)) found.passages.set(o.passage, []);
        found.passages.get(o.passage).push([o.start, o.end]);
      }
    }
    offset += occs.length;
    if (occs.length < 1000) break;
  }
  return found;
}

async function renderSpeech(route, live) {
  const box = $('#speech');
  const phrases = [...new Set(route.params.getAll('phrase').map((x) => x.trim()).filter(Boolean))];
  box.replaceChildren(el('p', { class: 'loading' }, 'loading the speech…'));
  const sp = await api('speeches/' + encodeURIComponent(route.id), []);
  if (!live()) return;
  document.title = (sp.title || '(no title)') + ' · 讲话 jianghua';
  let hits = [];
  try {
    hits = await Promise.all(phrases.map((ph) => speechOccurrences(ph, sp, live)));
  } catch (e) { showError(e.message); }
  if (!live()) return;
  const titleRanges = hits.flatMap((h) => h.title);
  const passages = buildPassages(sp.passages, hits);
  const outline = outlineNav(sp, passages);
  box.replaceChildren(
    el('header', { class: 'speech-head' },
      el('h1', { id: 'speech-title', class: sp.title ? null : 'untitled' }, sp.title ? markedText(sp.title, titleRanges) : '(no title)'),
      el('div', { class: 'speech-meta' }, joinMeta([sp.date || 'undated', sp.site || 'unknown site']), ' · ',
        el('code', {}, sp.doc_id)),
      speechPhraseBar(sp, phrases, hits),
      sp.truncated ? el('p', { class: 'note' }, 'The page published only part of this speech: ' +
        sp.truncated[0] + ' of ' + sp.truncated[1] + ' characters.') : null),
    el('div', { class: 'speech-body' + (outline.hidden ? ' no-outline' : '') },
      outline,
      el('div', { class: 'passages' }, passages.nodes)),
    el('section', { class: 'sources-box' },
      el('h2', {}, sp.sources && sp.sources.length > 1 ? 'Sources' : 'Source'),
      el('ul', { id: 'sources' }, (sp.sources && sp.sources.length ? sp.sources : [sp.source]).map((s) => el('li', {}, s))),
      el('p', { class: 'muted small' }, joinMeta(['speech ' + (sp.part + 1) + ' in its file', sp.encoding]))));
  const at = route.params.get('at');
  const target = at != null && /^\d+$/.test(at) ? box.querySelector('article.passage[data-no="' + at + '"]') : null;
  if (target) { target.classList.add('focus'); target.scrollIntoView({ block: 'center' }); }
}

function speechPhraseBar(sp, phrases, hits) {
  const input = el('input', { id: 'speech-phrase', type: 'search', placeholder: 'mark a phrase, e.g. 招商引资',
    'aria-label': 'phrase to mark', spellcheck: 'false' });
  input.value = phrasesText(phrases);
  const form = el('form', { id: 'speech-phrase-form', class: 'inline-form', autocomplete: 'off',
    onsubmit: (e) => { e.preventDefault(); go(speechHash(sp.doc_id, splitPhrases(input.value))); } },
  input, el('button', { type: 'submit' }, 'Mark'));
  const counts = hits.map((h) => el('li', { class: 'speech-count' },
    plural(h.n, 'occurrence', 'occurrences') + ' of ', el('mark', {}, h.phrase), ' in this speech',
    h.n ? [' · ', el('button', { type: 'button', class: 'link', onclick: nextMark }, 'next ↓')] : null,
    ' · ', el('a', { href: routeHash('mentions', [['phrase', h.phrase]]) }, 'all mentions')));
  return el('div', { class: 'phrase-bar' }, form, counts.length ? el('ul', { class: 'counts' }, counts) : null);
}

let markCursor = -1;
function nextMark() {
  const marks = [...document.querySelectorAll('#speech .passages mark')];
  if (!marks.length) return;
  markCursor = (markCursor + 1) % marks.length;
  for (const m of marks) m.classList.remove('current');
  marks[markCursor].classList.add('current');
  marks[markCursor].scrollIntoView({ block: 'center', behavior: 'smooth' });
}

/** The passages as nodes, with a heading at each change of section. */
function buildPassages(list, hits) {
  const nodes = [];
  const firstOf = new Map(); // section path → the node to scroll to
  const byNo = new Map();
  let prev = null;
  for (const ps of list) {
    const section = ps.section || '';
    let heading = null;
    if (section !== prev && section) {
      const parts = section.split(' › ');
      heading = el('h2', { class: 'section-heading' },
        parts.length > 1 ? el('span', { class: 'crumbs' }, parts.slice(0, -1).join(' › ') + ' ›') : null,
        parts[parts.length - 1]);
      nodes.push(heading);
    }
    prev = section;
    const ranges = hits.flatMap((h) => h.passages.get(ps.no) || []);
    const flags = (ps.flags || []).map((f) => el('span', { class: 'flag', title: FLAG_HELP[f] || '' }, f));
    const art = el('article', { class: 'passage', 'data-no': ps.no },
      el('span', { class: 'pno', 'aria-hidden': 'true' }, String(ps.no)),
      el('p', {}, markedText(ps.text, ranges)),
      flags.length ? el('div', { class: 'flags' }, flags) : null);
    nodes.push(art);
    byNo.set(ps.no, art);
    if (section && !firstOf.has(section)) firstOf.set(section, heading || art);
  }
  return { nodes, firstOf, list, byNo };
}

const FLAG_HELP = {
  mojibake: 'the text may be garbled (wrong encoding)',
  elided: 'the page hid text after this passage',
  truncated: 'the passage was cut off',
};

/** nav#outline: the outline's lines if any, else the sections, each scrolling to its place. */
function outlineNav(sp, passages) {
  const squash = (s) => s.replace(/[\s\u3000\p{P}]/gu, '');
  let items;
  if (sp.outline && sp.outline.length) {
    items = sp.outline.map((line) => {
      const sec = [...passages.firstOf.keys()].find((k) => k.split(' › ').includes(line));
      let target = sec ? passages.firstOf.get(sec) : null;
      if (!target && squash(line)) {
        const ps = passages.list.find((x) => squash(x.text).includes(squash(line)));
        target = ps ? passages.byNo.get(ps.no) : null;
      }
      return { text: line, depth: /^[一二三四五六七八九十]+、/.test(line) ? 0 : 1, target };
    });
  } else {
    items = [...passages.firstOf.entries()].map(([sec, target]) => {
      const parts = sec.split(' › ');
      return { text: parts[parts.length - 1], depth: Math.min(parts.length - 1, 2), target };
    });
  }
  const nav = el('nav', { id: 'outline', 'aria-label': 'outline' });
  if (!items.length) { nav.hidden = true; return nav; }
  nav.appendChild(el('h2', {}, sp.outline && sp.outline.length ? 'Outline' : 'Sections'));
  nav.appendChild(el('ol', {}, items.map((it) => el('li', { class: 'depth-' + it.depth },
    it.target
      ? el('button', { type: 'button', class: 'outline-link', onclick: () => jumpTo(it.target) }, it.text)
      : el('span', { class: 'outline-missing', title: 'not found in the text' }, it.text)))));
  return nav;
}

function jumpTo(node) {
  node.scrollIntoView({ behavior: 'smooth', block: 'start' });
  node.classList.remove('flash');
  void node.offsetWidth; // restart the animation
  node.classList.add('flash');
}

/* ---------- 5. Wiring ---------- */

function init() {
  $('#search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const v = (id) => $(id).value.trim();
    go(routeHash('search', [['q', v('#q')], ['since', v('#since')], ['until', v('#until')],
      ['site', $('#site').value], ['sort', $('#sort').value === 'date' ? 'date' : '']]));
  });
  $('#mentions-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const v = (id) => $(id).value.trim();
    go(routeHash('mentions', [...splitPhrases($('#phrases').value).map((x) => ['phrase', x]),
      ['since', v('#m-since')], ['until', v('#m-until')], ['site', $('#m-site').value]]));
  });
  $('#prev').addEventListener('click', () => pageBy(-1));
  $('#next').addEventListener('click', () => pageBy(1));
  $('#kwic-more').addEventListener('click', () => loadKwic().catch((e) => showError(e.message)));
  $('#kwic-phrase').addEventListener('change', chooseKwic);
  window.addEventListener('hashchange', render);
  render();
}

init();

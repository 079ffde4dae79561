// treatysearch reference UI: plain JS over searchd's JSON API (docs/API.md), no build step.
// The whole UI state lives in the page's query string, so every state is bookmarkable and the
// back/forward buttons replay it (history.pushState + popstate).
'use strict';

(() => {
  const PAGE_SIZE = 10;
  const FACET_SIZE = 30;
  // Filters whose values are ORed, each with its facet panel (in this order). `doc`, `meeting`
  // and `type` are the documents' own facts; `symbol` is the documents a passage cites.
  const MULTI = ['doc', 'meeting', 'type', 'lang', 'org', 'year', 'decision', 'symbol'];
  const FACET_TITLES = {
    doc: '文件', meeting: '会议', type: '文件类型', lang: '语言', org: '组织', year: '年份', decision: '决定',
    symbol: '引用的文件',
  };
  // The UN languages' names, for the passage view's version switch.
  const LANG_NAMES = { zh: '中文', en: '英文', fr: '法文', es: '西班牙文', ru: '俄文', ar: '阿拉伯文' };
  const FILTER_NAMES = { ...FACET_TITLES, date_from: '起', date_to: '止' };
  const MODE_NAMES = { lexical: '仅字面', semantic: '仅语义向量' };
  const SORT_NAMES = { relevance: '相关度', date: '日期（旧→新）', '-date': '日期（新→旧）', document: '文件顺序' };

  const $ = (id) => document.getElementById(id);
  const labels = new Map();  // "org:unep" -> display label, remembered from facet responses
  let requestSeq = 0;        // responses of superseded requests are dropped

  // ---- State <-> URL ------------------------------------------------------------------------

  function readState(search) {
    const p = new URLSearchParams(search);
    const state = {
      q: p.get('q') || '',
      date_from: p.get('date_from') || '',
      date_to: p.get('date_to') || '',
      sort: p.get('sort') || '',
      mode: p.get('mode') || '',
      page: Math.max(1, parseInt(p.get('page') || '1', 10) || 1),
      passage: p.get('passage') || '',
      plang: p.get('plang') || '',  // the passage view's language version ('' : the first)
      similar: p.get('similar') || '',
    };
    for (const k of MULTI) state[k] = p.getAll(k).filter(Boolean);
    return state;
  }

  // The search itself (query, filters, sort, mode), shared by the page URL and the API URL.
  function searchParams(state) {
    const p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    for (const k of MULTI) for (const v of state[k]) p.append(k, v);
    if (state.date_from) p.set('date_from', state.date_from);
    if (state.date_to) p.set('date_to', state.date_to);
    if (state.sort) p.set('sort', state.sort);
    if (state.mode) p.set('mode', state.mode);
    return p;
  }

  function toQuery(state) {
    const p = searchParams(state);
    if (state.page > 1) p.set('page', String(state.page));
    if (state.passage) p.set('passage', state.passage);
    if (state.passage && state.plang) p.set('plang', state.plang);
    if (state.similar) p.set('similar', state.similar);
    const s = p.toString();
    return s ? '?' + s : location.pathname;
  }

  let state = readState(location.search);

  // Moves to a new state: a new history entry, then render.
  function navigate(next, { focusMain = false } = {}) {
    state = next;
    history.pushState(null, '', toQuery(state));
    render({ focusMain });
  }

  function withChange(change) {
    const next = { ...state, ...change };
    if (!('plang' in change)) next.plang = '';  // another passage opens in its first version
    for (const k of MULTI) next[k] = [...(change[k] || state[k])];
    return next;
  }

  // A search change always leaves detail views and returns to page 1.
  function searchChange(change) {
    return withChange({ page: 1, passage: '', similar: '', ...change });
  }

  window.addEventListener('popstate', () => {
    state = readState(location.search);
    render({});
  });

  // ---- API ----------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  // fetch() with JSON expected back: resolves {status, statusText, ok, body} (body null when
  // not JSON), or rejects with an ApiError(0) when the server cannot be reached.
  async function fetchJson(path, init = {}) {
    let res;
    try {
      res = await fetch(path, { ...init, headers: { Accept: 'application/json', ...(init.headers || {}) } });
    } catch (e) {
      throw new ApiError(0, '无法连接到服务器（' + e.message + '）');
    }
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    return { status: res.status, statusText: res.statusText, ok: res.ok, body };
  }

  async function api(path) {
    const res = await fetchJson(path);
    if (!res.ok) {
      const body = res.body;
      const msg = body && body.error && body.error.message ? body.error.message : res.statusText || '请求失败';
      throw new ApiError(res.status, msg);
    }
    return res.body;
  }

  function searchUrl(s) {
    const p = searchParams(s);
    p.set('size', String(PAGE_SIZE));
    p.set('offset', String((s.page - 1) * PAGE_SIZE));
    p.set('facets', MULTI.join(','));
    p.set('facet_size', String(FACET_SIZE));
    p.set('disjunctive', 'true');
    return '/search?' + p.toString();
  }

  // ---- DOM helpers --------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
    return node;
  }

  // Snippets come from searchd already HTML-escaped, with only the highlight tags added. Parse
  // them inert (a <template> runs nothing) and keep <mark> alone, so even an unexpected tag
  // ends up as text.
  function snippetNodes(html) {
    const t = document.createElement('template');
    t.innerHTML = html;
    const clean = (parent) => {
      for (const n of [...parent.childNodes]) {
        if (n.nodeType === Node.TEXT_NODE) continue;
        if (n.nodeType === Node.ELEMENT_NODE && n.tagName === 'MARK' && n.attributes.length === 0) clean(n);
        else n.replaceWith(document.createTextNode(n.textContent || ''));
      }
    };
    clean(t.content);
    return t.content;
  }

  function citation(hit) {
    if (!hit.doc || !hit.para) return hit.id || '';
    if (hit.para === 'header') return hit.doc + '，文件首部';
    // "table-1/row-3": a table row; "21/note-3": a footnote kept after paragraph 21.
    const row = /^table-(\d+)\/row-(\d+)$/.exec(hit.para);
    if (row) return hit.doc + ', 表 ' + row[1] + ' 第 ' + row[2] + ' 行';
    const note = /^(.*)\/note-(\d+)$/.exec(hit.para);
    if (note) return hit.doc + ', 第 ' + note[1] + ' 段脚注 ' + note[2];
    return hit.doc + ', 第 ' + hit.para + ' 段';
  }

  // "获取和惠益分享信息交换所 (ABSCH)" -> name, then the acronym beside it (meetings too).
  function orgLabelNodes(label) {
    const m = /^(.*?)\s*\(([^()]+)\)$/.exec(label);
    if (!m) return [label];
    return [m[1], ' ', el('span', { class: 'acronym', text: m[2] })];
  }

  function filterLabel(key, value) {
    return labels.get(key + ':' + value) || (key === 'lang' && LANG_NAMES[value]) || value;
  }

  function internalLink(change, text, extra) {
    const target = withChange(change);
    return el('a', {
      href: toQuery(target), class: extra, text,
      onclick: (e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(target, { focusMain: true });
      },
    });
  }

  function showMessage(kind, ...content) {
    const m = $('message');
    m.replaceChildren(...content);
    m.className = 'message ' + kind;
    m.hidden = content.length === 0;
  }

  function errorNodes(err, what) {
    const code = err.status ? '（' + err.status + '）' : '';
    return [el('strong', { text: what + '出错' + code + '：' }), el('span', { class: 'error-text', text: err.message })];
  }

  // ---- Rendering ----------------------------------------------------------------------------

  async function render({ focusMain }) {
    syncControls();
    renderChips();
    const seq = ++requestSeq;
    const main = $('main');
    main.setAttribute('aria-busy', 'true');
    try {
      if (state.passage) await renderPassage(seq);
      else if (state.similar) await renderSimilar(seq);
      else await renderSearch(seq);
    } finally {
      if (seq === requestSeq) main.removeAttribute('aria-busy');
    }
    if (focusMain && seq === requestSeq) main.focus({ preventScroll: false });
  }

  function syncControls() {
    $('q').value = state.q;
    $('date_from').value = state.date_from;
    $('date_to').value = state.date_to;
    $('sort').value = SORT_NAMES[state.sort] ? state.sort : '';
    $('mode').value = MODE_NAMES[state.mode] ? state.mode : '';
    document.title = (state.q ? state.q + ' · ' : '') + '条约检索';
  }

  function activeFilters() {
    const out = [];
    for (const k of MULTI) for (const v of state[k]) out.push({ key: k, value: v });
    if (state.date_from) out.push({ key: 'date_from', value: state.date_from });
    if (state.date_to) out.push({ key: 'date_to', value: state.date_to });
    return out;
  }

  function removeFilterChange(f) {
    if (MULTI.includes(f.key)) return searchChange({ [f.key]: state[f.key].filter((v) => v !== f.value) });
    return searchChange({ [f.key]: '' });
  }

  function renderChips() {
    const filters = activeFilters();
    const chips = filters.map((f) => el('button', {
      type: 'button', class: 'chip', 'data-key': f.key, 'data-value': f.value,
      'aria-label': '移除筛选：' + FILTER_NAMES[f.key] + ' ' + filterLabel(f.key, f.value),
      onclick: () => navigate(removeFilterChange(f), { focusMain: true }),
    }, el('span', { class: 'chip-key', text: FILTER_NAMES[f.key] }), ' ', filterLabel(f.key, f.value),
    el('span', { class: 'chip-x', 'aria-hidden': 'true', text: '×' })));
    if (filters.length > 1) {
      chips.push(el('button', {
        type: 'button', class: 'chip clear', text: '清除全部',
        onclick: () => navigate(searchChange({ ...Object.fromEntries(MULTI.map((k) => [k, []])), date_from: '', date_to: '' })),
      }));
    }
    $('chips').replaceChildren(...chips);
  }

  function clearResults() {
    $('hits').replaceChildren();
    $('pager').replaceChildren();
    $('summary').textContent = '';
    $('detail').hidden = true;
    $('detail').replaceChildren();
  }

  async function renderSearch(seq) {
    $('hits').hidden = false;
    $('detail').hidden = true;
    $('summary').textContent = '正在搜索…';
    let body;
    try {
      body = await api(searchUrl(state));
    } catch (err) {
      if (seq !== requestSeq) return;
      clearResults();
      showMessage('error', ...errorNodes(err, '搜索'));
      return;
    }
    if (seq !== requestSeq) return;
    rememberLabels(body.facets || {});
    renderChips();  // labels may have arrived
    renderFacets(body.facets || {});
    const hits = body.hits || [];
    const first = body.total ? body.offset + 1 : 0;
    const last = body.offset + hits.length;
    const took = typeof body.took_ms === 'number' ? body.took_ms.toFixed(1) : '?';
    $('summary').replaceChildren(
      '共 ', el('strong', { id: 'total', text: String(body.total) }), ' 条结果',
      body.total ? ' · 第 ' + first + '–' + last + ' 条' : '',
      el('span', { class: 'took', text: ' · 用时 ' + took + ' 毫秒' }),
      body.sort ? el('span', { class: 'sort-used', text: ' · 按' + (SORT_NAMES[body.sort] || body.sort) + '排序' }) : '',
      body.vector ? el('span', { class: 'vector-used', text: ' · 含向量语义匹配' }) : '');
    const warnings = (body.warnings || []).map((w) => el('li', { text: w }));
    if (hits.length === 0) showMessage('empty', ...emptyNodes(body.total, warnings));
    else if (warnings.length) showMessage('warning', el('strong', { text: '提示：' }), el('ul', {}, warnings));
    else showMessage('');
    $('hits').replaceChildren(...hits.map(hitNode));
    renderPager(body.total);
  }

  function emptyNodes(total, warnings) {
    const nodes = [];
    if (total > 0) {
      nodes.push(el('p', { text: '这一页没有结果（共 ' + total + ' 条）。' }),
        internalLink({ page: 1 }, '回到第 1 页'));
      return nodes;
    }
    const filters = activeFilters();
    const what = state.q ? '没有与「' + state.q + '」匹配的段落' : '没有段落';
    nodes.push(el('p', { class: 'empty-title', text: what + (filters.length ? '符合当前筛选条件。' : '。') }));
    if (warnings.length) nodes.push(el('ul', { class: 'warnings' }, warnings));
    if (filters.length) {
      nodes.push(el('p', { text: '筛选条件同时生效（不同类别之间为“且”）。试试移除一个：' }),
        el('ul', { class: 'suggest' }, filters.map((f) => el('li', {},
          el('button', { type: 'button', class: 'small', onclick: () => navigate(removeFilterChange(f)) },
            '移除“' + FILTER_NAMES[f.key] + '：' + filterLabel(f.key, f.value) + '”')))));
    } else if (state.q) {
      nodes.push(el('p', { text: '试试更短的词、去掉引号或排除条件，或用 OR 连接同义词。' }));
    }
    return nodes;
  }

  function hitNode(hit) {
    // A symbol may have several language versions under one passage id: open this hit's.
    const passageLink = internalLink({ passage: hit.id, plang: hit.lang || '', similar: '' }, citation(hit), 'cite');
    const snippet = el('p', { class: 'snippet' });
    if (hit.snippet) snippet.append(snippetNodes(hit.snippet));
    else snippet.textContent = hit.text || '';
    // The citation line: the document's title (its symbol alone when it has none) and the cited
    // paragraph.
    const docTitle = hit.title && hit.title !== hit.doc ? el('span', { class: 'hit-doc', text: hit.title }) : null;
    return el('li', { class: 'hit', 'data-id': hit.id, 'data-doc': hit.doc || null },
      el('h3', { class: 'hit-title' }, passageLink, docTitle ? el('span', { class: 'sep', 'aria-hidden': 'true', text: ' · ' }) : null, docTitle),
      sectionPath(hit.section),
      snippet,
      hit.snippet_source && hit.snippet_source !== 'text'
        ? el('p', { class: 'snippet-source', text: '匹配出现在' + hit.snippet_source.replace('footnote', '脚注') }) : null,
      footnotesNode(hit.footnotes),
      hit.via ? el('p', { class: 'hit-via', text: '经由' + (LANG_NAMES[hit.via.lang] || hit.via.lang) + '版本找到（' +
        citation({ doc: hit.doc, para: hit.via.id.slice((hit.doc || '').length + 1) }) + '）' }) : null,
      el('p', { class: 'hit-actions' },
        internalLink({ passage: hit.id, plang: hit.lang || '', similar: '' }, '查看整段', 'action'),
        internalLink({ similar: hit.id, passage: '' }, '相似段落', 'action')));
  }

  function sectionPath(section) {
    if (!section || section.length === 0) return null;
    return el('ol', { class: 'section-path', 'aria-label': '所在章节' }, section.map((s) => el('li', { text: s })));
  }

  function footnotesNode(footnotes) {
    if (!footnotes || footnotes.length === 0) return null;
    return el('ol', { class: 'footnotes', 'aria-label': '脚注' }, footnotes.map((f) =>
      el('li', {}, el('sup', { text: String(f.number) }), ' ', f.text)));
  }

  function rememberLabels(facets) {
    for (const [name, values] of Object.entries(facets))
      for (const v of values) labels.set(name + ':' + v.value, v.label || v.value);
  }

  function renderFacets(facets) {
    // Keyboard users keep their place: the checkbox they toggled is focused again after the
    // panels are rebuilt.
    const active = document.activeElement;
    const keep = active && active.matches('#facets input[type="checkbox"]')
      ? { facet: active.closest('[data-facet]').dataset.facet, value: active.value } : null;
    const panels = MULTI.map((name) => facetPanel(name, facets[name] || []));
    $('facets').replaceChildren(...panels);
    if (keep) {
      const box = [...$('facets').querySelectorAll(`[data-facet="${keep.facet}"] input`)].find((i) => i.value === keep.value);
      if (box) box.focus();
    }
  }

  function facetPanel(name, values) {
    // Selected values stay listed (count 0 if the response no longer has them).
    const rows = values.map((v) => ({ ...v }));
    for (const sel of state[name])
      if (!rows.some((r) => r.value === sel)) rows.push({ value: sel, label: filterLabel(name, sel), count: 0 });
    if (name === 'year') rows.sort((a, b) => a.value.localeCompare(b.value));
    const max = Math.max(1, ...rows.map((r) => r.count));
    const id = 'facet-' + name;
    const list = el('ul', { class: 'facet-values' + (name === 'year' ? ' bars' : '') }, rows.map((r, i) => {
      const checked = state[name].includes(r.value);
      const inputId = id + '-' + i;
      const box = el('input', {
        type: 'checkbox', id: inputId, value: r.value, checked,
        onchange: (e) => {
          const vals = e.target.checked ? [...state[name], r.value] : state[name].filter((v) => v !== r.value);
          navigate(searchChange({ [name]: vals }));
        },
      });
      // "名古屋议定书缔约方会议第1次会议 (NP COP-MOP 1)": the short name set apart, as acronyms are.
      const text = name === 'org' || name === 'meeting' ? orgLabelNodes(r.label || r.value) : [r.label || r.value];
      // Documents are listed by title; the symbol is their tooltip.
      const label = el('label', { for: inputId, class: 'facet-label', title: name === 'doc' ? r.value : null }, text);
      const count = el('span', { class: 'count', text: String(r.count) });
      const row = el('li', { class: 'facet-row' + (checked ? ' selected' : '') + (r.count === 0 ? ' zero' : '') }, box, label);
      if (name === 'year') {
        const bar = el('span', { class: 'bar', 'aria-hidden': 'true' }, el('span', { class: 'bar-fill' }));
        bar.firstChild.style.width = (100 * r.count / max).toFixed(1) + '%';  // CSSOM: allowed by the CSP
        row.append(bar);
      }
      row.append(count);
      return row;
    }));
    const details = el('details', { class: 'panel facet', id, 'data-facet': name, open: true },
      el('summary', {}, FACET_TITLES[name],
        state[name].length ? el('span', { class: 'badge', text: String(state[name].length) }) : null),
      rows.length ? list : el('p', { class: 'hint', text: '无' }));
    if (narrow() && state[name].length === 0) details.open = false;
    return details;
  }

  function narrow() {
    return window.matchMedia('(max-width: 760px)').matches;
  }

  function renderPager(total) {
    const pages = Math.ceil(total / PAGE_SIZE);
    const pager = $('pager');
    if (pages <= 1) {
      pager.replaceChildren();
      return;
    }
    const cur = Math.min(state.page, pages);
    const items = [];
    const add = (page, text, rel) => {
      if (page < 1 || page > pages) {
        items.push(el('li', {}, el('span', { class: 'disabled', 'aria-disabled': 'true', text })));
        return;
      }
      const a = internalLink({ page }, text, page === cur ? 'current' : '');
      if (page === cur && !rel) a.setAttribute('aria-current', 'page');
      if (rel) a.setAttribute('rel', rel);
      if (rel) a.setAttribute('aria-label', rel === 'prev' ? '上一页' : '下一页');
      items.push(el('li', {}, a));
    };
    add(cur - 1, '‹ 上一页', 'prev');
    let last = 0;
    for (let p = 1; p <= pages; p++) {
      if (p !== 1 && p !== pages && Math.abs(p - cur) > 2) continue;
      if (last && p - last > 1) items.push(el('li', { class: 'gap', text: '…' }));
      add(p, String(p));
      last = p;
    }
    add(cur + 1, '下一页 ›', 'next');
    pager.replaceChildren(el('ul', {}, items));
  }

  function backToResults() {
    return internalLink({ passage: '', similar: '' }, '← 返回结果', 'back');
  }

  function showDetail(...nodes) {
    $('hits').hidden = true;
    $('pager').replaceChildren();
    const d = $('detail');
    d.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined));  // absent parts
    d.hidden = false;
  }

  async function renderPassage(seq) {
    $('summary').textContent = '正在载入段落…';
    let p;
    try {
      p = await api('/passages/' + encodeURIComponent(state.passage) + (state.plang ? '?lang=' + encodeURIComponent(state.plang) : ''));
    } catch (err) {
      if (seq !== requestSeq) return;
      $('summary').textContent = '';
      showMessage('error', ...errorNodes(err, '载入段落'));
      showDetail(backToResults());
      return;
    }
    if (seq !== requestSeq) return;
    showMessage('');
    $('summary').textContent = '段落全文';
    const facts = [];
    const fact = (name, items) => { if (items.length) facts.push(el('dt', { text: name }), el('dd', {}, items)); };
    fact('组织', (p.orgs || []).map((o) => el('span', { class: 'tag' }, o.label, o.acronym ? el('span', { class: 'acronym', text: o.acronym }) : null)));
    fact('日期', (p.dates || []).map((d) => el('span', { class: 'tag', title: d.from + (d.to && d.to !== d.from ? ' – ' + d.to : ''), text: d.text })));
    fact('决定', (p.decisions || []).map((d) => el('span', { class: 'tag', text: d.label || d.id })));
    fact('引用文件', (p.symbols || []).map((s) => el('span', { class: 'tag', text: s })));
    showDetail(
      backToResults(),
      el('h2', { class: 'detail-title', tabindex: '-1', text: citation(p) }),
      el('p', { class: 'doc-title', text: p.title || '' }),
      sectionPath(p.section),
      el('p', { class: 'passage-text', text: p.text || '' }),
      footnotesNode(p.footnotes),
      facts.length ? el('dl', { class: 'facts' }, facts) : null,
      versionSwitch(p),
      await sideBySide(p, seq),
      el('p', { class: 'hit-actions' }, internalLink({ similar: p.id, passage: '' }, '相似段落', 'action')));
  }

  // "显示语言": the passage in each language version its document has, the anchor (id) kept.
  function versionSwitch(p) {
    const versions = p.versions || [];
    if (versions.length < 2) return null;
    return el('nav', { class: 'version-switch', 'aria-label': '语言版本' }, el('span', { text: '显示语言：' }),
      ...versions.map((lang) => lang === p.lang
        ? el('strong', { class: 'version current', 'aria-current': 'true', lang, text: LANG_NAMES[lang] || lang })
        : internalLink({ passage: p.id, plang: lang, similar: '' }, LANG_NAMES[lang] || lang, 'version')));
  }

  // The passage beside its linked versions (GET /passages/{id} "links"), each with the link's
  // confidence; a version with no linked passage says so.
  async function sideBySide(p, seq) {
    const links = Object.entries(p.links || {});
    if (!links.length) return null;
    const column = (lang, title, text, note) => el('section', { class: 'version-text', lang },
      el('h3', {}, LANG_NAMES[lang] || lang, note ? el('span', { class: 'confidence', text: note }) : null),
      el('p', { class: 'passage-text', text }), title ? el('p', { class: 'version-id', text: title }) : null);
    const columns = [column(p.lang, citation(p), p.text || '', '')];
    for (const [lang, linked] of links) {
      if (!linked.length) {
        columns.push(column(lang, '', '（此版本中没有对应段落）', ''));
        continue;
      }
      for (const l of linked) {
        let text = '';
        try {
          text = (await api('/passages/' + encodeURIComponent(l.id) + '?lang=' + encodeURIComponent(lang))).text || '';
        } catch (err) {
          text = '（无法载入：' + err.message + '）';
        }
        if (seq !== requestSeq) return null;
        columns.push(column(lang, citation({ doc: p.doc, para: l.para }), text, '对应度 ' + Math.round(l.confidence * 100) + '%'));
      }
    }
    return el('div', { class: 'side-by-side', 'aria-label': '各语言版本对照' },
      el('h2', { class: 'side-title', text: '各语言版本对照' }), el('div', { class: 'version-columns' }, columns));
  }

  async function renderSimilar(seq) {
    $('summary').textContent = '正在查找相似段落…';
    let body;
    try {
      body = await api('/similar?' + new URLSearchParams({ id: state.similar }).toString());
    } catch (err) {
      if (seq !== requestSeq) return;
      $('summary').textContent = '';
      const msg = err.status === 404 && /endpoint/.test(err.message)
        ? [el('strong', { text: '相似段落暂不可用：' }), el('span', { class: 'error-text', text: '此服务器尚未提供 /similar（' + err.message + '）' })]
        : errorNodes(err, '查找相似段落');
      showMessage('error', ...msg);
      showDetail(backToResults());
      return;
    }
    if (seq !== requestSeq) return;
    showMessage('');
    // Items may be passages, or wrap one ({passage, score}); show them like search hits.
    const items = body.hits || body.similar || body.passages || body.results || [];
    const hits = items.map((h) => (h && h.passage && typeof h.passage === 'object' ? { ...h.passage, ...h } : h));
    $('summary').textContent = '与 ' + state.similar + ' 相似的段落：' + hits.length + ' 条';
    showDetail(
      backToResults(),
      el('h2', { class: 'detail-title', tabindex: '-1' }, '相似段落 · ', internalLink({ passage: state.similar, similar: '' }, state.similar)),
      hits.length ? el('ol', { class: 'hits' }, hits.map(hitNode)) : el('p', { text: '没有找到相似段落。' }));
  }

  // ---- Admin: an API key and the upload form (POST /documents) -------------------------------
  // Optional and separate from searching, which never sends the key. The key lives in this tab's
  // sessionStorage only (never localStorage, never the URL).

  const KEY_STORE = 'treaty.apiKey';
  const storedKey = () => {
    try {
      return sessionStorage.getItem(KEY_STORE) || '';
    } catch (e) {
      return '';
    }
  };
  const storeKey = (key) => {
    try {
      if (key) sessionStorage.setItem(KEY_STORE, key);
      else sessionStorage.removeItem(KEY_STORE);
    } catch (e) { /* storage disabled: the key lasts until the page is left */ }
  };
  let apiKey = '';

  // Any method with the key (see fetchJson).
  function keyedFetch(path, init) {
    return fetchJson(path, { ...init, headers: { Authorization: 'Bearer ' + apiKey, ...(init.headers || {}) } });
  }

  function apiErrorText(r) {
    const e = r.body && r.body.error;
    const msg = e && e.message ? e.message : r.statusText || '请求失败';
    return msg + (e && e.line ? '（第 ' + e.line + ' 行）' : '');
  }

  function setKeyStatus(kind, ...content) {
    const s = $('key-status');
    s.replaceChildren(...content);
    s.className = 'admin-status' + (kind ? ' ' + kind : '');
  }

  function showUploadResult(kind, ...content) {
    // Errors are alerts; the rest is announced politely by the live region.
    const box = el('div', { class: 'message ' + kind, role: kind === 'error' ? 'alert' : null }, content);
    $('upload-result').replaceChildren(...(content.length ? [box] : []));
  }

  function resetAdmin(message) {
    apiKey = '';
    storeKey('');
    $('upload-form').hidden = true;
    $('forget-key').hidden = true;
    showUploadResult('');
    setKeyStatus('', message || '');
  }

  // Checks the key with GET /keys/self; the upload form appears only for documents:write.
  async function useKey(key) {
    apiKey = key;
    setKeyStatus('', '正在验证密钥…');
    let r;
    try {
      r = await keyedFetch('/keys/self', { method: 'GET' });
    } catch (err) {
      apiKey = '';
      setKeyStatus('error', err.message);
      return;
    }
    if (r.status === 401) {
      resetAdmin();
      setKeyStatus('error', el('strong', { text: '密钥无法识别：' }), '服务器不认识这个密钥（401），请检查后重试。');
      return;
    }
    if (r.status !== 200 || !r.body) {
      apiKey = '';
      setKeyStatus('error', '验证密钥出错（' + r.status + '）：' + apiErrorText(r));
      return;
    }
    storeKey(key);
    $('api-key').value = '';
    $('forget-key').hidden = false;
    const actions = Array.isArray(r.body.actions) ? r.body.actions : [];
    const who = '密钥 ' + (r.body.id || '') + (r.body.description ? '（' + r.body.description + '）' : '');
    const canWrite = actions.includes('documents:write') || actions.includes('*');
    $('upload-form').hidden = !canWrite;
    if (canWrite) {
      setKeyStatus('ok', who + '：可以添加文件。');
    } else {
      showUploadResult('');
      setKeyStatus('warning', who + '：没有上传权限（需要 documents:write；此密钥的权限：' +
        (actions.join('、') || '无') + '），不能添加文件。');
    }
  }

  // The search for one document alone, as its document facet chip would set it.
  function documentLink(symbol) {
    const target = readState('?' + new URLSearchParams({ doc: symbol }).toString());
    return el('a', {
      href: toQuery(target), class: 'doc-link', text: '查看 doc:' + symbol,
      onclick: (e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(target, { focusMain: true });
      },
    });
  }

  function warningList(warnings) {
    if (!Array.isArray(warnings) || warnings.length === 0) return null;
    return el('ul', { class: 'warnings' }, warnings.map((w) => el('li', {
      text: typeof w === 'string' ? w : (w.line ? '第 ' + w.line + ' 行：' : '') + (w.message || JSON.stringify(w)),
    })));
  }

  async function upload() {
    const file = $('upload-file').files[0];
    if (!file) return;
    const params = new URLSearchParams();
    const symbol = $('upload-symbol').value.trim();
    if (symbol) params.set('symbol', symbol);
    const dryRun = $('upload-dry-run').checked;
    if (dryRun) params.set('dry_run', 'true');
    const pdf = /\.pdf$/i.test(file.name);
    const query = params.toString();
    $('upload-submit').disabled = true;
    showUploadResult('pending', (dryRun ? '正在试运行 ' : '正在上传 ') + file.name + '…');
    let r;
    try {
      r = await keyedFetch('/documents' + (query ? '?' + query : ''), {
        method: 'POST',
        headers: { 'Content-Type': pdf ? 'application/pdf' : 'text/plain; charset=utf-8' },
        body: file,
      });
    } catch (err) {
      showUploadResult('error', el('strong', { text: '上传出错：' }), err.message);
      return;
    } finally {
      $('upload-submit').disabled = false;
    }
    const b = r.body || {};
    if ((r.status === 200 || r.status === 201) && b.dry_run) {
      const n = Array.isArray(b.passages) ? b.passages.length : 0;
      showUploadResult('ok', el('p', {}, el('strong', { text: '试运行：' }),
        (b.symbol || symbol || file.name) + ' 可解析为 ', el('span', { class: 'passage-count', text: String(n) }),
        ' 段（未写入索引）。'), warningList(b.warnings));
    } else if (r.status === 200 || r.status === 201) {
      const verb = b.created === false ? '已替换 ' : '已添加 ';
      showUploadResult('ok', el('p', { class: 'upload-done' }, verb + b.symbol + '：' + b.passages + ' 段'),
        warningList(b.warnings), el('p', {}, documentLink(b.symbol)));
    } else {
      if (r.status === 401) resetAdmin('密钥已失效，请重新输入。');
      showUploadResult('error', el('strong', { text: '上传失败（' + r.status + '）：' }),
        el('span', { class: 'error-text', text: apiErrorText(r) }));
    }
  }

  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const key = $('api-key').value.trim();
    if (key) useKey(key);
  });
  $('forget-key').addEventListener('click', () => {
    $('api-key').value = '';
    resetAdmin('已忘记密钥。');
    $('api-key').focus();
  });
  $('upload-form').addEventListener('submit', (e) => {
    e.preventDefault();
    upload();
  });
  if (storedKey()) {
    $('admin').open = true;
    useKey(storedKey());
  }

  // ---- Controls -----------------------------------------------------------------------------

  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    navigate(searchChange({ q: $('q').value.trim() }));
  });
  $('date-form').addEventListener('submit', (e) => {
    e.preventDefault();
    navigate(searchChange({ date_from: $('date_from').value.trim(), date_to: $('date_to').value.trim() }));
  });
  $('sort').addEventListener('change', (e) => navigate(searchChange({ sort: e.target.value })));
  $('mode').addEventListener('change', (e) => navigate(searchChange({ mode: e.target.value })));
  // Semantic-only search needs an embedder in searchd: offer it only when /health reports one.
  fetch('/health').then((r) => (r.ok ? r.json() : null)).then((h) => {
    const semantic = $('mode').querySelector('option[value="semantic"]');
    if (!h || !h.vectors || !h.vectors.embedder) {
      semantic.disabled = true;
      semantic.textContent += '（未配置向量模型）';
    }
  }).catch(() => {});
  const helpButton = $('help-toggle');
  const toggleHelp = (open) => {
    $('help').hidden = !open;
    helpButton.setAttribute('aria-expanded', String(open));
  };
  helpButton.addEventListener('click', () => toggleHelp($('help').hidden));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('help').hidden) {
      toggleHelp(false);
      helpButton.focus();
    }
    // "/" focuses the search box, as on many search sites.
    if (e.key === '/' && !['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement.tagName)) {
      e.preventDefault();
      $('q').focus();
    }
  });
  $('home-link').addEventListener('click', (e) => {
    e.preventDefault();
    navigate(readState(''));
  });

  history.replaceState(null, '', toQuery(state) + location.hash);
  render({});
})();

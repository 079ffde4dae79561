// End-to-end tests of searchd's web UI (web/) in headless Chromium, driven by playwright-core.
// Run by tests/e2e/run.sh, which starts searchd on the seed corpus plus two fixture documents
// (CBD/NP/MOP/3/4, CBD/SBI/2/8) and sets E2E_BASE_URL. Steps whose numbers are the seed's alone
// restrict the search to it with a doc filter in the URL (SEED_ONLY). searchd has a bootstrap
// admin key (E2E_ADMIN_KEY) from which the upload tests make their keys; the document they add is
// deleted again at their end, so the other tests see the same three documents in any order.
// Screenshots of the main states go to E2E_ARTIFACTS.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.E2E_BASE_URL;
const ADMIN_KEY = process.env.E2E_ADMIN_KEY;
const ARTIFACTS = process.env.E2E_ARTIFACTS || path.resolve('../../build/e2e-artifacts');
if (!BASE || !ADMIN_KEY) throw new Error('E2E_BASE_URL or E2E_ADMIN_KEY is not set: run tests/e2e/run.sh');
mkdirSync(ARTIFACTS, { recursive: true });

let browser;
let context;
let page;
let problems;  // uncaught page errors and CSP violations seen during one test

before(async () => {
  // playwright's default launch uses a fresh temporary profile, removed on close.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  context.setDefaultTimeout(10000);
  page = await context.newPage();
  problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Uncaught/.test(m.text())) problems.push(m.text());
  });
});

afterEach(async () => {
  await context.close();
  assert.deepEqual(problems, []);
});

const SEED = 'UNEP/CBD/NP/COP-MOP/1/6';
const SEED_ONLY = 'doc=' + encodeURIComponent(SEED);
const DOC_TITLES = {
  [SEED]: '与其他公约、国际组织和倡议的合作',
  'CBD/NP/MOP/3/4': '获取和惠益分享信息交换所的运作及进一步发展',
  'CBD/SBI/2/8': '能力建设、技术和科学合作：区域协作网络',
};

const shot = (name) => page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
const total = async () => Number(await page.locator('#total').textContent());
const hitIds = () => page.locator('#hits > .hit').evaluateAll((els) => els.map((e) => e.dataset.id));
const params = () => new URL(page.url()).searchParams;

// Waits until the page shows the results of the URL's current state.
async function settled() {
  await page.waitForFunction(() => !document.getElementById('main').hasAttribute('aria-busy'));
}

async function search(q) {
  await page.fill('#q', q);
  await page.press('#q', 'Enter');
  await page.waitForURL((u) => u.searchParams.get('q') === q);
  await settled();
}

test('typing a query and pressing Enter shows highlighted, cited hits', async () => {
  await page.goto(BASE + '/?' + SEED_ONLY);
  await settled();
  assert.equal(await total(), 53, 'browsing shows every passage of the seed');
  await page.keyboard.press('/');  // focuses the search box
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
  await page.keyboard.type('缔约方大会');
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.searchParams.get('q') === '缔约方大会');
  await settled();
  assert.equal(params().get('doc'), SEED, 'the document filter stays with a new query');
  assert.equal(await total(), 11);  // 9 literal + 2 through thesaurus expansions (the default mode)
  const first = page.locator('#hits > .hit').first();
  assert.match(await first.locator('.cite').textContent(), /^UNEP\/CBD\/NP\/COP-MOP\/1\/6(, 第 .+ 段|，文件首部)$/);
  assert.equal(await first.locator('.hit-title .hit-doc').textContent(), DOC_TITLES[SEED], 'the document title in the citation line');
  assert.ok(await page.locator('#hits .snippet mark').count() > 0, 'matches are highlighted');
  assert.equal(await page.locator('#hits .snippet mark').first().textContent(), '缔约方大会');
  assert.match(await page.locator('#summary').textContent(), /用时 [\d.]+ 毫秒/);
  // A hit citing a footnote shows it under the paragraph.
  await search('unep');
  assert.ok(await page.locator('#hits .footnotes li').count() > 0);
  await search('缔约方大会');
  await page.click('#help-toggle');
  assert.ok(await page.locator('#help').isVisible());
  await shot('search.png');
  await page.keyboard.press('Escape');
  assert.ok(!(await page.locator('#help').isVisible()));
});

test('facets filter with disjunctive counts and removable chips', async () => {
  await page.goto(BASE + '/?q=' + encodeURIComponent('名古屋议定书') + '&' + SEED_ONLY);
  await settled();
  const before = await total();
  assert.equal(before, 34);  // 33 literal + 23(b)'s misspelt 《名古屋议定》 via the thesaurus
  for (const name of ['doc', 'meeting', 'type', 'org', 'year', 'decision', 'symbol'])
    assert.ok(await page.locator(`#facet-${name}`).count() === 1, `${name} facet panel`);
  assert.ok(await page.locator('#facet-year .bar-fill').count() > 0, 'year bar chart');
  assert.ok(await page.locator('#facet-org .acronym').count() > 0, 'acronyms beside organization names');

  const orgRows = page.locator('#facet-org .facet-row');
  const orgCountsBefore = await orgRows.locator('.count').allTextContents();
  // The second organization (the first is often in nearly every hit): its count is the new total.
  const row = orgRows.nth(1);
  const expected = Number(await row.locator('.count').textContent());
  const value = await row.locator('input').getAttribute('value');
  const yearCountsBefore = await page.locator('#facet-year .count').allTextContents();
  await row.locator('input').check();
  await page.waitForURL((u) => u.searchParams.getAll('org').includes(value));
  await settled();
  assert.equal(await total(), expected);
  assert.ok(expected < before);
  assert.deepEqual(await orgRows.locator('.count').allTextContents(), orgCountsBefore,
    'disjunctive: the organization facet is counted without its own filter');
  assert.notDeepEqual(await page.locator('#facet-year .count').allTextContents(), yearCountsBefore,
    'other facets count the filtered set');
  assert.ok(await page.locator(`#facet-org input[value="${value}"]`).isChecked());
  assert.equal(await page.locator('#chips .chip[data-key="org"]').count(), 1);

  // A second organization: alternatives add up (OR within a facet).
  const second = orgRows.nth(2);
  const secondValue = await second.locator('input').getAttribute('value');
  // Keyboard: focus the checkbox and press Space.
  await second.locator('input').focus();
  await page.keyboard.press('Space');
  await page.waitForURL((u) => u.searchParams.getAll('org').includes(secondValue));
  await settled();
  assert.ok(await total() >= expected);
  assert.equal(await page.locator('#chips .chip[data-key="org"]').count(), 2);
  assert.equal(await page.evaluate(() => document.activeElement.value), secondValue, 'focus stays on the checkbox');
  await shot('facets.png');

  // Removing a chip removes that filter.
  await page.locator(`#chips .chip[data-value="${secondValue}"]`).click();
  await page.waitForURL((u) => !u.searchParams.getAll('org').includes(secondValue));
  await settled();
  assert.equal(await total(), expected);

  // A date range narrows the results too.
  await page.fill('#date_from', '2014-05');
  await page.fill('#date_to', '2014-06');
  await page.press('#date_to', 'Enter');
  await page.waitForURL((u) => u.searchParams.get('date_to') === '2014-06');
  await settled();
  assert.ok(await page.locator('#chips .chip[data-key="date_from"]').count() === 1);
});

test('pagination, reload and sort keep the state in the URL', async () => {
  await page.goto(BASE + '/?q=' + encodeURIComponent('名古屋议定书') + '&' + SEED_ONLY);
  await settled();
  const page1 = await hitIds();
  assert.equal(page1.length, 10);
  await page.click('#pager a[rel="next"]');
  await page.waitForURL((u) => u.searchParams.get('page') === '2');
  await settled();
  assert.match(await page.locator('#summary').textContent(), /第 11–20 条/);
  const page2 = await hitIds();
  assert.equal(page2.length, 10);
  assert.equal(page2.filter((id) => page1.includes(id)).length, 0, 'page 2 has other hits');
  assert.equal(await page.locator('#pager a[aria-current="page"]').textContent(), '2');

  await page.selectOption('#sort', '-date');
  await page.waitForURL((u) => u.searchParams.get('sort') === '-date');
  await settled();
  assert.equal(params().get('page'), null, 'a new sort starts at page 1');
  assert.equal((await hitIds())[0], 'UNEP/CBD/NP/COP-MOP/1/6#36', 'the latest date first');

  await page.click('#pager a[rel="next"]');
  await page.waitForURL((u) => u.searchParams.get('page') === '2');
  await settled();
  const url = page.url();
  const ids = await hitIds();
  await page.reload();
  await settled();
  assert.equal(page.url(), url);
  assert.deepEqual(await hitIds(), ids, 'a reload shows the same page');
  assert.equal(await page.inputValue('#q'), '名古屋议定书');
  assert.equal(await page.inputValue('#sort'), '-date');

  // The same URL in a fresh tab (a bookmark) too.
  const other = await context.newPage();
  await other.goto(url);
  await other.waitForFunction(() => !document.getElementById('main').hasAttribute('aria-busy'));
  assert.deepEqual(await other.locator('#hits > .hit').evaluateAll((els) => els.map((e) => e.dataset.id)), ids);
  await other.close();
});

test('the match mode: literal only, and semantic offered only with an embedder', async () => {
  await page.goto(BASE + '/?q=' + encodeURIComponent('研讨会'));
  await settled();
  const expanded = await total();  // the default mode adds 讲习班 (thesaurus)
  await page.selectOption('#mode', 'lexical');
  await page.waitForURL((u) => u.searchParams.get('mode') === 'lexical');
  await settled();
  assert.ok(await total() < expanded, 'literal matching finds fewer passages than with synonyms');
  await page.reload();
  await settled();
  assert.equal(await page.locator('#mode').inputValue(), 'lexical', 'the mode survives a reload');
  // The e2e searchd has no embedder: semantic is shown but disabled.
  await page.waitForFunction(() => document.querySelector('#mode option[value="semantic"]').disabled);
});

test('document facet: titles and counts, one document as a filter with its chip; meeting and type panels', async () => {
  await page.goto(BASE + '/');
  await settled();
  const all = await total();
  assert.equal(await page.locator('#facet-doc summary').textContent(), '文件');
  assert.equal(await page.locator('#facet-meeting summary').textContent(), '会议');
  assert.equal(await page.locator('#facet-type summary').textContent(), '文件类型');
  assert.equal(await page.locator('#facet-symbol summary').textContent(), '引用的文件');
  const rowsOf = (name) => page.locator(`#facet-${name} .facet-row`).evaluateAll((rows) => rows.map((r) => ({
    value: r.querySelector('input').value,
    label: r.querySelector('label').textContent,
    count: Number(r.querySelector('.count').textContent),
  })));
  const docs = await rowsOf('doc');
  assert.deepEqual(docs.map((d) => d.value).sort(), Object.keys(DOC_TITLES).sort(), 'every indexed document');
  for (const d of docs) {
    assert.equal(d.label, DOC_TITLES[d.value], `${d.value} is labelled with its title`);
    assert.ok(d.count > 0);
  }
  assert.equal(docs.find((d) => d.value === SEED).count, 53);
  assert.equal(docs.reduce((n, d) => n + d.count, 0), all, 'every passage is in one document');
  // Meeting and type: panels with counts; every passage has one meeting and one type.
  const meetings = await rowsOf('meeting');
  assert.ok(meetings.length >= 2, 'the three documents are from different meetings');
  assert.equal(meetings.reduce((n, m) => n + m.count, 0), all);
  assert.ok(meetings.some((m) => m.value === 'np-mop:1' && /NP COP-MOP 1/.test(m.label)));
  const types = await rowsOf('type');
  assert.ok(types.length >= 1);
  assert.equal(types.reduce((n, t) => n + t.count, 0), all);
  assert.ok(types.some((t) => t.value === 'note' && t.label === '说明'));

  // One document: only its passages, a chip, and the facet's count as the total.
  const doc = 'CBD/SBI/2/8';
  const expected = docs.find((d) => d.value === doc).count;
  await page.locator(`#facet-doc input[value="${doc}"]`).check();
  await page.waitForURL((u) => u.searchParams.getAll('doc').includes(doc));
  await settled();
  assert.equal(await total(), expected);
  const ids = await hitIds();
  assert.ok(ids.length > 0);
  for (const id of ids) assert.ok(id.startsWith(doc + '#'), `${id} is in ${doc}`);
  assert.equal(await page.locator('#hits .hit-doc').first().textContent(), DOC_TITLES[doc]);
  const chip = page.locator('#chips .chip[data-key="doc"]');
  assert.equal(await chip.count(), 1);
  assert.match(await chip.textContent(), new RegExp(DOC_TITLES[doc]), 'the chip shows the title');
  assert.deepEqual((await rowsOf('doc')).map((d) => d.count).sort(), docs.map((d) => d.count).sort(),
    'disjunctive: the document facet is counted without its own filter');
  await shot('documents.png');

  await chip.click();
  await page.waitForURL((u) => !u.searchParams.has('doc'));
  await settled();
  assert.equal(await total(), all);
  assert.equal(await page.locator('#chips .chip').count(), 0);

  await page.goBack();
  await settled();
  assert.equal(await total(), expected, 'back restores the document filter');
  assert.ok(await page.locator(`#facet-doc input[value="${doc}"]`).isChecked());
});

test('back and forward restore earlier states', async () => {
  await page.goto(BASE + '/');
  await settled();
  await search('名古屋议定书');
  const first = await hitIds();
  await page.locator('#facet-year input').first().check();
  await settled();
  const filtered = await total();
  await search('菌');  // filters stay with a new query
  assert.equal(params().get('year'), await page.locator('#facet-year input:checked').first().getAttribute('value'));

  await page.goBack();
  await settled();
  assert.equal(await page.inputValue('#q'), '名古屋议定书');
  assert.equal(await total(), filtered);
  assert.ok(await page.locator('#facet-year input').first().isChecked());

  await page.goBack();
  await settled();
  assert.deepEqual(await hitIds(), first);
  assert.equal(await page.locator('#chips .chip').count(), 0);

  await page.goForward();
  await settled();
  assert.equal(await total(), filtered);
});

test('a passage opens in full, with its footnotes; similar paragraphs degrade gracefully', async () => {
  await page.goto(BASE + '/?q=unep');
  await settled();
  const hit = page.locator('#hits > .hit').filter({ has: page.locator('.footnotes') }).first();
  const id = await hit.getAttribute('data-id');
  await hit.locator('a', { hasText: '查看整段' }).click();
  await page.waitForURL((u) => u.searchParams.get('passage') === id);
  await settled();
  assert.ok(await page.locator('#detail').isVisible());
  assert.ok((await page.locator('#detail .passage-text').textContent()).length > 20);
  assert.ok(await page.locator('#detail .footnotes li').count() > 0);
  assert.ok(await page.locator('#detail .facts').count() === 1);
  await shot('passage.png');

  await page.locator('#detail a', { hasText: '相似段落' }).click();
  await page.waitForURL((u) => u.searchParams.get('similar') === id);
  await settled();
  // Either similar paragraphs, or (before /similar exists) an error message: never a blank page.
  const shown = (await page.locator('#detail .hit').count()) + (await page.locator('#message.error').count());
  assert.ok(shown > 0, 'similar paragraphs or an error message');
  await shot('similar.png');

  await page.goBack();
  await page.goBack();
  await settled();
  assert.equal(params().get('q'), 'unep');
  assert.ok(await page.locator('#hits').isVisible());
});

test('errors show the API message; empty results say why', async () => {
  await page.goto(BASE + '/?date_from=2014-13&' + SEED_ONLY);
  await settled();
  const message = page.locator('#message.error');
  assert.match(await message.textContent(), /400/);
  assert.match(await message.textContent(), /month must be 1-12/);
  assert.equal(await page.locator('#chips .chip[data-key="date_from"]').count(), 1, 'the bad filter can be removed');
  await shot('error.png');
  await page.locator('#chips .chip[data-key="date_from"]').click();
  await settled();
  assert.equal(await page.locator('#message.error').count(), 0);
  assert.equal(await total(), 53);

  await search('a'.repeat(5000));  // over max_query_bytes (4096)
  assert.match(await page.locator('#message.error').textContent(), /413.*q is 5000 bytes/s);

  await page.goto(BASE + '/?q=' + encodeURIComponent('菌') + '&org=unep&' + SEED_ONLY);
  await settled();
  assert.equal(await total(), 0);
  const empty = page.locator('#message.empty');
  assert.match(await empty.textContent(), /没有与「菌」匹配的段落符合当前筛选条件/);
  await empty.locator('button', { hasText: '移除“组织' }).click();
  await settled();
  assert.equal(params().get('org'), null);
  assert.equal(params().get('doc'), SEED);
  assert.equal(await total(), 1);
});

test('language versions: the language facet, hits found through another version, the version switch and the side-by-side view', async () => {
  // The Chinese and English versions of one fixture report, posted for this test and removed at
  // its end (the other tests see the same three documents).
  const auth = { Authorization: 'Bearer ' + ADMIN_KEY };
  const root = new URL('../../', import.meta.url);
  const SYMBOL = 'CBD/NP/MOP/4/2';
  for (const file of ['tests/fixtures/pdf/CBD-NP-MOP-4-2.pdf', 'tests/fixtures/lang/CBD-NP-MOP-4-2.en.pdf']) {
    const res = await fetch(BASE + '/documents', {
      method: 'POST', headers: { ...auth, 'Content-Type': 'application/pdf' }, body: readFileSync(new URL(file, root)),
    });
    assert.equal(res.status, 201, file);
  }
  try {
    // Only the English says "mentoring": restricted to Chinese, the Chinese paragraphs linked to it.
    await page.goto(BASE + '/?q=mentoring&lang=zh&mode=lexical');
    await settled();
    assert.deepEqual((await hitIds()).sort(), [SYMBOL + '#7', SYMBOL + '#annex-1/1(b)']);
    assert.match(await page.locator('#hits > .hit .hit-via').first().textContent(), /^经由英文版本找到/);
    assert.match(await page.locator('#facet-lang summary').textContent(), /^语言/);  // and its selected count
    assert.ok(await page.locator('#facet-lang input[value="zh"]').isChecked());
    assert.match(await page.locator('#facet-lang .facet-row.selected').textContent(), /^中文/);
    await shot('versions-hits.png');

    // The passage beside its English version; the switch shows it in English, same paragraph.
    await page.locator(`#hits > .hit[data-id="${SYMBOL}#7"] a.cite`).click();
    await page.waitForURL((u) => u.searchParams.get('passage') === SYMBOL + '#7');
    await page.waitForSelector('.side-by-side .version-text[lang="en"]');
    assert.deepEqual(await page.locator('.version-text').evaluateAll((els) => els.map((e) => e.getAttribute('lang'))),
      ['zh', 'en']);
    assert.match(await page.locator('.version-text[lang="en"] .passage-text').textContent(), /mentoring/);
    assert.match(await page.locator('.version-text[lang="en"] .confidence').textContent(), /^对应度 \d+%$/);
    assert.equal(await page.locator('.version-switch .current').textContent(), '中文');
    assert.equal(await page.locator('#detail').evaluate((d) => /\bnull\b/.test(d.textContent)), false);
    await shot('versions-side-by-side.png');
    await page.locator('.version-switch a', { hasText: '英文' }).click();
    await page.waitForURL((u) => u.searchParams.get('plang') === 'en');
    await page.waitForFunction(() => /^One member presented/.test(document.querySelector('#detail > .passage-text').textContent));
    assert.equal(params().get('passage'), SYMBOL + '#7');
    assert.equal(await page.locator('.version-switch .current').textContent(), '英文');
  } finally {
    await fetch(BASE + '/documents/' + encodeURIComponent(SYMBOL), { method: 'DELETE', headers: auth });
  }
});

test('phone-sized screen: one column, no horizontal scrolling', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(BASE + '/?q=' + encodeURIComponent('名古屋议定书') + '&org=unep');
  await settled();
  assert.ok(await total() > 0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal overflow (got ${overflow}px)`);
  assert.ok(await page.locator('#facet-org').evaluate((d) => d.open), 'a facet with a selection stays open');
  await page.screenshot({ path: path.join(ARTIFACTS, 'mobile.png') });
});

test('static files: Content-Type, traversal refused, API routes first', async () => {
  const get = (p) => fetch(BASE + p);
  let r = await get('/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  r = await get('/app.js');
  assert.match(r.headers.get('content-type'), /^text\/javascript/);
  r = await get('/style.css');
  assert.match(r.headers.get('content-type'), /^text\/css/);
  for (const p of ['/%2e%2e/README.md', '/..%2fREADME.md', '/missing.js', '/.gitignore']) {
    r = await get(p);
    assert.equal(r.status, 404, p);
  }
  r = await get('/health');
  assert.match(r.headers.get('content-type'), /^application\/json/);
});

// ---- The admin panel: an API key and the upload form (POST /documents) ------------------------

// A request to searchd with the bootstrap admin key (or another key): {status, body}.
async function keyed(method, p, { key = ADMIN_KEY, body, type } = {}) {
  const headers = { Authorization: 'Bearer ' + key };
  if (type) headers['Content-Type'] = type;
  else if (body !== undefined && typeof body !== 'string') headers['Content-Type'] = 'application/json';
  const r = await fetch(BASE + p, {
    method, headers, body: body === undefined || typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch (e) { /* not JSON */ }
  return { status: r.status, body: json };
}

// A new key with these actions (POST /keys); revoke it with revokeKey(key.id).
async function createKey(actions, description) {
  const r = await keyed('POST', '/keys', { body: { actions, description } });
  assert.equal(r.status, 201, 'POST /keys: ' + JSON.stringify(r.body));
  assert.equal(typeof r.body.value, 'string');
  return r.body;
}

async function revokeKey(id) {
  const r = await keyed('DELETE', '/keys/' + encodeURIComponent(id));
  assert.equal(r.status, 200, 'DELETE /keys/' + id);
}

// Opens the 管理 panel and enters a key.
async function enterKey(key) {
  await page.click('#admin summary');
  await page.fill('#api-key', key);
  await page.press('#api-key', 'Enter');
}

const storage = () => page.evaluate(() => ({
  session: Object.fromEntries(Object.keys(sessionStorage).map((k) => [k, sessionStorage.getItem(k)])),
  local: Object.keys(localStorage).length,
}));

// A text extract in the fixtures' PDF-extract style, written for these tests: a document no other
// test indexes, whose paragraphs 2 and 3 contain WORD.
const NEW_DOC = 'CBD/NP/MOP/4/9';
const NEW_TITLE = '极地和高山地区遗传资源的获取和惠益分享';
const WORD = '冻土微生物样本';
const NEW_TEXT = `联合国 

                                                              ${NEW_DOC}

Distr.: General 

12 July 2020 

CHINESE 

Original: English 

作为名古屋议定书缔约方会议的

缔约方大会 

第四次会议 

2020 年 11 月 16 日至 28 日，中国昆明 

临时议程项目 12 

${NEW_TITLE} 

执行秘书的说明 

一.     导言 

1. 若干缔约方在提交的资料中提到，从永久冻土样本中分离的微生物遗传资源越来越多地

用于研究和商业开发，并请执行秘书汇编有关的经验，供缔约方会议审议。 

2. 本说明概述各缔约方就冻土微生物样本的采集许可、事先知情同意和共同商定条件所分

享的做法，并指出在跨境采样情况下可能出现的困难。 

3. 缔约方会议不妨请各缔约方通过获取和惠益分享信息交换所公布其关于冻土微生物样本

的国家措施，并请执行秘书在下一次会议之前编写一份进展报告。 
`;
const NEW_PASSAGES = 4;  // the cover block (header) and paragraphs 1-3

function tempFiles(files) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'treaty-e2e-upload-'));
  const paths = {};
  for (const [name, content] of Object.entries(files)) {
    paths[name] = path.join(dir, name);
    writeFileSync(paths[name], content);
  }
  return { dir, paths };
}

test('without a key: no upload form, and searching works as before', async () => {
  await page.goto(BASE + '/?' + SEED_ONLY);
  await settled();
  assert.equal(await total(), 53);
  assert.equal(await page.locator('#admin summary').textContent(), '管理');
  assert.ok(!(await page.locator('#admin').evaluate((d) => d.open)), 'the panel starts closed');
  assert.ok(!(await page.locator('#upload-form').isVisible()));
  await page.click('#admin summary');
  assert.ok(await page.locator('#api-key').isVisible(), 'the key field once opened');
  assert.equal(await page.locator('label[for="api-key"]').count(), 1);
  assert.ok(!(await page.locator('#upload-form').isVisible()), 'no upload form without a key');
  await search('缔约方大会');
  assert.equal(await total(), 11);
  assert.deepEqual(await storage(), { session: {}, local: 0 });
});

test('a key without documents:write: the UI says it cannot upload; unknown keys are refused', async () => {
  const key = await createKey(['search'], 'e2e: search only');
  try {
    await page.goto(BASE + '/');
    await settled();
    await enterKey('not-a-key-' + key.value);
    await page.waitForFunction(() => /密钥无法识别/.test(document.getElementById('key-status').textContent));
    assert.ok(!(await page.locator('#upload-form').isVisible()));
    assert.deepEqual(await storage(), { session: {}, local: 0 }, 'an unknown key is not kept');

    await page.fill('#api-key', key.value);
    await page.press('#api-key', 'Enter');
    await page.waitForFunction(() => /没有上传权限/.test(document.getElementById('key-status').textContent));
    assert.match(await page.locator('#key-status').textContent(), /不能添加文件/);
    assert.ok(!(await page.locator('#upload-form').isVisible()));
    const kept = await storage();
    assert.deepEqual(Object.values(kept.session), [key.value], 'the key is kept in sessionStorage');
    assert.equal(kept.local, 0, 'never in localStorage');
    assert.ok(!page.url().includes(key.value), 'never in the URL');
    assert.equal(await page.inputValue('#api-key'), '', 'the field is emptied once the key is accepted');

    // A reload in the same tab keeps it; 忘记密钥 clears it.
    await page.reload();
    await settled();
    await page.waitForFunction(() => /没有上传权限/.test(document.getElementById('key-status').textContent));
    await page.click('#forget-key');
    assert.deepEqual(await storage(), { session: {}, local: 0 });
    assert.ok(!(await page.locator('#forget-key').isVisible()));
  } finally {
    await revokeKey(key.id);
  }
});

test('a documents:write key uploads a text extract: a dry run writes nothing, then it is searchable', async () => {
  const key = await createKey(['documents:write'], 'e2e: upload');
  const { dir, paths } = tempFiles({ 'CBD-NP-MOP-4-9.zh.txt': NEW_TEXT });
  try {
    await page.goto(BASE + '/');
    await settled();
    await enterKey(key.value);
    await page.locator('#upload-form').waitFor({ state: 'visible' });
    for (const [id, label] of [['upload-file', /^文件（PDF/], ['upload-symbol', /^文件编号/], ['upload-dry-run', /试运行/]])
      assert.equal(await page.getByLabel(label).getAttribute('id'), id, `${id} has an accessible label`);
    assert.equal(await page.locator('#upload-file').getAttribute('accept'), '.pdf,.txt');

    // Dry run: the passage count, nothing indexed.
    await page.setInputFiles('#upload-file', paths['CBD-NP-MOP-4-9.zh.txt']);
    await page.check('#upload-dry-run');
    await page.click('#upload-submit');
    const count = page.locator('#upload-result .passage-count');
    await count.waitFor();
    assert.equal(Number(await count.textContent()), NEW_PASSAGES);
    assert.match(await page.locator('#upload-result').textContent(), /试运行.*未写入索引/);
    await search(WORD);
    assert.equal(await total(), 0, 'a dry run indexes nothing');
    assert.equal((await keyed('GET', '/documents/' + encodeURIComponent(NEW_DOC))).status, 404);

    // For real: the success message, and the new paragraphs are found with their citation.
    await page.uncheck('#upload-dry-run');
    await page.click('#upload-submit');
    const done = page.locator('#upload-result .upload-done');
    await done.waitFor();
    assert.equal(await done.textContent(), `已添加 ${NEW_DOC}：${NEW_PASSAGES} 段`);
    await shot('upload.png');
    await search(WORD);
    assert.equal(await total(), 2);
    const cites = await page.locator('#hits .cite').allTextContents();
    assert.deepEqual(cites.sort(), [`${NEW_DOC}, 第 2 段`, `${NEW_DOC}, 第 3 段`]);
    assert.equal(await page.locator('#hits .hit-doc').first().textContent(), NEW_TITLE);
    assert.equal(await page.locator('#hits mark').first().textContent(), WORD);

    // The result's link: the whole new document, as its document facet chip would show it.
    await page.locator('#upload-result a.doc-link').click();
    await page.waitForURL((u) => u.searchParams.get('doc') === NEW_DOC && !u.searchParams.has('q'));
    await settled();
    assert.equal(await total(), NEW_PASSAGES);
    assert.equal(await page.locator('#chips .chip[data-key="doc"]').count(), 1);
    assert.ok(await page.locator(`#facet-doc input[value="${NEW_DOC}"]`).isChecked());

    // The same file again replaces it.
    await page.click('#upload-submit');
    await page.waitForFunction(() => /已替换/.test(document.getElementById('upload-result').textContent));
    assert.equal(await done.textContent(), `已替换 ${NEW_DOC}：${NEW_PASSAGES} 段`);
  } finally {
    const removed = await keyed('DELETE', '/documents/' + encodeURIComponent(NEW_DOC));
    await revokeKey(key.id);
    rmSync(dir, { recursive: true, force: true });
    assert.equal(removed.status, 200, 'the uploaded document is deleted again');
    assert.equal(removed.body.removed, NEW_PASSAGES);
  }
  await page.goto(BASE + '/?q=' + encodeURIComponent(WORD));
  await settled();
  assert.equal(await total(), 0, 'deleted: no longer found');
});

test('an empty or wrong file shows the API error message as an alert', async () => {
  const key = await createKey(['documents:write'], 'e2e: bad uploads');
  const garbage = '这不是 PDF 文件。\n';
  const { dir, paths } = tempFiles({ 'empty.txt': '', 'scan.pdf': garbage });
  try {
    await page.goto(BASE + '/');
    await settled();
    const docsBefore = await page.locator('#facet-doc .facet-row').count();
    await enterKey(key.value);
    await page.locator('#upload-form').waitFor({ state: 'visible' });
    const cases = [
      { file: 'empty.txt', body: '', type: 'text/plain; charset=utf-8', status: 400 },
      { file: 'scan.pdf', body: garbage, type: 'application/pdf' },
    ];
    for (const c of cases) {
      // The API's own answer to the same request (it fails, so nothing is written).
      const direct = await keyed('POST', '/documents', { key: key.value, body: c.body, type: c.type });
      assert.ok(direct.status >= 400, `${c.file}: ${direct.status}`);
      if (c.status) assert.equal(direct.status, c.status);
      const message = direct.body.error.message;
      // A fresh page for each file (the key stays in the tab), so no earlier answer is on it.
      await page.reload();
      await page.locator('#upload-form').waitFor({ state: 'visible' });
      await page.setInputFiles('#upload-file', paths[c.file]);
      await page.click('#upload-submit');
      const alert = page.locator('#upload-result [role="alert"]');
      await page.waitForFunction((m) => {
        const a = document.querySelector('#upload-result [role="alert"]');
        return a && a.textContent.includes(m);
      }, message);
      assert.match(await alert.textContent(), new RegExp(`上传失败（${direct.status}）`));
      if (direct.body.error.line) assert.match(await alert.textContent(), new RegExp(`第 ${direct.body.error.line} 行`));
      if (c.file === 'scan.pdf') await shot('upload-error.png');
    }
    await page.reload();
    await settled();
    assert.equal(await page.locator('#facet-doc .facet-row').count(), docsBefore, 'nothing was added');
  } finally {
    await revokeKey(key.id);
    rmSync(dir, { recursive: true, force: true });
  }
});

// End-to-end tests of searchd's web UI (web/) in headless Chromium, driven by playwright-core.
// Run by tests/e2e/run.sh, which starts searchd on the seed corpus plus two fixture documents
// (CBD/NP/MOP/3/4, CBD/SBI/2/8) and sets E2E_BASE_URL. Steps whose numbers are the seed's alone
// restrict the search to it with a doc filter in the URL (SEED_ONLY).
// Screenshots of the main states go to E2E_ARTIFACTS.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.E2E_BASE_URL;
const ARTIFACTS = process.env.E2E_ARTIFACTS || path.resolve('../../build/e2e-artifacts');
if (!BASE) throw new Error('E2E_BASE_URL is not set: run tests/e2e/run.sh');
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

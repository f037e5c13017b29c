// Opens a report.html in Debian's headless chromium (through playwright-core) at a laptop's and a phone's
// size and checks, as a reader would use the page, each promise of the report's explorer (issue numbers
// in brackets name the defect each check guards). Expected counts are computed here from the responses
// the page embeds and from the CSV tables beside report.html, never from what the page says.
// Prints one JSON object; exits 1 when a check fails.
// usage: node report-check.mjs REPORT_HTML CHROMIUM MAX_TOTAL
//   MAX_TOTAL: the rubric's maximum total score (from the pipeline file), for the percent filter.
import { chromium } from 'playwright-core';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const [reportPath, browserPath, maxTotalArg] = process.argv.slice(2);
const maxTotal = Number(maxTotalArg);
const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const url = pathToFileURL(reportPath).href;
const result = { checks: [], ms: {} };
let ok = true;
function check(defect, name, pass, detail) {
  result.checks.push({ defect, name, pass: !!pass, detail: pass ? undefined : detail });
  ok = ok && !!pass;
}

// ------------------------------------------------------------ the CSV tables beside the page
function csv(name) {
  const f = join(dirname(reportPath), 'tables', name + '.csv');
  if (!existsSync(f)) { return null; }
  const rows = [];
  let field = '', row = [], q = false;
  const text = readFileSync(f, 'utf8');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') { q = false; } else { field += c; }
    } else if (c === '"') { q = true; } else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (c !== '\r') { field += c; }
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

const browser = await chromium.launch({ executablePath: browserPath, args: ['--headless', '--no-sandbox',
  '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run'] });
const errors = [];
async function open(width, height, hash) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) { errors.push('network: ' + r.url()); } });
  await page.goto(url + (hash || ''));
  return page;
}
// A failing step records its error as a failed check and the others still run.
async function step(defect, name, fn) {
  const t0 = Date.now();
  try { await fn(); } catch (e) { check(defect, name + ' ran', false, String(e && e.message || e).split('\n')[0]); }

  result.ms[name] = Date.now() - t0;
  console.error('step ' + name + ': ' + result.ms[name] + ' ms'); // progress, for a run that times out
}
const count = async (page) => (await page.textContent('#explorer-count')).trim();
const n = (s) => Number(String(s).replace(/[^0-9]/g, ''));
const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));

try {
  // ---------------------------------------------------------------- the data behind the page
  const first = await open(1440, 900);
  const data = await first.evaluate(() => JSON.parse(document.getElementById('explorer-data').textContent));
  const all = data.responses;
  const where = (f) => all.filter(f).length;
  const pct = (r) => 100 * r.total / maxTotal;
  await first.context().close();

  // ---------------------------------------------------------------- both widths
  // 360 px (the narrowest phone the page promises) gets the layout checks; axe-core runs at the other two.
  for (const [width, height] of [[1440, 900], [390, 844], [360, 740]]) {
    const at = ' at ' + width + 'px';
    await step(8, 'layout and access' + at, async () => {
    const page = await open(width, height);
    // [8] Skip link: the first Tab reaches it, it leads to the explorer, a few Tabs on is a filter.
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('href'));
    check(8, 'first Tab is a skip link to the explorer' + at, skip === '#explorer', skip);
    await page.keyboard.press('Enter');
    let tabs = 0, inFilters = false;
    while (tabs < 3 && !inFilters) {
      await page.keyboard.press('Tab');
      tabs++;
      inFilters = await page.evaluate(() => !!document.activeElement.closest('#explorer select, #explorer input'));
    }
    check(8, 'a filter is at most 3 Tabs after the skip link' + at, inFilters, tabs);
    check(8, 'the count is a live region' + at, await page.evaluate(() => {
      const c = document.getElementById('explorer-count');
      return !!c.closest('[aria-live="polite"],[aria-live="assertive"],[role="status"]');
    }), null);
    // Open a card, so its response box and score table are laid out too.
    await page.click('#explorer-list details summary');
    await settle(page);
    // [3] Nothing wider than the viewport but what sits in its own scroll box.
    const layout = await page.evaluate(() => {
      const vw = document.documentElement.clientWidth;
      const out = [];
      const memo = new Map();
      const boxed = (e) => {
        const p = e.parentElement;
        if (!p || p === document.body) { return false; }
        if (memo.has(p)) { return memo.get(p); }
        const s = getComputedStyle(p);
        const v = ((s.overflowX === 'auto' || s.overflowX === 'scroll') && p.getBoundingClientRect().right <= vw + 1) || boxed(p);
        memo.set(p, v);
        return v;
      };
      for (const e of document.querySelectorAll('main *')) {
        const r = e.getBoundingClientRect();
        if (r.width > 0 && r.right > vw + 1 && !boxed(e) && !e.closest('svg *')) {
          out.push(e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' right ' + Math.round(r.right));
        }
      }
      return { pageWidth: document.documentElement.scrollWidth, vw, outside: out.slice(0, 5), n: out.length };
    });
    check(3, 'page no wider than the viewport with a card open' + at, layout.pageWidth <= layout.vw, layout);
    check(3, 'every element past the viewport is inside a scroll box' + at, layout.n === 0, layout);
    // [3] Figures readable: no figure text drawn smaller than 9 px.
    const tiny = await page.evaluate(() => {
      const out = [];
      for (const svg of document.querySelectorAll('svg.chart')) {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        for (const t of svg.querySelectorAll('text')) {
          const px = parseFloat(getComputedStyle(t).fontSize) * scale;
          if (px < 9) { out.push(svg.id + ': ' + px.toFixed(1) + 'px ' + t.textContent.slice(0, 20)); break; }
        }
      }
      return out;
    });
    check(3, 'figure text at least 9 px' + at, tiny.length === 0, tiny);
    // [3] The heatmap fits without sideways scrolling.
    const heat = await page.evaluate(() => {
      const h = document.getElementById('heatmap');
      if (!h) { return null; }
      const box = h.parentElement;
      return { scrollWidth: box.scrollWidth, clientWidth: box.clientWidth };
    });
    if (heat) { check(3, 'heatmap fits its box' + at, heat.scrollWidth <= heat.clientWidth + 1, heat); }
    // [4] On a laptop no table is cut: each fits its box.
    if (width >= 1400) {
      const cut = await page.evaluate(() => [...document.querySelectorAll('section.table')]
        .map((s) => [s.id, s.querySelector('.scroll')]).filter(([, b]) => b.scrollWidth > b.clientWidth + 1)
        .map(([id, b]) => id + ' ' + b.scrollWidth + '>' + b.clientWidth));
      check(4, 'no table cut' + at, cut.length === 0, cut);
    }
    // [8] Every box that scrolls can be reached by keyboard.
    const unreachable = await page.evaluate(() => [...document.querySelectorAll('main *')].filter((e) => {
      if (e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1) { return false; }
      const s = getComputedStyle(e);
      const scrolls = (/(auto|scroll)/.test(s.overflowX) && e.scrollWidth > e.clientWidth + 1)
        || (/(auto|scroll)/.test(s.overflowY) && e.scrollHeight > e.clientHeight + 1);
      return scrolls && e.tabIndex < 0 && !e.querySelector('a,button,input,select,[tabindex]');
    }).map((e) => e.tagName + '.' + e.className + (e.parentElement.id ? ' in #' + e.parentElement.id : '')));
    check(8, 'every scroll box is keyboard-reachable' + at, unreachable.length === 0, unreachable);
    // [8] axe-core: no serious or critical violation.
    if (width === 360) { await page.context().close(); return; }
    result.ms['before axe' + at] = Date.now();
    await page.addScriptTag({ path: AXE });
    const axe = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.impact + ' ' + v.id + ' x' + v.nodes.length + ': ' + v.nodes.slice(0, 2).map((x) => x.target.join(' ')).join(' | '));
    });
    result.ms['before axe' + at] = Date.now() - result.ms['before axe' + at];
    check(8, 'axe-core: no serious or critical violation' + at, axe.length === 0, axe);
    await page.context().close();
    });
  }

  // ---------------------------------------------------------------- behaviour (laptop)
  const page = await open(1440, 900);
  // [1] Figure bars and points are links, by mouse and keyboard, to exactly their responses.
  await step(1, 'figure links', async () => {
  const marks = await page.evaluate(() => {
    const out = { total: 0, unlinked: [] };
    for (const m of document.querySelectorAll('#figures rect.bar, #figures g.point')) {
      out.total++;
      const a = m.closest('a');
      if (!a || !a.getAttribute('href') || !a.getAttribute('href').startsWith('#explore:')) { out.unlinked.push(m.closest('svg').id); }
    }
    return out;
  });
  check(1, 'every figure bar and point is a link', marks.total > 0 && marks.unlinked.length === 0, marks);
  const firstBar = page.locator('#fig-score-condition rect.bar').first();
  if (await firstBar.count()) {
    const c = await firstBar.getAttribute('data-cluster');
    await firstBar.click();
    await page.waitForFunction((c) => document.querySelector('#ex-condition').value === c, c, { timeout: 3000 }).catch(() => {});
    check(1, 'a bar of figure 1 opens its condition\'s responses', n(await count(page)) === where((r) => r.condition === c),
      { bar: c, count: await count(page), expected: where((r) => r.condition === c) });
  }
  const modelBar = page.locator('#fig-score-model rect.bar').nth(1);
  if (await modelBar.count()) {
    const m = await modelBar.getAttribute('data-cluster');
    const c = await modelBar.getAttribute('data-series');
    await page.evaluate(() => { history.replaceState(null, '', location.pathname); });
    await modelBar.evaluate((b) => b.closest('a').focus());
    await page.keyboard.press('Enter');
    await page.waitForFunction((m) => document.querySelector('#ex-model').value === m, m, { timeout: 3000 }).catch(() => {});
    const expected = where((r) => r.model === m && r.condition === c);
    check(1, 'Enter on a focused bar opens its model and condition', n(await count(page)) === expected,
      { model: m, condition: c, count: await count(page), expected });
  }
  // A point another point covers cannot be clicked (the one on top takes it): click the first one whose
  // centre is its own, which depends on the run's measured times.
  const clickable = await page.evaluate(() => [...document.querySelectorAll('#fig-score-time g.point')].findIndex((p) => {
    p.scrollIntoView({ block: 'center' });
    const r = p.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return hit !== null && p.contains(hit);
  }));
  const points = await page.locator('#fig-score-time g.point').count();
  if (points > 0) {
    check(1, 'some scatter point is not covered by another', clickable >= 0, { points });
  }
  const point = page.locator('#fig-score-time g.point').nth(Math.max(0, clickable));
  if (clickable >= 0) {
    const f = await point.getAttribute('data-group');
    const c = await point.getAttribute('data-label');
    await point.click();
    await page.waitForFunction((f) => document.querySelector('#ex-family').value === f, f, { timeout: 3000 }).catch(() => {});
    const expected = where((r) => r.family === f && r.condition === c);
    check(1, 'a scatter point opens its family and condition', n(await count(page)) === expected,
      { family: f, condition: c, count: await count(page), expected });
  }

  });
  // [2] The URL follows every filter; Back and Forward move through views; a copied link reopens one.
  await step(2, 'url', async () => {
  await page.goto(url);
  const cell = page.locator('#heatmap a.heat-cell').nth(1);
  const m = await cell.getAttribute('data-model');
  const c1 = await cell.getAttribute('data-condition');
  await cell.click();
  await page.waitForFunction((m) => document.querySelector('#ex-model').value === m, m);
  // Beside the count: the selection's mean score in percent with an interval, each criterion's mean, the
  // wrong-language share, as computed here from the cell's responses.
  const cellGraded = all.filter((r) => r.model === m && r.condition === c1 && !r.failed);
  const mean = cellGraded.reduce((x, r) => x + pct(r), 0) / cellGraded.length;
  const statsText = await page.textContent('#explorer-stats').catch(() => '');
  const crits = data.criteria || [];
  const critOk = crits.every((c) => {
    const want = (100 * cellGraded.reduce((x, r) => x + r[c], 0) / (cellGraded.length * data.criterion_max[c])).toFixed(1);
    return statsText.includes(c + ' ' + want + '%');
  });
  const withLang = cellGraded.filter((r) => r.detected_language);
  const wrongShare = withLang.length ? (100 * withLang.filter((r) => r.wrong_language).length / withLang.length).toFixed(1) : null;
  check(2, 'beside the count: mean score %, its interval, criterion means, wrong-language share',
    statsText.includes('mean score ' + mean.toFixed(1) + '%') && /95% CI \d/.test(statsText) && critOk
    && (wrongShare === null || statsText.includes('wrong language ' + wrongShare + '%')), { statsText, mean, wrongShare });
  const conditions = [...new Set(all.map((r) => r.condition))];
  const c2 = conditions.find((c) => c !== c1);
  await page.selectOption('#ex-condition', c2);
  const h1 = await page.evaluate(() => decodeURIComponent(location.hash));
  check(2, 'the URL names the condition chosen after a heatmap click', h1.includes('condition=' + c2) && h1.includes('model=' + m), h1);
  await page.fill('#ex-q', 'a');
  await page.selectOption('#ex-sort', 'score-asc');
  const h2 = await page.evaluate(() => decodeURIComponent(location.hash));
  check(2, 'the URL holds search and sort', h2.includes('q=a') && h2.includes('sort=score-asc'), h2);
  const copied = await page.evaluate(() => location.href);
  const other = await browser.newPage();
  await other.goto(copied);
  const reopened = { model: await other.inputValue('#ex-model'), condition: await other.inputValue('#ex-condition'),
    q: await other.inputValue('#ex-q'), sort: await other.inputValue('#ex-sort'), count: await count(other) };
  check(2, 'a copied link reopens the same view', reopened.model === m && reopened.condition === c2 && reopened.q === 'a'
    && reopened.sort === 'score-asc' && reopened.count === await count(page), reopened);
  await other.close();
  await page.goBack(); // sort
  await page.goBack(); // search
  await settle(page);
  const back1 = { condition: await page.inputValue('#ex-condition'), q: await page.inputValue('#ex-q'), hash: await page.evaluate(() => location.hash) };
  check(2, 'Back undoes search and sort', back1.q === '' && back1.condition === c2, back1);
  await page.goBack(); // condition
  await settle(page);
  const back2 = { condition: await page.inputValue('#ex-condition'), count: await count(page) };
  check(2, 'Back returns to the heatmap cell\'s view', back2.condition === c1
    && n(back2.count) === where((r) => r.model === m && r.condition === c1), back2);
  await page.goBack(); // before the click
  await settle(page);
  const back3 = { model: await page.inputValue('#ex-model'), count: await count(page), hash: await page.evaluate(() => location.hash) };
  check(2, 'Back to the page clears the list too', back3.model === '' && n(back3.count) === all.length, back3);
  await page.goForward();
  await settle(page);
  check(2, 'Forward reopens the cell', await page.inputValue('#ex-model') === m, await page.evaluate(() => location.hash));

  });
  // [5] Numbers as in the CSV: power table, no '+' on sizes; score filter and badges in percent.
  await step(5, 'numbers', async () => {
  const power = csv('power');
  await page.goto(url);
  if (power) {
    const shown = await page.$$eval('#table-power tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.trim())));
    const cols = await page.$$eval('#table-power thead th', (th) => th.map((h) => h.getAttribute('title')));
    const bad = shown.length === power.length ? [] : ['rows ' + shown.length + ' of ' + power.length];
    power.forEach((row, i) => cols.forEach((col, j) => {
      const v = Number(row[col]);
      if (row[col] === '' || Number.isNaN(v) || !/^-?[0-9]/.test(row[col])) { return; }
      const text = (shown[i] || [])[j] || '';
      const d = Number(text.replace(/[−–]/g, '-').replace(/[^0-9.eE-]/g, ''));
      if (text.startsWith('+') || (v !== 0 ? Math.abs(d - v) / Math.abs(v) > 0.05 : d !== 0)) { bad.push(col + ' ' + row[col] + ' shown ' + text); }
    }));
    check(5, 'power table shows the CSV values (within 5%, no + on sizes)', bad.length === 0, bad.slice(0, 6));
  }
  await page.goto(url);
  await page.click('#ex-reset');
  await page.fill('#ex-min', '50');
  const atLeastHalf = where((r) => !r.failed && pct(r) >= 50);
  check(5, 'score filter "from 50" is percent of the rubric', n(await count(page)) === atLeastHalf, { count: await count(page), expected: atLeastHalf });
  const badge = await page.textContent('#explorer-list details summary .ex-badge');
  check(5, 'a card\'s score badge is a percent of the maximum', /\d%/.test(badge) && badge.includes('/' + maxTotal), badge);

  });
  // [6] Language table: each cell opens the responses its number counts.
  await step(6, 'language links', async () => {
  const lang = (csv('language') || []).find((r) => r.top_wrong_language);
  if (lang) {
    const cols = await page.$$eval('#table-language thead th', (th) => th.map((h) => h.getAttribute('title')));
    const rowIndex = await page.$$eval('#table-language tbody tr', (rows, [m, c]) => rows.findIndex((r) => {
      const td = [...r.querySelectorAll('td')].map((x) => x.textContent.trim());
      return td[0] === m && td[1] === c;
    }), [lang.model, lang.condition]);
    const want = {
      responses: Number(lang.responses),
      wrong_language_pct: Math.round(Number(lang.responses) * Number(lang.wrong_language_pct) / 100),
      top_wrong_language: where((r) => r.model === lang.model && r.condition === lang.condition && r.wrong_language && r.detected_language === lang.top_wrong_language)
    };
    for (const [col, expected] of Object.entries(want)) {
      await page.goto(url);
      const link = page.locator('#table-language tbody tr').nth(rowIndex).locator('td').nth(cols.indexOf(col)).locator('a');
      await link.click();
      await page.waitForFunction(() => location.hash.startsWith('#explore:'));
      await settle(page);
      check(6, 'language table ' + col + ' cell opens ' + expected, n(await count(page)) === expected, { row: lang, count: await count(page) });
    }
  }
  });
  // [6] Every table with a responses column: its first and last rows' responses cells open that many.
  await step(6, 'table links', async () => {
    const bad = [];
    let tried = 0;
    for (const name of ['conditions', 'models', 'families', 'categories', 'intervals', 'criterion_intervals', 'times']) {
      const rows = csv(name);
      if (!rows || !rows.length || !('responses' in rows[0])) { continue; }
      await page.goto(url);
      for (const i of [0, rows.length - 1]) {
        const cols = await page.$$eval('#table-' + name + ' thead th', (th) => th.map((h) => h.getAttribute('title')));
        const tr = page.locator('#table-' + name + ' tbody tr').nth(i);
        const cells = await tr.locator('td').allTextContents();
        // The CSV row with the same keys as the page's row (the page may order rows its own way).
        const keys = ['scope', 'group', 'condition', 'criterion', 'model', 'family', 'category'].filter((k) => cols.includes(k));
        const row = rows.find((r) => keys.every((k) => r[k] === cells[cols.indexOf(k)].trim()));
        const link = tr.locator('td').nth(cols.indexOf('responses')).locator('a');
        if (!row || !await link.count()) { bad.push(name + ' row ' + i + ': ' + (row ? 'no link' : 'not in the CSV')); continue; }
        await link.click();
        await page.waitForFunction(() => location.hash.startsWith('#explore:'));
        await settle(page);
        tried++;
        if (n(await count(page)) !== Number(row.responses)) {
          bad.push(name + ' ' + JSON.stringify(row).slice(0, 90) + ' opens ' + await count(page));
        }
      }
    }
    check(6, 'responses cells of the tables open as many responses', tried > 0 && bad.length === 0, bad);
  });
  // [6] A forest row opens a paired view: transfer and direct answers to the same question side by side.
  await step(6, 'forest', async () => {
  await page.goto(url);
  const sig = csv('significance');
  const rowLink = page.locator('#fig-forest a').first();
  if (sig && await rowLink.count()) {
    const s0 = sig[0];
    const box = await rowLink.boundingBox();
    // Anywhere on the row is the link, not only its label, line and dot.
    const wide = await page.evaluate(() => {
      const a = document.querySelector('#fig-forest a');
      a.scrollIntoView({ block: 'center' });
      const svg = a.closest('svg').getBoundingClientRect();
      const dot = a.querySelector('circle').getBoundingClientRect();
      const y = dot.top + dot.height / 2;
      const xs = [svg.left + svg.width * 0.32, svg.right - 8];
      return xs.map((x) => { const e = document.elementFromPoint(x, y); return !!(e && e.closest('a') === a); });
    });
    check(6, 'a forest row is clickable along its whole width', wide.every(Boolean), { wide, box });
    await rowLink.click();
    await page.waitForFunction(() => location.hash.startsWith('#explore:'));
    await settle(page);
    const pairs = await page.$$eval('#explorer-list .ex-pair', (ps) => ps.map((p) => [...p.querySelectorAll('details')]
      .map((d) => [d.dataset.model, d.dataset.condition, d.dataset.question, !!d.querySelector('summary .ex-badge')])));
    const paired = pairs.length > 0 && pairs.every((p) => p.length === 2 && p[0][0] === p[1][0] && p[0][2] === p[1][2]
      && p[0][1] === s0.treatment && p[1][1] === s0.control && p[0][3] && p[1][3]);
    check(6, 'a forest row opens transfer and direct answers side by side', paired, pairs.slice(0, 3));
    check(6, 'the paired view counts the table\'s pairs', n((await count(page)).split(' ')[0]) === Number(s0.pairs), { count: await count(page), pairs: s0.pairs });
  }
  });
  // [7] The page says what a filled marker is and why an interval can exclude 0 while the test does not reject.
  await step(7, 'caption', async () => {
  const caption = (await page.textContent('#figure-forest figcaption').catch(() => '')) || '';
  check(7, 'the forest plot explains filled markers and intervals that exclude 0',
    /filled/i.test(caption) && /exclude/i.test(caption) && /exact/i.test(caption) && /Holm/.test(caption), caption);

  });
  // [9] Smaller items.
  await step(9, 'smaller', async () => {
  const toc = await page.evaluate(() => {
    const links = new Set([...document.querySelectorAll('nav.toc a')].map((a) => a.getAttribute('href')));
    return [...document.querySelectorAll('main > section[id]')].filter((s) => s.querySelector('h2') && s.id !== 'tables')
      .map((s) => '#' + s.id).filter((h) => !links.has(h));
  });
  check(9, 'the contents line names every section', toc.length === 0, toc);
  const emulated = await page.evaluate(() => /emulat/i.test((document.querySelector('.notes') || {}).textContent || ''));
  if (emulated && await page.$('#run')) {
    check(9, 'the cost section says the models were emulated', /emulat/i.test(await page.textContent('#run')), null);
  }
  await page.goto(url + '#explore:model=aya&condition=C2');
  await settle(page);
  const named = await page.evaluate(() => {
    const out = [];
    const walk = (e) => { if (e.nodeType === 3) { out.push(e.textContent); } else if (!/^(SELECT|OPTION|SCRIPT)$/.test(e.tagName) && e.id !== 'explorer-list') { e.childNodes.forEach(walk); } };
    walk(document.getElementById('explorer'));
    return out.join(' ');
  });
  check(9, 'an unknown bookmark value is named on the page', /\baya\b(?!_)/.test(named) && /model/.test(named), named.slice(0, 300));
  const word = (all.map((r) => r.question_text || '').join(' ').match(/[^\s.,;:!?()"«»]{5,}/) || ['answer'])[0].toLowerCase();
  await page.goto(url);
  await page.fill('#ex-q', word);
  const plain = await count(page);
  await page.fill('#ex-q', '  ' + word + ' ');
  check(9, 'search ignores spaces around the words', await count(page) === plain, { word, plain, padded: await count(page) });
  const contrast = await page.evaluate(() => {
    const lum = (c) => {
      const m = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
      return 0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2];
    };
    const bad = [];
    for (const g of document.querySelectorAll('#figures g.ci')) {
      const svg = g.closest('svg');
      const bar = [...svg.querySelectorAll('rect.bar')].find((b) => b.dataset.cluster === g.dataset.cluster && b.dataset.series === g.dataset.series);
      const stem = g.querySelector('.ci-stem');
      if (!bar || !stem) { continue; }
      const a = lum(getComputedStyle(bar).fill), b = lum(getComputedStyle(stem).stroke);
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      // Or a light halo drawn under it, wider than the line.
      const halo = g.querySelector('.ci-halo');
      const haloed = !!halo && lum(getComputedStyle(halo).stroke) > 0.8
        && parseFloat(getComputedStyle(halo).strokeWidth) >= parseFloat(getComputedStyle(stem).strokeWidth) + 2;
      if (ratio < 3 && !haloed) { bad.push(svg.id + ' ' + g.dataset.cluster + '/' + g.dataset.series + ' ' + ratio.toFixed(2)); }
    }
    return bad;
  });
  check(9, 'every error bar stands out from its bar (contrast 3:1)', contrast.length === 0, contrast);
  });
  check(0, 'no script errors and no network', errors.length === 0, errors);
} catch (e) {
  check(0, 'ran', false, String(e && e.stack || e));
} finally {
  await browser.close();
}
result.failed = result.checks.filter((c) => !c.pass).map((c) => '[' + c.defect + '] ' + c.name);
result.ok = ok;
console.log(JSON.stringify(result));
process.exit(ok ? 0 : 1);

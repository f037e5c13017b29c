// Opens a review sample's review.html in headless chromium as a rater would: grades the first
// responses by clicking the rubric's radio buttons, types a note, reloads (the grades must survive),
// and clicks Export CSV. Writes the downloaded CSV to OUT_CSV and prints one JSON object; exits 1 on a
// failed check. usage: node review-form-check.mjs REVIEW_HTML CHROMIUM OUT_CSV GRADED
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [form, browserPath, out, gradedArg] = process.argv.slice(2);
const graded = Number(gradedArg);
const browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox', '--disable-gpu'] });
const result = { checks: [] };
let ok = true;
function check(name, pass, detail) {
  result.checks.push({ name, pass, detail });
  ok = ok && pass;
}
try {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(form).href);
  const items = await page.$$eval('section.item', (s) => s.map((x) => x.dataset.id));
  const criteria = await page.$$eval('section.item:first-of-type fieldset', (f) => f.map((x) => x.dataset.criterion));
  check('criteria on the form', criteria.length > 0, criteria);
  // Grade item i with (i + criterion index) mod 3, a pattern the test can recompute.
  for (let i = 0; i < graded; i++) {
    for (let c = 0; c < criteria.length; c++) {
      await page.check(`input[name="${items[i]}:${criteria[c]}"][value="${(i + c) % 3}"]`);
    }
    await page.fill(`textarea[name="${items[i]}:notes"]`, `note ${i}, "quoted"`);
  }
  result.progress = await page.textContent('#progress');
  check('progress counts the graded', result.progress === `${graded} of ${items.length} graded`, result.progress);
  // The grades live in localStorage, which Chromium hands to its browser process asynchronously: a
  // reload at once can outrun the writes (seen once under CI's load: 0 of 30 after the reload). A rater
  // reopens the form seconds later at the earliest, so wait, up to 30 s, until another page of the same
  // file:// origin (a blank page, so the form's own start-up cannot write) sees every graded row, then reload.
  const key = await page.evaluate(() => 'cltbench-review:' + JSON.parse(document.getElementById('review-data').textContent).sample);
  result.storedInPage = await page.evaluate((k) => (localStorage.getItem(k) || '').length, key);
  const blank = join(dirname(out), 'blank-same-origin.html');
  writeFileSync(blank, '<!doctype html><title>blank</title>');
  const other = await context.newPage();
  await other.goto(pathToFileURL(blank).href);
  const deadline = Date.now() + 30000;
  result.storedElsewhere = false;
  while (Date.now() < deadline) {
    result.storedElsewhere = await other.evaluate(([k, ids, cs]) => {
      const all = JSON.parse(localStorage.getItem(k) || '{}');
      return ids.every((id) => all[id] !== undefined && cs.every((c) => all[id][c] !== ''));
    }, [key, items.slice(0, graded), criteria]);
    if (result.storedElsewhere) { break; }
    await other.waitForTimeout(250);
  }
  await other.close();
  check("grades reach the browser's storage", result.storedElsewhere, result.storedInPage);
  await page.reload();
  result.afterReload = await page.textContent('#progress');
  check('grades survive a reload', result.afterReload === result.progress, result.afterReload);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const path = await download.path();
  writeFileSync(out, readFileSync(path));
  result.items = items.length;
  result.criteria = criteria;
  result.ids = items.slice(0, graded);
  check('no page errors', errors.length === 0, errors);
} catch (e) {
  check('ran', false, String(e));
} finally {
  await browser.close();
}
result.ok = ok;
console.log(JSON.stringify(result));
process.exit(ok ? 0 : 1);

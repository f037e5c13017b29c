// Opens a report.html in a real headless chromium and checks the explorer as a reader would use it:
// filter to one model, condition and wrong language and compare the count with the language table;
// click a heatmap cell and see that cell's responses. Prints one JSON object; exits 1 on a failed check.
// usage: node explorer-check.mjs REPORT_HTML CHROMIUM MODEL CONDITION LANGUAGE
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [page_, browserPath, model, condition, language] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: browserPath, args: ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const result = { checks: [] };
let ok = true;
function check(name, pass, detail) {
  result.checks.push({ name, pass, detail });
  ok = ok && pass;
}
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(page_).href);
  // What the language table says: responses x wrong_language_pct, and the top wrong language.
  const row = await page.$$eval('#table-language tbody tr', (rows, [m, c]) => {
    for (const r of rows) {
      const cells = [...r.querySelectorAll('td')].map((td) => td.textContent.trim());
      if (cells[0] === m && cells[1] === c) { return cells; }
    }
    return null;
  }, [model, condition]);
  const header = await page.$$eval('#table-language thead th', (th) => th.map((h) => h.getAttribute('title') || h.textContent.trim())); // title: the CSV column name
  check('language table has the row', row !== null, row);
  const col = (name) => row[header.indexOf(name)];
  const expected = Math.round(Number(col('responses')) * Number(col('wrong_language_pct')) / 100);
  result.languageTable = { responses: col('responses'), wrong_language_pct: col('wrong_language_pct'),
    top_wrong_language: col('top_wrong_language'), expected };
  check('top wrong language is the one filtered for', col('top_wrong_language').includes(language),
    col('top_wrong_language'));
  await page.selectOption('#ex-model', model);
  await page.selectOption('#ex-condition', condition);
  await page.selectOption('#ex-wrong', language);
  const count = await page.textContent('#explorer-count');
  result.filtered = count;
  check('filtered count equals the language table', count === expected + ' responses', { count, expected });
  const cards = await page.$$eval('#explorer-list details', (ds) => ds.map((d) =>
    [d.dataset.model, d.dataset.condition, d.querySelector('summary').textContent]));
  check('every card shown is that model, condition and language',
    cards.length > 0 && cards.every((c) => c[0] === model && c[1] === condition && c[2].includes('(' + language + ')')),
    cards.slice(0, 3));
  // Open one card: the texts behind the number are there.
  await page.click('#explorer-list details summary');
  const body = await page.textContent('#explorer-list details .ex-body');
  check('an opened card shows question, response and scores',
    body.includes('Question') && body.includes('Response') && body.includes('grade (panel)'), body.slice(0, 200));

  // A heatmap cell of another model and condition: the explorer shows that cell's responses.
  await page.click('#ex-reset');
  const cell = page.locator('#heatmap a.heat-cell[data-model="gpt_5.2"][data-condition="C4"]');
  await cell.click();
  await page.waitForFunction(() => location.hash.startsWith('#explore:'));
  await page.waitForFunction(() => document.querySelector('#ex-model').value === 'gpt_5.2');
  const cellCount = await page.textContent('#explorer-count');
  const cellCards = await page.$$eval('#explorer-list details', (ds) => ds.map((d) => [d.dataset.model, d.dataset.condition]));
  result.heatmap = { count: cellCount, shown: cellCards.length };
  check('heatmap cell shows its 50 responses', cellCount === '50 responses', cellCount);
  check('heatmap cell shows only its model and condition',
    cellCards.length > 0 && cellCards.every((c) => c[0] === 'gpt_5.2' && c[1] === 'C4'), cellCards.slice(0, 3));
  check('no script errors', errors.length === 0, errors);
} catch (e) {
  check('ran', false, String(e && e.stack || e));
} finally {
  await browser.close();
}
result.ok = ok;
console.log(JSON.stringify(result));
process.exit(ok ? 0 : 1);

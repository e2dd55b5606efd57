/**
 * The data and churn risk pages in headless Chromium against the real server: import a bad file (the error
 * names its line and field, nothing is written) and a good one (the transaction count grows by its rows),
 * and the stored churn scores with the API's probabilities, paged, in English and Chinese.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchBrowser, screenshot, type BrowserHandle } from './browser.js';
import { DICTS, navigate, num, pct, setLang, settled, texts, visibleKeys, visit } from './page.js';
import { startServer, type TestServer } from './server.js';

const BAD_CSV = [
  'customer_id,date,amount',
  'C0000001,2025-06-01,12.50',
  'C0000002,2025-06-02,twelve',
  'C0000003,2025-06-03,7',
].join('\n');
const GOOD_ROWS = [
  'C0000001,2025-06-01,101.17',
  'C0000002,2025-06-02,202.27',
  'C0000003,2025-06-03,303.37',
  'C0000004,2025-06-04,404.47',
];
const GOOD_CSV = ['customer_id,date,amount', ...GOOD_ROWS].join('\n');

interface Info {
  tables: { table: string; rows: number }[];
}
interface Scores {
  scores: { customerId: string; horizonDays: number; probability: number }[];
}

async function upload(page: Page, name: string, csv: string): Promise<void> {
  await page.selectOption('[data-testid=import-table]', 'transactions');
  await page.setInputFiles('[data-testid=import-file]', {
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from(csv, 'utf8'),
  });
  await page.click('[data-testid=import-submit]');
  await page.waitForSelector('[data-testid=import-error], [data-testid=import-success]');
  await settled(page);
}

describe.skipIf(!chromiumPath())('data and churn risk pages in Chromium', () => {
  let server: TestServer;
  let browser: BrowserHandle;
  let page: Page;
  const pageErrors: string[] = [];

  const transactions = async (): Promise<number> =>
    (await server.api<Info>('/info')).tables.find((x) => x.table === 'transactions')!.rows;
  const shownTransactions = (): Promise<string | null> =>
    page.textContent('[data-testid=table-tables] tbody tr:nth-child(2) td:nth-child(2)');

  beforeAll(async () => {
    server = await startServer({ churnScores: true });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text());
    });
    // imports need the admin role
    await page.goto(`${server.url}/#/data`);
    await page.waitForSelector('[data-testid=login]');
    await page.fill('[data-testid=login-token]', server.adminToken);
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=page-data]');
    await setLang(page, 'en');
  }, 180_000);

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the tables, refuses a bad file naming its line and field, and imports a good one', async () => {
    await visit(page, '#/data');
    const info = await server.api<Info>('/info');
    expect(await texts(page, '[data-testid=table-tables] tbody td:nth-child(2)')).toEqual(
      info.tables.map((x) => num('en', x.rows)),
    );
    expect(info.tables[1]!.table).toBe('transactions');
    const before = await transactions();
    expect(await shownTransactions()).toBe(num('en', before));

    await upload(page, 'bad-orders.csv', BAD_CSV);
    const error = (await page.textContent('[data-testid=import-error]'))!;
    expect(error).toContain(DICTS.en['data.import.failed']);
    expect(await page.textContent('[data-testid=import-rejected]')).toBe(
      DICTS.en['data.import.rejected']!.replace('{count}', '1'),
    );
    // file, line, column, value and the problem in words
    expect(await texts(page, '[data-testid=table-import-issues] tbody td')).toEqual([
      'bad-orders.csv',
      '3',
      DICTS.en['field.amount'],
      'twelve',
      DICTS.en['data.issue.not_a_number'],
    ]);
    expect(await page.$$('[data-testid=import-success]')).toHaveLength(0);
    expect(await transactions()).toBe(before);
    expect(await shownTransactions()).toBe(num('en', before));

    await upload(page, 'good-orders.csv', GOOD_CSV);
    expect(await page.textContent('[data-testid=import-success]')).toContain(
      DICTS.en['data.import.success']!.replace('{rows}', String(GOOD_ROWS.length)).replace(
        '{table}',
        DICTS.en['table.transactions']!,
      ),
    );
    expect(await page.getAttribute('[data-testid=import-success]', 'data-rows')).toBe(
      String(GOOD_ROWS.length),
    );
    expect(await transactions()).toBe(before + GOOD_ROWS.length);
    expect(await shownTransactions()).toBe(num('en', before + GOOD_ROWS.length));

    // the recent jobs: the two imports, newest first
    const jobs = await server.api<{ jobs: { kind: string; status: string }[] }>('/jobs');
    expect(jobs.jobs.slice(0, 2).map((j) => j.status)).toEqual(['succeeded', 'failed']);
    expect(await texts(page, '[data-testid=table-jobs] tbody td:nth-child(3)')).toEqual(
      jobs.jobs.slice(0, 20).map((j) => DICTS.en[`job.status.${j.status}`]),
    );
    expect(await visibleKeys(page)).toEqual([]);
    expect(await page.$$('[data-testid=error]')).toHaveLength(0);
    await screenshot(page, 'data-en');
  });

  it('shows the data page and an import error in Chinese', async () => {
    await visit(page, '#/data');
    await setLang(page, 'zh');
    const before = await transactions();
    expect(await page.textContent('main h1')).toBe(DICTS.zh['nav.data']);
    await upload(page, 'bad-orders.csv', BAD_CSV);
    const error = (await page.textContent('[data-testid=import-error]'))!;
    expect(error).toContain(DICTS.zh['data.import.failed']);
    expect(await texts(page, '[data-testid=table-import-issues] tbody td')).toEqual([
      'bad-orders.csv',
      '3',
      DICTS.zh['field.amount'],
      'twelve',
      DICTS.zh['data.issue.not_a_number'],
    ]);
    expect(await texts(page, '[data-testid=table-import-issues] th')).toEqual(
      ['file', 'line', 'column', 'value', 'problem'].map((k) => DICTS.zh[`data.issue.${k}`]),
    );
    expect(await transactions()).toBe(before);
    expect(await shownTransactions()).toBe(num('zh', before));
    expect(await texts(page, '[data-testid=card-import] h2')).toEqual([DICTS.zh['data.import.title']]);
    expect(await visibleKeys(page)).toEqual([]);
    await screenshot(page, 'data-zh');
    await setLang(page, 'en');
  });

  for (const lang of ['en', 'zh'] as const) {
    it(`shows the stored churn scores with the API's probabilities in ${lang}, paged`, async () => {
      await visit(page, '#/churn');
      await setLang(page, lang);
      expect(await page.textContent('main h1')).toBe(DICTS[lang]['nav.churn']);
      const first = (await server.api<Scores>('/churn/scores?limit=50&offset=0')).scores;
      expect(first).toHaveLength(50);
      const ids = await page.$$eval('[data-testid=table-churn] tbody tr', (rows) =>
        rows.map((r) => r.getAttribute('data-id')),
      );
      expect(ids).toEqual(first.map((s) => s.customerId));
      expect(await texts(page, '[data-testid=churn-probability]')).toEqual(
        first.map((s) => pct(lang, s.probability)),
      );
      expect(await texts(page, '[data-testid=table-churn] tbody td:nth-child(2)')).toEqual(
        first.map((s) => DICTS[lang]['churn.days']!.replace('{days}', String(s.horizonDays))),
      );
      expect((await page.$$('[data-testid=churn-reason]')).length).toBeGreaterThanOrEqual(50);
      expect(await page.getAttribute('[data-testid=table-churn] tbody tr:first-child a', 'href')).toBe(
        `#/customers/${first[0]!.customerId}`,
      );
      expect(await page.$$('[data-testid=error]')).toHaveLength(0);
      expect(await visibleKeys(page)).toEqual([]);
      // the reasons' features are labelled in the page's language, never shown as raw column names
      const columns = await texts(page, '[data-testid=churn-reason] .reason-column');
      expect(columns.length).toBeGreaterThan(0);
      for (const c of columns) expect(c).not.toMatch(/^[a-z0-9_]+$/);
      if (lang === 'zh') for (const c of columns) expect(c).toMatch(/[\u4e00-\u9fff]/);
      await screenshot(page, `churn-${lang}`);

      await navigate(page, () => page.click('[data-testid=page-next]'), '#/churn?offset=50');
      const second = (await server.api<Scores>('/churn/scores?limit=50&offset=50')).scores;
      expect(await texts(page, '[data-testid=churn-probability]')).toEqual(
        second.map((s) => pct(lang, s.probability)),
      );
      await navigate(page, () => page.click('[data-testid=page-prev]'), '#/churn');
      expect(await page.isDisabled('[data-testid=page-prev]')).toBe(true);
    });
  }

  it('trains a model and scores every customer from the page, as an admin', async () => {
    await visit(page, '#/churn');
    await page.selectOption('[data-testid=churn-model-kind]', 'logistic');
    await page.click('[data-testid=churn-train]');
    await page.waitForSelector('[data-testid=churn-trained], [data-testid=churn-job-error]', {
      timeout: 120_000,
    });
    const file = await page.getAttribute('[data-testid=churn-trained]', 'data-model');
    const jobs = await server.api<{
      jobs: {
        kind: string;
        status: string;
        result: { modelFile: string; horizons: { test: { rocAuc: number } }[] };
      }[];
    }>('/jobs?kind=churn-train');
    const trained = jobs.jobs[0]!;
    expect(trained.status).toBe('succeeded');
    expect(trained.result.modelFile).toBe(file);
    expect(await texts(page, '[data-testid=table-churn-trained] tbody td:nth-child(4)')).toEqual(
      trained.result.horizons.map((x) => num('en', Number(x.test.rocAuc.toFixed(3)), 3)),
    );
    await page.click('[data-testid=churn-score-new]');
    await page.waitForSelector('[data-testid=churn-scored], [data-testid=churn-job-error]', {
      timeout: 120_000,
    });
    const scored = Number(await page.getAttribute('[data-testid=churn-scored]', 'data-customers'));
    const stored = await server.api<{ total: number; scores: { horizonDays: number }[] }>(
      '/churn/scores?limit=1',
    );
    expect(stored.total).toBe(scored);
    // the list shows the new scores; the model card keeps its message
    await settled(page);
    expect(
      await page.textContent(
        '[data-testid=table-churn] tbody tr:first-child [data-testid=churn-probability]',
      ),
    ).toBe(
      pct(
        'en',
        (await server.api<{ scores: { probability: number }[] }>('/churn/scores?limit=1')).scores[0]!
          .probability,
      ),
    );
    expect(await page.$$('[data-testid=error]')).toHaveLength(0);
    await screenshot(page, 'churn-trained-en');
  }, 300_000);

  it('opens a customer from the churn list', async () => {
    await visit(page, '#/churn');
    const id = await page.getAttribute('[data-testid=table-churn] tbody tr:first-child', 'data-id');
    await page.click('[data-testid=table-churn] tbody tr:first-child a');
    await page.waitForSelector('[data-testid=page-customer]');
    await settled(page);
    expect(await page.textContent('main h1')).toContain(id!);
    expect(await page.$$('[data-testid=error]')).toHaveLength(0);
  });
});

/**
 * End to end in headless Chromium: log in with a token, visit every page in English and Chinese (no
 * untranslated key, labels change), compare the numbers shown with the API's, page and search customers,
 * and keep screenshots under test-artifacts/screenshots/.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchBrowser, screenshot, type BrowserHandle } from './browser.js';
import { DICTS, navigate, num, setLang, settled, texts, visibleKeys, visit } from './page.js';
import { DEMO_CUSTOMERS, startServer, type TestServer } from './server.js';

const PAGES = [
  'overview',
  'customers',
  'clv',
  'segments',
  'lifecycle',
  'alerts',
  'churn',
  'survival',
  'reports',
  'retention',
  'data',
];
interface Group {
  group: string;
  customers: number;
  revenue: number;
}

// CI installs Debian's chromium (.ci/run) and sets RETAIN_CI: there the browser tests must run
if (process.env.RETAIN_CI && !chromiumPath())
  throw new Error('RETAIN_CI is set but no chromium was found: .ci/run should have installed it');

describe.skipIf(!chromiumPath())('dashboard in Chromium', () => {
  let server: TestServer;
  let browser: BrowserHandle;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      // a failed request is logged by the browser too; the pages show those themselves
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text());
    });
  }, 120_000);

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks for a token, refuses a wrong one and signs in with the right one', async () => {
    await page.goto(`${server.url}/#/overview`);
    await page.waitForSelector('[data-testid=login]');
    await screenshot(page, 'login-en');
    await page.fill('[data-testid=login-token]', 'not-a-token');
    await page.click('[data-testid=login-submit]');
    await page.waitForFunction(
      (msg) => document.querySelector('[data-testid=login-error]')?.textContent === msg,
      DICTS.en['login.failed'],
    );
    await page.fill('[data-testid=login-token]', server.token);
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=page-overview]');
    await settled(page);
    // the token is kept for the session only
    expect(await page.evaluate(() => sessionStorage.getItem('retain.token'))).toBe(server.token);
  });

  for (const lang of ['en', 'zh'] as const) {
    it(`shows every page in ${lang} with translated labels`, async () => {
      await page.evaluate(() => (location.hash = '#/overview'));
      await page.click(`[data-testid=lang-${lang}]`);
      await page.waitForFunction((l) => document.documentElement.lang.startsWith(l), lang);
      expect(await page.evaluate(() => localStorage.getItem('retain.lang'))).toBe(lang);
      for (const p of PAGES) {
        await visit(page, `#/${p}`);
        expect(await visibleKeys(page), `${p} ${lang}`).toEqual([]);
        expect(await page.$$('[data-testid=error]'), `${p} ${lang}: API error shown`).toHaveLength(0);
        // navigation labels are the dictionary's
        expect(await texts(page, 'nav a')).toEqual(PAGES.map((x) => DICTS[lang][`nav.${x}`]));
        expect(await page.textContent('main h1')).toBe(DICTS[lang][`nav.${p}`]);
        // the page tests take <page>-<lang> with data; here these pages have none
        const own = ['data', 'churn', 'retention', 'clv', 'survival', 'reports'];
        await screenshot(page, own.includes(p) ? `${p}-empty-${lang}` : `${p}-${lang}`);
      }
      await visit(page, '#/retention'); // the retention page (retention.test.ts checks its numbers)
      expect(await page.$$('[data-testid=page-retention]')).toHaveLength(1);
    });
  }

  it('keeps the language across a reload, and Chinese labels differ from English', async () => {
    await visit(page, '#/segments');
    await page.reload();
    await page.waitForSelector('[data-testid=page-segments]');
    await settled(page);
    const nav = await texts(page, 'nav a');
    expect(nav).toEqual(PAGES.map((x) => DICTS.zh[`nav.${x}`]));
    expect(nav).not.toEqual(PAGES.map((x) => DICTS.en[`nav.${x}`]));
    await page.click('[data-testid=lang-en]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await settled(page);
  });

  it('shows the overview numbers of the API', async () => {
    await visit(page, '#/overview');
    const info = await server.api<{ tables: { table: string; rows: number }[] }>('/info');
    const lifecycle = await server.api<{ stages: { stage: string; customers: number }[] }>(
      '/lifecycle?model=states',
    );
    const value = await server.api<{ groups: Group[] }>('/segments/value');
    const customers = info.tables.find((x) => x.table === 'customers')!.rows;
    expect(customers).toBe(DEMO_CUSTOMERS);
    const active = lifecycle.stages
      .filter((s) => ['active', 'new', 'reactivated'].includes(s.stage))
      .reduce((a, s) => a + s.customers, 0);
    const revenue = value.groups.reduce((a, g) => a + g.revenue, 0);
    expect(await page.textContent('[data-testid=kpi-customers-value]')).toBe(num('en', customers));
    expect(await page.textContent('[data-testid=kpi-active-value]')).toBe(num('en', active));
    expect(await page.textContent('[data-testid=kpi-revenue-value]')).toBe(num('en', revenue, 2));
    const rows = await texts(page, '[data-testid=table-info] tbody tr td:nth-child(2)');
    expect(rows).toEqual(info.tables.map((x) => num('en', x.rows)));
  });

  it('shows the segments numbers of the API', async () => {
    await visit(page, '#/segments');
    const rfm = await server.api<{ segments: { segment: string; customers: number; revenue: number }[] }>(
      '/rfm',
    );
    expect(await texts(page, '[data-testid=table-rfm] tbody td:nth-child(2)')).toEqual(
      rfm.segments.map((s) => num('en', s.customers)),
    );
    expect(await texts(page, '[data-testid=table-rfm] tbody td:nth-child(4)')).toEqual(
      rfm.segments.map((s) => num('en', s.revenue, 2)),
    );
    const value = await server.api<{ groups: Group[] }>('/segments/value');
    for (const g of value.groups) {
      expect(await page.textContent(`[data-group="${g.group}"] [data-testid=quadrant-customers]`)).toBe(
        num('en', g.customers),
      );
    }
    const abc = await server.api<{ groups: Group[] }>('/segments/abc');
    expect(await texts(page, '[data-testid=table-abc] tbody td:nth-child(2)')).toEqual(
      abc.groups.map((g) => num('en', g.customers)),
    );
  });

  it('shows the lifecycle stages of each model and the alerts per level, filtered', async () => {
    for (const model of ['states', 'four-stage', 'five-stage']) {
      await visit(page, `#/lifecycle/${model}`);
      const l = await server.api<{ stages: { stage: string; customers: number }[] }>(
        `/lifecycle?model=${model}`,
      );
      expect(await texts(page, '[data-testid=table-stages] tbody td:nth-child(1)')).toEqual(
        l.stages.map((s) => DICTS.en[`stage.${s.stage}`]),
      );
      expect(await texts(page, '[data-testid=table-stages] tbody td:nth-child(2)')).toEqual(
        l.stages.map((s) => num('en', s.customers)),
      );
    }
    // transitions between the two latest recorded month ends, as the API counts them
    await visit(page, '#/lifecycle/states');
    const moves = await server.api<{ transitions: { from: string; to: string; customers: number }[] }>(
      '/lifecycle/transitions?from=2025-11-30&to=2025-12-31&model=states',
    );
    const shownTotal = (await texts(page, '[data-testid=table-transitions] tbody td'))
      .map((x) => Number(x.replace(/,/g, '')))
      .reduce((a, b) => a + b, 0);
    expect(shownTotal).toBe(moves.transitions.reduce((s, m) => s + m.customers, 0));
    const lostToLost = moves.transitions.find((m) => m.from === 'lost' && m.to === 'lost')!.customers;
    const lostRow = await texts(page, '[data-testid=table-transitions] tbody tr[data-stage=lost] td');
    const lostCol = await page.$$eval('[data-testid=table-transitions] thead th[data-stage]', (ths) =>
      ths.map((th) => th.getAttribute('data-stage')),
    );
    expect(lostRow[lostCol.indexOf('lost')]).toBe(num('en', lostToLost));
    expect(await page.$$('[data-testid=chart-transitions] canvas')).toHaveLength(1);
    await page.selectOption('[data-testid=transitions-from]', '2025-06-30');
    await page.waitForFunction(() => location.hash.includes('from=2025-06-30'));
    await settled(page);
    expect(await page.inputValue('[data-testid=transitions-from]')).toBe('2025-06-30');
    await screenshot(page, 'lifecycle-transitions-en');

    await visit(page, '#/alerts');
    const alerts = await server.api<{
      customers: {
        levels: { level: string; customers: number }[];
        list: { level: string; reasonDetails: { code: string }[] }[];
      };
    }>('/alerts');
    expect(await texts(page, '[data-testid=level-count-value]')).toEqual(
      alerts.customers.levels.map((l) => num('en', l.customers)),
    );
    await navigate(page, () => page.selectOption('[data-testid=alerts-level]', 'red'), '#/alerts?level=red');
    const red = alerts.customers.list.filter((a) => a.level === 'red').length;
    expect(await page.$$('[data-testid=table-alerts] tbody tr')).toHaveLength(red);
    // the reasons are worded from their codes: one line per condition, in the page's language
    const codes = alerts.customers.list
      .filter((a) => a.level === 'red')
      .flatMap((a) => a.reasonDetails.map((d) => d.code));
    expect(codes.length).toBeGreaterThan(0);
    expect(
      await page.$$eval('[data-testid=table-alerts] .reasons li', (els) => els.map((e) => e.dataset.code)),
    ).toEqual(codes);
    await screenshot(page, 'alerts-red-en');
    await setLang(page, 'zh');
    const zhReasons = await texts(page, '[data-testid=table-alerts] .reasons li');
    expect(zhReasons).toHaveLength(codes.length);
    for (const r of zhReasons) expect(r).toMatch(/[\u4e00-\u9fff]/);
    await setLang(page, 'en');
  });

  it('pages and searches customers on the server and opens one customer', async () => {
    await visit(page, '#/customers');
    expect(await page.$$('[data-testid=table-customers] tbody tr')).toHaveLength(50);
    expect(await page.textContent('[data-testid=customers-range]')).toBe(
      `1–50 of ${num('en', DEMO_CUSTOMERS)}`,
    );
    await navigate(page, () => page.click('[data-testid=page-next]'), '#/customers?offset=50');
    expect(await page.textContent('[data-testid=customers-range]')).toBe(
      `51–100 of ${num('en', DEMO_CUSTOMERS)}`,
    );
    const second = await server.api<{
      rows?: { customerId: string }[];
      customers?: { customerId: string }[];
    }>('/customers?limit=50&offset=50');
    const firstId = (second.rows ?? second.customers)![0]!.customerId;
    expect(await page.getAttribute('[data-testid=table-customers] tbody tr:first-child', 'data-id')).toBe(
      firstId,
    );

    await navigate(
      page,
      () => page.fill('[data-testid=customers-search]', 'C000004'),
      '#/customers?search=C000004',
    );
    const found = await server.api<{ total: number }>('/customers?search=C000004&limit=50&offset=0');
    expect(found.total).toBeGreaterThan(0);
    expect(await page.getAttribute('[data-testid=table-customers]', 'data-total')).toBe(String(found.total));
    const ids = await page.$$eval('[data-testid=table-customers] tbody tr', (rows) =>
      rows.map((r) => r.getAttribute('data-id')),
    );
    expect(ids.every((id) => id?.includes('C000004'))).toBe(true);
    await screenshot(page, 'customers-search-en');

    await page.click('[data-testid=table-customers] tbody tr:first-child a');
    await page.waitForSelector('[data-testid=page-customer]');
    await settled(page);
    expect(await page.textContent('main h1')).toBe(`Customer ${ids[0]}`);
    expect(await page.$$('[data-testid=error]')).toHaveLength(0);
    // at a glance: the recorded stages, the value tier and the playbook's actions, as the API gives them
    const view = await server.api<{
      lifecycle: { state: string; fourStage: string; fiveStage: string };
      valueTier: string;
      recommendedActions: { states: string; fourStage: string };
      transactions: { monthly: unknown[] };
    }>(`/customers/${ids[0]}`);
    expect(await page.textContent('[data-testid=glance-stage] div:last-child')).toBe(
      [view.lifecycle.state, view.lifecycle.fourStage, view.lifecycle.fiveStage]
        .map((s) => DICTS.en[`stage.${s}`])
        .join(' · '),
    );
    expect(await page.textContent('[data-testid=glance-tier] div:last-child')).toContain(
      DICTS.en[`tier.${view.valueTier}`],
    );
    expect(await texts(page, '[data-testid=glance-action] li')).toEqual([
      view.recommendedActions.states,
      view.recommendedActions.fourStage,
    ]);
    expect(view.transactions.monthly.length).toBeGreaterThan(0);
    expect(await page.$$('[data-testid=chart-customer-spend] canvas')).toHaveLength(1);
    await screenshot(page, 'customer-en');
    // in Chinese the default playbook's actions are translated
    await setLang(page, 'zh');
    const zhActions = await texts(page, '[data-testid=glance-action] li');
    expect(zhActions).toHaveLength(2);
    for (const a of zhActions) expect(a).toMatch(/[\u4e00-\u9fff]/);
    expect(await visibleKeys(page)).toEqual([]);
    await screenshot(page, 'customer-zh');
    await setLang(page, 'en');
  });

  it('shows an API error with its message', async () => {
    await visit(page, '#/customers/NO-SUCH-CUSTOMER');
    const error = await page.textContent('[data-testid=error]');
    expect(error).toContain(DICTS.en['error.notFound']);
  });
});

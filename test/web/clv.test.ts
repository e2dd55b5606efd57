/**
 * The CLV page and the overview's customer-equity KPI in headless Chromium against the real server: the
 * empty state and a viewer's 403, then an analyst computes the predictions from the page; the KPIs, the
 * histogram, the customers of highest CLV (paged and searched) and a fit's parameters equal the API's in
 * English and Chinese; the diagnostics and fit jobs run from the page.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchBrowser, screenshot, type BrowserHandle } from './browser.js';
import {
  collectErrors,
  DICTS,
  login,
  navigate,
  num,
  pct,
  setLang,
  settled,
  texts,
  visibleKeys,
  visit,
} from './page.js';
import { startServer, type TestServer } from './server.js';

interface Distribution {
  totals: {
    customers: number;
    clv: number;
    mean: number;
    median: number;
    expectedTransactions: number;
    shareAlive: number;
  };
  histogram: { customers: number }[];
}
interface Predictions {
  total: number;
  predictions: { customerId: string; clv: number; probabilityAlive: number }[];
}
interface Fit {
  fitId: number;
  model: string;
  params: Record<string, number>;
  standardErrors: Record<string, number>;
  logLikelihood: number;
}
interface JobList {
  jobs: { kind: string; status: string; result: unknown }[];
}

describe.skipIf(!chromiumPath())('CLV page in Chromium', () => {
  let server: TestServer;
  let browser: BrowserHandle;
  let viewer: Page;
  let analyst: Page;

  /** The admin's view of the API (jobs are listed with their results). */
  const adminApi = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${server.url}/api${path}`, {
      headers: { Authorization: `Bearer ${server.adminToken}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    // the models are fitted with the CLI, as a user would; the predictions are computed from the page
    server = await startServer({
      prepare: (run) => {
        run(['clv', 'fit', '--model', 'bgnbd', '--penalty', '0.01']);
        run(['clv', 'fit', '--model', 'gg']);
      },
    });
    browser = await launchBrowser();
    viewer = await browser.newPage();
    analyst = await browser.newPage();
    const a = collectErrors(viewer);
    const b = collectErrors(analyst);
    // both lists are checked after every test
    afterEach(() => {
      expect([...a.splice(0), ...b.splice(0)]).toEqual([]);
    });
    await login(viewer, server.url, server.token, '#/clv', 'page-clv');
    await setLang(viewer, 'en');
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('says what to run when nothing is computed, and a viewer gets the 403 message', async () => {
    await visit(viewer, '#/clv');
    expect(await viewer.textContent('[data-testid=clv-empty]')).toContain(DICTS.en['clv.empty']);
    expect(await viewer.textContent('[data-testid=clv-empty] pre')).toContain(
      'retain clv predict --horizon 52 --save',
    );
    // the fits made with the CLI are listed, newest first
    const fits = await server.api<{ fitId: number; model: string }[]>('/clv/fits');
    expect(await texts(viewer, '[data-testid=table-clv-fits] tbody td:first-child')).toEqual(
      fits.map((f) => String(f.fitId)),
    );
    await viewer.click('[data-testid=clv-predict-submit]');
    await viewer.waitForSelector('[data-testid=clv-predict-error]');
    const message = (await viewer.textContent('[data-testid=clv-predict-error]'))!;
    expect(message).toContain(DICTS.en['clv.predict.failed']);
    expect(message).toContain('this needs the analyst role; your token has the viewer role');
    await visit(viewer, '#/overview');
    expect(await viewer.textContent('[data-testid=kpi-clv-value]')).toBe('—');
    expect(await viewer.textContent('[data-testid=kpi-clv]')).toContain(DICTS.en['clv.overview.none']);
    expect(await visibleKeys(viewer)).toEqual([]);
  });

  it("lets an analyst compute every customer's CLV from the page (a job with progress)", async () => {
    await login(analyst, server.url, server.adminToken, '#/clv', 'page-clv');
    await settled(analyst);
    await analyst.click('[data-testid=clv-predict-submit]');
    await analyst.waitForSelector('[data-testid=clv-kpi-equity]', { timeout: 60_000 });
    await settled(analyst);
    const d = await server.api<Distribution>('/clv/distribution');
    expect(await analyst.textContent('[data-testid=clv-kpi-equity-value]')).toBe(num('en', d.totals.clv, 2));
    const jobs = await adminApi<JobList>('/jobs?kind=clv-predict');
    expect(jobs.jobs.map((j) => j.status)).toEqual(['succeeded']);
    expect((jobs.jobs[0]!.result as { totals: { clv: number } }).totals.clv).toBeCloseTo(d.totals.clv, 6);
  });

  for (const lang of ['en', 'zh'] as const) {
    it(`shows the API's numbers in ${lang}`, async () => {
      // from another page, so that the CLV page is drawn anew (after the predictions were computed)
      await visit(viewer, '#/overview');
      await setLang(viewer, lang);
      await visit(viewer, '#/clv');
      expect(await viewer.textContent('main h1')).toBe(DICTS[lang]['nav.clv']);
      const d = await server.api<Distribution>('/clv/distribution');
      const t = d.totals;
      const kpi = (id: string) => viewer.textContent(`[data-testid=clv-kpi-${id}-value]`);
      expect(await kpi('customers')).toBe(num(lang, t.customers));
      expect(await kpi('equity')).toBe(num(lang, t.clv, 2));
      expect(await kpi('mean')).toBe(num(lang, t.mean, 2));
      expect(await kpi('median')).toBe(num(lang, t.median, 2));
      expect(await kpi('expected')).toBe(num(lang, t.expectedTransactions, 1));
      expect(await kpi('alive')).toBe(pct(lang, t.shareAlive));
      expect(await viewer.textContent('[data-testid=clv-source]')).toContain(DICTS[lang]['clv.model.bgnbd']);
      expect(await viewer.$$('[data-testid=chart-clv-histogram] canvas')).toHaveLength(1);
      expect(d.histogram.reduce((a, b) => a + b.customers, 0)).toBe(t.customers);

      // the customers of highest CLV, 25 a page, from the server
      const top = await server.api<Predictions>('/clv/predictions?limit=25&offset=0');
      const ids = await viewer.$$eval('[data-testid=table-clv-top] tbody tr', (rows) =>
        rows.map((r) => r.getAttribute('data-id')),
      );
      expect(ids).toEqual(top.predictions.map((p) => p.customerId));
      expect(await texts(viewer, '[data-testid=clv-value]')).toEqual(
        top.predictions.map((p) => num(lang, p.clv, 2)),
      );
      expect(await texts(viewer, '[data-testid=clv-alive]')).toEqual(
        top.predictions.map((p) => pct(lang, p.probabilityAlive)),
      );
      expect(await viewer.getAttribute('[data-testid=table-clv-top] tbody tr:first-child a', 'href')).toBe(
        `#/customers/${top.predictions[0]!.customerId}`,
      );
      expect(await viewer.textContent('[data-testid=clv-range]')).toBe(
        DICTS[lang]['clv.top.range']!.replace('{from}', '1')
          .replace('{to}', '25')
          .replace('{total}', num(lang, top.total)),
      );

      // the newest fit's parameters with their standard errors
      const fits = await server.api<{ fitId: number }[]>('/clv/fits');
      const fit = await server.api<Fit>(`/clv/fits/${fits[0]!.fitId}`);
      expect(await texts(viewer, '[data-testid=table-clv-params] tbody td:nth-child(2)')).toEqual(
        Object.values(fit.params).map((v) => num(lang, v, 4)),
      );
      expect(await texts(viewer, '[data-testid=table-clv-params] tbody td:nth-child(3)')).toEqual(
        Object.keys(fit.params).map((k) => num(lang, fit.standardErrors[k]!, 4)),
      );
      expect(await viewer.textContent('[data-testid=clv-fit-loglik]')).toBe(num(lang, fit.logLikelihood, 2));
      expect(await viewer.$$('[data-testid=error]')).toHaveLength(0);
      expect(await visibleKeys(viewer)).toEqual([]);
      await screenshot(viewer, `clv-${lang}`);

      // another fit chosen from the table
      const other = fits.at(-1)!;
      await viewer.click(`[data-testid=clv-fit-show-${other.fitId}]`);
      await settled(viewer);
      const otherFit = await server.api<Fit>(`/clv/fits/${other.fitId}`);
      expect(await texts(viewer, '[data-testid=table-clv-params] tbody td:first-child')).toEqual(
        Object.keys(otherFit.params),
      );

      // the overview's customer equity
      await visit(viewer, '#/overview');
      expect(await viewer.textContent('[data-testid=kpi-clv-value]')).toBe(num(lang, t.clv, 2));
      expect(await visibleKeys(viewer)).toEqual([]);
    });
  }

  it('pages and searches the customers by CLV', async () => {
    await visit(viewer, '#/overview');
    await setLang(viewer, 'en');
    await visit(viewer, '#/clv');
    const second = await server.api<Predictions>('/clv/predictions?limit=25&offset=25');
    const range = (from: number, to: number, total: number) =>
      DICTS.en['clv.top.range']!.replace('{from}', String(from))
        .replace('{to}', String(to))
        .replace('{total}', num('en', total));
    /** The hash changes before the page is drawn again: wait for the new page's range. */
    const shown = (text: string) =>
      viewer.waitForFunction(
        (want) => document.querySelector('[data-testid=clv-range]')?.textContent === want,
        text,
      );
    await navigate(viewer, () => viewer.click('[data-testid=clv-page-next]'), '#/clv?offset=25');
    await shown(range(26, 50, second.total));
    await settled(viewer);
    expect(await texts(viewer, '[data-testid=clv-value]')).toEqual(
      second.predictions.map((p) => num('en', p.clv, 2)),
    );
    const id = second.predictions[3]!.customerId;
    await viewer.fill('[data-testid=clv-search]', id);
    await viewer.click('[data-testid=clv-search-submit]');
    await viewer.waitForFunction((q) => location.hash === `#/clv?search=${q}`, id);
    const found = await server.api<Predictions>(`/clv/predictions?limit=25&search=${id}`);
    await shown(range(1, found.predictions.length, found.total));
    await settled(viewer);
    const ids = await viewer.$$eval('[data-testid=table-clv-top] tbody tr', (rows) =>
      rows.map((r) => r.getAttribute('data-id')),
    );
    expect(ids).toEqual(found.predictions.map((p) => p.customerId));
    expect(ids).toContain(id);
  });

  it('runs the diagnostics from the page with dates from the data range', async () => {
    await visit(analyst, '#/clv');
    await setLang(analyst, 'en');
    const info = await server.api<{ tables: { table: string; to: string }[] }>('/info');
    const last = info.tables.find((x) => x.table === 'transactions')!.to;
    expect(await analyst.inputValue('[data-testid=clv-eval-holdout]')).toBe(last);
    const calibration = await analyst.inputValue('[data-testid=clv-eval-calibration]');
    expect(calibration < last).toBe(true);
    await analyst.click('[data-testid=clv-eval-submit]');
    await analyst.waitForSelector('[data-testid=chart-clv-tracking]', { timeout: 60_000 });
    await settled(analyst);
    expect(await analyst.$$('[data-testid=chart-clv-frequency] canvas')).toHaveLength(1);
    const jobs = await adminApi<JobList>('/jobs?kind=clv-evaluate');
    const e = jobs.jobs[0]!.result as { calibrationEnd: string; holdout: { actualTotal: number } };
    expect(e.calibrationEnd).toBe(calibration);
    expect(await analyst.textContent('[data-testid=clv-eval-summary]')).toContain(
      num('en', e.holdout.actualTotal),
    );
    await screenshot(analyst, 'clv-diagnostics-en');
  });

  it('fits a model from the page and lists it', async () => {
    await visit(analyst, '#/clv');
    const before = await server.api<{ fitId: number }[]>('/clv/fits');
    await analyst.selectOption('[data-testid=clv-fit-model]', 'gg');
    await analyst.click('[data-testid=clv-fit-submit]');
    await analyst.waitForSelector('[data-testid=clv-fit-done]', { timeout: 60_000 });
    await settled(analyst);
    const after = await server.api<{ fitId: number; model: string }[]>('/clv/fits');
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]!.model).toBe('gg');
    expect(await analyst.textContent('[data-testid=clv-fit-done]')).toContain(String(after[0]!.fitId));
    expect(await texts(analyst, '[data-testid=table-clv-fits] tbody td:first-child')).toEqual(
      after.map((f) => String(f.fitId)),
    );
  });
});

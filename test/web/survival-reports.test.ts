/**
 * The survival and churn-report pages in headless Chromium against the real server, in English and Chinese:
 * the Kaplan-Meier medians, survival readings and log-rank test, the cohort cells and the Cox hazard ratios
 * shown equal the API's; the group choice lives in the hash; an uploaded table is analysed and a bad one
 * refused naming its line and field; a report's cells equal the API's, its default period is the last 12
 * months of data, and its CSV export downloads under the server's file name with the API's rows.
 */
import { readFileSync } from 'node:fs';
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
  type Lang,
  visibleKeys,
  visit,
} from './page.js';
import { startServer, type TestServer } from './server.js';

interface KmGroup {
  group: string;
  n: number;
  events: number;
  median: number | null;
  survival: { time: number; survival: number | null }[];
}
interface Km {
  at: number[];
  groups: KmGroup[];
  logRank?: { chisq: number; df: number; p: number };
}
interface Cohorts {
  periods: number[];
  cohorts: { cohort: string; share: (number | null)[] }[];
}
interface Cox {
  terms: string[];
  n: number;
  concordance: number;
  coefficients: Record<string, { hr: number }>;
}
type Cell = string | number | null;
interface Report {
  from: string;
  to: string;
  sections: {
    columns: { key: string; label: string; type: string }[];
    rows: Record<string, Cell>[];
    totals?: Record<string, Cell>;
  }[];
}
interface Info {
  tables: { table: string; to: string | null }[];
}

const DASH = '—';
const BAD_TABLE = 'id,t,churn\na,3,Yes\nb,x3,No\nc,4,No\n';
const GOOD_TABLE = [
  'id,t,churn,plan',
  ...Array.from(
    { length: 40 },
    (_, i) => `s${i},${(i % 13) + 1},${i % 3 === 0 ? 'Yes' : 'No'},${i % 2 ? 'A' : 'B'}`,
  ),
].join('\n');

/** The dashboard's p-value format. */
const pValue = (lang: Lang, p: number): string =>
  p === 0 ? '< 1e-300' : p < 1e-4 ? p.toExponential(2) : num(lang, p, 4);
const orDash = (v: number | null, f: (v: number) => string): string => (v === null ? DASH : f(v));

/** A report cell as the dashboard shows it. */
function reportCell(lang: Lang, type: string, v: Cell): string {
  if (v === null) return DASH;
  if (typeof v === 'string') return v === 'total' ? DICTS[lang]['common.total']! : v;
  if (type === 'integer') return num(lang, v, 0);
  if (type === 'money') return num(lang, v, 2);
  if (type === 'percent') return pct(lang, v, 2);
  return num(lang, v, 2);
}

/** The CSV writer's raw field. */
const csvField = (v: Cell): string => {
  if (v === null) return '';
  const text = typeof v === 'number' ? String(v) : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

describe.skipIf(!chromiumPath())('survival and churn report pages in Chromium', () => {
  let server: TestServer;
  let browser: BrowserHandle;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage();
    pageErrors = collectErrors(page);
    // the upload needs the analyst role: sign in as admin
    await login(page, server.url, server.adminToken, '#/survival', 'page-survival');
    await settled(page);
  }, 180_000);

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const lang of ['en', 'zh'] as const) {
    it(`shows Kaplan-Meier, cohorts and Cox with the API's numbers in ${lang}`, async () => {
      // without covariates in the hash the Cox model waits for the button
      await visit(page, '#/survival?by=plan&unit=months');
      expect(await page.$$('[data-testid=cox-choose]')).toHaveLength(1);
      expect(await page.$$('[data-testid=table-cox]')).toHaveLength(0);
      await visit(page, '#/survival?by=plan&unit=months&cox=plan,age');
      await setLang(page, lang);
      expect(await page.textContent('main h1')).toBe(DICTS[lang]['nav.survival']);

      const km = await server.api<Km>('/survival/km?by=plan&unit=months');
      expect(km.groups.length).toBeGreaterThan(1);
      expect(await texts(page, '[data-testid=table-km] tbody td:first-child')).toEqual(
        km.groups.map((g) => g.group),
      );
      expect(await texts(page, '[data-testid=km-n]')).toEqual(km.groups.map((g) => num(lang, g.n)));
      expect(await texts(page, '[data-testid=km-events]')).toEqual(km.groups.map((g) => num(lang, g.events)));
      expect(await texts(page, '[data-testid=km-median]')).toEqual(
        km.groups.map((g) => orDash(g.median, (v) => num(lang, v))),
      );
      expect(await texts(page, '[data-testid=km-at]')).toEqual(
        km.groups.flatMap((g) => g.survival.map((s) => orDash(s.survival, (v) => pct(lang, v)))),
      );
      const logRank = (await page.textContent('[data-testid=km-logrank]'))!;
      expect(logRank).toContain(num(lang, km.logRank!.chisq, 2));
      expect(logRank).toContain(pValue(lang, km.logRank!.p));
      expect(logRank).toContain(DICTS[lang]['survival.km.logRank']!.split('{')[0]!.trim());

      const cohorts = await server.api<Cohorts>('/survival/cohorts?by=month&months=24');
      const shown = await page.$$eval('[data-testid=cohort-cell]', (els) =>
        els.map((e) => [e.getAttribute('data-cohort'), Number(e.getAttribute('data-period')), e.textContent]),
      );
      const expected = cohorts.cohorts.flatMap((c) =>
        cohorts.periods.map((p) => {
          const s = c.share[p];
          return [c.cohort, p, s === null || s === undefined ? '' : pct(lang, s)];
        }),
      );
      expect(expected.length).toBeGreaterThan(100);
      expect(shown).toEqual(expected);

      const cox = await server.api<Cox>('/survival/cox?unit=months&covariates=plan&covariates=age');
      expect(await texts(page, '[data-testid=cox-hr]')).toEqual(
        cox.terms.map((term) => num(lang, cox.coefficients[term]!.hr, 3)),
      );
      expect(await page.textContent('[data-testid=table-cox-summary]')).toContain(
        num(lang, cox.concordance, 3),
      );
      expect(await page.$$('[data-testid=error]')).toHaveLength(0);
      expect(await visibleKeys(page)).toEqual([]);
      await screenshot(page, `survival-${lang}`);
    });
  }

  it('keeps the group in the hash and refits Cox on the chosen covariates', async () => {
    await visit(page, '#/survival?by=plan&unit=months');
    await setLang(page, 'en');
    await page.selectOption('[data-testid=survival-by]', 'region');
    await page.waitForFunction(() => location.hash.includes('by=region'));
    await settled(page);
    const km = await server.api<Km>('/survival/km?by=region&unit=months');
    expect(await texts(page, '[data-testid=km-median]')).toEqual(
      km.groups.map((g) => orDash(g.median, (v) => num('en', v))),
    );
    expect(await texts(page, '[data-testid=table-km] tbody td:first-child')).toEqual(
      km.groups.map((g) => g.group),
    );

    await page.uncheck('[data-testid=cox-age]');
    await page.check('[data-testid=cox-monthly_fee]');
    await page.click('[data-testid=cox-submit]');
    await page.waitForFunction(() => location.hash.includes('cox=plan%2Cmonthly_fee'));
    await settled(page);
    const cox = await server.api<Cox>('/survival/cox?unit=months&covariates=plan&covariates=monthly_fee');
    expect(await texts(page, '[data-testid=cox-hr]')).toEqual(
      cox.terms.map((term) => num('en', cox.coefficients[term]!.hr, 3)),
    );

    // a fresh load of the hash shows the same choices
    await page.reload();
    await page.waitForSelector('[data-testid=page-survival]');
    await settled(page);
    expect(await page.inputValue('[data-testid=survival-by]')).toBe('region');
    expect(await page.isChecked('[data-testid=cox-monthly_fee]')).toBe(true);
    expect(await page.isChecked('[data-testid=cox-age]')).toBe(false);
  });

  for (const lang of ['en', 'zh'] as const) {
    it(`analyses an uploaded table and names the line and field of a bad one in ${lang}`, async () => {
      await visit(page, '#/survival');
      await setLang(page, lang);
      const upload = async (name: string, csv: string, by = '') => {
        await page.setInputFiles('[data-testid=upload-file]', {
          name,
          mimeType: 'text/csv',
          buffer: Buffer.from(csv, 'utf8'),
        });
        await page.fill('[data-testid=upload-time]', 't');
        await page.fill('[data-testid=upload-eventColumn]', 'churn');
        await page.fill('[data-testid=upload-eventValue]', 'Yes');
        await page.fill('[data-testid=upload-by]', by);
        await page.click('[data-testid=upload-submit]');
        await page.waitForSelector('[data-testid=upload-error], [data-testid=upload-success]');
        await settled(page);
      };
      await upload('bad.csv', BAD_TABLE);
      const error = (await page.textContent('[data-testid=upload-error]'))!;
      expect(error).toContain(DICTS[lang]['survival.upload.failed']);
      expect(error).toContain('bad.csv: row 2, column "t": time "x3" is not a number');
      expect(await page.textContent('[data-testid=upload-where]')).toContain(
        DICTS[lang]['survival.upload.where']!.replace('{line}', '3')
          .replace('{row}', '2')
          .replace('{field}', 't'),
      );

      await upload('good.csv', GOOD_TABLE, 'plan');
      expect(await page.$$('[data-testid=upload-error]')).toHaveLength(0);
      const form = new FormData();
      form.append('time', 't');
      form.append('event', 'churn=Yes');
      form.append('by', 'plan');
      form.append('file', new Blob([GOOD_TABLE]), 'good.csv');
      const res = await fetch(`${server.url}/api/survival/table`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server.adminToken}` },
        body: form,
      });
      const api = (await res.json()) as Km;
      expect(await texts(page, '[data-testid=table-upload-km] [data-testid=km-median]')).toEqual(
        api.groups.map((g) => orDash(g.median, (v) => num(lang, v))),
      );
      expect(await texts(page, '[data-testid=table-upload-km] [data-testid=km-n]')).toEqual(['20', '20']);

      // Cox on the same table: the hazard ratio of plan B against A
      await page.selectOption('[data-testid=upload-analysis]', 'cox');
      await page.fill('[data-testid=upload-covariates]', 'plan');
      await page.click('[data-testid=upload-submit]');
      await page.waitForSelector('[data-testid=table-upload-cox]');
      await settled(page);
      const coxForm = new FormData();
      for (const [k, v] of Object.entries({
        analysis: 'cox',
        time: 't',
        event: 'churn=Yes',
        covariates: 'plan',
      }))
        coxForm.append(k, v);
      coxForm.append('file', new Blob([GOOD_TABLE]), 'good.csv');
      const cox = (await (
        await fetch(`${server.url}/api/survival/table`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${server.adminToken}` },
          body: coxForm,
        })
      ).json()) as Cox;
      expect(cox.terms).toEqual(['planB']);
      expect(await texts(page, '[data-testid=table-upload-cox] [data-testid=cox-hr]')).toEqual([
        num(lang, cox.coefficients.planB!.hr, 3),
      ]);
      await page.selectOption('[data-testid=upload-analysis]', 'km');
      expect(await visibleKeys(page)).toEqual([]);
    });
  }

  for (const lang of ['en', 'zh'] as const) {
    it(`runs a report with the API's cells and exports it as CSV in ${lang}`, async () => {
      await visit(page, '#/reports/churn-flow?from=2025-01&to=2025-12');
      await setLang(page, lang);
      expect(await page.textContent('main h1')).toBe(DICTS[lang]['nav.reports']);
      const report = await server.api<Report>('/reports/churn-flow?from=2025-01&to=2025-12');
      const s = report.sections[0]!;
      expect(s.rows).toHaveLength(12);
      const shown = await page.$$eval('[data-testid=table-report-0] tr:has(td)', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
      );
      expect(shown).toEqual(
        [...s.rows, s.totals!].map((r) => s.columns.map((c) => reportCell(lang, c.type, r[c.key] ?? null))),
      );
      expect(await texts(page, '[data-testid=table-report-0] th')).toEqual(
        s.columns.map((c) => DICTS[lang][`reports.column.${c.key}`]),
      );

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('[data-testid=export-csv]'),
      ]);
      expect(download.suggestedFilename()).toBe('churn-flow-2025-01-2025-12.csv');
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv.length).toBeGreaterThan(0);
      const lines = csv.trimEnd().split('\r\n');
      expect(lines[0]).toBe(s.columns.map((c) => csvField(c.label)).join(','));
      expect(lines.slice(1)).toEqual(
        [...s.rows, s.totals!].map((r) => s.columns.map((c) => csvField(r[c.key] ?? null)).join(',')),
      );
      await page.waitForFunction(() =>
        document.querySelector('[data-testid=export-status]')?.textContent?.includes('churn-flow-2025-01'),
      );
      const [xlsx] = await Promise.all([
        page.waitForEvent('download'),
        page.click('[data-testid=export-xlsx]'),
      ]);
      expect(xlsx.suggestedFilename()).toBe('churn-flow-2025-01-2025-12.xlsx');
      // a zip archive (the XLSX container)
      expect(
        readFileSync((await xlsx.path())!)
          .subarray(0, 2)
          .toString('latin1'),
      ).toBe('PK');
      expect(await page.$$('[data-testid=error]')).toHaveLength(0);
      expect(await visibleKeys(page)).toEqual([]);
      await screenshot(page, `reports-${lang}`);
    });
  }

  it('defaults to the last 12 months, keeps the choice in the hash, and shows the reason codes', async () => {
    await visit(page, '#/reports');
    await setLang(page, 'zh');
    const info = await server.api<Info>('/info');
    const last = info.tables
      .filter((x) => x.table === 'subscriptions' || x.table === 'churn_events')
      .map((x) => x.to!)
      .sort()
      .pop()!
      .slice(0, 7);
    expect(last).toBe('2025-12');
    expect(await page.inputValue('[data-testid=reports-from]')).toBe('2025-01');
    expect(await page.inputValue('[data-testid=reports-to]')).toBe('2025-12');
    expect(await page.textContent('[data-testid=reports-range]')).toContain('2025-01');
    expect(await page.$$eval('[data-testid=table-report-0] tbody tr', (r) => r.length)).toBe(12);

    await page.selectOption('[data-testid=reports-name]', 'reasons');
    await page.fill('[data-testid=reports-from]', '2025-04');
    await page.fill('[data-testid=reports-to]', '2025-09');
    await navigate(
      page,
      () => page.click('[data-testid=reports-run]'),
      '#/reports/reasons?from=2025-04&to=2025-09',
    );
    const report = await server.api<Report>('/reports/reasons?from=2025-04&to=2025-09');
    const s = report.sections[1]!;
    const shown = await page.$$eval('[data-testid=table-report-1] tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    expect(shown.map((r) => r[0])).toEqual(s.rows.map((r) => r.reasonCode));
    expect(shown.map((r) => r[4])).toEqual(s.rows.map((r) => num('zh', r.revenueLost as number, 2)));
    // the reason of code 101 in Chinese
    const price = s.rows.findIndex((r) => r.reasonCode === '101');
    expect(shown[price]![1]).toBe(DICTS.zh['reports.value.price']);
    expect(await page.$$('[data-testid=error]')).toHaveLength(0);
    expect(await visibleKeys(page)).toEqual([]);
    await setLang(page, 'en');
  });
});

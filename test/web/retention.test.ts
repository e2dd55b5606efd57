/**
 * The retention page and the churn page's value x risk matrix in headless Chromium against the real server,
 * on a demo workspace with stored churn scores, a retention plan (P1) and a campaign made from it with the
 * CLI: the matrix cells, value at risk, stored plans, campaigns and measured uplift shown equal the API's in
 * English and Chinese; a viewer gets the 403 message from the plan form; an analyst (the admin token) runs a
 * retention and a win-back plan from the page, sees their results (equal to the stored plans' API summary)
 * and makes a campaign from one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchBrowser, screenshot, type BrowserHandle } from './browser.js';
import {
  collectErrors,
  DICTS,
  login,
  num,
  pct,
  setLang,
  texts,
  visibleKeys,
  visit,
  type Lang,
} from './page.js';
import { startServer, type TestServer } from './server.js';

interface Cell {
  risk: string;
  valueTier: string;
  customers: number;
  valueAtRisk: number;
}
interface Matrix {
  customers: number;
  totals: { value: number; valueAtRisk: number; expectedChurners: number };
  matrix: Cell[];
}
interface Plan {
  planId: string;
  kind: string;
  contacted: number;
  cost: number;
  expectedSaved: number;
}
interface Campaign {
  campaignId: string;
  treatment: number;
  control: number;
}
interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}
interface Uplift {
  action: string;
  treatment: { known: number; members: number; rate: number | null };
  control: { known: number; members: number; rate: number | null };
  uplift: Interval | null;
}
interface Evaluation {
  overall: Uplift;
  byAction: Uplift[];
}

const money = (lang: Lang, v: number) => num(lang, v, 2);
const rate = (lang: Lang, v: number | null | undefined) =>
  v === null || v === undefined ? '—' : pct(lang, v);

/** The matrix shown (risk, tier, customers, value at risk) equals the API's cells. */
async function expectMatrix(page: Page, lang: Lang, m: Matrix): Promise<void> {
  const shown = await page.$$eval('[data-testid=matrix-cell]', (cells) =>
    cells.map((c) => [
      c.getAttribute('data-risk'),
      c.getAttribute('data-tier'),
      (c.querySelector('[data-testid=matrix-customers]') as HTMLElement).innerText.trim(),
      (c.querySelector('[data-testid=matrix-value-at-risk]') as HTMLElement).innerText.trim(),
    ]),
  );
  expect(shown).toHaveLength(12);
  const expected = m.matrix.map((c) => [
    c.risk,
    c.valueTier,
    num(lang, c.customers),
    money(lang, c.valueAtRisk),
  ]);
  expect([...shown].sort()).toEqual([...expected].sort());
  expect(m.matrix.reduce((s, c) => s + c.customers, 0)).toBe(m.customers);
}

describe.skipIf(!chromiumPath())('retention page and value x risk in Chromium', () => {
  let server: TestServer;
  let browser: BrowserHandle;
  let page: Page;
  let errors: string[] = [];

  beforeAll(async () => {
    server = await startServer({
      churnScores: true,
      prepare: (run, dir) => {
        const plan = join(dir, 'plan.csv');
        run(['plan', 'retention', '--budget', '3000', '--out', plan]);
        run(['campaign', 'create', '--plan', 'P1', '--holdout', '0.3', '--seed', '7']);
        // recorded outcomes for every contacted customer (each is a member, treated or control)
        const contacted = readFileSync(plan, 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((line) => line.split(','))
          .filter((f) => f[1] === 'contact')
          .map((f) => f[0]!);
        const rows = contacted.map(
          (id, i) => `${id},${i % 3 === 0 ? 'churned' : 'retained'},${(i % 7) * 10},2026-01-15`,
        );
        const outcomes = join(dir, 'outcomes.csv');
        writeFileSync(outcomes, ['customer_id,outcome,value,date', ...rows].join('\n') + '\n');
        run(['campaign', 'record', 'CMP-P1', outcomes]);
      },
    });
    browser = await launchBrowser();
    page = await browser.newPage();
    errors = collectErrors(page);
    await login(page, server.url, server.token, '#/retention', 'page-retention');
    await setLang(page, 'en');
  }, 240_000);

  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const lang of ['en', 'zh'] as const) {
    it(`shows the churn page's value x risk matrix as the API gives it in ${lang}`, async () => {
      await visit(page, '#/churn');
      await setLang(page, lang);
      const m = await server.api<Matrix>('/plans/matrix');
      expect(await texts(page, '[data-testid=card-churn-matrix] h2')).toEqual([
        DICTS[lang]['churnMatrix.title'],
      ]);
      await expectMatrix(page, lang, m);
      // the scores table is still there
      expect(await page.$$('[data-testid=table-churn] tbody tr')).toHaveLength(50);
      expect(await visibleKeys(page)).toEqual([]);
      if (lang === 'en') await screenshot(page, 'churn-matrix-en');
    });

    it(`shows value at risk, plans, campaigns and the measured uplift as the API gives them in ${lang}`, async () => {
      await visit(page, '#/retention?campaign=CMP-P1');
      await setLang(page, lang);
      expect(await page.textContent('main h1')).toBe(DICTS[lang]['nav.retention']);
      const m = await server.api<Matrix>('/plans/matrix');
      expect(await page.textContent('[data-testid=var-at-risk-value]')).toBe(
        money(lang, m.totals.valueAtRisk),
      );
      expect(await page.textContent('[data-testid=var-value-value]')).toBe(money(lang, m.totals.value));
      expect(await page.textContent('[data-testid=var-customers-value]')).toBe(num(lang, m.customers));
      await expectMatrix(page, lang, m);

      const { plans } = await server.api<{ plans: Plan[] }>('/plans');
      expect(await texts(page, '[data-testid=table-plans] tbody td:first-child')).toEqual(
        plans.map((p) => p.planId),
      );
      expect(await texts(page, '[data-testid=plan-contacted]')).toEqual(
        plans.map((p) => num(lang, p.contacted)),
      );
      expect(await texts(page, '[data-testid=plan-expected]')).toEqual(
        plans.map((p) => money(lang, p.expectedSaved)),
      );

      const { campaigns } = await server.api<{ campaigns: Campaign[] }>('/campaigns');
      expect(campaigns.map((c) => c.campaignId)).toContain('CMP-P1');
      expect(await texts(page, '[data-testid=campaign-link]')).toEqual(campaigns.map((c) => c.campaignId));
      expect(await texts(page, '[data-testid=campaign-treatment]')).toEqual(
        campaigns.map((c) => num(lang, c.treatment)),
      );
      expect(await texts(page, '[data-testid=campaign-control]')).toEqual(
        campaigns.map((c) => num(lang, c.control)),
      );

      const e = await server.api<Evaluation>('/campaigns/CMP-P1/evaluation');
      const rows = [e.overall, ...e.byAction];
      expect(rows.length).toBeGreaterThan(1);
      const shown = await page.$$eval('[data-testid=uplift-row]', (trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-action'),
          ...[
            'uplift-treatment',
            'uplift-control',
            'uplift-treatment-rate',
            'uplift-control-rate',
            'uplift-estimate',
            'uplift-low',
            'uplift-high',
          ].map((id) => (tr.querySelector(`[data-testid=${id}]`) as HTMLElement).innerText.trim()),
        ]),
      );
      expect(shown).toEqual(
        rows.map((u) => [
          u.action,
          `${num(lang, u.treatment.known)} / ${num(lang, u.treatment.members)}`,
          `${num(lang, u.control.known)} / ${num(lang, u.control.members)}`,
          rate(lang, u.treatment.rate),
          rate(lang, u.control.rate),
          rate(lang, u.uplift?.estimate),
          rate(lang, u.uplift?.lower),
          rate(lang, u.uplift?.upper),
        ]),
      );
      expect(await page.textContent('[data-testid=uplift-source]')).toContain(
        DICTS[lang]['retention.uplift.recorded'],
      );
      expect(await page.$$('[data-testid=chart-uplift] canvas')).toHaveLength(1);
      expect(await page.$$('[data-testid=error]')).toHaveLength(0);
      expect(await visibleKeys(page)).toEqual([]);
      await screenshot(page, `retention-${lang}`);
    });
  }

  it('shows a stored plan with its contacted customers paged by the server', async () => {
    await setLang(page, 'en');
    await visit(page, '#/retention/plans/P1');
    const d = await server.api<{ plan: Plan; customers: { total: number; items: { customerId: string }[] } }>(
      '/plans/P1?limit=50&offset=0',
    );
    expect(await texts(page, '[data-testid=table-plan-customers] tbody td:first-child')).toEqual(
      d.customers.items.map((i) => i.customerId),
    );
    expect(await page.textContent('[data-testid=plan-range]')).toBe(
      `1–${num('en', Math.min(50, d.customers.total))} of ${num('en', d.customers.total)}`,
    );
    expect(await visibleKeys(page)).toEqual([]);
  });

  it('a viewer gets the 403 message from the plan form', async () => {
    await visit(page, '#/retention');
    await page.click('[data-testid=retention-plan-submit]');
    await page.waitForSelector('[data-testid=retention-plan-error]');
    const text = (await page.textContent('[data-testid=retention-plan-error]'))!;
    expect(text).toContain(DICTS.en['retention.failed']);
    expect(text).toContain('analyst');
    expect(await page.$$('[data-testid=retention-result]')).toHaveLength(0);
  });

  it('an analyst plans retention and win-back from the page and makes a campaign', async () => {
    const analyst = await browser.newPage();
    const analystErrors = collectErrors(analyst);
    try {
      await login(analyst, server.url, server.adminToken, '#/retention', 'page-retention');
      await setLang(analyst, 'en');
      await analyst.fill('[data-testid=retention-budget]', '2000');
      await analyst.click('[data-testid=retention-plan-submit]');
      await analyst.waitForSelector('[data-testid=retention-result]', { timeout: 60_000 });
      const planId = (await analyst.getAttribute('[data-testid=retention-result]', 'data-plan'))!;
      expect(planId).toBe('P2');
      const { plans } = await server.api<{ plans: (Plan & { budget: number })[] }>('/plans');
      const p = plans.find((x) => x.planId === planId)!;
      expect(p.budget).toBe(2000);
      expect(await analyst.textContent('[data-testid=retention-contacted-value]')).toBe(
        num('en', p.contacted),
      );
      expect(await analyst.textContent('[data-testid=retention-cost-value]')).toBe(money('en', p.cost));
      expect(await analyst.textContent('[data-testid=retention-saved-value]')).toBe(
        money('en', p.expectedSaved),
      );
      expect(p.cost).toBeLessThanOrEqual(2000);
      const job = (
        await server.api<{ jobs: { kind: string; result: { expectedNet: number; spent: number } }[] }>(
          '/jobs',
        )
      ).jobs.find((j) => j.kind === 'plan-retention')!;
      expect(await analyst.textContent('[data-testid=retention-roi-value]')).toBe(
        pct('en', job.result.expectedNet / job.result.spent),
      );
      // the stored plans card was refreshed with the new plan
      await analyst.waitForFunction(
        (id) =>
          [...document.querySelectorAll('[data-testid=table-plans] a')].some((a) => a.textContent === id),
        planId,
      );

      await analyst.fill('[data-testid=winback-budget]', '1000');
      await analyst.click('[data-testid=winback-plan-submit]');
      await analyst.waitForSelector('[data-testid=winback-result]', { timeout: 60_000 });
      const winbackId = (await analyst.getAttribute('[data-testid=winback-result]', 'data-plan'))!;
      expect(winbackId).toBe('P3');
      const w = (await server.api<{ plans: Plan[] }>('/plans')).plans.find((x) => x.planId === winbackId)!;
      expect(w.kind).toBe('winback');
      expect(await analyst.textContent('[data-testid=winback-contacted-value]')).toBe(num('en', w.contacted));
      expect(await analyst.textContent('[data-testid=winback-cost-value]')).toBe(money('en', w.cost));

      await analyst.waitForFunction(
        (id) =>
          [...document.querySelectorAll('[data-testid=campaign-plan] option')].some(
            (o) => o.getAttribute('value') === id,
          ),
        planId,
      );
      await analyst.selectOption('[data-testid=campaign-plan]', planId);
      await analyst.click('[data-testid=campaign-create-submit]');
      await analyst.waitForSelector('[data-testid=campaign-created]');
      const campaigns = (await server.api<{ campaigns: Campaign[] }>('/campaigns')).campaigns;
      const made = campaigns.find((c) => c.campaignId === `CMP-${planId}`)!;
      expect(made.treatment + made.control).toBe(p.contacted);
      await analyst.waitForSelector('[data-testid=card-uplift][data-state=ready]');
      expect(await texts(analyst, '[data-testid=campaign-link].active')).toEqual([`CMP-${planId}`]);
      expect(await visibleKeys(analyst)).toEqual([]);
      expect(analystErrors).toEqual([]);
      await screenshot(analyst, 'retention-plan-en');
    } finally {
      await analyst.close();
    }
  }, 120_000);
});

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../../src/demo/index.js';
import { trainChurnFromWorkspace } from '../../../src/analysis/churn/churn-train.js';
import { readChurnModel, writeChurnModel } from '../../../src/analysis/churn/churn-model-file.js';
import { scoreChurn } from '../../../src/analysis/churn/churn-score.js';
import { fitClvModel } from '../../../src/analysis/clv/fit-clv-model.js';
import { storeFit } from '../../../src/analysis/clv/stored-fits.js';
import { planRetention } from '../../../src/analysis/planning/retention-plan.js';
import { valueRiskMatrix } from '../../../src/analysis/planning/value-risk.js';
import { planWinback } from '../../../src/analysis/planning/winback-plan.js';
import { createCampaign, evaluateCampaign } from '../../../src/analysis/campaigns/campaigns.js';
import { tempWorkspace } from '../../helpers.js';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;

beforeAll(async () => {
  ws = await tempWorkspace();
  await generateDemo(ws.engine, { customers: 3000, seed: 3 });
  const trained = await trainChurnFromWorkspace(ws.engine, { kind: 'logistic', horizons: [90] });
  const file = join(ws.dir, 'churn.json');
  writeChurnModel(file, trained.document);
  await scoreChurn(ws.engine, readChurnModel(file), { save: true, list: 0 });
}, 240_000);

afterAll(async () => {
  await ws.cleanup();
});

describe('planning on the demo workspace', () => {
  it('plans retention within the budget, never spending more than the value at stake', async () => {
    const plan = await planRetention(ws.engine, { budget: 2000, perCustomer: true });
    expect(plan.valueSource.kind).toBe('run-rate');
    expect(plan.customers).toBeGreaterThan(1000);
    expect(plan.contacted).toBeGreaterThan(10);
    expect(plan.spent).toBeLessThanOrEqual(2000);
    expect(plan.expectedNet).toBeGreaterThan(0);
    expect(plan.upperBound).toBeGreaterThanOrEqual(plan.expectedNet - 1e-9);
    const c = plan.perCustomer!;
    let spent = 0;
    for (let i = 0; i < c.customerIds.length; i++) {
      if (c.decision[i] !== 'contact') continue;
      spent += c.cost[i]!;
      expect(c.valueAtStake[i]!).toBeGreaterThan(c.cost[i]!);
      expect(c.expectedSaved[i]!).toBeGreaterThan(c.cost[i]!);
    }
    expect(spent).toBeCloseTo(plan.spent, 6);
    expect(plan.letGo.customers).toBeGreaterThan(0);
    // a campaign from the plan, and the demo's own campaign measured from the data
    const campaign = await createCampaign(ws.engine, { planId: plan.planId!, holdout: 0.2, seed: 1 });
    expect(campaign.treatment + campaign.control).toBe(plan.contacted);
    const demo = (await ws.engine.campaigns()).find((r) => r.source === 'contacts')!;
    const e = await evaluateCampaign(ws.engine, demo.campaignId, { windowDays: 180 });
    expect(e.outcomes).toBe('data');
    expect(e.overall.control.members).toBeGreaterThan(0);
    expect(e.overall.uplift!.lower).toBeLessThan(e.overall.uplift!.upper);
  }, 120_000);

  it('uses the fitted CLV model for value when there is one', async () => {
    await storeFit(ws.engine, await fitClvModel(ws.engine, { model: 'bgnbd', penalty: 0.01 }));
    const m = await valueRiskMatrix(ws.engine, { groupBy: 'plan' });
    expect(m.valueSource.kind).toBe('clv');
    expect(m.valueSource.description).toMatch(/bgnbd/);
    expect(m.valueSource.customersFromModel).toBeGreaterThan(0.9 * m.customers);
    const plan = await planRetention(ws.engine, { budget: 1000, save: false });
    expect(plan.spent).toBeLessThanOrEqual(1000);
    for (const c of plan.contacts) expect(c.valueAtStake).toBeGreaterThan(c.cost);
  }, 120_000);

  it('plans win-back over the demo leavers', async () => {
    const plan = await planWinback(ws.engine, { budget: 500 });
    expect(plan.leavers).toBeGreaterThan(100);
    expect(plan.returned).toBeGreaterThan(0);
    expect(plan.spent).toBeLessThanOrEqual(500);
    for (const c of plan.contacts) {
      expect(c.expectedValue).toBeGreaterThan(c.cost);
      expect(c.reasonCode === '335' || c.reasonCode === '345' || c.reasonCode === '380').toBe(false);
    }
  }, 60_000);
});

import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/data/import.js';
import { planRetention } from '../../../src/analysis/planning/retention-plan.js';
import {
  createCampaign,
  evaluateCampaign,
  recordCampaignOutcomes,
} from '../../../src/analysis/campaigns/campaigns.js';
import { newcombeInterval } from '../../../src/models/planning/uplift.js';
import type { Engine } from '../../../src/engine/engine.js';
import { tempWorkspace, writeText } from '../../helpers.js';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
beforeEach(async () => {
  ws = await tempWorkspace();
});
afterEach(async () => {
  await ws.cleanup();
});

/** Call for high stakes (even customers, stake 365), gift for the others (stake 36.5). */
const ACTIONS = [
  { id: 'call', name: 'call', cost: 10, costShare: 0, saveRate: 0.5, minValue: 0, source: 'test' },
  { id: 'gift', name: 'gift', cost: 1, costShare: 0, saveRate: 0.3, minValue: 0, source: 'test' },
];

async function twoHundred(engine: Engine, dir: string): Promise<string[]> {
  const ids = Array.from({ length: 200 }, (_, i) => `S${String(i).padStart(3, '0')}`);
  await importFile(engine, {
    table: 'transactions',
    file: writeText(
      dir,
      'tx.csv',
      'customer_id,date,amount\n' +
        ids.map((id, i) => `${id},2025-06-01,${i % 2 === 0 ? 180 : 18}`).join('\n') +
        '\n',
    ),
  });
  await engine.saveChurnScores({
    asOf: '2025-06-30',
    horizonDays: 90,
    model: 'test',
    customerIds: ids,
    probabilities: new Float64Array(200).fill(0.5),
    reasons: ids.map(() => '[]'),
  });
  await planRetention(engine, { budget: 100_000, actions: ACTIONS });
  return ids;
}

describe('campaigns', () => {
  it('create: a seeded holdout per action, reproducible and disjoint', async () => {
    await twoHundred(ws.engine, ws.dir);
    const a = await createCampaign(ws.engine, { holdout: 0.25, seed: 5 });
    expect(a.campaignId).toBe('CMP-P1');
    expect(a.byAction).toEqual([
      { action: 'call', treatment: 75, control: 25 },
      { action: 'gift', treatment: 75, control: 25 },
    ]);
    expect(a.treatmentCost).toBe(75 * 10 + 75 * 1);
    const b = await createCampaign(ws.engine, { holdout: 0.25, seed: 5, campaignId: 'AGAIN' });
    const c = await createCampaign(ws.engine, { holdout: 0.25, seed: 6, campaignId: 'OTHER' });
    const groups = async (id: string) =>
      (await ws.engine.campaignMembers(id, { outcomes: 'recorded' })).control.join('');
    expect(await groups('AGAIN')).toBe(await groups('CMP-P1'));
    expect(await groups('OTHER')).not.toBe(await groups('CMP-P1'));
    const members = await ws.engine.campaignMembers('CMP-P1', { outcomes: 'recorded' });
    expect(new Set(members.customerIds).size).toBe(200);
    expect(b.control + b.treatment).toBe(200);
    expect(c.control).toBe(50);
    await expect(createCampaign(ws.engine, { campaignId: 'OTHER' })).rejects.toThrow(/already exists/);
    const list = await ws.engine.campaigns();
    expect(list.map((r) => [r.campaignId, r.treatment, r.control, r.planId])).toContainEqual([
      'CMP-P1',
      150,
      50,
      'P1',
    ]);
  });

  it('record: bad files name file, line and field and record nothing; re-imports are idempotent', async () => {
    await twoHundred(ws.engine, ws.dir);
    await createCampaign(ws.engine, { holdout: 0.25, seed: 5 });
    const bad = writeText(
      ws.dir,
      'bad.csv',
      'customer_id,outcome,value,date\nS000,retained,10,2025-09-30\nS001,maybe,5,2025-09-30\nX999,churned,,2025-09-30\nS002,churned,abc,2025-13-01\nS000,retained,10,2025-09-30\n',
    );
    const error = await recordCampaignOutcomes(ws.engine, 'CMP-P1', bad).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain(`${bad}:line 3 column "outcome" value "maybe"`);
    expect(message).toContain(
      `${bad}:line 4 column "customer_id" value "X999": is not a member of the campaign`,
    );
    expect(message).toContain(`${bad}:line 5 column "value" value "abc": must be a number`);
    expect(message).toContain(`${bad}:line 5 column "date" value "2025-13-01"`);
    expect(message).toContain(
      `${bad}:line 6 column "customer_id" value "S000": appears twice (also on line 2)`,
    );
    expect((await ws.engine.campaigns())[0]!.outcomes).toBe(0);
    const missing = writeText(ws.dir, 'missing.csv', 'customer_id,value\nS000,1\n');
    await expect(recordCampaignOutcomes(ws.engine, 'CMP-P1', missing)).rejects.toThrow(
      /missing column\(s\) outcome, date/,
    );

    const good = writeText(
      ws.dir,
      'good.csv',
      'customer_id,outcome,value,date\nS000,retained,10,2025-09-30\nS001,churned,,2025-09-30\n',
    );
    expect(await recordCampaignOutcomes(ws.engine, 'CMP-P1', good)).toMatchObject({
      inserted: 2,
      updated: 0,
      unchanged: 0,
    });
    expect(await recordCampaignOutcomes(ws.engine, 'CMP-P1', good)).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 2,
    });
    const changed = writeText(
      ws.dir,
      'changed.csv',
      readFileSync(good, 'utf8').replace('S001,churned', 'S001,stayed'),
    );
    expect(await recordCampaignOutcomes(ws.engine, 'CMP-P1', changed)).toMatchObject({
      inserted: 0,
      updated: 1,
      unchanged: 1,
    });
    const m = await ws.engine.campaignMembers('CMP-P1', { outcomes: 'recorded' });
    const i = m.customerIds.indexOf('S001');
    expect([m.success[i], m.value[i]]).toEqual([1, 0]);
  });

  it('evaluate: the uplift in retention (Newcombe) and value (Welch), overall and per action', async () => {
    await twoHundred(ws.engine, ws.dir);
    await createCampaign(ws.engine, { holdout: 0.25, seed: 5 });
    const m = await ws.engine.campaignMembers('CMP-P1', { outcomes: 'recorded' });
    // treated: retained unless their number is divisible by 5 (about 80 %); control: about 60 %; value 100 if retained
    const rows = m.customerIds.map((id, i) => {
      const k = Number(id.slice(1));
      const retained = m.control[i] ? k % 5 < 3 : k % 5 !== 0;
      return `${id},${retained ? 'retained' : 'churned'},${retained ? 100 + (k % 7) : 0},2025-09-30`;
    });
    await recordCampaignOutcomes(
      ws.engine,
      'CMP-P1',
      writeText(ws.dir, 'o.csv', 'customer_id,outcome,value,date\n' + rows.join('\n') + '\n'),
    );
    const e = await evaluateCampaign(ws.engine, 'CMP-P1');
    expect(e.outcomes).toBe('recorded');
    const t = m.customerIds.map((_, i) => i).filter((i) => !m.control[i]);
    const c = m.customerIds.map((_, i) => i).filter((i) => m.control[i]);
    const kept = (idx: number[], treated: boolean) =>
      idx.filter((i) => {
        const k = Number(m.customerIds[i]!.slice(1));
        return treated ? k % 5 !== 0 : k % 5 < 3;
      }).length;
    const expected = newcombeInterval(kept(t, true), t.length, kept(c, false), c.length);
    expect(e.overall.treatment.known).toBe(150);
    expect(e.overall.control.known).toBe(50);
    expect(e.overall.uplift!.estimate).toBeCloseTo(expected.estimate, 12);
    expect(e.overall.uplift!.lower).toBeCloseTo(expected.lower, 12);
    expect(e.overall.uplift!.upper).toBeCloseTo(expected.upper, 12);
    expect(e.overall.valueUplift!.estimate).toBeGreaterThan(0);
    expect(e.overall.saveRate).toBeCloseTo(expected.estimate / (1 - kept(c, false) / 50), 12);
    expect(e.overall.netValue).toBeCloseTo(e.overall.incrementalValue! - 825, 9);
    expect(e.byAction.map((a) => [a.action, a.treatment.members, a.control.members])).toEqual([
      ['call', 75, 25],
      ['gift', 75, 25],
    ]);
    expect(e.methods.rate).toMatch(/Newcombe/);
    expect(e.methods.value).toMatch(/Welch/);
  });
});

/**
 * Recorded lifecycle stages over the API: the transitions between two month ends and the flows from each
 * month end to the next equal the engine's and the library's (and so `retain lifecycle transitions|flows
 * --json`); month ends that were not recorded are a 422, a malformed date a 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleFlows } from '../../src/analysis/lifecycle/lifecycle-flows.js';
import { startApiServer, type ApiHarness } from './harness.js';

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiServer({ customers: 1500, seed: 3 });
  const r = await api.call('/api/lifecycle/history', {
    method: 'POST',
    token: 'analyst',
    body: { from: '2025-09', to: '2025-12' },
  });
  expect((await api.waitJob(r.body.id)).status).toBe('succeeded');
}, 120_000);
afterAll(() => api?.close());

describe('lifecycle transitions and flows', () => {
  it('gives the moves between two recorded month ends, for a viewer', async () => {
    for (const model of ['states', 'four-stage'] as const) {
      const r = await api.call(`/api/lifecycle/transitions?from=2025-09-30&to=2025-12-31&model=${model}`, {
        token: 'viewer',
      });
      expect(r.status).toBe(200);
      const lib = await api.engine.lifecycleTransitions(model, '2025-09-30', '2025-12-31');
      expect(r.body).toEqual({ model, from: '2025-09-30', to: '2025-12-31', transitions: lib });
      // every customer recorded at the later month end comes from somewhere
      const total = lib.reduce((s, t) => s + t.customers, 0);
      const mix = (await api.engine.lifecycleMix(model)).filter((m) => m.monthEnd === '2025-12-31');
      expect(total).toBe(mix.reduce((s, m) => s + m.customers, 0));
    }
  });

  it('gives the flows of every step, without the stayers', async () => {
    const r = await api.call('/api/lifecycle/flows?model=states', { token: 'viewer' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual(JSON.parse(JSON.stringify(await lifecycleFlows(api.engine, 'states'))));
    expect(r.body.flows.map((f: { to: string }) => f.to)).toEqual(['2025-10-31', '2025-11-30', '2025-12-31']);
    for (const f of r.body.flows) for (const m of f.moves) expect(m.from).not.toBe(m.to);
  });

  it('refuses month ends that were not recorded (422) and malformed ones (400); needs a token', async () => {
    const missing = await api.call('/api/lifecycle/transitions?from=2024-01-31&to=2025-12-31');
    expect(missing.status).toBe(422);
    expect(missing.body.error.message).toContain('retain lifecycle history');
    expect((await api.call('/api/lifecycle/transitions?from=2025-9-30&to=2025-12-31')).status).toBe(400);
    expect((await api.call('/api/lifecycle/flows?model=nope')).status).toBe(400);
    expect((await api.call('/api/lifecycle/flows', { token: null })).status).toBe(401);
  });
});

/**
 * Job records live in the workspace: a restarted server lists the jobs of the previous one with their
 * results and errors, and a job that was running when the server stopped shows as failed, interrupted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type App } from '../../src/server/app.js';
import { startApiServer, type ApiHarness } from './harness.js';

let api: ApiHarness;
let second: App | null = null;

beforeAll(async () => {
  api = await startApiServer({ customers: 300 });
}, 60_000);
afterAll(async () => {
  await second?.close();
  await api?.close();
});

function csvForm(name: string, content: string): FormData {
  const form = new FormData();
  form.append('table', 'customers');
  form.append('file', new Blob([content], { type: 'text/csv' }), name);
  return form;
}

describe('job records', () => {
  it('survive a restart, and a job cut off by the stop is failed', async () => {
    const good = await api.call('/api/imports', {
      method: 'POST',
      form: csvForm('new.csv', 'customer_id,region\nNEW1,North\n'),
    });
    const bad = await api.call('/api/imports', {
      method: 'POST',
      form: csvForm('bad.csv', 'customer_id,age\nB1,old\n'),
    });
    const goodJob = await api.waitJob(good.body.id);
    const badJob = await api.waitJob(bad.body.id);
    expect([goodJob.status, badJob.status]).toEqual(['succeeded', 'failed']);
    await api.app.close();
    // a job that was running when a server died (written as the store writes it)
    await api.engine.saveJob({
      id: 'cut-off',
      kind: 'churn-train',
      status: 'running',
      createdBy: 'someone (T9)',
      createdAt: '2020-01-01T00:00:00.000Z',
      startedAt: '2020-01-01T00:00:01.000Z',
      finishedAt: null,
      params: { horizons: [90] },
      result: null,
      error: null,
    });

    second = await createServer({ engine: api.engine, dbPath: api.ws.db, auth: 'tokens' });
    const base = (await second.listen({ port: 0, host: '127.0.0.1' })).replace(/\/$/, '');
    const get = async (path: string) =>
      (await fetch(base + path, { headers: { authorization: `Bearer ${api.tokens.viewer}` } })).json();
    const list = (await get('/api/jobs')) as { jobs: { id: string; status: string }[] };
    expect(list.jobs.map((j) => j.id)).toEqual([bad.body.id, good.body.id, 'cut-off']);
    const again = await get(`/api/jobs/${good.body.id}`);
    expect(again).toMatchObject({ status: 'succeeded', result: goodJob.result, params: goodJob.params });
    expect((await get(`/api/jobs/${bad.body.id}`)).error).toEqual(badJob.error);
    const cut = await get('/api/jobs/cut-off');
    expect(cut.status).toBe('failed');
    expect(cut.error.message).toContain('server stopped');
    // and it is recorded so: a third start would not fail it again
    const stored = await api.engine.storedJobs(10);
    expect(stored.find((j) => j.id === 'cut-off')?.status).toBe('failed');
  });
});

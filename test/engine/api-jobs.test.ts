/** Server job records in a real DuckDB workspace: saved, replaced as they move on, read back newest first. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredJob } from '../../src/engine/job-types.js';
import { tempWorkspace } from '../helpers.js';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
beforeAll(async () => {
  ws = await tempWorkspace();
});
afterAll(() => ws.cleanup());

const job = (id: string, createdAt: string, extra: Partial<StoredJob> = {}): StoredJob => ({
  id,
  kind: 'import',
  status: 'queued',
  createdBy: 'test (T1)',
  createdAt,
  startedAt: null,
  finishedAt: null,
  params: { table: 'transactions', file: 'orders.csv' },
  result: null,
  error: null,
  ...extra,
});

describe('stored jobs', () => {
  it('keeps the latest state of each job and lists the newest first', async () => {
    await ws.engine.saveJob(job('a', '2026-01-01T10:00:00.000Z'));
    await ws.engine.saveJob(job('b', '2026-01-01T11:00:00.000Z'));
    await ws.engine.saveJob(
      job('a', '2026-01-01T10:00:00.000Z', {
        status: 'succeeded',
        startedAt: '2026-01-01T10:00:01.000Z',
        finishedAt: '2026-01-01T10:00:05.000Z',
        result: { inserted: 4, table: 'transactions' },
      }),
    );
    await ws.engine.saveJob(
      job('b', '2026-01-01T11:00:00.000Z', {
        status: 'failed',
        error: { code: 'unprocessable', message: 'bad', details: { issues: [{ line: 3 }] } },
      }),
    );
    const jobs = await ws.engine.storedJobs(10);
    expect(jobs.map((j) => [j.id, j.status])).toEqual([
      ['b', 'failed'],
      ['a', 'succeeded'],
    ]);
    expect(jobs[1]).toEqual(
      job('a', '2026-01-01T10:00:00.000Z', {
        status: 'succeeded',
        startedAt: '2026-01-01T10:00:01.000Z',
        finishedAt: '2026-01-01T10:00:05.000Z',
        result: { inserted: 4, table: 'transactions' },
      }),
    );
    expect(jobs[0]!.error).toEqual({
      code: 'unprocessable',
      message: 'bad',
      details: { issues: [{ line: 3 }] },
    });
    expect(await ws.engine.storedJobs(1)).toHaveLength(1);
  });
});

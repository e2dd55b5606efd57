import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/data/import.js';
import { surveyList, surveySummary } from '../../../src/analysis/planning/survey.js';
import { tempWorkspace, writeText } from '../../helpers.js';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
beforeEach(async () => {
  ws = await tempWorkspace();
});
afterEach(async () => {
  await ws.cleanup();
});

describe('survey workflow', () => {
  it('lists customers absent six months and summarises the answers', async () => {
    const { engine, dir } = ws;
    await importFile(engine, {
      table: 'transactions',
      file: writeText(
        dir,
        'v.csv',
        'customer_id,date,amount,kind\nV1,2025-11-20,200,visit\nV2,2025-05-10,150,visit\nV3,2025-06-30,90,visit\n',
      ),
    });
    const list = await surveyList(engine, { asOf: '2025-12-31' });
    expect(list.list.map((c) => c.customerId)).toEqual(['V2', 'V3']); // last visit on or before 2025-06-30
    expect(list.toSurvey).toBe(2);

    await importFile(engine, {
      table: 'interactions',
      file: writeText(
        dir,
        's.csv',
        'customer_id,date,kind,metric,value,note\n' +
          'V2,2026-01-05,survey,nps,3,\nV3,2026-01-06,survey,nps,9,\nV1,2026-01-06,survey,nps,10,\nV2,2026-01-05,survey,nps,6,\n' +
          'V2,2026-01-05,survey,why_left,2,price\nV3,2026-01-06,survey,why_left,4,price\nV3,2026-01-06,survey,why_left,1,service\n' +
          'V1,2026-01-06,complaint,,,\n',
      ),
      allowFuture: true,
    });
    const s = await surveySummary(engine);
    expect(s.answers).toBe(7);
    expect(s.customers).toBe(3);
    const nps = s.questions.find((q) => q.metric === 'nps')!;
    expect(nps.answers).toBe(4);
    expect(nps.meanRating).toBe(7);
    expect(nps.nps).toBe(0); // 2 of 4 promoters - 2 of 4 detractors
    expect(nps.lowShare).toBe(0.5);
    const why = s.questions.find((q) => q.metric === 'why_left')!;
    expect(why.topAnswers).toEqual([
      { answer: 'price', count: 2, meanRating: 3 },
      { answer: 'service', count: 1, meanRating: 1 },
    ]);
    const later = await surveySummary(engine, { from: '2026-01-06' });
    expect(later.answers).toBe(4);
  });
});

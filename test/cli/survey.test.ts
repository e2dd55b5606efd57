import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { retain, tempDir, writeText } from '../helpers.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('retain survey', () => {
  it('list and summary', () => {
    const db = join(tmp.dir, 'w.duckdb');
    const visits = writeText(
      tmp.dir,
      'v.csv',
      'customer_id,date,amount,kind\nV1,2025-11-20,200,visit\nV2,2025-05-10,150,visit\n',
    );
    expect(retain(['--db', db, 'import', 'transactions', visits]).code).toBe(0);
    const list = JSON.parse(retain(['--db', db, 'survey', 'list', '--as-of', '2025-12-31', '--json']).stdout);
    expect(list.list.map((c: { customerId: string }) => c.customerId)).toEqual(['V2']);
    expect(list.months).toBe(6);
    const answers = writeText(
      tmp.dir,
      's.csv',
      'customer_id,date,kind,metric,value,note\nV2,2025-12-01,survey,why_left,2,price\nV2,2025-12-01,survey,nps,4,\n',
    );
    expect(retain(['--db', db, 'import', 'interactions', answers]).code).toBe(0);
    const s = JSON.parse(retain(['--db', db, 'survey', 'summary', '--json']).stdout);
    expect(s.answers).toBe(2);
    expect(s.questions.find((q: { metric: string }) => q.metric === 'why_left').topAnswers).toEqual([
      { answer: 'price', count: 1, meanRating: 2 },
    ]);
    const text = retain(['--db', db, 'survey', 'summary']);
    expect(text.stdout).toMatch(/2 survey answers from 1 customers/);
  });
});

import { describe, expect, it } from 'vitest';
import { cohortRetention } from '../../../src/models/survival/cohort-retention.js';
import { SurvivalInputError } from '../../../src/models/survival/errors.js';

describe('cohort retention matrix', () => {
  it('builds the censored triangle with counts, shares and pooled retention', () => {
    const m = cohortRetention([
      { cohort: '2024-03', monthsObserved: 3, churnMonth: null, count: 6 },
      { cohort: '2024-03', monthsObserved: 3, churnMonth: 1, count: 2 },
      { cohort: '2024-03', monthsObserved: 3, churnMonth: 3, count: 2 },
      { cohort: '2024-10', monthsObserved: 1, churnMonth: 0 },
      { cohort: '2024-10', monthsObserved: 1, churnMonth: null, count: 3 },
      { cohort: '2024-04', monthsObserved: 2, churnMonth: 2, count: 5 },
      { cohort: '2024-04', monthsObserved: 2, churnMonth: null, count: 5 },
    ]);
    expect(m.cohorts).toEqual(['2024-03', '2024-04', '2024-10']);
    expect(m.size).toEqual([10, 10, 4]);
    expect(m.monthsObserved).toEqual([3, 2, 1]);
    expect(m.months).toEqual([0, 1, 2, 3]);
    expect(m.active).toEqual([
      [10, 8, 8, 6],
      [10, 10, 5, null],
      [3, 3, null, null],
    ]);
    expect(m.share).toEqual([
      [1, 0.8, 0.8, 0.6],
      [1, 1, 0.5, null],
      [0.75, 0.75, null, null],
    ]);
    // Month 2 pools only the two cohorts old enough: (8 + 5) / 20.
    expect(m.pooled.map((p) => [p.month, p.size, p.share])).toEqual([
      [0, 24, 23 / 24],
      [1, 24, 21 / 24],
      [2, 20, 13 / 20],
      [3, 10, 0.6],
    ]);
  });

  it('handles no rows and rejects impossible rows', () => {
    expect(cohortRetention([]).months).toEqual([]);
    expect(() => cohortRetention([{ cohort: 'a', monthsObserved: 2, churnMonth: 3 }])).toThrow(
      SurvivalInputError,
    );
    expect(() => cohortRetention([{ cohort: 'a', monthsObserved: -1, churnMonth: null }])).toThrow(
      SurvivalInputError,
    );
    expect(() => cohortRetention([{ cohort: 'a', monthsObserved: 1, churnMonth: null, count: -2 }])).toThrow(
      SurvivalInputError,
    );
  });
});

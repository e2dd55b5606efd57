/** The survey summary's options and result shaping, once for both engines (only the SQL differs). */
import type { Row } from './engine.js';
import type { SurveySummary, SurveySummaryOptions } from './planning-types.js';
import { UserError } from '../util/errors.js';
import { checkIsoDate } from '../util/dates.js';

/** The checked options: the rating at or below which an answer is low, and how many top answers. */
export function checkSurveyOptions(options: SurveySummaryOptions): { lowAt: number; top: number } {
  checkIsoDate('--from', options.from);
  checkIsoDate('--to', options.to);
  const lowAt = options.lowAt ?? 6;
  if (!Number.isFinite(lowAt)) throw new UserError('--low must be a number');
  const top = options.topAnswers ?? 5;
  if (!(Number.isInteger(top) && top >= 0)) throw new UserError('--top must be a whole number >= 0');
  return { lowAt, top };
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * `totals`: `n`, `c`; `questions`: `metric`, `answers`, `customers`, `mean`, `low`, `nps`;
 * `answers`: `metric`, `note`, `n`, `mean` (the most frequent answers per question).
 */
export function surveySummaryOf(
  options: SurveySummaryOptions,
  totals: Row,
  questions: readonly Row[],
  answers: readonly Row[],
): SurveySummary {
  return {
    from: options.from ?? null,
    to: options.to ?? null,
    answers: Number(totals.n),
    customers: Number(totals.c),
    questions: questions.map((q) => ({
      metric: String(q.metric),
      answers: Number(q.answers),
      customers: Number(q.customers),
      meanRating: num(q.mean),
      lowShare: num(q.low),
      nps: num(q.nps),
      topAnswers: answers
        .filter((a) => a.metric === q.metric)
        .map((a) => ({ answer: String(a.note), count: Number(a.n), meanRating: num(a.mean) })),
    })),
  };
}

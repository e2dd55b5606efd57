/**
 * The after-sales churn survey workflow (DOMAIN 6): screen the customers absent for six months (the
 * dealer's survey list, `alerts dealer`), survey why (answers imported as interactions of kind `survey`:
 * metric = question or reason, value = rating, note = answer), and summarise the reasons.
 */
import type { Engine } from '../../engine/engine.js';
import type { DealerCustomerRow } from '../../engine/alert-types.js';
import type { SurveySummary, SurveySummaryOptions } from '../../engine/planning-types.js';
import { UserError } from '../../util/errors.js';
import { DEFAULT_ALERT_RULES, dealerSpec } from '../alerts/rules.js';

export interface SurveyListOptions {
  readonly asOf?: string;
  /** Months without a visit before a customer is surveyed (default 6). */
  readonly months?: number;
  /** Transaction kinds that count as visits (default: visit). */
  readonly visitKinds?: readonly string[];
  /** Customers to list, longest absence first (default 50). */
  readonly list?: number;
  readonly perCustomer?: boolean;
}

export interface SurveyList {
  readonly asOf: string;
  readonly months: number;
  readonly visitKinds: readonly string[];
  readonly customers: number;
  readonly toSurvey: number;
  readonly neverVisited: number;
  readonly list: readonly DealerCustomerRow[];
  readonly perCustomer: { readonly customerIds: readonly string[]; readonly daysAbsent: Float64Array } | null;
}

/**
 * @example const list = await surveyList(engine, { months: 6 });
 */
export async function surveyList(engine: Engine, options: SurveyListOptions = {}): Promise<SurveyList> {
  const months = options.months ?? 6;
  if (!(Number.isInteger(months) && months >= 1)) throw new UserError('--months must be a whole number >= 1');
  const spec = dealerSpec(DEFAULT_ALERT_RULES);
  const visitKinds = options.visitKinds ?? spec.visitKinds;
  const result = await engine.dealerGrades({
    ...spec,
    visitKinds,
    surveyAfterMonths: months,
    ...(options.asOf ? { asOf: options.asOf } : {}),
    list: options.list ?? 50,
    perCustomer: options.perCustomer ?? false,
  });
  let perCustomer: SurveyList['perCustomer'] = null;
  if (result.perCustomer) {
    const keep: number[] = [];
    result.perCustomer.survey.forEach((s, i) => {
      if (s === 1) keep.push(i);
    });
    perCustomer = {
      customerIds: keep.map((i) => result.perCustomer!.customerIds[i]!),
      daysAbsent: Float64Array.from(keep, (i) => result.perCustomer!.daysAbsent[i]!),
    };
  }
  return {
    asOf: result.asOf,
    months,
    visitKinds,
    customers: result.customers,
    toSurvey: result.survey,
    neverVisited: result.surveyNeverVisited,
    list: result.list,
    perCustomer,
  };
}

/**
 * @example const s = await surveySummary(engine, { from: '2025-01-01' }); s.questions[0].topAnswers
 */
export function surveySummary(engine: Engine, options: SurveySummaryOptions = {}): Promise<SurveySummary> {
  return engine.surveySummary(options);
}

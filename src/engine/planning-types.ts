/** What engines return for retention / win-back planning, campaigns and surveys (DOMAIN 6). */

export const PLAN_GROUP_ATTRIBUTES = ['segment', 'region', 'plan', 'channel'] as const;
export type PlanGroupAttribute = (typeof PLAN_GROUP_ATTRIBUTES)[number];

export interface PlanningCustomerOptions {
  /** Day of the stored churn scores (default: the latest stored day). */
  readonly asOf?: string;
  readonly horizonDays: number;
  /** Customer attribute returned as `group` (default segment). */
  readonly groupBy?: PlanGroupAttribute;
  /**
   * Value per customer from a CLV model; customers not in it (and all customers without it) fall back to the
   * run rate: net margin (revenue where no cost is recorded) of the 90 days up to the as-of day x 365 / 90.
   */
  readonly values?: { readonly customerIds: readonly string[]; readonly values: Float64Array } | null;
}

/** One row per scored customer, ordered by customer id (joined in the engine). */
export interface PlanningCustomers {
  readonly asOf: string;
  readonly horizonDays: number;
  /** Models that produced the scores (the `model` column). */
  readonly scoreModels: readonly string[];
  readonly customerIds: readonly string[];
  readonly probability: Float64Array;
  readonly value: Float64Array;
  /** 1 where the value came from `values`, 0 where from the run rate. */
  readonly fromModel: Uint8Array;
  readonly group: readonly string[];
}

export interface StoredPlanItem {
  readonly customerId: string;
  readonly action: string;
  readonly cost: number;
  readonly probability: number;
  readonly value: number;
  readonly expectedSaved: number;
}

export interface StoredPlanInput {
  readonly kind: 'retention' | 'winback';
  readonly asOf: string;
  readonly budget: number;
  /** The plan's summary (options, totals) as JSON. */
  readonly document: unknown;
  readonly items: readonly StoredPlanItem[];
}

export interface StoredPlan {
  readonly planId: string;
  readonly kind: 'retention' | 'winback';
  readonly createdAt: string;
  readonly asOf: string;
  readonly budget: number;
  readonly document: unknown;
  readonly items: readonly StoredPlanItem[];
}

export interface LostCustomerOptions {
  /** Default: the last day with data (latest churn event, transaction or subscription start). */
  readonly asOf?: string;
  /** Only leavers since this day. */
  readonly since?: string;
  /** An attempt with no recorded outcome and no return counts as failed once it is this old (default 180). */
  readonly attemptWindowDays?: number;
}

/**
 * The lost-customer database: one row per customer with a churn event, their latest one. Contact details
 * come from the customer attributes `email` / `phone` when imported.
 */
export interface LostCustomer {
  readonly customerId: string;
  readonly churnDate: string;
  readonly reasonCode: string | null;
  readonly reason: string | null;
  readonly type: string | null;
  readonly note: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  /** Win-back attempts since the churn date (contacts and campaign members of win-back campaigns). */
  readonly attempts: number;
  readonly lastAttempt: string | null;
  readonly lastOutcome: string | null;
  /** First return after the churn date (a new subscription; without subscriptions, a transaction). */
  readonly returnedOn: string | null;
  /** Revenue (margin where costs are recorded) of the 365 days before leaving, scaled to a year. */
  readonly annualValue: number;
}

export interface WinbackAttemptStats {
  /** Per reason code ('' = none): attempts with a known result and successes. */
  readonly reasonCode: string;
  readonly attempts: number;
  readonly successes: number;
}

export interface LostCustomers {
  readonly asOf: string;
  readonly customers: readonly LostCustomer[];
  readonly attemptStats: readonly WinbackAttemptStats[];
}

export interface CampaignCreateInput {
  readonly campaignId: string;
  readonly name: string;
  readonly kind: 'retention' | 'winback';
  readonly startDate: string;
  readonly planId: string | null;
  readonly holdout: number;
  readonly seed: number;
  readonly members: readonly {
    readonly customerId: string;
    readonly group: 'treatment' | 'control';
    readonly action: string;
    readonly cost: number;
    readonly probability: number;
    readonly value: number;
    readonly expectedSaved: number;
  }[];
}

export interface CampaignOutcomeRow {
  readonly customerId: string;
  /** Normalised: retained, churned, won_back or lost. */
  readonly outcome: string;
  readonly value: number | null;
  readonly date: string;
}

export interface CampaignOutcomeImport {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

export interface CampaignMemberQuery {
  /** recorded: the outcomes recorded with `campaign record`; data: from the workspace (see engine). */
  readonly outcomes: 'recorded' | 'data';
  /** data: days after the start in which a churn event counts and value is summed (default 90). */
  readonly windowDays?: number;
}

export interface CampaignMembers {
  readonly campaignId: string;
  readonly kind: string | null;
  readonly startDate: string | null;
  /** `members`: created with `campaign create`; `contacts`: imported contacts. */
  readonly source: 'members' | 'contacts';
  readonly customerIds: readonly string[];
  readonly control: Uint8Array;
  readonly action: readonly string[];
  readonly cost: Float64Array;
  /** 1 success (retained / won back), 0 failure, NaN unknown. */
  readonly success: Float64Array;
  /** Value realised in the outcome window (NaN unknown). */
  readonly value: Float64Array;
  /** Expected saved value at creation (NaN for imported contacts). */
  readonly expectedSaved: Float64Array;
}

export interface CampaignListRow {
  readonly campaignId: string;
  readonly name: string | null;
  readonly kind: string | null;
  readonly startDate: string | null;
  readonly planId: string | null;
  readonly treatment: number;
  readonly control: number;
  readonly outcomes: number;
  readonly source: 'members' | 'contacts';
}

export interface SurveySummaryOptions {
  readonly from?: string;
  readonly to?: string;
  /** Ratings at or below this count as low (default 6: NPS detractors on 0-10). */
  readonly lowAt?: number;
  /** Answers (notes) per question to list (default 5). */
  readonly topAnswers?: number;
}

export interface SurveyQuestionSummary {
  readonly metric: string;
  readonly answers: number;
  readonly customers: number;
  readonly meanRating: number | null;
  readonly lowShare: number | null;
  /** Net promoter score on 0-10 ratings: % 9-10 minus % 0-6 (null unless every rating is 0-10). */
  readonly nps: number | null;
  readonly topAnswers: readonly {
    readonly answer: string;
    readonly count: number;
    readonly meanRating: number | null;
  }[];
}

export interface SurveySummary {
  readonly from: string | null;
  readonly to: string | null;
  readonly answers: number;
  readonly customers: number;
  readonly questions: readonly SurveyQuestionSummary[];
}

/** Stored campaign outcomes: the first two count as success, the others as failure. */
export const CAMPAIGN_OUTCOMES = ['retained', 'won_back', 'churned', 'lost'] as const;
export type CampaignOutcome = (typeof CAMPAIGN_OUTCOMES)[number];
/** Words in a file (or an imported contact's free-text outcome) read as a success or a failure. */
export const OUTCOME_SUCCESS_WORDS = [
  'retained',
  'stayed',
  'saved',
  'won_back',
  'returned',
  'success',
] as const;
export const OUTCOME_FAILURE_WORDS = ['churned', 'left', 'lost', 'not_returned', 'failed'] as const;
/** Imported win-back contacts: an accepted offer counts as won back; a refusal as a failed attempt. */
export const WINBACK_SUCCESS_WORDS = [...OUTCOME_SUCCESS_WORDS, 'accepted'] as const;
export const WINBACK_FAILURE_WORDS = [...OUTCOME_FAILURE_WORDS, 'declined', 'refused', 'no_answer'] as const;

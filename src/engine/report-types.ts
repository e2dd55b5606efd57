/**
 * Churn-report aggregates an engine computes (DOMAIN.md 5.5): the monthly churn flow of the subscriber base
 * and the churners with their type, reason and revenue, per month and optionally per group. Definitions of
 * every number: docs/reports.md.
 */
import type { ReasonCode } from '../data/reason-codes.js';

/** What a report can be split by: customer attributes, the plan in force, the relationship stage, tenure. */
export const REPORT_DIMENSIONS = ['region', 'plan', 'channel', 'segment', 'stage', 'tenure'] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/** Tenure bands in months (lower bound inclusive), of the relationship (spell) at the moment counted. */
export const TENURE_BANDS = [
  '0-3 months',
  '3-6 months',
  '6-12 months',
  '12-24 months',
  '24+ months',
] as const;

/**
 * Relationship stages by the length of the relationship at the moment counted (the patterns of DOMAIN 3 with
 * the default lifecycle thresholds: 90 days, 365 days, 1095 days).
 */
export const STAGE_BANDS = [
  'I exploration',
  'II formation',
  'III early stability',
  'IV long stable',
] as const;

/** Churn types of a churner: from the churn event, else its reason code; `unknown` without either. */
export const CHURN_TYPES = ['voluntary', 'involuntary', 'unknown'] as const;
export type ChurnType = (typeof CHURN_TYPES)[number];

export interface ChurnReportOptions {
  /** First month `YYYY-MM` (default: the month of the first subscription start or churn event). */
  readonly from?: string;
  /** Last month `YYYY-MM` (default: the month of the latest subscription date or churn event). */
  readonly to?: string;
  /** Split every number by this dimension; absent or null: one group `all`. */
  readonly by?: ReportDimension | null;
  /**
   * Transaction kinds that count as revenue; absent: `bill` when the workspace has bills, else every kind;
   * null: every kind.
   */
  readonly revenueKinds?: readonly string[] | null;
  /** A churn event belongs to a subscription end within this many days of it (default 31). */
  readonly matchDays?: number;
}

/** Per month and group: the flow of the subscriber base (customers), accounts and revenue. */
export interface ChurnFlowAggregate {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly group: string;
  /** Customers with an active relationship at the month's opening (active on its first day, started before). */
  readonly start: number;
  /** Relationships (customers) starting in the month. */
  readonly new: number;
  /** Relationships ending in the month whose churn event is voluntary / involuntary. */
  readonly voluntary: number;
  readonly involuntary: number;
  /** Relationships ending in the month without a churn event, or with one of unknown type. */
  readonly otherEnds: number;
  /** Customers active at the month's close (its last day, not ending that day). */
  readonly end: number;
  /** Subscription rows (accounts) active at the opening, and closed in the month (not replaced next day). */
  readonly accountsStart: number;
  readonly closedAccounts: number;
  /** Average monthly revenue (docs/reports.md) of the customers at the opening, and of those who ended. */
  readonly revenueStart: number;
  readonly revenueLost: number;
  /** Churn events in the month that match no subscription end (reported, not subtracted). */
  readonly eventsWithoutEnd: number;
}

export interface ChurnFlowAggregates {
  readonly from: string;
  readonly to: string;
  readonly by: ReportDimension | null;
  /** Transaction kinds used for revenue; null: every kind. */
  readonly revenueKinds: readonly string[] | null;
  /** Ordered by month, then group. Groups without any number in a month are left out. */
  readonly rows: readonly ChurnFlowAggregate[];
}

/** Per month, group, type and reason code: the churners (relationship ends and unmatched churn events). */
export interface ChurnerAggregate {
  readonly month: string;
  readonly group: string;
  readonly type: ChurnType;
  /** `(none)` when the end has no churn event or the event no code. */
  readonly reasonCode: string;
  /** The code's reason and cause family from the workspace taxonomy, `(none)` / `other` without a code. */
  readonly reason: string;
  readonly family: string;
  readonly churners: number;
  /** Sum of the churners' average monthly revenue. */
  readonly revenueLost: number;
  /** Of `churners`, those counted from a churn event without a subscription end. */
  readonly eventsWithoutEnd: number;
}

export interface ChurnerAggregates {
  readonly from: string;
  readonly to: string;
  readonly by: ReportDimension | null;
  readonly revenueKinds: readonly string[] | null;
  readonly rows: readonly ChurnerAggregate[];
}

export type { ReasonCode };

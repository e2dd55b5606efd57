/**
 * The demo operator's world: attribute mixes, prices and the planted churn model. docs/demo-data.md
 * states the same numbers; keep the two in step. Plans, regions etc. are indexed by position.
 */
import { cumulative } from './distributions.js';
import { dayInMonth, daysFromCivil, monthIndex, civilFromDays } from './calendar.js';

/** Months of history ending with the month of the end date. */
export const WINDOW_MONTHS = 48;

export const REGIONS = ['North', 'South', 'East', 'West', 'Central'] as const;
export const REGION_CUM = cumulative([0.22, 0.24, 0.2, 0.18, 0.16]);
/** Mean monthly dropped-call rate (percent) of a region's customers: West and Central have poor coverage. */
export const REGION_DCR = [1.0, 1.2, 0.9, 2.2, 1.6] as const;
/** Spread (log-normal sigma) of the customer's own dropped-call level around the region mean. */
export const DCR_CUSTOMER_SIGMA = 0.45;
/** Month-to-month noise (log-normal sigma) of the recorded dropped-call rate. */
export const DCR_MONTH_SIGMA = 0.3;

export const CHANNELS = ['store', 'online', 'telesales', 'partner'] as const;
export const CHANNEL_CUM = cumulative([0.35, 0.3, 0.15, 0.2]);
/** Mean acquisition cost per channel (times log-normal noise, sigma 0.25). */
export const CHANNEL_CAC = [120, 60, 90, 100] as const;
/** Voluntary churn hazard multiplier per channel. */
export const CHANNEL_MULT = [1.0, 1.0, 1.2, 1.0] as const;

export const PLANS = ['Basic', 'Standard', 'Premium', 'Unlimited'] as const;
/** Plan mix by usage appetite: low (< 0.8), middle, high (> 1.3). */
export const PLAN_CUM_BY_APPETITE = [
  cumulative([0.5, 0.35, 0.1, 0.05]),
  cumulative([0.3, 0.4, 0.2, 0.1]),
  cumulative([0.15, 0.3, 0.35, 0.2]),
] as const;
/** Voluntary churn hazard multiplier per plan: high-value plans churn less. */
export const PLAN_MULT = [1.3, 1.0, 0.7, 0.55] as const;
/** Monthly fees: list price, after the first price rise (Basic/Standard only), after the second (all). */
export const PLAN_FEES = [
  [15, 30, 50, 70],
  [17, 33, 50, 70],
  [18.5, 35.5, 54, 75],
] as const;
/** Price rises take effect on the 1st of these months of the window (0 = first month). */
export const PRICE_RISE_MONTHS = [27, 39] as const;
/** Usage-driven extras on the bill as a share of the fee at usage factor 1. */
export const PLAN_EXTRA_SHARE = [0.45, 0.35, 0.25, 0.1] as const;
export const PLAN_MINUTES = [150, 300, 500, 700] as const;
export const PLAN_DATA_GB = [1, 4, 10, 25] as const;
export const HANDSET_P = [0.3, 0.45, 0.6, 0.7] as const;
export const HANDSET_PRICE = [199, 349, 599, 899] as const;

export const CONTRACTS = ['month-to-month', '12-month', '24-month'] as const;
export const CONTRACT_CUM = cumulative([0.4, 0.35, 0.25]);
/** Commitment term in months (0 = none); terms renew automatically. */
export const CONTRACT_TERM = [0, 12, 24] as const;
export const CONTRACT_MULT = [1.0, 0.55, 0.4] as const;
/** Hazard multiplier in the last month of each term (the out-of-contract window). */
export const TERM_END_MULT = 2.5;

/** Baseline monthly hazard of deciding to leave (voluntary, all reasons but relocation). */
export const H0 = 0.016;
/** Cause weights of the voluntary reasons (they sum to 0.85 at baseline). */
export const W_PRICE = 0.25; // 101
export const W_PROMOTION = 0.2; // 102
export const W_SERVICE = 0.15; // 103
export const W_NETWORK = 0.15; // 205
export const W_BILLING = 0.1; // 207
/** A price rise in the current or the two previous billing months multiplies the price weight. */
export const PRICE_RISE_MULT = 5;
export const YOUNG_PROMOTION_MULT = 1.5; // age < 30
/** A complaint of a category in the three billing months before multiplies its reason's weight... */
export const COMPLAINT_CAUSE_MULT = 6;
/** ...and any complaint in that window multiplies the whole voluntary hazard. */
export const COMPLAINT_MULT = 1.5;
/** Network weight by the mean recorded dropped-call rate (percent) of the last three months. */
export function dcrMult(dcr3: number): number {
  return dcr3 >= 3 ? 6 : dcr3 >= 2 ? 3 : 1;
}
export function tenureMult(months: number): number {
  return months < 6 ? 1.3 : months < 24 ? 1.0 : 0.8;
}
export const RETURNER_MULT = 1.3;
/** Accepting the retention offer halves the voluntary hazard for six months. */
export const OFFER_MULT = 0.5;

/** Relocation (210): own hazard, not affected by the multipliers above, seasonal; leaves at once. */
export const H_RELOCATION = 0.0015;
/** Involuntary hazards: credit (335), fraud (345, mostly in the first 3 months), non-use (380). */
export const H_CREDIT = 0.0015;
export const H_FRAUD_EARLY = 0.003;
export const H_FRAUD = 0.0001;
export const H_NONUSE_LOW_USER = 0.004;
export const H_NONUSE = 0.0004;
/** Customers with usage appetite below this are "low users". */
export const LOW_USER_APPETITE = 0.5;

/** Seasonality (calendar month Jan..Dec) of leaving: exits from the decline phase and relocations. */
export const SEASON = [1.5, 1.1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.4, 1.15, 1.0, 0.85] as const;
/**
 * Seasonality of the voluntary decision: SEASON one month ahead (decisions peak in December and August,
 * so that exits, which follow 1-5 months later, peak in January and September).
 */
export const DECISION_SEASON = SEASON.map((_, m) => SEASON[(m + 1) % 12]!);
/** Decline phase after a voluntary decision: usage factor by month since the decision (then 0.1). */
export const DECLINE_FACTOR = [1, 0.7, 0.49] as const;
export const DORMANT_FACTOR = 0.1;
/** Monthly probability of leaving during the decline phase (times SEASON); forced in the 5th month. */
export const EXIT_Q = 0.45;
export const MAX_DECLINE_MONTHS = 5;
/** Non-use: months of zero usage between the decision and disconnection. */
export const NONUSE_DORMANT_MONTHS = 3;
export const DOWNGRADE_P = 0.3;
export const UPGRADE_P = 0.004;

/** Probability that a voluntary leaver returns 90-365 days later, by reason. */
export const WINBACK_P: Readonly<Record<string, number>> = {
  '101': 0.3,
  '102': 0.3,
  '103': 0.2,
  '205': 0.15,
  '207': 0.25,
  '210': 0.05,
};
export const WINBACK_MIN_DAYS = 90;
export const WINBACK_MAX_DAYS = 365;
export const WINBACK_DOWNGRADE_P = 0.3;

/** Per-month event probabilities. */
export const P_SERVICE_COMPLAINT = 0.006;
export const P_BILLING_COMPLAINT = 0.005;
export const P_BILLING_COMPLAINT_PRICE_RISE = 0.02;
/** Network complaints: 0.004 + 0.012 per dropped-call point above 1.5%. */
export const P_NETWORK_COMPLAINT = 0.004;
export const P_NETWORK_COMPLAINT_PER_DCR = 0.012;
export const DECLINE_COMPLAINT_MULT = 2.5;
export const P_SERVICE_CALL = 0.08;
export const P_SURVEY = 0.04;
export const P_ACCESSORY = 0.03;
export const P_HANDSET_UPGRADE = 0.02;

/** Acquisition weights per window month: growth, and seasonality by calendar month. */
export const ACQ_SEASON = [0.9, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.05, 1.15, 1.0, 1.1, 1.3] as const;

/** The retention campaign (on the 1st of this window month), its offer and its effects. */
export const CAMPAIGN_MONTH = 42;
export const CAMPAIGN_CONTROL_SHARE = 0.2;
export const CAMPAIGN_COST_PER_CONTACT = 3;
export const CAMPAIGN_ACCEPT_P = 0.35;
export const CAMPAIGN_DECLINE_P = 0.45;
export const CAMPAIGN_RESCUE_P = 0.6;
export const CAMPAIGN_DISCOUNT = 0.2;
export const CAMPAIGN_EFFECT_MONTHS = 6;

export interface DemoCampaign {
  readonly id: string;
  readonly name: string;
  readonly offer: string;
  readonly startDay: number;
  readonly endDay: number;
}

/** The dated facts of one demo world: its window, price schedule and campaign. */
export interface DemoScenario {
  readonly startDay: number;
  readonly endDay: number;
  /** Days from which PLAN_FEES[i + 1] applies. */
  readonly priceRiseDays: readonly number[];
  readonly campaign: DemoCampaign | null;
  /** Cumulative acquisition weights over the window months and the first month index. */
  readonly acquisitionCum: readonly number[];
  readonly firstMonth: number;
}

export function buildScenario(endDay: number): DemoScenario {
  const end = civilFromDays(endDay);
  const lastMonth = monthIndex(end.year, end.month);
  const firstMonth = lastMonth - WINDOW_MONTHS + 1;
  const campaignDay = dayInMonth(firstMonth + CAMPAIGN_MONTH, 1);
  const campaignStart = civilFromDays(campaignDay);
  const weights: number[] = [];
  for (let m = 0; m < WINDOW_MONTHS; m++) {
    weights.push((1 + (0.5 * m) / (WINDOW_MONTHS - 1)) * ACQ_SEASON[(firstMonth + m) % 12]!);
  }
  return {
    startDay: daysFromCivil(Math.floor(firstMonth / 12), (firstMonth % 12) + 1, 1),
    endDay,
    priceRiseDays: PRICE_RISE_MONTHS.map((m) => dayInMonth(firstMonth + m, 1)),
    campaign:
      campaignDay <= endDay
        ? {
            id: `RET-${campaignStart.year}-${String(campaignStart.month).padStart(2, '0')}`,
            name: 'Retention offer for at-risk customers',
            offer: '20% off for 6 months',
            startDay: campaignDay,
            endDay: campaignDay + 30,
          }
        : null,
    acquisitionCum: cumulative(weights),
    firstMonth,
  };
}

/** The fee of a plan on a day. */
export function feeAt(scenario: DemoScenario, plan: number, day: number): number {
  let tier = 0;
  for (const d of scenario.priceRiseDays) if (day >= d) tier++;
  return PLAN_FEES[tier]![plan]!;
}

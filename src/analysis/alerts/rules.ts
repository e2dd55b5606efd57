/**
 * Early-warning rules (流失预警, DOMAIN 5.3): the single-customer levels, the group warnings and the car
 * dealer's variant, with the bank's rules as the default. Users edit them as a YAML or JSON file
 * (`retain rules show > rules.yaml`, then `retain alerts --rules rules.yaml`); the format, its schema
 * (`docs/alert-rules.schema.json`) and the reading of the rules are documented in `docs/alert-rules.md`.
 */
import { createHash } from 'node:crypto';
import type {
  AlertLevelSpec,
  CustomerAlertSpec,
  DayRange,
  DealerGradeOptions,
  DealerGradeSpec,
  GroupAlertStatsOptions,
  ProductAlertStatsOptions,
  PercentRange,
} from '../../engine/alert-types.js';

export type { DayRange, PercentRange, DealerGradeSpec };

export interface AlertLevelRule extends AlertLevelSpec {
  /** A display label, e.g. the Chinese term (关注, 重点关注, 危机). */
  readonly label: string | null;
}

export interface BaselineRules {
  /** Calendar months before the last-transaction month that form the customer's baseline. */
  readonly months: number;
  /** Days ending with the last transaction day that are compared with the baseline. */
  readonly recentDays: number;
}

export type GroupDimension = 'all' | 'segment' | 'region' | 'plan' | 'channel' | 'gender';
export type ChurnSource = 'auto' | 'churn_events' | 'inactivity';

export interface GroupRules {
  readonly enabled: boolean;
  /** Customer attributes to group by; `all` is every customer as one group. */
  readonly dimensions: readonly GroupDimension[];
  /** Length of the current period and of each baseline period, ending on the as-of date. */
  readonly periodDays: number;
  readonly baselinePeriods: number;
  readonly churnSource: ChurnSource;
  /** Groups with fewer customers active at the start of the current period are not judged. */
  readonly minActiveCustomers: number;
  /** A churn warning needs the churn rate this many percent above the baseline rate ... */
  readonly minChurnRisePercent: number;
  /** ... a spend warning the spend per active customer this many percent below the baseline ... */
  readonly minSpendDropPercent: number;
  /** ... and both a z statistic at least this large (1.96: about 2.5 % one-sided). */
  readonly minZ: number;
}

/**
 * Product-level warnings: the group tests (periods, thresholds and z of `groups`) run per product or
 * category, where the customers of a product are those who bought it within `lapseAfterDays`.
 */
export interface ProductRules {
  readonly enabled: boolean;
  /** Transaction columns: `product`, `category`. */
  readonly dimensions: readonly ProductDimension[];
  /** A customer lapses from a product after this many days without buying it. */
  readonly lapseAfterDays: number;
}

export type ProductDimension = 'product' | 'category';

export interface DealerRules {
  /** Transaction kinds that count as service visits. */
  readonly visitKinds: readonly string[];
  /** Visits are counted over this many months up to the as-of date. */
  readonly gradeWindowMonths: number;
  /** Highest `minVisits` first; the last one must have `minVisits: 0`. */
  readonly grades: readonly DealerGradeSpec[];
  /** No visit for this many months puts a customer on the churn-survey list. */
  readonly surveyAfterMonths: number;
}

export interface AlertRules {
  readonly version: 1;
  /** Transaction kinds counted for R, F and M (null: every kind). */
  readonly transactionKinds: readonly string[] | null;
  /** R above this many days: the customer counts as lost. */
  readonly lostAfterDays: number;
  readonly baseline: BaselineRules;
  /** Lowest severity first; a customer is at the highest level any of whose conditions holds. */
  readonly levels: readonly AlertLevelRule[];
  readonly groups: GroupRules;
  readonly products: ProductRules;
  readonly dealer: DealerRules;
}

/** The bank's rules (DOMAIN 5.3) read as documented in docs/alert-rules.md. */
export const DEFAULT_ALERT_RULES: AlertRules = {
  version: 1,
  transactionKinds: null,
  lostAfterDays: 60,
  baseline: { months: 6, recentDays: 30 },
  levels: [
    {
      name: 'yellow',
      label: '关注',
      recencyDays: { from: 0, to: 10 },
      frequencyDownPercent: { above: 0, upTo: 30 },
      monetaryDownPercent: { above: 0, upTo: 30 },
    },
    {
      name: 'orange',
      label: '重点关注',
      recencyDays: { from: 11, to: 30 },
      frequencyDownPercent: { above: 30, upTo: 50 },
      monetaryDownPercent: { above: 30, upTo: 50 },
    },
    {
      name: 'red',
      label: '危机',
      recencyDays: { from: 31, to: 60 },
      frequencyDownPercent: { above: 50, upTo: null },
      monetaryDownPercent: { above: 50, upTo: null },
    },
  ],
  groups: {
    enabled: true,
    dimensions: ['all', 'segment', 'region', 'plan'],
    periodDays: 30,
    baselinePeriods: 6,
    churnSource: 'auto',
    minActiveCustomers: 100,
    minChurnRisePercent: 25,
    minSpendDropPercent: 10,
    minZ: 1.96,
  },
  products: {
    enabled: true,
    dimensions: ['product', 'category'],
    lapseAfterDays: 60,
  },
  dealer: {
    visitKinds: ['visit'],
    gradeWindowMonths: 12,
    grades: [
      { grade: 'A', minVisits: 3 },
      { grade: 'B', minVisits: 2 },
      { grade: 'C', minVisits: 1 },
      { grade: 'D', minVisits: 0 },
    ],
    surveyAfterMonths: 6,
  },
};

/** A short fingerprint of a rule set (stored with every alert run). */
export function rulesHash(rules: AlertRules): string {
  return createHash('sha256').update(JSON.stringify(rules)).digest('hex').slice(0, 12);
}

export function customerAlertSpec(rules: AlertRules): CustomerAlertSpec {
  return {
    kinds: rules.transactionKinds,
    levels: rules.levels.map(({ name, recencyDays, frequencyDownPercent, monetaryDownPercent }) => ({
      name,
      recencyDays,
      frequencyDownPercent,
      monetaryDownPercent,
    })),
    lostAfterDays: rules.lostAfterDays,
    baselineMonths: rules.baseline.months,
    recentDays: rules.baseline.recentDays,
  };
}

export function productAlertSpec(rules: AlertRules): Omit<ProductAlertStatsOptions, 'asOf'> {
  return {
    kinds: rules.transactionKinds,
    dimensions: rules.products.dimensions,
    periodDays: rules.groups.periodDays,
    baselinePeriods: rules.groups.baselinePeriods,
    lapseAfterDays: rules.products.lapseAfterDays,
  };
}

export function groupAlertSpec(rules: AlertRules): Omit<GroupAlertStatsOptions, 'asOf'> {
  const g = rules.groups;
  return {
    kinds: rules.transactionKinds,
    dimensions: g.dimensions,
    periodDays: g.periodDays,
    baselinePeriods: g.baselinePeriods,
    lostAfterDays: rules.lostAfterDays,
    churnSource: g.churnSource,
  };
}

export function dealerSpec(
  rules: AlertRules,
): Pick<DealerGradeOptions, 'visitKinds' | 'grades' | 'gradeWindowMonths' | 'surveyAfterMonths'> {
  const d = rules.dealer;
  return {
    visitKinds: d.visitKinds,
    grades: d.grades,
    gradeWindowMonths: d.gradeWindowMonths,
    surveyAfterMonths: d.surveyAfterMonths,
  };
}

/** A percent range as text: `> 30% and <= 50%`. */
export function describePercentRange(r: PercentRange): string {
  return r.upTo === null ? `> ${r.above}%` : `> ${r.above}% and <= ${r.upTo}%`;
}

/** The rule of a level in one line: `R 11-30 days, or F down > 30% and <= 50%, or M down ...`. */
export function describeLevel(level: AlertLevelRule): string {
  const parts: string[] = [];
  if (level.recencyDays) parts.push(`R ${level.recencyDays.from}-${level.recencyDays.to} days`);
  if (level.frequencyDownPercent) parts.push(`F down ${describePercentRange(level.frequencyDownPercent)}`);
  if (level.monetaryDownPercent) parts.push(`M down ${describePercentRange(level.monetaryDownPercent)}`);
  return parts.join(', or ');
}

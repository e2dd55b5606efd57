/**
 * Early warning (流失预警, DOMAIN 5.3): every customer's level from R and the F / M decline against their
 * own baseline, group warnings, and the stored history that tells what is new, escalated or cleared since
 * the previous run. The per-customer work runs in the engine (SQL); see docs/alert-rules.md.
 */
import type { Engine } from '../../engine/engine.js';
import {
  FIRED_FREQUENCY,
  FIRED_MONETARY,
  FIRED_RECENCY,
  LOST_LEVEL,
  type CustomerAlertResult,
  type CustomerAlertRow,
  type DealerGradeResult,
} from '../../engine/alert-types.js';
import { groupWarnings, type GroupAlertReport } from './group-alerts.js';
import {
  DEFAULT_ALERT_RULES,
  customerAlertSpec,
  dealerSpec,
  describePercentRange,
  groupAlertSpec,
  productAlertSpec,
  rulesHash,
  type AlertRules,
} from './rules.js';

export { ALERT_CHANGES, LOST_LEVEL } from '../../engine/alert-types.js';

export interface AlertsOptions {
  /** Inclusive `YYYY-MM-DD`; default the last transaction day. */
  readonly asOf?: string;
  readonly rules?: AlertRules;
  /** Store the run so that later runs can say what changed (default true). */
  readonly save?: boolean;
  /** Compute group warnings (default: the rules' `groups.enabled`). */
  readonly groups?: boolean;
  /** Compute product-level warnings (default: the rules' `products.enabled`). */
  readonly products?: boolean;
  /** Alerts to list, most severe first (default 20; lost customers are not listed). */
  readonly list?: number;
  /** Every customer's alert, as columns (for CSV output). */
  readonly perCustomer?: boolean;
}

export interface ListedAlert extends CustomerAlertRow {
  /** The conditions that fired, with their numbers, in words. */
  readonly reasons: readonly string[];
  /** The same conditions as codes and numbers. */
  readonly reasonDetails: readonly AlertReasonDetail[];
}

export interface AlertsReport {
  readonly asOf: string;
  readonly rulesHash: string;
  readonly customers: Omit<CustomerAlertResult, 'list'> & { readonly list: readonly ListedAlert[] };
  readonly groups: GroupAlertReport | null;
  /** Product-level warnings: the group tests per product / category (null when turned off). */
  readonly products: GroupAlertReport | null;
}

const fmt = (v: number, digits = 1) => String(Math.round(v * 10 ** digits) / 10 ** digits);

/** One condition that put a customer at their level, with its numbers (the dashboard words it per language). */
export type AlertReasonDetail =
  | { readonly code: 'lost'; readonly recencyDays: number; readonly lostAfterDays: number }
  | { readonly code: 'recency'; readonly recencyDays: number; readonly from: number; readonly to: number }
  | {
      readonly code: 'frequency_down' | 'monetary_down';
      /** How far the recent window fell below the monthly baseline, in percent. */
      readonly percent: number;
      /** The level's band: more than `above` percent and at most `upTo` (null: no upper bound). */
      readonly above: number;
      readonly upTo: number | null;
      /** The count (F) or amount (M) of the recent window, and its length in days. */
      readonly recent: number;
      readonly days: number;
      readonly baselineMonthly: number;
    };

/** The conditions that put a customer at their level, with their numbers. */
export function alertReasonDetails(
  row: Pick<
    CustomerAlertRow,
    | 'level'
    | 'fired'
    | 'recency'
    | 'recentCount'
    | 'baselineMonthlyCount'
    | 'frequencyDownPercent'
    | 'recentAmount'
    | 'baselineMonthlyAmount'
    | 'monetaryDownPercent'
  >,
  rules: AlertRules,
): AlertReasonDetail[] {
  if (row.level === LOST_LEVEL)
    return [{ code: 'lost', recencyDays: row.recency, lostAfterDays: rules.lostAfterDays }];
  const level = rules.levels.find((l) => l.name === row.level);
  if (!level) return [];
  const days = rules.baseline.recentDays;
  const out: AlertReasonDetail[] = [];
  if (row.fired & FIRED_RECENCY && level.recencyDays)
    out.push({ code: 'recency', recencyDays: row.recency, ...level.recencyDays });
  if (row.fired & FIRED_FREQUENCY && level.frequencyDownPercent)
    out.push({
      code: 'frequency_down',
      percent: row.frequencyDownPercent ?? 0,
      ...level.frequencyDownPercent,
      recent: row.recentCount,
      days,
      baselineMonthly: row.baselineMonthlyCount,
    });
  if (row.fired & FIRED_MONETARY && level.monetaryDownPercent)
    out.push({
      code: 'monetary_down',
      percent: row.monetaryDownPercent ?? 0,
      ...level.monetaryDownPercent,
      recent: row.recentAmount,
      days,
      baselineMonthly: row.baselineMonthlyAmount,
    });
  return out;
}

/** A reason in words, e.g. `M down 62.5% (> 50%): 12.5 in 30 days vs 33.33/month`. */
export function alertReasonText(d: AlertReasonDetail): string {
  switch (d.code) {
    case 'lost':
      return `R ${d.recencyDays} days > ${d.lostAfterDays}: lost`;
    case 'recency':
      return `R ${d.recencyDays} days (${d.from}-${d.to})`;
    case 'frequency_down':
    case 'monetary_down': {
      const f = d.code === 'frequency_down';
      const recent = f ? String(d.recent) : fmt(d.recent, 2);
      return (
        `${f ? 'F' : 'M'} down ${fmt(d.percent)}% (${describePercentRange(d)}): ` +
        `${recent} in ${d.days} days vs ${fmt(d.baselineMonthly, 2)}/month`
      );
    }
  }
}

/** The conditions that put a customer at their level, in words. */
export function alertReasons(row: Parameters<typeof alertReasonDetails>[0], rules: AlertRules): string[] {
  return alertReasonDetails(row, rules).map(alertReasonText);
}

/**
 * Customer alerts (and group warnings) as of a date, compared with the previous stored run and stored.
 *
 * @example const report = await runAlerts(engine, { asOf: '2025-12-31' });
 */
export async function runAlerts(engine: Engine, options: AlertsOptions = {}): Promise<AlertsReport> {
  const rules = options.rules ?? DEFAULT_ALERT_RULES;
  const hash = rulesHash(rules);
  const save = options.save ?? true;
  const customers = await engine.customerAlerts({
    ...customerAlertSpec(rules),
    ...(options.asOf ? { asOf: options.asOf } : {}),
    save: save ? { rulesHash: hash, rules } : null,
    perCustomer: options.perCustomer ?? false,
    list: options.list ?? 20,
  });
  // group and product warnings are stored together; each report compares with its own dimensions
  const previous = await engine.previousGroupAlerts(customers.asOf);
  const previousOf = (productLevel: boolean) =>
    previous && {
      asOf: previous.asOf,
      alerts: previous.alerts.filter((a) => PRODUCT_DIMENSIONS.has(a.dimension) === productLevel),
    };
  let groups: GroupAlertReport | null = null;
  if (options.groups ?? rules.groups.enabled) {
    const stats = await engine.groupAlertStats({ ...groupAlertSpec(rules), asOf: customers.asOf });
    groups = groupWarnings(stats, rules.groups, previousOf(false));
  }
  let products: GroupAlertReport | null = null;
  if (options.products ?? rules.products.enabled) {
    const stats = await engine.productAlertStats({ ...productAlertSpec(rules), asOf: customers.asOf });
    products = groupWarnings(stats, rules.groups, previousOf(true), { churn: 'lapse', active: 'buyers' });
  }
  if (save)
    await engine.saveGroupAlerts(customers.asOf, [
      ...(groups?.warnings ?? []),
      ...(products?.warnings ?? []),
    ]);
  return {
    asOf: customers.asOf,
    rulesHash: hash,
    customers: {
      ...customers,
      list: customers.list.map((row) => {
        const reasonDetails = alertReasonDetails(row, rules);
        return { ...row, reasons: reasonDetails.map(alertReasonText), reasonDetails };
      }),
    },
    groups,
    products,
  };
}

const PRODUCT_DIMENSIONS = new Set(['product', 'category']);

export interface DealerOptions {
  readonly asOf?: string;
  readonly rules?: AlertRules;
  /** Customers of the survey list to return, longest absence first (default 20). */
  readonly list?: number;
  readonly perCustomer?: boolean;
}

/**
 * The car dealer's variant: A/B/C/D grades by service visits in the last 12 months and the churn-survey
 * list of customers without a visit for 6 months (thresholds in the rules' `dealer` section).
 */
export function dealerGrades(engine: Engine, options: DealerOptions = {}): Promise<DealerGradeResult> {
  const rules = options.rules ?? DEFAULT_ALERT_RULES;
  return engine.dealerGrades({
    ...dealerSpec(rules),
    ...(options.asOf ? { asOf: options.asOf } : {}),
    list: options.list ?? 20,
    perCustomer: options.perCustomer ?? false,
  });
}

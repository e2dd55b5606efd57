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
  /** The conditions that fired, with their numbers. */
  readonly reasons: readonly string[];
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

/** The conditions that put a customer at their level, with the numbers, e.g. `M down 62.5% (> 50%) ...`. */
export function alertReasons(
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
): string[] {
  if (row.level === LOST_LEVEL) return [`R ${row.recency} days > ${rules.lostAfterDays}: lost`];
  const level = rules.levels.find((l) => l.name === row.level);
  if (!level) return [];
  const days = rules.baseline.recentDays;
  const out: string[] = [];
  if (row.fired & FIRED_RECENCY && level.recencyDays)
    out.push(`R ${row.recency} days (${level.recencyDays.from}-${level.recencyDays.to})`);
  if (row.fired & FIRED_FREQUENCY && level.frequencyDownPercent)
    out.push(
      `F down ${fmt(row.frequencyDownPercent ?? 0)}% (${describePercentRange(level.frequencyDownPercent)}): ` +
        `${row.recentCount} in ${days} days vs ${fmt(row.baselineMonthlyCount, 2)}/month`,
    );
  if (row.fired & FIRED_MONETARY && level.monetaryDownPercent)
    out.push(
      `M down ${fmt(row.monetaryDownPercent ?? 0)}% (${describePercentRange(level.monetaryDownPercent)}): ` +
        `${fmt(row.recentAmount, 2)} in ${days} days vs ${fmt(row.baselineMonthlyAmount, 2)}/month`,
    );
  return out;
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
      list: customers.list.map((row) => ({ ...row, reasons: alertReasons(row, rules) })),
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

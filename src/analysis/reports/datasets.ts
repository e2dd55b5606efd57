/**
 * The datasets a report definition can use, with their dimensions and measures (documented in
 * docs/reports.md). Each dataset is a list of records (dimension values and additive or stock measures)
 * computed by the engine; every other measure is a formula over those, evaluated after aggregation.
 */
import type { ReportCellType } from '../../export/report-document.js';
import type { Engine } from '../../engine/engine.js';
import type { ChurnReportOptions, ReportDimension } from '../../engine/report-types.js';
import { churnFlowTable } from './churn-flow.js';

/** How a measure combines over the records of one table cell. */
export type MeasureRule =
  /** Sum over the records (of the measure itself, or of the stock measure `of`). */
  | { readonly agg: 'sum'; readonly of?: string }
  /** A stock at the opening: the value of the bucket's first month (of the report's first month when the row has no month). */
  | { readonly agg: 'first' }
  /** A stock at the close: the value of the bucket's last month. */
  | { readonly agg: 'last' }
  /** num / den of two measures of the same cell (empty when den is 0). */
  | { readonly ratio: readonly [string, string] }
  /** Sum of measures times coefficients, e.g. end - start. */
  | { readonly terms: readonly (readonly [number, string])[] };

export interface MeasureDef {
  readonly label: string;
  readonly type: ReportCellType;
  readonly description: string;
  readonly rule: MeasureRule;
}

export interface DimensionDef {
  readonly label: string;
  readonly description: string;
}

export type DatasetRecord = Readonly<Record<string, string | number>>;

export interface DatasetDef {
  readonly name: string;
  readonly description: string;
  readonly dimensions: Readonly<Record<string, DimensionDef>>;
  readonly measures: Readonly<Record<string, MeasureDef>>;
}

export interface LoadedDataset {
  readonly from: string;
  readonly to: string;
  readonly by: ReportDimension | null;
  readonly records: readonly DatasetRecord[];
  /** What the numbers rest on and the checks made (identity, unmatched records). */
  readonly notes: readonly string[];
}

const sum = { agg: 'sum' } as const;
const GROUP: DimensionDef = {
  label: 'group',
  description:
    'The value of the report\'s groupBy (region, plan, channel, segment, stage or tenure band); "all" without one.',
};
const MONTH: DimensionDef = { label: 'month', description: 'Calendar month, YYYY-MM.' };

export const DATASETS: Readonly<Record<string, DatasetDef>> = {
  'churn-flow': {
    name: 'churn-flow',
    description:
      'The monthly flow of the subscriber base (DOMAIN 5.5): customers at the opening, new, churned by type, at the close; accounts and revenue.',
    dimensions: { month: MONTH, group: GROUP },
    measures: {
      start: {
        label: 'start',
        type: 'integer',
        description: "Customers with an open relationship at the month's opening.",
        rule: { agg: 'first' },
      },
      new: {
        label: 'new',
        type: 'integer',
        description: 'Relationships starting in the month (gross additions, win-backs included).',
        rule: sum,
      },
      beforeChurn: {
        label: 'before churn',
        type: 'integer',
        description: 'start + new.',
        rule: {
          terms: [
            [1, 'start'],
            [1, 'new'],
          ],
        },
      },
      voluntary: {
        label: 'voluntary',
        type: 'integer',
        description: 'Relationships ending in the month with a voluntary churn event.',
        rule: sum,
      },
      involuntary: {
        label: 'involuntary',
        type: 'integer',
        description: 'Relationships ending in the month with an involuntary churn event.',
        rule: sum,
      },
      otherEnds: {
        label: 'other ends',
        type: 'integer',
        description: 'Relationships ending in the month without a churn event (or with one of unknown type).',
        rule: sum,
      },
      churn: {
        label: 'churn',
        type: 'integer',
        description: 'voluntary + involuntary + other ends.',
        rule: sum,
      },
      netTransfers: {
        label: 'net transfers',
        type: 'integer',
        description:
          'Customers moving into the group minus those moving out (plan change, next tenure band); 0 without groupBy.',
        rule: sum,
      },
      end: {
        label: 'end',
        type: 'integer',
        description:
          "Customers with an open relationship at the month's close: before churn - churn + net transfers.",
        rule: { agg: 'last' },
      },
      netChange: {
        label: 'net change',
        type: 'integer',
        description: 'end - start (the leaky bucket: gross additions minus losses).',
        rule: {
          terms: [
            [1, 'end'],
            [-1, 'start'],
          ],
        },
      },
      churnRate: {
        label: 'churn rate',
        type: 'percent',
        description: 'churn / start.',
        rule: { ratio: ['churn', 'start'] },
      },
      voluntaryRate: {
        label: 'voluntary rate',
        type: 'percent',
        description: 'voluntary / start.',
        rule: { ratio: ['voluntary', 'start'] },
      },
      involuntaryRate: {
        label: 'involuntary rate',
        type: 'percent',
        description: 'involuntary / start.',
        rule: { ratio: ['involuntary', 'start'] },
      },
      grossAddRate: {
        label: 'gross add rate',
        type: 'percent',
        description: 'new / start.',
        rule: { ratio: ['new', 'start'] },
      },
      customerMonths: {
        label: 'customer-months',
        type: 'integer',
        description: 'Sum of start over the months of the cell (exposure).',
        rule: { agg: 'sum', of: 'start' },
      },
      averageChurnRate: {
        label: 'average monthly churn rate',
        type: 'percent',
        description:
          'churn / customer-months: the mean monthly churn rate over the cell (= churn rate for one month).',
        rule: { ratio: ['churn', 'customerMonths'] },
      },
      accountsStart: {
        label: 'accounts at start',
        type: 'integer',
        description:
          'Subscription rows (accounts) in force on the first day, of the customers at the opening.',
        rule: { agg: 'first' },
      },
      closedAccounts: {
        label: 'closed accounts',
        type: 'integer',
        description:
          'Subscription rows ending in the month that no row of the same customer replaces the next day.',
        rule: sum,
      },
      accountChurnRate: {
        label: 'account churn rate',
        type: 'percent',
        description: 'closed accounts / accounts at start.',
        rule: { ratio: ['closedAccounts', 'accountsStart'] },
      },
      revenueStart: {
        label: 'revenue at start',
        type: 'money',
        description: 'Sum of the average monthly revenue of the customers at the opening.',
        rule: { agg: 'first' },
      },
      revenueLost: {
        label: 'revenue lost',
        type: 'money',
        description: 'Sum of the average monthly revenue of the relationships ending in the month.',
        rule: sum,
      },
      revenueChurnRate: {
        label: 'revenue churn rate',
        type: 'percent',
        description: 'revenue lost / revenue at start.',
        rule: { ratio: ['revenueLost', 'revenueStart'] },
      },
      accountMonths: {
        label: 'account-months',
        type: 'integer',
        description: 'Sum of accounts at start over the months of the cell.',
        rule: { agg: 'sum', of: 'accountsStart' },
      },
      averageAccountChurnRate: {
        label: 'average monthly account churn rate',
        type: 'percent',
        description: 'closed accounts / account-months.',
        rule: { ratio: ['closedAccounts', 'accountMonths'] },
      },
      revenueMonths: {
        label: 'revenue-months',
        type: 'money',
        description: 'Sum of revenue at start over the months of the cell.',
        rule: { agg: 'sum', of: 'revenueStart' },
      },
      averageRevenueChurnRate: {
        label: 'average monthly revenue churn rate',
        type: 'percent',
        description: 'revenue lost / revenue-months.',
        rule: { ratio: ['revenueLost', 'revenueMonths'] },
      },
      eventsWithoutEnd: {
        label: 'events without end',
        type: 'integer',
        description: 'Churn events in the month that match no subscription end (not subtracted).',
        rule: sum,
      },
    },
  },
  churners: {
    name: 'churners',
    description:
      'Every churner (subscription relationship ending, or churn event without a subscription end) by month, type and reason code, with the revenue lost.',
    dimensions: {
      month: MONTH,
      group: GROUP,
      type: { label: 'type', description: 'voluntary, involuntary or unknown.' },
      reasonCode: { label: 'reason code', description: 'The churn event\'s code; "(none)" without one.' },
      reason: { label: 'reason', description: "The code's reason in the workspace taxonomy." },
      family: { label: 'family', description: "The code's cause family (DOMAIN 5.1)." },
    },
    measures: {
      churners: { label: 'churners', type: 'integer', description: 'Customers lost.', rule: sum },
      revenueLost: {
        label: 'revenue lost',
        type: 'money',
        description: "Sum of the churners' average monthly revenue.",
        rule: sum,
      },
      averageRevenueLost: {
        label: 'revenue lost per churner',
        type: 'money',
        description: 'revenue lost / churners.',
        rule: { ratio: ['revenueLost', 'churners'] },
      },
      eventsWithoutEnd: {
        label: 'events without end',
        type: 'integer',
        description: 'Of the churners, those known only from a churn event (no subscription end).',
        rule: sum,
      },
    },
  },
};

export const DATASET_NAMES = Object.keys(DATASETS);

/** Ask the engine for a dataset's records. */
export async function loadDataset(
  engine: Engine,
  dataset: string,
  options: ChurnReportOptions,
): Promise<LoadedDataset> {
  if (dataset === 'churn-flow') {
    const agg = await engine.churnFlow(options);
    const rows = churnFlowTable(agg.rows);
    const notes: string[] = [];
    const total = new Map<string, { start: number; end: number }>();
    for (const r of rows) {
      const t = total.get(r.month) ?? { start: 0, end: 0 };
      total.set(r.month, { start: t.start + r.start, end: t.end + r.end });
    }
    const months = [...total.keys()].sort();
    const broken = months.filter((m, k) => k > 0 && total.get(months[k - 1]!)!.end !== total.get(m)!.start);
    notes.push(
      broken.length === 0
        ? 'Identity checked: end(m) = start(m + 1) for every month.'
        : `Identity end(m) = start(m + 1) fails in ${broken.join(', ')}.`,
    );
    const other = rows.reduce((s, r) => s + r.otherEnds, 0);
    const without = rows.reduce((s, r) => s + r.eventsWithoutEnd, 0);
    if (other > 0)
      notes.push(
        `${other} subscription end(s) without a churn event (or with one of unknown type) are counted as "other ends".`,
      );
    if (without > 0)
      notes.push(
        `${without} churn event(s) match no subscription end: listed as "events without end", not subtracted from the base.`,
      );
    return {
      from: agg.from,
      to: agg.to,
      by: agg.by,
      notes,
      records: rows.map((r) => {
        const out: Record<string, string | number> = {};
        for (const [k, v] of Object.entries(r)) if (v !== null) out[k] = v;
        return out;
      }),
    };
  }
  if (dataset === 'churners') {
    const agg = await engine.churners(options);
    const without = agg.rows.reduce((s, r) => s + r.eventsWithoutEnd, 0);
    return {
      from: agg.from,
      to: agg.to,
      by: agg.by,
      notes:
        without > 0
          ? [`${without} churner(s) are known only from a churn event without a subscription end.`]
          : [],
      records: agg.rows.map((r) => ({ ...r })),
    };
  }
  throw new Error(`unknown dataset ${dataset}`);
}

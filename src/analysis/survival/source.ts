/**
 * Where a survival analysis takes its subjects from: a text table with a time and an event column, or the
 * workspace (one relationship per customer, built by the engine; rules in engine/survival-types.ts).
 */
import type { TextTable } from '../../data/read-text-table.js';
import type { Engine } from '../../engine/engine.js';
import type { SurvivalDataSource } from '../../engine/survival-types.js';
import { UserError } from '../../util/errors.js';
import type { EventSpec, SurvivalTable } from './survival-table.js';

/** Time unit of workspace analyses; a month is 30.4375 days (365.25 / 12). */
export const SURVIVAL_UNITS = ['days', 'months'] as const;
export type SurvivalUnit = (typeof SURVIVAL_UNITS)[number];
export const DAYS_PER_MONTH = 30.4375;

export interface TableSource {
  readonly table: TextTable;
  /** Time column. */
  readonly time: string;
  /** `COL=VALUE` or parsed. */
  readonly event: string | EventSpec;
}

export interface WorkspaceSource {
  readonly engine: Engine;
  /** Inclusive `YYYY-MM-DD`; default the last day of data. */
  readonly asOf?: string;
  /** Default days. */
  readonly unit?: SurvivalUnit;
  /** Transactions source: lost after this many days without a purchase (default 60). */
  readonly lostDays?: number;
}

export type SurvivalSource = TableSource | WorkspaceSource;

export function isTableSource(source: SurvivalSource): source is TableSource {
  return 'table' in source;
}

/** What the output says about the data behind an analysis. */
export interface SourceInfo {
  /** `table` for a file, else the workspace table the relationships came from. */
  readonly source: 'table' | SurvivalDataSource;
  readonly file: string | null;
  readonly asOf: string | null;
  /** Time unit (workspace), null for a table (the time column's own unit). */
  readonly unit: SurvivalUnit | null;
  /** The time column, or a description of the workspace time. */
  readonly time: string;
  /** `COL=VALUE`, or a description of the workspace event. */
  readonly event: string;
}

export function checkUnit(unit: string | undefined): SurvivalUnit {
  const u = unit ?? 'days';
  if (!(SURVIVAL_UNITS as readonly string[]).includes(u))
    throw new UserError(`--unit must be one of ${SURVIVAL_UNITS.join(', ')}, not "${u}"`);
  return u as SurvivalUnit;
}

/** What the output says about a table source. */
export function tableInfo(data: SurvivalTable): SourceInfo {
  return {
    source: 'table',
    file: data.file,
    asOf: null,
    unit: null,
    time: data.time,
    event: `${data.event.column}=${data.event.value}`,
  };
}

/** Time and event descriptions of a workspace source. */
export function workspaceInfo(
  source: SurvivalDataSource,
  asOf: string,
  unit: SurvivalUnit,
  lostDays: number,
): SourceInfo {
  return {
    source,
    file: null,
    asOf,
    unit,
    time:
      source === 'subscriptions'
        ? `${unit} from the first subscription start to the end of the last one (or to the as-of day)`
        : `${unit} from the first to the last purchase`,
    event:
      source === 'subscriptions'
        ? 'every subscription ended, or a churn event after the last subscription start'
        : `lost: last purchase more than ${lostDays} days before the as-of day, or a churn event after it`,
  };
}

/** Days to the requested unit. */
export function fromDays(days: number, unit: SurvivalUnit): number {
  return unit === 'days' ? days : days / DAYS_PER_MONTH;
}

/**
 * Kaplan-Meier analysis (R: survfit + summary(times = ...) + print medians + survdiff): one curve per group
 * with Greenwood confidence intervals, the survival, interval and at-risk counts at chosen times, the median
 * with its interval, and the log-rank test across the groups.
 *
 * Both sources reduce to counts per (group, time) first (the workspace in SQL), so the curves and the test
 * cost O(distinct times) whatever the number of subjects.
 */
import { SURVIVAL_GROUP_COLUMNS, type SurvivalGroupColumn } from '../../engine/survival-types.js';
import type { ConfType } from '../../models/survival/confidence.js';
import type { KaplanMeierCurve } from '../../models/survival/kaplan-meier.js';
import {
  kaplanMeierByGroupFromCounts,
  type GroupSurvivalCountRow,
} from '../../models/survival/kaplan-meier-groups.js';
import { logRankTestFromCounts, type LogRankGroup } from '../../models/survival/log-rank.js';
import { medianSurvival } from '../../models/survival/median.js';
import { survivalAt, type SurvivalAtTime } from '../../models/survival/survival-at.js';
import { UserError } from '../../util/errors.js';
import {
  checkUnit,
  fromDays,
  isTableSource,
  workspaceInfo,
  type SourceInfo,
  type SurvivalSource,
  tableInfo,
} from './source.js';
import { survivalFromTable } from './survival-table.js';

export interface KaplanMeierAnalysisOptions {
  /** Group column: any column of a table; region, plan, channel, segment or gender in the workspace. */
  readonly by?: string | null;
  /** Times to read the curves at (in the analysis unit); default a few round times up to the longest. */
  readonly at?: readonly number[];
  /** Default 0.95. */
  readonly confLevel?: number;
  /** Default 'log' (R's default). */
  readonly confType?: ConfType;
}

export interface KaplanMeierGroupReport {
  readonly group: string;
  readonly n: number;
  readonly events: number;
  /** Median survival time and R's interval; null where R prints NA (the curve stays above one half). */
  readonly median: number | null;
  readonly medianLower: number | null;
  readonly medianUpper: number | null;
  /** The curve read at the requested times. */
  readonly survival: readonly SurvivalAtTime[];
  /** The whole curve (every distinct time). */
  readonly curve: KaplanMeierCurve;
}

export interface LogRankReport {
  readonly chisq: number;
  readonly df: number;
  readonly p: number;
  readonly groups: readonly LogRankGroup[];
}

export interface KaplanMeierReport extends SourceInfo {
  readonly by: string | null;
  readonly confLevel: number;
  readonly confType: ConfType;
  readonly subjects: number;
  readonly events: number;
  readonly at: readonly number[];
  /** Sorted by label; one group `all` without `by`. */
  readonly groups: readonly KaplanMeierGroupReport[];
  /** Only with `by`. */
  readonly logRank: LogRankReport | null;
}

/** More groups than this is almost always an id-like column (and a k x k log-rank variance matrix). */
export const MAX_GROUPS = 100;

const orNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Round reading times up to `max`: 1-2-5 steps, about five of them. */
export function defaultTimes(max: number, unit: 'days' | 'months' | null): number[] {
  const preset =
    unit === 'months'
      ? [1, 3, 6, 12, 24, 36, 48, 60]
      : unit === 'days'
        ? [30, 90, 180, 365, 730, 1095, 1461]
        : null;
  if (preset !== null) {
    const within = preset.filter((t) => t <= max);
    return within.length > 0 ? within : [max];
  }
  if (!(max > 0)) return [0];
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let k = 1; k * step <= max + 1e-9 && out.length < 10; k++)
    out.push(Number((k * step).toPrecision(12)));
  return out;
}

/**
 * Kaplan-Meier curves (by group), survival at chosen times, medians and the log-rank test.
 *
 * @example
 * const km = await kaplanMeierAnalysis({ table, time: 'tenure', event: 'Churn=Yes' }, { by: 'Contract', at: [12, 24] });
 * km.logRank?.chisq // 2352.87 on the Telco data
 */
export async function kaplanMeierAnalysis(
  source: SurvivalSource,
  options: KaplanMeierAnalysisOptions = {},
): Promise<KaplanMeierReport> {
  const by = options.by ?? null;
  const confLevel = options.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1))
    throw new UserError(`the confidence level must be between 0 and 1, not ${confLevel}`);
  const confType = options.confType ?? 'log';
  if (!['log', 'log-log', 'plain'].includes(confType))
    throw new UserError(`the interval type must be log, log-log or plain, not "${String(confType)}"`);
  for (const t of options.at ?? []) {
    if (!(Number.isFinite(t) && t >= 0)) throw new UserError(`--at times must be numbers >= 0, not ${t}`);
  }
  let info: SourceInfo;
  let rows: GroupSurvivalCountRow[];
  if (isTableSource(source)) {
    const data = survivalFromTable(source.table, { time: source.time, event: source.event, by });
    const counts = new Map<string, { group: string; time: number; events: number; censored: number }>();
    for (let i = 0; i < data.times.length; i++) {
      const group = data.groups === null ? 'all' : data.groups[i]!;
      const time = data.times[i]!;
      const key = `${time}\u0000${group}`;
      let c = counts.get(key);
      if (c === undefined) counts.set(key, (c = { group, time, events: 0, censored: 0 }));
      if (data.events[i] === 1) c.events++;
      else c.censored++;
    }
    rows = [...counts.values()];
    info = tableInfo(data);
  } else {
    const unit = checkUnit(source.unit);
    if (by !== null && !(SURVIVAL_GROUP_COLUMNS as readonly string[]).includes(by))
      throw new UserError(
        `--by must be one of ${SURVIVAL_GROUP_COLUMNS.join(', ')} in the workspace, not "${by}" (or use --table FILE)`,
      );
    const counts = await source.engine.survivalCounts({
      by: by as SurvivalGroupColumn | null,
      ...(source.asOf === undefined ? {} : { asOf: source.asOf }),
      ...(source.lostDays === undefined ? {} : { lostDays: source.lostDays }),
    });
    rows = counts.rows.map((r) => ({
      group: r.group,
      time: fromDays(r.days, unit),
      events: r.events,
      censored: r.censored,
    }));
    info = workspaceInfo(counts.source, counts.asOf, unit, source.lostDays ?? 60);
  }
  if (rows.length === 0) throw new UserError('no subjects to analyse');
  const groupCount = new Set(rows.map((r) => r.group)).size;
  if (groupCount > MAX_GROUPS)
    throw new UserError(
      `--by ${by ?? ''} has ${groupCount} distinct values; at most ${MAX_GROUPS} groups can be compared (group a column with fewer values)`,
    );
  const curves = kaplanMeierByGroupFromCounts(rows, { confLevel, confType });
  const maxTime = Math.max(...curves.map((c) => c.curve.time[c.curve.time.length - 1] ?? 0));
  const at = [...new Set(options.at ?? defaultTimes(maxTime, info.unit))].sort((a, b) => a - b);
  const groups = curves.map(({ group, curve }): KaplanMeierGroupReport => {
    const m = medianSurvival(curve);
    return {
      group,
      n: curve.n,
      events: curve.events,
      median: orNull(m.median),
      medianLower: orNull(m.lower),
      medianUpper: orNull(m.upper),
      survival: survivalAt(curve, at),
      curve,
    };
  });
  let logRank: LogRankReport | null = null;
  if (by !== null) {
    const lr = logRankTestFromCounts(rows);
    logRank = { chisq: lr.chisq, df: lr.df, p: lr.p, groups: lr.groups };
  }
  return {
    ...info,
    by,
    confLevel,
    confType,
    subjects: groups.reduce((s, g) => s + g.n, 0),
    events: groups.reduce((s, g) => s + g.events, 0),
    at,
    groups,
    logRank,
  };
}

/** The stable JSON shape of `retain survival km --json` and of the API's `/api/survival/km`. */
export function kmJson(r: KaplanMeierReport, curve = false): Record<string, unknown> {
  return {
    source: r.source,
    file: r.file,
    asOf: r.asOf,
    unit: r.unit,
    time: r.time,
    event: r.event,
    by: r.by,
    confLevel: r.confLevel,
    confType: r.confType,
    subjects: r.subjects,
    events: r.events,
    at: r.at,
    groups: r.groups.map((g) => ({
      group: g.group,
      n: g.n,
      events: g.events,
      median: g.median,
      medianLower: g.medianLower,
      medianUpper: g.medianUpper,
      survival: g.survival,
      ...(curve
        ? {
            curve: {
              time: Array.from(g.curve.time),
              nRisk: Array.from(g.curve.nRisk),
              nEvent: Array.from(g.curve.nEvent),
              nCensor: Array.from(g.curve.nCensor),
              survival: Array.from(g.curve.survival),
              stdErr: Array.from(g.curve.stdErr),
              lower: Array.from(g.curve.lower),
              upper: Array.from(g.curve.upper),
            },
          }
        : {}),
    })),
    ...(r.logRank
      ? {
          logRank: {
            chisq: r.logRank.chisq,
            df: r.logRank.df,
            p: r.logRank.p,
            groups: r.logRank.groups.map((g) => ({
              group: g.group,
              n: g.n,
              observed: g.observed,
              expected: g.expected,
            })),
          },
        }
      : {}),
  };
}

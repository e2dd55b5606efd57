/**
 * Cox proportional-hazards analysis (R: summary(coxph(...)) and cox.zph(fit)): coefficients with standard
 * errors, z, Wald p-values and hazard ratios with their interval, the log-likelihoods and the likelihood
 * ratio, Wald and score tests, Harrell's concordance, and the proportional-hazards test per term and global.
 *
 * Text covariates are dummy-coded against their first level in sorted order (R's treatment contrasts;
 * dummies are named column + level, e.g. `ContractOne year`). Rows with a missing covariate are left out
 * and counted (R's na.omit). A text covariate with a single level carries no information: it is left out
 * with a warning (R would report its coefficient as NA).
 */
import {
  SURVIVAL_COVARIATES,
  type SurvivalCovariate,
  type SurvivalSubjects,
} from '../../engine/survival-types.js';
import { takeRows, type FeatureColumn, type FeatureTable } from '../../models/learn/feature-table.js';
import { coxFit, type ChiSquareTest } from '../../models/survival/cox.js';
import type { CoxTies } from '../../models/survival/cox-likelihood.js';
import { coxZph, type ZphRow } from '../../models/survival/cox-zph.js';
import { designMatrix } from '../../models/survival/design.js';
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

export interface CoxAnalysisOptions {
  /** Covariate columns (a table's columns; in the workspace region, plan, channel, segment, gender, monthly_fee, age). */
  readonly covariates: readonly string[];
  /** Default 'efron' (R's default). */
  readonly ties?: CoxTies;
  /** Level of the hazard-ratio intervals; default 0.95. */
  readonly confLevel?: number;
}

export interface CoxCoefficient {
  readonly coef: number;
  readonly se: number;
  readonly z: number;
  readonly p: number;
  /** exp(coef) with its interval. */
  readonly hr: number;
  readonly hrLower: number;
  readonly hrUpper: number;
}

export interface CoxReport extends SourceInfo {
  readonly covariates: readonly string[];
  /** Subjects used and their events. */
  readonly n: number;
  readonly events: number;
  /** Rows left out for a missing covariate. */
  readonly excluded: number;
  readonly ties: CoxTies;
  readonly confLevel: number;
  /** Design column names in order (R style). */
  readonly terms: readonly string[];
  readonly coefficients: Readonly<Record<string, CoxCoefficient>>;
  /** The reference (first) level of each text covariate. */
  readonly references: Readonly<Record<string, string>>;
  readonly concordance: number;
  readonly concordanceCounts: {
    readonly concordant: number;
    readonly discordant: number;
    readonly tiedRisk: number;
    readonly tiedTime: number;
    readonly tiedBoth: number;
  };
  readonly logLik: { readonly null: number; readonly model: number };
  readonly tests: {
    readonly likelihoodRatio: ChiSquareTest;
    readonly wald: ChiSquareTest;
    readonly score: ChiSquareTest;
  };
  /** cox.zph (transform km): one row per covariate (a text covariate is one term) and the global test. */
  readonly proportionalHazards: { readonly terms: readonly ZphRow[]; readonly global: ZphRow };
  readonly iterations: number;
  readonly converged: boolean;
  readonly warnings: readonly string[];
}

/** A FeatureTable from the engine's per-customer columns, in the order of the requested covariates. */
function subjectsTable(s: SurvivalSubjects, covariates: readonly string[]): FeatureTable {
  const columns = covariates.map((name): FeatureColumn => {
    const num = s.numeric.find((c) => c.name === name);
    if (num) return { kind: 'numeric', name, values: num.values };
    const text = s.categorical.find((c) => c.name === name)!.values;
    const levels = [...new Set(text.filter((v) => v !== ''))].sort();
    const index = new Map(levels.map((l, i) => [l, i]));
    return { kind: 'categorical', name, levels, codes: Int32Array.from(text, (v) => index.get(v) ?? -1) };
  });
  return { rows: s.days.length, columns };
}

/** Row indices without a missing value in any column. */
function completeRows(table: FeatureTable): number[] {
  const keep: number[] = [];
  for (let i = 0; i < table.rows; i++) {
    const ok = table.columns.every((c) =>
      c.kind === 'numeric' ? Number.isFinite(c.values[i]!) : c.codes[i]! >= 0,
    );
    if (ok) keep.push(i);
  }
  return keep;
}

/**
 * Fit a Cox model and test proportional hazards.
 *
 * @example
 * const cox = await coxAnalysis({ table, time: 'tenure', event: 'Churn=Yes' }, { covariates: ['MonthlyCharges', 'SeniorCitizen', 'Contract'] });
 * cox.concordance // 0.7632 on the Telco data
 */
export async function coxAnalysis(source: SurvivalSource, options: CoxAnalysisOptions): Promise<CoxReport> {
  const covariates = [...options.covariates];
  if (covariates.length === 0) throw new UserError('--covariates needs at least one column');
  const dup = covariates.find((c, i) => covariates.indexOf(c) !== i);
  if (dup !== undefined) throw new UserError(`covariate "${dup}" is listed twice`);
  const ties = options.ties ?? 'efron';
  if (ties !== 'efron' && ties !== 'breslow')
    throw new UserError(`--ties must be efron or breslow, not "${String(ties)}"`);
  const confLevel = options.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1))
    throw new UserError(`the confidence level must be between 0 and 1, not ${confLevel}`);

  let info: SourceInfo;
  let times: Float64Array;
  let events: Uint8Array;
  let features: FeatureTable;
  if (isTableSource(source)) {
    const data = survivalFromTable(source.table, { time: source.time, event: source.event, covariates });
    times = data.times;
    events = data.events;
    features = data.features;
    info = tableInfo(data);
  } else {
    const unit = checkUnit(source.unit);
    for (const c of covariates) {
      if (!(SURVIVAL_COVARIATES as readonly string[]).includes(c))
        throw new UserError(
          `workspace covariates are ${SURVIVAL_COVARIATES.join(', ')}; not "${c}" (or use --table FILE)`,
        );
    }
    const s = await source.engine.survivalSubjects({
      covariates: covariates as SurvivalCovariate[],
      ...(source.asOf === undefined ? {} : { asOf: source.asOf }),
      ...(source.lostDays === undefined ? {} : { lostDays: source.lostDays }),
    });
    times = Float64Array.from(s.days, (d) => fromDays(d, unit));
    events = s.events;
    features = subjectsTable(s, covariates);
    info = workspaceInfo(s.source, s.asOf, unit, source.lostDays ?? 60);
  }

  const keep = completeRows(features);
  const excluded = features.rows - keep.length;
  if (excluded > 0) {
    features = takeRows(features, keep);
    times = Float64Array.from(keep, (i) => times[i]!);
    events = Uint8Array.from(keep, (i) => events[i]!);
  }
  if (features.rows === 0) throw new UserError('every row has a missing covariate: nothing to fit');
  const warnings: string[] = [];
  const used = features.columns.filter((c) => {
    if (c.kind === 'numeric') return true;
    const levels = new Set(c.codes);
    if (levels.size > 1) return true;
    warnings.push(`covariate "${c.name}" has a single value: left out`);
    return false;
  });
  if (used.length === 0) throw new UserError('no covariate varies: nothing to fit');
  const table: FeatureTable = { rows: features.rows, columns: used };
  const design = designMatrix(table);
  const fit = coxFit(times, events, design, { ties, confLevel });
  const zph = coxZph(times, events, design, fit);
  const references: Record<string, string> = {};
  for (const c of used) {
    if (c.kind === 'categorical') {
      let first = c.levels.length;
      for (let i = 0; i < c.codes.length; i++) first = Math.min(first, c.codes[i]!);
      references[c.name] = c.levels[first]!;
    }
  }
  const coefficients: Record<string, CoxCoefficient> = {};
  fit.names.forEach((name, j) => {
    coefficients[name] = {
      coef: fit.coefficients[j]!,
      se: fit.stdErrors[j]!,
      z: fit.z[j]!,
      p: fit.p[j]!,
      hr: fit.hazardRatios[j]!,
      hrLower: fit.hazardRatioLower[j]!,
      hrUpper: fit.hazardRatioUpper[j]!,
    };
  });
  const c = fit.concordance;
  return {
    ...info,
    covariates: used.map((col) => col.name),
    n: fit.n,
    events: fit.nEvents,
    excluded,
    ties,
    confLevel,
    terms: fit.names,
    coefficients,
    references,
    concordance: c.concordance,
    concordanceCounts: {
      concordant: c.concordant,
      discordant: c.discordant,
      tiedRisk: c.tiedRisk,
      tiedTime: c.tiedTime,
      tiedBoth: c.tiedBoth,
    },
    logLik: { null: fit.logLikNull, model: fit.logLik },
    tests: { likelihoodRatio: fit.likelihoodRatioTest, wald: fit.waldTest, score: fit.scoreTest },
    proportionalHazards: { terms: zph.terms, global: zph.global },
    iterations: fit.iterations,
    converged: fit.converged,
    warnings: [...warnings, ...fit.warnings],
  };
}

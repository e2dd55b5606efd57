/**
 * Campaigns (DOMAIN 6: measure the effect of each retention action): create one from a stored plan with a
 * seeded random holdout (control) group, record outcomes from a CSV file, and evaluate the measured
 * uplift, treatment against control, overall and per action.
 *
 * Statistics: retention (or win-back) rates compared with Newcombe's hybrid score interval for the
 * difference of two proportions; value per member compared with Welch's t interval for the difference of
 * two means. The measured save rate (the share of would-be churners the action kept) is the uplift divided
 * by the control group's churn rate; it is what an actions file's `saveRate` should hold.
 */
import type { Engine } from '../../engine/engine.js';
import type {
  CampaignMembers,
  CampaignOutcomeImport,
  CampaignOutcomeRow,
} from '../../engine/planning-types.js';
import { OUTCOME_FAILURE_WORDS, OUTCOME_SUCCESS_WORDS } from '../../engine/planning-types.js';
import { readTextTable } from '../../data/read-text-table.js';
import { assignHoldout } from '../../models/planning/holdout.js';
import { moments, newcombeInterval, welchInterval, type Interval } from '../../models/planning/uplift.js';
import { ImportRejectedError, UserError, type InputIssue } from '../../util/errors.js';
import { checkIsoDate } from '../../util/dates.js';

export interface CreateCampaignOptions {
  /** Stored plan id (default: the newest plan). */
  readonly planId?: string;
  readonly campaignId?: string;
  readonly name?: string;
  /** Share of each action's customers held out as control (default 0.2). */
  readonly holdout?: number;
  readonly seed?: number;
  /** Default: the plan's as-of day. */
  readonly startDate?: string;
}

export interface CreatedCampaign {
  readonly campaignId: string;
  readonly planId: string;
  readonly kind: 'retention' | 'winback';
  readonly startDate: string;
  readonly holdout: number;
  readonly seed: number;
  readonly treatment: number;
  readonly control: number;
  readonly treatmentCost: number;
  /** Cost saved by not contacting the control group. */
  readonly controlCostSaved: number;
  readonly byAction: readonly {
    readonly action: string;
    readonly treatment: number;
    readonly control: number;
  }[];
}

/**
 * @example await createCampaign(engine, { planId: 'P1', holdout: 0.2, seed: 7 });
 */
export async function createCampaign(
  engine: Engine,
  options: CreateCampaignOptions = {},
): Promise<CreatedCampaign> {
  const holdout = options.holdout ?? 0.2;
  if (!(holdout >= 0 && holdout < 1)) throw new UserError('--holdout must be a share from 0 to below 1');
  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed)) throw new UserError('--seed must be a whole number');
  checkIsoDate('--start', options.startDate);
  const plan = await engine.loadPlan(options.planId);
  if (!plan)
    throw new UserError(
      options.planId
        ? `no plan "${options.planId}": plans are stored by \`retain plan retention\` and \`retain plan winback\``
        : 'no stored plan: run `retain plan retention --budget B` (or `retain plan winback`) first',
    );
  if (plan.items.length === 0) throw new UserError(`plan ${plan.planId} contacts nobody: nothing to run`);
  const campaignId = options.campaignId ?? `CMP-${plan.planId}`;
  const control = assignHoldout(
    plan.items.map((i) => i.action),
    holdout,
    seed,
  );
  const members = plan.items.map((item, i) => ({
    customerId: item.customerId,
    group: control[i] ? ('control' as const) : ('treatment' as const),
    action: item.action,
    cost: item.cost,
    probability: item.probability,
    value: item.value,
    expectedSaved: item.expectedSaved,
  }));
  const startDate = options.startDate ?? plan.asOf;
  await engine.createCampaign({
    campaignId,
    name: options.name ?? `${plan.kind} campaign from plan ${plan.planId}`,
    kind: plan.kind,
    startDate,
    planId: plan.planId,
    holdout,
    seed,
    members,
  });
  const byAction = new Map<string, { treatment: number; control: number }>();
  let treatmentCost = 0;
  let controlCost = 0;
  for (const m of members) {
    let a = byAction.get(m.action);
    if (!a) byAction.set(m.action, (a = { treatment: 0, control: 0 }));
    a[m.group]++;
    if (m.group === 'control') controlCost += m.cost;
    else treatmentCost += m.cost;
  }
  return {
    campaignId,
    planId: plan.planId,
    kind: plan.kind,
    startDate,
    holdout,
    seed,
    treatment: members.length - members.filter((m) => m.group === 'control').length,
    control: members.filter((m) => m.group === 'control').length,
    treatmentCost,
    controlCostSaved: controlCost,
    byAction: [...byAction.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([action, g]) => ({ action, ...g })),
  };
}

/** Read and check an outcomes file: customer_id, outcome, value (optional), date. */
export async function readOutcomesFile(
  file: string,
  kind: string | null,
  members: ReadonlySet<string>,
): Promise<CampaignOutcomeRow[]> {
  const table = await readTextTable(file);
  const norm = (h: string) => h.toLowerCase().replace(/[\s_.-]/g, '');
  const col = (name: string, aliases: readonly string[]) =>
    table.header.findIndex((h) => [name, ...aliases].map(norm).includes(norm(h)));
  const idCol = col('customer_id', ['customer', 'id']);
  const outcomeCol = col('outcome', ['result']);
  const valueCol = col('value', ['amount', 'revenue']);
  const dateCol = col('date', ['outcome_date']);
  const missing = [
    ['customer_id', idCol],
    ['outcome', outcomeCol],
    ['date', dateCol],
  ].filter(([, c]) => c === -1);
  if (missing.length > 0)
    throw new UserError(
      `${file}: missing column(s) ${missing.map(([n]) => n).join(', ')} (header: ${table.header.join(', ')}); expected customer_id, outcome, value, date`,
    );
  const success = kind === 'winback' ? 'won_back' : 'retained';
  const failure = kind === 'winback' ? 'lost' : 'churned';
  const issues: InputIssue[] = [];
  const rows: CampaignOutcomeRow[] = [];
  const seen = new Map<string, number>();
  table.rows.forEach((r, k) => {
    const line = k + 2;
    const issue = (column: string, value: string, message: string) =>
      issues.push({ file, line, column, value, message });
    const id = (r[idCol] ?? '').trim();
    const outcomeText = (r[outcomeCol] ?? '')
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    const valueText = valueCol >= 0 ? (r[valueCol] ?? '').trim() : '';
    const date = (r[dateCol] ?? '').trim();
    if (id === '') issue('customer_id', id, 'is required');
    else if (!members.has(id)) issue('customer_id', id, 'is not a member of the campaign');
    else if (seen.has(id)) issue('customer_id', id, `appears twice (also on line ${seen.get(id)})`);
    else seen.set(id, line);
    let outcome = '';
    if ((OUTCOME_SUCCESS_WORDS as readonly string[]).includes(outcomeText)) outcome = success;
    else if ((OUTCOME_FAILURE_WORDS as readonly string[]).includes(outcomeText)) outcome = failure;
    else
      issue(
        'outcome',
        r[outcomeCol] ?? '',
        `must be a success (${OUTCOME_SUCCESS_WORDS.join(', ')}) or a failure (${OUTCOME_FAILURE_WORDS.join(', ')})`,
      );
    let value: number | null = null;
    if (valueText !== '') {
      const v = Number(valueText);
      if (!Number.isFinite(v)) issue('value', valueText, 'must be a number');
      else value = v;
    }
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
      Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
      new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
    )
      issue('date', date, 'must be a date YYYY-MM-DD');
    rows.push({ customerId: id, outcome, value, date });
  });
  if (table.rows.length === 0) throw new UserError(`${file}: no outcomes (only a header)`);
  if (issues.length > 0)
    throw new ImportRejectedError(issues, issues.length, 'fix the file and record it again');
  return rows;
}

/**
 * Record a campaign's outcomes from a CSV file (all or nothing; the same file again changes nothing).
 *
 * @example await recordCampaignOutcomes(engine, 'CMP-P1', 'outcomes.csv');
 */
export async function recordCampaignOutcomes(
  engine: Engine,
  campaignId: string,
  file: string,
): Promise<CampaignOutcomeImport & { campaignId: string; file: string; rows: number }> {
  const members = await engine.campaignMembers(campaignId, { outcomes: 'recorded' });
  const rows = await readOutcomesFile(file, members.kind, new Set(members.customerIds));
  const result = await engine.recordCampaignOutcomes(campaignId, rows);
  return { campaignId, file, rows: rows.length, ...result };
}

export interface GroupStats {
  readonly members: number;
  /** Members with a known outcome. */
  readonly known: number;
  readonly successes: number;
  readonly rate: number | null;
  readonly meanValue: number | null;
  readonly cost: number;
}

export interface UpliftResult {
  readonly action: string;
  readonly treatment: GroupStats;
  readonly control: GroupStats;
  /** Retention (win-back) rate, treatment - control, with Newcombe's interval. */
  readonly uplift: Interval | null;
  /** Mean value per member, treatment - control, with Welch's interval. */
  readonly valueUplift: (Interval & { df: number }) | null;
  /** uplift x treated members. */
  readonly incrementalCustomers: number | null;
  /** value uplift x treated members. */
  readonly incrementalValue: number | null;
  /** incrementalValue - cost of the treatment group. */
  readonly netValue: number | null;
  /** uplift / control churn rate: the share of would-be churners kept (retention campaigns). */
  readonly saveRate: number | null;
  /** Sum of expected saved value at creation over the treated members (campaigns created from plans). */
  readonly expectedAtCreation: number | null;
  /** The interval of the rate uplift excludes 0. */
  readonly significant: boolean;
}

export interface CampaignEvaluation {
  readonly campaignId: string;
  readonly kind: string | null;
  readonly source: CampaignMembers['source'];
  readonly outcomes: 'recorded' | 'data';
  readonly windowDays: number | null;
  readonly startDate: string | null;
  readonly level: number;
  readonly methods: { readonly rate: string; readonly value: string };
  readonly overall: UpliftResult;
  readonly byAction: readonly UpliftResult[];
  readonly pending: number;
  readonly notes: readonly string[];
}

function groupStats(m: CampaignMembers, rows: readonly number[], control: 0 | 1) {
  const picked = rows.filter((i) => m.control[i] === control);
  const known = picked.filter((i) => !Number.isNaN(m.success[i]!));
  const successes = known.reduce((s, i) => s + m.success[i]!, 0);
  const values = known.map((i) => m.value[i]!).filter((v) => !Number.isNaN(v));
  const mo = moments(values);
  const stats: GroupStats = {
    members: picked.length,
    known: known.length,
    successes,
    rate: known.length > 0 ? successes / known.length : null,
    meanValue: values.length > 0 ? mo.mean : null,
    cost: picked.reduce((s, i) => s + (Number.isNaN(m.cost[i]!) ? 0 : m.cost[i]!), 0),
  };
  const expected = picked.reduce((s, i) => s + m.expectedSaved[i]!, 0);
  return { stats, moments: mo, expected };
}

/** Uplift of one set of members (pure: from the members' arrays). */
export function upliftOf(
  m: CampaignMembers,
  rows: readonly number[],
  action: string,
  level: number,
): UpliftResult {
  const t = groupStats(m, rows, 0);
  const c = groupStats(m, rows, 1);
  const ok = t.stats.known > 0 && c.stats.known > 0;
  const uplift = ok
    ? newcombeInterval(t.stats.successes, t.stats.known, c.stats.successes, c.stats.known, level)
    : null;
  const valueUplift =
    t.moments.n >= 2 && c.moments.n >= 2 ? welchInterval(t.moments, c.moments, level) : null;
  const incrementalValue = valueUplift ? valueUplift.estimate * t.stats.members : null;
  const churnControl = c.stats.rate === null ? null : 1 - c.stats.rate;
  return {
    action,
    treatment: t.stats,
    control: c.stats,
    uplift,
    valueUplift,
    incrementalCustomers: uplift ? uplift.estimate * t.stats.members : null,
    incrementalValue,
    netValue: incrementalValue === null ? null : incrementalValue - t.stats.cost,
    saveRate:
      uplift && m.kind !== 'winback' && churnControl !== null && churnControl > 0
        ? uplift.estimate / churnControl
        : null,
    expectedAtCreation: Number.isNaN(t.expected) ? null : t.expected,
    significant: uplift !== null && (uplift.lower > 0 || uplift.upper < 0),
  };
}

export interface EvaluateOptions {
  /** Default: recorded when the campaign has recorded outcomes, else data. */
  readonly outcomes?: 'recorded' | 'data';
  readonly windowDays?: number;
  readonly level?: number;
}

/**
 * @example const e = await evaluateCampaign(engine, 'CMP-P1'); e.overall.uplift // { estimate, lower, upper }
 */
export async function evaluateCampaign(
  engine: Engine,
  campaignId: string,
  options: EvaluateOptions = {},
): Promise<CampaignEvaluation> {
  const level = options.level ?? 0.95;
  if (!(level > 0.5 && level < 1)) throw new UserError('--level must be between 0.5 and 1');
  let outcomes = options.outcomes;
  if (outcomes === undefined) {
    const row = (await engine.campaigns()).find((c) => c.campaignId === campaignId);
    outcomes = row && row.source === 'members' && row.outcomes > 0 ? 'recorded' : 'data';
  }
  const windowDays = options.windowDays ?? 90;
  const m = await engine.campaignMembers(campaignId, { outcomes, windowDays });
  const all = m.customerIds.map((_, i) => i);
  const notes: string[] = [];
  const pending = all.filter((i) => Number.isNaN(m.success[i]!)).length;
  if (pending > 0) notes.push(`${pending} member(s) without an outcome yet are left out`);
  if (outcomes === 'data')
    notes.push(
      m.kind === 'winback'
        ? `outcomes from the workspace: won back = a return within ${windowDays} days of ${m.startDate}; value = net amount in that window`
        : `outcomes from the workspace: retained = no churn event within ${windowDays} days of ${m.startDate}; value = net amount in that window`,
    );
  const overall = upliftOf(m, all, '(all)', level);
  if (overall.control.members === 0) notes.push('no control group: the uplift cannot be measured');
  const actions = [...new Set(m.action.filter((a, i) => a !== '' && m.control[i] === 0))].sort();
  const byAction =
    m.source === 'members' && actions.length > 1
      ? actions.map((a) =>
          upliftOf(
            m,
            all.filter((i) => m.action[i] === a),
            a,
            level,
          ),
        )
      : [];
  return {
    campaignId,
    kind: m.kind,
    source: m.source,
    outcomes,
    windowDays: outcomes === 'data' ? windowDays : null,
    startDate: m.startDate,
    level,
    methods: {
      rate: 'Newcombe hybrid score interval (Wilson-based, method 10) for the difference of two proportions',
      value: 'Welch t interval (unequal variances, Welch-Satterthwaite df) for the difference of two means',
    },
    overall,
    byAction,
    pending,
    notes,
  };
}

/**
 * Retention and win-back actions: what each costs and what share of would-be churners (or leavers) it
 * keeps (or wins back). The defaults and where each number comes from are in docs/planning.md; a team
 * replaces them with its own numbers in an actions file (YAML or JSON) once `retain campaign evaluate` has
 * measured them.
 *
 * Cost of an action on a customer = `cost` (per contact) + `costShare` x the customer's value (e.g. a
 * discount); expected saved value = churn probability x `saveRate` x value.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, stringify, type Document } from 'yaml';
import { UserError } from '../../util/errors.js';

export interface PlanAction {
  readonly id: string;
  readonly name: string;
  /** Cost per contacted customer (currency). */
  readonly cost: number;
  /** Share of the customer's value the action also costs (a discount), 0-1; default 0. */
  readonly costShare: number;
  /** Share of would-be churners the action keeps (retention) or of leavers it wins back (win-back), 0-1. */
  readonly saveRate: number;
  /** Only for customers worth at least this much (e.g. VIP treatment); default 0. */
  readonly minValue: number;
  /** Where the numbers come from. */
  readonly source: string;
}

/**
 * Default retention actions (DOMAIN 6: VIP call-backs and visits, tailored offers, plan changes, loyalty
 * points). Save rates other than the discount's are assumptions to be replaced with measured uplift.
 */
export const DEFAULT_RETENTION_ACTIONS: readonly PlanAction[] = [
  {
    id: 'vip_callback',
    name: 'VIP call-back or visit',
    cost: 25,
    costShare: 0,
    saveRate: 0.3,
    minValue: 0,
    source:
      'assumption: personal contact keeps somewhat more than the 1 in 4 a win-back achieves (DOMAIN 1), at the cost of about half an hour of an account manager',
  },
  {
    id: 'discount',
    name: 'Retention discount (20 % off for 6 months)',
    cost: 3,
    costShare: 0.035,
    saveRate: 0.22,
    minValue: 0,
    source:
      "the demo retention campaign (docs/demo-data.md): 3 per contact, 35 % accept 20 % off for 6 months (0.35 x 0.10 = 3.5 % of a year's value); churn 26.2 % in control vs 20.4 % treated keeps 22 % of would-be churners",
  },
  {
    id: 'plan_change',
    name: 'Offer a better-fitting plan',
    cost: 10,
    costShare: 0,
    saveRate: 0.15,
    minValue: 0,
    source:
      'assumption: a service call and a plan review; fixes price and fit reasons (DOMAIN 5.2 codes 101, 102)',
  },
  {
    id: 'loyalty_points',
    name: 'Loyalty points',
    cost: 2,
    costShare: 0.02,
    saveRate: 0.08,
    minValue: 0,
    source:
      "assumption: points worth 2 % of a year's value and a mailing; a weak but cheap lever (DOMAIN 6 loyalty programs)",
  },
];

/** Default win-back action: a win-back attempt succeeds about 1 time in 4 (DOMAIN 1). */
export const DEFAULT_WINBACK_ACTION: PlanAction = {
  id: 'winback_call',
  name: 'Win-back call with a tailored offer',
  cost: 20,
  costShare: 0,
  saveRate: 0.25,
  minValue: 0,
  source: 'DOMAIN 1: a win-back attempt on a lost customer succeeds about 1 time in 4; cost an assumption',
};

const KEYS: Record<string, 'string' | 'number'> = {
  id: 'string',
  name: 'string',
  cost: 'number',
  costShare: 'number',
  saveRate: 'number',
  minValue: 'number',
  source: 'string',
};

/** Parse an actions file's text: `actions: [...]` or a bare list. Every problem names line and field. */
export function parseActions(text: string, source: string): PlanAction[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return source;
    const { line, col } = lines.linePos(offset);
    return `${source}:${line}:${col}`;
  };
  if (doc.errors.length > 0)
    throw new UserError(
      `${source}: not valid YAML/JSON:\n${doc.errors.map((e) => `  ${at(e.pos[0])}: ${e.message.split('\n')[0]}`).join('\n')}`,
    );
  const value: unknown = doc.toJS();
  const listPath: (string | number)[] = Array.isArray(value) ? [] : ['actions'];
  const raw = Array.isArray(value) ? value : (value as { actions?: unknown } | null)?.actions;
  if (!Array.isArray(raw) || raw.length === 0)
    throw new UserError(`${source}: expected a non-empty list of actions (under "actions:", or a bare list)`);
  if (!Array.isArray(value)) {
    const extra = Object.keys(value as object).filter((k) => k !== 'actions');
    if (extra.length > 0) throw new UserError(`${at(offsetOf(doc, [extra[0]!]))}: unknown key "${extra[0]}"`);
  }
  const problems: string[] = [];
  const actions: PlanAction[] = [];
  const seen = new Set<string>();
  raw.forEach((item: unknown, i: number) => {
    const path = [...listPath, i];
    const label = `actions[${i}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      problems.push(`${at(offsetOf(doc, path))}: ${label}: expected a mapping with id, cost and saveRate`);
      return;
    }
    const o = item as Record<string, unknown>;
    const issue = (field: string, message: string) =>
      problems.push(
        `${at(offsetOf(doc, [...path, field]) ?? offsetOf(doc, path))}: ${label}.${field}: ${message}`,
      );
    for (const [k, v] of Object.entries(o)) {
      const type = KEYS[k];
      if (!type) issue(k, `unknown field (fields: ${Object.keys(KEYS).join(', ')})`);
      else if (type === 'number' && (typeof v !== 'number' || !Number.isFinite(v)))
        issue(k, `must be a number, not ${JSON.stringify(v)}`);
      else if (type === 'string' && typeof v !== 'string') issue(k, `must be text, not ${JSON.stringify(v)}`);
    }
    for (const k of ['id', 'cost', 'saveRate']) if (o[k] === undefined) issue(k, 'is required');
    const num = (k: string, fallback: number) => (typeof o[k] === 'number' ? (o[k] as number) : fallback);
    const id = typeof o.id === 'string' ? o.id.trim() : '';
    if (typeof o.id === 'string' && !/^[A-Za-z0-9_.-]+$/.test(id))
      issue('id', 'use letters, digits, _ . - only');
    if (id && seen.has(id)) issue('id', `"${id}" is used twice`);
    seen.add(id);
    const cost = num('cost', 0);
    const costShare = num('costShare', 0);
    const saveRate = num('saveRate', 0.5);
    const minValue = num('minValue', 0);
    if (cost < 0) issue('cost', 'must be >= 0');
    if (costShare < 0 || costShare > 1) issue('costShare', 'must be between 0 and 1');
    if (!(saveRate > 0 && saveRate <= 1)) issue('saveRate', 'must be > 0 and <= 1');
    if (minValue < 0) issue('minValue', 'must be >= 0');
    actions.push({
      id,
      name: typeof o.name === 'string' ? o.name : id,
      cost,
      costShare,
      saveRate,
      minValue,
      source: typeof o.source === 'string' ? o.source : `${source}`,
    });
  });
  if (problems.length > 0)
    throw new UserError(
      `${source}: ${problems.length} problem(s) in the actions:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  return actions;
}

function offsetOf(doc: Document, path: readonly (string | number)[]): number | undefined {
  for (let k = path.length; k >= 0; k--) {
    const node = doc.getIn(path.slice(0, k), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return node.range[0];
  }
  return undefined;
}

export function readActionsFile(file: string): PlanAction[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`${file}: cannot read the actions file`);
  }
  return parseActions(text, file);
}

/** The actions as an editable YAML document. */
export function actionsToYaml(actions: readonly PlanAction[]): string {
  return stringify({ actions: actions.map((a) => ({ ...a })) });
}

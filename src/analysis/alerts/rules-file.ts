/**
 * Reading and writing alert-rules files (YAML, or JSON, which is read as YAML). Every problem is reported
 * with the file, line and column it is at: syntax errors, schema violations (wrong types, unknown keys,
 * values out of range) and rules that cannot work (a level without a condition, a range that ends before
 * it starts, an R range beyond the lost limit, dealer grades out of order).
 */
import { readFileSync } from 'node:fs';
import { Document, LineCounter, isMap, isScalar, isSeq, parseDocument, visit, type Node } from 'yaml';
import { UserError } from '../../util/errors.js';
import { ALERT_RULES_SCHEMA, validateSchema, type SchemaIssue } from './rules-schema.js';
import { DEFAULT_ALERT_RULES, type AlertLevelRule, type AlertRules, type PercentRange } from './rules.js';

/** Problems shown in one error message at most. */
const MAX_SHOWN = 20;

type Path = readonly (string | number)[];

export function formatPath(path: Path): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? '(top level)' : out;
}

/** Offset in the text of the node at `path` (or of its key), else of the nearest ancestor that exists. */
function offsetOf(doc: Document, path: Path, atKey: boolean): number | null {
  let node: unknown = doc.contents;
  let offset: number | null = (node as Node | null)?.range?.[0] ?? null;
  for (let i = 0; i < path.length; i++) {
    const step = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return offset;
      if (last && atKey && isScalar(pair.key)) return pair.key.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step];
    } else return offset;
    offset = (node as Node | null)?.range?.[0] ?? offset;
  }
  return offset;
}

/** Parse a rules document; throws a UserError listing every problem with its line and column. */
export function parseRules(text: string, source: string): AlertRules {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const where = (offset: number | null): string => {
    if (offset === null) return source;
    const { line, col } = lines.linePos(offset);
    return `${source}:${line}:${col}`;
  };
  if (doc.errors.length > 0)
    throw problems(
      source,
      doc.errors.map((e) => `${where(e.pos[0])}: ${e.message.split('\n')[0]}`),
    );
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) throw new UserError(`${source}: the rules file is empty`);
  const issues: SchemaIssue[] = validateSchema(value, ALERT_RULES_SCHEMA);
  if (issues.length === 0) {
    const rules = mergeWithDefaults(value as Record<string, unknown>);
    issues.push(...checkRules(rules));
    if (issues.length === 0) return rules;
  }
  throw problems(
    source,
    issues.map((i) => `${where(offsetOf(doc, i.path, i.atKey))}: ${formatPath(i.path)}: ${i.message}`),
  );
}

function problems(source: string, messages: readonly string[]): UserError {
  const shown = messages.slice(0, MAX_SHOWN).map((m) => `  ${m}`);
  const more = messages.length > MAX_SHOWN ? [`  ... and ${messages.length - MAX_SHOWN} more`] : [];
  return new UserError(
    [`rules file ${source} has ${messages.length} problem(s):`, ...shown, ...more].join('\n'),
  );
}

/** Read and check a rules file (YAML or JSON). */
export function readRulesFile(file: string): AlertRules {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read the rules file ${file}: ${(error as Error).message}`);
  }
  return parseRules(text.replace(/^\uFEFF/, ''), file);
}

type Obj = Record<string, unknown>;

function percent(v: unknown): PercentRange | null {
  if (v === null || v === undefined) return null;
  const r = v as { above: number; upTo?: number | null };
  return { above: r.above, upTo: r.upTo ?? null };
}

/** Fill what a (schema-valid) user document leaves out from the defaults. */
function mergeWithDefaults(user: Obj): AlertRules {
  const d = DEFAULT_ALERT_RULES;
  const has = (k: string) => Object.prototype.hasOwnProperty.call(user, k);
  const levels = has('levels')
    ? (user.levels as Obj[]).map((l): AlertLevelRule => ({
        name: String(l.name),
        label: (l.label as string | null | undefined) ?? null,
        recencyDays: (l.recencyDays as AlertLevelRule['recencyDays'] | undefined) ?? null,
        frequencyDownPercent: percent(l.frequencyDownPercent),
        monetaryDownPercent: percent(l.monetaryDownPercent),
      }))
    : d.levels;
  return {
    version: 1,
    transactionKinds: has('transactionKinds')
      ? (user.transactionKinds as string[] | null)
      : d.transactionKinds,
    lostAfterDays: has('lostAfterDays') ? (user.lostAfterDays as number) : d.lostAfterDays,
    baseline: { ...d.baseline, ...(user.baseline as Obj | undefined) },
    levels,
    groups: { ...d.groups, ...(user.groups as Obj | undefined) },
    products: { ...d.products, ...(user.products as Obj | undefined) },
    dealer: { ...d.dealer, ...(user.dealer as Obj | undefined) },
  };
}

/**
 * Problems a schema cannot express. Paths point into the user's document; for a value that came from the
 * defaults, the nearest key the document has is shown.
 */
export function checkRules(rules: AlertRules): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const add = (path: Path, message: string) => issues.push({ path, atKey: false, message });
  const names = new Set<string>();
  rules.levels.forEach((l, i) => {
    const at = ['levels', i] as const;
    if (l.name === 'lost') add([...at, 'name'], '"lost" is reserved for customers beyond lostAfterDays');
    else if (names.has(l.name)) add([...at, 'name'], `the level name "${l.name}" is used twice`);
    names.add(l.name);
    if (!l.recencyDays && !l.frequencyDownPercent && !l.monetaryDownPercent)
      add(at, 'a level needs at least one of recencyDays, frequencyDownPercent, monetaryDownPercent');
    if (l.recencyDays) {
      if (l.recencyDays.to < l.recencyDays.from)
        add(
          [...at, 'recencyDays', 'to'],
          `ends (${l.recencyDays.to}) before it starts (${l.recencyDays.from})`,
        );
      else if (l.recencyDays.to > rules.lostAfterDays)
        add(
          [...at, 'recencyDays', 'to'],
          `${l.recencyDays.to} is beyond lostAfterDays (${rules.lostAfterDays}): such customers are lost`,
        );
    }
    for (const key of ['frequencyDownPercent', 'monetaryDownPercent'] as const) {
      const r = l[key];
      if (r && r.upTo !== null && r.upTo <= r.above)
        add([...at, key, 'upTo'], `must be above "above" (${r.above}), not ${r.upTo}`);
    }
  });
  const grades = rules.dealer.grades;
  const seen = new Set<string>();
  grades.forEach((g, i) => {
    if (seen.has(g.grade)) add(['dealer', 'grades', i, 'grade'], `the grade "${g.grade}" is used twice`);
    seen.add(g.grade);
    if (i > 0 && g.minVisits >= grades[i - 1]!.minVisits)
      add(
        ['dealer', 'grades', i, 'minVisits'],
        `grades go from the most visits to the fewest: ${g.minVisits} must be below ${grades[i - 1]!.minVisits}`,
      );
  });
  if (grades.length > 0 && grades.at(-1)!.minVisits !== 0)
    add(
      ['dealer', 'grades', grades.length - 1, 'minVisits'],
      'the last grade must have minVisits 0, so that every customer gets a grade',
    );
  return issues;
}

/** The rules as a YAML file that `--rules` reads back (short ranges and lists on one line). */
export function rulesToYaml(rules: AlertRules): string {
  const doc = new Document(rules);
  visit(doc, {
    Map(_, node) {
      if (node.items.every((p) => isScalar(p.value))) node.flow = true;
    },
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  doc.commentBefore =
    ' Retain early-warning rules (retain alerts --rules FILE). Every key is optional: what is left out\n' +
    ' comes from the defaults. Format and reading of the rules: docs/alert-rules.md;\n' +
    ' JSON Schema: docs/alert-rules.schema.json.';
  return doc.toString({ lineWidth: 110 });
}

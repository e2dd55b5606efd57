import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRules, rulesToYaml } from '../../../src/analysis/alerts/rules-file.js';
import { ALERT_RULES_SCHEMA, validateSchema } from '../../../src/analysis/alerts/rules-schema.js';
import { DEFAULT_ALERT_RULES, describeLevel } from '../../../src/analysis/alerts/rules.js';
import { UserError } from '../../../src/util/errors.js';
import { REPO } from '../../helpers.js';

/** The error message of parsing `text` (which must fail). */
function problems(text: string): string {
  try {
    parseRules(text, 'r.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected the rules to be rejected');
}

describe('rules files', () => {
  it('the default rules are the bank rules of DOMAIN 5.3', () => {
    expect(DEFAULT_ALERT_RULES.lostAfterDays).toBe(60);
    expect(DEFAULT_ALERT_RULES.baseline).toEqual({ months: 6, recentDays: 30 });
    expect(DEFAULT_ALERT_RULES.levels.map((l) => `${l.name} ${l.label}: ${describeLevel(l)}`)).toEqual([
      'yellow 关注: R 0-10 days, or F down > 0% and <= 30%, or M down > 0% and <= 30%',
      'orange 重点关注: R 11-30 days, or F down > 30% and <= 50%, or M down > 30% and <= 50%',
      'red 危机: R 31-60 days, or F down > 50%, or M down > 50%',
    ]);
    expect(DEFAULT_ALERT_RULES.dealer.grades.map((g) => `${g.grade}${g.minVisits}`)).toEqual([
      'A3',
      'B2',
      'C1',
      'D0',
    ]);
  });

  it('YAML written by `rules show` and JSON read back to the same rules', () => {
    expect(parseRules(rulesToYaml(DEFAULT_ALERT_RULES), 'r.yaml')).toEqual(DEFAULT_ALERT_RULES);
    expect(parseRules(JSON.stringify(DEFAULT_ALERT_RULES, null, '\t'), 'r.json')).toEqual(
      DEFAULT_ALERT_RULES,
    );
  });

  it('a partial file takes the rest from the defaults', () => {
    const rules = parseRules(
      [
        '# telecom: monthly bills only, lost after 90 days',
        'transactionKinds: [bill]',
        'lostAfterDays: 90',
        'baseline: { months: 3 }',
        'levels:',
        '  - name: watch',
        '    monetaryDownPercent: { above: 20 }',
        'groups: { dimensions: [region], enabled: false }',
      ].join('\n'),
      'r.yaml',
    );
    expect(rules).toEqual({
      ...DEFAULT_ALERT_RULES,
      transactionKinds: ['bill'],
      lostAfterDays: 90,
      baseline: { months: 3, recentDays: 30 },
      levels: [
        {
          name: 'watch',
          label: null,
          recencyDays: null,
          frequencyDownPercent: null,
          monetaryDownPercent: { above: 20, upTo: null },
        },
      ],
      groups: { ...DEFAULT_ALERT_RULES.groups, dimensions: ['region'], enabled: false },
    });
  });

  it('schema problems point at the line and column', () => {
    const message = problems(
      [
        'lostAfterDays: sixty', // 1
        'levels:', // 2
        '  - name: yellow', // 3
        '    recencyDays: { from: 0, to: 10.5 }', // 4
        '    frequencyDown: { above: 0 }', // 5
        '  - name: 2orange', // 6
        '    monetaryDownPercent: { above: -5, upTo: 50 }', // 7
        'groups:', // 8
        '  dimensions: [region, city]', // 9
        '  churnSource: events', // 10
        'dealer:', // 11
        '  grades:', // 12
        '    - { grade: A }', // 13
      ].join('\n'),
    );
    expect(message.split('\n')).toEqual([
      'rules file r.yaml has 8 problem(s):',
      '  r.yaml:1:16: lostAfterDays: must be a whole number, not "sixty"',
      '  r.yaml:4:33: levels[0].recencyDays.to: must be a whole number, not 10.5',
      '  r.yaml:5:5: levels[0].frequencyDown: unknown key "frequencyDown" (known: name, label, recencyDays, frequencyDownPercent, monetaryDownPercent)',
      '  r.yaml:6:11: levels[1].name: "2orange" must match ^[A-Za-z][A-Za-z0-9_-]{0,39}$',
      '  r.yaml:7:35: levels[1].monetaryDownPercent.above: must be at least 0, not -5',
      '  r.yaml:9:24: groups.dimensions[1]: must be one of all, segment, region, plan, channel, gender, not "city"',
      '  r.yaml:10:16: groups.churnSource: must be one of auto, churn_events, inactivity, not "events"',
      '  r.yaml:13:7: dealer.grades[0]: "minVisits" is required',
    ]);
  });

  it('rules that cannot work are refused with their place', () => {
    const message = problems(
      [
        'lostAfterDays: 45', // 1
        'levels:', // 2
        '  - name: a', // 3
        '    recencyDays: { from: 20, to: 10 }', // 4
        '  - name: a', // 5
        '    recencyDays: { from: 30, to: 50 }', // 6
        '  - name: lost', // 7
        '    frequencyDownPercent: { above: 50, upTo: 40 }', // 8
        '  - name: empty', // 9
        'dealer:', // 10
        '  grades: [{ grade: A, minVisits: 1 }, { grade: B, minVisits: 2 }]', // 11
      ].join('\n'),
    );
    expect(message.split('\n')).toEqual([
      'rules file r.yaml has 8 problem(s):',
      '  r.yaml:4:34: levels[0].recencyDays.to: ends (10) before it starts (20)',
      '  r.yaml:5:11: levels[1].name: the level name "a" is used twice',
      '  r.yaml:6:34: levels[1].recencyDays.to: 50 is beyond lostAfterDays (45): such customers are lost',
      '  r.yaml:7:11: levels[2].name: "lost" is reserved for customers beyond lostAfterDays',
      '  r.yaml:8:46: levels[2].frequencyDownPercent.upTo: must be above "above" (50), not 40',
      '  r.yaml:9:5: levels[3]: a level needs at least one of recencyDays, frequencyDownPercent, monetaryDownPercent',
      '  r.yaml:11:63: dealer.grades[1].minVisits: grades go from the most visits to the fewest: 2 must be below 1',
      '  r.yaml:11:63: dealer.grades[1].minVisits: the last grade must have minVisits 0, so that every customer gets a grade',
    ]);
    expect(problems('dealer:\n  grades:\n    - { grade: A, minVisits: 2 }\n')).toContain(
      'r.yaml:3:30: dealer.grades[0].minVisits: the last grade must have minVisits 0',
    );
  });

  it('syntax errors, repeated keys, JSON errors and empty files', () => {
    expect(problems('levels:\n  - name: x\n   recencyDays: {from: 1\n')).toMatch(
      /^rules file r\.yaml has \d problem\(s\):\n {2}r\.yaml:3:\d+: /,
    );
    expect(problems('lostAfterDays: 60\nlostAfterDays: 61\n')).toContain(
      'r.yaml:2:1: Map keys must be unique',
    );
    expect(problems('{\n  "lostAfterDays": 60,\n  "levels": 3\n}\n')).toContain(
      'r.yaml:3:13: levels: must be an array, not 3',
    );
    expect(problems('[1, 2]')).toContain('r.yaml:1:1: (top level): must be an object');
    expect(problems('# nothing\n')).toBe('r.yaml: the rules file is empty');
    expect(problems('version: 2\n')).toContain('r.yaml:1:10: version: must be 1, not 2');
  });
});

describe('docs/alert-rules.md', () => {
  it('its example files are valid rules, the same in YAML and JSON', () => {
    const doc = readFileSync(join(REPO, 'docs', 'alert-rules.md'), 'utf8');
    const block = (lang: string) => doc.match(new RegExp('```' + lang + '\\n([\\s\\S]*?)```'))![1]!;
    const fromYaml = parseRules(block('yaml'), 'example.yaml');
    expect(parseRules(block('json'), 'example.json')).toEqual(fromYaml);
    expect(fromYaml.transactionKinds).toEqual(['bill']);
    expect(fromYaml.levels.map((l) => l.name)).toEqual(['yellow', 'orange', 'red']);
  });
});

describe('the rules schema', () => {
  it('docs/alert-rules.schema.json is the schema the validator uses', () => {
    const file = JSON.parse(readFileSync(join(REPO, 'docs', 'alert-rules.schema.json'), 'utf8')) as unknown;
    expect(file).toEqual(ALERT_RULES_SCHEMA);
  });

  it('agrees with the TypeScript types: every key of the rules is in the schema and the defaults pass', () => {
    expect(validateSchema(DEFAULT_ALERT_RULES)).toEqual([]);
    const props = (s: unknown) => Object.keys((s as { properties: object }).properties).sort();
    const schema = ALERT_RULES_SCHEMA as Record<string, Record<string, unknown>>;
    expect(props(schema).filter((k) => k !== '$schema')).toEqual(Object.keys(DEFAULT_ALERT_RULES).sort());
    const p = schema.properties as Record<string, unknown>;
    expect(props(p.baseline)).toEqual(Object.keys(DEFAULT_ALERT_RULES.baseline).sort());
    expect(props(p.groups)).toEqual(Object.keys(DEFAULT_ALERT_RULES.groups).sort());
    expect(props(p.dealer)).toEqual(Object.keys(DEFAULT_ALERT_RULES.dealer).sort());
    const defs = schema.$defs as Record<string, unknown>;
    expect(props(defs.level)).toEqual(Object.keys(DEFAULT_ALERT_RULES.levels[0]!).sort());
    expect(props(defs.percentRange)).toEqual(
      Object.keys(DEFAULT_ALERT_RULES.levels[0]!.monetaryDownPercent!).sort(),
    );
    expect(props(defs.dayRange)).toEqual(Object.keys(DEFAULT_ALERT_RULES.levels[0]!.recencyDays!).sort());
  });
});

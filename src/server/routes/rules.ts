/**
 * The analyses that take a user's rule files, over the API: the files' text or JSON travels in the body
 * (a bad file is a 422 naming the setting, or the line and column of the YAML), never a path on the
 * server. Reading the rules in force gives a complete file to edit and send back.
 */
import { Type } from '@sinclair/typebox';
import { ALERT_RULES_SCHEMA } from '../../analysis/alerts/rules-schema.js';
import { parseRules, rulesToYaml } from '../../analysis/alerts/rules-file.js';
import { DEFAULT_ALERT_RULES } from '../../analysis/alerts/rules.js';
import { checkPlaybook, DEFAULT_PLAYBOOK } from '../../analysis/lifecycle/playbook.js';
import { mergeLifecycleRules } from '../../analysis/lifecycle/rules.js';
import { DEFAULT_LIFECYCLE_RULES } from '../../engine/lifecycle-types.js';
import type { App, ServerContext } from '../app.js';
import { errors, reply } from '../schemas.js';
import {
  AlertsFields,
  AlertsReply,
  LifecycleFields,
  LifecycleReply,
  runAlertsReport,
  runLifecycle,
} from './analyses.js';

const noExtra = { additionalProperties: false } as const;
const RULES_TEXT_LIMIT = 200_000;

const AlertRulesText = Type.String({
  minLength: 1,
  maxLength: RULES_TEXT_LIMIT,
  description:
    'the text of an early-warning rules file, YAML or JSON (GET /api/alerts/rules gives the defaults)',
});

/** Alert rules from the text of a rules file; problems name the line and column (422). */
const alertRulesOf = (text: string | undefined) =>
  text === undefined ? DEFAULT_ALERT_RULES : parseRules(text, 'alertRules');

export function registerRuleRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/lifecycle/rules',
    {
      schema: {
        summary: 'the lifecycle settings and playbook in force (retain lifecycle --show-rules --json)',
        tags: ['analyses'],
        response: { 200: Type.Object({ rules: Type.Unknown(), playbook: Type.Unknown() }), ...errors() },
      },
    },
    async () => ({ rules: DEFAULT_LIFECYCLE_RULES, playbook: DEFAULT_PLAYBOOK }),
  );

  app.post(
    '/api/lifecycle',
    {
      config: { role: 'viewer', readOnly: true },
      schema: {
        summary:
          'lifecycle stages with your own settings, playbook or alert rules (retain lifecycle --rules ...)',
        description:
          'As GET /api/lifecycle, with the files of `--rules` (an object of settings to change), `--playbook` ' +
          '(stage -> tier -> action) and `--alert-rules` (the text of a rules file) in the body. Nothing is stored.',
        tags: ['analyses'],
        body: Type.Object(
          {
            ...LifecycleFields,
            rules: Type.Optional(
              Type.Record(Type.String(), Type.Number(), { description: 'lifecycle settings to change' }),
            ),
            playbook: Type.Optional(
              Type.Record(Type.String(), Type.Record(Type.String(), Type.String()), {
                description: 'stage -> { high | medium | low | * -> action }',
              }),
            ),
            alertRules: Type.Optional(AlertRulesText),
          },
          noExtra,
        ),
        response: {
          200: LifecycleReply,
          ...errors(400, 422),
        },
      },
    },
    async (request) => {
      const { rules, playbook, alertRules, ...q } = request.body;
      return reply(
        await runLifecycle(ctx, q, {
          ...(rules ? { rules: mergeLifecycleRules(rules, 'rules') } : {}),
          ...(playbook ? { playbook: checkPlaybook(playbook, 'playbook') } : {}),
          alertRules: alertRulesOf(alertRules),
        }),
      );
    },
  );

  app.get(
    '/api/alerts/rules',
    {
      schema: {
        summary: 'the early-warning rules in force, as JSON and as a YAML file (retain rules show)',
        tags: ['analyses'],
        response: {
          200: Type.Object({ rules: Type.Unknown(), yaml: Type.String(), schema: Type.Unknown() }),
          ...errors(),
        },
      },
    },
    async () => ({
      rules: DEFAULT_ALERT_RULES,
      yaml: rulesToYaml(DEFAULT_ALERT_RULES),
      schema: ALERT_RULES_SCHEMA,
    }),
  );

  app.post(
    '/api/alerts',
    {
      config: { role: 'viewer', readOnly: true },
      schema: {
        summary:
          'early-warning alerts with your own rules file (retain alerts --rules FILE --no-save --json)',
        description: 'As GET /api/alerts, with the text of a rules file in `rules`. Never stored.',
        tags: ['analyses'],
        body: Type.Object({ rules: AlertRulesText, ...AlertsFields }, noExtra),
        response: {
          200: AlertsReply,
          ...errors(400, 422),
        },
      },
    },
    async (request) => {
      const { rules, ...q } = request.body;
      return runAlertsReport(ctx, q, alertRulesOf(rules));
    },
  );
}

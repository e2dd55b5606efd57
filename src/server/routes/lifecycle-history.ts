/**
 * Recorded month-end lifecycle stages: record them (a job; retain lifecycle history --json), and the moves
 * between them (retain lifecycle transitions / flows --json).
 */
import { Type } from '@sinclair/typebox';
import { DEFAULT_ALERT_RULES, customerAlertSpec } from '../../analysis/alerts/rules.js';
import { parseRules } from '../../analysis/alerts/rules-file.js';
import { monthEnds } from '../../analysis/lifecycle/lifecycle-analysis.js';
import { lifecycleFlows } from '../../analysis/lifecycle/lifecycle-flows.js';
import { mergeLifecycleRules } from '../../analysis/lifecycle/rules.js';
import { DEFAULT_LIFECYCLE_RULES, LIFECYCLE_MODELS } from '../../engine/lifecycle-types.js';
import type { App, ServerContext } from '../app.js';
import { whoOf } from '../auth.js';
import { JobCancelledError } from '../jobs.js';
import { errors, IsoDate, JobSchema, reply, StringEnum } from '../schemas.js';

const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });

export const HistoryBody = Type.Object(
  {
    from: Month,
    to: Month,
    model: Type.Optional(
      StringEnum(LIFECYCLE_MODELS, {
        default: 'states',
        description: 'the mix in the result (all are recorded)',
      }),
    ),
    rules: Type.Optional(
      Type.Record(Type.String(), Type.Number(), { description: 'lifecycle settings to change (--rules)' }),
    ),
    alertRules: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200_000,
        description: 'the text of an early-warning rules file, YAML or JSON (--alert-rules)',
      }),
    ),
  },
  { additionalProperties: false },
);

export function registerLifecycleHistoryRoutes(app: App, ctx: ServerContext): void {
  app.post(
    '/api/lifecycle/history',
    {
      config: { role: 'analyst' },
      schema: {
        summary: "record every customer's month-end stages (a job; retain lifecycle history --json)",
        description:
          'The job result is `{ model, months, rowsKept, mix }`; GET /api/lifecycle/mix reads what is recorded.',
        tags: ['analyses'],
        body: HistoryBody,
        response: { 202: JobSchema, ...errors(400, 403, 422) },
      },
    },
    async (request, res) => {
      const b = request.body;
      const months = monthEnds(b.from, b.to); // a bad range is a 422 at once
      const model = b.model ?? 'states';
      // bad rules are a 422 at once, not in the job
      const rules = b.rules ? mergeLifecycleRules(b.rules, 'rules') : DEFAULT_LIFECYCLE_RULES;
      const alertRules = b.alertRules ? parseRules(b.alertRules, 'alertRules') : DEFAULT_ALERT_RULES;
      const job = ctx.jobs.submit({
        kind: 'lifecycle-history',
        createdBy: whoOf(request),
        params: b,
        run: async ({ signal, progress }) =>
          ctx.lock.run(async () => {
            if (signal.aborted) throw new JobCancelledError();
            progress({ phase: 'month ends', done: 0, total: months.length, unit: 'months' });
            const rowsKept = await ctx.engine.recordLifecycleHistory(
              months,
              { rules, alerts: customerAlertSpec(alertRules) },
              (done) => progress({ phase: 'month ends', done, total: months.length, unit: 'months' }),
            );
            const mix = (await ctx.engine.lifecycleMix(model)).filter((m) => months.includes(m.monthEnd));
            return { model, months, rowsKept, mix };
          }),
      });
      return res.code(202).send(job);
    },
  );

  const Transition = Type.Object({ from: Type.String(), to: Type.String(), customers: Type.Integer() });
  const ModelQuery = { model: Type.Optional(StringEnum(LIFECYCLE_MODELS, { default: 'states' })) };

  app.get(
    '/api/lifecycle/transitions',
    {
      schema: {
        summary:
          'customers moving between stages from one recorded month end to another (retain lifecycle transitions --json)',
        tags: ['analyses'],
        querystring: Type.Object(
          { from: IsoDate, to: IsoDate, ...ModelQuery },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            model: Type.String(),
            from: Type.String(),
            to: Type.String(),
            transitions: Type.Array(Transition),
          }),
          ...errors(400, 422),
        },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      const model = request.query.model ?? 'states';
      const transitions = await ctx.lock.run(() => ctx.engine.lifecycleTransitions(model, from, to));
      return { model, from, to, transitions };
    },
  );

  app.get(
    '/api/lifecycle/flows',
    {
      schema: {
        summary:
          'the moves between stages from each recorded month end to the next (retain lifecycle flows --json)',
        tags: ['analyses'],
        querystring: Type.Object(ModelQuery, { additionalProperties: false }),
        response: {
          200: Type.Object({
            model: Type.String(),
            flows: Type.Array(
              Type.Object({ from: Type.String(), to: Type.String(), moves: Type.Array(Transition) }),
            ),
          }),
          ...errors(400, 422),
        },
      },
    },
    async (request) =>
      reply(await ctx.lock.run(() => lifecycleFlows(ctx.engine, request.query.model ?? 'states'))),
  );
}

/** Planning: the value x risk matrix (retain plan matrix --json) and a retention plan (a job; retain plan retention --json). */
import { Type } from '@sinclair/typebox';
import { parseActions } from '../../analysis/planning/actions.js';
import { planRetention } from '../../analysis/planning/retention-plan.js';
import { valueRiskMatrix } from '../../analysis/planning/value-risk.js';
import { PLAN_GROUP_ATTRIBUTES } from '../../engine/planning-types.js';
import type { App, ServerContext } from '../app.js';
import { whoOf } from '../auth.js';
import { JobCancelledError } from '../jobs.js';
import { errors, IsoDate, JobSchema, Loose, reply, StringEnum } from '../schemas.js';

const noExtra = { additionalProperties: false } as const;
const METHODS = ['auto', 'dp', 'greedy'] as const;

export const RetentionBody = Type.Object(
  {
    budget: Type.Number({ minimum: 0, description: 'the most to spend' }),
    horizon: Type.Optional(
      Type.Integer({ minimum: 1, default: 90, description: 'churn horizon of the stored scores, days' }),
    ),
    asOf: Type.Optional(IsoDate),
    actions: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64 * 1024,
        description: 'the text of an actions file, YAML or JSON (`retain plan actions` prints the defaults)',
      }),
    ),
    method: Type.Optional(StringEnum(METHODS, { default: 'auto' })),
    runRate: Type.Optional(Type.Boolean({ default: false, description: 'value = the 90-day run rate' })),
    limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 500, default: 20 })),
    save: Type.Optional(Type.Boolean({ default: true, description: 'store the plan (feeds campaigns)' })),
  },
  noExtra,
);

export function registerPlanRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/plans/matrix',
    {
      schema: {
        summary: 'value x risk of the stored churn scores (retain plan matrix --json)',
        tags: ['plans'],
        querystring: Type.Object(
          {
            horizon: Type.Optional(Type.Integer({ minimum: 1, default: 90 })),
            by: Type.Optional(StringEnum(PLAN_GROUP_ATTRIBUTES, { default: 'segment' })),
            asOf: Type.Optional(IsoDate),
            runRate: Type.Optional(Type.Boolean({ default: false })),
          },
          noExtra,
        ),
        response: {
          200: Loose({
            asOf: Type.String(),
            horizonDays: Type.Integer(),
            customers: Type.Integer(),
            matrix: Type.Array(Type.Unknown()),
            groups: Type.Array(Type.Unknown()),
          }),
          ...errors(400, 422),
        },
      },
    },
    async (request) => {
      const q = request.query;
      return reply(
        await ctx.lock.run(() =>
          valueRiskMatrix(ctx.engine, {
            horizonDays: q.horizon ?? 90,
            ...(q.asOf ? { asOf: q.asOf } : {}),
            ...(q.by ? { groupBy: q.by } : {}),
            runRateOnly: q.runRate === true,
          }),
        ),
      );
    },
  );

  app.post(
    '/api/plans/retention',
    {
      config: { role: 'analyst' },
      schema: {
        summary:
          'choose whom to contact with which action under a budget (a job; retain plan retention --json)',
        description:
          'Runs as a job: the exact optimisation can take a while on a large workspace. The job result is ' +
          '`retain plan retention --json` without the CLI-only `out`; with `save` (default) the plan is stored.',
        tags: ['plans'],
        body: RetentionBody,
        response: { 202: JobSchema, ...errors(400, 403, 422) },
      },
    },
    async (request, res) => {
      const b = request.body;
      // a bad actions file is refused at once (422), not in the job
      const actions = b.actions === undefined ? undefined : parseActions(b.actions, 'actions');
      const job = ctx.jobs.submit({
        kind: 'plan-retention',
        createdBy: whoOf(request),
        params: b,
        run: async ({ signal }) => {
          const plan = await ctx.lock.run(() => {
            if (signal.aborted) throw new JobCancelledError();
            return planRetention(ctx.engine, {
              budget: b.budget,
              ...(actions ? { actions } : {}),
              horizonDays: b.horizon ?? 90,
              ...(b.asOf ? { asOf: b.asOf } : {}),
              method: b.method ?? 'auto',
              runRateOnly: b.runRate === true,
              list: b.limit ?? 20,
              save: b.save !== false,
              perCustomer: false,
            });
          });
          const { perCustomer: _omit, ...rest } = plan;
          return rest;
        },
      });
      return res.code(202).send(job);
    },
  );
}

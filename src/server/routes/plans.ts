/**
 * Planning: the value x risk matrix (retain plan matrix --json), a retention plan and a win-back plan (jobs;
 * retain plan retention|winback --json), and the stored plans (a list, and one plan with its contacted
 * customers a page at a time).
 */
import { Type } from '@sinclair/typebox';
import { DEFAULT_WINBACK_ACTION, parseActions } from '../../analysis/planning/actions.js';
import { planRetention } from '../../analysis/planning/retention-plan.js';
import { valueRiskMatrix } from '../../analysis/planning/value-risk.js';
import { planWinback } from '../../analysis/planning/winback-plan.js';
import { PLAN_GROUP_ATTRIBUTES } from '../../engine/planning-types.js';
import type { App, ServerContext } from '../app.js';
import { whoOf } from '../auth.js';
import { ApiError } from '../errors.js';
import { JobCancelledError } from '../jobs.js';
import { MESSAGES } from '../messages.js';
import { errors, IsoDate, JobSchema, Loose, Paging, reply, StringEnum } from '../schemas.js';

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

export const WinbackBody = Type.Object(
  {
    budget: Type.Number({ minimum: 0, description: 'the most to spend' }),
    cost: Type.Optional(
      Type.Number({ minimum: 0, description: `cost of one attempt (${DEFAULT_WINBACK_ACTION.cost})` }),
    ),
    priorRate: Type.Optional(
      Type.Number({
        minimum: 0.001,
        maximum: 0.999,
        description: `success rate before any recorded attempt (${DEFAULT_WINBACK_ACTION.saveRate})`,
      }),
    ),
    priorStrength: Type.Optional(
      Type.Number({ minimum: 0.001, description: 'weight of the prior rate in attempts (8)' }),
    ),
    minPerReason: Type.Optional(
      Type.Integer({ minimum: 1, description: 'attempts a reason code needs for its own rate (20)' }),
    ),
    maxAttempts: Type.Optional(
      Type.Integer({ minimum: 1, description: 'leavers with this many attempts are not contacted (3)' }),
    ),
    includeInvoluntary: Type.Optional(Type.Boolean({ default: false })),
    asOf: Type.Optional(IsoDate),
    since: Type.Optional(IsoDate),
    limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 500, default: 20 })),
    save: Type.Optional(Type.Boolean({ default: true, description: 'store the plan (feeds campaigns)' })),
  },
  noExtra,
);

const StoredPlanSchema = Loose({
  planId: Type.String(),
  kind: Type.String(),
  createdAt: Type.String(),
  asOf: Type.String(),
  budget: Type.Number(),
  document: Type.Unknown(),
  contacted: Type.Integer(),
  cost: Type.Number(),
  expectedSaved: Type.Number(),
  byAction: Type.Array(Type.Unknown()),
});

export function registerPlanRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/plans',
    {
      schema: {
        summary: 'stored retention and win-back plans, newest first, with contacted customers per action',
        tags: ['plans'],
        response: { 200: Type.Object({ plans: Type.Array(StoredPlanSchema) }), ...errors() },
      },
    },
    async () => reply({ plans: await ctx.lock.run(() => ctx.engine.storedPlans()) }),
  );

  app.get(
    '/api/plans/:id',
    {
      schema: {
        summary: "a stored plan's summary and its contacted customers, a page at a time",
        description:
          'The contacted customers come highest expected saved value first, `limit` (50) from `offset`, with ' +
          'their `total`; the whole list is never returned at once.',
        tags: ['plans'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
        querystring: Type.Object(
          { limit: Type.Optional(Paging.limit), offset: Type.Optional(Paging.offset) },
          noExtra,
        ),
        response: {
          200: Type.Object({
            plan: StoredPlanSchema,
            customers: Type.Object({
              total: Type.Integer(),
              limit: Type.Integer(),
              offset: Type.Integer(),
              items: Type.Array(Type.Unknown()),
            }),
          }),
          ...errors(400, 404),
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const page = { limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 };
      return reply(
        await ctx.lock.run(async () => {
          const plan = await ctx.engine.storedPlan(id);
          if (!plan) throw new ApiError('not_found', MESSAGES.planNotFound(id));
          return { plan, customers: await ctx.engine.storedPlanItems(id, page) };
        }),
      );
    },
  );

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

  app.post(
    '/api/plans/winback',
    {
      config: { role: 'analyst' },
      schema: {
        summary: 'rank leavers by the expected value of a return and choose whom to contact (a job)',
        description:
          'Runs as a job. The job result is `retain plan winback --json` without the CLI-only `out`; with ' +
          '`save` (default) the plan is stored for `POST /api/campaigns`.',
        tags: ['plans'],
        body: WinbackBody,
        response: { 202: JobSchema, ...errors(400, 403, 422) },
      },
    },
    async (request, res) => {
      const b = request.body;
      const job = ctx.jobs.submit({
        kind: 'plan-winback',
        createdBy: whoOf(request),
        params: b,
        run: async ({ signal }) => {
          const plan = await ctx.lock.run(() => {
            if (signal.aborted) throw new JobCancelledError();
            return planWinback(ctx.engine, {
              budget: b.budget,
              action: {
                ...DEFAULT_WINBACK_ACTION,
                cost: b.cost ?? DEFAULT_WINBACK_ACTION.cost,
                saveRate: b.priorRate ?? DEFAULT_WINBACK_ACTION.saveRate,
              },
              ...(b.priorStrength !== undefined ? { priorStrength: b.priorStrength } : {}),
              ...(b.minPerReason !== undefined ? { minPerReason: b.minPerReason } : {}),
              ...(b.maxAttempts !== undefined ? { maxAttempts: b.maxAttempts } : {}),
              includeInvoluntary: b.includeInvoluntary === true,
              ...(b.asOf ? { asOf: b.asOf } : {}),
              ...(b.since ? { since: b.since } : {}),
              list: b.limit ?? 20,
              save: b.save !== false,
            });
          });
          const { all: _omit, ...rest } = plan;
          return rest;
        },
      });
      return res.code(202).send(job);
    },
  );
}

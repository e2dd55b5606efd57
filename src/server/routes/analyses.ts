/** Read-only analyses: RFM, value segments, lifecycle, lifecycle mix, alerts (never stored from here). */
import { Type } from '@sinclair/typebox';
import { rfmAnalysis } from '../../analysis/rfm/rfm-analysis.js';
import { SEGMENTATIONS, valueSegmentation } from '../../analysis/segments/value-segmentation.js';
import { explainCustomer, lifecycleAnalysis } from '../../analysis/lifecycle/lifecycle-analysis.js';
import { runAlerts } from '../../analysis/alerts/alerts.js';
import { DEFAULT_ALERT_RULES, type AlertRules } from '../../analysis/alerts/rules.js';
import type { Playbook } from '../../analysis/lifecycle/playbook.js';
import { LIFECYCLE_MODELS, type LifecycleModel, type LifecycleRules } from '../../engine/lifecycle-types.js';
import type { RfmResult } from '../../engine/rfm-types.js';
import { UserError } from '../../util/errors.js';
import type { App, ServerContext } from '../app.js';
import { errors, IsoDate, Loose, reply, StringEnum } from '../schemas.js';

/** The query of `GET /api/alerts` (the body of `POST /api/alerts` adds the rules). */
export const AlertsFields = {
  asOf: Type.Optional(IsoDate),
  limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 500, default: 20 })),
  groups: Type.Optional(Type.Boolean({ default: true })),
  products: Type.Optional(Type.Boolean({ default: true })),
};
export const AlertsReply = Loose({
  asOf: Type.String(),
  rulesHash: Type.String(),
  customers: Type.Unknown(),
  groups: Type.Unknown(),
  products: Type.Unknown(),
});

/** The query of `GET /api/lifecycle` (the body of `POST /api/lifecycle` adds the rule files). */
export const LifecycleFields = {
  asOf: Type.Optional(IsoDate),
  model: Type.Optional(StringEnum(LIFECYCLE_MODELS)),
  explain: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'a customer id' })),
};
export const LifecycleReply = Loose({
  asOf: Type.String(),
  model: Type.String(),
  customers: Type.Integer(),
  stages: Type.Array(Type.Unknown()),
});

/** The CLI's `--customers N` list: highest monetary first, ties by id. */
export function topRfmCustomers(result: RfmResult, n: number) {
  const c = result.perCustomer;
  if (!c) return [];
  return Array.from(c.monetary.keys())
    .sort((a, b) => c.monetary[b]! - c.monetary[a]! || (c.customerIds[a]! < c.customerIds[b]! ? -1 : 1))
    .slice(0, n)
    .map((i) => ({
      customerId: c.customerIds[i]!,
      recency: c.recency[i]!,
      frequency: c.frequency[i]!,
      monetary: c.monetary[i]!,
      scores: `${c.rScore[i]}${c.fScore[i]}${c.mScore[i]}`,
      segment: c.segment[i]!,
    }));
}

const noExtra = { additionalProperties: false } as const;

export function registerAnalysisRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/rfm',
    {
      schema: {
        summary: 'RFM scores and segments (retain rfm --json)',
        tags: ['analyses'],
        querystring: Type.Object(
          {
            asOf: Type.Optional(IsoDate),
            bins: Type.Optional(Type.Integer({ minimum: 2, maximum: 10 })),
            windowDays: Type.Optional(Type.Integer({ minimum: 1 })),
            customers: Type.Optional(
              Type.Integer({ minimum: 0, maximum: 500, description: 'top customers to list' }),
            ),
          },
          noExtra,
        ),
        response: {
          200: Loose({
            asOf: Type.String(),
            bins: Type.Integer(),
            customers: Type.Integer(),
            segments: Type.Array(Type.Unknown()),
          }),
          ...errors(400, 422),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const listed = q.customers ?? 0;
      const result = await ctx.lock.run(() =>
        rfmAnalysis(ctx.engine, {
          perCustomer: listed > 0,
          ...(q.asOf ? { asOf: q.asOf } : {}),
          ...(q.bins ? { bins: q.bins } : {}),
          ...(q.windowDays ? { windowDays: q.windowDays } : {}),
        }),
      );
      const { perCustomer: _omit, ...summary } = result;
      return reply({ ...summary, ...(listed > 0 ? { topCustomers: topRfmCustomers(result, listed) } : {}) });
    },
  );

  app.get(
    '/api/segments/:kind',
    {
      schema: {
        summary: 'value segmentation (retain segment KIND --json)',
        tags: ['analyses'],
        params: Type.Object({ kind: StringEnum(SEGMENTATIONS) }),
        querystring: Type.Object(
          {
            asOf: Type.Optional(IsoDate),
            windowDays: Type.Optional(Type.Integer({ minimum: 1 })),
            by: Type.Optional(StringEnum(['revenue', 'profit'] as const)),
            a: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
            b: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
            currentThreshold: Type.Optional(Type.Number()),
            potentialThreshold: Type.Optional(Type.Number()),
            highShare: Type.Optional(Type.Number({ minimum: 0.001, maximum: 1 })),
            amounts: Type.Optional(Type.Array(Type.Number(), { description: 'telecom: five cut points' })),
            frequencyThreshold: Type.Optional(Type.Number()),
            aovThreshold: Type.Optional(Type.Number()),
          },
          noExtra,
        ),
        response: {
          200: Loose({
            segmentation: Type.String(),
            asOf: Type.String(),
            customers: Type.Integer(),
            groups: Type.Array(Type.Unknown()),
          }),
          ...errors(400, 422),
        },
      },
    },
    async (request) => {
      const { amounts, ...q } = request.query;
      const options = { ...q, ...(amounts ? { telecomAmounts: amounts } : {}) };
      const result = await ctx.lock.run(async () => {
        try {
          return await valueSegmentation(ctx.engine, request.params.kind, options);
        } catch (error) {
          // invalid thresholds reach the pure functions as RangeErrors (as in the CLI)
          if (error instanceof RangeError) throw new UserError(error.message);
          throw error;
        }
      });
      const { perCustomer: _omit, ...summary } = result;
      return reply(summary);
    },
  );

  app.get(
    '/api/lifecycle',
    {
      schema: {
        summary: 'lifecycle stages and patterns (retain lifecycle --json)',
        tags: ['analyses'],
        querystring: Type.Object(LifecycleFields, noExtra),
        response: {
          200: LifecycleReply,
          ...errors(400, 422),
        },
      },
    },
    async (request) => reply(await runLifecycle(ctx, request.query, {})),
  );

  app.get(
    '/api/lifecycle/mix',
    {
      schema: {
        summary: 'customers per stage at every recorded month end (record with `retain lifecycle history`)',
        tags: ['analyses'],
        querystring: Type.Object({ model: Type.Optional(StringEnum(LIFECYCLE_MODELS)) }, noExtra),
        response: {
          200: Type.Object({
            model: Type.String(),
            months: Type.Array(Type.String()),
            mix: Type.Array(
              Loose({ monthEnd: Type.String(), stage: Type.String(), customers: Type.Integer() }),
            ),
          }),
          ...errors(400),
        },
      },
    },
    async (request) => {
      const model = request.query.model ?? 'states';
      const mix = await ctx.lock.run(() => ctx.engine.lifecycleMix(model));
      return { model, months: [...new Set(mix.map((m) => m.monthEnd))].sort(), mix };
    },
  );

  app.get(
    '/api/alerts',
    {
      schema: {
        summary: 'early-warning alerts (retain alerts --no-save --json): never stored from the API',
        tags: ['analyses'],
        querystring: Type.Object(AlertsFields, noExtra),
        response: {
          200: AlertsReply,
          ...errors(400, 422),
        },
      },
    },
    async (request) => runAlertsReport(ctx, request.query, DEFAULT_ALERT_RULES),
  );
}

export interface LifecycleQuery {
  readonly asOf?: string;
  readonly model?: LifecycleModel;
  readonly explain?: string;
}

/** `retain lifecycle --json` under the engine lock, with the rules given (default: the built-in ones). */
export async function runLifecycle(
  ctx: ServerContext,
  q: LifecycleQuery,
  given: { rules?: LifecycleRules; playbook?: Playbook; alertRules?: AlertRules },
) {
  return ctx.lock.run(async () => {
    const a = await lifecycleAnalysis(ctx.engine, {
      model: q.model ?? 'states',
      perCustomer: Boolean(q.explain),
      alertRules: given.alertRules ?? DEFAULT_ALERT_RULES,
      ...(given.rules ? { rules: given.rules } : {}),
      ...(given.playbook ? { playbook: given.playbook } : {}),
      ...(q.asOf ? { asOf: q.asOf } : {}),
    });
    let explanation: string | null = null;
    if (q.explain && a.perCustomer) {
      const i = a.perCustomer.customerIds.indexOf(q.explain);
      if (i < 0) throw new UserError(`no customer "${q.explain}" in the workspace`);
      explanation = explainCustomer(a, i);
    }
    const { perCustomer: _omit, ...summary } = a;
    return { ...summary, ...(explanation ? { explanation } : {}) };
  });
}

export interface AlertsQuery {
  readonly asOf?: string;
  readonly limit?: number;
  readonly groups?: boolean;
  readonly products?: boolean;
}

/** `retain alerts --no-save --json` under the engine lock with `rules`: never stored from the API. */
export async function runAlertsReport(ctx: ServerContext, q: AlertsQuery, rules: AlertRules) {
  const report = await ctx.lock.run(() =>
    runAlerts(ctx.engine, {
      rules,
      save: false,
      groups: q.groups !== false && rules.groups.enabled,
      products: q.products !== false && rules.products.enabled,
      list: q.limit ?? 20,
      perCustomer: false,
      ...(q.asOf ? { asOf: q.asOf } : {}),
    }),
  );
  const { perCustomer: _omit, ...customers } = report.customers;
  return { ...report, customers };
}

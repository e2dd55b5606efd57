/** Customers: a server-side paged list (never the whole table) and one customer's record. */
import { customerView } from '../../analysis/customers/customer-view.js';
import { VALUE_TIERS } from '../../analysis/lifecycle/playbook.js';
import { Type } from '@sinclair/typebox';
import { CUSTOMER_SORTS } from '../../engine/customer-list-types.js';
import type { App, ServerContext } from '../app.js';
import { ApiError } from '../errors.js';
import { MESSAGES } from '../messages.js';
import { errors, Paging, reply, StringEnum } from '../schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const CustomerRow = Type.Object({
  customerId: Type.String(),
  region: Nullable(Type.String()),
  plan: Nullable(Type.String()),
  segment: Nullable(Type.String()),
  revenue: Type.Number(),
  stage: Nullable(Type.String()),
  churnProbability: Nullable(Type.Number()),
});

const CustomerDetailSchema = Type.Object({
  customerId: Type.String(),
  profile: Type.Object({
    signupDate: Nullable(Type.String()),
    region: Nullable(Type.String()),
    channel: Nullable(Type.String()),
    plan: Nullable(Type.String()),
    segment: Nullable(Type.String()),
    gender: Nullable(Type.String()),
    age: Nullable(Type.Number()),
    acquisitionCost: Nullable(Type.Number()),
    attributes: Type.Unknown(),
    isStub: Type.Boolean(),
  }),
  transactions: Type.Object({
    count: Type.Integer(),
    revenue: Type.Number(),
    firstPurchase: Nullable(Type.String()),
    lastPurchase: Nullable(Type.String()),
    monthly: Type.Array(Type.Object({ month: Type.String(), count: Type.Integer(), amount: Type.Number() })),
    recent: Type.Array(
      Type.Object({
        date: Type.String(),
        amount: Type.Number(),
        product: Nullable(Type.String()),
        category: Nullable(Type.String()),
        kind: Nullable(Type.String()),
      }),
    ),
  }),
  subscriptions: Type.Array(
    Type.Object({
      subscriptionId: Nullable(Type.String()),
      startDate: Type.String(),
      endDate: Nullable(Type.String()),
      plan: Nullable(Type.String()),
      monthlyFee: Nullable(Type.Number()),
    }),
  ),
  churnEvents: Type.Array(
    Type.Object({
      date: Type.String(),
      reasonCode: Nullable(Type.String()),
      type: Nullable(Type.String()),
      note: Nullable(Type.String()),
    }),
  ),
  churnScores: Type.Array(
    Type.Object({
      asOf: Type.String(),
      horizonDays: Type.Integer(),
      probability: Type.Number(),
      model: Type.String(),
      reasons: Type.Unknown(),
    }),
  ),
  lifecycle: Nullable(
    Type.Object({
      monthEnd: Type.String(),
      state: Type.String(),
      fourStage: Type.String(),
      fiveStage: Type.String(),
    }),
  ),
  alerts: Type.Array(
    Type.Object({
      asOf: Type.String(),
      level: Type.String(),
      severity: Type.Integer(),
      recency: Type.Integer(),
      frequencyDownPercent: Nullable(Type.Number()),
      monetaryDownPercent: Nullable(Type.Number()),
    }),
  ),
  value: Nullable(
    Type.Object({
      asOf: Type.String(),
      revenue365: Type.Number(),
      thresholds: Nullable(Type.Object({ high: Type.Number(), medium: Type.Number() })),
    }),
  ),
  valueTier: Nullable(StringEnum(VALUE_TIERS)),
  recommendedActions: Nullable(
    Type.Object({ states: Type.String(), fourStage: Type.String(), fiveStage: Type.String() }),
  ),
});

export function registerCustomerRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/customers',
    {
      schema: {
        summary: 'a page of customers with revenue, lifecycle state and churn probability',
        tags: ['customers'],
        querystring: Type.Object(
          {
            search: Type.Optional(Type.String({ maxLength: 200, description: 'part of the customer id' })),
            sort: Type.Optional(StringEnum(CUSTOMER_SORTS, { default: 'id' })),
            ...Paging,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer(),
            stageAsOf: Nullable(Type.String()),
            scoresAsOf: Nullable(Type.String()),
            churnHorizonDays: Nullable(Type.Integer()),
            customers: Type.Array(CustomerRow),
          }),
          ...errors(400),
        },
      },
    },
    async (request) => {
      const q = request.query;
      return reply(
        await ctx.lock.run(() =>
          ctx.engine.customerList({
            limit: q.limit,
            offset: q.offset,
            ...(q.search ? { search: q.search } : {}),
            ...(q.sort ? { sort: q.sort } : {}),
          }),
        ),
      );
    },
  );

  app.get(
    '/api/customers/:id',
    {
      schema: {
        summary:
          "one customer's profile, purchase history, subscriptions, churn events, scores, stage, alerts, value tier and recommended actions (retain customers show ID --json)",
        tags: ['customers'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: CustomerDetailSchema, ...errors(404) },
      },
    },
    async (request) => {
      const detail = await ctx.lock.run(() => customerView(ctx.engine, request.params.id));
      if (!detail) throw new ApiError('not_found', MESSAGES.customerNotFound(request.params.id));
      return reply(detail);
    },
  );
}

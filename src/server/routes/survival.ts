/** Survival on the workspace: Kaplan-Meier, Cox, cohort retention (retain survival km|cox|cohorts --json). */
import { Type } from '@sinclair/typebox';
import { cohortAnalysis } from '../../analysis/survival/cohort-analysis.js';
import { coxAnalysis } from '../../analysis/survival/cox-analysis.js';
import { kaplanMeierAnalysis, kmJson } from '../../analysis/survival/kaplan-meier-analysis.js';
import { SURVIVAL_UNITS, type WorkspaceSource } from '../../analysis/survival/source.js';
import { COHORT_PERIODS, SURVIVAL_COVARIATES, SURVIVAL_GROUP_COLUMNS } from '../../engine/survival-types.js';
import type { App, ServerContext } from '../app.js';
import { errors, IsoDate, Loose, reply, StringEnum } from '../schemas.js';

const noExtra = { additionalProperties: false } as const;
const CONF_TYPES = ['log', 'log-log', 'plain'] as const;
const TIES = ['efron', 'breslow'] as const;

const SourceQuery = {
  unit: Type.Optional(StringEnum(SURVIVAL_UNITS, { default: 'days' })),
  asOf: Type.Optional(IsoDate),
  lostDays: Type.Optional(Type.Integer({ minimum: 1 })),
};

const SourceInfo = {
  source: Type.String(),
  asOf: Type.Union([Type.String(), Type.Null()]),
  unit: Type.Union([Type.String(), Type.Null()]),
};

export function registerSurvivalRoutes(app: App, ctx: ServerContext): void {
  const source = (q: { unit?: (typeof SURVIVAL_UNITS)[number]; asOf?: string; lostDays?: number }) =>
    ({
      engine: ctx.engine,
      unit: q.unit ?? 'days',
      ...(q.asOf ? { asOf: q.asOf } : {}),
      ...(q.lostDays !== undefined ? { lostDays: q.lostDays } : {}),
    }) satisfies WorkspaceSource;

  app.get(
    '/api/survival/km',
    {
      schema: {
        summary: 'Kaplan-Meier curves by group with the log-rank test (retain survival km --json)',
        tags: ['survival'],
        querystring: Type.Object(
          {
            ...SourceQuery,
            by: Type.Optional(StringEnum(SURVIVAL_GROUP_COLUMNS)),
            at: Type.Optional(
              Type.Array(Type.Number({ minimum: 0 }), {
                maxItems: 100,
                description: 'times to read the curves at (repeat or a single value)',
              }),
            ),
            confLevel: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
            confType: Type.Optional(StringEnum(CONF_TYPES, { default: 'log' })),
            curve: Type.Optional(Type.Boolean({ default: false, description: 'every point of each curve' })),
          },
          noExtra,
        ),
        response: {
          200: Loose({ ...SourceInfo, subjects: Type.Integer(), groups: Type.Array(Type.Unknown()) }),
          ...errors(400, 422),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const r = await ctx.lock.run(() =>
        kaplanMeierAnalysis(source(q), {
          by: q.by ?? null,
          confType: q.confType ?? 'log',
          ...(q.at ? { at: q.at } : {}),
          ...(q.confLevel !== undefined ? { confLevel: q.confLevel } : {}),
        }),
      );
      return reply(kmJson(r, q.curve === true));
    },
  );

  app.get(
    '/api/survival/cox',
    {
      schema: {
        summary: 'Cox proportional hazards with the PH test (retain survival cox --json)',
        tags: ['survival'],
        querystring: Type.Object(
          {
            ...SourceQuery,
            covariates: Type.Array(StringEnum(SURVIVAL_COVARIATES), {
              minItems: 1,
              maxItems: SURVIVAL_COVARIATES.length,
              description: 'repeat the parameter: covariates=plan&covariates=age',
            }),
            ties: Type.Optional(StringEnum(TIES, { default: 'efron' })),
            confLevel: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
          },
          noExtra,
        ),
        response: {
          200: Loose({
            ...SourceInfo,
            n: Type.Integer(),
            events: Type.Integer(),
            terms: Type.Array(Type.String()),
            coefficients: Type.Unknown(),
          }),
          ...errors(400, 422),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const r = await ctx.lock.run(() =>
        coxAnalysis(source(q), {
          covariates: q.covariates,
          ties: q.ties ?? 'efron',
          ...(q.confLevel !== undefined ? { confLevel: q.confLevel } : {}),
        }),
      );
      return reply({ ...r });
    },
  );

  app.get(
    '/api/survival/cohorts',
    {
      schema: {
        summary: 'retention by acquisition cohort (retain survival cohorts --json, without chart)',
        tags: ['survival'],
        querystring: Type.Object(
          {
            by: Type.Optional(StringEnum(COHORT_PERIODS, { default: 'month' })),
            asOf: Type.Optional(IsoDate),
            months: Type.Optional(Type.Integer({ minimum: 0 })),
            lostDays: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          noExtra,
        ),
        response: {
          200: Loose({
            source: Type.String(),
            asOf: Type.String(),
            period: Type.String(),
            periods: Type.Array(Type.Integer()),
            cohorts: Type.Array(Type.Unknown()),
          }),
          ...errors(400, 422),
        },
      },
    },
    async (request) => {
      const q = request.query;
      return reply(
        await ctx.lock.run(() =>
          cohortAnalysis(ctx.engine, {
            period: q.by ?? 'month',
            ...(q.asOf ? { asOf: q.asOf } : {}),
            ...(q.months !== undefined ? { maxPeriods: q.months } : {}),
            ...(q.lostDays !== undefined ? { lostDays: q.lostDays } : {}),
          }),
        ),
      );
    },
  );
}

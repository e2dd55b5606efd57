/**
 * CLV: fit a model (a job; retain clv fit --json), the stored fits (retain clv fits [--id] --json),
 * predictions kept in the workspace (a job; retain clv predict --save --json) read a page at a time or as
 * totals and a histogram computed in SQL (retain clv predictions|distribution --json), and the
 * calibration/holdout evaluation behind the diagnostics charts (a job; retain clv evaluate --json).
 */
import { Type } from '@sinclair/typebox';
import { evaluationJson, fitJson, predictionJson, storedFitJson } from '../../analysis/clv/clv-json.js';
import { evaluateClv } from '../../analysis/clv/evaluate-clv.js';
import { fitClvModel } from '../../analysis/clv/fit-clv-model.js';
import { CLV_MODEL_KINDS } from '../../analysis/clv/fit-document.js';
import { predictClv } from '../../analysis/clv/predict-clv.js';
import { choosePredictionFits, storedFitById } from '../../analysis/clv/prediction-fits.js';
import { NO_STORED_PREDICTIONS, savePredictions } from '../../analysis/clv/saved-predictions.js';
import { storeFit } from '../../analysis/clv/stored-fits.js';
import { CONTINUOUS_MODEL_KINDS } from '../../analysis/clv/transaction-models.js';
import type { TimeUnit } from '../../engine/summary-types.js';
import { UserError } from '../../util/errors.js';
import type { ProgressEvent } from '../../util/progress.js';
import type { App, ServerContext } from '../app.js';
import { whoOf } from '../auth.js';
import { ApiError } from '../errors.js';
import { JobCancelledError } from '../jobs.js';
import { errors, IsoDate, JobSchema, Loose, reply, StringEnum } from '../schemas.js';

const noExtra = { additionalProperties: false } as const;
const TIME_UNITS = ['day', 'week', 'month'] as const;

/** What these routes say themselves (library UserErrors pass through as they are). */
const CLV_MESSAGES = {
  fitNotFound: (id: number) => `no CLV fit ${id} in the workspace (GET /api/clv/fits lists them)`,
  holdoutOrder: 'holdoutEnd must be after calibrationEnd',
  noPredictions: NO_STORED_PREDICTIONS,
} as const;

export const FitBody = Type.Object(
  {
    model: StringEnum(CLV_MODEL_KINDS),
    calibrationEnd: Type.Optional(IsoDate),
    timeUnit: Type.Optional(StringEnum(TIME_UNITS)),
    penalty: Type.Optional(Type.Number({ minimum: 0, description: 'L2 penalty on the log-parameters' })),
    survivors: Type.Optional(
      Type.Array(Type.Integer({ minimum: 0 }), {
        minItems: 2,
        maxItems: 1000,
        description: 'sbg: survivors per period of one cohort',
      }),
    ),
    discountRate: Type.Optional(Type.Number({ minimum: 0, description: 'sbg: discount rate for DERL' })),
  },
  noExtra,
);

export const PredictBody = Type.Object(
  {
    horizon: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, default: 52, description: 'in the model time unit' }),
    ),
    discountRate: Type.Optional(Type.Number({ minimum: 0, maximum: 10, description: 'yearly (0.1)' })),
    margin: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'profit margin (1)' })),
    fitId: Type.Optional(
      Type.Integer({ minimum: 1, description: 'transaction model fit (default: the newest)' }),
    ),
    spendFitId: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Gamma-Gamma fit (default: the newest, if any)' }),
    ),
    limit: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 500, default: 20, description: 'top customers in the result' }),
    ),
  },
  noExtra,
);

export const EvaluateBody = Type.Object(
  {
    calibrationEnd: IsoDate,
    holdoutEnd: IsoDate,
    model: Type.Optional(StringEnum(CONTINUOUS_MODEL_KINDS, { default: 'bgnbd' })),
    timeUnit: Type.Optional(StringEnum(TIME_UNITS, { default: 'week' })),
    penalty: Type.Optional(Type.Number({ minimum: 0 })),
    frequencyGroups: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    matrixHorizon: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  },
  noExtra,
);

const Source = Type.Object({
  savedAt: Type.String(),
  model: Type.String(),
  fitId: Type.Union([Type.Integer(), Type.Null()]),
  spendModel: Type.String(),
  spendFitId: Type.Union([Type.Integer(), Type.Null()]),
  timeUnit: Type.String(),
  calibrationEnd: Type.String(),
  horizon: Type.Integer(),
  discountRate: Type.Number(),
  margin: Type.Number(),
});

const Prediction = Type.Object({
  customerId: Type.String(),
  x: Type.Number(),
  tx: Type.Number(),
  T: Type.Number(),
  probabilityAlive: Type.Number(),
  expectedTransactions: Type.Number(),
  expectedSpend: Type.Number(),
  clv: Type.Number(),
});

/** A job's progress in steps: `phase` names the step being worked on. */
const step = (progress: (e: ProgressEvent) => void, phase: string, done: number, total: number) =>
  progress({ phase, done, total, unit: 'steps' });

export function registerClvRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/clv/fits',
    {
      schema: {
        summary: 'the fitted CLV models kept in the workspace, newest first (retain clv fits --json)',
        tags: ['clv'],
        querystring: Type.Object(
          {
            model: Type.Optional(
              Type.String({ minLength: 1, maxLength: 100, description: 'only this model' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Array(
            Type.Object({
              fitId: Type.Integer(),
              model: Type.String(),
              fittedAt: Type.String(),
              timeUnit: Type.Union([Type.String(), Type.Null()]),
              calibrationEnd: Type.Union([Type.String(), Type.Null()]),
              fingerprint: Type.String(),
            }),
          ),
          ...errors(400),
        },
      },
    },
    async (request) => {
      const { model } = request.query;
      return reply(await ctx.lock.run(() => ctx.engine.listModelFits(model)));
    },
  );

  app.get(
    '/api/clv/fits/:id',
    {
      schema: {
        summary:
          'one stored fit: parameters, standard errors, log-likelihood, convergence (retain clv fits --id)',
        tags: ['clv'],
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }, noExtra),
        response: {
          200: Loose({
            fitId: Type.Integer(),
            model: Type.String(),
            params: Type.Record(Type.String(), Type.Number()),
            standardErrors: Type.Record(Type.String(), Type.Number()),
            logLikelihood: Type.Number(),
            converged: Type.Boolean(),
            customers: Type.Integer(),
          }),
          ...errors(400, 404),
        },
      },
    },
    async (request) => {
      const id = request.params.id;
      const chosen = await ctx.lock.run(() => storedFitById(ctx.engine, id));
      if (!chosen) throw new ApiError('not_found', CLV_MESSAGES.fitNotFound(id));
      return reply(storedFitJson(chosen.document, id));
    },
  );

  app.post(
    '/api/clv/fit',
    {
      config: { role: 'analyst' },
      schema: {
        summary: 'fit a CLV model and keep it in the workspace (a job; retain clv fit --json)',
        description: 'The job result is `retain clv fit --json`, with `fitId` the stored fit.',
        tags: ['clv'],
        body: FitBody,
        response: { 202: JobSchema, ...errors(400, 403) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const job = ctx.jobs.submit({
        kind: 'clv-fit',
        createdBy: whoOf(request),
        params: b,
        run: async ({ signal, progress }) => {
          step(progress, 'fitting', 0, 2);
          const result = await ctx.lock.run(async () => {
            if (signal.aborted) throw new JobCancelledError();
            const doc = await fitClvModel(ctx.engine, {
              model: b.model,
              ...(b.calibrationEnd ? { calibrationEnd: b.calibrationEnd } : {}),
              ...(b.timeUnit ? { timeUnit: b.timeUnit as TimeUnit } : {}),
              ...(b.penalty !== undefined ? { penalty: b.penalty } : {}),
              ...(b.survivors ? { survivors: b.survivors } : {}),
              ...(b.discountRate !== undefined ? { discountRate: b.discountRate } : {}),
            });
            step(progress, 'storing', 1, 2);
            return fitJson(doc, await storeFit(ctx.engine, doc));
          });
          step(progress, 'done', 2, 2);
          return result;
        },
      });
      return reply.code(202).send(job);
    },
  );

  app.post(
    '/api/clv/predict',
    {
      config: { role: 'analyst' },
      schema: {
        summary:
          "every customer's CLV from the stored fits, kept in the workspace (a job; retain clv predict --save --json)",
        description:
          'Uses fit `fitId` (default the newest BG/NBD, Pareto/NBD, MBG/NBD or BG/BB fit) and `spendFitId` ' +
          '(default the newest Gamma-Gamma fit; without one, the mean spend). The stored run replaces the ' +
          'previous one; read it with GET /api/clv/predictions and GET /api/clv/distribution.',
        tags: ['clv'],
        body: PredictBody,
        response: { 202: JobSchema, ...errors(400, 403, 422) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      // unknown or unsuitable fits are the request's fault: 422 now, not a failed job later
      const fits = await ctx.lock.run(() =>
        choosePredictionFits(ctx.engine, {
          ...(b.fitId !== undefined ? { fitId: b.fitId } : {}),
          ...(b.spendFitId !== undefined ? { spendFitId: b.spendFitId } : {}),
        }),
      );
      const job = ctx.jobs.submit({
        kind: 'clv-predict',
        createdBy: whoOf(request),
        params: { ...b, fitId: fits.fit.fitId, spendFitId: fits.spendFit?.fitId ?? null },
        run: async ({ signal, progress }) => {
          step(progress, 'predicting', 0, 2);
          const result = await ctx.lock.run(async () => {
            if (signal.aborted) throw new JobCancelledError();
            const prediction = await predictClv(
              ctx.engine,
              fits.fit.document,
              fits.spendFit?.document ?? null,
              {
                horizon: b.horizon ?? 52,
                ...(b.discountRate !== undefined ? { discountRate: b.discountRate } : {}),
                ...(b.margin !== undefined ? { margin: b.margin } : {}),
              },
            );
            if (signal.aborted) throw new JobCancelledError();
            step(progress, 'storing', 1, 2);
            const saved = await savePredictions(ctx.engine, prediction, {
              fitId: fits.fit.fitId,
              spendFitId: fits.spendFit?.fitId ?? null,
            });
            return predictionJson(prediction, { limit: b.limit ?? 20, out: null, saved: { ...saved } });
          });
          step(progress, 'done', 2, 2);
          return result;
        },
      });
      return reply.code(202).send(job);
    },
  );

  app.get(
    '/api/clv/predictions',
    {
      schema: {
        summary:
          'the stored CLV predictions, highest CLV first, a page at a time (retain clv predictions --json)',
        tags: ['clv'],
        querystring: Type.Object(
          {
            search: Type.Optional(
              Type.String({ maxLength: 200, description: 'customers whose id contains this text' }),
            ),
            limit: Type.Integer({ minimum: 0, maximum: 500, default: 50 }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
          },
          noExtra,
        ),
        response: {
          200: Type.Object({
            source: Type.Union([Source, Type.Null()]),
            total: Type.Integer({ description: 'customers matching the query, over all pages' }),
            limit: Type.Integer(),
            offset: Type.Integer(),
            predictions: Type.Array(Prediction),
          }),
          ...errors(400),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await ctx.lock.run(() =>
        ctx.engine.clvPredictions({
          ...(q.search ? { search: q.search } : {}),
          limit: q.limit,
          offset: q.offset,
        }),
      );
      return reply({ ...page, limit: q.limit, offset: q.offset });
    },
  );

  app.get(
    '/api/clv/distribution',
    {
      schema: {
        summary:
          'totals and a histogram of the stored CLV predictions, computed in SQL (retain clv distribution --json)',
        description:
          'Totals: customers, customer equity (sum of CLV), mean, median, expected transactions, share alive ' +
          '(mean P(alive)). The histogram has equal-width bins up to the 99th percentile and one bin for the ' +
          'top 1 %. `history` has the totals of every stored run. 404 `not_found` when nothing is stored.',
        tags: ['clv'],
        querystring: Type.Object(
          { bins: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })) },
          noExtra,
        ),
        response: {
          200: Type.Object({
            source: Source,
            totals: Type.Object({
              customers: Type.Integer(),
              clv: Type.Number(),
              mean: Type.Number(),
              median: Type.Number(),
              expectedTransactions: Type.Number(),
              shareAlive: Type.Number(),
            }),
            histogram: Type.Array(
              Type.Object({
                from: Type.Number(),
                to: Type.Number(),
                customers: Type.Integer(),
                clv: Type.Number(),
              }),
            ),
            history: Type.Array(
              Type.Composite([Source, Type.Object({ customers: Type.Integer(), clv: Type.Number() })]),
            ),
          }),
          ...errors(400, 404),
        },
      },
    },
    async (request) => {
      const d = await ctx.lock.run(() => ctx.engine.clvDistribution(request.query.bins));
      if (!d) throw new ApiError('not_found', CLV_MESSAGES.noPredictions);
      return reply(d);
    },
  );

  app.post(
    '/api/clv/evaluate',
    {
      config: { role: 'analyst' },
      schema: {
        summary:
          'fit on a calibration period and compare with the holdout period (a job; retain clv evaluate --json)',
        description:
          'The job result is `retain clv evaluate --json`: holdout metrics, the tracking series (actual and ' +
          'expected repeat transactions per period, cumulative) and holdout means by calibration frequency.',
        tags: ['clv'],
        body: EvaluateBody,
        response: { 202: JobSchema, ...errors(400, 403, 422) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      if (b.holdoutEnd <= b.calibrationEnd) throw new UserError(CLV_MESSAGES.holdoutOrder);
      const job = ctx.jobs.submit({
        kind: 'clv-evaluate',
        createdBy: whoOf(request),
        params: b,
        run: async ({ signal, progress }) => {
          step(progress, 'evaluating', 0, 1);
          const result = await ctx.lock.run(async () => {
            if (signal.aborted) throw new JobCancelledError();
            const e = await evaluateClv(ctx.engine, {
              model: b.model ?? 'bgnbd',
              calibrationEnd: b.calibrationEnd,
              holdoutEnd: b.holdoutEnd,
              timeUnit: (b.timeUnit ?? 'week') as TimeUnit,
              ...(b.penalty !== undefined ? { penalty: b.penalty } : {}),
              ...(b.frequencyGroups !== undefined ? { frequencyGroups: b.frequencyGroups } : {}),
              ...(b.matrixHorizon !== undefined ? { matrixHorizon: b.matrixHorizon } : {}),
            });
            return evaluationJson(e, { plots: [], out: null });
          });
          step(progress, 'done', 1, 1);
          return result;
        },
      });
      return reply.code(202).send(job);
    },
  );
}

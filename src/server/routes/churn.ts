/** Churn: train (a job, in a worker thread), score (a job), stored scores, saved models. */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { CHURN_MODEL_KINDS } from '../../analysis/churn/churn-learner.js';
import { readChurnModel, writeChurnModel } from '../../analysis/churn/churn-model-file.js';
import { trainSummary } from '../../analysis/churn/churn-train.js';
import { scoreChurn } from '../../analysis/churn/churn-score.js';
import { UserError } from '../../util/errors.js';
import type { App, ServerContext } from '../app.js';
import { whoOf } from '../auth.js';
import { trainChurnInBackground } from '../churn-train.js';
import { JobCancelledError } from '../jobs.js';
import { errors, IsoDate, JobSchema, Loose, Paging, StringEnum } from '../schemas.js';

const MODEL_FILE = '^[A-Za-z0-9][A-Za-z0-9._-]*\\.json$';

export const TrainBody = Type.Object(
  {
    horizons: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 3650 }), {
        minItems: 1,
        maxItems: 10,
        default: [30, 90, 180],
      }),
    ),
    asOf: Type.Optional(IsoDate),
    model: Type.Optional(StringEnum(CHURN_MODEL_KINDS, { default: 'logistic' })),
    exclude: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 200 })),
    classWeight: Type.Optional(StringEnum(['balanced'] as const)),
    penalty: Type.Optional(StringEnum(['l2', 'l1', 'elasticnet'] as const)),
    C: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    l1Ratio: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    folds: Type.Optional(Type.Integer({ minimum: 2, maximum: 20 })),
    seed: Type.Optional(Type.Integer({ default: 42 })),
    threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    volume: Type.Optional(Type.Integer({ minimum: 1 })),
    lostDays: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export const ScoreBody = Type.Object(
  {
    model: Type.Optional(
      Type.String({
        pattern: MODEL_FILE,
        maxLength: 200,
        description: 'a file of GET /api/churn/models (default: the newest)',
      }),
    ),
    asOf: Type.Optional(IsoDate),
    limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 500, default: 20 })),
    top: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 3 })),
    level: Type.Optional(Type.Number({ minimum: 0.5, maximum: 0.999 })),
    save: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);

function modelFiles(dir: string): { name: string; modifiedAt: string; bytes: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => new RegExp(MODEL_FILE).test(n))
    .map((name) => {
      const s = statSync(join(dir, name));
      return { name, modifiedAt: s.mtime.toISOString(), bytes: s.size, ms: s.mtimeMs };
    })
    .sort((a, b) => b.ms - a.ms || (a.name < b.name ? 1 : -1))
    .map(({ ms: _ms, ...rest }) => rest);
}

const stamp = () =>
  new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

export function registerChurnRoutes(app: App, ctx: ServerContext): void {
  app.post(
    '/api/churn/train',
    {
      config: { role: 'analyst' },
      schema: {
        summary: 'train churn models on the workspace, one per horizon (a job; retain churn train --save)',
        description:
          'The job result is `retain churn train --json` with `saved` the model file and `modelFile` its name ' +
          'for POST /api/churn/score. Training runs in a worker thread.',
        tags: ['churn'],
        body: TrainBody,
        response: { 202: JobSchema, ...errors(400, 403) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      if (b.penalty === 'elasticnet' && b.l1Ratio === undefined)
        throw new UserError('penalty elasticnet needs l1Ratio');
      const job = ctx.jobs.submit({
        kind: 'churn-train',
        createdBy: whoOf(request),
        params: b,
        run: async ({ signal, progress }) => {
          const result = await trainChurnInBackground(
            ctx.engine,
            ctx.lock,
            {
              kind: b.model ?? 'logistic',
              seed: b.seed ?? 42,
              classWeight: b.classWeight ?? null,
              exclude: b.exclude ?? [],
              horizons: b.horizons ?? [30, 90, 180],
              ...(b.asOf ? { asOf: b.asOf } : {}),
              ...(b.penalty ? { penalty: b.penalty } : {}),
              ...(b.C !== undefined ? { C: b.C } : {}),
              ...(b.l1Ratio !== undefined ? { l1Ratio: b.l1Ratio } : {}),
              ...(b.folds !== undefined ? { folds: b.folds } : {}),
              ...(b.threshold !== undefined ? { threshold: b.threshold } : {}),
              ...(b.volume !== undefined ? { volume: b.volume } : {}),
              ...(b.lostDays !== undefined ? { lostDays: b.lostDays } : {}),
            },
            signal,
            progress,
          );
          if (signal.aborted) throw new JobCancelledError();
          mkdirSync(ctx.modelsDir, { recursive: true });
          const name = `churn-${stamp()}-${b.model ?? 'logistic'}-${randomUUID().slice(0, 8)}.json`;
          const path = join(ctx.modelsDir, name);
          writeChurnModel(path, result.document);
          return { ...trainSummary(result, path), modelFile: name };
        },
      });
      return reply.code(202).send(job);
    },
  );

  app.get(
    '/api/churn/models',
    {
      schema: {
        summary: 'saved churn models, newest first',
        tags: ['churn'],
        response: {
          200: Type.Object({
            models: Type.Array(
              Type.Object({ name: Type.String(), modifiedAt: Type.String(), bytes: Type.Integer() }),
            ),
          }),
          ...errors(),
        },
      },
    },
    async () => ({ models: modelFiles(ctx.modelsDir) }),
  );

  app.post(
    '/api/churn/score',
    {
      config: { role: 'analyst' },
      schema: {
        summary:
          'score every customer at risk with a saved model and store the scores (a job; retain churn score)',
        tags: ['churn'],
        body: ScoreBody,
        response: { 202: JobSchema, ...errors(400, 403, 422) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const name = b.model ?? modelFiles(ctx.modelsDir)[0]?.name;
      if (!name) throw new UserError('no saved churn model: train one first (POST /api/churn/train)');
      const loaded = readChurnModel(join(ctx.modelsDir, name));
      const job = ctx.jobs.submit({
        kind: 'churn-score',
        createdBy: whoOf(request),
        params: { ...b, model: name },
        run: async ({ signal }) => {
          const report = await ctx.lock.run(() => {
            if (signal.aborted) throw new JobCancelledError();
            return scoreChurn(ctx.engine, loaded, {
              ...(b.asOf ? { asOf: b.asOf } : {}),
              save: b.save !== false,
              list: b.limit ?? 20,
              top: b.top ?? 3,
              ...(b.level !== undefined ? { level: b.level } : {}),
              modelName: name,
              perCustomer: false,
            });
          });
          const { perCustomer: _omit, ...rest } = report;
          return rest;
        },
      });
      return reply.code(202).send(job);
    },
  );

  app.get(
    '/api/churn/scores',
    {
      schema: {
        summary:
          'stored churn scores of a day (default the latest), highest first (retain churn scores --json)',
        tags: ['churn'],
        querystring: Type.Object(
          {
            asOf: Type.Optional(IsoDate),
            horizonDays: Type.Optional(Type.Integer({ minimum: 1 })),
            customer: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            limit: Paging.limit,
            offset: Paging.offset,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            asOf: Type.Union([Type.String(), Type.Null()]),
            total: Type.Integer({ description: 'stored scores matching the query, over all pages' }),
            limit: Type.Integer(),
            offset: Type.Integer(),
            scores: Type.Array(
              Loose({
                customerId: Type.String(),
                horizonDays: Type.Integer(),
                probability: Type.Number(),
                reasons: Type.Unknown(),
              }),
            ),
          }),
          ...errors(400),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const r = await ctx.lock.run(() =>
        ctx.engine.churnScores({
          ...(q.asOf ? { asOf: q.asOf } : {}),
          ...(q.horizonDays ? { horizonDays: q.horizonDays } : {}),
          ...(q.customer ? { customerId: q.customer } : {}),
          limit: q.limit,
          offset: q.offset,
        }),
      );
      const scores = r.scores.map((s) => ({ ...s, reasons: JSON.parse(s.reasons) as unknown }));
      return { asOf: r.asOf, total: r.total, limit: q.limit, offset: q.offset, scores };
    },
  );
}

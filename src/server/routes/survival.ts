/**
 * Survival on the workspace: Kaplan-Meier, Cox, cohort retention (retain survival km|cox|cohorts --json),
 * and on an uploaded table (retain survival km|cox --table FILE --json).
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyRequest } from 'fastify';
import { cohortAnalysis } from '../../analysis/survival/cohort-analysis.js';
import { coxAnalysis } from '../../analysis/survival/cox-analysis.js';
import { kaplanMeierAnalysis, kmJson } from '../../analysis/survival/kaplan-meier-analysis.js';
import { SURVIVAL_UNITS, type TableSource, type WorkspaceSource } from '../../analysis/survival/source.js';
import { COHORT_PERIODS, SURVIVAL_COVARIATES, SURVIVAL_GROUP_COLUMNS } from '../../engine/survival-types.js';
import { readTextTable } from '../../data/read-text-table.js';
import { UserError } from '../../util/errors.js';
import { receiveUpload } from '../uploads.js';
import type { App, ServerContext } from '../app.js';
import { ApiError } from '../errors.js';
import { MESSAGES } from '../messages.js';
import { errors, IsoDate, Loose, reply, StringEnum } from '../schemas.js';

const noExtra = { additionalProperties: false } as const;
const CONF_TYPES = ['log', 'log-log', 'plain'] as const;
const TIES = ['efron', 'breslow'] as const;

/** Literal unions (not `enum`): checked by TypeBox's own `Value`, since Ajv does not see multipart fields. */
const OneOf = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const NUMBER = '^\\s*[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?\\s*$';

/** The form fields of `POST /api/survival/table` besides `file` (all text, as multipart sends them). */
export const SurvivalTableFields = Type.Object(
  {
    analysis: Type.Optional(OneOf(['km', 'cox'] as const)),
    time: Type.String({ minLength: 1, maxLength: 200 }),
    event: Type.String({ minLength: 3, maxLength: 400, pattern: '^[^=]+=.*\\S' }),
    by: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    covariates: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 })),
    at: Type.Optional(Type.Array(Type.String({ pattern: NUMBER }), { minItems: 1, maxItems: 100 })),
    confLevel: Type.Optional(Type.String({ pattern: NUMBER })),
    confType: Type.Optional(OneOf(CONF_TYPES)),
    ties: Type.Optional(OneOf(TIES)),
    curve: Type.Optional(OneOf(['true', 'false'] as const)),
  },
  { additionalProperties: false },
);
type SurvivalTableFieldValues = Static<typeof SurvivalTableFields>;

/** Fields that may be repeated or comma-separated (as the CLI's `--covariates a,b` and `--at 6,12`). */
const LIST_FIELDS = new Set(['covariates', 'at']);
const KM_ONLY = ['by', 'at', 'confType', 'curve'] as const;
const COX_ONLY = ['covariates', 'ties'] as const;

const badField = (field: string, message: string) =>
  new ApiError('bad_request', MESSAGES.invalidRequest, [{ field: `body.${field}`, message }]);

/** `file: row N, column "C"` in the table source's messages (data rows counted from 1 after the header). */
const ROW_COLUMN = /^(.+?): row (\d+), column "((?:[^"\\]|\\.)*)"/;

/**
 * The analysis's error with the uploaded file's own name instead of its path on the server, as a 422 with
 * the CLI's message; a problem in a data row also names it in `details`: `{ file, row, line, field }`, where
 * `line` is the physical line for files with one line per record (the header is line 1).
 */
function tableError(error: unknown, path: string, name: string): unknown {
  if (!(error instanceof UserError)) return error;
  const message = error.message.replaceAll(path, name);
  const m = ROW_COLUMN.exec(message);
  const row = m ? Number(m[2]) : null;
  return new ApiError(
    'unprocessable',
    message,
    m && row !== null ? { file: name, row, line: row + 1, field: m[3] } : { file: name },
  );
}

/** The multipart upload: the file streamed into its own folder, and the text fields (lists collected). */
async function receiveTable(
  request: FastifyRequest,
  dir: string,
): Promise<{ path: string; name: string; fields: SurvivalTableFieldValues }> {
  if (!request.isMultipart()) throw new ApiError('bad_request', MESSAGES.tableNotMultipart);
  const fields: Record<string, string | string[]> = {};
  const file = await receiveUpload(request, dir, {
    fallbackName: 'table.csv',
    onField: (name, value) => {
      if (LIST_FIELDS.has(name)) {
        const items = value
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== '');
        fields[name] = [...((fields[name] as string[] | undefined) ?? []), ...items];
      } else if (value.trim() !== '') fields[name] = value.trim();
    },
  });
  if (!file) throw badField('file', 'is required');
  if (!Value.Check(SurvivalTableFields, fields)) {
    // one entry per field (TypeBox reports a missing field twice: required, and not a string)
    const byField = new Map<string, string>();
    for (const e of Value.Errors(SurvivalTableFields, fields)) {
      const field = `body${e.path.replaceAll('/', '.')}`;
      if (!byField.has(field)) byField.set(field, e.message);
    }
    throw new ApiError(
      'bad_request',
      MESSAGES.invalidRequest,
      [...byField].map(([field, message]) => ({ field, message })),
    );
  }
  const f = fields as SurvivalTableFieldValues;
  const analysis = f.analysis ?? 'km';
  if (analysis === 'cox' && (f.covariates ?? []).length === 0)
    throw badField('covariates', 'is required with analysis=cox');
  // as the CLI, where each of these is an option of one command only
  for (const name of analysis === 'km' ? COX_ONLY : KM_ONLY) {
    if (f[name] !== undefined) throw badField(name, `does not apply to analysis=${analysis}`);
  }
  if (f.confLevel !== undefined && !(Number(f.confLevel) > 0 && Number(f.confLevel) < 1))
    throw badField('confLevel', 'must be between 0 and 1');
  return { ...file, fields: f };
}

/** What `retain survival km|cox --table FILE --json` prints, on the uploaded file (named as uploaded). */
async function analyseTable(
  path: string,
  name: string,
  f: SurvivalTableFieldValues,
): Promise<Record<string, unknown>> {
  const source: TableSource = { table: await readTextTable(path), time: f.time, event: f.event };
  const confLevel = f.confLevel === undefined ? {} : { confLevel: Number(f.confLevel) };
  const renamed = (r: { file: string | null }) => ({ file: r.file === path ? name : r.file });
  if ((f.analysis ?? 'km') === 'cox') {
    const r = await coxAnalysis(source, { covariates: f.covariates!, ties: f.ties ?? 'efron', ...confLevel });
    return { ...r, ...renamed(r) };
  }
  const r = await kaplanMeierAnalysis(source, {
    by: f.by ?? null,
    confType: f.confType ?? 'log',
    ...(f.at ? { at: f.at.map(Number) } : {}),
    ...confLevel,
  });
  return { ...kmJson(r, f.curve === 'true'), ...renamed(r) };
}

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

  app.post(
    '/api/survival/table',
    {
      config: { role: 'analyst' },
      schema: {
        summary: 'Kaplan-Meier or Cox on an uploaded table (retain survival km|cox --table FILE --json)',
        description:
          'multipart/form-data: text fields `time` (the time column), `event` (`COLUMN=VALUE`: the value that ' +
          'marks an event), optional `analysis` (`km`, default, or `cox`), `by` (km: the group column), ' +
          '`covariates` (cox, required: repeat or comma-separate), `at` (km: times, repeat or comma-separate), ' +
          '`confLevel`, `confType` (km: log, log-log, plain), `ties` (cox: efron, breslow), `curve` (km: ' +
          'true for every point), and one `file` part (a delimited text file with a header). Answers what ' +
          "the CLI prints, with `file` the uploaded name; a bad table is a 422 with the CLI's message and " +
          '`details: { file, row, line, field }`. The upload is removed afterwards.',
        tags: ['survival'],
        consumes: ['multipart/form-data'],
        response: {
          200: Loose({
            source: Type.String(),
            file: Type.Union([Type.String(), Type.Null()]),
            time: Type.String(),
            event: Type.String(),
          }),
          ...errors(400, 403, 413, 422),
        },
      },
    },
    async (request) => {
      const dir = join(ctx.uploadDir, randomUUID());
      try {
        const upload = await receiveTable(request, dir);
        try {
          return reply(await analyseTable(upload.path, upload.name, upload.fields));
        } catch (error) {
          throw tableError(error, upload.path, upload.name);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}

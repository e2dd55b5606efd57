/** Built-in churn reports: the list, a report as JSON (retain report NAME --json), and a CSV/XLSX/PDF export. */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { builtinReports } from '../../analysis/reports/builtin.js';
import { DATASETS } from '../../analysis/reports/datasets.js';
import { reportJson, runReport, type RunReportOptions } from '../../analysis/reports/run-report.js';
import type { ReportSpec } from '../../analysis/reports/spec.js';
import { REPORT_DIMENSIONS } from '../../engine/report-types.js';
import { REPORT_FORMATS, type ReportFormat } from '../../export/report-document.js';
import { writeReport } from '../../export/write-report.js';
import type { App, ServerContext } from '../app.js';
import { ApiError } from '../errors.js';
import { errors, Loose, reply, StringEnum } from '../schemas.js';

const noExtra = { additionalProperties: false } as const;
const Month = Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'YYYY-MM' });

const RunQuery = {
  from: Type.Optional(Month),
  to: Type.Optional(Month),
  by: Type.Optional(
    StringEnum([...REPORT_DIMENSIONS, 'none'] as const, {
      description: "split by a dimension; 'none' for no split",
    }),
  ),
  revenueKinds: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 50 }), {
      maxItems: 50,
      description: "transaction kinds counted as revenue (repeat); 'all' for every kind",
    }),
  ),
  matchDays: Type.Optional(Type.Integer({ minimum: 0 })),
};

const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });

const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

function findReport(name: string): ReportSpec {
  const spec = builtinReports().find((s) => s.name === name);
  if (!spec)
    throw new ApiError(
      'not_found',
      `no built-in report "${name}" (known: ${builtinReports()
        .map((s) => s.name)
        .join(', ')})`,
    );
  return spec;
}

function runOptions(q: {
  from?: string;
  to?: string;
  by?: string;
  revenueKinds?: string[];
  matchDays?: number;
}): RunReportOptions {
  const revenueKinds =
    q.revenueKinds === undefined ? undefined : q.revenueKinds.includes('all') ? null : q.revenueKinds;
  return {
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.to !== undefined ? { to: q.to } : {}),
    ...(q.by !== undefined ? { by: q.by === 'none' ? null : (q.by as RunReportOptions['by']) } : {}),
    ...(revenueKinds !== undefined ? { revenueKinds } : {}),
    ...(q.matchDays !== undefined ? { matchDays: q.matchDays } : {}),
  };
}

export function registerReportRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/reports',
    {
      schema: {
        summary: 'the built-in reports and the datasets a definition can use (retain report list --json)',
        tags: ['reports'],
        response: {
          200: Type.Object({
            reports: Type.Array(
              Type.Object({
                name: Type.String(),
                title: Type.String(),
                dataset: Type.String(),
                groupBy: Type.Union([Type.String(), Type.Null()]),
                description: Type.String(),
              }),
            ),
            datasets: Type.Array(
              Type.Object({
                name: Type.String(),
                dimensions: Type.Array(Type.String()),
                measures: Type.Array(Type.String()),
              }),
            ),
          }),
          ...errors(),
        },
      },
    },
    async () => ({
      reports: builtinReports().map((s) => ({
        name: s.name,
        title: s.title,
        dataset: s.dataset,
        groupBy: s.groupBy ?? null,
        description: s.description ?? '',
      })),
      datasets: Object.values(DATASETS).map((d) => ({
        name: d.name,
        dimensions: Object.keys(d.dimensions),
        measures: Object.keys(d.measures),
      })),
    }),
  );

  app.get(
    '/api/reports/:name',
    {
      schema: {
        summary: 'run a built-in report (retain report NAME --json, without the CLI-only output field)',
        tags: ['reports'],
        params: NameParams,
        querystring: Type.Object(RunQuery, noExtra),
        response: {
          200: Loose({
            name: Type.String(),
            title: Type.String(),
            from: Type.String(),
            to: Type.String(),
            sections: Type.Array(Type.Unknown()),
          }),
          ...errors(400, 404, 422),
        },
      },
    },
    async (request) => {
      const spec = findReport(request.params.name);
      const run = await ctx.lock.run(() =>
        runReport(ctx.engine, spec, { ...runOptions(request.query), charts: false }),
      );
      return reply(reportJson(run));
    },
  );

  app.get(
    '/api/reports/:name/export',
    {
      schema: {
        summary: 'download a built-in report as CSV, XLSX or PDF (retain report NAME --output FILE)',
        tags: ['reports'],
        params: NameParams,
        querystring: Type.Object({ ...RunQuery, format: StringEnum(REPORT_FORMATS) }, noExtra),
        produces: Object.values(CONTENT_TYPES),
        response: {
          200: Type.Unsafe({ type: 'string', format: 'binary', description: 'the report file' }),
          ...errors(400, 404, 422),
        },
      },
    },
    async (request, res) => {
      const { format, ...q } = request.query;
      const spec = findReport(request.params.name);
      const run = await ctx.lock.run(() =>
        runReport(ctx.engine, spec, { ...runOptions(q), charts: format === 'pdf' || format === 'xlsx' }),
      );
      const dir = mkdtempSync(join(tmpdir(), 'retain-report-'));
      const remove = () => rmSync(dir, { recursive: true, force: true });
      const fileName = `${spec.name}-${run.from}-${run.to}.${format}`;
      const file = join(dir, fileName);
      try {
        await writeReport(run.document, format, file);
      } catch (error) {
        remove();
        throw error;
      }
      const stream = createReadStream(file);
      stream.on('close', remove);
      return res
        .type(CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(stream);
    },
  );
}

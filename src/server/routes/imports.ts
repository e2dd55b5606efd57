/**
 * `POST /api/imports`: a multipart upload streamed to a file in the upload folder, then an import job
 * (all-or-nothing, as `retain import`). The job's error names the uploaded file, the line and the field.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { importFile } from '../../data/import.js';
import type { ImportResult } from '../../data/import-types.js';
import { parseMapOption } from '../../data/mapping.js';
import { IMPORT_TABLES } from '../../data/tables.js';
import { ImportRejectedError, UserError } from '../../util/errors.js';
import { importIssueKind } from '../../data/import-issue-code.js';
import type { ProgressEvent } from '../../util/progress.js';
import { receiveUpload, type UploadedFile } from '../uploads.js';
import type { App, ServerContext } from '../app.js';
import { whoOf } from '../auth.js';
import { ApiError } from '../errors.js';
import { JobCancelledError } from '../jobs.js';
import { MESSAGES } from '../messages.js';
import { errors, JobSchema } from '../schemas.js';

/** Literal unions (not `enum`): checked by TypeBox's own `Value`, since Ajv does not see multipart fields. */
const OneOf = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** The form fields besides `file` (all text, as multipart sends them). */
export const ImportFields = Type.Object(
  {
    table: OneOf(IMPORT_TABLES),
    format: Type.Optional(OneOf(['csv', 'parquet', 'json', 'ndjson'] as const)),
    delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 10 })),
    header: Type.Optional(OneOf(['true', 'false'] as const)),
    map: Type.Optional(Type.Array(Type.String({ maxLength: 2000 }))),
    dateFormat: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    allowFuture: Type.Optional(OneOf(['true', 'false'] as const)),
  },
  { additionalProperties: false },
);
type ImportFieldValues = Static<typeof ImportFields>;

/** The import's errors and result with the uploaded file's own name instead of its path on the server. */
function renamed(error: unknown, path: string, name: string): unknown {
  if (error instanceof ImportRejectedError)
    return new ApiError('unprocessable', error.message.replaceAll(path, name), {
      // each issue also says its kind (code and parameters) so that a client can word it in its language
      issues: error.issues.map((i) => ({
        ...i,
        file: i.file === path ? name : i.file,
        ...importIssueKind(i.message),
      })),
      totalIssues: error.totalIssues,
    });
  if (error instanceof UserError) return new UserError(error.message.replaceAll(path, name));
  return error;
}

export function registerImportRoutes(app: App, ctx: ServerContext): void {
  app.post(
    '/api/imports',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'upload a file and import it into a table, all-or-nothing (a job)',
        description:
          'multipart/form-data: fields `table` (' +
          IMPORT_TABLES.join(', ') +
          '), optional `format`, `delimiter`, `header` (true|false), `map` (field=column,..., repeatable), ' +
          '`dateFormat`, `allowFuture` (true|false), and one `file` part. The format is detected from the ' +
          'file name as in `retain import`. Answers 202 with the job; its result is `retain import --json`.',
        tags: ['imports'],
        consumes: ['multipart/form-data'],
        response: { 202: JobSchema, ...errors(400, 403, 413) },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new ApiError('bad_request', MESSAGES.notMultipart);
      const fields: Record<string, string | string[]> = {};
      const dir = join(ctx.uploadDir, randomUUID());
      let file: UploadedFile | null = null;
      try {
        file = await receiveUpload(request, dir, {
          onField: (name, value) => {
            if (name === 'map') fields.map = [...((fields.map as string[] | undefined) ?? []), value];
            else fields[name] = value;
          },
        });
        if (!file)
          throw new ApiError('bad_request', MESSAGES.missingFile, [
            { field: 'body.file', message: 'is required' },
          ]);
        if (!Value.Check(ImportFields, fields))
          throw new ApiError(
            'bad_request',
            MESSAGES.invalidRequest,
            [...Value.Errors(ImportFields, fields)].map((e) => ({
              field: `body${e.path.replaceAll('/', '.')}`,
              message: e.message,
            })),
          );
      } catch (error) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
      const f: ImportFieldValues = fields as ImportFieldValues;
      const upload = file;
      let map: Record<string, string | number>;
      try {
        map = parseMapOption(f.map ?? []);
      } catch (error) {
        rmSync(dir, { recursive: true, force: true });
        throw error instanceof UserError
          ? new ApiError('bad_request', error.message, [{ field: 'body.map', message: error.message }])
          : error;
      }
      const params = { ...f, file: upload.name };
      const job = ctx.jobs.submit({
        kind: 'import',
        createdBy: whoOf(request),
        params,
        cleanup: () => rmSync(dir, { recursive: true, force: true }),
        run: async ({ signal, progress }) => {
          let loadingStarted = false;
          // cancelling is possible until the load (one transaction) begins; afterwards the import completes
          const report = (event: ProgressEvent) => {
            progress(event);
            if (event.phase === 'loading') {
              if (loadingStarted) return;
              loadingStarted = true;
            }
            if (signal.aborted) throw new JobCancelledError();
          };
          try {
            const result: ImportResult = await ctx.lock.run(() => {
              if (signal.aborted) throw new JobCancelledError();
              return importFile(
                ctx.engine,
                {
                  table: f.table,
                  file: upload.path,
                  ...(f.format ? { format: f.format } : {}),
                  ...(f.delimiter ? { delimiter: f.delimiter } : {}),
                  header: f.header !== 'false',
                  map,
                  ...(f.dateFormat ? { dateFormat: f.dateFormat } : {}),
                  skipInvalid: false,
                  allowFuture: f.allowFuture === 'true',
                },
                report,
              );
            });
            return { ...result, file: upload.name };
          } catch (error) {
            throw renamed(error, upload.path, upload.name);
          }
        },
      });
      return reply.code(202).send(job);
    },
  );
}

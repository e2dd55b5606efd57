/** TypeBox schemas shared by the routes: one definition is the TS type, the validator and the OpenAPI. */
import { Type, type TSchema, type TProperties } from '@sinclair/typebox';
import { ERROR_CODES } from './messages.js';
import { JOB_STATUSES } from './jobs.js';

/** A string enum as OpenAPI likes it (`enum`, not `anyOf` of constants). */
export const StringEnum = <T extends string>(values: readonly T[], options: object = {}) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });

/** A result object whose listed fields are documented; the rest passes through as the library made it. */
export const Loose = <P extends TProperties>(properties: P, options: object = {}) =>
  Type.Object(properties, { additionalProperties: true, ...options });

export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: StringEnum(ERROR_CODES),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { description: 'every error: a stable code, a message, and details for some codes' },
);

export const ProgressSchema = Type.Object({
  phase: Type.String(),
  done: Type.Number(),
  total: Type.Union([Type.Number(), Type.Null()]),
  unit: Type.String(),
});

export const JobSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    status: StringEnum(JOB_STATUSES),
    progress: Type.Union([ProgressSchema, Type.Null()]),
    createdBy: Type.String(),
    createdAt: Type.String(),
    startedAt: Type.Union([Type.String(), Type.Null()]),
    finishedAt: Type.Union([Type.String(), Type.Null()]),
    cancelRequested: Type.Boolean(),
    params: Type.Unknown(),
    result: Type.Unknown(),
    error: Type.Union([
      Type.Object({
        code: StringEnum(ERROR_CODES),
        message: Type.String(),
        details: Type.Optional(Type.Unknown()),
      }),
      Type.Null(),
    ]),
  },
  { description: 'a background job' },
);

export const Paging = {
  limit: Type.Integer({ minimum: 0, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
};

/** The error responses a route may give, for the OpenAPI document. */
export function errors(...codes: (400 | 401 | 403 | 404 | 409 | 413 | 422)[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = { 401: ErrorResponse, 500: ErrorResponse };
  for (const c of codes) out[c] = ErrorResponse;
  return out;
}

/**
 * A library result handed to Fastify as a route's reply. Library types are deeply readonly, which the
 * type provider's (mutable) schema types do not accept; the response schema still shapes the output.
 */
export const reply = (value: unknown): never => value as never;

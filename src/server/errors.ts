/** One error shape for the whole API: `{ error: { code, message, details? } }` with a stable code. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ImportRejectedError, UserError } from '../util/errors.js';
import { MESSAGES, STATUS_OF, type ErrorCode } from './messages.js';

export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly details?: unknown };
}

/** An error the API answers with its own code (thrown by routes, auth, jobs). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  get statusCode(): number {
    return STATUS_OF[this.code];
  }
}

/** A job's or a route's error as JSON: the code and message a client may show. */
export function errorInfo(error: unknown): { code: ErrorCode; message: string; details?: unknown } {
  if (error instanceof ApiError)
    return {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    };
  if (error instanceof ImportRejectedError)
    return {
      code: 'unprocessable',
      message: error.message,
      details: { issues: error.issues, totalIssues: error.totalIssues },
    };
  if (error instanceof UserError) return { code: 'unprocessable', message: error.message };
  return { code: 'internal', message: MESSAGES.internal };
}

interface ValidationItem {
  instancePath?: string;
  schemaPath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Ajv errors as `{ field, message }` with the field as `query.limit`, `body.horizons[0]`... */
function validationDetails(error: FastifyError): { field: string; message: string }[] {
  const items = (error.validation ?? []) as ValidationItem[];
  const where = error.validationContext ?? 'request';
  return items.map((v) => {
    const path = (v.instancePath ?? '')
      .split('/')
      .filter(Boolean)
      .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
      .join('');
    const missing =
      v.keyword === 'required' && typeof v.params?.missingProperty === 'string'
        ? `.${v.params.missingProperty}`
        : '';
    const extra =
      v.keyword === 'additionalProperties' && typeof v.params?.additionalProperty === 'string'
        ? `.${v.params.additionalProperty}`
        : '';
    return { field: `${where}${path}${missing}${extra}`, message: v.message ?? 'is not valid' };
  });
}

function classify(error: FastifyError): { code: ErrorCode; message: string; details?: unknown } {
  if (error.validation)
    return { code: 'bad_request', message: MESSAGES.invalidRequest, details: validationDetails(error) };
  if (error instanceof ApiError || error instanceof UserError) return errorInfo(error);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'payload_too_large', message: error.message };
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return { code: 'payload_too_large', message: error.message };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'bad_request', message: MESSAGES.unsupportedMedia };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'bad_request', message: error.message };
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return { code: 'bad_request', message: MESSAGES.notMultipart };
  }
  if (error instanceof SyntaxError || (error.statusCode === 400 && error.code?.startsWith('FST_')))
    return {
      code: 'bad_request',
      message: error instanceof SyntaxError ? MESSAGES.invalidJson : error.message,
    };
  if (error.statusCode === 413) return { code: 'payload_too_large', message: error.message };
  return { code: 'internal', message: MESSAGES.internal };
}

export function sendError(reply: FastifyReply, code: ErrorCode, message: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return reply.code(STATUS_OF[code]).type('application/json').send(body);
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { code, message, details } = classify(error);
    if (code === 'internal') request.log.error({ err: error }, 'internal error');
    else request.log.info({ code, message }, 'request failed');
    return sendError(reply, code, message, details);
  });
}

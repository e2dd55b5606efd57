/** Every message the API writes itself (library UserErrors pass through as they are). */
export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'payload_too_large',
  'conflict',
  'unprocessable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const STATUS_OF: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  conflict: 409,
  unprocessable: 422,
  internal: 500,
};

export const MESSAGES = {
  invalidRequest: 'the request is not valid: see details',
  invalidJson: 'the request body is not valid JSON',
  missingToken: 'an API token is required: send "Authorization: Bearer <token>"',
  invalidToken: 'the API token is not valid (unknown or revoked)',
  forbidden: (role: string, needed: string) =>
    `this needs the ${needed} role; your token has the ${role} role`,
  routeNotFound: (method: string, url: string) => `no route ${method} ${url}`,
  jobNotFound: (id: string) => `no job "${id}"`,
  jobFinished: (id: string, status: string) => `job "${id}" has already ${status}`,
  customerNotFound: (id: string) => `no customer "${id}" in the workspace`,
  planNotFound: (id: string) => `no stored plan "${id}" (see GET /api/plans)`,
  campaignNotFound: (id: string) => `no campaign "${id}" (see GET /api/campaigns)`,
  campaignExists: (id: string) => `campaign "${id}" already exists: choose another id`,
  outcomesNotMultipart: 'send the outcomes as multipart/form-data with one "file" part (a CSV file)',
  tokenNotFound: (id: string) => `no live token "${id}"`,
  bodyTooLarge: (limit: number) => `the request body is larger than the limit of ${limit} bytes`,
  uploadTooLarge: (limit: number) => `the upload is larger than the limit of ${limit} bytes`,
  notMultipart: 'send the import as multipart/form-data with a "file" part',
  tableNotMultipart: 'send the table as multipart/form-data with a "file" part',
  missingFile: 'the "file" part is missing',
  oneFile: 'send exactly one file',
  fileAfterFields: 'send the "file" part after the other fields',
  unsupportedMedia: 'this content type is not accepted here',
  jobCancelled: 'the job was cancelled',
  jobInterrupted: 'the server stopped while the job was queued or running: start it again',
  workerFailed: 'the background worker stopped unexpectedly',
  internal: 'an internal error occurred; it has been logged',
  authOffNotLoopback: (host: string) =>
    `--no-auth is only allowed when binding to a loopback address (127.0.0.1, ::1, localhost), not "${host}"`,
} as const;

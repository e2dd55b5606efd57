/**
 * `retain serve`: a JSON API over the library (every route returns what the CLI's `--json` prints), with
 * the OpenAPI document generated from the same TypeBox schemas that validate requests. Long work runs as
 * background jobs; CPU-heavy training runs in worker threads.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Engine } from '../engine/engine.js';
import { hashToken } from '../engine/duckdb/tokens.js';
import type { ApiToken } from '../engine/token-types.js';
import { installAuth, TokenVerifier } from './auth.js';
import {
  CONCURRENT_READ_ROUTES,
  duckDbReaders,
  EngineLock,
  LONG_READ_ROUTES,
  runAsReader,
  runUrgently,
  scopedEngine,
} from './engine-lock.js';
import { installErrorHandler, sendError } from './errors.js';
import { JobManager, type JobView } from './jobs.js';
import type { StoredJob } from '../engine/job-types.js';
import { MESSAGES } from './messages.js';
import { installResponseCache, ResponseCache } from './response-cache.js';
import { registerAnalysisRoutes } from './routes/analyses.js';
import { registerCampaignRoutes } from './routes/campaigns.js';
import { registerChurnRoutes } from './routes/churn.js';
import { registerClvRoutes } from './routes/clv.js';
import { registerCustomerRoutes } from './routes/customers.js';
import { registerImportRoutes } from './routes/imports.js';
import { registerJobRoutes } from './routes/jobs.js';
import { registerLifecycleHistoryRoutes } from './routes/lifecycle-history.js';
import { registerRuleRoutes } from './routes/rules.js';
import { registerMetaRoutes } from './routes/meta.js';
import { registerPlanRoutes } from './routes/plans.js';
import { registerReportRoutes } from './routes/reports.js';
import { registerSurvivalRoutes } from './routes/survival.js';
import { registerTokenRoutes } from './routes/tokens.js';

export interface ServerOptions {
  readonly engine: Engine;
  /** The workspace file (models are saved next to it, in `<folder>/models`). */
  readonly dbPath: string;
  readonly auth: 'tokens' | 'off';
  /** Fastify's logger: false (default), true (JSON lines) or pino options. */
  readonly logger?: boolean | object;
  /** The built dashboard, served at `/` with index.html for every other non-API path. */
  readonly staticDir?: string | null;
  /** Where uploads are streamed (default: a fresh temporary folder). */
  readonly uploadDir?: string;
  /** Largest JSON body in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  /** Largest uploaded file in bytes (default 2 GiB). */
  readonly uploadLimit?: number;
  /** Background jobs running at once (default 1). */
  readonly concurrency?: number;
  /** Where trained churn models are written (default `<workspace folder>/models`). */
  readonly modelsDir?: string;
  /**
   * Extra DuckDB connections for read-only routes, so that reads run beside each other and short ones do
   * not queue behind long ones (default: `RETAIN_READERS`, else 3; 0: every engine call one at a time).
   * More than 3 also needs a larger `UV_THREADPOOL_SIZE` (DuckDB's calls run on libuv's 4 threads).
   */
  readonly readers?: number;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** What every route module needs. */
export interface ServerContext {
  readonly engine: Engine;
  readonly lock: EngineLock;
  readonly jobs: JobManager;
  readonly tokens: TokenVerifier;
  readonly dbPath: string;
  readonly uploadDir: string;
  readonly uploadLimit: number;
  readonly modelsDir: string;
  readonly auth: 'tokens' | 'off';
}

/** Never log a secret: the Authorization header, cookies, a token in a body. */
export const LOG_REDACT = {
  paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'token', '*.token'],
  censor: '[redacted]',
};

function loggerOption(logger: ServerOptions['logger']): boolean | object {
  if (logger === undefined || logger === false) return false;
  if (logger === true) return { level: 'info', redact: LOG_REDACT };
  return { redact: LOG_REDACT, ...logger };
}

/**
 * Every request but health waits for its token check, and a checked token is only cached for a minute:
 * the check goes before the engine calls already queued (else, under load, every request would wait for
 * the whole queue once a minute), and concurrent checks of one token make one.
 */
class PromptTokenVerifier extends TokenVerifier {
  private readonly checking = new Map<string, Promise<ApiToken | null>>();

  override verify(secret: string): Promise<ApiToken | null> {
    const key = hashToken(secret);
    let check = this.checking.get(key);
    if (!check) {
      check = runUrgently(() => super.verify(secret)).finally(() => this.checking.delete(key));
      this.checking.set(key, check);
    }
    return check;
  }
}

/** `RETAIN_READERS` (a whole number from 0 to 16), else 3. */
function readersFromEnv(): number {
  const n = Number(process.env.RETAIN_READERS ?? 3);
  return Number.isInteger(n) && n >= 0 && n <= 16 ? n : 3;
}

export async function createServer(options: ServerOptions): Promise<App> {
  // a folder made here is the server's own: removed when it closes (a given one is the caller's)
  const ownUploadDir = options.uploadDir === undefined;
  const uploadDir = options.uploadDir ?? mkdtempSync(join(tmpdir(), 'retain-uploads-'));
  mkdirSync(uploadDir, { recursive: true });
  const app = Fastify({
    logger: loggerOption(options.logger),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ajv: {
      customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const readers = duckDbReaders(options.engine, options.readers ?? readersFromEnv());
  const lock = new EngineLock(readers);
  // answers of the analysis routes, kept until the data may have changed (see response-cache.ts)
  const responses = new ResponseCache();
  const jobs = new JobManager({
    concurrency: options.concurrency ?? 1,
    // every job's record is kept in the workspace: the job list and results survive a restart
    store: { save: (job) => lock.run(() => options.engine.saveJob(storedJobOf(job))) },
    onFinish: (job) => {
      // before the job's status can be polled: a client that saw it finish sees its data
      responses.invalidate();
      app.log.info(
        { job: { id: job.id, kind: job.kind, status: job.status, error: job.error?.code ?? null } },
        'job finished',
      );
    },
  });
  jobs.restore((await lock.run(() => options.engine.storedJobs(JOBS_KEPT))).map(jobViewOf));
  const tokens = new PromptTokenVerifier(options.engine, lock);
  const context: ServerContext = {
    // with readers, a read route's engine calls go to the reader the lock gave them
    engine: readers ? scopedEngine(options.engine) : options.engine,
    lock,
    jobs,
    tokens,
    // a DuckDB file, or a ClickHouse workspace's URL and database (no credentials)
    dbPath: options.engine.kind === 'duckdb' ? resolve(options.dbPath) : options.dbPath,
    uploadDir,
    uploadLimit: options.uploadLimit ?? 2 * 1024 ** 3,
    modelsDir:
      options.modelsDir ??
      (options.engine.kind === 'duckdb'
        ? join(dirname(resolve(options.dbPath)), 'models')
        : resolve('retain-models')),
    auth: options.auth,
  };

  installErrorHandler(app);
  installAuth(app, options.auth, tokens);
  installResponseCache(app, responses);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Retain API',
        version: '0.1.0',
        description:
          'Customer churn and lifetime value. Every analysis returns the JSON the CLI prints with --json. ' +
          'Errors: { error: { code, message, details? } }.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearerAuth: [] }],
    },
  });
  await app.register(multipart, {
    limits: { fileSize: context.uploadLimit, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 25 },
  });

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!CONCURRENT_READ_ROUTES.has(route.url) || !methods.every((m) => m === 'GET' || m === 'HEAD')) return;
    const handler = route.handler;
    route.handler = function (this: FastifyInstance, request, reply) {
      return runAsReader(
        () => handler.call(this, request, reply),
        LONG_READ_ROUTES.has(route.url) ? 'long' : 'short',
      );
    };
  });

  await app.register(async (api) => {
    const typed = api as unknown as App;
    registerMetaRoutes(typed, context);
    registerJobRoutes(typed, context);
    registerTokenRoutes(typed, context);
    registerImportRoutes(typed, context);
    registerAnalysisRoutes(typed, context);
    registerCustomerRoutes(typed, context);
    registerChurnRoutes(typed, context);
    registerSurvivalRoutes(typed, context);
    registerReportRoutes(typed, context);
    registerPlanRoutes(typed, context);
    registerCampaignRoutes(typed, context);
    registerClvRoutes(typed, context);
    registerLifecycleHistoryRoutes(typed, context);
    registerRuleRoutes(typed, context);
  });

  const staticDir = options.staticDir ? resolve(options.staticDir) : null;
  if (staticDir && existsSync(staticDir))
    await app.register(fastifyStatic, {
      root: staticDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
    });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    if (staticDir && !path.startsWith('/api') && (request.method === 'GET' || request.method === 'HEAD'))
      return reply.type('text/html').sendFile('index.html', staticDir);
    return sendError(reply, 'not_found', MESSAGES.routeNotFound(request.method, path));
  });

  app.addHook('onClose', async () => {
    await jobs.close();
    await readers?.close();
    if (ownUploadDir) rmSync(uploadDir, { recursive: true, force: true });
  });
  return app;
}

/** Job records read back at start (the list keeps as many finished jobs). */
const JOBS_KEPT = 500;

const storedJobOf = (job: JobView): StoredJob => ({
  id: job.id,
  kind: job.kind,
  status: job.status,
  createdBy: job.createdBy,
  createdAt: job.createdAt,
  startedAt: job.startedAt,
  finishedAt: job.finishedAt,
  params: job.params,
  result: job.result,
  error: job.error,
});

const jobViewOf = (job: StoredJob): JobView => ({
  ...job,
  status: job.status as JobView['status'],
  progress: null,
  cancelRequested: false,
  error: job.error as JobView['error'],
});

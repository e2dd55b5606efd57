/**
 * A response cache for the read-only analysis routes. At a million customers an RFM, a segmentation or
 * the lifecycle counts take seconds, and every engine call runs under the one engine lock, so a hundred
 * dashboards asking for the same overview would queue behind each other. The answers depend only on the
 * workspace's data, the query and the caller's role, so:
 *
 * - an answer is kept under (data version, role, full URL) and served again without touching the engine;
 * - concurrent identical requests are computed once (single flight): the first computes, the others wait
 *   for its answer;
 * - the data version goes up, and every kept answer is dropped, whenever the data may change: when a
 *   non-GET request reaches its handler and again when it answers, and when a background job (import,
 *   scoring, lifecycle history, training) finishes, before its status can be polled. An answer computed
 *   while the version moved is passed on but not kept.
 *
 * Only the routes listed in `CACHED_ROUTES` are cached: routes whose answer also depends on something
 * else (jobs, tokens and their last use, health, file downloads) never are.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { READ_ROUTES } from './read-routes.js';

/** GET routes whose answer is a function of the workspace data, the query and the role. */
export const CACHED_ROUTES: readonly string[] = [...READ_ROUTES, '/api/plans/matrix'];

/** The header saying how an answer was made: `hit` (kept), `shared` (single flight) or `miss`. */
export const CACHE_HEADER = 'x-retain-cache';

interface Entry {
  readonly payload: string | Buffer;
  readonly contentType: string | undefined;
  readonly bytes: number;
}

interface Flight {
  readonly key: string;
  readonly version: number;
  readonly done: Promise<Entry | null>;
  settle(entry: Entry | null): void;
  settled: boolean;
}

export interface ResponseCacheOptions {
  /** Most bytes of answers kept (default 64 MiB); the least recently used go first. */
  readonly maxBytes?: number;
  /** Routes to cache (default `CACHED_ROUTES`). */
  readonly routes?: readonly string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The single flight this request computes for, if it is the first of its key. */
    responseCacheFlight?: Flight | null;
    /** A non-GET request that reached its handler: its answer moves the data version again. */
    responseCacheWrite?: boolean;
  }
}

export class ResponseCache {
  private dataVersion = 0;
  private readonly entries = new Map<string, Entry>();
  private readonly flights = new Map<string, Flight>();
  private bytes = 0;
  private readonly maxBytes: number;
  readonly routes: ReadonlySet<string>;

  constructor(options: ResponseCacheOptions = {}) {
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.routes = new Set(options.routes ?? CACHED_ROUTES);
  }

  /** Goes up whenever the workspace data may have changed. */
  get version(): number {
    return this.dataVersion;
  }

  /** Answers kept now (for tests and the health of the cache). */
  get size(): number {
    return this.entries.size;
  }

  /** The data may have changed: forget every kept answer; answers being computed will not be kept. */
  invalidate(): void {
    this.dataVersion++;
    this.entries.clear();
    this.bytes = 0;
  }

  key(role: string, url: string): string {
    return `${this.dataVersion}\n${role}\n${url}`;
  }

  get(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      // most recently used last
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** The flight already computing `key`, or a new one that the caller must settle. */
  join(key: string): { flight: Flight; first: boolean } {
    const running = this.flights.get(key);
    if (running) return { flight: running, first: false };
    let settle!: (entry: Entry | null) => void;
    const done = new Promise<Entry | null>((resolve) => (settle = resolve));
    const flight: Flight = {
      key,
      version: this.dataVersion,
      done,
      settled: false,
      settle: (entry) => {
        if (flight.settled) return;
        flight.settled = true;
        if (this.flights.get(key) === flight) this.flights.delete(key);
        if (entry && flight.version === this.dataVersion) this.keep(key, entry);
        settle(entry);
      },
    };
    this.flights.set(key, flight);
    return { flight, first: true };
  }

  private keep(key: string, entry: Entry): void {
    if (entry.bytes > this.maxBytes / 4) return;
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    for (const [oldKey, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldKey);
      this.bytes -= old.bytes;
    }
  }
}

function send(reply: FastifyReply, entry: Entry, how: 'hit' | 'shared'): FastifyReply {
  if (entry.contentType) reply.type(entry.contentType);
  return reply.header(CACHE_HEADER, how).send(entry.payload);
}

const isRead = (request: FastifyRequest): boolean =>
  request.method === 'GET' || request.method === 'HEAD' || request.routeOptions.config.readOnly === true;

/**
 * Serve the cached routes from `cache`. Register after authentication (the role is part of the key);
 * call `cache.invalidate()` when a background job finishes.
 */
export function installResponseCache(app: FastifyInstance, cache: ResponseCache): void {
  app.decorateRequest('responseCacheFlight', null);
  app.decorateRequest('responseCacheWrite', false);

  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET') return;
    const route = request.routeOptions.url;
    if (!route || !cache.routes.has(route)) return;
    const key = cache.key(request.principal?.role ?? 'anonymous', request.url);
    const kept = cache.get(key);
    if (kept) return send(reply, kept, 'hit');
    const { flight, first } = cache.join(key);
    if (first) {
      request.responseCacheFlight = flight;
      reply.header(CACHE_HEADER, 'miss');
      return;
    }
    const shared = await flight.done;
    // the first request failed: compute this one on its own
    if (shared) return send(reply, shared, 'shared');
  });

  // a write may change the data from its handler on: answers being computed are not kept
  app.addHook('preHandler', async (request) => {
    if (isRead(request)) return;
    request.responseCacheWrite = true;
    cache.invalidate();
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.responseCacheWrite) cache.invalidate();
    const flight = request.responseCacheFlight;
    if (!flight) return payload;
    const cacheable = reply.statusCode === 200 && (typeof payload === 'string' || Buffer.isBuffer(payload));
    const contentType = reply.getHeader('content-type');
    flight.settle(
      cacheable
        ? {
            payload,
            contentType: typeof contentType === 'string' ? contentType : undefined,
            bytes: typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length,
          }
        : null,
    );
    return payload;
  });

  // never leave the waiting requests hanging (the client went away, the answer was a stream)
  const release = async (request: FastifyRequest) => {
    request.responseCacheFlight?.settle(null);
  };
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);
}

/**
 * In-process background jobs: imports, model training, scoring. FIFO with at most `concurrency` running
 * (default 1: DuckDB and two cores). Each job reports progress, can be cancelled (its AbortSignal fires;
 * a queued job is dropped at once), and keeps its result or error for polling.
 */
import { randomUUID } from 'node:crypto';
import type { ProgressEvent } from '../util/progress.js';
import { ApiError, errorInfo } from './errors.js';
import { MESSAGES, type ErrorCode } from './messages.js';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobView {
  readonly id: string;
  readonly kind: string;
  readonly status: JobStatus;
  readonly progress: ProgressEvent | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** A cancel was asked for and the job has not stopped yet. */
  readonly cancelRequested: boolean;
  /** What the job was asked to do (the request's parameters, never secrets). */
  readonly params: unknown;
  readonly result: unknown;
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly details?: unknown } | null;
}

export interface JobContext {
  readonly signal: AbortSignal;
  readonly progress: (event: ProgressEvent) => void;
  readonly jobId: string;
}

export interface JobSpec {
  readonly kind: string;
  readonly createdBy: string;
  readonly params?: unknown;
  readonly run: (context: JobContext) => Promise<unknown>;
  /** Called once the job has finished, whatever the outcome (e.g. to remove an uploaded file). */
  readonly cleanup?: () => void | Promise<void>;
}

/** Thrown by work that noticed its signal: the job ends `cancelled`. */
export class JobCancelledError extends Error {
  override readonly name = 'JobCancelledError';
  constructor() {
    super(MESSAGES.jobCancelled);
  }
}

interface Job {
  view: {
    -readonly [K in keyof JobView]: JobView[K];
  };
  spec: JobSpec;
  controller: AbortController;
}

/** Where job records are kept so that the job list survives a restart (the workspace). */
export interface JobStore {
  save(job: JobView): Promise<void>;
}

export interface JobManagerOptions {
  readonly concurrency?: number;
  /** Keep every job's record as it is submitted, starts and ends. */
  readonly store?: JobStore;
  /** Finished jobs kept for polling (oldest dropped first; default 500). */
  readonly keepFinished?: number;
  readonly onFinish?: (job: JobView) => void;
}

export class JobManager {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running = 0;
  private readonly concurrency: number;
  private readonly keepFinished: number;
  private readonly idle = new Set<() => void>();
  /** Records being written: close() waits for them. */
  private readonly saving = new Set<Promise<void>>();

  constructor(private readonly options: JobManagerOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.keepFinished = options.keepFinished ?? 500;
  }

  submit(spec: JobSpec): JobView {
    const job: Job = {
      view: {
        id: randomUUID(),
        kind: spec.kind,
        status: 'queued',
        progress: null,
        createdBy: spec.createdBy,
        createdAt: new Date().toISOString(),
        startedAt: null,
        finishedAt: null,
        cancelRequested: false,
        params: spec.params ?? null,
        result: null,
        error: null,
      },
      spec,
      controller: new AbortController(),
    };
    this.jobs.set(job.view.id, job);
    this.persist(job);
    this.queue.push(job);
    this.pump();
    return this.get(job.view.id)!;
  }

  /**
   * Add the records of an earlier run of the server (newest first), oldest dropped beyond `keepFinished`.
   * A job that was queued or running when that server stopped did not finish: it is recorded as failed.
   */
  restore(records: readonly JobView[]): void {
    for (const record of [...records].reverse()) {
      if (this.jobs.has(record.id)) continue;
      const view = { ...record, progress: null, cancelRequested: false };
      const job: Job = {
        view,
        spec: { kind: view.kind, createdBy: view.createdBy, run: async () => null },
        controller: new AbortController(),
      };
      this.jobs.set(view.id, job);
      if (view.status === 'queued' || view.status === 'running') {
        view.status = 'failed';
        view.error = { code: 'internal', message: MESSAGES.jobInterrupted };
        view.finishedAt = new Date().toISOString();
        this.persist(job);
      }
    }
    this.trim();
  }

  private persist(job: Job): void {
    const store = this.options.store;
    if (!store) return;
    const saved: Promise<void> = store
      .save({ ...job.view, progress: null })
      .catch(() => undefined)
      .finally(() => this.saving.delete(saved));
    this.saving.add(saved);
  }

  get(id: string): JobView | null {
    const job = this.jobs.get(id);
    return job ? { ...job.view } : null;
  }

  /** Newest first, optionally of one status or kind. */
  list(filter: { status?: JobStatus; kind?: string } = {}): JobView[] {
    return [...this.jobs.values()]
      .map((j) => ({ ...j.view }))
      .filter((j) => (filter.status ? j.status === filter.status : true))
      .filter((j) => (filter.kind ? j.kind === filter.kind : true))
      .reverse();
  }

  /** Cancel a queued job at once, or ask a running one to stop; 404 / 409 as ApiErrors. */
  cancel(id: string): JobView {
    const job = this.jobs.get(id);
    if (!job) throw new ApiError('not_found', MESSAGES.jobNotFound(id));
    const v = job.view;
    if (v.status === 'queued') {
      this.queue.splice(this.queue.indexOf(job), 1);
      v.cancelRequested = true;
      job.controller.abort();
      this.finish(job, 'cancelled', null, { code: 'conflict', message: MESSAGES.jobCancelled });
      return this.get(id)!;
    }
    if (v.status !== 'running') throw new ApiError('conflict', MESSAGES.jobFinished(id, v.status));
    v.cancelRequested = true;
    job.controller.abort();
    return this.get(id)!;
  }

  /** Cancel everything and wait for running jobs to stop (server shutdown). */
  async close(): Promise<void> {
    for (const job of [...this.queue]) this.cancel(job.view.id);
    for (const job of this.jobs.values())
      if (job.view.status === 'running') {
        job.view.cancelRequested = true;
        job.controller.abort();
      }
    if (this.running > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
    await Promise.allSettled([...this.saving]);
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      void this.start(job);
    }
    if (this.running === 0) {
      for (const resolve of this.idle) resolve();
      this.idle.clear();
    }
  }

  private async start(job: Job): Promise<void> {
    this.running++;
    const v = job.view;
    v.status = 'running';
    v.startedAt = new Date().toISOString();
    this.persist(job);
    try {
      const result = await job.spec.run({
        signal: job.controller.signal,
        jobId: v.id,
        progress: (event) => {
          v.progress = { ...event };
        },
      });
      // work that finished before it saw the cancel has happened: report it as it is
      this.finish(job, 'succeeded', result ?? null, null);
    } catch (error) {
      if (job.controller.signal.aborted && (error instanceof JobCancelledError || isAbort(error)))
        this.finish(job, 'cancelled', null, { code: 'conflict', message: MESSAGES.jobCancelled });
      else this.finish(job, 'failed', null, errorInfo(error), error);
    } finally {
      this.running--;
      this.pump();
    }
  }

  private finish(
    job: Job,
    status: JobStatus,
    result: unknown,
    error: JobView['error'],
    cause?: unknown,
  ): void {
    const v = job.view;
    v.status = status;
    v.result = result;
    v.error = error;
    v.finishedAt = new Date().toISOString();
    this.persist(job);
    void Promise.resolve()
      .then(() => job.spec.cleanup?.())
      .catch(() => undefined);
    this.options.onFinish?.({ ...v, ...(cause === undefined ? {} : { cause }) } as JobView);
    this.trim();
  }

  private trim(): void {
    const finished = [...this.jobs.values()].filter((j) => j.view.finishedAt !== null);
    for (const j of finished.slice(0, Math.max(0, finished.length - this.keepFinished)))
      this.jobs.delete(j.view.id);
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'JobCancelledError');
}

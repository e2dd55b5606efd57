/** The REST API client: `/api/...` relative to the page, `Authorization: Bearer <token>` from sessionStorage. */
const TOKEN_KEY = 'retain.token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

/** Called when the server answers 401: the shell shows the login screen. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export type Query = Record<string, string | number | undefined | null>;

export function apiUrl(path: string, query?: Query): string {
  const url = new URL(`./api${path}`, document.baseURI);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  return url.toString();
}

/** What `/api/jobs/:id` answers (background work: imports, fits, training, plans). */
export interface Job {
  id: string;
  kind: string;
  status: string;
  progress: { phase: string; done: number; total: number | null; unit: string } | null;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  params: unknown;
  result: unknown;
  error: { code: string; message: string; details?: unknown } | null;
}

export const JOB_FINISHED: readonly string[] = ['succeeded', 'failed', 'cancelled'];
const POLL_MS = 500;

interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly query?: Query;
  /** A JSON body. */
  readonly json?: unknown;
  /** A multipart body (uploads). */
  readonly form?: FormData;
  readonly token?: string | null;
}

/** The raw response of an API call; a non-2xx answer becomes ApiError with the server's code and message. */
export async function apiFetch(path: string, options: RequestOptions = {}): Promise<Response> {
  const token = options.token === undefined ? getToken() : options.token;
  const headers: Record<string, string> = {
    Accept: 'application/json',
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
  };
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  let res: Response;
  try {
    res = await fetch(apiUrl(path, options.query), { method: options.method ?? 'GET', headers, body });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  if (!res.ok) {
    let code = `http_${res.status}`;
    let message = '';
    try {
      const parsed = (await res.json()) as { error?: { code?: string; message?: string } };
      if (parsed.error) {
        code = parsed.error.code ?? code;
        message = parsed.error.message ?? '';
      }
    } catch {
      // not JSON: keep the status
    }
    if (res.status === 401) onUnauthorized();
    throw new ApiError(res.status, code, message);
  }
  return res;
}

/** GET a JSON body; errors become ApiError with the server's `{ error: { code, message } }`. */
export async function apiGet<T>(path: string, query?: Query, token = getToken()): Promise<T> {
  return (await (await apiFetch(path, { query, token })).json()) as T;
}

/** POST a JSON body (or nothing) and read the JSON answer. */
export async function apiPost<T>(path: string, json?: unknown, query?: Query): Promise<T> {
  return (await (await apiFetch(path, { method: 'POST', json: json ?? {}, query })).json()) as T;
}

/** POST a multipart form (uploads) and read the JSON answer. */
export async function apiPostForm<T>(path: string, form: FormData): Promise<T> {
  return (await (await apiFetch(path, { method: 'POST', form })).json()) as T;
}

/**
 * Poll a background job every 500 ms until it ends (succeeded, failed or cancelled), telling `onProgress`
 * each state seen; stops early (returning null) once `alive()` says the page has changed.
 */
export async function waitForJob(
  id: string,
  onProgress: (job: Job) => void = () => {},
  alive: () => boolean = () => true,
): Promise<Job | null> {
  for (;;) {
    if (!alive()) return null;
    const job = await apiGet<Job>(`/jobs/${encodeURIComponent(id)}`);
    if (JOB_FINISHED.includes(job.status)) return job;
    onProgress(job);
    await new Promise((resolve) => window.setTimeout(resolve, POLL_MS));
  }
}

/**
 * Download an API answer as a file (exports need the token, so a plain link would not do): fetch it, then
 * save it through a temporary object URL under the server's file name (Content-Disposition) or `fallback`.
 */
export async function apiDownload(path: string, query: Query | undefined, fallback: string): Promise<string> {
  const res = await apiFetch(path, { query });
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallback;
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

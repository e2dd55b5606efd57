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

/** GET a JSON body; errors become ApiError with the server's `{ error: { code, message } }`. */
export async function apiGet<T>(path: string, query?: Query, token = getToken()): Promise<T> {
  let res: Response;
  try {
    res = await fetch(apiUrl(path, query), {
      headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  if (!res.ok) {
    let code = `http_${res.status}`;
    let message = '';
    try {
      const body = (await res.json()) as { error?: { code?: string; message?: string } };
      if (body.error) {
        code = body.error.code ?? code;
        message = body.error.message ?? '';
      }
    } catch {
      // not JSON: keep the status
    }
    if (res.status === 401) onUnauthorized();
    throw new ApiError(res.status, code, message);
  }
  return (await res.json()) as T;
}

import { errorCodes, type ErrorCode } from '@tide/contract';
import { currentLanguage } from './i18n';

const API_BASE = '/api/v1';
const CSRF_COOKIE = 'tide_csrf';
const CSRF_HEADER = 'x-csrf-token';

/** An error answered by the API, or a network failure (status 0, code INTERNAL). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(status: number, code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

type QueryValue = string | number | boolean | null | undefined | readonly string[];
export type QueryParams = Record<string, QueryValue>;

interface RequestOptions {
  query?: QueryParams;
  body?: unknown;
  /**
   * The login call answers 401 for a wrong password; that must show an error on the
   * form instead of sending the user back to the login page they are already on.
   */
  skipUnauthenticatedHandler?: boolean;
}

type UnauthenticatedListener = () => void;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();

/** Called whenever a request answers 401: the session expired or was revoked. */
export function onUnauthenticated(listener: UnauthenticatedListener): () => void {
  unauthenticatedListeners.add(listener);
  return () => {
    unauthenticatedListeners.delete(listener);
  };
}

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function buildUrl(path: string, query?: QueryParams): string {
  const params = new URLSearchParams();
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null || value === '') continue;
      if (Array.isArray(value)) {
        if (value.length > 0) params.set(key, value.join(','));
      } else {
        params.set(key, String(value));
      }
    }
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

function toErrorCode(value: unknown, status: number): ErrorCode {
  const known: readonly string[] = errorCodes;
  if (typeof value === 'string' && known.includes(value)) return value as ErrorCode;
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 422) return 'BUSINESS_RULE';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 400 && status < 500) return 'VALIDATION_FAILED';
  return 'INTERNAL';
}

async function readError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy error page, for instance): fall back to the status.
  }
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error: unknown = body.error;
    if (typeof error === 'object' && error !== null) {
      const code = 'code' in error ? error.code : undefined;
      const message =
        'message' in error && typeof error.message === 'string' ? error.message : res.statusText;
      const details = 'details' in error ? error.details : undefined;
      return new ApiError(res.status, toErrorCode(code, res.status), message, details);
    }
  }
  return new ApiError(res.status, toErrorCode(undefined, res.status), res.statusText);
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  // The server writes its refusals in the language the UI shows.
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': currentLanguage(),
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    // Double-submit cookie: the session cookie alone must not be enough to change data.
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers[CSRF_HEADER] = csrf;
  }

  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : JSON.stringify(options.body),
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : 'Network error';
    throw new ApiError(0, 'INTERNAL', message);
  }

  if (!res.ok) {
    const error = await readError(res);
    if (res.status === 401 && !options.skipUnauthenticatedHandler) {
      for (const listener of unauthenticatedListeners) listener();
    }
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (text === '') return undefined as T;
  // The server validates its answers against the shared contract; the web trusts that
  // contract's types instead of parsing every response a second time.
  const data: unknown = JSON.parse(text);
  return data as T;
}

/**
 * A GET answered with a file rather than JSON (an export): the response, to read as a
 * stream. Refusals throw the same ApiError as `request`; an abort through `signal`
 * rethrows the browser's AbortError so the caller can tell a cancel from a failure.
 */
async function file(path: string, query?: QueryParams, signal?: AbortSignal): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(buildUrl(path, query), {
      method: 'GET',
      credentials: 'same-origin',
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    const message = err instanceof Error ? err.message : 'Network error';
    throw new ApiError(0, 'INTERNAL', message);
  }
  if (!res.ok) {
    const error = await readError(res);
    if (res.status === 401) {
      for (const listener of unauthenticatedListeners) listener();
    }
    throw error;
  }
  return res;
}

/**
 * Sends a file as the raw body of a POST (not multipart): the server streams it in.
 * Answers the JSON reply; refusals throw the same ApiError as `request`.
 */
async function upload<T>(path: string, query: QueryParams, body: Blob, contentType: string) {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': currentLanguage(),
    'content-type': contentType,
  };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers[CSRF_HEADER] = csrf;
  let res: Response;
  try {
    res = await fetch(buildUrl(path, query), {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : 'Network error';
    throw new ApiError(0, 'INTERNAL', message);
  }
  if (!res.ok) {
    const error = await readError(res);
    if (res.status === 401) {
      for (const listener of unauthenticatedListeners) listener();
    }
    throw error;
  }
  const data: unknown = await res.json();
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: QueryParams, options?: Omit<RequestOptions, 'body' | 'query'>) =>
    request<T>('GET', path, { ...options, query }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('POST', path, { ...options, body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
  file,
  upload,
};

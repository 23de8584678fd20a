// A small typed fetch client for /api/v1.
//
// - Sends cookies (same origin) and the CSRF token on every non-GET request.
// - Turns the server's error object {"error":{code,message,fields}} into ApiError.
// - Central reactions: 401 → login page (keeping ?redirect=), 403
//   password_change_required → change-password page, and the Chinese message
//   shown with ElMessage unless the caller asks to handle it itself.
import { ElMessage } from '@/common/feedback';
import type { ApiErrorBody } from './types';

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;
  readonly body: ApiErrorBody;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.fields = body.fields ?? {};
    this.body = body;
  }
}

/** Hooks the auth layer installs (kept here as plain callbacks to avoid import cycles). */
export interface ClientHooks {
  onUnauthenticated(message: string): void;
  onPasswordChangeRequired(): void;
}

let csrfToken: string | null = null;
let hooks: ClientHooks | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function installClientHooks(h: ClientHooks): void {
  hooks = h;
}

export interface RequestOptions {
  /** Query parameters; undefined, null and '' values are left out. */
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  /** A multipart body (file uploads); the browser sets the Content-Type with its boundary. */
  form?: FormData;
  /**
   * Error codes the caller shows itself (no ElMessage); `true` = all.
   * 401/403-password redirects still happen unless `noRedirect` is set.
   */
  quiet?: boolean | string[];
  /** Do not redirect on 401 (used by the initial session probe and the login call). */
  noRedirect?: boolean;
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  let url = API_BASE + path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      params.append(k, String(v));
    }
    const s = params.toString();
    if (s) url += '?' + s;
  }
  return url;
}

function networkError(): ApiError {
  return new ApiError(0, { code: 'network', message: '无法连接服务器，请检查网络后重试' });
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | FormData | undefined;
  if (opts.form !== undefined) {
    body = opts.form;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), { method, headers, body, credentials: 'same-origin' });
  } catch {
    const err = networkError();
    if (!isQuiet(opts, err.code)) ElMessage.error(err.message);
    throw err;
  }

  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }

  if (res.ok) return json as T;

  const errBody = extractError(res.status, json);
  const err = new ApiError(res.status, errBody);

  if (!opts.noRedirect && hooks) {
    if (res.status === 401 && err.code !== 'invalid_credentials') {
      hooks.onUnauthenticated(err.message);
      throw err;
    }
    if (res.status === 403 && err.code === 'password_change_required') {
      hooks.onPasswordChangeRequired();
      throw err;
    }
  }
  if (!isQuiet(opts, err.code)) ElMessage.error(err.message);
  throw err;
}

function isQuiet(opts: RequestOptions, code: string): boolean {
  if (opts.quiet === true) return true;
  return Array.isArray(opts.quiet) && opts.quiet.includes(code);
}

function extractError(status: number, json: unknown): ApiErrorBody {
  if (json && typeof json === 'object' && 'error' in json) {
    const e = (json as { error: unknown }).error;
    if (e && typeof e === 'object' && typeof (e as ApiErrorBody).message === 'string') {
      return e as ApiErrorBody;
    }
  }
  // The server always sends an error object; this covers proxies and crashes.
  const generic: Record<number, string> = {
    502: '服务器暂时无法访问，请稍后重试',
    503: '服务暂时不可用，请稍后重试',
    504: '服务器响应超时，请稍后重试',
  };
  return { code: 'http_' + status, message: generic[status] ?? `请求失败（HTTP ${status}）` };
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  /** POST a multipart/form-data body (with the CSRF header like every write). */
  upload: <T>(path: string, form: FormData, opts?: RequestOptions) => request<T>('POST', path, { ...opts, form }),
};

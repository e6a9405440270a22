// Error bodies as each Atlassian surface writes them. The product is told apart by path, because the
// core rejects requests (auth, rate limit, unknown route) before any product module sees them.
import type { SimResponse } from './types';

export type ErrorDialect = 'confluence-v2' | 'confluence-v1' | 'jira' | 'admin' | 'gateway';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  410: 'Gone',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Error';
}

export function dialectOf(path: string): ErrorDialect {
  if (path.startsWith('/wiki/api/v2')) return 'confluence-v2';
  if (path.startsWith('/wiki/')) return 'confluence-v1';
  if (path.startsWith('/rest/')) return 'jira';
  if (path.startsWith('/admin/')) return 'admin';
  return 'gateway';
}

/** Confluence v2: `{errors:[{status, code, title, detail}]}`. */
export function confluenceV2Error(status: number, detail: string | null = null): SimResponse {
  const title = reasonPhrase(status);
  const code = title.toUpperCase().replace(/ /g, '_');
  return { status, body: { errors: [{ status, code, title, detail }] } };
}

/** Confluence v1: `{statusCode, data:{…}, message, reason}`. */
export function confluenceV1Error(status: number, message: string): SimResponse {
  return {
    status,
    body: {
      statusCode: status,
      data: {
        authorized: status !== 401 && status !== 403,
        valid: true,
        allowedInReadOnlyMode: true,
        errors: [],
        successful: false,
      },
      message,
      reason: reasonPhrase(status),
    },
  };
}

/** Jira: `{errorMessages:[…], errors:{}}`. */
export function jiraError(status: number, message: string): SimResponse {
  return { status, body: { errorMessages: [message], errors: {} } };
}

/** Admin API application errors: `{errors:[{id, status, code, title, detail}]}` (schema `Errors`). */
export function adminError(status: number, code: string, detail: string): SimResponse {
  return {
    status,
    body: {
      errors: [
        { id: `sim-${status}-${code}`, status: String(status), code, title: reasonPhrase(status), detail },
      ],
    },
  };
}

/** The API gateway's own rejections (and the Admin API's 401/429): `ProxyError {code, message}`. */
export function proxyError(status: number, message: string = reasonPhrase(status)): SimResponse {
  return { status, body: { code: status, message } };
}

/** An error in the dialect of the surface the path belongs to. */
export function errorFor(path: string, status: number, message: string): SimResponse {
  switch (dialectOf(path)) {
    case 'confluence-v2':
      return confluenceV2Error(status, message);
    case 'confluence-v1':
      return confluenceV1Error(status, message);
    case 'jira':
      return jiraError(status, message);
    case 'admin':
      return status === 401 || status === 429
        ? proxyError(status, message)
        : adminError(status, `ADMIN-${status}-1`, message);
    default:
      return proxyError(status, message);
  }
}

// Errors raised by the Atlassian HTTP layer. Messages name method, path (no query) and status only:
// request headers (credentials) and full bodies never end up in them.
import { ConnectorError, type ConnectorErrorOptions, type FailureType } from '../cdk/errors';

export interface UpstreamErrorOptions extends ConnectorErrorOptions {
  /** HTTP status, when the server answered. */
  status?: number;
  method?: string;
  /** Request path without query string. */
  path?: string;
  /** How the runner should classify the error if nobody catches it. Default: by status. */
  failureType?: FailureType;
}

/**
 * An Atlassian answer the caller may want to handle: 403 / 404 on a resource (a restricted page, a deleted
 * issue), a malformed body, a pagination loop. `status` lets streams skip one resource and go on.
 */
export class UpstreamError extends ConnectorError {
  readonly code: FailureType;
  readonly status?: number;
  readonly method?: string;
  readonly path?: string;

  constructor(message: string, options: UpstreamErrorOptions = {}) {
    super(message, options);
    this.status = options.status;
    this.method = options.method;
    this.path = options.path;
    this.code = options.failureType ?? defaultFailureType(options.status);
  }
}

function defaultFailureType(status: number | undefined): FailureType {
  if (status === 403) return 'config_error';
  if (status !== undefined && (status === 408 || status === 429 || status >= 500)) return 'transient_error';
  return 'system_error';
}

/** True for an UpstreamError with one of these statuses, e.g. `isStatus(e, 403, 404)` to skip a restricted page. */
export function isStatus(error: unknown, ...statuses: number[]): error is UpstreamError {
  return error instanceof UpstreamError && error.status !== undefined && statuses.includes(error.status);
}

/** Strips the query string (it may carry cursors, JQL or, from a careless caller, secrets). */
export function pathOnly(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * Atlassian refused the credentials (HTTP 401). Fatal: every other request would fail the same way.
 * Carries the request so `check` can tell a missing scope from a bad token.
 */
export class AuthError extends ConnectorError {
  readonly code = 'config_error' as const;
  readonly status = 401;
  readonly method: string;
  readonly path: string;

  constructor(message: string, options: ConnectorErrorOptions & { method: string; path: string }) {
    super(message, { ...options, fatal: options.fatal ?? true });
    this.method = options.method;
    this.path = options.path;
  }
}

/** No HTTP answer at all (DNS, refused, reset after retries). `networkCode` is Node's code, e.g. ENOTFOUND. */
export class NetworkError extends ConnectorError {
  readonly code = 'transient_error' as const;
  constructor(
    message: string,
    readonly networkCode: string,
    /** Set when it was the proxy that could not be reached: `the proxy host:port (https_proxy)`. */
    readonly proxy?: string,
  ) {
    super(message);
  }
}

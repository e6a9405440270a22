// Service-account OAuth 2.0 credential (ENDPOINTS.md §0.2): client credentials exchanged at {auth}/oauth/token
// for a 60-minute Bearer token. No refresh token exists for this grant: ask again before the token expires.
import { ConfigError, TransientError } from '../cdk/errors';
import type { Authenticator } from './auth';
import { exchange, readAll } from './http-exchange';
import { connectionFailure } from './proxy';
import {
  backoffDelay,
  DEFAULT_RETRY,
  isRetryableNetworkError,
  realClock,
  type Clock,
  type RetryPolicy,
} from './retry';

export interface OAuthOptions {
  clientId: string;
  clientSecret: string;
  /** `https://auth.atlassian.com` or the override. */
  authUrl: string;
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  userAgent?: string;
  /** Renew this long before expiry (default 5 minutes). */
  renewBeforeMs?: number;
}

/** A JSON object body, or `{}` for anything else (an HTML error page, an empty body). */
function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

const cancelled = () => new TransientError('Waiting for the OAuth token was cancelled');

/** The shared exchange's outcome, unless this caller's signal aborts first (the exchange itself goes on). */
function untilAborted<T>(shared: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const abort = () => reject(cancelled());
    signal.addEventListener('abort', abort, { once: true });
    void shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** Client-credentials grant; the token is shared by every request and renewed by whoever needs it first. */
export class OAuthClientCredentials implements Authenticator {
  readonly form = 'oauth-client-credentials' as const;
  readonly viaGateway = true;
  private token?: { header: string; renewAt: number };
  private pending?: Promise<string>;
  private readonly clock: Clock;
  /** Token exchanges made, for tests and metrics. */
  exchanges = 0;

  constructor(private readonly options: OAuthOptions) {
    this.clock = options.clock ?? realClock;
  }

  header(signal?: AbortSignal): Promise<string> {
    if (this.token && this.clock.now() < this.token.renewAt) return Promise.resolve(this.token.header);
    if (signal?.aborted) return Promise.reject(cancelled());
    // One exchange serves every waiting request, so it runs on no caller's signal (each attempt is bounded by
    // timeoutMs, the retries by the policy): a cancelled partition must not fail the others' token.
    this.pending ??= this.exchange().finally(() => (this.pending = undefined));
    return signal ? untilAborted(this.pending, signal) : this.pending;
  }

  renewAfter401(usedHeader: string): boolean {
    // Renew once per token: a 401 with a token we already replaced just retries with the new one.
    if (this.token?.header === usedHeader) this.token = undefined;
    return true;
  }

  private async exchange(): Promise<string> {
    const url = `${this.options.authUrl}/oauth/token`;
    const policy = { ...DEFAULT_RETRY, ...this.options.retry };
    for (let attempt = 0; ; attempt++) {
      let status: number | undefined;
      let body: Record<string, unknown> = {};
      try {
        // JSON body, as for Atlassian's other OAuth 2.0 grants; `audience` names the gateway the token is for.
        const response = await exchange(url, {
          method: 'POST',
          body: JSON.stringify({
            grant_type: 'client_credentials',
            client_id: this.options.clientId,
            client_secret: this.options.clientSecret,
            audience: 'api.atlassian.com',
          }),
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            ...(this.options.userAgent ? { 'user-agent': this.options.userAgent } : {}),
          },
          timeoutMs: this.options.timeoutMs ?? 30_000,
        });
        status = response.statusCode;
        body = parseObject((await readAll(response)).toString('utf8'));
      } catch (error) {
        // Never rethrow the network error as it is: name its code (and a failed proxy) only.
        const e = error as { code?: string; message?: string };
        if (!isRetryableNetworkError(e.code, e.message ?? '') || attempt >= policy.maxRetries) {
          throw new TransientError(
            `OAuth token exchange at ${url} failed: ${connectionFailure(error, url).description}`,
          );
        }
      }
      if (status !== undefined && status < 300 && typeof body.access_token === 'string') {
        this.exchanges++;
        const expiresInMs = (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000;
        const renewBefore = Math.min(this.options.renewBeforeMs ?? 5 * 60_000, expiresInMs / 2);
        const header = `Bearer ${body.access_token}`;
        this.token = { header, renewAt: this.clock.now() + expiresInMs - renewBefore };
        return header;
      }
      if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
        const reason = typeof body.error === 'string' ? ` (${body.error})` : '';
        throw new ConfigError(
          `The OAuth client credentials were rejected by ${url}: HTTP ${status}${reason}. ` +
            'Check client_id and client_secret of the service account OAuth 2.0 credential (it may have been revoked or expired).',
          { fatal: true },
        );
      }
      if (status !== undefined && attempt >= policy.maxRetries) {
        throw new TransientError(`OAuth token exchange at ${url} failed: HTTP ${status}`);
      }
      await this.clock.sleep(backoffDelay(attempt, policy));
    }
  }
}

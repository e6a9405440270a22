// The credential forms of ENDPOINTS.md §0.2 and what each one sends:
// - service_account: scoped token via the gateway; Basic email:token when the email is given, else Bearer.
// - service_account_oauth: client credentials exchanged at {auth}/oauth/token for a 60-minute Bearer token,
//   renewed 5 minutes before it expires and once after a 401 (no refresh tokens for this grant).
// - api_token: classic personal token, Basic email:token against the site itself.
import axios from 'axios';
import { ConfigError, TransientError } from '../cdk/errors';
import type { SourceConfig } from '../generated/config';
import {
  backoffDelay,
  DEFAULT_RETRY,
  isRetryableNetworkError,
  realClock,
  type Clock,
  type RetryPolicy,
} from './retry';

export type AuthForm =
  | 'basic-service-account'
  | 'bearer-service-account'
  | 'oauth-client-credentials'
  | 'basic-api-token'
  | 'org-admin-key';

export interface Authenticator {
  readonly form: AuthForm;
  /** Gateway (`api.atlassian.com/ex/…`) or the site host. */
  readonly viaGateway: boolean;
  /** The Authorization header value for the next request. */
  header(signal?: AbortSignal): Promise<string>;
  /** After a 401 with `usedHeader`: forget it. True when asking again may give a different, valid credential. */
  renewAfter401(usedHeader: string): boolean;
}

const basic = (user: string, secret: string): string =>
  `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

/** How the user should read a 401, per form (check and the fatal 401 error both use it). */
export function describeAuthForm(form: AuthForm): string {
  switch (form) {
    case 'basic-service-account':
      return 'the service-account token as Basic email:token via api.atlassian.com';
    case 'bearer-service-account':
      return 'the service-account token as a Bearer token via api.atlassian.com (no service_account_email given)';
    case 'oauth-client-credentials':
      return 'an OAuth 2.0 access token (client credentials) via api.atlassian.com';
    case 'basic-api-token':
      return 'the personal API token as Basic email:token against the site';
    case 'org-admin-key':
      return 'the organization admin API key as a Bearer token';
  }
}

class StaticAuth implements Authenticator {
  constructor(
    readonly form: AuthForm,
    readonly viaGateway: boolean,
    private readonly value: string,
  ) {}
  header(): Promise<string> {
    return Promise.resolve(this.value);
  }
  renewAfter401(): boolean {
    return false;
  }
}

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
    this.pending ??= this.exchange(signal).finally(() => (this.pending = undefined));
    return this.pending;
  }

  renewAfter401(usedHeader: string): boolean {
    // Renew once per token: a 401 with a token we already replaced just retries with the new one.
    if (this.token?.header === usedHeader) this.token = undefined;
    return true;
  }

  private async exchange(signal?: AbortSignal): Promise<string> {
    const url = `${this.options.authUrl}/oauth/token`;
    const policy = { ...DEFAULT_RETRY, ...this.options.retry };
    for (let attempt = 0; ; attempt++) {
      let status: number | undefined;
      let body: Record<string, unknown> = {};
      let networkCode: string | undefined;
      try {
        // JSON body, as for Atlassian's other OAuth 2.0 grants; `audience` names the gateway the token is for.
        const response = await axios.post(
          url,
          {
            grant_type: 'client_credentials',
            client_id: this.options.clientId,
            client_secret: this.options.clientSecret,
            audience: 'api.atlassian.com',
          },
          {
            headers: {
              'content-type': 'application/json',
              accept: 'application/json',
              'user-agent': this.options.userAgent,
            },
            timeout: this.options.timeoutMs ?? 30_000,
            validateStatus: () => true,
            maxRedirects: 0,
            signal,
          },
        );
        status = response.status;
        body =
          response.data && typeof response.data === 'object'
            ? (response.data as Record<string, unknown>)
            : {};
      } catch (error) {
        // Never rethrow the axios error: its config holds the client secret.
        const e = error as { code?: string; message?: string };
        networkCode = e.code ?? 'network error';
        if (
          signal?.aborted ||
          !isRetryableNetworkError(e.code, e.message ?? '') ||
          attempt >= policy.maxRetries
        ) {
          throw new TransientError(`OAuth token exchange at ${url} failed: ${networkCode}`);
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
      await this.clock.sleep(backoffDelay(attempt, policy), signal);
    }
  }
}

export interface AuthenticatorOptions {
  authUrl: string;
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  userAgent?: string;
}

/** The product-API authenticator for a validated config. */
export function createAuthenticator(
  credentials: SourceConfig['credentials'],
  options: AuthenticatorOptions,
): Authenticator {
  switch (credentials.auth_type) {
    case 'service_account':
      return credentials.service_account_email
        ? new StaticAuth(
            'basic-service-account',
            true,
            basic(credentials.service_account_email, credentials.service_account_token),
          )
        : new StaticAuth('bearer-service-account', true, `Bearer ${credentials.service_account_token}`);
    case 'service_account_oauth':
      return new OAuthClientCredentials({
        clientId: credentials.client_id,
        clientSecret: credentials.client_secret,
        ...options,
      });
    case 'api_token':
      return new StaticAuth('basic-api-token', false, basic(credentials.email, credentials.api_token));
  }
}

/** The org Admin API key: always Bearer (ENDPOINTS.md §4). */
export function orgKeyAuthenticator(key: string): Authenticator {
  return new StaticAuth('org-admin-key', true, `Bearer ${key}`);
}

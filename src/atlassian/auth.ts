// The credential forms of ENDPOINTS.md §0.2 and what each one sends:
// - service_account: scoped token via the gateway; Basic email:token when the email is given, else Bearer.
// - service_account_oauth: client credentials exchanged at {auth}/oauth/token for a 60-minute Bearer token,
//   renewed 5 minutes before it expires and once after a 401 (no refresh tokens for this grant).
// - api_token: classic personal token, Basic email:token against the site itself.
import type { SourceConfig } from '../generated/config';
import { OAuthClientCredentials } from './oauth';
import type { Clock, RetryPolicy } from './retry';

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

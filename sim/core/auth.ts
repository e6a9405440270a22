// Authentication exactly as reference/atlassian/ENDPOINTS.md §0.2 describes it:
// - scoped service-account token (ATSTT…): only through the gateway, as Basic email:token or as Bearer;
// - OAuth 2.0 client-credentials access token: Bearer, only through the gateway, expires;
// - classic unscoped personal token (ATATT…): Basic email:token, only on the site host;
// - organization API key: Bearer, only on /admin.
import { randomBytes } from 'node:crypto';
import { errorFor, proxyError } from './errors';
import type { SimResponse, Surface } from './types';

export interface Credentials {
  serviceAccountEmail: string;
  serviceAccountToken: string;
  oauthClientId: string;
  oauthClientSecret: string;
  userEmail: string;
  userApiToken: string;
  orgId: string;
  orgAdminApiKey: string;
}

export interface AuthOptions {
  credentials: Credentials;
  serviceAccountId: string;
  userAccountId: string;
  /** Lifetime of OAuth access tokens, read on each exchange (a knob, so tests can make them expire). */
  tokenLifetimeSeconds(): number;
  now(): number;
}

export type AuthResult = { ok: true; caller: string } | { ok: false; response: SimResponse };

interface ParsedAuth {
  scheme: 'basic' | 'bearer' | 'none' | 'other';
  user?: string;
  secret?: string;
}

export function parseAuthorization(header: string | undefined): ParsedAuth {
  if (!header) return { scheme: 'none' };
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  if (/^basic$/i.test(scheme ?? '')) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { scheme: 'basic', user: decoded, secret: '' };
    return { scheme: 'basic', user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  if (/^bearer$/i.test(scheme ?? '')) return { scheme: 'bearer', secret: value };
  return { scheme: 'other' };
}

export class Auth {
  private readonly accessTokens = new Map<string, number>();

  constructor(private readonly options: AuthOptions) {}

  /** Decides who is calling, or the 401 the real surface would answer. */
  authenticate(surface: Surface, path: string, authorization: string | undefined): AuthResult {
    const { credentials: c } = this.options;
    const auth = parseAuthorization(authorization);
    if (surface === 'admin') {
      if (auth.scheme === 'bearer' && auth.secret === c.orgAdminApiKey)
        return { ok: true, caller: 'org-admin' };
      return { ok: false, response: proxyError(401, 'Unauthorized') };
    }
    if (surface === 'gateway') {
      if (auth.scheme === 'basic' && auth.user?.toLowerCase() === c.serviceAccountEmail.toLowerCase()) {
        if (auth.secret === c.serviceAccountToken) return this.serviceAccount();
      }
      if (auth.scheme === 'bearer' && auth.secret) {
        if (auth.secret === c.serviceAccountToken) return this.serviceAccount();
        const expiresAt = this.accessTokens.get(auth.secret);
        if (expiresAt !== undefined && expiresAt > this.options.now()) return this.serviceAccount();
        if (expiresAt !== undefined)
          return { ok: false, response: proxyError(401, 'Unauthorized; token expired') };
      }
      // Unscoped personal tokens, unknown tokens and missing headers all get the gateway's plain 401.
      return { ok: false, response: proxyError(401, 'Unauthorized') };
    }
    // Site host: only classic unscoped tokens. A scoped token here is refused (the KB's "401 when a service
    // account calls the site URL").
    if (
      auth.scheme === 'basic' &&
      auth.user?.toLowerCase() === c.userEmail.toLowerCase() &&
      auth.secret === c.userApiToken
    ) {
      return { ok: true, caller: this.options.userAccountId };
    }
    const message =
      auth.scheme === 'none'
        ? 'Client must be authenticated to access this resource.'
        : 'Basic authentication with passwords is deprecated or the credentials are invalid.';
    return { ok: false, response: errorFor(path, 401, message) };
  }

  /**
   * POST /oauth/token (client-credentials grant). Accepts a JSON or form body, or the client credentials as
   * HTTP Basic. No refresh token: clients ask again when the access token expires.
   */
  exchange(body: Record<string, unknown>, authorization: string | undefined): SimResponse {
    const { credentials: c } = this.options;
    const basic = parseAuthorization(authorization);
    const clientId = str(body.client_id) ?? (basic.scheme === 'basic' ? basic.user : undefined);
    const clientSecret = str(body.client_secret) ?? (basic.scheme === 'basic' ? basic.secret : undefined);
    if (str(body.grant_type) !== 'client_credentials') {
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'Only client_credentials is supported.' },
      };
    }
    if (clientId !== c.oauthClientId || clientSecret !== c.oauthClientSecret) {
      return { status: 401, body: { error: 'access_denied', error_description: 'Unauthorized' } };
    }
    const lifetime = this.options.tokenLifetimeSeconds();
    const token = `sim-oauth-${randomBytes(18).toString('base64url')}`;
    this.accessTokens.set(token, this.options.now() + lifetime * 1000);
    return {
      status: 200,
      body: {
        access_token: token,
        token_type: 'Bearer',
        expires_in: lifetime,
        scope: 'read:confluence-content.all read:jira-work read:jira-user search:confluence',
      },
    };
  }

  private serviceAccount(): AuthResult {
    return { ok: true, caller: this.options.serviceAccountId };
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

// Builds the AtlassianSite every stream uses: endpoints, cloudId, one client per product (shared pacing), the Admin API.
import type { SourceRuntime } from '../cdk/source';
import type { SourceConfig } from '../generated/config';
import { createAuthenticator, orgKeyAuthenticator, type Authenticator } from './auth';
import { normaliseDomain } from './domain';
import { adminUrl, gatewayProductUrl, resolveEndpoints, type Endpoints, type Product } from './endpoints';
import { UpstreamError } from './errors';
import { HttpClient, USER_AGENT } from './http-client';
import { createAgents, type Agents } from './http-exchange';
import { createMetrics, type HttpMetrics } from './metrics';
import { Dispatcher, RateLimiter } from './rate-limiter';
import type { Clock, RetryPolicy } from './retry';
import type { AtlassianSite } from './site';

export interface ConnectOptions {
  runtime?: Pick<SourceRuntime, 'onRateLimited'> & Partial<Pick<SourceRuntime, 'logger'>>;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  /** Retry, backoff and token-expiry waits. */
  clock?: Clock;
  /** Request pacing (rate limiter); real time unless given, so tests can fake retry waits but not pacing. */
  pacingClock?: Clock;
  metrics?: HttpMetrics;
}

/** Everything needed to make clients, before the cloudId is known. */
export interface Connection {
  config: SourceConfig;
  domain: string;
  endpoints: Endpoints;
  auth: Authenticator;
  metrics: HttpMetrics;
  clientFor(baseUrl: string, auth: Authenticator, bucket: string, basePathAlias?: string): HttpClient;
}

const NO_AUTH: Authenticator = {
  form: 'basic-api-token',
  viaGateway: false,
  header: () => Promise.resolve(''),
  renewAfter401: () => false,
};

/** No network I/O: validates the endpoints and sets up auth, pacing and agents. */
export function createConnection(config: SourceConfig, options: ConnectOptions = {}): Connection {
  const normalised = normaliseDomain(config.domain);
  // validateConfig already normalised it; this guards direct callers.
  const domain = normalised.ok ? normalised.domain : config.domain;
  const endpoints = resolveEndpoints({ ...config, domain });
  const metrics = options.metrics ?? createMetrics();
  const agents: Agents = createAgents(Math.max(16, (config.max_concurrency ?? 8) * 2));
  const buckets = new Map<string, RateLimiter>();
  const dispatcher = new Dispatcher(
    config.max_concurrency ?? 8,
    config.requests_per_second ?? 50,
    options.pacingClock,
  );
  const auth = createAuthenticator(config.credentials, {
    authUrl: endpoints.authUrl,
    clock: options.clock,
    retry: options.retry,
    timeoutMs: options.timeoutMs,
    userAgent: USER_AGENT,
  });
  const limiterFor = (bucket: string): RateLimiter => {
    let limiter = buckets.get(bucket);
    if (!limiter) {
      limiter = new RateLimiter({
        requestsPerSecond: config.requests_per_second ?? 50,
        dispatcher,
        clock: options.pacingClock,
      });
      buckets.set(bucket, limiter);
    }
    return limiter;
  };
  return {
    config,
    domain,
    endpoints,
    auth,
    metrics,
    clientFor: (baseUrl, clientAuth, bucket, basePathAlias) =>
      new HttpClient({
        baseUrl,
        auth: clientAuth,
        limiter: limiterFor(bucket),
        metrics,
        agents,
        runtime: options.runtime,
        retry: options.retry,
        timeoutMs: options.timeoutMs,
        clock: options.clock,
        basePathAlias,
      }),
  };
}

/** `GET {site}/_edge/tenant_info` without credentials (ENDPOINTS.md §0.1). */
export async function fetchCloudId(connection: Connection, signal?: AbortSignal): Promise<string> {
  const client = connection.clientFor(connection.endpoints.siteUrl, NO_AUTH, 'site');
  const body = await client.get<{ cloudId?: unknown }>('/_edge/tenant_info', { signal });
  if (!body || typeof body.cloudId !== 'string' || !body.cloudId) {
    throw new UpstreamError(`${connection.domain}/_edge/tenant_info did not return a cloudId`, {
      path: '/_edge/tenant_info',
      failureType: 'config_error',
    });
  }
  return body.cloudId;
}

/** The product client for this credential: gateway for service accounts, the site for classic API tokens. */
export function productClient(connection: Connection, product: Product, cloudId: string): HttpClient {
  const base = connection.auth.viaGateway
    ? gatewayProductUrl(connection.endpoints, product, cloudId)
    : connection.endpoints.siteUrl;
  return connection.clientFor(base, connection.auth, product);
}

export function buildSite(connection: Connection, cloudId: string): AtlassianSite {
  const { config } = connection;
  const site: AtlassianSite = {
    cloudId,
    // Web links always point at the real site, even when tests route API calls elsewhere.
    siteUrl: `https://${connection.domain}`,
    confluence: productClient(connection, 'confluence', cloudId),
    jira: productClient(connection, 'jira', cloudId),
  };
  if (config.organization_id && config.organization_admin_api_key) {
    site.admin = {
      orgId: config.organization_id,
      client: connection.clientFor(
        adminUrl(connection.endpoints),
        orgKeyAuthenticator(config.organization_admin_api_key),
        'admin',
        '/admin',
      ),
    };
  }
  return site;
}

export async function connectSite(connection: Connection, signal?: AbortSignal): Promise<AtlassianSite> {
  return buildSite(connection, await fetchCloudId(connection, signal));
}

// Where each surface lives: the site, the API gateway, the OAuth token endpoint and the org Admin API.
// The hidden *_url_override test hooks replace the public bases; plain http is allowed for loopback hosts only,
// so a mistyped override can never send credentials in clear text over a network.
import { ConfigError } from '../cdk/errors';

export interface Endpoints {
  /** `https://{domain}`: classic API-token calls, tenant_info and web links. */
  siteUrl: string;
  /** `https://api.atlassian.com`: `{gateway}/ex/{product}/{cloudId}` and `{gateway}/admin`. */
  gatewayUrl: string;
  /** `https://auth.atlassian.com`: `{auth}/oauth/token`. */
  authUrl: string;
}

export interface EndpointConfig {
  /** Already normalised (see domain.ts). */
  domain: string;
  site_url_override?: string;
  gateway_url_override?: string;
  auth_url_override?: string;
}

/** 127.0.0.0/8, localhost and ::1: the only hosts that may be reached over plain http. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Validates one override: an absolute https URL, or http on a loopback host. Returns it without trailing slash. */
export function checkBaseUrl(field: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(`config.${field} must be an absolute URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ConfigError(`config.${field} must use https (http is allowed for loopback hosts only)`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError(`config.${field} must not carry credentials, a query or a fragment`);
  }
  return url.toString().replace(/\/+$/, '');
}

export function resolveEndpoints(config: EndpointConfig): Endpoints {
  const pick = (field: keyof EndpointConfig & `${string}_override`, fallback: string): string => {
    const value = config[field];
    return value ? checkBaseUrl(field, value) : fallback;
  };
  return {
    siteUrl: pick('site_url_override', `https://${config.domain}`),
    gatewayUrl: pick('gateway_url_override', 'https://api.atlassian.com'),
    authUrl: pick('auth_url_override', 'https://auth.atlassian.com'),
  };
}

export type Product = 'confluence' | 'jira';

export const gatewayProductUrl = (endpoints: Endpoints, product: Product, cloudId: string): string =>
  `${endpoints.gatewayUrl}/ex/${product}/${encodeURIComponent(cloudId)}`;

export const adminUrl = (endpoints: Endpoints): string => `${endpoints.gatewayUrl}/admin`;

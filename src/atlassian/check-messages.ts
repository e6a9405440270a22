// The user-facing texts of `check`: one distinct, actionable message per failure.
// They name the field to change and never include a credential.
import type { SourceConfig } from '../generated/config';
import type { AuthForm } from './auth';
import { describeScopes, type OperationScopes } from './scopes';

type Credentials = SourceConfig['credentials'];

/** A token that cannot work with the chosen auth_type, judged from its documented prefix. */
export function tokenShapeProblem(credentials: Credentials): string | undefined {
  if (
    credentials.auth_type === 'service_account' &&
    credentials.service_account_token.trim().startsWith('ATATT')
  ) {
    return (
      'The service_account_token is a personal API token (it starts with ATATT); a service account uses a scoped ' +
      'API token (ATSTT…). Create one under admin.atlassian.com → Directory → Service accounts → the account → ' +
      'API tokens, or keep this token and switch credentials to "api_token" with the email of the account that owns it.'
    );
  }
  if (credentials.auth_type === 'api_token' && credentials.api_token.trim().startsWith('ATSTT')) {
    return (
      'The api_token is a scoped API token (it starts with ATSTT). Scoped tokens only work through the ' +
      'api.atlassian.com gateway, not against the site: switch credentials to "service_account" with this token as ' +
      'service_account_token and the account email as service_account_email.'
    );
  }
  return undefined;
}

/** 401 on every product call: the credential itself is wrong. Says which form was tried and how to try the other. */
export function rejectedCredentials(form: AuthForm, domain: string): string {
  const common =
    'Check that it was copied whole and has not been revoked or expired (API tokens last at most one year).';
  switch (form) {
    case 'basic-service-account':
      return (
        'Atlassian rejected the service-account token (HTTP 401). It was sent as Basic email:token (with ' +
        `service_account_email) through api.atlassian.com. ${common} Make sure service_account_email is the service account's own ` +
        'address (…@serviceaccount.atlassian.com). To send the token as a Bearer token instead, leave ' +
        'service_account_email empty.'
      );
    case 'bearer-service-account':
      return (
        'Atlassian rejected the service-account token (HTTP 401). It was sent as a Bearer token through ' +
        `api.atlassian.com because service_account_email is empty. ${common} Atlassian documents scoped tokens as ` +
        'Basic email:token: set service_account_email to the service account email (…@serviceaccount.atlassian.com).'
      );
    case 'oauth-client-credentials':
      return (
        'Atlassian rejected the OAuth access token obtained with client_id/client_secret (HTTP 401 through ' +
        `api.atlassian.com). Check that the service account's OAuth 2.0 credential is active and has access to ${domain}.`
      );
    case 'basic-api-token':
    case 'org-admin-key':
      return (
        `Atlassian rejected email + api_token (HTTP 401, sent as Basic email:token to ${domain}). ${common} ` +
        'The email must be the one of the Atlassian account that created the token. For a service account, use ' +
        'credentials "service_account" instead.'
      );
  }
}

/** 401/403 on one operation while others work: a scope (or product access) is missing. */
export function missingScope(options: {
  product: string;
  operation: string;
  status: number;
  scopes: OperationScopes | undefined;
  form: AuthForm;
}): string {
  const { product, operation, status, form } = options;
  if (form === 'basic-api-token') {
    return (
      `The account behind the API token may not use ${product} (HTTP ${status} on ${operation}). ` +
      `Grant it ${product} access on the site, or disable ${product} in the config.`
    );
  }
  const scopes = describeScopes(options.scopes);
  return (
    `The credentials work but cannot call ${operation} (HTTP ${status}): the token is missing a scope ${product} ` +
    `needs${scopes ? ` (${scopes})` : ''}, or the service account has no ${product} access on this site. Add the ` +
    `scope to the token (or OAuth credential) and grant ${product} access, or disable ${product} in the config.`
  );
}

export function productUnavailable(product: string, domain: string, operation: string): string {
  return (
    `${product} is not available on ${domain} (${operation} returned 404). Check the site has ${product}, ` +
    `or set ${product.toLowerCase()}.enabled to false.`
  );
}

export function siteNotFound(domain: string, how: string): string {
  return `The site ${domain} was not found (${how}). Check the spelling of domain: it is the part before /wiki or /jira in your browser, e.g. your-company.atlassian.net.`;
}

export function notCloudSite(domain: string, detail: string): string {
  return (
    `${domain} did not answer like an Atlassian Cloud site (${detail}). This connector supports Atlassian Cloud ` +
    'only; self-hosted Jira/Confluence Data Center is not supported.'
  );
}

export function inaccessible(kind: 'spaces' | 'projects', keys: string[]): string {
  const field = kind === 'spaces' ? 'confluence.spaces.include' : 'jira.projects.include';
  const product = kind === 'spaces' ? 'Confluence spaces' : 'Jira projects';
  return (
    `The account cannot see these ${product} listed in ${field}: ${keys.join(', ')}. They do not exist or the ` +
    `account has no permission: fix the keys or grant access.`
  );
}

export function adminRejected(status: number, orgId: string, scopes: OperationScopes | undefined): string {
  if (status === 404) {
    return (
      `The Admin API does not know organization ${orgId} for this API key (HTTP 404). Copy organization_id from ` +
      'admin.atlassian.com/o/{id}/…; it is not the site cloudId.'
    );
  }
  const scopeText = describeScopes(scopes);
  return (
    `The Admin API rejected organization_admin_api_key for organization ${orgId} (HTTP ${status}). Create an API ` +
    'key at admin.atlassian.com → Settings → API keys (keys expire after at most one year)' +
    `${scopeText ? `; a scoped key needs ${scopeText}` : ''}, or remove both organization fields.`
  );
}

// `check`: one cheap probe per surface (site, Confluence, Jira, org Admin API), read into exactly one outcome.
// Every failure gets its own message (check-messages.ts); success says what the account can see.
import { ConfigError, ConnectorError } from '../cdk/errors';
import type { CheckResult, SourceRuntime } from '../cdk/source';
import type { SourceConfig } from '../generated/config';
import { describeAuthForm } from './auth';
import * as say from './check-messages';
import { buildSite, createConnection, fetchCloudId, type ConnectOptions } from './connect';
import { AuthError, NetworkError, UpstreamError } from './errors';
import { countProjects, countSpaces, missingProjects, missingSpaces } from './check-probes';
import { ScopeCatalog } from './scopes';
import type { AtlassianSite } from './site';

const failed = (message: string): CheckResult => ({ status: 'FAILED', message });

/** What a product probe found, or the error that stopped it. */
type Probe = { product: 'Confluence' | 'Jira'; summary?: string; error?: unknown; operation?: string };

async function probeConfluence(
  site: AtlassianSite,
  config: SourceConfig,
  signal?: AbortSignal,
): Promise<Probe> {
  const probe: Probe = { product: 'Confluence', operation: 'GET /wiki/api/v2/spaces' };
  try {
    probe.summary = await countSpaces(site.confluence, signal);
    const include = config.confluence?.spaces?.include ?? [];
    const missing = include.length ? await missingSpaces(site.confluence, include, signal) : [];
    if (missing.length) probe.error = new ConfigError(say.inaccessible('spaces', missing));
  } catch (error) {
    probe.error = error;
  }
  return probe;
}

async function probeJira(site: AtlassianSite, config: SourceConfig, signal?: AbortSignal): Promise<Probe> {
  const probe: Probe = { product: 'Jira', operation: 'GET /rest/api/3/project/search' };
  try {
    probe.summary = await countProjects(site.jira, signal);
    const include = config.jira?.projects?.include ?? [];
    const archived = config.jira?.include_archived_projects === true;
    const missing = include.length ? await missingProjects(site.jira, include, archived, signal) : [];
    if (missing.length) probe.error = new ConfigError(say.inaccessible('projects', missing));
  } catch (error) {
    probe.error = error;
  }
  return probe;
}

const statusOf = (error: unknown): number | undefined =>
  error instanceof AuthError ? 401 : error instanceof UpstreamError ? error.status : undefined;

/** Reads the product probes into one failure message, or undefined when all passed. */
function productFailure(
  probes: Probe[],
  form: ReturnType<typeof createConnection>['auth']['form'],
  domain: string,
): string | undefined {
  const failedProbes = probes.filter((p) => p.error !== undefined);
  if (!failedProbes.length) return undefined;
  const denied = failedProbes.filter((p) => statusOf(p.error) === 401);
  // Every product refused the credential: the token itself is wrong (a scope problem would spare some calls).
  if (
    denied.length &&
    denied.length === probes.length &&
    !denied.some((p) => /scope/i.test(String((p.error as AuthError).internalMessage)))
  ) {
    return say.rejectedCredentials(form, domain);
  }
  const catalog = new ScopeCatalog();
  for (const probe of failedProbes) {
    const error = probe.error;
    const status = statusOf(error);
    const operation =
      error instanceof UpstreamError || error instanceof AuthError
        ? `${error.method ?? 'GET'} ${error.path ?? ''}`
        : (probe.operation ?? '');
    if (status === 401 || status === 403) {
      const [method = 'GET', path = ''] = operation.split(' ');
      return say.missingScope({
        product: probe.product,
        operation,
        status,
        scopes: catalog.scopesOf(method, path),
        form,
      });
    }
    if (status === 404) return say.productUnavailable(probe.product, domain, operation);
  }
  const first = failedProbes[0]!.error;
  if (first instanceof ConnectorError) {
    return first.code === 'config_error'
      ? first.message
      : `${failedProbes[0]!.product}: ${first.message}. Try again later.`;
  }
  throw first;
}

async function adminFailure(site: AtlassianSite, signal?: AbortSignal): Promise<string | undefined> {
  if (!site.admin) return undefined;
  const path = `/v2/orgs/${encodeURIComponent(site.admin.orgId)}/directories`;
  try {
    await site.admin.client.get(path, { params: { limit: 1 }, signal });
    return undefined;
  } catch (error) {
    const status = statusOf(error);
    if (status === 401 || status === 403 || status === 404) {
      return say.adminRejected(
        status,
        site.admin.orgId,
        new ScopeCatalog().scopesOf('GET', path, { admin: true }),
      );
    }
    if (error instanceof ConnectorError) return `Org Admin API: ${error.message}. Try again later.`;
    throw error;
  }
}

async function cloudIdOrFailure(
  connection: ReturnType<typeof createConnection>,
  signal?: AbortSignal,
): Promise<string | CheckResult> {
  const { domain } = connection;
  try {
    return await fetchCloudId(connection, signal);
  } catch (error) {
    // ENOTFOUND: the name does not exist. EAI_AGAIN (a DNS server that did not answer) is the machine's
    // network, not the domain, and falls through to "could not reach".
    // Through a proxy that does not resolve, it is the proxy's name that is not found.
    if (error instanceof NetworkError && error.networkCode === 'ENOTFOUND' && !error.proxy) {
      return failed(say.siteNotFound(domain, `DNS lookup failed: ${error.networkCode}`));
    }
    if (error instanceof UpstreamError && error.status === 404) {
      return failed(say.siteNotFound(domain, '/_edge/tenant_info returned 404'));
    }
    if (error instanceof UpstreamError && (error.status === undefined || error.status < 500)) {
      return failed(say.notCloudSite(domain, error.message));
    }
    if (error instanceof ConnectorError)
      return failed(`Could not reach ${domain}: ${error.message}. Try again later.`);
    throw error;
  }
}

export async function checkConnection(
  config: SourceConfig,
  runtime: SourceRuntime,
  options: ConnectOptions & {
    signal?: AbortSignal;
    /** Further probes on the connected site (the permission inputs the ACL needs); each string a problem. */
    siteProblems?: (site: AtlassianSite, signal?: AbortSignal) => Promise<string[]>;
  } = {},
): Promise<CheckResult> {
  const shape = say.tokenShapeProblem(config.credentials);
  if (shape) return failed(shape);
  const connection = createConnection(config, { ...options, runtime });
  const cloudId = await cloudIdOrFailure(connection, options.signal);
  if (typeof cloudId !== 'string') return cloudId;
  const site = buildSite(connection, cloudId);
  const probes: Probe[] = [];
  try {
    // One after the other: an OAuth credential is exchanged once, on the first call, and reused.
    if (config.confluence?.enabled !== false)
      probes.push(await probeConfluence(site, config, options.signal));
    if (config.jira?.enabled !== false) probes.push(await probeJira(site, config, options.signal));
    const problem =
      productFailure(probes, connection.auth.form, connection.domain) ??
      (await adminFailure(site, options.signal));
    if (problem) return failed(problem);
    const siteProblems = (await options.siteProblems?.(site, options.signal)) ?? [];
    if (siteProblems.length) {
      return failed(
        'Connected, but the account cannot read some permissions, so the documents concerned would get no ' +
          `access in document_permissions (it fails closed): ${siteProblems.join('; ')}.`,
      );
    }
  } catch (error) {
    // A rejected OAuth client secret surfaces from the token exchange before any product answers.
    if (error instanceof ConfigError && !(error instanceof AuthError)) return failed(error.message);
    throw error;
  }
  const seen = probes.map((p) => p.summary).filter(Boolean);
  if (site.admin) seen.push('organization directory: reachable');
  runtime.logger.info(
    `check: connected to ${connection.domain} (cloudId ${cloudId}) with ${describeAuthForm(connection.auth.form)}`,
  );
  return {
    status: 'SUCCEEDED',
    message: seen.length ? seen.join(', ') : `Connected to ${connection.domain}`,
  };
}

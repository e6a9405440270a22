// The Atlassian Cloud simulator: one loopback HTTP server for the site, the API gateway, the OAuth token
// endpoint and the org Admin API, over a seeded, deterministic dataset.
import { createHash, randomBytes } from 'node:crypto';
import { registerAdminRoutes } from './admin/routes';
import { Auth, type Credentials } from './core/auth';
import { createClock } from './core/clock';
import { uuid } from './core/ids';
import { DEFAULT_KNOBS, FaultInjector, type Knobs } from './core/knobs';
import { RequestLog, type LoggedRequest } from './core/request-log';
import { createRng } from './core/rng';
import { Router } from './core/router';
import { resolveScale, type ScaleName } from './core/scale';
import { startServer } from './core/server';
import type { ProductModule, ProductModuleFactory, ScaleCounts, SimResponse } from './core/types';
import { createConfluenceModule, type ConfluenceControl, type ConfluenceModel } from './confluence';
import { createDirectoryControl, type DirectoryControl } from './directory/control';
import { generateDirectory } from './directory/generate';
import type { DirectoryModel } from './directory/model';

export type { Knobs } from './core/knobs';
export type { ScaleName } from './core/scale';
export type { ScaleCounts } from './core/types';
export type { Credentials } from './core/auth';
export type { ConfluenceControl } from './confluence';
export type { DirectoryControl } from './directory/control';
export type { LoggedRequest } from './core/request-log';

import type { JiraControl } from './jira/control';
export type { JiraControl };

export interface SimModel {
  directory: DirectoryModel;
  confluence: ConfluenceModel;
  /** The Jira module's store when sim/jira is present. */
  jira: unknown;
}

export interface Simulator {
  url: string;
  domain: string;
  cloudId: string;
  credentials: Credentials;
  /** A valid connector config (service_account auth with email, all *_url_override = url, org admin API) merged with overrides; a `null` override removes a key. */
  connectorConfig(overrides?: Record<string, unknown>): Record<string, unknown>;
  model: SimModel;
  truth: {
    visibleIds(stream: string): Set<string>;
    canSee(accountId: string, kind: string, id: string): boolean;
  };
  control: { confluence: ConfluenceControl; jira: JiraControl; directory: DirectoryControl };
  requests(): LoggedRequest[];
  clearRequests(): void;
  setKnobs(knobs: Partial<Knobs>): void;
  knobs(): Knobs;
  /** sha256 over the whole generated dataset (directory, Confluence, Jira): same seed + scale => same digest. */
  digest(): string;
  close(): Promise<void>;
}

export interface SimulatorOptions {
  scale?: ScaleName | Partial<ScaleCounts>;
  seed?: number;
  knobs?: Partial<Knobs>;
  port?: number;
  /** Atlassian's wall clock (default: this machine's), e.g. running ahead of the connector's. */
  wallClock?: () => number;
}

function loadJiraFactory(): ProductModuleFactory | undefined {
  try {
    // Optional at build time: the Jira module is developed separately and may be absent.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./jira') as { createJiraModule?: ProductModuleFactory }).createJiraModule;
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
      String((error as Error).message).includes('./jira')
    ) {
      return undefined;
    }
    throw error;
  }
}

export function deepMerge(
  base: Record<string, unknown>,
  overrides: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null || value === undefined) delete out[key];
    else if (
      typeof value === 'object' &&
      !Array.isArray(value) &&
      typeof out[key] === 'object' &&
      out[key] !== null &&
      !Array.isArray(out[key])
    ) {
      out[key] = deepMerge(out[key] as Record<string, unknown>, value as Record<string, unknown>);
    } else out[key] = value;
  }
  return out;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 1;
  const counts = resolveScale(options.scale);
  const rng = createRng(seed);
  const clock = createClock({ wallClock: options.wallClock });
  const dir = generateDirectory({ rng, counts, epoch: clock.epoch });
  const ids = rng.fork('site');
  const cloudId = uuid(ids);
  const orgId = uuid(ids);
  const directoryId = uuid(ids);
  const domain = 'acme-sim.atlassian.net';
  const credentials: Credentials = {
    serviceAccountEmail: dir.serviceAccount.email,
    serviceAccountToken: `ATSTT3x${randomBytes(24).toString('base64url')}`,
    oauthClientId: `sim-client-${randomBytes(8).toString('hex')}`,
    oauthClientSecret: `ATOA${randomBytes(24).toString('base64url')}`,
    userEmail: dir.apiTokenUser.email,
    userApiToken: `ATATT3x${randomBytes(24).toString('base64url')}`,
    orgId,
    orgAdminApiKey: `ATCO${randomBytes(24).toString('base64url')}`,
  };

  const confluence = createConfluenceModule({ rng, clock, dir, counts });
  const jiraFactory = loadJiraFactory();
  let siteUrl = '';
  const jira: (ProductModule & { model?: unknown }) | undefined = jiraFactory?.({
    rng,
    clock,
    directory: dir,
    counts,
    siteUrl: () => siteUrl,
  });

  const routes = new Router();
  const publicRoutes = new Router();
  publicRoutes.get('/_edge/tenant_info', () => ({ status: 200, body: { cloudId } }));
  confluence.register(routes, publicRoutes);
  jira?.register(routes);
  registerAdminRoutes(routes, { orgId, orgName: 'Acme Sim', directoryId, cloudId, directory: dir });

  let knobs: Knobs = { ...DEFAULT_KNOBS, ...options.knobs };
  const faults = new FaultInjector(seed, knobs);
  const log = new RequestLog();
  const auth = new Auth({
    credentials,
    serviceAccountId: dir.serviceAccount.accountId,
    userAccountId: dir.apiTokenUser.accountId,
    tokenLifetimeSeconds: () => knobs.oauthTokenLifetimeSeconds,
    now: () => Date.now(),
  });
  const directoryControl = createDirectoryControl({
    dir,
    rng: rng.fork('directory-control'),
    now: () => clock.tick(),
    changed: () => confluence.invalidate(),
  });
  const control = {
    confluence: confluence.control,
    jira: (jira?.control ?? {}) as JiraControl,
    directory: directoryControl,
  };

  const setKnobs = (patch: Partial<Knobs>): void => {
    knobs = { ...knobs, ...patch };
    faults.setKnobs(knobs);
  };
  const sa = dir.serviceAccount.accountId;
  const truth = {
    visibleIds(stream: string): Set<string> {
      if (stream === 'users') return new Set(dir.users.map((u) => u.accountId));
      if (stream === 'groups') return new Set(dir.groups.map((g) => g.id));
      const found = confluence.visibleIds(stream, sa) ?? jira?.visibleIds(stream);
      if (!found) throw new Error(`no ground truth for stream ${stream}`);
      return found;
    },
    canSee(accountId: string, kind: string, id: string): boolean {
      const answer = confluence.canSee(accountId, kind, id) ?? jira?.canSee(accountId, kind, id);
      if (answer === undefined) throw new Error(`unknown document kind ${kind}`);
      return answer;
    },
  };

  const controlHttp = async (method: string, path: string, body: unknown): Promise<SimResponse> => {
    if (path === 'requests' && method === 'GET') return { status: 200, body: log.all() };
    if (path === 'requests/clear' && method === 'POST') {
      log.clear();
      return { status: 204 };
    }
    if (path === 'knobs') {
      if (method === 'POST') setKnobs((body ?? {}) as Partial<Knobs>);
      return { status: 200, body: knobs };
    }
    if (path === 'truth/visibleIds' && method === 'POST') {
      return { status: 200, body: [...truth.visibleIds(String((body as { stream?: string })?.stream))] };
    }
    const [product, fn] = path.split('/');
    const target = (control as unknown as Record<string, Record<string, unknown>>)[product ?? ''];
    const callable = target?.[fn ?? ''];
    if (method !== 'POST' || typeof callable !== 'function')
      return { status: 404, body: { message: `no control ${path}` } };
    // Body: an array of arguments, or `{ args: [...] }`, or a single object argument.
    const args = Array.isArray(body)
      ? body
      : Array.isArray((body as { args?: unknown })?.args)
        ? (body as { args: unknown[] }).args
        : [body];
    try {
      const result = await (callable as (...a: unknown[]) => unknown).apply(target, args);
      return { status: 200, body: result ?? { ok: true } };
    } catch (error) {
      return { status: 400, body: { message: (error as Error).message } };
    }
  };

  const server = await startServer(
    { cloudId, auth, faults, log, routes, publicRoutes, control: controlHttp, now: () => Date.now() },
    options.port ?? 0,
  );
  siteUrl = server.url;

  return {
    url: server.url,
    domain,
    cloudId,
    credentials,
    connectorConfig(overrides = {}) {
      const base: Record<string, unknown> = {
        domain,
        credentials: {
          auth_type: 'service_account',
          service_account_token: credentials.serviceAccountToken,
          service_account_email: credentials.serviceAccountEmail,
        },
        organization_id: orgId,
        organization_admin_api_key: credentials.orgAdminApiKey,
        site_url_override: server.url,
        gateway_url_override: server.url,
        auth_url_override: server.url,
      };
      return deepMerge(base, overrides);
    },
    model: { directory: dir, confluence: confluence.model, jira: jira?.model },
    truth,
    control,
    requests: () => log.all(),
    clearRequests: () => log.clear(),
    setKnobs,
    knobs: () => knobs,
    digest() {
      const hash = createHash('sha256');
      hash.update(
        JSON.stringify({
          users: dir.users,
          groups: dir.groups,
          members: [...dir.members].map(([g, m]) => [g, [...m].sort()]),
        }),
      );
      hash.update(confluence.digest());
      hash.update(jira?.digest() ?? 'no-jira');
      return hash.digest('hex');
    },
    close: () => server.close(),
  };
}

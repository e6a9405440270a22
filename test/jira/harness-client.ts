// Test support: a ProductClient that sends each request through the Jira simulator's router in-process
// (test/sim/jira-harness.ts), so the stream logic can be exercised request by request while recording
// what was asked. Errors carry `status` like the real client's; the end-to-end tests use the real stack.
import type {
  DownloadOptions,
  ProductClient,
  Query,
  RequestOptions,
} from '../../src/atlassian/product-client';
import type { StreamDeps } from '../../src/atlassian/site';
import type { Logger, ReadContext, StreamEvent, Stream } from '../../src/cdk/stream';
import type { SourceConfig } from '../../src/generated/config';
import { jiraStreams } from '../../src/jira';
import { jiraHarness, SITE_URL, type JiraHarness } from '../sim/jira-harness';
import spec from '../../spec.json';

/** The spec's defaults of the settings the Jira streams read (the real config loader applies them all). */
const specProps = spec.connectionSpecification.properties;
const DEFAULTS = {
  attachments: {
    extract_text: specProps.attachments.properties.extract_text.default,
    max_size_mb: specProps.attachments.properties.max_size_mb.default,
    media_types: specProps.attachments.properties.media_types.default,
  },
  lookback_minutes: specProps.lookback_minutes.default,
  max_concurrency: specProps.max_concurrency.default,
};

export interface Recorded {
  method: string;
  path: string;
  query: string;
  body?: unknown;
  status: number;
}

function withQuery(path: string, params: Query | undefined): string {
  const url = new URL(path, SITE_URL);
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v === undefined || v === null) continue;
    for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
  }
  return `${url.pathname}${url.search}`;
}

export interface ClientFaults {
  /** Status to answer instead of calling the simulator, by path. */
  failPath?: (method: string, path: string, body?: unknown) => number | undefined;
  /** Rewrites a response body (e.g. to truncate embedded lists as a real site may). */
  transform?: (method: string, path: string, body: unknown) => unknown;
}

export function harnessClient(h: JiraHarness, log: Recorded[], faults: ClientFaults = {}): ProductClient {
  const send = async (method: 'GET' | 'POST', pathAndQuery: string, body?: unknown) => {
    const url = new URL(pathAndQuery, SITE_URL);
    const failed = faults.failPath?.(method, url.pathname, body);
    const res =
      failed !== undefined
        ? { status: failed, body: { errorMessages: ['injected'] } }
        : await h.call(method, pathAndQuery, { body, viaGateway: true });
    log.push({ method, path: url.pathname, query: url.search.slice(1), body, status: res.status });
    if (faults.transform && res.status < 400) res.body = faults.transform(method, url.pathname, res.body);
    if (res.status >= 400) {
      throw Object.assign(
        new Error(`HTTP ${res.status} ${method} ${url.pathname}: ${JSON.stringify(res.body)}`),
        {
          status: res.status,
        },
      );
    }
    return res;
  };
  return {
    baseUrl: SITE_URL,
    async get<T>(path: string, options?: RequestOptions): Promise<T> {
      return (await send('GET', withQuery(path, options?.params))).body as T;
    },
    async search<T>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
      return (await send('POST', withQuery(path, options?.params), body)).body as T;
    },
    async download(path: string, options: DownloadOptions): Promise<Buffer | null> {
      const res = await send('GET', path);
      const raw = (res as { raw?: Buffer }).raw ?? Buffer.from(JSON.stringify(res.body ?? ''));
      return raw.length > options.maxBytes ? null : raw;
    },
  };
}

export interface HarnessSite {
  harness: JiraHarness;
  requests: Recorded[];
  deps(config?: Partial<SourceConfig>): StreamDeps;
  /** WARN messages logged through `logger`. */
  warnings: string[];
  logger: Logger;
}

export function harnessSite(options: Parameters<typeof jiraHarness>[0] & ClientFaults = {}): HarnessSite {
  const harness = jiraHarness(options);
  const requests: Recorded[] = [];
  const warnings: string[] = [];
  const logger: Logger = { debug() {}, info() {}, error() {}, warn: (m) => warnings.push(m) };
  const client = harnessClient(harness, requests, options);
  return {
    harness,
    requests,
    warnings,
    logger,
    deps: (config = {}) => ({
      config: {
        domain: 'acme-sim.atlassian.net',
        credentials: { auth_type: 'service_account', service_account_token: 'x' },
        ...DEFAULTS,
        ...config,
      } as SourceConfig,
      site: async () => ({ cloudId: 'cloud-sim', siteUrl: SITE_URL, jira: client, confluence: client }),
      logger,
    }),
  };
}

export interface ReadResult {
  records: Record<string, unknown>[];
  states: Record<string, unknown>[];
  events: StreamEvent[];
}

/** Reads a stream to the end (or until `stopAfterRecords`), collecting its events. */
export async function readStream(
  stream: Stream,
  context: Partial<ReadContext> & { stopAfterRecords?: number } = {},
): Promise<ReadResult> {
  const controller = new AbortController();
  const out: ReadResult = { records: [], states: [], events: [] };
  const logger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
  for await (const event of stream.read({
    syncMode: 'incremental',
    logger,
    signal: controller.signal,
    ...context,
  })) {
    out.events.push(event);
    if (event.type === 'record') out.records.push(event.data);
    if (event.type === 'state') out.states.push(event.state);
    if (context.stopAfterRecords !== undefined && out.records.length >= context.stopAfterRecords) break;
  }
  return out;
}

/** One Jira stream of the harness site, with `config` over the defaults. */
export function streamOf(site: HarnessSite, config: Partial<SourceConfig>, name: string): Stream {
  return jiraStreams(site.deps(config)).find((s) => s.name === name)!;
}

/** The site's projects, most visible issues first. */
export function projectsBySize(site: HarnessSite) {
  const { model, visibleIds } = site.harness.module;
  const counts = new Map<string, number>();
  for (const id of visibleIds('jira_issues')!) {
    const p = model.issues.get(id)!.projectId;
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return [...counts.entries()].sort((l, r) => r[1] - l[1]).map(([id]) => model.projects.get(id)!);
}
